#include "privatewsserver.h"

#include "faults.h"
#include "logging.h"
#include "loopbackurl.h"
#include "matchingengine.h"
#include "simjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimeZone>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <map>
#include <vector>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

QString ts(qint64 ms) {
    return rfc3339(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()));
}

const char *tifName(TimeInForce t) {
    switch (t) {
    case TimeInForce::GTC:
        return "GTC";
    case TimeInForce::IOC:
        return "IOC";
    case TimeInForce::GTD:
        return "GTD";
    }
    return "GTC";
}

const char *priceTypeName(PriceType t) {
    switch (t) {
    case PriceType::Static:
        return "static";
    case PriceType::Quote:
        return "quote";
    case PriceType::Pct:
        return "pct";
    }
    return "static";
}

// A WS v2 price: `value` with `<name>_type` static | pct | quote (offset, sign from value).
std::optional<PriceSpec> wsPrice(const QJsonValue &value, const QString &type) {
    const auto v = decimalFromJson(value);
    if (!v)
        return std::nullopt;
    PriceSpec s;
    s.value = *v;
    if (type.isEmpty() || type == u"static"_s)
        s.type = PriceType::Static;
    else if (type == u"pct"_s)
        s.type = PriceType::Pct;
    else if (type == u"quote"_s)
        s.type = PriceType::Quote;
    else
        return std::nullopt;
    return s;
}

} // namespace

struct PrivateWsServer::Impl {
    struct Client {
        QPointer<QWebSocket> socket;
        qint64 connectionId = 0;
        QString account;                   // set by the first valid token
        std::map<QString, QString> tokens; // tokens accepted on this connection -> account
        bool executions = false, balances = false;
        bool orderStatus = true, rateCounter = false;
        qint64 execSeq = 0, balSeq = 0;
    };

    PrivateWsServer *q = nullptr;
    MatchingEngine *engine = nullptr;
    Faults *faults = nullptr;
    QWebSocketServer server{u"KrakenTerm paper exchange (auth)"_s, QWebSocketServer::NonSecureMode};
    std::vector<std::unique_ptr<Client>> clients;
    QTimer heartbeat;
    qint64 nextConnectionId = 1;

    Client *clientOf(QWebSocket *s) {
        for (auto &c : clients) {
            if (c->socket == s)
                return c.get();
        }
        return nullptr;
    }

    void sendNow(Client &c, const QByteArray &text) {
        if (c.socket && c.socket->state() == QAbstractSocket::ConnectedState)
            c.socket->sendTextMessage(QString::fromUtf8(text));
    }

    // Method answers honour ws_delay_ms; channel data goes out at once.
    void answer(Client &c, QByteArray text) {
        const int delay = faults ? faults->settings().wsDelayMs : 0;
        if (delay <= 0) {
            sendNow(c, text);
            return;
        }
        QPointer<QWebSocket> s = c.socket;
        QTimer::singleShot(delay, q, [s, text = std::move(text)] {
            if (s && s->state() == QAbstractSocket::ConnectedState)
                s->sendTextMessage(QString::fromUtf8(text));
        });
    }

    // {"method":..., "req_id":..., "success":..., "result"|"error":..., time_in, time_out}
    QByteArray response(const QString &method, const QJsonValue &reqId, const QString &error,
                        const std::function<void(JsonWriter &)> &result, qint64 timeIn) {
        JsonWriter w;
        w.beginObject().key("method").value(method);
        if (!reqId.isUndefined() && !reqId.isNull())
            w.key("req_id").value(qint64(reqId.toInteger()));
        if (error.isEmpty()) {
            if (result) {
                w.key("result");
                result(w);
            }
            w.key("success").value(true);
        } else {
            w.key("error").value(error);
            w.key("success").value(false);
        }
        w.key("time_in").value(ts(timeIn)).key("time_out").value(ts(engine->now()));
        w.endObject();
        return w.take();
    }

    void onConnection() {
        while (QWebSocket *s = server.nextPendingConnection()) {
            auto c = std::make_unique<Client>();
            c->socket = s;
            c->connectionId = nextConnectionId++;
            s->setParent(q);
            QObject::connect(s, &QWebSocket::textMessageReceived, q,
                             [this, s](const QString &m) { onMessage(s, m); });
            QObject::connect(s, &QWebSocket::disconnected, q, [this, s] {
                std::erase_if(clients, [s](const auto &cl) { return cl->socket == s; });
                s->deleteLater();
            });
            JsonWriter w;
            w.beginObject().key("channel").value("status").key("type").value("update");
            w.key("data").beginArray().beginObject();
            w.key("api_version").value("v2").key("connection_id").value(c->connectionId);
            w.key("system").value("online").key("version").value("2.0.10");
            w.endObject().endArray().endObject();
            sendNow(*c, w.take());
            clients.push_back(std::move(c));
        }
    }

