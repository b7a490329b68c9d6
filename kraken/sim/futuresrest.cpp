#include "futuresrest.h"

#include "faults.h"
#include "futuresengine.h"
#include "kraken/core/signing.h"
#include "logging.h"
#include "marketsim.h"
#include "simjson.h"

#include <QDateTime>
#include <QHash>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr auto Prefix = "/derivatives/api/v3/";
constexpr auto ChartsPrefix = "/api/charts/v1";

QByteArray header(const QHttpServerRequest &request, QByteArrayView name) {
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    return {};
}

// Kraken Futures timestamps: 2024-01-15T10:30:45.123Z
QString isoMs(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s) +
           u'Z';
}

// Starts {"result":"success","serverTime":"..."; the caller adds its keys and closes.
JsonWriter success(qint64 nowMs) {
    JsonWriter w;
    w.beginObject().key("result").value("success").key("serverTime").value(isoMs(nowMs));
    return w;
}

FuturesHttpAnswer error(const QString &code, qint64 nowMs, int status = 200) {
    JsonWriter w;
    w.beginObject()
        .key("result")
        .value("error")
        .key("serverTime")
        .value(isoMs(nowMs))
        .key("error")
        .value(code)
        .endObject();
    return {status, w.take(), false};
}

FuturesHttpAnswer done(JsonWriter &w) {
    w.endObject();
    return {200, w.take(), false};
}

// An exact JSON number without trailing zeros (50000, 0.0125).
void num(JsonWriter &w, const Decimal &d) {
    w.value(d.normalized());
}
void numOrNull(JsonWriter &w, const std::optional<Decimal> &d) {
    if (d)
        num(w, *d);
    else
        w.null();
}

QUrlQuery formQuery(QByteArray data) {
    data.replace('+', "%20");
    return QUrlQuery(QString::fromUtf8(data));
}

// openorders' orderType: Kraken lists trigger orders as "stop"/"take_profit"/"trailing_stop".
QString openOrderType(const FuturesOrder &o) {
    if (o.type == u"stp"_s)
        return o.triggered ? u"lmt"_s : u"stop"_s;
    if (o.isTrigger() && o.triggered)
        return u"lmt"_s;
    return o.type;
}

// The "order" object of orderEvents.
void writeOrder(JsonWriter &w, const FuturesOrder &o) {
    w.beginObject().key("orderId").value(o.orderId).key("cliOrdId");
    if (o.cliOrdId.isEmpty())
        w.null();
    else
        w.value(o.cliOrdId);
    w.key("type").value(o.isTrigger() && o.triggered ? u"lmt"_s : o.type);
    w.key("symbol").value(o.symbol).key("side").value(sideName(o.side));
    w.key("quantity");
    num(w, o.size);
    w.key("filled");
    num(w, o.filled);
    w.key("limitPrice");
    numOrNull(w, o.limitPrice);
    w.key("reduceOnly").value(o.reduceOnly);
    w.key("timestamp").value(isoMs(o.receivedMs));
    w.key("lastUpdateTimestamp").value(isoMs(o.lastUpdateMs));
    w.endObject();
}

// The "orderTrigger" object of a trigger order's events.
void writeTrigger(JsonWriter &w, const FuturesOrder &o) {
    w.beginObject().key("uid").value(o.orderId).key("clientId");
    if (o.cliOrdId.isEmpty())
        w.null();
    else
        w.value(o.cliOrdId);
    w.key("type").value(o.limitPrice ? "lmt" : "mkt");
    w.key("symbol").value(o.symbol).key("side").value(sideName(o.side));
    w.key("quantity");
    num(w, o.size);
    w.key("limitPrice");
    numOrNull(w, o.limitPrice);
    w.key("triggerPrice");
    numOrNull(w, o.stopPrice);
    const bool isTp = o.type == u"take_profit"_s;
    const bool below = o.side == Side::Sell ? !isTp : isTp;
    w.key("triggerSide").value(below ? "trigger_below" : "trigger_above");
    w.key("triggerSignal").value(triggerSignalName(o.signal));
    w.key("reduceOnly").value(o.reduceOnly);
    w.key("timestamp").value(isoMs(o.receivedMs));
    w.key("lastUpdateTimestamp").value(isoMs(o.lastUpdateMs));
    w.endObject();
}

