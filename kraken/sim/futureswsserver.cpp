#include "futureswsserver.h"

#include "faults.h"
#include "futuresengine.h"
#include "logging.h"
#include "loopbackurl.h"
#include "marketsim.h"
#include "simjson.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <map>
#include <random>
#include <utility>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr int TradeSnapshotSize = 100;
// Requests are small JSON objects; anything longer is refused with an error event unread.
constexpr qint64 MaxRequestBytes = 16 * 1024;
// Beyond this QWebSocket itself closes the connection (1009), before buffering more.
constexpr qint64 MaxFrameBytes = 1024 * 1024;

using RawLevels = std::vector<std::pair<qint64, qint64>>;

const QString FailedAuth = u"Failed to subscribe to authenticated feed"_s;

struct Conn;

void eraseOne(std::vector<Conn *> &v, Conn *c) {
    v.erase(std::remove(v.begin(), v.end(), c), v.end());
}

struct Conn {
    QWebSocket *ws = nullptr;
    bool closing = false;
    bool heartbeat = false;
    QHash<QString, qint64> bookSeq; // product -> seq of the last book message sent
    QSet<QString> trades, tickers, tickersLite;
    QSet<QString> challenges; // issued on this connection
    QString account;          // the account the private feeds are for
    QSet<QString> privateFeeds;
    qint64 positionsSeq = 0, balancesSeq = 0;
};

struct Product {
    const SimFuturesInstrument *spec = nullptr;
    MarketSim *market = nullptr;
    QString symbol; // upper-case
    int pp = 0, qp = 0;
    qint64 lastTradeId = 0;
    RawLevels bids, asks; // the book last sent to subscribers, best first
    std::vector<Conn *> book, trade;
};

Decimal fromRaw(qint64 m, int scale) {
    return *Decimal::fromParts(m, scale);
}