    // The account a token opens: one issued in the last 15 minutes, or one this connection
    // already subscribed with (Kraken keeps it valid while the subscription lasts).
    QString accountFor(Client &c, const QString &token) {
        if (token.isEmpty())
            return {};
        if (const auto it = c.tokens.find(token); it != c.tokens.end())
            return it->second;
        const QString account = engine->accountOfToken(token);
        if (!account.isEmpty())
            c.tokens[token] = account;
        return account;
    }

    void onMessage(QWebSocket *s, const QString &text) {
        Client *c = clientOf(s);
        if (!c)
            return;
        const qint64 timeIn = engine->now();
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            JsonWriter w;
            w.beginObject().key("error").value("Malformed request").key("success").value(false);
            w.key("time_in").value(ts(timeIn)).key("time_out").value(ts(engine->now()));
            w.endObject();
            answer(*c, w.take());
            return;
        }
        const QJsonObject req = doc.object();
        const QString method = req.value(u"method"_s).toString();
        const QJsonValue reqId = req.value(u"req_id"_s);
        const QJsonObject params = req.value(u"params"_s).toObject();
        if (method == u"ping"_s) {
            JsonWriter w;
            w.beginObject().key("method").value("pong");
            if (!reqId.isUndefined())
                w.key("req_id").value(qint64(reqId.toInteger()));
            w.key("time_in").value(ts(timeIn)).key("time_out").value(ts(engine->now()));
            w.endObject();
            answer(*c, w.take());
            return;
        }
        if (method == u"subscribe"_s || method == u"unsubscribe"_s) {
            subscribe(*c, method, params, reqId, timeIn);
            return;
        }
        static const QStringList trading{u"add_order"_s,  u"amend_order"_s,
                                         u"edit_order"_s, u"cancel_order"_s,
                                         u"cancel_all"_s, u"cancel_all_orders_after"_s,
                                         u"batch_add"_s,  u"batch_cancel"_s};
        if (!trading.contains(method)) {
            answer(*c, response(method.isEmpty() ? u"unknown"_s : method, reqId,
                                u"Method not found"_s, {}, timeIn));
            return;
        }
        const QString account = accountFor(*c, params.value(u"token"_s).toString());
        if (account.isEmpty()) {
            answer(*c, response(method, reqId, u"EAPI:Invalid token"_s, {}, timeIn));
            return;
        }
        if (method != u"cancel_all_orders_after"_s && faults && faults->takeOrderRateLimit()) {
            answer(*c, response(method, reqId, u"EOrder:Rate limit exceeded"_s, {}, timeIn));
            return;
        }
        std::vector<QByteArray> replies = trade(account, method, params, reqId, timeIn);
        if (faults && faults->takeLostOrderAck())
            return; // carried out; the answer is lost
        for (QByteArray &r : replies)
            answer(*c, std::move(r));
    }

    void subscribe(Client &c, const QString &method, const QJsonObject &params,
                   const QJsonValue &reqId, qint64 timeIn) {
        const QString channel = params.value(u"channel"_s).toString();
        if (channel != u"executions"_s && channel != u"balances"_s) {
            answer(c, response(method, reqId, u"Channel not found"_s, {}, timeIn));
            return;
        }
        const bool sub = method == u"subscribe"_s;
        if (!sub) {
            (channel == u"executions"_s ? c.executions : c.balances) = false;
            answer(c, response(
                          method, reqId, {},
                          [&](JsonWriter &w) {
                              w.beginObject().key("channel").value(channel).endObject();
                          },
                          timeIn));
            return;
        }
        const QString account = accountFor(c, params.value(u"token"_s).toString());
        if (account.isEmpty()) {
            answer(c, response(method, reqId, u"EAPI:Invalid token"_s, {}, timeIn));
            return;
        }
        if (!c.account.isEmpty() && c.account != account) {
            answer(c, response(method, reqId, u"EGeneral:Invalid arguments:token"_s, {}, timeIn));
            return;
        }
        c.account = account;
        if (channel == u"executions"_s) {
            const bool snapOrders = params.value(u"snap_orders"_s).toBool(true);
            const bool snapTrades = params.value(u"snap_trades"_s).toBool(false);
            c.orderStatus = params.value(u"order_status"_s).toBool(true);
            c.rateCounter = params.value(u"ratecounter"_s).toBool(false);
            const int maxRate = engine->tradingCounterMax(account);
            answer(c, response(
                          method, reqId, {},
                          [&](JsonWriter &w) {
                              w.beginObject().key("channel").value("executions");
                              w.key("maxratecount").value(maxRate);
                              w.key("snapshot").value(snapOrders || snapTrades);
                              w.key("warnings").beginArray().endArray().endObject();
                          },
                          timeIn));
            c.executions = true;
            sendExecSnapshot(c, snapOrders, snapTrades);
        } else {
            const bool snapshot = params.value(u"snapshot"_s).toBool(true);
            answer(c, response(
                          method, reqId, {},
                          [&](JsonWriter &w) {
                              w.beginObject().key("channel").value("balances");
                              w.key("snapshot").value(snapshot);
                              w.key("warnings").beginArray().endArray().endObject();
                          },
                          timeIn));
            c.balances = true;
            if (snapshot)
                sendBalanceSnapshot(c);
        }
    }

    // ---- rendering

    const SimPair *pairOf(const QString &symbol) const {
        return engine->config().pairBySymbol(symbol);
    }

    void writeTriggers(JsonWriter &w, const SimOrder &o, const char *status, qint64 timeMs) {
        const SimPair *p = pairOf(o.symbol);
        const int pd = p ? p->pricePrecision : 8;
        w.key("triggers").beginObject().key("reference").value("last");
        if (o.triggerSpec) {
            w.key("price").value(o.triggerSpec->value, o.triggerSpec->type == PriceType::Static
                                                           ? pd
                                                           : o.triggerSpec->value.scale());
            w.key("price_type").value(priceTypeName(o.triggerSpec->type));
        }
        if (o.triggerPrice)
            w.key("actual_price").value(*o.triggerPrice, pd);
        if (o.peakPrice)
            w.key("peak_price").value(*o.peakPrice, pd);
        w.key("status").value(status);
        w.key("timestamp").value(ts(timeMs));
        w.endObject();
    }

    void writeIds(JsonWriter &w, const SimOrder &o) {
        w.key("order_id").value(o.id);
        if (!o.clOrdId.isEmpty())
            w.key("cl_ord_id").value(o.clOrdId);
        if (o.userref)
            w.key("order_userref").value(*o.userref);
    }

    void writeCum(JsonWriter &w, const SimOrder &o) {
        const SimPair *p = pairOf(o.symbol);
        const int qd = p ? p->qtyPrecision : 8, pd = p ? p->pricePrecision : 8;
        const int cd = p ? p->instrument.costDecimals() : 8;
        w.key("cum_qty").value(o.filled, qd).key("cum_cost").value(o.cost, cd);
        if (const auto avg = o.avgPrice(pd))
            w.key("avg_price").value(*avg, pd);
    }

    // The full description of an order: pending_new and snapshot entries.
    void writeFullOrder(JsonWriter &w, const SimOrder &o) {
        const SimPair *p = pairOf(o.symbol);
        const int qd = p ? p->qtyPrecision : 8, pd = p ? p->pricePrecision : 8;
        w.key("symbol").value(o.symbol).key("side").value(sideName(o.side));
        w.key("order_type").value(orderTypeName(o.type));
        if (o.cashQty)
            w.key("cash_order_qty").value(*o.cashQty, p ? p->instrument.costDecimals() : 8);
        else
            w.key("order_qty").value(o.qty, qd);
        if (o.limitSpec && hasLimitPrice(o.type)) {
            const bool rel =
                o.limitSpec->type != PriceType::Static || o.type == OrderType::TrailingStopLimit;
            if (rel && o.type == OrderType::TrailingStopLimit) {
                w.key("limit_price").value(o.limitSpec->value, o.limitSpec->value.scale());
                w.key("limit_price_type")
                    .value(o.limitSpec->type == PriceType::Pct ? "pct" : "quote");
            } else if (o.limitPrice) {
                w.key("limit_price").value(*o.limitPrice, pd);
                w.key("limit_price_type").value("static");
            }
        }
        if (hasTrigger(o.type))
            writeTriggers(w, o, o.triggered ? "triggered" : "untriggered", o.lastActionMs);
        if (o.displayQty)
            w.key("display_qty").value(*o.displayQty, qd);
        w.key("time_in_force").value(tifName(o.tif));
        if (o.expireMs > 0)
            w.key("expire_time").value(ts(o.expireMs));
        w.key("post_only").value(o.postOnly).key("reduce_only").value(o.reduceOnly);
        w.key("margin").value(false);
        w.key("fee_ccy_pref").value(o.feeInBase ? "fees_in_base" : "fees_in_quote");
        w.key("effective_time").value(ts(o.openMs));
    }

    void writeTrade(JsonWriter &w, const SimOrder &o, const SimTrade &t) {
        const SimPair *p = pairOf(o.symbol);
        const int qd = p ? p->qtyPrecision : 8, pd = p ? p->pricePrecision : 8;
        const int cd = p ? p->instrument.costDecimals() : 8;
        const QString quote = p ? p->instrument.quote() : QString();
        w.key("trade_id").value(t.publicTradeId);
        w.key("symbol").value(o.symbol).key("side").value(sideName(o.side));
        w.key("order_type").value(orderTypeName(o.type));
        w.key("last_qty").value(t.qty, qd).key("last_price").value(t.price, pd);
        w.key("liquidity_ind").value(t.maker ? "m" : "t");
        w.key("cost").value(t.cost, cd);
        w.key("fees").beginArray().beginObject().key("asset").value(quote);
        w.key("qty").value(t.fee, t.fee.scale()).endObject().endArray();
        if (quote == u"USD"_s)
            w.key("fee_usd_equiv").value(t.fee, t.fee.scale());
    }

    QByteArray execEntry(const ExecReport &r) {
        const SimOrder &o = r.order;
        const SimPair *p = pairOf(o.symbol);
        const int qd = p ? p->qtyPrecision : 8, pd = p ? p->pricePrecision : 8;
        JsonWriter w;
        w.beginObject();
        writeIds(w, o);
        w.key("exec_id").value(r.execId).key("exec_type").value(r.execType);
        w.key("order_status").value(wsStatusName(o.status));
        if (r.execType == u"pending_new"_s) {
            writeFullOrder(w, o);
            writeCum(w, o);
        } else if (r.execType == u"new"_s) {
            // identifiers and status only
        } else if (r.execType == u"trade"_s && r.trade) {
            writeTrade(w, o, *r.trade);
            writeCum(w, o);
        } else if (r.execType == u"filled"_s) {
            writeCum(w, o);
            w.key("fee_usd_equiv").value(o.fee, o.fee.scale());
        } else if (r.execType == u"canceled"_s || r.execType == u"expired"_s) {
            writeCum(w, o);
            w.key("reason").value(r.reason);
        } else if (r.execType == u"amended"_s) {
            w.key("order_qty").value(o.qty, qd);
            if (o.limitPrice && hasLimitPrice(o.type))
                w.key("limit_price").value(*o.limitPrice, pd);
            if (o.displayQty)
                w.key("display_qty").value(*o.displayQty, qd);
            if (hasTrigger(o.type))
                writeTriggers(w, o, o.triggered ? "triggered" : "untriggered", r.timeMs);
            w.key("post_only").value(o.postOnly);
            w.key("amended").value(true).key("reason").value(r.reason);
        } else if (r.execType == u"iceberg_refill"_s) {
            w.key("display_qty").value(o.displayed, qd);
            writeCum(w, o);
        } else if (r.execType == u"restated"_s || r.execType == u"status"_s) {
            if (hasTrigger(o.type))
                writeTriggers(w, o, o.triggered ? "triggered" : "untriggered", r.timeMs);
            if (o.limitPrice && hasLimitPrice(o.type))
                w.key("limit_price").value(*o.limitPrice, pd);
            if (!r.reason.isEmpty())
                w.key("reason").value(r.reason);
        }
        w.key("timestamp").value(ts(r.timeMs));
        w.endObject();
        return w.take();
    }

    void sendChannel(Client &c, const char *channel, const char *type,
                     const std::vector<QByteArray> &entries, qint64 &seq) {
        JsonWriter w;
        w.beginObject().key("channel").value(channel).key("type").value(type);
        w.key("data").beginArray();
        for (const QByteArray &e : entries)
            w.raw(e);
        w.endArray().key("sequence").value(++seq).endObject();
        sendNow(c, w.take());
    }

    void sendExecSnapshot(Client &c, bool orders, bool trades) {
        std::vector<QByteArray> entries;
        if (orders) {
            for (const SimOrder &o : engine->openOrders(c.account)) {
                JsonWriter w;
                w.beginObject();
                writeIds(w, o);
                w.key("exec_type").value("new");
                w.key("order_status").value(wsStatusName(o.status));
                writeFullOrder(w, o);
                writeCum(w, o);
                w.key("timestamp").value(ts(o.lastActionMs));
                w.endObject();
                entries.push_back(w.take());
            }
        }
        if (trades) {
            const auto all = engine->trades(c.account);
            for (size_t i = 0; i < all.size() && i < 50; ++i) {
                const SimTrade &t = all[i];
                const SimOrder *o = engine->order(t.orderId);
                if (!o)
                    continue;
                JsonWriter w;
                w.beginObject();
                writeIds(w, *o);
                w.key("exec_id").value(t.id).key("exec_type").value("trade");
                writeTrade(w, *o, t);
                w.key("timestamp").value(ts(t.timeMs));
                w.endObject();
                entries.push_back(w.take());
            }
        }
        sendChannel(c, "executions", "snapshot", entries, c.execSeq);
    }

    void sendBalanceSnapshot(Client &c) {
        std::vector<QByteArray> entries;
        for (const QString &asset : engine->assetsOf(c.account)) {
            const SimAsset *a = engine->config().assetByDisplay(asset);
            const int d = a ? a->decimals : 8;
            const Decimal b = engine->balance(c.account, asset);
            JsonWriter w;
            w.beginObject().key("asset").value(asset).key("asset_class").value("currency");
            w.key("balance").value(b, d);
            w.key("wallets").beginArray().beginObject().key("type").value("spot");
            w.key("id").value("main").key("balance").value(b, d).endObject().endArray();
            w.endObject();
            entries.push_back(w.take());
        }
        sendChannel(c, "balances", "snapshot", entries, c.balSeq);
    }

    void onExecution(const QString &account, const ExecReport &r) {
        static const QStringList always{u"new"_s, u"trade"_s, u"filled"_s, u"canceled"_s,
                                        u"expired"_s};
        QByteArray entry;
        for (auto &c : clients) {
            if (!c->executions || c->account != account)
                continue;
            if (!c->orderStatus && !always.contains(r.execType))
                continue;
            if (entry.isEmpty())
                entry = execEntry(r);
            sendChannel(*c, "executions", "update", {entry}, c->execSeq);
        }
    }

    void onLedger(const QString &account, const SimLedgerEntry &l) {
        QByteArray entry;
        for (auto &c : clients) {
            if (!c->balances || c->account != account)
                continue;
            if (entry.isEmpty()) {
                const SimAsset *a = engine->config().assetByDisplay(l.asset);
                const int d = a ? a->decimals : 8;
                JsonWriter w;
                w.beginObject().key("ledger_id").value(l.id).key("ref_id").value(l.refId);
                w.key("timestamp").value(ts(l.timeMs)).key("type").value(l.type);
                w.key("subtype").value("").key("category").value(l.type);
                w.key("asset").value(l.asset).key("asset_class").value("currency");
                w.key("wallet_type").value("spot").key("wallet_id").value("main");
                w.key("amount").value(l.amount, d).key("fee").value(l.fee, d);
                w.key("balance").value(l.balance, d).endObject();
                entry = w.take();
            }
            sendChannel(*c, "balances", "update", {entry}, c->balSeq);
        }
    }

    void onRateCounter(const QString &account, const QString &symbol, double value) {
        for (auto &c : clients) {
            if (!c->executions || !c->rateCounter || c->account != account)
                continue;
            JsonWriter w;
            w.beginObject().key("symbol").value(symbol);
            const auto v = Decimal::fromString(QString::number(value, 'f', 2));
            w.key("ratecount").value(v.value_or(Decimal()), 2);
            w.key("timestamp").value(ts(engine->now())).endObject();
            sendChannel(*c, "executions", "update", {w.take()}, c->execSeq);
        }
    }

    // ---- trading methods

    QString parseOrder(const QJsonObject &p, const QString &symbol, OrderParams &o) {
        const SimPair *pair = engine->config().pairBySymbol(symbol);
        if (!pair)
            return u"EQuery:Unknown asset pair"_s;
        o.symbol = symbol;
        const auto side = sideFromName(p.value(u"side"_s).toString());
        if (!side)
            return u"EGeneral:Invalid arguments:side"_s;
        o.side = *side;
        const auto type = orderTypeFromName(p.value(u"order_type"_s).toString());
        if (!type)
            return u"EGeneral:Invalid arguments:order_type"_s;
        o.type = *type;
        if (p.contains(u"cash_order_qty"_s)) {
            const auto cq = decimalFromJson(p.value(u"cash_order_qty"_s));
            if (!cq)
                return u"EGeneral:Invalid arguments:cash_order_qty"_s;
            o.cashQty = *cq;
            o.qty = *cq;
        } else {
            const auto q = decimalFromJson(p.value(u"order_qty"_s));
            if (!q)
                return u"EGeneral:Invalid arguments:order_qty"_s;
            o.qty = *q;
        }
        if (p.contains(u"display_qty"_s)) {
            o.displayQty = decimalFromJson(p.value(u"display_qty"_s));
            if (!o.displayQty)
                return u"EGeneral:Invalid arguments:display_qty"_s;
        }
        if (p.contains(u"limit_price"_s)) {
            o.limit = wsPrice(p.value(u"limit_price"_s), p.value(u"limit_price_type"_s).toString());
            if (!o.limit)
                return u"EGeneral:Invalid arguments:limit_price"_s;
        }
        if (p.contains(u"triggers"_s)) {
            const QJsonObject t = p.value(u"triggers"_s).toObject();
            const QString ref = t.value(u"reference"_s).toString();
            if (!ref.isEmpty() && ref != u"last"_s && ref != u"index"_s)
                return u"EGeneral:Invalid arguments:triggers"_s;
            o.trigger = wsPrice(t.value(u"price"_s), t.value(u"price_type"_s).toString());
            if (!o.trigger)
                return u"EGeneral:Invalid arguments:triggers"_s;
        }
        const auto tif = timeInForceFromName(p.value(u"time_in_force"_s).toString());
        if (!tif)
            return u"EGeneral:Invalid arguments:time_in_force"_s;
        o.tif = *tif;
        if (p.contains(u"expire_time"_s)) {
            const QDateTime t =
                QDateTime::fromString(p.value(u"expire_time"_s).toString(), Qt::ISODateWithMs);
            if (!t.isValid())
                return u"EGeneral:Invalid arguments:expire_time"_s;
            o.expireMs = t.toMSecsSinceEpoch();
            if (o.tif == TimeInForce::GTC)
                o.tif = TimeInForce::GTD;
        }
        if (o.tif == TimeInForce::GTD && o.expireMs == 0)
            return u"EGeneral:Invalid arguments:expire_time"_s;
        if (p.contains(u"effective_time"_s)) {
            const QDateTime t =
                QDateTime::fromString(p.value(u"effective_time"_s).toString(), Qt::ISODateWithMs);
            if (!t.isValid() || t.toMSecsSinceEpoch() > engine->now() + 1000)
                return u"EGeneral:Invalid arguments:effective_time"_s; // not simulated
        }
        if (p.value(u"margin"_s).toBool())
            return u"EGeneral:Invalid arguments:margin"_s;
        if (p.contains(u"conditional"_s))
            return u"EGeneral:Invalid arguments:conditional"_s;
        o.postOnly = p.value(u"post_only"_s).toBool(false);
        o.reduceOnly = p.value(u"reduce_only"_s).toBool(false);
        o.feeInBase = p.value(u"fee_preference"_s).toString() == u"base"_s;
        o.clOrdId = p.value(u"cl_ord_id"_s).toString();
        if (p.contains(u"order_userref"_s))
            o.userref = p.value(u"order_userref"_s).toInteger();
        o.validateOnly = p.value(u"validate"_s).toBool(false);
        return {};
    }

    QString checkDeadline(const QJsonObject &p) {
        if (!p.contains(u"deadline"_s))
            return {};
        const QDateTime t =
            QDateTime::fromString(p.value(u"deadline"_s).toString(), Qt::ISODateWithMs);
        const qint64 now = engine->now();
        if (!t.isValid() || t.toMSecsSinceEpoch() > now + 60000)
            return u"EGeneral:Invalid arguments:deadline"_s;
        if (t.toMSecsSinceEpoch() < now)
            return u"EService:Deadline elapsed"_s;
        return {};
    }

    static void writeAddResult(JsonWriter &w, const MatchingEngine::AddResult &r) {
        w.beginObject().key("order_id").value(r.orderId);
        if (!r.order.clOrdId.isEmpty())
            w.key("cl_ord_id").value(r.order.clOrdId);
        if (r.order.userref)
            w.key("order_userref").value(*r.order.userref);
        w.endObject();
    }

    std::vector<QByteArray> trade(const QString &account, const QString &method,
                                  const QJsonObject &p, const QJsonValue &reqId, qint64 timeIn) {
        auto fail = [&](const QString &e) {
            return std::vector<QByteArray>{response(method, reqId, e, {}, timeIn)};
        };
        auto ok = [&](const std::function<void(JsonWriter &)> &result) {
            return std::vector<QByteArray>{response(method, reqId, {}, result, timeIn)};
        };
        if (QString d = checkDeadline(p); !d.isEmpty())
            return fail(d);
        if (method == u"add_order"_s) {
            OrderParams o;
            if (QString e = parseOrder(p, p.value(u"symbol"_s).toString(), o); !e.isEmpty())
                return fail(e);
            const auto r = engine->addOrder(account, o);
            if (!r.error.isEmpty())
                return fail(r.error);
            return ok([&](JsonWriter &w) { writeAddResult(w, r); });
        }
        if (method == u"batch_add"_s) {
            const QString symbol = p.value(u"symbol"_s).toString();
            const QJsonArray orders = p.value(u"orders"_s).toArray();
            if (orders.size() < 2 || orders.size() > 15)
                return fail(u"EGeneral:Invalid arguments:orders"_s);
            std::vector<OrderParams> params;
            for (const QJsonValue &v : orders) {
                OrderParams o;
                if (QString e = parseOrder(v.toObject(), symbol, o); !e.isEmpty())
                    return fail(e);
                o.validateOnly = true;
                params.push_back(o);
            }
            // The batch is all or nothing: validate every order before placing any.
            for (const OrderParams &o : params) {
                const auto r = engine->addOrder(account, o, false);
                if (!r.error.isEmpty())
                    return fail(r.error);
            }
            const bool validate = p.value(u"validate"_s).toBool(false);
            for (OrderParams &o : params)
                o.validateOnly = validate;
            QString err;
            const auto placed = engine->addOrderBatch(account, params, &err);
            if (!err.isEmpty())
                return fail(err);
            return ok([&](JsonWriter &w) {
                w.beginArray();
                for (const auto &r : placed) {
                    if (r.error.isEmpty())
                        writeAddResult(w, r);
                }
                w.endArray();
            });
        }
        if (method == u"amend_order"_s) {
            MatchingEngine::AmendParams a;
            a.orderId = p.value(u"order_id"_s).toString();
            a.clOrdId = p.value(u"cl_ord_id"_s).toString();
            if (a.orderId.isEmpty() == a.clOrdId.isEmpty())
                return fail(u"EGeneral:Invalid arguments:order_id or cl_ord_id required"_s);
            if (p.contains(u"order_qty"_s) && !(a.qty = decimalFromJson(p.value(u"order_qty"_s))))
                return fail(u"EGeneral:Invalid arguments:order_qty"_s);
            if (p.contains(u"display_qty"_s) &&
                !(a.displayQty = decimalFromJson(p.value(u"display_qty"_s))))
                return fail(u"EGeneral:Invalid arguments:display_qty"_s);
            if (p.contains(u"limit_price"_s) &&
                !(a.limit = wsPrice(p.value(u"limit_price"_s),
                                    p.value(u"limit_price_type"_s).toString())))
                return fail(u"EGeneral:Invalid arguments:limit_price"_s);
            if (p.contains(u"trigger_price"_s) &&
                !(a.trigger = wsPrice(p.value(u"trigger_price"_s),
                                      p.value(u"trigger_price_type"_s).toString())))
                return fail(u"EGeneral:Invalid arguments:trigger_price"_s);
            if (p.contains(u"post_only"_s))
                a.postOnly = p.value(u"post_only"_s).toBool();
            const auto r = engine->amendOrder(account, a);
            if (!r.error.isEmpty())
                return fail(r.error);
            const SimOrder *o = engine->order(r.orderId);
            return ok([&](JsonWriter &w) {
                w.beginObject().key("amend_id").value(r.amendId);
                w.key("order_id").value(r.orderId);
                if (o && !o->clOrdId.isEmpty())
                    w.key("cl_ord_id").value(o->clOrdId);
                w.endObject();
            });
        }
        if (method == u"edit_order"_s) {
            MatchingEngine::EditParams ep;
            ep.orderId = p.value(u"order_id"_s).toString();
            ep.symbol = p.value(u"symbol"_s).toString();
            if (ep.orderId.isEmpty() || ep.symbol.isEmpty())
                return fail(u"EGeneral:Invalid arguments"_s);
            if (p.contains(u"order_qty"_s) && !(ep.qty = decimalFromJson(p.value(u"order_qty"_s))))
                return fail(u"EGeneral:Invalid arguments:order_qty"_s);
            if (p.contains(u"display_qty"_s) &&
                !(ep.displayQty = decimalFromJson(p.value(u"display_qty"_s))))
                return fail(u"EGeneral:Invalid arguments:display_qty"_s);
            if (p.contains(u"limit_price"_s) &&
                !(ep.limit = wsPrice(p.value(u"limit_price"_s),
                                     p.value(u"limit_price_type"_s).toString())))
                return fail(u"EGeneral:Invalid arguments:limit_price"_s);
            if (p.contains(u"triggers"_s)) {
                const QJsonObject t = p.value(u"triggers"_s).toObject();
                ep.trigger = wsPrice(t.value(u"price"_s), t.value(u"price_type"_s).toString());
                if (!ep.trigger)
                    return fail(u"EGeneral:Invalid arguments:triggers"_s);
            }
            if (p.contains(u"post_only"_s))
                ep.postOnly = p.value(u"post_only"_s).toBool();
            if (p.contains(u"order_userref"_s))
                ep.userref = p.value(u"order_userref"_s).toInteger();
            ep.validateOnly = p.value(u"validate"_s).toBool(false);
            const auto r = engine->editOrder(account, ep);
            if (!r.error.isEmpty())
                return fail(r.error);
            return ok([&](JsonWriter &w) {
                w.beginObject().key("order_id").value(r.newOrderId);
                w.key("original_order_id").value(r.originalOrderId).endObject();
            });
        }
        if (method == u"cancel_order"_s) {
            auto list = [&](const QString &name) {
                QStringList out;
                const QJsonValue v = p.value(name);
                const QJsonArray a = v.isArray() ? v.toArray() : QJsonArray{v};
                for (const QJsonValue &e : a) {
                    if (e.isString())
                        out.append(e.toString());
                    else if (e.isDouble())
                        out.append(QString::number(e.toInteger()));
                }
                return out;
            };
            const QStringList ids = list(u"order_id"_s), cls = list(u"cl_ord_id"_s),
                              refs = list(u"order_userref"_s);
            if (ids.isEmpty() && cls.isEmpty() && refs.isEmpty())
                return fail(u"EGeneral:Invalid arguments:order_id"_s);
            // One answer per identifier, as Kraken sends them.
            std::vector<QByteArray> out;
            auto one = [&](const QString &ref, const char *key) {
                const auto r = engine->cancelOrders(account, {ref});
                if (!r.error.isEmpty()) {
                    out.push_back(response(method, reqId, r.error, {}, timeIn));
                    return;
                }
                out.push_back(response(
                    method, reqId, {},
                    [&](JsonWriter &w) { w.beginObject().key(key).value(ref).endObject(); },
                    timeIn));
            };
            for (const QString &id : ids)
                one(id, "order_id");
            for (const QString &cl : cls)
                one(cl, "cl_ord_id");
            for (const QString &ur : refs)
                one(ur, "order_userref");
            return out;
        }
        if (method == u"cancel_all"_s) {
            const int n = engine->cancelAll(account);
            return ok([&](JsonWriter &w) {
                w.beginObject().key("count").value(n).key("warnings").beginArray().endArray();
                w.endObject();
            });
        }
        if (method == u"cancel_all_orders_after"_s) {
            const QJsonValue tv = p.value(u"timeout"_s);
            if (!tv.isDouble() || tv.toInteger() < 0 || tv.toInteger() > 86400)
                return fail(u"EGeneral:Invalid arguments:timeout"_s);
            const qint64 trigger = engine->cancelAllOrdersAfter(account, int(tv.toInteger()));
            const qint64 now = engine->now();
            auto iso = [](qint64 ms) {
                return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODate);
            };
            return ok([&](JsonWriter &w) {
                w.beginObject().key("currentTime").value(iso(now));
                w.key("triggerTime").value(trigger > 0 ? iso(trigger) : u"0"_s).endObject();
            });
        }
        if (method == u"batch_cancel"_s) {
            QStringList refs;
            for (const QJsonValue &v : p.value(u"orders"_s).toArray())
                refs.append(v.isDouble() ? QString::number(v.toInteger()) : v.toString());
            for (const QJsonValue &v : p.value(u"cl_ord_id"_s).toArray())
                refs.append(v.toString());
            if (refs.size() < 1 || refs.size() > 50)
                return fail(u"EGeneral:Invalid arguments:orders"_s);
            const auto r = engine->cancelOrders(account, refs);
            if (!r.error.isEmpty())
                return fail(r.error);
            const int n = int(r.orderIds.size());
            return ok([&](JsonWriter &w) {
                w.beginObject().key("count").value(n).key("warnings").beginArray().endArray();
                w.endObject();
            });
        }
        return fail(u"Method not found"_s);
    }
};