void writeEvents(JsonWriter &w, const std::vector<FuturesOrderEvent> &events) {
    w.key("orderEvents").beginArray();
    for (const FuturesOrderEvent &e : events) {
        w.beginObject().key("type").value(e.type);
        const bool trigger = e.order.waitingForTrigger();
        if (e.type == u"PLACE"_s) {
            if (trigger) {
                w.key("orderTrigger");
                writeTrigger(w, e.order);
            } else {
                w.key("order");
                writeOrder(w, e.order);
            }
            w.key("reducedQuantity").null();
        } else if (e.type == u"EXECUTION"_s) {
            w.key("executionId").value(e.executionId).key("price");
            num(w, e.price);
            w.key("amount");
            num(w, e.amount);
            w.key("orderPriorEdit").null().key("orderPriorExecution");
            writeOrder(w, e.priorOrder);
            w.key("takerReducedQuantity").null();
        } else if (e.type == u"EDIT"_s) {
            w.key("old");
            writeOrder(w, e.priorOrder);
            w.key("new");
            writeOrder(w, e.order);
            w.key("reducedQuantity").null();
        } else if (e.type == u"TRIGGER_ACTIVATED"_s) {
            w.key("orderTrigger");
            writeTrigger(w, e.order);
        } else { // CANCEL, REJECT
            w.key("uid").value(e.order.orderId);
            w.key(trigger ? "orderTrigger" : "order");
            if (trigger)
                writeTrigger(w, e.order);
            else
                writeOrder(w, e.order);
            if (e.type == u"REJECT"_s)
                w.key("reason").value(e.reason);
        }
        w.endObject();
    }
    w.endArray();
}

bool isOrderCall(const QString &endpoint) {
    return endpoint == u"sendorder"_s || endpoint == u"editorder"_s ||
           endpoint == u"cancelorder"_s || endpoint == u"batchorder"_s ||
           endpoint == u"cancelallorders"_s || endpoint == u"cancelallordersafter"_s;
}

std::optional<Decimal> decimalOf(const QString &text) {
    if (text.isEmpty())
        return std::nullopt;
    return Decimal::fromString(text);
}

// ---- charts

// The charts API's resolutions in minutes (12h has no Spot OHLC interval of its own).
int resolutionMinutes(const QString &r) {
    static const QHash<QString, int> map{{u"1m"_s, 1},    {u"5m"_s, 5},    {u"15m"_s, 15},
                                         {u"30m"_s, 30},  {u"1h"_s, 60},   {u"4h"_s, 240},
                                         {u"12h"_s, 720}, {u"1d"_s, 1440}, {u"1w"_s, 10080}};
    return map.value(r, 0);
}

// Bars of a longer interval from consecutive bars of a shorter one, aligned like the market's
// own bars (epoch multiples of the interval).
std::vector<OhlcBar> mergeBars(const std::vector<OhlcBar> &in, int minutes) {
    std::vector<OhlcBar> out;
    const qint64 len = qint64(minutes) * 60;
    for (const OhlcBar &b : in) {
        const qint64 t = b.begin.toSecsSinceEpoch();
        const qint64 begin = t - ((t % len) + len) % len;
        if (out.empty() || out.back().begin.toSecsSinceEpoch() != begin) {
            OhlcBar m = b;
            m.begin = QDateTime::fromSecsSinceEpoch(begin, Qt::UTC);
            m.intervalMinutes = minutes;
            out.push_back(m);
            continue;
        }
        OhlcBar &m = out.back();
        m.high = std::max(m.high, b.high);
        m.low = std::min(m.low, b.low);
        m.close = b.close;
        m.volume = m.volume.plus(b.volume).value_or(m.volume);
        m.trades += b.trades;
    }
    return out;
}

std::vector<OhlcBar> barsOf(const MarketSim &m, int minutes) {
    if (minutes == 720)
        return mergeBars(m.bars(240), 720);
    return m.bars(minutes);
}

FuturesHttpAnswer chartsError(int status, const QString &message) {
    JsonWriter w;
    w.beginObject().key("error").value(message).endObject();
    return {status, w.take(), false};
}

FuturesHttpAnswer jsonStrings(const QStringList &list) {
    JsonWriter w;
    w.beginArray();
    for (const QString &s : list)
        w.value(s);
    w.endArray();
    return {200, w.take(), false};
}

} // namespace

struct FuturesRest::Call {
    QString endpoint; // "sendorder", "tickers/PF_XBTUSD"
    bool post = false;
    QUrlQuery params; // query and form, decoded
    QString accountId;
    qint64 now = 0;

    QString get(const QString &name) const {
        return params.queryItemValue(name, QUrl::FullyDecoded);
    }
    bool has(const QString &name) const { return params.hasQueryItem(name); }
};

FuturesRest::FuturesRest(FuturesEngine *engine, Faults *faults)
    : m_engine(engine)
    , m_faults(faults) {}

QString FuturesRest::prefix() {
    return u"/derivatives/api/v3"_s;
}

QString FuturesRest::chartsPrefix() {
    return QString::fromLatin1(ChartsPrefix);
}

void FuturesRest::setSpotLookup(std::function<MarketSim *(const QString &)> lookup) {
    m_spot = std::move(lookup);
}

