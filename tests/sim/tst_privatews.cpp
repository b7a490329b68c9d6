// The paper exchange's authenticated WebSocket v2 endpoint over a real QWebSocket: status,
// ping, tokens, the executions and balances channels (snapshots, updates, sequences, exact
// number text) and the trading methods with Kraken's request and response shapes.

#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/sim/simjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

Decimal d(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

struct Conn {
    QWebSocket socket;
    QStringList texts;
    QList<QJsonObject> messages;

    Conn() {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &t) {
                             texts.append(t);
                             messages.append(QJsonDocument::fromJson(t.toUtf8()).object());
                         });
    }
    void send(const QJsonObject &o) {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    // The first response to `method` with this req_id, waiting for it.
    QJsonObject response(const QString &method, int reqId) {
        QJsonObject found;
        [[maybe_unused]] const bool ok = QTest::qWaitFor(
            [&] {
                for (const QJsonObject &m : std::as_const(messages)) {
                    if (m.value(u"method"_s).toString() == method &&
                        m.value(u"req_id"_s).toInt() == reqId) {
                        found = m;
                        return true;
                    }
                }
                return false;
            },
            10000);
        return found;
    }
    QList<QJsonObject> channel(const QString &name) const {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages) {
            if (m.value(u"channel"_s).toString() == name)
                out.append(m);
        }
        return out;
    }
    // Every executions entry for an order, in arrival order.
    QList<QJsonObject> execs(const QString &orderId) const {
        QList<QJsonObject> out;
        for (const QJsonObject &m : channel(u"executions"_s)) {
            for (const QJsonValue &e : m.value(u"data"_s).toArray()) {
                if (e.toObject().value(u"order_id"_s).toString() == orderId)
                    out.append(e.toObject());
            }
        }
        return out;
    }
    QStringList execTypes(const QString &orderId) const {
        QStringList out;
        for (const QJsonObject &e : execs(orderId))
            out.append(e.value(u"exec_type"_s).toString());
        return out;
    }
};

QJsonObject request(const char *method, const QJsonObject &params, int reqId) {
    return QJsonObject{
        {u"method"_s, QString::fromLatin1(method)}, {u"params"_s, params}, {u"req_id"_s, reqId}};
}

} // namespace

class TestPrivateWs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void statusPingAndTokens();
    void executionsAndBalances();
    void tradingMethods();
    void faults();

private:
    bool connectTo(Conn &c);
    std::unique_ptr<PaperExchange> m_ex;
    QString m_token;
};

void TestPrivateWs::init() {
    m_ex = std::make_unique<PaperExchange>(SimConfig::builtIn());
    m_ex->setStepInterval(0);
    QString error;
    QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    m_token = m_ex->engine().issueWsToken(u"paper"_s);
}

void TestPrivateWs::cleanup() {
    m_ex.reset();
}

bool TestPrivateWs::connectTo(Conn &c) {
    c.socket.open(m_ex->wsAuthUrl());
    return QTest::qWaitFor([&] { return !c.messages.isEmpty(); }, 10000);
}

void TestPrivateWs::statusPingAndTokens() {
    Conn c;
    QVERIFY(connectTo(c));
    const QJsonObject status = c.messages.front();
    QCOMPARE(status.value(u"channel"_s).toString(), u"status"_s);
    QCOMPARE(status.value(u"type"_s).toString(), u"update"_s);
    const QJsonObject s = status.value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(s.value(u"api_version"_s).toString(), u"v2"_s);
    QCOMPARE(s.value(u"system"_s).toString(), u"online"_s);
    QVERIFY(s.value(u"connection_id"_s).isDouble());
    QCOMPARE(m_ex->engine().accountOfToken(m_token), u"paper"_s);

    c.send(QJsonObject{{u"method"_s, u"ping"_s}, {u"req_id"_s, 7}});
    const QJsonObject pong = c.response(u"pong"_s, 7);
    QVERIFY(pong.contains(u"time_in"_s) && pong.contains(u"time_out"_s));

    c.send(request("subscribe", {{u"channel"_s, u"executions"_s}, {u"token"_s, u"nope"_s}}, 8));
    const QJsonObject bad = c.response(u"subscribe"_s, 8);
    QCOMPARE(bad.value(u"success"_s).toBool(true), false);
    QCOMPARE(bad.value(u"error"_s).toString(), u"EAPI:Invalid token"_s);
    QVERIFY(!bad.contains(u"result"_s));

    c.send(request("add_order",
                   {{u"order_type"_s, u"market"_s},
                    {u"side"_s, u"buy"_s},
                    {u"order_qty"_s, 0.01},
                    {u"symbol"_s, u"BTC/USD"_s}},
                   9));
    QCOMPARE(c.response(u"add_order"_s, 9).value(u"error"_s).toString(), u"EAPI:Invalid token"_s);
    QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(0));
}

