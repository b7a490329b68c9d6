#include "publicrest.h"

#include "marketsim.h"
#include "simjson.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <memory>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

const QString UnknownPair = u"EQuery:Unknown asset pair"_s;
const QString UnknownAsset = u"EQuery:Unknown asset"_s;
const QString InvalidArguments = u"EGeneral:Invalid arguments"_s;

struct Context {
    SimConfig config;
    QHash<QString, MarketSim *> markets; // by WS v2 symbol

    const SimPair *pair(const QString &name) const { return config.pairByAnyName(name); }
    MarketSim *market(const SimPair &p) const { return markets.value(p.instrument.symbol()); }

    // The single `pair` parameter of Depth/OHLC/Trades/Spread, resolved to its market.
    std::pair<const SimPair *, MarketSim *> one(const RestRequest &r) const {
        const QStringList names = listParam(r.params, u"pair"_s);
        if (names.size() != 1)
            return {nullptr, nullptr};
        const SimPair *p = pair(names.first().trimmed());
        return {p, p ? market(*p) : nullptr};
    }
};

QString price(const SimPair &p, const Decimal &d) {
    return d.toString(p.pricePrecision);
}
QString volume(const SimPair &p, const Decimal &d) {
    return d.toString(p.qtyPrecision);
}

double epochSeconds(qint64 ns) {
    // Microseconds are all a double carries exactly at today's epoch; Kraken prints 4-6 places.
    return double(ns / 1000) / 1e6;
}

RestResponse time(const RestRequest &) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return RestResponse::ok(QJsonObject{
        {u"unixtime"_s, now.toSecsSinceEpoch()},
        {u"rfc1123"_s, QLocale::c().toString(now, u"ddd, dd MMM yy HH:mm:ss +0000"_s)}});
}

RestResponse systemStatus(const RestRequest &) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return RestResponse::ok(QJsonObject{{u"status"_s, u"online"_s},
                                        {u"timestamp"_s, now.toString(u"yyyy-MM-ddTHH:mm:ssZ"_s)}});
}

RestResponse assets(const Context &c, const RestRequest &r) {
    const QStringList wanted = listParam(r.params, u"asset"_s);
    QJsonObject out;
    auto entry = [](const SimAsset &a) {
        return QJsonObject{{u"aclass"_s, u"currency"_s},
                           {u"altname"_s, a.altname},
                           {u"decimals"_s, a.decimals},
                           {u"display_decimals"_s, a.displayDecimals},
                           {u"status"_s, u"enabled"_s}};
    };
    if (wanted.isEmpty()) {
        for (const SimAsset &a : c.config.assets)
            out.insert(a.code, entry(a));
        return RestResponse::ok(out);
    }
    for (const QString &w : wanted) {
        const QString name = w.trimmed();
        const SimAsset *found = nullptr;
        for (const SimAsset &a : c.config.assets) {
            if (a.code.compare(name, Qt::CaseInsensitive) == 0 ||
                a.altname.compare(name, Qt::CaseInsensitive) == 0 ||
                a.display.compare(name, Qt::CaseInsensitive) == 0)
                found = &a;
        }
        if (!found)
            return RestResponse::error(UnknownAsset);
        out.insert(found->code, entry(*found));
    }
    return RestResponse::ok(out);
}

QJsonObject pairInfo(const SimPair &p, const QString &info) {
    const QJsonObject &a = p.assetPair;
    auto pick = [&a](std::initializer_list<const char16_t *> keys) {
        QJsonObject o;
        for (const char16_t *k : keys) {
            const QString key = QString::fromUtf16(k);
            if (a.contains(key))
                o.insert(key, a.value(key));
        }
        return o;
    };
    if (info == u"leverage"_s)
        return pick({u"leverage_buy", u"leverage_sell"});
    if (info == u"fees"_s)
        return pick({u"fees", u"fees_maker", u"fee_volume_currency"});
    if (info == u"margin"_s)
        return pick({u"margin_call", u"margin_stop", u"margin_level"});
    return a;
}

RestResponse assetPairs(const Context &c, const RestRequest &r) {
    const QString info = stringParam(r.params, u"info"_s);
    if (!info.isEmpty() && info != u"info"_s && info != u"leverage"_s && info != u"fees"_s &&
        info != u"margin"_s)
        return RestResponse::error(InvalidArguments + u":info"_s);
    const QStringList wanted = listParam(r.params, u"pair"_s);
    QJsonObject out;
    if (wanted.isEmpty()) {
        for (const SimPair &p : c.config.pairs)
            out.insert(p.restKey, pairInfo(p, info));
        return RestResponse::ok(out);
    }
    for (const QString &w : wanted) {
        const SimPair *p = c.pair(w.trimmed());
        if (!p)
            return RestResponse::error(UnknownPair);
        out.insert(p->restKey, pairInfo(*p, info));
    }
    return RestResponse::ok(out);
}