// GET /api/charts/v1/{tick_type}/{symbol}/{resolution}?from=&to=&count= (epoch seconds):
// {"candles":[{"time":ms,"open":"..","high":"..","low":"..","close":"..","volume":n}],
//  "more_candles":bool}, prices as strings and volume a number, as Kraken's spec writes them.
FuturesHttpAnswer FuturesRest::charts(const QHttpServerRequest &request) {
    const QString rest = request.url().path().mid(qsizetype(qstrlen(ChartsPrefix)));
    const QStringList parts = rest.split(u'/', Qt::SkipEmptyParts);
    static const QStringList tickTypes{u"spot"_s, u"mark"_s, u"trade"_s};
    if (parts.isEmpty())
        return jsonStrings(tickTypes);
    if (!tickTypes.contains(parts.at(0)) || parts.size() > 3)
        return chartsError(404, u"Not Found"_s);
    const QString tickType = parts.at(0);
    if (parts.size() == 1) {
        QStringList symbols;
        for (const SimFuturesInstrument &f : m_engine->config().futures)
            symbols.append(f.symbol);
        return jsonStrings(symbols);
    }
    const SimFuturesInstrument *f = m_engine->instrument(parts.at(1));
    MarketSim *own = m_engine->market(parts.at(1));
    if (!f || !own)
        return chartsError(404, u"Not Found"_s);
    if (parts.size() == 2)
        return jsonStrings(
            {u"1m"_s, u"5m"_s, u"15m"_s, u"30m"_s, u"1h"_s, u"4h"_s, u"12h"_s, u"1d"_s, u"1w"_s});
    const int minutes = resolutionMinutes(parts.at(2));
    if (minutes == 0)
        return chartsError(404, u"Not Found"_s);

    const QUrlQuery query(request.url());
    auto seconds = [&query](const QString &name, std::optional<qint64> &out) {
        if (!query.hasQueryItem(name))
            return true;
        bool ok = false;
        const double v = query.queryItemValue(name).toDouble(&ok); // the spec allows fractions
        if (!ok || v < 0 || v > 1e11)
            return false;
        out = qint64(v);
        return true;
    };
    std::optional<qint64> from, to, count;
    if (!seconds(u"from"_s, from) || !seconds(u"to"_s, to) || !seconds(u"count"_s, count))
        return chartsError(400, u"Bad Request"_s);

    // trade: the contract's own prints; spot: the index's Spot market (the contract's own
    // book when it has none, as the engine's index does); mark: that index shifted by the
    // premium as it stands now (the engine keeps no mark history).
    MarketSim *source = own;
    std::optional<Decimal> shift;
    if (tickType != u"trade"_s) {
        if (MarketSim *spot = m_spot ? m_spot(f->indexSpotSymbol) : nullptr)
            source = spot;
        if (tickType == u"mark"_s) {
            const auto mark = m_engine->markPrice(f->symbol);
            const auto index = m_engine->indexPrice(f->symbol);
            if (mark && index)
                shift = mark->minus(*index);
        }
    }
    const int pp = f->pricePrecision;
    auto price = [&](const Decimal &d) {
        const Decimal v = shift ? d.plus(*shift).value_or(d) : d;
        return v.rescaled(pp).value_or(v);
    };

    std::vector<OhlcBar> bars = barsOf(*source, minutes);
    std::vector<const OhlcBar *> inRange;
    for (const OhlcBar &b : bars) {
        const qint64 t = b.begin.toSecsSinceEpoch();
        if ((!from || t >= *from) && (!to || t <= *to))
            inRange.push_back(&b);
    }
    const std::size_t limit = std::size_t(std::clamp<qint64>(count.value_or(2000), 0, 5000));
    std::size_t first = 0, last = inRange.size();
    bool more = false;
    if (inRange.size() > limit) {
        // With a start, page forward from it; without one, the newest candles.
        if (from) {
            last = limit;
            more = true;
        } else {
            first = inRange.size() - limit;
        }
    }
    JsonWriter w;
    w.beginObject().key("candles").beginArray();
    for (std::size_t i = first; i < last; ++i) {
        const OhlcBar &b = *inRange[i];
        w.beginObject().key("time").value(b.begin.toMSecsSinceEpoch());
        w.key("open").valueString(price(b.open), pp);
        w.key("high").valueString(price(b.high), pp);
        w.key("low").valueString(price(b.low), pp);
        w.key("close").valueString(price(b.close), pp);
        w.key("volume");
        if (tickType == u"trade"_s)
            num(w, b.volume);
        else
            w.value(0); // index and mark candles carry no volume
        w.endObject();
    }
    w.endArray().key("more_candles").value(more).endObject();
    return {200, w.take(), false};
}

