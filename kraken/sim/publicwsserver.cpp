#include "publicwsserver.h"

#include "faults.h"
#include "kraken/book/orderbook.h"
#include "logging.h"
#include "loopbackurl.h"
#include "marketsim.h"
#include "simjson.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <random>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr int BookDepths[] = {10, 25, 100, 500, 1000};
constexpr int TradeSnapshotSize = 50;
constexpr int OhlcSnapshotSize = 50;
constexpr qint64 HeartbeatMs = 1000;

using RawLevels = std::vector<std::pair<qint64, qint64>>;

struct Conn;

void eraseOne(std::vector<Conn *> &v, Conn *c) {
    v.erase(std::remove(v.begin(), v.end(), c), v.end());
}

// What one (symbol, depth) book subscription holds, shared by every connection at that depth.
struct Mirror {
    Mirror(const QString &symbol, int depth, int pp, int qp)
        : book(symbol, depth, pp, qp) {}
    book::OrderBook book;
    RawLevels bids, asks; // the view last sent, best first, at most depth
    std::vector<Conn *> subscribers;
};

struct Feed {
    MarketSim *market = nullptr;
    const SimPair *pair = nullptr;
    QString symbol;
    qint64 lastTradeId = 0; // trades up to here have been broadcast
    std::map<int, std::unique_ptr<Mirror>> books;
    std::vector<Conn *> trade, tickerTrades, tickerBbo;
    std::map<int, std::vector<Conn *>> ohlc;
    std::optional<std::array<qint64, 4>> lastTop; // bid, bid qty, ask, ask qty
};

struct Conn {
    QWebSocket *ws = nullptr;
    qint64 lastSentMs = 0;
    bool closing = false;
    bool instrument = false;
    QHash<QString, int> books; // symbol -> depth
    QSet<QString> trades;
    QHash<QString, bool> tickers; // symbol -> bbo trigger
    QSet<QPair<QString, int>> ohlc;
    bool subscribedToData() const {
        return instrument || !books.isEmpty() || !trades.isEmpty() || !tickers.isEmpty() ||
               !ohlc.isEmpty();
    }
};

Decimal fromRaw(qint64 m, int scale) {
    return *Decimal::fromParts(m, scale);
}

// Kraken's diff of one book side: changed or new levels with their quantity, removed ones
// with 0, except levels that merely fell below a full depth (the subscriber truncates those
// itself, and Kraken sends no delete for them).
void diffSide(const RawLevels &old, const RawLevels &now, bool isBid, std::size_t depth,
              RawLevels &out) {
    out.clear();
    auto better = [isBid](qint64 a, qint64 b) { return isBid ? a > b : a < b; };
    const bool full = now.size() >= depth && !now.empty();
    std::size_t i = 0, j = 0;
    while (i < old.size() || j < now.size()) {
        if (j == now.size() || (i < old.size() && better(old[i].first, now[j].first))) {
            if (!(full && better(now.back().first, old[i].first)))
                out.emplace_back(old[i].first, 0);
            ++i;
        } else if (i == old.size() || better(now[j].first, old[i].first)) {
            out.push_back(now[j]);
            ++j;
        } else {
            if (old[i].second != now[j].second)
                out.push_back(now[j]);
            ++i;
            ++j;
        }
    }
}

} // namespace

struct PublicWsServer::Impl {
    PublicWsServer *q = nullptr;
    SimConfig config;
    Faults *faults = nullptr;
    QWebSocketServer server{u"KrakenTerm paper exchange"_s, QWebSocketServer::NonSecureMode};
    std::vector<std::unique_ptr<Feed>> feeds;
    QHash<QString, Feed *> feedBySymbol;
    std::map<QWebSocket *, std::unique_ptr<Conn>> conns;
    QTimer heartbeat, dropTimer;
    QElapsedTimer clock;
    std::mt19937_64 ids;
    qint64 maxPending = 32LL * 1024 * 1024;
    qint64 bookMessages = 0;
    RawLevels scratchBids, scratchAsks, diffBids, diffAsks;
    std::vector<book::LevelUpdate> updBids, updAsks;

    // ---- sending ------------------------------------------------------------------------