QJsonObject tickerEntry(const SimPair &p, const MarketSim &m) {
    const TickerStats t = m.ticker();
    auto whole = [](const Decimal &q) { return q.toString(0, Rounding::Down); };
    auto pv = [&p](const Decimal &d) { return price(p, d); };
    return QJsonObject{
        {u"a"_s, QJsonArray{pv(t.ask), whole(t.askQty), volume(p, t.askQty)}},
        {u"b"_s, QJsonArray{pv(t.bid), whole(t.bidQty), volume(p, t.bidQty)}},
        {u"c"_s, QJsonArray{pv(t.last), volume(p, t.lastQty)}},
        {u"v"_s, QJsonArray{volume(p, t.todayVolume), volume(p, t.volume)}},
        {u"p"_s, QJsonArray{pv(t.todayVwap), pv(t.vwap)}},
        {u"t"_s, QJsonArray{t.todayTrades, t.trades}},
        {u"l"_s, QJsonArray{pv(t.todayLow), pv(t.low)}},
        {u"h"_s, QJsonArray{pv(t.todayHigh), pv(t.high)}},
        {u"o"_s, pv(t.todayOpen)},
    };
}

RestResponse ticker(const Context &c, const RestRequest &r) {
    const QStringList wanted = listParam(r.params, u"pair"_s);
    QJsonObject out;
    if (wanted.isEmpty()) {
        for (const SimPair &p : c.config.pairs) {
            if (const MarketSim *m = c.market(p))
                out.insert(p.restKey, tickerEntry(p, *m));
        }
        return RestResponse::ok(out);
    }
    for (const QString &w : wanted) {
        const SimPair *p = c.pair(w.trimmed());
        const MarketSim *m = p ? c.market(*p) : nullptr;
        if (!m)
            return RestResponse::error(UnknownPair);
        out.insert(p->restKey, tickerEntry(*p, *m));
    }
    return RestResponse::ok(out);
}

// `count`: absent gives `fallback`; above `max` is clipped, as Kraken does; below 1 is an error.
std::optional<qint64> countParam(const RestRequest &r, qint64 fallback, qint64 max) {
    if (!r.params.contains(u"count"_s))
        return fallback;
    const auto n = intParam(r.params, u"count"_s);
    if (!n || *n < 1)
        return std::nullopt;
    return std::min(*n, max);
}

RestResponse depth(const Context &c, const RestRequest &r) {
    const auto [p, m] = c.one(r);
    if (!m)
        return RestResponse::error(UnknownPair);
    const auto count = countParam(r, 100, 500);
    if (!count)
        return RestResponse::error(InvalidArguments + u":count"_s);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto side = [&, p = p, m = m](Side s) {
        QJsonArray out;
        for (const SimLevel &l : m->levels(s, int(*count)))
            out.append(QJsonArray{price(*p, l.price), volume(*p, l.qty), now});
        return out;
    };
    return RestResponse::ok(QJsonObject{
        {p->restKey, QJsonObject{{u"asks"_s, side(Side::Sell)}, {u"bids"_s, side(Side::Buy)}}}});
}

RestResponse ohlc(const Context &c, const RestRequest &r) {
    const auto [p, m] = c.one(r);
    if (!m)
        return RestResponse::error(UnknownPair);
    int interval = 1;
    if (r.params.contains(u"interval"_s)) {
        const auto n = intParam(r.params, u"interval"_s);
        const auto *end = std::end(OhlcIntervals);
        if (!n || std::find(std::begin(OhlcIntervals), end, int(*n)) == end)
            return RestResponse::error(InvalidArguments + u":interval"_s);
        interval = int(*n);
    }
    QDateTime since;
    if (r.params.contains(u"since"_s)) {
        const auto n = intParam(r.params, u"since"_s);
        if (!n)
            return RestResponse::error(InvalidArguments + u":since"_s);
        since = QDateTime::fromSecsSinceEpoch(*n + 1, Qt::UTC); // bars after `since`
    }
    std::vector<OhlcBar> bars = m->bars(interval, since);
    if (bars.size() > 720)
        bars.erase(bars.begin(), bars.end() - 720);
    QJsonArray rows;
    for (const OhlcBar &b : bars)
        rows.append(QJsonArray{b.begin.toSecsSinceEpoch(), price(*p, b.open), price(*p, b.high),
                               price(*p, b.low), price(*p, b.close), price(*p, b.vwap),
                               volume(*p, b.volume), b.trades});
    // `last`: the newest committed bar (the forming one is last in the list and still moves).
    const std::vector<OhlcBar> all = m->bars(interval);
    qint64 last = 0;
    if (all.size() >= 2)
        last = all[all.size() - 2].begin.toSecsSinceEpoch();
    else if (!all.empty())
        last = all.back().begin.toSecsSinceEpoch();
    return RestResponse::ok(QJsonObject{{p->restKey, rows}, {u"last"_s, last}});
}