FuturesHttpAnswer FuturesRest::handle(const QHttpServerRequest &request) {
    Call call;
    call.now = m_engine->now();
    const QString path = request.url().path();
    if (path == QLatin1StringView(ChartsPrefix) ||
        path.startsWith(QString(QLatin1StringView(ChartsPrefix) + u'/')))
        return charts(request);
    if (!path.startsWith(QLatin1StringView(Prefix)))
        return error(u"Not Found"_s, call.now, 404);
    call.endpoint = path.mid(qsizetype(qstrlen(Prefix)));
    call.post = request.method() == QHttpServerRequest::Method::Post;
    const QByteArray query = request.url().query(QUrl::FullyEncoded).toUtf8();
    call.params = formQuery(query);
    if (call.post)
        for (const auto &[k, v] : formQuery(request.body()).queryItems(QUrl::FullyEncoded))
            call.params.addQueryItem(k, v);

    QString service;
    if (m_faults->takeRestServiceError(&service)) {
        // Spot's "EService:Unavailable" is Futures' "Unavailable"; anything else a 500-ish.
        return error(service.endsWith(u"Unavailable"_s) ? u"Unavailable"_s : u"Server Error"_s,
                     call.now);
    }
    static const QStringList publicCalls{u"instruments"_s, u"tickers"_s, u"orderbook"_s,
                                         u"history"_s};
    const bool isPublic =
        publicCalls.contains(call.endpoint) || call.endpoint.startsWith(u"tickers/"_s);
    if (!isPublic) {
        const QString why = authenticate(request, call);
        if (!why.isEmpty())
            return error(why, call.now);
        if (m_faults->takeRestRateLimit() ||
            (isOrderCall(call.endpoint) && m_faults->takeOrderRateLimit()))
            return error(u"apiLimitExceeded"_s, call.now);
    }
    FuturesHttpAnswer answer = dispatch(call);
    if (answer.status == 200 && isOrderCall(call.endpoint) && m_faults->takeLostOrderAck())
        answer.loseAnswer = true;
    return answer;
}

QString FuturesRest::authenticate(const QHttpServerRequest &request, Call &call) {
    const QByteArray apiKey = header(request, "APIKey");
    const SimAccount *account = m_engine->config().accountByFuturesKey(QString::fromLatin1(apiKey));
    if (apiKey.isEmpty() || !account || !m_engine->hasAccount(account->id))
        return u"authenticationError"_s;
    // postData is the data as sent: the body of a POST (or its query string when the body is
    // empty, as many clients send it), the query string of a GET.
    const QByteArray query = request.url().query(QUrl::FullyEncoded).toUtf8();
    const QByteArray postData = call.post && !request.body().isEmpty() ? request.body() : query;
    const QByteArray nonce = header(request, "Nonce");
    const QByteArray path = request.url().path(QUrl::FullyEncoded).toUtf8();
    const auto expected = futuresAuthent(postData, nonce, path, account->futuresSecret.toLatin1());
    const QByteArray given = header(request, "Authent");
    if (!expected || given.isEmpty() || *expected != given)
        return u"authenticationError"_s;
    if (!nonce.isEmpty()) {
        bool ok = false;
        const quint64 value = nonce.toULongLong(&ok);
        if (!ok)
            return u"authenticationError"_s;
        const auto last = m_lastNonce.find(account->futuresApiKey);
        if (last != m_lastNonce.end() && value <= last->second)
            return value == last->second ? u"nonceDuplicate"_s : u"nonceBelowThreshold"_s;
        m_lastNonce[account->futuresApiKey] = value;
    }
    call.accountId = account->id;
    return {};
}