void TestPrivateWs::executionsAndBalances() {
    // An order resting before we subscribe shows in the snapshot.
    const Decimal far = *m_ex->market(u"BTC/USD")->bestBid()->minus(d("1000"));
    OrderParams p;
    p.symbol = u"BTC/USD"_s;
    p.side = Side::Buy;
    p.type = OrderType::Limit;
    p.qty = d("0.50000000");
    p.limit = PriceSpec{far};
    const QString resting = m_ex->engine().addOrder(u"paper"_s, p).orderId;

    Conn c;
    QVERIFY(connectTo(c));
    c.send(request("subscribe",
                   {{u"channel"_s, u"executions"_s},
                    {u"token"_s, m_token},
                    {u"snap_orders"_s, true},
                    {u"snap_trades"_s, true}},
                   1));
    const QJsonObject ack = c.response(u"subscribe"_s, 1);
    QVERIFY(ack.value(u"success"_s).toBool());
    QCOMPARE(ack[u"result"_s][u"channel"_s].toString(), u"executions"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!c.channel(u"executions"_s).isEmpty(), 10000);
    const QJsonObject snap = c.channel(u"executions"_s).front();
    QCOMPARE(snap.value(u"type"_s).toString(), u"snapshot"_s);
    QCOMPARE(snap.value(u"sequence"_s).toInt(), 1);
    const QJsonArray data = snap.value(u"data"_s).toArray();
    QCOMPARE(data.size(), 1);
    const QJsonObject o = data.at(0).toObject();
    QCOMPARE(o.value(u"order_id"_s).toString(), resting);
    QCOMPARE(o.value(u"order_status"_s).toString(), u"new"_s);
    QCOMPARE(o.value(u"symbol"_s).toString(), u"BTC/USD"_s);
    QCOMPARE(o.value(u"side"_s).toString(), u"buy"_s);
    QCOMPARE(o.value(u"order_type"_s).toString(), u"limit"_s);
    // Numbers keep the instrument's precision on the wire.
    QVERIFY(c.texts.last().contains(u"\"order_qty\":0.50000000"_s));
    QVERIFY(c.texts.last().contains(u"\"limit_price\":"_s + far.toString(1)));

    c.send(request("subscribe", {{u"channel"_s, u"balances"_s}, {u"token"_s, m_token}}, 2));
    QVERIFY(c.response(u"subscribe"_s, 2).value(u"success"_s).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!c.channel(u"balances"_s).isEmpty(), 10000);
    const QJsonObject bsnap = c.channel(u"balances"_s).front();
    QCOMPARE(bsnap.value(u"type"_s).toString(), u"snapshot"_s);
    bool sawUsd = false;
    for (const QJsonValue &v : bsnap.value(u"data"_s).toArray()) {
        const QJsonObject b = v.toObject();
        if (b.value(u"asset"_s).toString() == u"USD"_s) {
            sawUsd = true;
            QCOMPARE(b.value(u"asset_class"_s).toString(), u"currency"_s);
            QCOMPARE(b[u"wallets"_s][0][u"type"_s].toString(), u"spot"_s);
        }
    }
    QVERIFY(sawUsd);
    QVERIFY(c.texts.last().contains(
        u"\"asset\":\"USD\",\"asset_class\":\"currency\",\"balance\":100000.0000"_s));

    // A market buy over WebSocket: ack, then pending_new, new, trade..., filled.
    c.send(request("add_order",
                   {{u"order_type"_s, u"market"_s},
                    {u"side"_s, u"buy"_s},
                    {u"order_qty"_s, 0.01},
                    {u"symbol"_s, u"BTC/USD"_s},
                    {u"cl_ord_id"_s, u"ws-buy-1"_s},
                    {u"token"_s, m_token}},
                   3));
    const QJsonObject added = c.response(u"add_order"_s, 3);
    QVERIFY(added.value(u"success"_s).toBool());
    const QString id = added[u"result"_s][u"order_id"_s].toString();
    QCOMPARE(added[u"result"_s][u"cl_ord_id"_s].toString(), u"ws-buy-1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(c.execTypes(id).contains(u"filled"_s), 10000);
    const QStringList types = c.execTypes(id);
    QCOMPARE(types.mid(0, 3), (QStringList{u"pending_new"_s, u"new"_s, u"trade"_s}));
    QCOMPARE(types.last(), u"filled"_s);
    const QList<QJsonObject> ex = c.execs(id);
    QCOMPARE(ex.front().value(u"cl_ord_id"_s).toString(), u"ws-buy-1"_s);
    const QJsonObject trade = ex.at(2);
    QCOMPARE(trade.value(u"liquidity_ind"_s).toString(), u"t"_s);
    QVERIFY(trade.value(u"trade_id"_s).isDouble());
    QCOMPARE(trade[u"fees"_s][0][u"asset"_s].toString(), u"USD"_s);
    QCOMPARE(ex.last().value(u"order_status"_s).toString(), u"filled"_s);
    // The same order through the engine (the REST view reads the same state).
    const SimOrder *so = m_ex->engine().order(id);
    QCOMPARE(*decimalFromJson(ex.last().value(u"cum_qty"_s)), so->filled);
    // Sequences on a channel count up by one per message.
    int seq = 0;
    for (const QJsonObject &m : c.channel(u"executions"_s)) {
        QCOMPARE(m.value(u"sequence"_s).toInt(), seq + 1);
        seq = m.value(u"sequence"_s).toInt();
    }
    // Ledger-driven balance updates, with the new balance.
    QTRY_VERIFY_WITH_TIMEOUT(c.channel(u"balances"_s).size() >= 3, 10000);
    const QJsonObject upd = c.channel(u"balances"_s).last();
    QCOMPARE(upd.value(u"type"_s).toString(), u"update"_s);
    const QJsonObject l = upd[u"data"_s][0].toObject();
    QCOMPARE(l.value(u"type"_s).toString(), u"trade"_s);
    QVERIFY(l.value(u"ledger_id"_s).toString().startsWith(u'L'));
    QCOMPARE(l.value(u"ref_id"_s).toString(), so->tradeIds.last());
    const QString asset = l.value(u"asset"_s).toString();
    QCOMPARE(*decimalFromJson(l.value(u"balance"_s)), m_ex->engine().balance(u"paper"_s, asset));

    // Cancel the resting order: answer, then a canceled execution.
    c.send(
        request("cancel_order", {{u"order_id"_s, QJsonArray{resting}}, {u"token"_s, m_token}}, 4));
    const QJsonObject cancelled = c.response(u"cancel_order"_s, 4);
    QVERIFY(cancelled.value(u"success"_s).toBool());
    QCOMPARE(cancelled[u"result"_s][u"order_id"_s].toString(), resting);
    QTRY_VERIFY_WITH_TIMEOUT(c.execTypes(resting).contains(u"canceled"_s), 10000);
    QCOMPARE(c.execs(resting).last().value(u"reason"_s).toString(), u"User requested"_s);
}

void TestPrivateWs::tradingMethods() {
    Conn c;
    QVERIFY(connectTo(c));
    c.send(request("subscribe", {{u"channel"_s, u"executions"_s}, {u"token"_s, m_token}}, 1));
    QVERIFY(c.response(u"subscribe"_s, 1).value(u"success"_s).toBool());
    const double far = m_ex->market(u"BTC/USD")->bestBid()->toString().toDouble() - 1000;
    auto limit = [&](double price, const char *qty) {
        return QJsonObject{{u"order_type"_s, u"limit"_s},
                           {u"side"_s, u"buy"_s},
                           {u"order_qty"_s, QString::fromLatin1(qty).toDouble()},
                           {u"limit_price"_s, std::round(price)}};
    };
    QJsonObject p = limit(far, "0.02");
    p.insert(u"symbol"_s, u"BTC/USD"_s);
    p.insert(u"token"_s, m_token);
    p.insert(u"order_userref"_s, 42);
    c.send(request("add_order", p, 2));
    const QJsonObject a = c.response(u"add_order"_s, 2);
    QVERIFY(a.value(u"success"_s).toBool());
    const QString id = a[u"result"_s][u"order_id"_s].toString();
    QCOMPARE(a[u"result"_s][u"order_userref"_s].toInt(), 42);

    c.send(request("amend_order",
                   {{u"order_id"_s, id}, {u"order_qty"_s, 0.01}, {u"token"_s, m_token}}, 3));
    const QJsonObject am = c.response(u"amend_order"_s, 3);
    QVERIFY(am.value(u"success"_s).toBool());
    QVERIFY(!am[u"result"_s][u"amend_id"_s].toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(c.execTypes(id).contains(u"amended"_s), 10000);
    QCOMPARE(m_ex->engine().order(id)->qty, d("0.01"));

    c.send(request("edit_order",
                   {{u"order_id"_s, id},
                    {u"symbol"_s, u"BTC/USD"_s},
                    {u"order_qty"_s, 0.03},
                    {u"token"_s, m_token}},
                   4));
    const QJsonObject ed = c.response(u"edit_order"_s, 4);
    QVERIFY(ed.value(u"success"_s).toBool());
    QCOMPARE(ed[u"result"_s][u"original_order_id"_s].toString(), id);
    const QString edited = ed[u"result"_s][u"order_id"_s].toString();
    QVERIFY(edited != id);

    QJsonObject b1 = limit(far, "0.01"), b2 = limit(far - 10, "0.01");
    c.send(request(
        "batch_add",
        {{u"symbol"_s, u"BTC/USD"_s}, {u"orders"_s, QJsonArray{b1, b2}}, {u"token"_s, m_token}},
        5));
    const QJsonObject ba = c.response(u"batch_add"_s, 5);
    QVERIFY(ba.value(u"success"_s).toBool());
    const QJsonArray res = ba.value(u"result"_s).toArray();
    QCOMPARE(res.size(), 2);
    c.send(request("batch_cancel",
                   {{u"orders"_s, QJsonArray{res[0][u"order_id"_s], res[1][u"order_id"_s]}},
                    {u"token"_s, m_token}},
                   6));
    const QJsonObject bc = c.response(u"batch_cancel"_s, 6);
    QCOMPARE(bc[u"result"_s][u"count"_s].toInt(), 2);

    c.send(request("cancel_all_orders_after", {{u"timeout"_s, 60}, {u"token"_s, m_token}}, 7));
    const QJsonObject dms = c.response(u"cancel_all_orders_after"_s, 7);
    const QDateTime now =
        QDateTime::fromString(dms[u"result"_s][u"currentTime"_s].toString(), Qt::ISODate);
    const QDateTime trig =
        QDateTime::fromString(dms[u"result"_s][u"triggerTime"_s].toString(), Qt::ISODate);
    QCOMPARE(now.secsTo(trig), 60);

    c.send(request("cancel_all", {{u"token"_s, m_token}}, 8));
    QCOMPARE(c.response(u"cancel_all"_s, 8)[u"result"_s][u"count"_s].toInt(), 1);

    // Errors in Kraken's words.
    c.send(request("cancel_order", {{u"order_id"_s, QJsonArray{id}}, {u"token"_s, m_token}}, 9));
    const QJsonObject unknown = c.response(u"cancel_order"_s, 9);
    QCOMPARE(unknown.value(u"success"_s).toBool(true), false);
    QCOMPARE(unknown.value(u"error"_s).toString(), u"EOrder:Unknown order"_s);
    QJsonObject big = limit(far, "100");
    big.insert(u"symbol"_s, u"BTC/USD"_s);
    big.insert(u"token"_s, m_token);
    c.send(request("add_order", big, 10));
    QCOMPARE(c.response(u"add_order"_s, 10).value(u"error"_s).toString(),
             u"EOrder:Insufficient funds"_s);
    // Far through the ask, so the live market cannot move away before the order arrives.
    QJsonObject post =
        limit(m_ex->market(u"BTC/USD")->bestAsk()->toString().toDouble() + 1000, "0.01");
    post.insert(u"symbol"_s, u"BTC/USD"_s);
    post.insert(u"post_only"_s, true);
    post.insert(u"token"_s, m_token);
    c.send(request("add_order", post, 11));
    QCOMPARE(c.response(u"add_order"_s, 11).value(u"error"_s).toString(),
             u"EOrder:Post only order"_s);
}

void TestPrivateWs::faults() {
    Conn c;
    QVERIFY(connectTo(c));
    QString err;
    QVERIFY(m_ex->faults().apply(u"order_rate_limit_errors=1"_s, &err));
    const QJsonObject order{{u"order_type"_s, u"market"_s},
                            {u"side"_s, u"buy"_s},
                            {u"order_qty"_s, 0.01},
                            {u"symbol"_s, u"BTC/USD"_s},
                            {u"token"_s, m_token}};
    c.send(request("add_order", order, 1));
    QCOMPARE(c.response(u"add_order"_s, 1).value(u"error"_s).toString(),
             u"EOrder:Rate limit exceeded"_s);
    // A lost acknowledgement: no answer, but the order was carried out.
    QVERIFY(m_ex->faults().apply(u"lose_order_ack=1"_s, &err));
    c.send(request("add_order", order, 2));
    c.send(QJsonObject{{u"method"_s, u"ping"_s}, {u"req_id"_s, 3}});
    QVERIFY(!c.response(u"pong"_s, 3).isEmpty());
    // Answers go out in order, so the pong means the add_order answer would be here.
    for (const QJsonObject &m : std::as_const(c.messages))
        QVERIFY(m.value(u"req_id"_s).toInt() != 2);
    QCOMPARE(m_ex->engine().trades(u"paper"_s).empty(), false);
    // drop_ws_now closes the connection.
    QVERIFY(m_ex->faults().apply(u"drop_ws_now"_s, &err));
    QTRY_COMPARE_WITH_TIMEOUT(c.socket.state(), QAbstractSocket::UnconnectedState, 10000);
}

QTEST_GUILESS_MAIN(TestPrivateWs)
#include "tst_privatews.moc"