// Changed or new levels with their quantity, vanished ones with 0, in price order.
void diffSide(const RawLevels &old, const RawLevels &now, bool isBid, RawLevels &out) {
    out.clear();
    auto better = [isBid](qint64 a, qint64 b) { return isBid ? a > b : a < b; };
    std::size_t i = 0, j = 0;
    while (i < old.size() || j < now.size()) {
        if (j == now.size() || (i < old.size() && better(old[i].first, now[j].first))) {
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

// An exact JSON number without trailing zeros, as Kraken Futures writes them.
void num(JsonWriter &w, const Decimal &d) {
    w.value(d.normalized());
}

// Kraken's WS order types: resting limits are "limit", trigger orders keep their kind.
QString wsOrderType(const FuturesOrder &o) {
    if (o.isTrigger() && !o.triggered)
        return o.type == u"stp"_s ? u"stop"_s : o.type;
    return u"limit"_s;
}

// "fi_xbtusd" -> "F-XBT:USD", Kraken's name for a single-collateral margin account.
QString marginAccountWsName(const QString &name) {
    QString s = name.toUpper();
    if (s.startsWith(u"FI_"_s))
        s = s.mid(3);
    if (s.size() > 3)
        return u"F-"_s + s.left(s.size() - 3) + u':' + s.right(3);
    return name;
}

// Kraken's challenge signature, computed here with Qt's primitives (not the client's signer):
// base64(HMAC-SHA512(base64decode(secret), SHA256(challenge))).
QByteArray expectedSignature(const QString &challenge, const QString &secretBase64) {
    const auto key = QByteArray::fromBase64Encoding(secretBase64.toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!key)
        return {};
    const QByteArray digest =
        QCryptographicHash::hash(challenge.toUtf8(), QCryptographicHash::Sha256);
    return QMessageAuthenticationCode::hash(digest, *key, QCryptographicHash::Sha512).toBase64();
}

} // namespace

struct FuturesWsServer::Impl {
    FuturesWsServer *q = nullptr;
    FuturesEngine *engine = nullptr;
    Faults *faults = nullptr;
    QWebSocketServer server{u"KrakenTerm paper exchange (futures)"_s,
                            QWebSocketServer::NonSecureMode};
    std::map<QString, std::unique_ptr<Product>> products;
    std::map<QWebSocket *, std::unique_ptr<Conn>> conns;
    QTimer heartbeatTimer, tickerTimer, accountTimer;
    std::mt19937_64 ids;
    QHash<QString, qint64> fillSeq; // by account
    QSet<QString> accountsDirty;
    bool accountPushScheduled = false;
    RawLevels scratchBids, scratchAsks, diffBids, diffAsks;

    qint64 now() const { return engine->now(); }

    // ---- sending ------------------------------------------------------------------------

    void send(Conn &c, const QByteArray &frame) {
        if (!c.closing)
            c.ws->sendTextMessage(QString::fromUtf8(frame));
    }

    void sendEvent(Conn &c, const char *event, const QString &message) {
        JsonWriter w;
        w.beginObject().key("event").value(event).key("message").value(message).endObject();
        send(c, w.take());
    }

    void sendAck(Conn &c, bool subscribe, const QString &feed, const QStringList &productIds) {
        JsonWriter w;
        w.beginObject().key("event").value(subscribe ? "subscribed" : "unsubscribed");
        w.key("feed").value(feed);
        if (!productIds.isEmpty()) {
            w.key("product_ids").beginArray();
            for (const QString &p : productIds)
                w.value(p);
            w.endArray();
        }
        w.endObject();
        send(c, w.take());
    }

    QString uuid() {
        const quint64 a = ids(), b = ids();
        const QString hex = QString::number(a, 16).rightJustified(16, u'0') +
                            QString::number(b, 16).rightJustified(16, u'0');
        return hex.mid(0, 8) + u'-' + hex.mid(8, 4) + u'-' + hex.mid(12, 4) + u'-' +
               hex.mid(16, 4) + u'-' + hex.mid(20, 12);
    }

    // ---- public frames ------------------------------------------------------------------

    void writeLevels(JsonWriter &w, const char *name, const RawLevels &levels, const Product &p) {
        w.key(name).beginArray();
        for (const auto &[price, qty] : levels) {
            // At the contract's precisions, so the snapshot's text tells the client how many
            // decimals the book needs.
            w.beginObject().key("price").value(fromRaw(price, p.pp), p.pp);
            w.key("qty").value(fromRaw(qty, p.qp), p.qp).endObject();
        }
        w.endArray();
    }

    QByteArray bookSnapshotFrame(const Product &p, qint64 seq) {
        JsonWriter w;
        w.beginObject().key("feed").value("book_snapshot").key("product_id").value(p.symbol);
        w.key("timestamp").value(now()).key("seq").value(seq).key("tickSize").null();
        writeLevels(w, "bids", p.bids, p);
        writeLevels(w, "asks", p.asks, p);
        w.endObject();
        return w.take();
    }

    QByteArray bookDeltaFrame(const Product &p, bool bid, qint64 price, qint64 qty, qint64 seq,
                              qint64 timeMs) {
        JsonWriter w;
        w.beginObject().key("feed").value("book").key("product_id").value(p.symbol);
        w.key("side").value(bid ? "buy" : "sell").key("seq").value(seq);
        w.key("price").value(fromRaw(price, p.pp), p.pp);
        w.key("qty").value(fromRaw(qty, p.qp), p.qp);
        w.key("timestamp").value(timeMs).endObject();
        return w.take();
    }

    void writeTrade(JsonWriter &w, const Product &p, const MarketTrade &t) {
        w.beginObject().key("feed").value("trade").key("product_id").value(p.symbol);
        w.key("uid").value(QString::number(t.tradeId)).key("side").value(sideName(t.takerSide));
        w.key("type").value("fill").key("seq").value(t.tradeId);
        w.key("time").value(t.time.toMSecsSinceEpoch());
        w.key("qty").value(t.qty, p.qp).key("price").value(t.price, p.pp).endObject();
    }

    QByteArray tickerFrame(const Product &p, bool lite) {
        const TickerStats t = p.market->ticker();
        const SimFuturesInstrument &f = *p.spec;
        JsonWriter w;
        w.beginObject().key("time").value(now()).key("product_id").value(p.symbol);
        w.key("feed").value(lite ? "ticker_lite" : "ticker");
        const auto bid = p.market->bestBid(), ask = p.market->bestAsk();
        const auto mark = engine->markPrice(p.symbol), index = engine->indexPrice(p.symbol);
        auto opt = [&w](const char *key, const std::optional<Decimal> &d) {
            w.key(key);
            if (d)
                num(w, *d);
            else
                w.null();
        };
        opt("bid", bid);
        opt("ask", ask);
        if (!lite) {
            w.key("bid_size");
            num(w, t.bidQty);
            w.key("ask_size");
            num(w, t.askQty);
        }
        w.key("volume");
        num(w, t.volume);
        w.key("volumeQuote");
        num(w, t.volume.times(t.vwap, 2).value_or(Decimal()));
        // Premium: the futures mid over the index, in percent.
        std::optional<Decimal> premium;
        if (bid && ask && index && !index->isZero()) {
            const auto mid = bid->plus(*ask).value_or(Decimal()).dividedBy(Decimal::fromInt(2), 8);
            if (mid)
                if (const auto diff = mid->minus(*index))
                    premium = diff->times(Decimal::fromInt(100), 12)
                                  .value_or(Decimal())
                                  .dividedBy(*index, 2);
        }
        opt("premium", premium);
        w.key("change");
        num(w, t.changePct);
        w.key("tag").value(f.tag).key("pair").value(f.pair);
        const qint64 maturity =
            f.lastTradingTime.isValid() ? f.lastTradingTime.toMSecsSinceEpoch() : 0;
        w.key("dtm").value(maturity > 0 ? std::max<qint64>(0, (maturity - now()) / 86'400'000) : 0);
        w.key("maturityTime").value(maturity);
        if (!lite) {
            opt("last", engine->lastPrice(p.symbol));
            opt("index", index);
            opt("markPrice", mark);
            w.key("open");
            num(w, t.open);
            w.key("high");
            num(w, t.high);
            w.key("low");
            num(w, t.low);
            w.key("openInterest").value(0);
            if (f.perpetual()) {
                w.key("funding_rate");
                num(w, engine->absoluteFundingRate(p.symbol));
                w.key("funding_rate_prediction");
                num(w, engine->absoluteFundingRate(p.symbol));
                w.key("relative_funding_rate");
                num(w, engine->fundingRate(p.symbol));
                w.key("relative_funding_rate_prediction");
                num(w, engine->fundingRate(p.symbol));
                w.key("next_funding_rate_time").value(engine->nextFundingMs());
            }
            w.key("leverage").value(u"50x"_s);
            w.key("suspended").value(false).key("post_only").value(false);
        }
        w.endObject();
        return w.take();
    }

    // ---- market events ------------------------------------------------------------------

    void onPublished(Product &p) {
        if (!p.book.empty()) {
            p.market->rawLevels(Side::Buy, 0, scratchBids);
            p.market->rawLevels(Side::Sell, 0, scratchAsks);
            diffSide(p.bids, scratchBids, true, diffBids);
            diffSide(p.asks, scratchAsks, false, diffAsks);
            std::swap(p.bids, scratchBids);
            std::swap(p.asks, scratchAsks);
            const qint64 t = now();
            // Kraken sends one level per message; asks first so that a crossing move
            // (the ask removed, then the bid added) is seen in a sensible order.
            for (Conn *c : p.book) {
                qint64 &seq = c->bookSeq[p.symbol];
                for (const auto &[price, qty] : diffAsks)
                    send(*c, bookDeltaFrame(p, false, price, qty, ++seq, t));
                for (const auto &[price, qty] : diffBids)
                    send(*c, bookDeltaFrame(p, true, price, qty, ++seq, t));
            }
        }
        const std::vector<MarketTrade> fresh = p.market->tradesSince(p.lastTradeId);
        if (!fresh.empty()) {
            p.lastTradeId = fresh.back().tradeId;
            for (const MarketTrade &t : fresh) {
                if (p.trade.empty())
                    break;
                JsonWriter w;
                writeTrade(w, p, t);
                const QByteArray frame = w.take();
                for (Conn *c : p.trade)
                    send(*c, frame);
            }
        }
    }

    // ---- requests -----------------------------------------------------------------------

    void onText(Conn &c, const QByteArray &text) {
        if (text.size() > MaxRequestBytes) {
            sendEvent(c, "error", u"Json Error"_s);
            return;
        }
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            sendEvent(c, "error", u"Json Error"_s);
            return;
        }
        const QJsonObject o = doc.object();
        const QString event = o.value(u"event"_s).toString();
        if (event == u"challenge"_s) {
            const QString key = o.value(u"api_key"_s).toString();
            if (key.isEmpty()) {
                sendEvent(c, "error", u"Json Error"_s);
                return;
            }
            // Any key gets a challenge; whether it and the signature are good is only known
            // at the private subscribe, as on Kraken.
            const QString challenge = uuid();
            c.challenges.insert(challenge);
            sendEvent(c, "challenge", challenge);
            return;
        }
        if (event != u"subscribe"_s && event != u"unsubscribe"_s) {
            sendEvent(c, "error", u"Json Error"_s);
            return;
        }
        const bool subscribe = event == u"subscribe"_s;
        const QString feed = o.value(u"feed"_s).toString();
        static const QStringList publicFeeds{u"ticker"_s, u"ticker_lite"_s, u"trade"_s, u"book"_s};
        static const QStringList privateFeeds{u"open_orders"_s, u"open_orders_verbose"_s,
                                              u"fills"_s,       u"open_positions"_s,
                                              u"balances"_s,    u"notifications_auth"_s};
        if (feed == u"heartbeat"_s) {
            c.heartbeat = subscribe;
            sendAck(c, subscribe, feed, {});
            return;
        }
        if (privateFeeds.contains(feed)) {
            privateSubscription(c, subscribe, feed, o);
            return;
        }
        if (!publicFeeds.contains(feed)) {
            sendEvent(c, "error", u"Invalid feed"_s);
            return;
        }
        const QJsonValue idsValue = o.value(u"product_ids"_s);
        if (!idsValue.isArray() || idsValue.toArray().isEmpty()) {
            sendEvent(c, "error", u"Json Error"_s);
            return;
        }
        // The whole request is refused when one product is unknown.
        std::vector<Product *> list;
        for (const QJsonValue &v : idsValue.toArray()) {
            const auto it = products.find(v.toString().toUpper());
            if (!v.isString() || it == products.end()) {
                sendEvent(c, "error", u"Invalid product id"_s);
                return;
            }
            if (std::find(list.begin(), list.end(), it->second.get()) == list.end())
                list.push_back(it->second.get());
        }
        QStringList acked;
        for (Product *p : list)
            acked.append(p->symbol);
        sendAck(c, subscribe, feed, acked);
        for (Product *p : list) {
            if (subscribe)
                addPublic(c, *p, feed);
            else
                removePublic(c, *p, feed);
        }
    }

    void addPublic(Conn &c, Product &p, const QString &feed) {
        if (feed == u"book"_s) {
            if (c.bookSeq.contains(p.symbol))
                return;
            if (p.book.empty()) { // nobody held it: start from the market as it is now
                p.market->rawLevels(Side::Buy, 0, p.bids);
                p.market->rawLevels(Side::Sell, 0, p.asks);
            }
            p.book.push_back(&c);
            // Kraken's seq numbers are large and arbitrary; ours start per connection.
            const qint64 seq = 1 + qint64(ids() % 1'000'000);
            c.bookSeq.insert(p.symbol, seq);
            send(c, bookSnapshotFrame(p, seq));
        } else if (feed == u"trade"_s) {
            if (c.trades.contains(p.symbol))
                return;
            c.trades.insert(p.symbol);
            p.trade.push_back(&c);
            // Up to the broadcast mark, newest first: later trades arrive as updates.
            const auto &tape = p.market->recentTrades();
            JsonWriter w;
            w.beginObject().key("feed").value("trade_snapshot").key("product_id").value(p.symbol);
            w.key("trades").beginArray();
            int n = 0;
            for (auto it = tape.rbegin(); it != tape.rend() && n < TradeSnapshotSize; ++it) {
                if (it->tradeId > p.lastTradeId)
                    continue;
                writeTrade(w, p, *it);
                ++n;
            }
            w.endArray().endObject();
            send(c, w.take());
        } else if (feed == u"ticker"_s || feed == u"ticker_lite"_s) {
            QSet<QString> &set = feed == u"ticker"_s ? c.tickers : c.tickersLite;
            if (set.contains(p.symbol))
                return;
            set.insert(p.symbol);
            send(c, tickerFrame(p, feed == u"ticker_lite"_s));
        }
    }

    void removePublic(Conn &c, Product &p, const QString &feed) {
        if (feed == u"book"_s) {
            if (c.bookSeq.remove(p.symbol) > 0)
                eraseOne(p.book, &c);
        } else if (feed == u"trade"_s) {
            if (c.trades.remove(p.symbol))
                eraseOne(p.trade, &c);
        } else if (feed == u"ticker"_s) {
            c.tickers.remove(p.symbol);
        } else {
            c.tickersLite.remove(p.symbol);
        }
    }

    // ---- private feeds ------------------------------------------------------------------

    void privateSubscription(Conn &c, bool subscribe, const QString &feed, const QJsonObject &o) {
        const QString key = o.value(u"api_key"_s).toString();
        const QString challenge = o.value(u"original_challenge"_s).toString();
        const QString signature = o.value(u"signed_challenge"_s).toString();
        const SimAccount *account = engine->config().accountByFuturesKey(key);
        bool ok = !key.isEmpty() && account && engine->hasAccount(account->id) &&
                  c.challenges.contains(challenge);
        if (ok) {
            const QByteArray expected = expectedSignature(challenge, account->futuresSecret);
            ok = !expected.isEmpty() && signature.toLatin1() == expected;
        }
        if (!ok) {
            qCInfo(lcSim) << "futures WS: private subscribe to" << feed << "refused";
            sendEvent(c, "alert", FailedAuth);
            return;
        }
        if (!subscribe) {
            c.privateFeeds.remove(feed);
            sendAck(c, false, feed, {});
            return;
        }
        if (c.account != account->id)
            c.privateFeeds.clear(); // another account's feeds do not carry over
        c.account = account->id;
        c.privateFeeds.insert(feed);
        sendAck(c, true, feed, {});
        sendPrivateSnapshot(c, feed);
    }

    void writeOrder(JsonWriter &w, const FuturesOrder &o) {
        w.beginObject().key("instrument").value(o.symbol).key("time").value(o.receivedMs);
        w.key("last_update_time").value(o.lastUpdateMs).key("qty");
        num(w, o.size);
        w.key("filled");
        num(w, o.filled);
        if (o.limitPrice) {
            w.key("limit_price");
            num(w, *o.limitPrice);
        }
        if (o.waitingForTrigger() && o.stopPrice) {
            w.key("stop_price");
            num(w, *o.stopPrice);
        }
        w.key("type").value(wsOrderType(o)).key("order_id").value(o.orderId);
        if (!o.cliOrdId.isEmpty())
            w.key("cli_ord_id").value(o.cliOrdId);
        w.key("direction").value(o.side == Side::Buy ? 0 : 1);
        w.key("reduce_only").value(o.reduceOnly);
        if (o.isTrigger())
            w.key("trigger_signal").value(triggerSignalName(o.signal));
        w.endObject();
    }

    void writeFill(JsonWriter &w, const FuturesFill &f, qint64 seq) {
        w.beginObject().key("instrument").value(f.symbol).key("time").value(f.timeMs);
        w.key("price");
        num(w, f.price);
        w.key("seq").value(seq).key("buy").value(f.side == Side::Buy).key("qty");
        num(w, f.size);
        if (const FuturesOrder *o = engine->order(f.orderId)) {
            w.key("remaining_order_qty");
            num(w, o->unfilled());
        }
        w.key("order_id").value(f.orderId);
        if (!f.cliOrdId.isEmpty())
            w.key("cli_ord_id").value(f.cliOrdId);
        w.key("fill_id").value(f.fillId).key("fill_type").value(f.fillType);
        w.key("fee_paid");
        num(w, f.fee);
        w.key("fee_currency").value(f.feeCurrency);
        w.key("taker_order_type").value(f.fillType == u"maker"_s ? u""_s : f.orderType);
        w.key("order_type").value(f.orderType);
        w.endObject();
    }

    QByteArray positionsFrame(Conn &c) {
        JsonWriter w;
        w.beginObject().key("feed").value("open_positions").key("account").value(c.account);
        w.key("positions").beginArray();
        for (const FuturesPosition &p : engine->positions(c.account)) {
            if (p.size.isZero())
                continue;
            const SimFuturesInstrument *f = engine->instrument(p.symbol);
            w.beginObject().key("instrument").value(p.symbol).key("balance");
            num(w, p.size);
            w.key("pnl");
            num(w, engine->unrealizedPnl(c.account, p.symbol));
            w.key("entry_price");
            num(w, p.entryPrice);
            if (const auto mark = engine->markPrice(p.symbol)) {
                w.key("mark_price");
                num(w, *mark);
            }
            if (const auto index = engine->indexPrice(p.symbol)) {
                w.key("index_price");
                num(w, *index);
            }
            if (f)
                w.key("pnl_currency").value(f->collateral());
            w.endObject();
        }
        w.endArray().key("seq").value(++c.positionsSeq).key("timestamp").value(now());
        w.endObject();
        return w.take();
    }

    QByteArray balancesFrame(Conn &c, bool snapshot) {
        JsonWriter w;
        w.beginObject().key("feed").value(snapshot ? "balances_snapshot" : "balances");
        w.key("account").value(c.account);
        w.key("holding").beginObject().endObject();
        w.key("futures").beginObject();
        std::optional<FuturesMarginAccount> flex;
        for (const QString &name : engine->marginAccountNames(c.account)) {
            const FuturesMarginAccount m = engine->marginAccount(c.account, name);
            if (name == u"flex"_s) {
                flex = m;
                continue;
            }
            const QString wsName = marginAccountWsName(name);
            const QByteArray keyName = wsName.toLatin1();
            w.key(keyName.constData()).beginObject().key("name").value(wsName);
            const QString pair = wsName.mid(2).replace(u':', u'/');
            w.key("pair").value(pair).key("unit").value(pair.section(u'/', 0, 0));
            w.key("portfolio_value");
            num(w, m.portfolioValue);
            w.key("balance");
            num(w, m.balance);
            w.key("maintenance_margin");
            num(w, m.maintenanceMargin);
            w.key("initial_margin");
            num(w, m.initialMarginWithOrders);
            w.key("available");
            num(w, m.availableMargin);
            w.key("unrealized_funding");
            num(w, m.unrealizedFunding);
            w.key("pnl");
            num(w, m.pnl);
            w.endObject();
        }
        w.endObject();
        if (flex) {
            const FuturesMarginAccount &m = *flex;
            w.key("flex_futures").beginObject().key("currencies").beginObject();
            w.key(m.currency.toLatin1().constData()).beginObject().key("quantity");
            num(w, m.balance);
            w.key("value");
            num(w, m.balance);
            w.key("collateral_value");
            num(w, m.balance);
            w.key("available");
            num(w, m.balance);
            w.key("haircut").value(0).key("conversion_spread").value(0).endObject();
            w.endObject();
            w.key("balance_value");
            num(w, m.balance);
            w.key("portfolio_value");
            num(w, m.portfolioValue);
            w.key("collateral_value");
            num(w, m.balance);
            w.key("initial_margin");
            num(w, m.initialMarginWithOrders);
            w.key("initial_margin_without_orders");
            num(w, m.initialMargin);
            w.key("maintenance_margin");
            num(w, m.maintenanceMargin);
            w.key("pnl");
            num(w, m.pnl);
            w.key("unrealized_funding");
            num(w, m.unrealizedFunding);
            w.key("total_unrealized");
            num(w, m.pnl);
            w.key("total_unrealized_as_margin");
            num(w, m.pnl);
            w.key("margin_equity");
            num(w, m.portfolioValue);
            w.key("available_margin");
            num(w, m.availableMargin);
            w.endObject();
        }
        w.key("seq").value(++c.balancesSeq).key("timestamp").value(now()).endObject();
        return w.take();
    }

    void sendPrivateSnapshot(Conn &c, const QString &feed) {
        if (feed == u"open_orders"_s || feed == u"open_orders_verbose"_s) {
            JsonWriter w;
            w.beginObject().key("feed").value(QString(feed + u"_snapshot"_s));
            w.key("account").value(c.account).key("orders").beginArray();
            for (const FuturesOrder &o : engine->openOrders(c.account))
                writeOrder(w, o);
            w.endArray().endObject();
            send(c, w.take());
        } else if (feed == u"fills"_s) {
            JsonWriter w;
            w.beginObject().key("feed").value("fills_snapshot").key("account").value(c.account);
            w.key("fills").beginArray();
            const auto fills = engine->fills(c.account);
            const std::size_t from = fills.size() > 100 ? fills.size() - 100 : 0;
            qint64 seq = fillSeq.value(c.account) - qint64(fills.size() - from);
            for (std::size_t i = from; i < fills.size(); ++i)
                writeFill(w, fills[i], ++seq);
            w.endArray().endObject();
            send(c, w.take());
        } else if (feed == u"open_positions"_s) {
            send(c, positionsFrame(c));
        } else if (feed == u"balances"_s) {
            send(c, balancesFrame(c, true));
        } else if (feed == u"notifications_auth"_s) {
            send(c, "{\"feed\":\"notifications_auth\",\"notifications\":[]}"_ba);
        }
    }

    std::vector<Conn *> subscribersOf(const QString &account, const QString &feed) {
        std::vector<Conn *> out;
        for (auto &[ws, c] : conns)
            if (c->account == account && c->privateFeeds.contains(feed))
                out.push_back(c.get());
        return out;
    }

    void onOrderEvent(const QString &account, const FuturesOrderEvent &e) {
        // What Kraken's open_orders says about each event; REJECTs never opened an order.
        QString reason;
        bool cancel = false, withOrder = true;
        if (e.type == u"PLACE"_s) {
            reason = u"new_placed_order_by_user"_s;
        } else if (e.type == u"EXECUTION"_s) {
            const bool full = e.order.unfilled().signum() <= 0;
            reason = full ? u"full_fill"_s : u"partial_fill"_s;
            withOrder = !full;
        } else if (e.type == u"EDIT"_s) {
            reason = u"edited_by_user"_s;
        } else if (e.type == u"TRIGGER_ACTIVATED"_s) {
            reason = u"stop_order_triggered"_s;
        } else if (e.type == u"CANCEL"_s) {
            cancel = true;
            withOrder = false;
            reason = e.reason.isEmpty() || e.reason == u"cancelled_by_user"_s
                         ? u"cancelled_by_user"_s
                         : e.reason;
        } else {
            return;
        }
        for (const QString &feed : {u"open_orders"_s, u"open_orders_verbose"_s}) {
            const auto subs = subscribersOf(account, feed);
            if (subs.empty())
                continue;
            JsonWriter w;
            w.beginObject().key("feed").value(feed);
            if (withOrder) {
                w.key("order");
                writeOrder(w, e.order);
            } else {
                w.key("order_id").value(e.order.orderId);
            }
            w.key("is_cancel").value(cancel).key("reason").value(reason).endObject();
            const QByteArray frame = w.take();
            for (Conn *c : subs)
                send(*c, frame);
        }
        scheduleAccountPush(account); // margins with orders moved
    }

    void onFilled(const QString &account, const FuturesFill &f) {
        const qint64 seq = ++fillSeq[account];
        const auto subs = subscribersOf(account, u"fills"_s);
        if (!subs.empty()) {
            JsonWriter w;
            w.beginObject().key("feed").value("fills").key("account").value(account);
            w.key("fills").beginArray();
            writeFill(w, f, seq);
            w.endArray().endObject();
            const QByteArray frame = w.take();
            for (Conn *c : subs)
                send(*c, frame);
        }
        scheduleAccountPush(account);
    }

    // Positions and balances follow a fill on the next turn of the event loop, once the
    // engine has finished the order (several fills give one push).
    void scheduleAccountPush(const QString &account) {
        accountsDirty.insert(account);
        if (accountPushScheduled)
            return;
        accountPushScheduled = true;
        QTimer::singleShot(0, q, [this] {
            accountPushScheduled = false;
            const QSet<QString> dirty = std::exchange(accountsDirty, {});
            for (auto &[ws, c] : conns)
                if (dirty.contains(c->account))
                    pushAccount(*c);
        });
    }

    void pushAccount(Conn &c) {
        if (c.account.isEmpty())
            return;
        if (c.privateFeeds.contains(u"open_positions"_s))
            send(c, positionsFrame(c));
        if (c.privateFeeds.contains(u"balances"_s))
            send(c, balancesFrame(c, false));
    }

    // ---- periodic -----------------------------------------------------------------------

    void onHeartbeat() {
        JsonWriter w;
        w.beginObject().key("feed").value("heartbeat").key("time").value(now()).endObject();
        const QByteArray frame = w.take();
        for (auto &[ws, c] : conns)
            if (c->heartbeat)
                send(*c, frame);
    }

    void onTickers() {
        for (auto &[symbol, p] : products) {
            QByteArray full, lite;
            for (auto &[ws, c] : conns) {
                if (c->tickers.contains(symbol)) {
                    if (full.isEmpty())
                        full = tickerFrame(*p, false);
                    send(*c, full);
                }
                if (c->tickersLite.contains(symbol)) {
                    if (lite.isEmpty())
                        lite = tickerFrame(*p, true);
                    send(*c, lite);
                }
            }
        }
    }

    // ---- connections --------------------------------------------------------------------

    void onNewConnection() {
        while (QWebSocket *ws = server.nextPendingConnection()) {
            ws->setParent(q);
            ws->setMaxAllowedIncomingMessageSize(MaxFrameBytes);
            auto conn = std::make_unique<Conn>();
            conn->ws = ws;
            Conn *c = conn.get();
            conns.emplace(ws, std::move(conn));
            QObject::connect(ws, &QWebSocket::textMessageReceived, q,
                             [this, ws](const QString &text) { onMessage(ws, text.toUtf8()); });
            QObject::connect(ws, &QWebSocket::binaryMessageReceived, q,
                             [this, ws](const QByteArray &bytes) { onMessage(ws, bytes); });
            QObject::connect(ws, &QWebSocket::disconnected, q, [this, ws] { drop(ws); });
            send(*c, "{\"event\":\"info\",\"version\":1}"_ba);
            Q_EMIT q->clientCountChanged(int(conns.size()));
        }
    }

    void onMessage(QWebSocket *ws, const QByteArray &text) {
        const int delay = faults ? faults->settings().wsDelayMs : 0;
        auto handle = [this, ws, text] {
            const auto it = conns.find(ws);
            if (it != conns.end())
                onText(*it->second, text);
        };
        if (delay <= 0)
            handle();
        else // single-shot timers of equal delay fire in order: answers keep their order
            QTimer::singleShot(delay, ws, handle);
    }

    void drop(QWebSocket *ws) {
        const auto it = conns.find(ws);
        if (it == conns.end())
            return;
        Conn *c = it->second.get();
        for (auto &[symbol, p] : products) {
            eraseOne(p->book, c);
            eraseOne(p->trade, c);
        }
        conns.erase(it);
        ws->deleteLater();
        Q_EMIT q->clientCountChanged(int(conns.size()));
    }

    void closeAll(const QString &reason) {
        std::vector<QPointer<QWebSocket>> sockets;
        for (auto &[ws, c] : conns) {
            if (!c->closing) {
                c->closing = true;
                sockets.emplace_back(ws);
            }
        }
        for (const QPointer<QWebSocket> &ws : sockets)
            if (ws)
                ws->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
    }
};

FuturesWsServer::FuturesWsServer(FuturesEngine *engine, Faults *faults, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->engine = engine;
    d->faults = faults;
    d->ids.seed(engine->config().seed * 0x9E3779B97F4A7C15ull + 0xF5);
    for (const SimFuturesInstrument &f : engine->config().futures) {
        MarketSim *m = engine->market(f.symbol);
        if (!m)
            continue;
        auto p = std::make_unique<Product>();
        p->spec = engine->instrument(f.symbol);
        p->market = m;
        p->symbol = f.symbol.toUpper();
        p->pp = m->pricePrecision();
        p->qp = m->qtyPrecision();
        p->lastTradeId = m->recentTrades().empty() ? 0 : m->recentTrades().back().tradeId;
        Product *raw = p.get();
        d->products.emplace(p->symbol, std::move(p));
        connect(m, &MarketSim::published, this, [this, raw] { d->onPublished(*raw); });
    }
    connect(engine, &FuturesEngine::orderEvent, this,
            [this](const QString &account, const FuturesOrderEvent &e) {
                d->onOrderEvent(account, e);
            });
    connect(engine, &FuturesEngine::filled, this,
            [this](const QString &account, const FuturesFill &f) { d->onFilled(account, f); });
    connect(&d->server, &QWebSocketServer::newConnection, this, [this] { d->onNewConnection(); });
    for (QTimer *t : {&d->heartbeatTimer, &d->tickerTimer, &d->accountTimer})
        t->setParent(this);
    connect(&d->heartbeatTimer, &QTimer::timeout, this, [this] { d->onHeartbeat(); });
    connect(&d->tickerTimer, &QTimer::timeout, this, [this] { d->onTickers(); });
    connect(&d->accountTimer, &QTimer::timeout, this, [this] { publishAccounts(); });
    // Kraken throttles tickers to one a second; heartbeats are our choice (the client only
    // needs some traffic within its silence timeout).
    d->heartbeatTimer.start(5000);
    d->tickerTimer.start(1000);
    d->accountTimer.start(2000);
    if (faults)
        connect(faults, &Faults::dropWsNow, this,
                [this] { d->closeAll(u"paper exchange fault: drop_ws_now"_s); });
}

FuturesWsServer::~FuturesWsServer() {
    for (auto &[ws, c] : d->conns) {
        ws->disconnect(this);
        ws->abort();
    }
    d->server.close();
}

bool FuturesWsServer::listen(const QHostAddress &address, quint16 port) {
    if (!d->server.listen(address, port)) {
        qCWarning(lcSim).noquote() << "futures WS cannot listen:" << d->server.errorString();
        return false;
    }
    return true;
}

QUrl FuturesWsServer::url() const {
    return loopbackWsUrl(d->server, u"/ws/v1"_s);
}

void FuturesWsServer::closeAll() {
    d->closeAll(u"paper exchange closing"_s);
}

int FuturesWsServer::clientCount() const {
    return int(d->conns.size());
}

namespace {
void setTimer(QTimer &t, int ms) {
    if (ms <= 0)
        t.stop();
    else
        t.start(ms);
}
} // namespace

void FuturesWsServer::setHeartbeatIntervalMs(int ms) {
    setTimer(d->heartbeatTimer, ms);
}
void FuturesWsServer::setTickerIntervalMs(int ms) {
    setTimer(d->tickerTimer, ms);
}
void FuturesWsServer::setAccountIntervalMs(int ms) {
    setTimer(d->accountTimer, ms);
}

void FuturesWsServer::publishTickers() {
    d->onTickers();
}

void FuturesWsServer::publishAccounts() {
    for (auto &[ws, c] : d->conns)
        d->pushAccount(*c);
}

} // namespace kraken::sim