FuturesHttpAnswer FuturesRest::dispatch(Call &c) {
    FuturesEngine &e = *m_engine;
    const QString ep = c.endpoint;
    auto needPost = [&c] { return c.post; };

    // ---- public
    if (ep == u"instruments"_s) {
        JsonWriter w = success(c.now);
        w.key("instruments").beginArray();
        for (const SimFuturesInstrument &f : e.config().futures) {
            w.beginObject().key("symbol").value(f.symbol).key("type").value(f.type);
            if (!f.underlying.isEmpty())
                w.key("underlying").value(f.underlying);
            w.key("tickSize");
            num(w, f.tickSize);
            w.key("contractSize");
            num(w, f.contractSize);
            const bool expired =
                f.lastTradingTime.isValid() && c.now >= f.lastTradingTime.toMSecsSinceEpoch();
            w.key("tradeable").value(!expired).key("impactMidSize").value(1);
            w.key("maxPositionSize");
            num(w, f.maxPositionSize);
            w.key("openingDate").value(isoMs(f.openingDate.toMSecsSinceEpoch()));
            if (f.lastTradingTime.isValid())
                w.key("lastTradingTime").value(isoMs(f.lastTradingTime.toMSecsSinceEpoch()));
            w.key("marginLevels").beginArray();
            for (const SimMarginLevel &l : f.marginLevels) {
                w.beginObject().key(f.inverse() ? "contracts" : "numNonContractUnits");
                num(w, l.threshold);
                w.key("initialMargin");
                num(w, l.initialMargin);
                w.key("maintenanceMargin");
                num(w, l.maintenanceMargin);
                w.endObject();
            }
            w.endArray();
            if (f.perpetual()) {
                w.key("fundingRateCoefficient");
                num(w, f.fundingRateCoefficient);
                w.key("maxRelativeFundingRate");
                num(w, f.maxRelativeFundingRate);
            }
            w.key("contractValueTradePrecision").value(f.contractValueTradePrecision);
            w.key("postOnly").value(false).key("mtf").value(false);
            w.key("base").value(f.base).key("quote").value(f.quote).key("pair").value(f.pair);
            w.key("tag").value(f.tag).key("category").value("").key("tags").beginArray().endArray();
            w.key("tradfi").value(false).endObject();
        }
        w.endArray();
        return done(w);
    }
    auto writeTicker = [&e, &c](JsonWriter &w, const SimFuturesInstrument &f) {
        MarketSim *m = e.market(f.symbol);
        const TickerStats t = m->ticker();
        w.beginObject().key("symbol").value(f.symbol).key("tag").value(f.tag);
        w.key("pair").value(f.pair);
        w.key("last");
        numOrNull(w, e.lastPrice(f.symbol));
        w.key("lastTime").value(isoMs(c.now)).key("lastSize");
        num(w, t.lastQty);
        w.key("markPrice");
        numOrNull(w, e.markPrice(f.symbol));
        w.key("indexPrice");
        numOrNull(w, e.indexPrice(f.symbol));
        const auto bids = m->levels(Side::Buy, 1);
        const auto asks = m->levels(Side::Sell, 1);
        w.key("bid");
        numOrNull(w, bids.empty() ? std::nullopt : std::optional(bids[0].price));
        w.key("bidSize");
        numOrNull(w, bids.empty() ? std::nullopt : std::optional(bids[0].qty));
        w.key("ask");
        numOrNull(w, asks.empty() ? std::nullopt : std::optional(asks[0].price));
        w.key("askSize");
        numOrNull(w, asks.empty() ? std::nullopt : std::optional(asks[0].qty));
        w.key("vol24h");
        num(w, t.volume);
        w.key("volumeQuote");
        num(w, t.volume.times(t.vwap, 2).value_or(Decimal()));
        w.key("openInterest").value(0).key("open24h");
        num(w, t.open);
        w.key("high24h");
        num(w, t.high);
        w.key("low24h");
        num(w, t.low);
        w.key("change24h");
        num(w, t.changePct);
        if (f.perpetual()) {
            w.key("fundingRate");
            num(w, e.absoluteFundingRate(f.symbol));
            w.key("fundingRatePrediction");
            num(w, e.absoluteFundingRate(f.symbol));
        }
        w.key("suspended").value(false).key("postOnly").value(false).endObject();
    };
    if (ep == u"tickers"_s) {
        JsonWriter w = success(c.now);
        w.key("tickers").beginArray();
        for (const SimFuturesInstrument &f : e.config().futures)
            writeTicker(w, f);
        w.endArray();
        return done(w);
    }
    if (ep.startsWith(u"tickers/"_s)) {
        const SimFuturesInstrument *f = e.instrument(ep.mid(8));
        if (!f)
            return error(u"invalidArgument"_s, c.now);
        JsonWriter w = success(c.now);
        w.key("ticker");
        writeTicker(w, *f);
        return done(w);
    }
    if (ep == u"orderbook"_s || ep == u"history"_s) {
        const QString symbol = c.get(u"symbol"_s);
        if (symbol.isEmpty())
            return error(u"requiredArgumentMissing"_s, c.now);
        MarketSim *m = e.market(symbol);
        if (!m)
            return error(u"invalidArgument"_s, c.now);
        JsonWriter w = success(c.now);
        if (ep == u"orderbook"_s) {
            w.key("orderBook").beginObject();
            for (const Side s : {Side::Buy, Side::Sell}) {
                w.key(s == Side::Buy ? "bids" : "asks").beginArray();
                for (const SimLevel &l : m->levels(s, 100)) {
                    w.beginArray();
                    num(w, l.price);
                    num(w, l.qty);
                    w.endArray();
                }
                w.endArray();
            }
            w.endObject();
        } else {
            w.key("history").beginArray();
            const auto &trades = m->recentTrades();
            const size_t from = trades.size() > 100 ? trades.size() - 100 : 0;
            for (size_t i = trades.size(); i-- > from;) { // newest first
                const MarketTrade &t = trades[i];
                w.beginObject().key("time").value(isoMs(t.time.toMSecsSinceEpoch()));
                w.key("trade_id").value(t.tradeId).key("price");
                num(w, t.price);
                w.key("size");
                num(w, t.qty);
                w.key("side").value(sideName(t.takerSide)).key("type").value("fill");
                w.key("uid").value(QString::number(t.tradeId)).endObject();
            }
            w.endArray();
        }
        return done(w);
    }

    // ---- private reads
    const QString &acc = c.accountId;
    if (ep == u"accounts"_s) {
        JsonWriter w = success(c.now);
        w.key("accounts").beginObject();
        w.key("cash").beginObject().key("type").value("cashAccount").key("balances");
        w.beginObject().endObject().endObject();
        for (const QString &name : e.marginAccountNames(acc)) {
            const FuturesMarginAccount m = e.marginAccount(acc, name);
            w.key(name.toLatin1().constData()).beginObject();
            if (name == u"flex"_s) {
                w.key("type").value("multiCollateralMarginAccount");
                w.key("currencies").beginObject().key("USD").beginObject();
                w.key("quantity");
                num(w, m.balance);
                w.key("value");
                num(w, m.balance);
                w.key("collateral");
                num(w, m.balance);
                w.key("available");
                num(w, m.balance);
                w.endObject().endObject();
                w.key("initialMargin");
                num(w, m.initialMargin);
                w.key("initialMarginWithOrders");
                num(w, m.initialMarginWithOrders);
                w.key("maintenanceMargin");
                num(w, m.maintenanceMargin);
                w.key("balanceValue");
                num(w, m.balance);
                w.key("portfolioValue");
                num(w, m.portfolioValue);
                w.key("collateralValue");
                num(w, m.balance);
                w.key("pnl");
                num(w, m.pnl);
                w.key("unrealizedFunding");
                num(w, m.unrealizedFunding);
                w.key("totalUnrealized");
                num(w, m.pnl);
                w.key("totalUnrealizedAsMargin");
                num(w, m.pnl);
                w.key("availableMargin");
                num(w, m.availableMargin);
                w.key("marginEquity");
                num(w, m.portfolioValue);
            } else {
                w.key("type").value("marginAccount").key("currency").value("xbt");
                w.key("balances").beginObject().key("xbt");
                num(w, m.balance);
                w.endObject();
                w.key("auxiliary").beginObject().key("usd").value(0).key("pv");
                num(w, m.portfolioValue);
                w.key("pnl");
                num(w, m.pnl);
                w.key("af");
                num(w, m.availableMargin);
                w.key("funding");
                num(w, m.unrealizedFunding);
                w.endObject();
                w.key("marginRequirements").beginObject().key("im");
                num(w, m.initialMargin);
                w.key("mm");
                num(w, m.maintenanceMargin);
                w.key("lt");
                num(w, m.maintenanceMargin);
                w.key("tt");
                num(w, m.maintenanceMargin);
                w.endObject();
            }
            w.endObject();
        }
        w.endObject();
        return done(w);
    }
    if (ep == u"openpositions"_s) {
        JsonWriter w = success(c.now);
        w.key("openPositions").beginArray();
        for (const FuturesPosition &p : e.positions(acc)) {
            const SimFuturesInstrument *f = e.instrument(p.symbol);
            w.beginObject().key("side").value(p.size.signum() > 0 ? "long" : "short");
            w.key("symbol").value(p.symbol).key("price");
            num(w, p.entryPrice);
            w.key("fillTime").value(isoMs(p.fillTimeMs)).key("size");
            num(w, p.size.abs());
            w.key("unrealizedFunding");
            num(w, p.unrealizedFunding);
            if (f && !f->inverse())
                w.key("pnlCurrency").value(f->quote);
            w.endObject();
        }
        w.endArray();
        return done(w);
    }
    if (ep == u"openorders"_s) {
        JsonWriter w = success(c.now);
        w.key("openOrders").beginArray();
        for (const FuturesOrder &o : e.openOrders(acc)) {
            w.beginObject().key("order_id").value(o.orderId);
            if (!o.cliOrdId.isEmpty())
                w.key("cliOrdId").value(o.cliOrdId);
            w.key("symbol").value(o.symbol).key("side").value(sideName(o.side));
            w.key("orderType").value(openOrderType(o));
            if (o.limitPrice) {
                w.key("limitPrice");
                num(w, *o.limitPrice);
            }
            if (o.waitingForTrigger() && o.stopPrice) {
                w.key("stopPrice");
                num(w, *o.stopPrice);
                w.key("triggerSignal").value(triggerSignalName(o.signal));
            }
            w.key("unfilledSize");
            num(w, o.unfilled());
            w.key("filledSize");
            num(w, o.filled);
            w.key("receivedTime").value(isoMs(o.receivedMs));
            w.key("lastUpdateTime").value(isoMs(o.lastUpdateMs));
            w.key("status").value(o.filled.isZero() ? "untouched" : "partiallyFilled");
            w.key("reduceOnly").value(o.reduceOnly).endObject();
        }
        w.endArray();
        return done(w);
    }
    if (ep == u"fills"_s) {
        JsonWriter w = success(c.now);
        w.key("fills").beginArray();
        const auto fills = e.fills(acc);
        const auto since = QDateTime::fromString(c.get(u"lastFillTime"_s), Qt::ISODateWithMs);
        int n = 0;
        for (auto it = fills.rbegin(); it != fills.rend() && n < 100; ++it) { // newest first
            if (since.isValid() && it->timeMs > since.toMSecsSinceEpoch())
                continue; // lastFillTime pages back in time
            ++n;
            w.beginObject().key("fill_id").value(it->fillId).key("symbol").value(it->symbol);
            w.key("side").value(sideName(it->side)).key("order_id").value(it->orderId);
            if (!it->cliOrdId.isEmpty())
                w.key("cliOrdId").value(it->cliOrdId);
            w.key("size");
            num(w, it->size);
            w.key("price");
            num(w, it->price);
            w.key("fillTime").value(isoMs(it->timeMs)).key("fillType").value(it->fillType);
            w.endObject();
        }
        w.endArray();
        return done(w);
    }

    // ---- order entry (POST only)
    if (!isOrderCall(ep))
        return error(u"Not Found"_s, c.now, 404);
    if (!needPost())
        return error(u"invalidArgument"_s, c.now);

    auto sendParams = [](const auto &get) {
        FuturesOrderParams p;
        p.orderType = get(u"orderType"_s);
        p.symbol = get(u"symbol"_s);
        p.side = get(u"side"_s);
        p.size = decimalOf(get(u"size"_s));
        p.limitPrice = decimalOf(get(u"limitPrice"_s));
        p.stopPrice = decimalOf(get(u"stopPrice"_s));
        p.cliOrdId = get(u"cliOrdId"_s);
        p.triggerSignal = get(u"triggerSignal"_s);
        p.reduceOnly = get(u"reduceOnly"_s) == u"true"_s;
        p.trailingStopMaxDeviation = decimalOf(get(u"trailingStopMaxDeviation"_s));
        p.trailingStopDeviationUnit = get(u"trailingStopDeviationUnit"_s);
        return p;
    };
    auto badNumber = [&c](std::initializer_list<const char16_t *> names) {
        for (const char16_t *n : names) {
            const QString v = c.get(QString::fromUtf16(n));
            if (!v.isEmpty() && !decimalOf(v))
                return true;
        }
        return false;
    };
    auto writeStatus = [](JsonWriter &w, const char *key, const FuturesResult &r, qint64 now,
                          const char *idKey) {
        w.key(key).beginObject().key("status").value(r.status);
        if (!r.orderId.isEmpty())
            w.key(idKey).value(r.orderId);
        if (!r.cliOrdId.isEmpty())
            w.key("cliOrdId").value(r.cliOrdId);
        w.key("receivedTime").value(isoMs(now));
        writeEvents(w, r.events);
        w.endObject();
    };

    if (ep == u"sendorder"_s) {
        for (const char16_t *n : {u"orderType", u"symbol", u"side", u"size"})
            if (c.get(QString::fromUtf16(n)).isEmpty())
                return error(u"requiredArgumentMissing"_s, c.now);
        if (badNumber({u"size", u"limitPrice", u"stopPrice", u"trailingStopMaxDeviation"}))
            return error(u"invalidArgument"_s, c.now);
        const FuturesOrderParams p = sendParams([&c](const QString &k) { return c.get(k); });
        const FuturesResult r = e.sendOrder(acc, p);
        if (r.status == u"invalidArgument"_s || r.status == u"accountInactive"_s)
            return error(r.status, c.now);
        JsonWriter w = success(c.now);
        writeStatus(w, "sendStatus", r, c.now, "order_id");
        return done(w);
    }
    if (ep == u"editorder"_s) {
        if (c.get(u"orderId"_s).isEmpty() && c.get(u"cliOrdId"_s).isEmpty())
            return error(u"requiredArgumentMissing"_s, c.now);
        if (badNumber({u"size", u"limitPrice", u"stopPrice", u"trailingStopMaxDeviation"}))
            return error(u"invalidArgument"_s, c.now);
        FuturesEngine::EditParams p;
        p.orderId = c.get(u"orderId"_s);
        p.cliOrdId = c.get(u"cliOrdId"_s);
        p.size = decimalOf(c.get(u"size"_s));
        p.limitPrice = decimalOf(c.get(u"limitPrice"_s));
        p.stopPrice = decimalOf(c.get(u"stopPrice"_s));
        p.trailingStopMaxDeviation = decimalOf(c.get(u"trailingStopMaxDeviation"_s));
        const FuturesResult r = e.editOrder(acc, p);
        JsonWriter w = success(c.now);
        writeStatus(w, "editStatus", r, c.now, "orderId");
        return done(w);
    }
    if (ep == u"cancelorder"_s) {
        const QString id = c.get(u"order_id"_s);
        const QString cli = c.get(u"cliOrdId"_s);
        if (id.isEmpty() && cli.isEmpty())
            return error(u"requiredArgumentMissing"_s, c.now);
        const FuturesResult r = e.cancelOrder(acc, id, cli);
        JsonWriter w = success(c.now);
        writeStatus(w, "cancelStatus", r, c.now, "order_id");
        return done(w);
    }
    if (ep == u"cancelallorders"_s) {
        const auto cancelled = e.cancelAll(acc, c.get(u"symbol"_s));
        JsonWriter w = success(c.now);
        w.key("cancelStatus").beginObject().key("receivedTime").value(isoMs(c.now));
        w.key("cancelOnly").value(c.has(u"symbol"_s) ? c.get(u"symbol"_s) : u"all"_s);
        w.key("status").value(cancelled.empty() ? "noOrdersToCancel" : "cancelled");
        w.key("cancelledOrders").beginArray();
        for (const FuturesOrder &o : cancelled) {
            w.beginObject().key("order_id").value(o.orderId);
            if (!o.cliOrdId.isEmpty())
                w.key("cliOrdId").value(o.cliOrdId);
            w.endObject();
        }
        w.endArray();
        std::vector<FuturesOrderEvent> events;
        for (const FuturesOrder &o : cancelled)
            events.push_back({u"CANCEL"_s, o, {}, {}, {}, {}, {}});
        writeEvents(w, events);
        w.endObject();
        return done(w);
    }
    if (ep == u"cancelallordersafter"_s) {
        bool ok = false;
        const int timeout = c.get(u"timeout"_s).toInt(&ok);
        if (!ok || timeout < 0)
            return error(u"invalidArgument"_s, c.now);
        const qint64 trigger = e.cancelAllOrdersAfter(acc, timeout);
        JsonWriter w = success(c.now);
        w.key("status").beginObject().key("currentTime").value(isoMs(c.now));
        w.key("triggerTime").value(isoMs(trigger > 0 ? trigger : 0)).endObject();
        return done(w);
    }
    // batchorder: json={"batchOrder":[{"order":"send"|"edit"|"cancel", ...}]}
    const QJsonDocument doc = QJsonDocument::fromJson(c.get(u"json"_s).toUtf8());
    const QJsonArray batch = doc.object().value(u"batchOrder"_s).toArray();
    if (!doc.isObject() || batch.isEmpty())
        return error(u"invalidArgument"_s, c.now);
    JsonWriter w = success(c.now);
    w.key("batchStatus").beginArray();
    for (const QJsonValue &v : batch) {
        const QJsonObject o = v.toObject();
        auto get = [&o](const QString &k) {
            const QJsonValue x = o.value(k);
            if (x.isDouble()) // JSON numbers read back through their shortest text
                return decimalFromJson(x).value_or(Decimal()).toString();
            if (x.isBool())
                return x.toBool() ? u"true"_s : u"false"_s;
            return x.toString();
        };
        const QString kind = get(u"order"_s);
        FuturesResult r;
        QByteArray idKey = "order_id";
        if (kind == u"send"_s) {
            FuturesOrderParams p = sendParams(get);
            // The batch spells the prices in snake case.
            if (!p.limitPrice)
                p.limitPrice = decimalOf(get(u"limit_price"_s));
            if (!p.stopPrice)
                p.stopPrice = decimalOf(get(u"stop_price"_s));
            r = e.sendOrder(acc, p);
        } else if (kind == u"edit"_s) {
            FuturesEngine::EditParams p;
            p.orderId = get(u"order_id"_s);
            p.cliOrdId = get(u"cliOrdId"_s);
            p.size = decimalOf(get(u"size"_s));
            p.limitPrice = decimalOf(get(u"limitPrice"_s));
            if (!p.limitPrice)
                p.limitPrice = decimalOf(get(u"limit_price"_s));
            p.stopPrice = decimalOf(get(u"stopPrice"_s));
            if (!p.stopPrice)
                p.stopPrice = decimalOf(get(u"stop_price"_s));
            r = e.editOrder(acc, p);
        } else if (kind == u"cancel"_s) {
            r = e.cancelOrder(acc, get(u"order_id"_s), get(u"cliOrdId"_s));
        } else {
            r.status = u"invalidArgument"_s;
        }
        w.beginObject().key("status").value(r.status);
        if (o.contains(u"order_tag"_s))
            w.key("order_tag").value(get(u"order_tag"_s));
        if (!r.orderId.isEmpty())
            w.key(idKey.constData()).value(r.orderId);
        if (!r.cliOrdId.isEmpty())
            w.key("cliOrdId").value(r.cliOrdId);
        w.key("dateTimeReceived").value(isoMs(c.now));
        writeEvents(w, r.events);
        w.endObject();
    }
    w.endArray();
    return done(w);
}

} // namespace kraken::sim