    void send(Conn &c, const QByteArray &frame) {
        if (c.closing)
            return;
        c.ws->sendTextMessage(QString::fromUtf8(frame));
        c.lastSentMs = clock.elapsed();
        if (c.ws->bytesToWrite() > maxPending) {
            qCWarning(lcSim).noquote() << "public WS: a client is" << c.ws->bytesToWrite()
                                       << "bytes behind; disconnecting it";
            c.closing = true;
            // Closed on the next turn: the caller may be iterating over subscribers.
            QTimer::singleShot(0, c.ws, [ws = c.ws] {
                ws->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          u"client too slow: send buffer limit exceeded"_s);
            });
        }
    }

    void sendAll(const std::vector<Conn *> &to, const QByteArray &frame) {
        for (Conn *c : to)
            send(*c, frame);
    }

    static void endReply(JsonWriter &w, const QString &timeIn, const std::optional<qint64> &reqId) {
        w.key("time_in").value(timeIn).key("time_out").value(rfc3339Now());
        if (reqId)
            w.key("req_id").value(*reqId);
        w.endObject();
    }

    void sendError(Conn &c, const QString &method, const QString &error, const QString &timeIn,
                   const std::optional<qint64> &reqId, const QString &symbol = {}) {
        JsonWriter w;
        w.beginObject().key("error").value(error);
        if (!method.isEmpty())
            w.key("method").value(method);
        w.key("success").value(false);
        if (!symbol.isEmpty())
            w.key("symbol").value(symbol);
        endReply(w, timeIn, reqId);
        send(c, w.take());
    }

    void sendAck(Conn &c, const QString &method, const QByteArray &result, const QString &timeIn,
                 const std::optional<qint64> &reqId) {
        JsonWriter w;
        w.beginObject().key("method").value(method).key("result").raw(result);
        w.key("success").value(true);
        endReply(w, timeIn, reqId);
        send(c, w.take());
    }

    QByteArray statusFrame(quint64 connectionId) const {
        JsonWriter w;
        w.beginObject().key("channel").value("status").key("type").value("update");
        w.key("data").beginArray().beginObject();
        w.key("api_version").value("v2");
        w.key("connection_id").raw(QByteArray::number(connectionId));
        w.key("system").value("online").key("version").value("2.0.10");
        w.endObject().endArray().endObject();
        return w.take();
    }

    // ---- frames -------------------------------------------------------------------------

    QByteArray instrumentFrame() const {
        JsonWriter w;
        w.beginObject().key("channel").value("instrument").key("type").value("snapshot");
        w.key("data").beginObject().key("assets").beginArray();
        for (const SimAsset &a : config.assets) {
            w.beginObject().key("id").value(a.display).key("status").value("enabled");
            w.key("precision").value(a.decimals).key("precision_display").value(a.displayDecimals);
            w.key("borrowable").value(false);
            w.key("collateral_value").value(Decimal::fromInt(0), 1);
            w.key("margin_rate").value(Decimal::fromInt(0), 1);
            w.endObject();
        }
        w.endArray().key("pairs").beginArray();
        for (const SimPair &p : config.pairs) {
            const Instrument &in = p.instrument;
            const bool marginable = !p.assetPair.value(u"leverage_buy"_s).toArray().isEmpty();
            w.beginObject().key("symbol").value(in.symbol());
            w.key("base").value(in.base()).key("quote").value(in.quote());
            w.key("status").value(in.status().isEmpty() ? u"online"_s : in.status());
            w.key("qty_precision").value(p.qtyPrecision);
            w.key("qty_increment").value(p.qtyIncrement, p.qtyPrecision);
            w.key("price_precision").value(p.pricePrecision);
            w.key("cost_precision").value(in.costDecimals());
            w.key("marginable").value(marginable);
            w.key("has_index").value(true);
            w.key("cost_min").value(in.costMin());
            if (marginable) {
                w.key("margin_initial").value(Decimal::fromParts(2, 1).value());
                w.key("position_limit_long").value(qint64(250));
                w.key("position_limit_short").value(qint64(200));
            }
            w.key("tick_size").value(p.priceIncrement, p.pricePrecision);
            w.key("price_increment").value(p.priceIncrement, p.pricePrecision);
            w.key("qty_min").value(in.orderMin());
            w.endObject();
        }
        w.endArray().endObject().endObject();
        return w.take();
    }

    void writeLevels(JsonWriter &w, const char *name, const RawLevels &levels, int pp, int qp) {
        w.key(name).beginArray();
        for (const auto &[p, qty] : levels) {
            w.beginObject().key("price").value(fromRaw(p, pp), pp);
            w.key("qty").value(fromRaw(qty, qp), qp).endObject();
        }
        w.endArray();
    }

    QByteArray bookFrame(const Feed &f, bool snapshot, const RawLevels &bids, const RawLevels &asks,
                         std::uint32_t checksum) {
        const int pp = f.pair->pricePrecision, qp = f.pair->qtyPrecision;
        if (faults && faults->nextBookChecksumBad())
            checksum ^= 0x5A5A5A5Au; // the mirror stays right: the subscriber must notice
        JsonWriter w;
        w.beginObject().key("channel").value("book");
        w.key("type").value(snapshot ? "snapshot" : "update");
        w.key("data").beginArray().beginObject().key("symbol").value(f.symbol);
        writeLevels(w, "bids", bids, pp, qp);
        writeLevels(w, "asks", asks, pp, qp);
        w.key("checksum").value(qint64(checksum));
        w.key("timestamp").value(rfc3339Now());
        w.endObject().endArray().endObject();
        return w.take();
    }

    QByteArray tickerFrame(const Feed &f, bool snapshot) const {
        const int pp = f.pair->pricePrecision, qp = f.pair->qtyPrecision;
        const TickerStats t = f.market->ticker();
        JsonWriter w;
        w.beginObject().key("channel").value("ticker");
        w.key("type").value(snapshot ? "snapshot" : "update");
        w.key("data").beginArray().beginObject().key("symbol").value(f.symbol);
        w.key("bid").value(t.bid, pp).key("bid_qty").value(t.bidQty, qp);
        w.key("ask").value(t.ask, pp).key("ask_qty").value(t.askQty, qp);
        w.key("last").value(t.last, pp).key("volume").value(t.volume, qp);
        w.key("vwap").value(t.vwap, pp).key("low").value(t.low, pp);
        w.key("high").value(t.high, pp).key("change").value(t.change, pp);
        w.key("change_pct").value(t.changePct, 2);
        w.key("timestamp").value(rfc3339Now());
        w.endObject().endArray().endObject();
        return w.take();
    }

    QByteArray tradeFrame(const Feed &f, bool snapshot, const std::vector<MarketTrade> &trades,
                          std::size_t from) const {
        const int pp = f.pair->pricePrecision, qp = f.pair->qtyPrecision;
        JsonWriter w;
        w.beginObject().key("channel").value("trade");
        w.key("type").value(snapshot ? "snapshot" : "update");
        w.key("data").beginArray();
        for (std::size_t i = from; i < trades.size(); ++i) {
            const MarketTrade &t = trades[i];
            w.beginObject().key("symbol").value(f.symbol);
            w.key("side").value(sideName(t.takerSide));
            w.key("price").value(t.price, pp).key("qty").value(t.qty, qp);
            w.key("ord_type").value(t.marketOrder ? "market" : "limit");
            w.key("trade_id").value(t.tradeId);
            w.key("timestamp").value(rfc3339(t.time));
            w.endObject();
        }
        w.endArray().endObject();
        return w.take();
    }

    QByteArray ohlcFrame(const Feed &f, bool snapshot, const std::vector<OhlcBar> &bars,
                         std::size_t from) const {
        const int pp = f.pair->pricePrecision, qp = f.pair->qtyPrecision;
        const QString now = rfc3339Now();
        JsonWriter w;
        w.beginObject().key("channel").value("ohlc");
        w.key("type").value(snapshot ? "snapshot" : "update");
        w.key("data").beginArray();
        for (std::size_t i = from; i < bars.size(); ++i) {
            const OhlcBar &b = bars[i];
            w.beginObject().key("symbol").value(f.symbol);
            w.key("open").value(b.open, pp).key("high").value(b.high, pp);
            w.key("low").value(b.low, pp).key("close").value(b.close, pp);
            w.key("trades").value(b.trades).key("volume").value(b.volume, qp);
            w.key("vwap").value(b.vwap, pp);
            w.key("interval_begin").value(rfc3339(b.begin));
            w.key("interval").value(b.intervalMinutes);
            w.key("timestamp").value(now);
            w.endObject();
        }
        w.endArray().endObject();
        return w.take();
    }

    // ---- market events ------------------------------------------------------------------

    void onPublished(Feed &f) {
        // Books: one diff per (symbol, depth), the same frame for every subscriber.
        for (auto &[depth, mirror] : f.books) {
            if (mirror->subscribers.empty())
                continue;
            f.market->rawLevels(Side::Buy, depth, scratchBids);
            f.market->rawLevels(Side::Sell, depth, scratchAsks);
            diffSide(mirror->bids, scratchBids, true, std::size_t(depth), diffBids);
            diffSide(mirror->asks, scratchAsks, false, std::size_t(depth), diffAsks);
            if (diffBids.empty() && diffAsks.empty())
                continue;
            std::swap(mirror->bids, scratchBids);
            std::swap(mirror->asks, scratchAsks);
            const int pp = f.pair->pricePrecision, qp = f.pair->qtyPrecision;
            auto toUpdates = [&](const RawLevels &raw, std::vector<book::LevelUpdate> &out) {
                out.clear();
                for (const auto &[p, qty] : raw)
                    out.push_back({fromRaw(p, pp), fromRaw(qty, qp)});
            };
            toUpdates(diffBids, updBids);
            toUpdates(diffAsks, updAsks);
            const auto status = mirror->book.applyUpdate(updBids, updAsks);
            if (status != book::ApplyStatus::Ok)
                qCWarning(lcSim).noquote() << f.symbol << "book mirror refused an update";
            const std::uint32_t checksum = mirror->book.checksum();
            // A dropped update still moves the mirror: subscribers see the gap as a checksum
            // mismatch on the next message, as they would on a real lost frame.
            if (faults && faults->nextBookUpdateDropped())
                continue;
            const QByteArray frame = bookFrame(f, false, diffBids, diffAsks, checksum);
            sendAll(mirror->subscribers, frame);
            bookMessages += qint64(mirror->subscribers.size());
        }

        // Trades, and what follows from them: trade-triggered tickers and candles.
        std::vector<MarketTrade> fresh = f.market->tradesSince(f.lastTradeId);
        if (!fresh.empty()) {
            f.lastTradeId = fresh.back().tradeId;
            if (!f.trade.empty())
                sendAll(f.trade, tradeFrame(f, false, fresh, 0));
            if (!f.tickerTrades.empty())
                sendAll(f.tickerTrades, tickerFrame(f, false));
            for (auto &[interval, subs] : f.ohlc) {
                if (subs.empty())
                    continue;
                const qint64 len = qint64(interval) * 60;
                const qint64 t = fresh.front().time.toSecsSinceEpoch();
                const auto bars = f.market->bars(
                    interval, QDateTime::fromSecsSinceEpoch(t - ((t % len) + len) % len, Qt::UTC));
                if (!bars.empty())
                    sendAll(subs, ohlcFrame(f, false, bars, 0));
            }
        }
        if (!f.tickerBbo.empty()) {
            f.market->rawLevels(Side::Buy, 1, scratchBids);
            f.market->rawLevels(Side::Sell, 1, scratchAsks);
            std::array<qint64, 4> top{};
            if (!scratchBids.empty())
                top[0] = scratchBids[0].first, top[1] = scratchBids[0].second;
            if (!scratchAsks.empty())
                top[2] = scratchAsks[0].first, top[3] = scratchAsks[0].second;
            if (f.lastTop != top) {
                f.lastTop = top;
                sendAll(f.tickerBbo, tickerFrame(f, false));
            }
        }
    }

    // ---- requests -----------------------------------------------------------------------

    void onText(Conn &c, const QString &text, const QString &timeIn) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            sendError(c, {}, u"Malformed request: not a JSON object"_s, timeIn, std::nullopt);
            return;
        }
        const QJsonObject o = doc.object();
        std::optional<qint64> reqId;
        if (o.value(u"req_id"_s).isDouble())
            reqId = o.value(u"req_id"_s).toInteger();
        const QJsonValue methodValue = o.value(u"method"_s);
        if (!methodValue.isString()) {
            sendError(c, {}, u"Malformed request: missing method"_s, timeIn, reqId);
            return;
        }
        const QString method = methodValue.toString();
        if (method == u"ping"_s) {
            JsonWriter w;
            w.beginObject().key("method").value("pong");
            if (reqId)
                w.key("req_id").value(*reqId);
            w.key("time_in").value(timeIn).key("time_out").value(rfc3339Now()).endObject();
            send(c, w.take());
            return;
        }
        if (method != u"subscribe"_s && method != u"unsubscribe"_s) {
            sendError(c, method, u"Method not supported: "_s + method, timeIn, reqId);
            return;
        }
        if (!o.value(u"params"_s).isObject()) {
            sendError(c, method, u"Malformed request: params must be an object"_s, timeIn, reqId);
            return;
        }
        subscription(c, method == u"subscribe"_s, o.value(u"params"_s).toObject(), timeIn, reqId);
    }

    void subscription(Conn &c, bool subscribe, const QJsonObject &params, const QString &timeIn,
                      const std::optional<qint64> &reqId) {
        const QString method = subscribe ? u"subscribe"_s : u"unsubscribe"_s;
        const QString channel = params.value(u"channel"_s).toString();
        bool snapshot = true;
        if (params.contains(u"snapshot"_s)) {
            if (!params.value(u"snapshot"_s).isBool())
                return sendError(c, method, u"snapshot must be a boolean"_s, timeIn, reqId);
            snapshot = params.value(u"snapshot"_s).toBool();
        }
        if (channel == u"instrument"_s || channel == u"status"_s || channel == u"heartbeat"_s) {
            JsonWriter r;
            r.beginObject().key("channel").value(channel);
            if (subscribe && channel == u"instrument"_s)
                r.key("snapshot").value(snapshot);
            r.key("warnings").beginArray().endArray().endObject();
            if (channel == u"instrument"_s) {
                if (subscribe == c.instrument)
                    return sendError(c, method,
                                     subscribe ? u"Already subscribed"_s
                                               : u"Subscription Not Found"_s,
                                     timeIn, reqId);
                c.instrument = subscribe;
            }
            sendAck(c, method, r.take(), timeIn, reqId);
            if (subscribe && channel == u"instrument"_s && snapshot)
                send(c, instrumentFrame());
            if (subscribe && channel == u"status"_s)
                send(c, statusFrame(ids()));
            return;
        }
        if (channel != u"book"_s && channel != u"ticker"_s && channel != u"trade"_s &&
            channel != u"ohlc"_s)
            return sendError(c, method,
                             channel.isEmpty() ? u"Malformed request: channel is required"_s
                                               : u"Channel "_s + channel + u" not supported"_s,
                             timeIn, reqId);

        int depth = 10, interval = 0;
        bool bbo = false;
        if (channel == u"book"_s && params.contains(u"depth"_s)) {
            const QJsonValue v = params.value(u"depth"_s);
            depth = v.isDouble() && v.toDouble() == double(v.toInt()) ? v.toInt() : -1;
            if (std::find(std::begin(BookDepths), std::end(BookDepths), depth) ==
                std::end(BookDepths))
                return sendError(c, method, u"Invalid depth: must be 10, 25, 100, 500 or 1000"_s,
                                 timeIn, reqId);
        }
        if (channel == u"ohlc"_s) {
            const QJsonValue v = params.value(u"interval"_s);
            interval = v.isDouble() && v.toDouble() == double(v.toInt()) ? v.toInt() : -1;
            if (std::find(std::begin(OhlcIntervals), std::end(OhlcIntervals), interval) ==
                std::end(OhlcIntervals))
                return sendError(
                    c, method,
                    u"Invalid interval: must be 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600"_s,
                    timeIn, reqId);
        }
        if (channel == u"ticker"_s && params.contains(u"event_trigger"_s)) {
            const QString trigger = params.value(u"event_trigger"_s).toString();
            if (trigger != u"trades"_s && trigger != u"bbo"_s)
                return sendError(c, method, u"Invalid event_trigger: must be trades or bbo"_s,
                                 timeIn, reqId);
            bbo = trigger == u"bbo"_s;
        }
        const QJsonValue symbols = params.value(u"symbol"_s);
        if (!symbols.isArray() || symbols.toArray().isEmpty())
            return sendError(c, method, u"Malformed request: symbol must be a non-empty array"_s,
                             timeIn, reqId);
        for (const QJsonValue &sv : symbols.toArray()) {
            const QString symbol = sv.toString();
            Feed *f = feedBySymbol.value(symbol);
            if (!f) {
                sendError(c, method, u"Currency pair not supported "_s + symbol, timeIn, reqId,
                          symbol);
                continue;
            }
            JsonWriter r;
            r.beginObject().key("channel").value(channel);
            if (channel == u"book"_s)
                r.key("depth").value(depth);
            if (channel == u"ticker"_s)
                r.key("event_trigger").value(bbo ? "bbo" : "trades");
            if (channel == u"ohlc"_s)
                r.key("interval").value(interval);
            if (subscribe)
                r.key("snapshot").value(snapshot);
            r.key("symbol").value(symbol);
            if (subscribe)
                r.key("warnings").beginArray().endArray();
            r.endObject();
            const QString problem = subscribe ? add(c, *f, channel, depth, interval, bbo)
                                              : remove(c, *f, channel, depth, interval);
            if (!problem.isEmpty()) {
                sendError(c, method, problem, timeIn, reqId, symbol);
                continue;
            }
            sendAck(c, method, r.take(), timeIn, reqId);
            if (subscribe && snapshot)
                sendSnapshot(c, *f, channel, depth, interval);
        }
    }

    QString add(Conn &c, Feed &f, const QString &channel, int depth, int interval, bool bbo) {
        Conn *cp = &c;
        if (channel == u"book"_s) {
            if (c.books.contains(f.symbol))
                return u"Already subscribed"_s;
            c.books.insert(f.symbol, depth);
            auto &mirror = f.books[depth];
            if (!mirror) {
                mirror = std::make_unique<Mirror>(f.symbol, depth, f.pair->pricePrecision,
                                                  f.pair->qtyPrecision);
                f.market->rawLevels(Side::Buy, depth, mirror->bids);
                f.market->rawLevels(Side::Sell, depth, mirror->asks);
                std::vector<book::LevelUpdate> b, a;
                for (const auto &[p, qty] : mirror->bids)
                    b.push_back(
                        {fromRaw(p, f.pair->pricePrecision), fromRaw(qty, f.pair->qtyPrecision)});
                for (const auto &[p, qty] : mirror->asks)
                    a.push_back(
                        {fromRaw(p, f.pair->pricePrecision), fromRaw(qty, f.pair->qtyPrecision)});
                mirror->book.applySnapshot(b, a);
            }
            mirror->subscribers.push_back(cp);
        } else if (channel == u"trade"_s) {
            if (c.trades.contains(f.symbol))
                return u"Already subscribed"_s;
            c.trades.insert(f.symbol);
            f.trade.push_back(cp);
        } else if (channel == u"ticker"_s) {
            if (c.tickers.contains(f.symbol))
                return u"Already subscribed"_s;
            c.tickers.insert(f.symbol, bbo);
            (bbo ? f.tickerBbo : f.tickerTrades).push_back(cp);
        } else if (channel == u"ohlc"_s) {
            if (c.ohlc.contains({f.symbol, interval}))
                return u"Already subscribed"_s;
            c.ohlc.insert({f.symbol, interval});
            f.ohlc[interval].push_back(cp);
        }
        return {};
    }

    QString remove(Conn &c, Feed &f, const QString &channel, int depth, int interval) {
        const QString notFound = u"Subscription Not Found"_s;
        if (channel == u"book"_s) {
            if (c.books.value(f.symbol, -1) != depth)
                return notFound;
            c.books.remove(f.symbol);
            unsubscribeBook(f, &c, depth);
        } else if (channel == u"trade"_s) {
            if (!c.trades.remove(f.symbol))
                return notFound;
            eraseOne(f.trade, &c);
        } else if (channel == u"ticker"_s) {
            if (!c.tickers.contains(f.symbol))
                return notFound;
            c.tickers.remove(f.symbol);
            eraseOne(f.tickerBbo, &c);
            eraseOne(f.tickerTrades, &c);
        } else if (channel == u"ohlc"_s) {
            if (!c.ohlc.remove({f.symbol, interval}))
                return notFound;
            eraseOne(f.ohlc[interval], &c);
        }
        return {};
    }

    void unsubscribeBook(Feed &f, Conn *c, int depth) {
        const auto it = f.books.find(depth);
        if (it == f.books.end())
            return;
        eraseOne(it->second->subscribers, c);
        if (it->second->subscribers.empty())
            f.books.erase(it); // nobody holds it: the next subscriber starts a fresh mirror
    }

    void sendSnapshot(Conn &c, Feed &f, const QString &channel, int depth, int interval) {
        if (channel == u"book"_s) {
            const Mirror &m = *f.books.at(depth);
            send(c, bookFrame(f, true, m.bids, m.asks, m.book.checksum()));
            ++bookMessages;
        } else if (channel == u"trade"_s) {
            // Up to the broadcast mark: later trades reach this client as updates.
            std::vector<MarketTrade> recent;
            for (const MarketTrade &t : f.market->recentTrades()) {
                if (t.tradeId <= f.lastTradeId)
                    recent.push_back(t);
            }
            const std::size_t from = recent.size() > std::size_t(TradeSnapshotSize)
                                         ? recent.size() - std::size_t(TradeSnapshotSize)
                                         : 0;
            send(c, tradeFrame(f, true, recent, from));
        } else if (channel == u"ticker"_s) {
            send(c, tickerFrame(f, true));
        } else if (channel == u"ohlc"_s) {
            const auto bars = f.market->bars(interval);
            const std::size_t from = bars.size() > std::size_t(OhlcSnapshotSize)
                                         ? bars.size() - std::size_t(OhlcSnapshotSize)
                                         : 0;
            send(c, ohlcFrame(f, true, bars, from));
        }
    }

    // ---- connections --------------------------------------------------------------------

    void onNewConnection() {
        while (QWebSocket *ws = server.nextPendingConnection()) {
            ws->setParent(q);
            ws->setMaxAllowedIncomingMessageSize(64 * 1024);
            auto conn = std::make_unique<Conn>();
            conn->ws = ws;
            Conn *c = conn.get();
            conns.emplace(ws, std::move(conn));
            QObject::connect(ws, &QWebSocket::textMessageReceived, q,
                             [this, ws](const QString &text) { onMessage(ws, text); });
            QObject::connect(
                ws, &QWebSocket::binaryMessageReceived, q,
                [this, ws](const QByteArray &bytes) { onMessage(ws, QString::fromUtf8(bytes)); });
            QObject::connect(ws, &QWebSocket::disconnected, q, [this, ws] { drop(ws); });
            send(*c, statusFrame(ids() >> 1));
            Q_EMIT q->clientCountChanged(int(conns.size()));
        }
    }

    void onMessage(QWebSocket *ws, const QString &text) {
        const QString timeIn = rfc3339Now();
        const int delay = faults ? faults->settings().wsDelayMs : 0;
        if (delay <= 0) {
            const auto it = conns.find(ws);
            if (it != conns.end())
                onText(*it->second, text, timeIn);
            return;
        }
        // Single-shot timers of equal delay fire in order: answers keep their order.
        QTimer::singleShot(delay, ws, [this, ws, text, timeIn] {
            const auto it = conns.find(ws);
            if (it != conns.end())
                onText(*it->second, text, timeIn);
        });
    }

    void drop(QWebSocket *ws) {
        const auto it = conns.find(ws);
        if (it == conns.end())
            return;
        Conn *c = it->second.get();
        for (auto &f : feeds) {
            for (auto bit = f->books.begin(); bit != f->books.end();) {
                eraseOne(bit->second->subscribers, c);
                bit = bit->second->subscribers.empty() ? f->books.erase(bit) : std::next(bit);
            }
            eraseOne(f->trade, c);
            eraseOne(f->tickerTrades, c);
            eraseOne(f->tickerBbo, c);
            for (auto &[interval, subs] : f->ohlc)
                eraseOne(subs, c);
        }
        conns.erase(it);
        ws->deleteLater();
        Q_EMIT q->clientCountChanged(int(conns.size()));
    }

    void closeAll(const QString &reason) {
        // close() may report the disconnection at once, which erases from `conns`.
        std::vector<QPointer<QWebSocket>> sockets;
        for (auto &[ws, c] : conns) {
            if (!c->closing) {
                c->closing = true;
                sockets.emplace_back(ws);
            }
        }
        for (const QPointer<QWebSocket> &ws : sockets) {
            if (ws)
                ws->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
        }
    }

    void onHeartbeat() {
        const qint64 now = clock.elapsed();
        static const QByteArray frame = "{\"channel\":\"heartbeat\"}"_ba;
        for (auto &[ws, c] : conns) {
            if (c->subscribedToData() && now - c->lastSentMs >= HeartbeatMs - 100)
                send(*c, frame);
        }
    }

    void applyFaultSettings() {
        const int every = faults ? faults->settings().wsDropEverySec : 0;
        if (every <= 0) {
            dropTimer.stop();
        } else if (!dropTimer.isActive() || dropTimer.interval() != every * 1000) {
            dropTimer.start(every * 1000);
        }
    }
};