RestResponse trades(const Context &c, const RestRequest &r) {
    const auto [p, m] = c.one(r);
    if (!m)
        return RestResponse::error(UnknownPair);
    const auto count = countParam(r, 1000, 1000);
    if (!count)
        return RestResponse::error(InvalidArguments + u":count"_s);
    std::optional<qint64> sinceNs;
    if (r.params.contains(u"since"_s)) {
        const auto n = intParam(r.params, u"since"_s);
        if (!n || *n < 0)
            return RestResponse::error(InvalidArguments + u":since"_s);
        // Kraken's cursor is nanoseconds; plain seconds are still accepted.
        sinceNs = *n < 100'000'000'000LL ? *n * 1'000'000'000LL : *n;
    }
    const auto &tape = m->recentTrades();
    const auto &times = m->recentTradeTimesNs();
    std::size_t first = 0;
    if (sinceNs) {
        first = std::size_t(std::upper_bound(times.begin(), times.end(), *sinceNs) - times.begin());
    } else if (tape.size() > std::size_t(*count)) {
        first = tape.size() - std::size_t(*count);
    }
    const std::size_t end = std::min(tape.size(), first + std::size_t(*count));
    QJsonArray rows;
    qint64 last = sinceNs.value_or(times.empty() ? 0 : times.back());
    for (std::size_t i = first; i < end; ++i) {
        const MarketTrade &t = tape[i];
        rows.append(QJsonArray{price(*p, t.price), volume(*p, t.qty), epochSeconds(times[i]),
                               t.takerSide == Side::Buy ? u"b"_s : u"s"_s,
                               t.marketOrder ? u"m"_s : u"l"_s, QString(), t.tradeId});
        last = times[i];
    }
    return RestResponse::ok(QJsonObject{{p->restKey, rows}, {u"last"_s, QString::number(last)}});
}

RestResponse spread(const Context &c, const RestRequest &r) {
    const auto [p, m] = c.one(r);
    if (!m)
        return RestResponse::error(UnknownPair);
    qint64 since = 0;
    if (r.params.contains(u"since"_s)) {
        const auto n = intParam(r.params, u"since"_s);
        if (!n)
            return RestResponse::error(InvalidArguments + u":since"_s);
        since = *n;
    }
    std::vector<SpreadSample> samples = m->spreadHistory();
    // The current top, even if it was never published yet.
    const auto bid = m->bestBid(), ask = m->bestAsk();
    if (bid && ask) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        if (samples.empty() || samples.back().bid != *bid || samples.back().ask != *ask)
            samples.push_back(
                {std::max(now, samples.empty() ? now : samples.back().timeSec), *bid, *ask});
    }
    QJsonArray rows;
    qint64 last = since;
    for (const SpreadSample &s : samples) {
        if (s.timeSec <= since)
            continue;
        rows.append(QJsonArray{s.timeSec, price(*p, s.bid), price(*p, s.ask)});
        last = s.timeSec;
    }
    return RestResponse::ok(QJsonObject{{p->restKey, rows}, {u"last"_s, last}});
}

} // namespace

void registerPublicRest(RestRouter &router, const SimConfig &config,
                        const std::vector<MarketSim *> &markets) {
    auto c = std::make_shared<Context>();
    c->config = config;
    for (MarketSim *m : markets)
        c->markets.insert(m->symbol(), m);
    router.addPublic(u"Time"_s, time);
    router.addPublic(u"SystemStatus"_s, systemStatus);
    router.addPublic(u"Assets"_s, [c](const RestRequest &r) { return assets(*c, r); });
    router.addPublic(u"AssetPairs"_s, [c](const RestRequest &r) { return assetPairs(*c, r); });
    router.addPublic(u"Ticker"_s, [c](const RestRequest &r) { return ticker(*c, r); });
    router.addPublic(u"Depth"_s, [c](const RestRequest &r) { return depth(*c, r); });
    router.addPublic(u"OHLC"_s, [c](const RestRequest &r) { return ohlc(*c, r); });
    router.addPublic(u"Trades"_s, [c](const RestRequest &r) { return trades(*c, r); });
    router.addPublic(u"Spread"_s, [c](const RestRequest &r) { return spread(*c, r); });
}

} // namespace kraken::sim