PrivateWsServer::PrivateWsServer(MatchingEngine *engine, Faults *faults, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->engine = engine;
    d->faults = faults;
    connect(&d->server, &QWebSocketServer::newConnection, this, [this] { d->onConnection(); });
    connect(engine, &MatchingEngine::execution, this,
            [this](const QString &a, const ExecReport &r) { d->onExecution(a, r); });
    connect(engine, &MatchingEngine::ledgerPosted, this,
            [this](const QString &a, const SimLedgerEntry &l) { d->onLedger(a, l); });
    connect(engine, &MatchingEngine::tradingCounterChanged, this,
            [this](const QString &a, const QString &s, double v) { d->onRateCounter(a, s, v); });
    if (faults)
        connect(faults, &Faults::dropWsNow, this, &PrivateWsServer::closeAll);
    d->heartbeat.setInterval(1000);
    connect(&d->heartbeat, &QTimer::timeout, this, [this] {
        for (auto &c : d->clients) {
            if (c->executions || c->balances)
                d->sendNow(*c, "{\"channel\":\"heartbeat\"}"_ba);
        }
    });
    d->heartbeat.start();
}

PrivateWsServer::~PrivateWsServer() {
    // The sockets' signals must not reach the client list while it is torn down.
    for (auto &c : d->clients) {
        if (c->socket) {
            c->socket->disconnect(this);
            c->socket->abort();
            delete c->socket.data();
        }
    }
    d->clients.clear();
    d->server.close();
}

bool PrivateWsServer::listen(const QHostAddress &address, quint16 port) {
    if (!d->server.listen(address, port)) {
        qCWarning(lcSim) << "auth WebSocket server cannot listen:" << d->server.errorString();
        return false;
    }
    return true;
}

QUrl PrivateWsServer::url() const {
    return loopbackWsUrl(d->server, u"/v2"_s);
}

void PrivateWsServer::closeAll() {
    for (auto &c : d->clients) {
        if (c->socket)
            c->socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"paper exchange drop"_s);
    }
}

int PrivateWsServer::clientCount() const {
    return int(d->clients.size());
}

} // namespace kraken::sim