PublicWsServer::PublicWsServer(const SimConfig &config, std::vector<MarketSim *> markets,
                               Faults *faults, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->config = config;
    d->faults = faults;
    d->ids.seed(config.seed * 0x2545F4914F6CDD1Dull + 1);
    d->clock.start();
    for (MarketSim *m : markets) {
        const SimPair *pair = d->config.pairBySymbol(m->symbol());
        if (!pair) {
            qCWarning(lcSim).noquote() << "public WS: no pair in the config for" << m->symbol();
            continue;
        }
        auto feed = std::make_unique<Feed>();
        feed->market = m;
        feed->pair = pair;
        feed->symbol = m->symbol();
        feed->lastTradeId = m->recentTrades().empty() ? 0 : m->recentTrades().back().tradeId;
        Feed *f = feed.get();
        d->feedBySymbol.insert(f->symbol, f);
        d->feeds.push_back(std::move(feed));
        connect(m, &MarketSim::published, this, [this, f] { d->onPublished(*f); });
    }
    connect(&d->server, &QWebSocketServer::newConnection, this, [this] { d->onNewConnection(); });
    d->heartbeat.setParent(this);
    d->dropTimer.setParent(this);
    connect(&d->heartbeat, &QTimer::timeout, this, [this] { d->onHeartbeat(); });
    d->heartbeat.start(int(HeartbeatMs / 4));
    connect(&d->dropTimer, &QTimer::timeout, this,
            [this] { d->closeAll(u"paper exchange fault: ws_drop_every_sec"_s); });
    if (faults) {
        connect(faults, &Faults::dropWsNow, this,
                [this] { d->closeAll(u"paper exchange fault: drop_ws_now"_s); });
        connect(faults, &Faults::changed, this, [this] { d->applyFaultSettings(); });
        d->applyFaultSettings();
    }
}

PublicWsServer::~PublicWsServer() {
    for (auto &[ws, c] : d->conns) {
        ws->disconnect(this);
        ws->abort();
    }
    d->server.close();
}

bool PublicWsServer::listen(const QHostAddress &address, quint16 port) {
    if (!d->server.listen(address, port)) {
        qCWarning(lcSim).noquote() << "public WS cannot listen:" << d->server.errorString();
        return false;
    }
    return true;
}

QUrl PublicWsServer::url() const {
    return loopbackWsUrl(d->server, u"/v2"_s);
}

void PublicWsServer::closeAll() {
    d->closeAll(u"paper exchange closing"_s);
}

int PublicWsServer::clientCount() const {
    return int(d->conns.size());
}

void PublicWsServer::setMaxPendingBytes(qint64 bytes) {
    d->maxPending = bytes;
}

qint64 PublicWsServer::bookMessagesSent() const {
    return d->bookMessages;
}

} // namespace kraken::sim
