// TradingWsClient, Kraken's authenticated WebSocket v2, over real loopback sockets: against the
// in-process paper exchange (tokens from its REST API, orders matched by its engine, its
// faults for lost answers and dropped sockets) and, for frames the exchange never sends
// (malformed ones, sequence gaps), against a small scripted server in this file. The private
// channel parsers are checked on the documented frame and on malformed frames.

#include "kraken/core/credentials.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/tradingwsclient.h"
#include "kraken/spot/wsparser.h"
#include "tests/spot/spottestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using spottest::dec;

namespace {

// Kraken's example executions frame (kraken-protocol.md §6.6), verbatim.
constexpr char docExecutionsFrame[] =
    R"({"channel":"executions","type":"update","data":[{"order_id":"OABC12-DEF34-GHI567","exec_id":"T1XYZ2-ABCDE-FGHIJK","exec_type":"trade","trade_id":123456,"symbol":"BTC/USD","side":"buy","last_qty":0.01,"last_price":64000.1,"liquidity_ind":"t","cost":640.001,"order_status":"filled","order_type":"limit","cum_qty":0.01,"cum_cost":640.001,"avg_price":64000.1,"fees":[{"asset":"USD","qty":2.56}],"fee_usd_equiv":2.56,"timestamp":"2024-05-01T10:00:01.000000Z"}],"sequence":42})";

constexpr char balancesSnapshotFrame[] =
    R"({"channel":"balances","type":"snapshot","data":[{"asset":"BTC","asset_class":"currency","balance":1.00000000,"wallets":[{"type":"spot","id":"main","balance":1.00000000}]},{"asset":"USD","asset_class":"currency","balance":100000.0000,"wallets":[]}],"sequence":1})";

constexpr char balancesUpdateFrame[] =
    R"({"channel":"balances","type":"update","data":[{"ledger_id":"L4UESK-KG3EQ-UFO4T5","ref_id":"TCCCTY-WE2O6-P3NB37","timestamp":"2024-05-01T10:00:01.500000Z","type":"trade","subtype":"","category":"trade","asset":"USD","asset_class":"currency","wallet_type":"spot","wallet_id":"main","amount":-640.0010,"fee":2.5600,"balance":99357.4390}],"sequence":2})";

constexpr char amendedFrame[] =
    R"({"channel":"executions","type":"update","data":[{"order_id":"OAAAAA-BBBBB-CCCCCC","cl_ord_id":"c-1","order_userref":-7,"exec_type":"amended","order_status":"new","order_qty":0.40000000,"limit_price":59000.0,"limit_price_type":"static","triggers":{"reference":"last","price":1.5,"price_type":"pct","actual_price":63040.5,"status":"untriggered"},"post_only":true,"amended":true,"reason":"User requested","timestamp":"2024-05-01T10:00:02Z","expire_time":"2024-05-02T10:00:00.000Z"}],"sequence":7})";

// Frames used inside the test class (moc cannot read raw strings there).
constexpr char frame0[] = R"({"channel":"balances","type":"update","data":[]})";
constexpr char frame1[] = R"({"channel":"executions","type":"update"})";
constexpr char frame2[] = R"({"channel":"executions","type":"update","data":{}})";
constexpr char frame3[] =
    R"({"channel":"executions","type":"update","data":[{"exec_type":"new"}]})";
constexpr char frame4[] = R"({"channel":"executions","type":"update","data":[],"pad":")";
constexpr char frame5[] =
    R"({"channel":"executions","type":"update","data":[{"exec_type":"new"}],"sequence":2})";
constexpr char frame6[] = R"({"channel":"level9","type":"update","data":[]})";
constexpr char frame7[] =
    R"({"method":"add_order","req_id":999,"success":false,"error":"EGeneral:Internal error"})";
constexpr char frame8[] = R"({"channel":"executions","type":"update","data":[],"sequence":3})";
constexpr char frame9[] = R"({"channel":"executions","type":"update","data":[],"sequence":4})";

struct Outcome {
    int calls = 0;
    std::optional<Result<ws::MethodResponse>> result;
    bool done() const { return calls > 0; }
    const Error &error() const { return result->error(); }
    const ws::MethodResponse &value() const { return result->value(); }
};

TradingWsClient::Done recorder(const std::shared_ptr<Outcome> &o) {
    return [o](Result<ws::MethodResponse> r) {
        ++o->calls;
        o->result.emplace(std::move(r));
    };
}

QList<ws::ExecutionReport> reportsOf(const QSignalSpy &spy) {
    QList<ws::ExecutionReport> out;
    for (const QList<QVariant> &args : spy)
        out += args.at(0).value<ws::ExecutionsMessage>().reports;
    return out;
}

std::optional<ws::ExecutionReport> findReport(const QSignalSpy &spy, const QString &orderId,
                                              const QString &execType) {
    for (const ws::ExecutionReport &r : reportsOf(spy)) {
        if (r.orderId == orderId && r.execType == execType)
            return r;
    }
    return std::nullopt;
}

// A scripted authenticated endpoint: acknowledges the two subscriptions, remembers what each
// connection sent, and lets a test push any frame.
class ScriptedAuthServer : public QObject {
public:
    QWebSocketServer server{u"scripted"_s, QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> sockets;
    QList<QJsonObject> received;
    QStringList subscribeTokens;

    ScriptedAuthServer() {
        server.listen(QHostAddress::LocalHost, 0);
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = server.nextPendingConnection()) {
                s->setParent(this);
                sockets.append(s);
                connect(s, &QWebSocket::textMessageReceived, this,
                        [this, s](const QString &t) { onText(s, t); });
            }
        });
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/v2"_s.arg(server.serverPort())); }
    void send(const QByteArray &frame) {
        sockets.last()->sendTextMessage(QString::fromUtf8(frame));
    }
    void onText(QWebSocket *s, const QString &text) {
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        received.append(m);
        if (m.value(u"method"_s).toString() != u"subscribe"_s)
            return;
        const QJsonObject params = m.value(u"params"_s).toObject();
        const QString channel = params.value(u"channel"_s).toString();
        subscribeTokens.append(params.value(u"token"_s).toString());
        const QByteArray ack =
            QJsonDocument(QJsonObject{{u"method"_s, u"subscribe"_s},
                                      {u"req_id"_s, m.value(u"req_id"_s)},
                                      {u"success"_s, true},
                                      {u"result"_s, QJsonObject{{u"channel"_s, channel}}}})
                .toJson(QJsonDocument::Compact);
        s->sendTextMessage(QString::fromUtf8(ack));
        if (channel == u"executions"_s)
            s->sendTextMessage(
                uR"({"channel":"executions","type":"snapshot","data":[],"sequence":1})"_s);
    }
};

} // namespace

class TestTradingWsClient : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<sim::PaperExchange> m_ex;
    std::unique_ptr<RestClient> m_rest;
    int m_pd = 1, m_qd = 8;

    TradingWsClientConfig config(const QUrl &url) {
        TradingWsClientConfig c;
        c.url = url;
        c.reconnectInitialMs = 50;
        c.reconnectMaxMs = 500;
        c.jitterSeed = 7;
        c.requestTimeoutMs = 20'000;
        return c;
    }
    std::unique_ptr<TradingWsClient> liveClient(TradingWsClientConfig c) {
        auto ws = std::make_unique<TradingWsClient>(m_rest.get(), c);
        ws->open();
        [[maybe_unused]] const bool live = QTest::qWaitFor([&] { return ws->isLive(); }, 20'000);
        return ws;
    }
    std::unique_ptr<TradingWsClient> liveClient() { return liveClient(config(m_ex->wsAuthUrl())); }
    void fault(const QString &setting) {
        QString why;
        QVERIFY2(m_ex->faults().apply(setting, &why), qPrintable(why));
    }
    // A buy limit far below the market: rests, never fills.
    OrderRequest restingBuy(const QString &clOrdId) {
        OrderRequest o;
        o.pair = u"BTC/USD"_s;
        o.side = Side::Buy;
        o.orderType = u"limit"_s;
        o.volume = dec("0.5");
        o.price = *m_ex->market(u"BTC/USD")->bestBid()->minus(dec("1000"));
        o.clOrdId = clOrdId;
        return o;
    }

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
        m_rest = std::make_unique<RestClient>(spottest::testConfig(m_ex->restUrl()));
        const sim::SimAccount &a = m_ex->config().accounts.first();
        m_rest->setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
        const sim::SimPair *p = m_ex->config().pairBySymbol(u"BTC/USD");
        QVERIFY(p);
        m_pd = p->pricePrecision;
        m_qd = p->qtyPrecision;
    }
    void cleanup() {
        m_rest.reset();
        m_ex.reset();
    }

    // ---- parsers

    void parsesTheDocumentedExecutionsFrame() {
        const auto m = parseExecutions(QByteArrayView(docExecutionsFrame));
        QVERIFY2(m.ok(), qPrintable(m.error().toString()));
        QVERIFY(!m->snapshot);
        QCOMPARE(m->sequence.value_or(-1), 42);
        QCOMPARE(m->reports.size(), 1);
        const ws::ExecutionReport &r = m->reports.front();
        QCOMPARE(r.orderId, u"OABC12-DEF34-GHI567"_s);
        QCOMPARE(r.execId, u"T1XYZ2-ABCDE-FGHIJK"_s);
        QCOMPARE(r.execType, u"trade"_s);
        QCOMPARE(r.tradeId.value_or(0), 123456);
        QCOMPARE(r.symbol, u"BTC/USD"_s);
        QCOMPARE(r.side, u"buy"_s);
        QCOMPARE(r.orderStatus, u"filled"_s);
        QCOMPARE(r.orderType, u"limit"_s);
        QCOMPARE(r.liquidityInd, u"t"_s);
        // Exact text, scale included.
        QCOMPARE(r.lastQty->toString(), u"0.01"_s);
        QCOMPARE(r.lastPrice->toString(), u"64000.1"_s);
        QCOMPARE(r.cost->toString(), u"640.001"_s);
        QCOMPARE(r.cumQty->toString(), u"0.01"_s);
        QCOMPARE(r.cumCost->toString(), u"640.001"_s);
        QCOMPARE(r.avgPrice->toString(), u"64000.1"_s);
        QCOMPARE(r.feeUsdEquiv->toString(), u"2.56"_s);
        QCOMPARE(r.fees.size(), 1);
        QCOMPARE(r.fees.front().asset, u"USD"_s);
        QCOMPARE(r.fees.front().qty.toString(), u"2.56"_s);
        QCOMPARE(r.timestampNs, Q_INT64_C(1714557601000000000));
        QVERIFY(r.clOrdId.isEmpty());
        QVERIFY(!r.orderQty && !r.limitPrice && !r.orderUserref);
    }

    void parsesAmendedAndBalancesFrames() {
        const auto m = parseExecutions(QByteArrayView(amendedFrame));
        QVERIFY2(m.ok(), qPrintable(m.error().toString()));
        const ws::ExecutionReport &r = m->reports.front();
        QCOMPARE(r.clOrdId, u"c-1"_s);
        QCOMPARE(r.orderUserref.value_or(0), -7);
        QCOMPARE(r.orderQty->toString(), u"0.40000000"_s);
        QCOMPARE(r.limitPrice->toString(), u"59000.0"_s);
        QCOMPARE(r.limitPriceType, u"static"_s);
        QCOMPARE(r.triggerPrice->toString(), u"1.5"_s);
        QCOMPARE(r.triggerPriceType, u"pct"_s);
        QCOMPARE(r.triggerActualPrice->toString(), u"63040.5"_s);
        QCOMPARE(r.postOnly.value_or(false), true);
        QCOMPARE(r.amended.value_or(false), true);
        QCOMPARE(r.reason, u"User requested"_s);
        QCOMPARE(r.expireTimeNs, Q_INT64_C(1714644000000000000));

        const auto s = parseBalances(QByteArrayView(balancesSnapshotFrame));
        QVERIFY2(s.ok(), qPrintable(s.error().toString()));
        QVERIFY(s->snapshot);
        QCOMPARE(s->entries.size(), 2);
        QCOMPARE(s->entries.at(0).asset, u"BTC"_s);
        QCOMPARE(s->entries.at(0).balance.toString(), u"1.00000000"_s);
        QCOMPARE(s->entries.at(1).balance.toString(), u"100000.0000"_s);

        const auto u = parseBalances(QByteArrayView(balancesUpdateFrame));
        QVERIFY2(u.ok(), qPrintable(u.error().toString()));
        QVERIFY(!u->snapshot);
        QCOMPARE(u->sequence.value_or(0), 2);
        const ws::BalanceEntry &l = u->entries.front();
        QCOMPARE(l.ledgerId, u"L4UESK-KG3EQ-UFO4T5"_s);
        QCOMPARE(l.refId, u"TCCCTY-WE2O6-P3NB37"_s);
        QCOMPARE(l.type, u"trade"_s);
        QCOMPARE(l.amount->toString(), u"-640.0010"_s);
        QCOMPARE(l.fee->toString(), u"2.5600"_s);
        QCOMPARE(l.balance.toString(), u"99357.4390"_s);
    }

    void malformedFramesAreParseErrors_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("expected");
        const QByteArray ok(docExecutionsFrame);
        QTest::newRow("html") << "<html>502</html>"_ba
                              << u"not a JSON object: starts with \"<html>"_s;
        QTest::newRow("empty") << QByteArray() << u"empty frame"_s;
        QTest::newRow("array") << "[1,2]"_ba << u"not a JSON object: starts with \"[1,2]"_s;
        QTest::newRow("truncated") << ok.left(ok.size() / 2) << u"executions message"_s;
        QTest::newRow("other channel") << QByteArray(frame0) << u"not executions"_s;
        QTest::newRow("no data") << QByteArray(frame1) << u"data is missing"_s;
        QTest::newRow("data not array") << QByteArray(frame2) << u"data is not an array"_s;
        QTest::newRow("no order_id") << QByteArray(frame3) << u"data[0].order_id is missing"_s;
        QTest::newRow("qty as string")
            << QByteArray(ok).replace("\"last_qty\":0.01", "\"last_qty\":\"0.01\"")
            << u"data[0].last_qty is not a JSON number"_s;
        QTest::newRow("too precise")
            << QByteArray(ok).replace("\"last_qty\":0.01", "\"last_qty\":0.0000000000000000001")
            << u"data[0].last_qty"_s;
        QTest::newRow("fee without asset") << QByteArray(ok).replace("{\"asset\":\"USD\",", "{")
                                           << u"data[0].fees[0].asset is missing"_s;
        QTest::newRow("bad timestamp")
            << QByteArray(ok).replace("2024-05-01T10:00:01.000000Z", "yesterday")
            << u"data[0].timestamp is not an RFC 3339 time"_s;
        QTest::newRow("bad sequence")
            << QByteArray(ok).replace("\"sequence\":42", "\"sequence\":\"x\"")
            << u"sequence is not an integer"_s;
        QTest::newRow("trailing garbage") << ok + "}" << u"executions message"_s;
        QByteArray huge = QByteArray(frame4);
        huge += QByteArray(ws::WsParser::MaxFrameBytes, 'x') + "\"}";
        QTest::newRow("huge") << huge << u"exceeds"_s;
    }
    void malformedFramesAreParseErrors() {
        QFETCH(QByteArray, frame);
        QFETCH(QString, expected);
        const auto m = parseExecutions(frame);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().category(), Error::Category::Parse);
        QVERIFY2(m.error().message().contains(expected), qPrintable(m.error().message()));
    }

    void addOrderParamsUseWsNames() {
        OrderRequest o;
        o.pair = u"BTC/USD"_s;
        o.side = Side::Sell;
        o.orderType = u"stop-loss-limit"_s;
        o.volume = dec("0.12500000");
        o.price = dec("60000.0");
        o.price2 = dec("59900.5");
        o.timeInForce = u"GTD"_s;
        o.expireTime = u"2030-01-02T03:04:05Z"_s;
        o.oflags = {u"post"_s, u"fcib"_s, u"nompp"_s};
        o.reduceOnly = true;
        o.stpType = u"cancel-both"_s;
        o.clOrdId = u"abc"_s;
        o.trigger = u"index"_s;
        o.validateOnly = true;
        const QJsonObject p = toWsAddOrderParams(o);
        QCOMPARE(p.value(u"order_type"_s).toString(), u"stop-loss-limit"_s);
        QCOMPARE(p.value(u"side"_s).toString(), u"sell"_s);
        QCOMPARE(p.value(u"order_qty"_s).toString(), u"0.12500000"_s);
        QCOMPARE(p[u"triggers"_s][u"reference"_s].toString(), u"index"_s);
        QCOMPARE(p[u"triggers"_s][u"price"_s].toString(), u"60000.0"_s);
        QCOMPARE(p.value(u"limit_price"_s).toString(), u"59900.5"_s);
        QCOMPARE(p.value(u"time_in_force"_s).toString(), u"gtd"_s);
        QCOMPARE(p.value(u"expire_time"_s).toString(), u"2030-01-02T03:04:05.000Z"_s);
        QCOMPARE(p.value(u"post_only"_s).toBool(), true);
        QCOMPARE(p.value(u"fee_preference"_s).toString(), u"base"_s);
        QCOMPARE(p.value(u"no_mpp"_s).toBool(), true);
        QCOMPARE(p.value(u"reduce_only"_s).toBool(), true);
        QCOMPARE(p.value(u"stp_type"_s).toString(), u"cancel_both"_s);
        QCOMPARE(p.value(u"cl_ord_id"_s).toString(), u"abc"_s);
        QCOMPARE(p.value(u"validate"_s).toBool(), true);

        OrderRequest t;
        t.pair = u"BTC/USD"_s;
        t.orderType = u"trailing-stop"_s;
        t.volume = dec("1");
        t.priceExpression = u"+1.5%"_s;
        const QJsonObject tp = toWsAddOrderParams(t);
        QCOMPARE(tp[u"triggers"_s][u"price"_s].toString(), u"1.5"_s);
        QCOMPARE(tp[u"triggers"_s][u"price_type"_s].toString(), u"pct"_s);
        t.priceExpression = u"+150"_s;
        QCOMPARE(toWsAddOrderParams(t)[u"triggers"_s][u"price_type"_s].toString(), u"quote"_s);

        OrderRequest v;
        v.pair = u"BTC/USD"_s;
        v.orderType = u"market"_s;
        v.volume = dec("100.00");
        v.oflags = {u"viqc"_s};
        const QJsonObject vp = toWsAddOrderParams(v);
        QCOMPARE(vp.value(u"cash_order_qty"_s).toString(), u"100.00"_s);
        QVERIFY(!vp.contains(u"order_qty"_s));
        QVERIFY(!vp.contains(u"limit_price"_s));
    }

    // ---- against the paper exchange

    void connectsLiveWithSnapshots() {
        TradingWsClient ws(m_rest.get(), config(m_ex->wsAuthUrl()));
        QSignalSpy states(&ws, &TradingWsClient::stateChanged);
        QSignalSpy execs(&ws, &TradingWsClient::executions);
        QSignalSpy bals(&ws, &TradingWsClient::balances);
        QSignalSpy gaps(&ws, &TradingWsClient::gap);
        QSignalSpy errors(&ws, &TradingWsClient::errorOccurred);
        ws.open();
        QTRY_VERIFY_WITH_TIMEOUT(ws.isLive(), 20'000);
        QList<TradingWsClient::State> seen;
        for (const auto &args : states)
            seen.append(args.at(0).value<TradingWsClient::State>());
        QCOMPARE(seen, (QList<TradingWsClient::State>{TradingWsClient::State::Authenticating,
                                                      TradingWsClient::State::Connecting,
                                                      TradingWsClient::State::Subscribing,
                                                      TradingWsClient::State::Live}));
        QTRY_VERIFY_WITH_TIMEOUT(!execs.isEmpty() && !bals.isEmpty(), 20'000);
        const auto e = execs.front().at(0).value<ws::ExecutionsMessage>();
        QVERIFY(e.snapshot);
        QCOMPARE(e.sequence.value_or(0), 1);
        const auto b = bals.front().at(0).value<ws::BalancesMessage>();
        QVERIFY(b.snapshot);
        bool sawUsd = false;
        for (const ws::BalanceEntry &entry : b.entries) {
            if (entry.asset == u"USD"_s) {
                sawUsd = true;
                QCOMPARE(entry.balance.toString(), u"100000.0000"_s);
            }
        }
        QVERIFY(sawUsd);
        QCOMPARE(gaps.size(), 0);
        QCOMPARE(errors.size(), 0);
        ws.close();
        QCOMPARE(ws.state(), TradingWsClient::State::Closed);
    }

    void limitOrderAddAmendCancel() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        QSignalSpy execs(ws.get(), &TradingWsClient::executions);
        const OrderRequest o = restingBuy(u"tws-limit-1"_s);

        auto added = std::make_shared<Outcome>();
        QVERIFY(ws->addOrder(o, recorder(added)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY2(added->result->ok(), qPrintable(added->error().toString()));
        const QString id = added->value().result.value(u"order_id"_s).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(added->value().result.value(u"cl_ord_id"_s).toString(), u"tws-limit-1"_s);

        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, id, u"new"_s).has_value(), 20'000);
        QCOMPARE(findReport(execs, id, u"new"_s)->clOrdId, u"tws-limit-1"_s);
        const auto pendingNew = findReport(execs, id, u"pending_new"_s);
        QVERIFY(pendingNew);
        QCOMPARE(pendingNew->orderQty->toString(), dec("0.5").toString(m_qd));
        QCOMPARE(pendingNew->limitPrice->toString(), o.price->toString(m_pd));
        QCOMPARE(pendingNew->timeInForce, u"GTC"_s);

        AmendRequest a;
        a.txid = id;
        a.orderQty = dec("0.4");
        auto amended = std::make_shared<Outcome>();
        QVERIFY(ws->amendOrder(a, recorder(amended)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(amended->done(), 20'000);
        QVERIFY2(amended->result->ok(), qPrintable(amended->error().toString()));
        QVERIFY(!amended->value().result.value(u"amend_id"_s).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, id, u"amended"_s).has_value(), 20'000);
        QCOMPARE(findReport(execs, id, u"amended"_s)->orderQty->toString(),
                 dec("0.4").toString(m_qd));
        QCOMPARE(m_ex->engine().order(id)->qty, dec("0.4"));

        auto canceled = std::make_shared<Outcome>();
        QVERIFY(ws->cancelOrders({id}, {}, recorder(canceled)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(canceled->done(), 20'000);
        QVERIFY2(canceled->result->ok(), qPrintable(canceled->error().toString()));
        QCOMPARE(canceled->value().result.value(u"order_id"_s).toString(), id);
        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, id, u"canceled"_s).has_value(), 20'000);
        QCOMPARE(findReport(execs, id, u"canceled"_s)->orderStatus, u"canceled"_s);
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());
        QCOMPARE(added->calls + amended->calls + canceled->calls, 3);
    }

    // edit_order replaces the order: a new order id with the new quantity and price, the
    // original cancelled, and the answer naming both ids.
    void editOrderReplacesTheOrder() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        QSignalSpy execs(ws.get(), &TradingWsClient::executions);
        const OrderRequest o = restingBuy(u"tws-edit-1"_s);
        auto added = std::make_shared<Outcome>();
        QVERIFY(ws->addOrder(o, recorder(added)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY2(added->result->ok(), qPrintable(added->error().toString()));
        const QString id = added->value().result.value(u"order_id"_s).toString();

        EditRequest e;
        e.txid = id;
        e.pair = u"BTC/USD"_s;
        e.volume = dec("0.3");
        e.price = *o.price->minus(dec("5"));
        auto edited = std::make_shared<Outcome>();
        QVERIFY(ws->editOrder(e, recorder(edited)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(edited->done(), 20'000);
        QVERIFY2(edited->result->ok(), qPrintable(edited->error().toString()));
        QCOMPARE(edited->value().result.value(u"original_order_id"_s).toString(), id);
        const QString newId = edited->value().result.value(u"order_id"_s).toString();
        QVERIFY(!newId.isEmpty());
        QVERIFY(newId != id);

        const auto open = m_ex->engine().openOrders(u"paper"_s);
        QCOMPARE(int(open.size()), 1);
        const sim::SimOrder *replaced = m_ex->engine().order(newId);
        QVERIFY(replaced);
        QCOMPARE(replaced->qty, dec("0.3"));
        QCOMPARE(replaced->limitPrice->toString(), e.price->toString());
        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, id, u"canceled"_s).has_value(), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, newId, u"new"_s).has_value(), 20'000);

        // Without the symbol nothing is sent: a definite local refusal.
        EditRequest incomplete;
        incomplete.txid = newId;
        auto refused = std::make_shared<Outcome>();
        QCOMPARE(ws->editOrder(incomplete, recorder(refused)), qint64(0));
        QTRY_VERIFY_WITH_TIMEOUT(refused->done(), 20'000);
        QVERIFY(!refused->result->ok());
        QVERIFY(!refused->error().outcomeUnknown());
        QCOMPARE(added->calls + edited->calls + refused->calls, 3);
    }

    void marketableOrderFillsWithTradesAndBalances() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        QSignalSpy execs(ws.get(), &TradingWsClient::executions);
        QSignalSpy bals(ws.get(), &TradingWsClient::balances);
        OrderRequest o;
        o.pair = u"BTC/USD"_s;
        o.orderType = u"market"_s;
        o.volume = dec("0.01");
        o.clOrdId = u"tws-mkt-1"_s;
        auto added = std::make_shared<Outcome>();
        ws->addOrder(o, recorder(added));
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY2(added->result->ok(), qPrintable(added->error().toString()));
        const QString id = added->value().result.value(u"order_id"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(findReport(execs, id, u"filled"_s).has_value(), 20'000);

        const sim::SimOrder *so = m_ex->engine().order(id);
        QVERIFY(so);
        Decimal sum;
        int trades = 0;
        for (const ws::ExecutionReport &r : reportsOf(execs)) {
            if (r.orderId != id || r.execType != u"trade"_s)
                continue;
            ++trades;
            const sim::SimTrade *t = m_ex->engine().trade(r.execId);
            QVERIFY2(t, qPrintable(r.execId));
            QCOMPARE(r.clOrdId, u"tws-mkt-1"_s);
            QCOMPARE(r.lastQty->toString(), t->qty.toString(m_qd));
            QCOMPARE(r.lastPrice->toString(), t->price.toString(m_pd));
            QCOMPARE(r.fees.size(), 1);
            QCOMPARE(r.fees.front().asset, u"USD"_s);
            QCOMPARE(r.fees.front().qty.toString(), t->fee.toString());
            QCOMPARE(r.liquidityInd, u"t"_s);
            QVERIFY(r.tradeId.has_value());
            sum = *sum.plus(*r.lastQty);
        }
        QVERIFY(trades >= 1);
        QCOMPARE(sum, dec("0.01"));
        const auto filled = findReport(execs, id, u"filled"_s);
        QCOMPARE(filled->orderStatus, u"filled"_s);
        QCOMPARE(filled->cumQty->toString(), so->filled.toString(m_qd));

        // Ledger-driven balance updates land on the engine's balances, to the last digit.
        QTRY_VERIFY_WITH_TIMEOUT(bals.size() >= 3, 20'000);
        bool sawUsd = false, sawBtc = false;
        for (const auto &args : bals) {
            const auto m = args.at(0).value<ws::BalancesMessage>();
            if (m.snapshot)
                continue;
            for (const ws::BalanceEntry &e : m.entries) {
                QVERIFY(!e.ledgerId.isEmpty());
                QCOMPARE(e.type, u"trade"_s);
                QVERIFY(e.amount.has_value());
                sawUsd = sawUsd || e.asset == u"USD"_s;
                sawBtc = sawBtc || e.asset == u"BTC"_s;
            }
        }
        QVERIFY(sawUsd && sawBtc);
        for (const QString &asset : {u"USD"_s, u"BTC"_s}) {
            std::optional<Decimal> last;
            for (const auto &args : bals) {
                for (const ws::BalanceEntry &e : args.at(0).value<ws::BalancesMessage>().entries) {
                    if (e.asset == asset)
                        last = e.balance;
                }
            }
            const sim::SimAsset *a = m_ex->config().assetByDisplay(asset);
            QVERIFY(a && last);
            QCOMPARE(last->toString(),
                     m_ex->engine().balance(u"paper"_s, asset).toString(a->decimals));
        }
    }

    void lostAnswerIsOutcomeUnknownAndTheOrderExists() {
        TradingWsClientConfig c = config(m_ex->wsAuthUrl());
        c.requestTimeoutMs = 1500;
        auto ws = liveClient(c);
        QVERIFY(ws->isLive());
        fault(u"lose_order_ack=1"_s);
        auto added = std::make_shared<Outcome>();
        QVERIFY(ws->addOrder(restingBuy(u"tws-lost-1"_s), recorder(added)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY(!added->result->ok());
        QVERIFY(added->error().outcomeUnknown());
        QCOMPARE(added->error().category(), Error::Category::Timeout);
        QVERIFY(m_ex->engine().orderByClOrdId(u"paper"_s, u"tws-lost-1"_s));
        QVERIFY(ws->isLive());
        QCOMPARE(added->calls, 1);
    }

    void droppedSocketIsOutcomeUnknownThenReconnectsWithGap() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        QSignalSpy gaps(ws.get(), &TradingWsClient::gap);
        QSignalSpy states(ws.get(), &TradingWsClient::stateChanged);
        QSignalSpy execs(ws.get(), &TradingWsClient::executions);
        fault(u"ws_delay_ms=5000"_s); // the answer is still on its way when the socket drops
        auto added = std::make_shared<Outcome>();
        QVERIFY(ws->addOrder(restingBuy(u"tws-drop-1"_s), recorder(added)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_ex->engine().orderByClOrdId(u"paper"_s, u"tws-drop-1"_s),
                                 20'000);
        fault(u"drop_ws_now"_s);
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY(!added->result->ok());
        QVERIFY(added->error().outcomeUnknown());
        QCOMPARE(added->error().category(), Error::Category::Network);
        fault(u"ws_delay_ms=0"_s);
        QTRY_VERIFY_WITH_TIMEOUT(ws->isLive() && gaps.size() == 1, 20'000);
        bool reauthenticated = false;
        for (const auto &args : states)
            reauthenticated = reauthenticated || args.at(0).value<TradingWsClient::State>() ==
                                                     TradingWsClient::State::Authenticating;
        QVERIFY(reauthenticated);
        // The fresh snapshot shows the order whose answer was lost.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &args : execs) {
                    const auto m = args.at(0).value<ws::ExecutionsMessage>();
                    for (const ws::ExecutionReport &r : m.reports) {
                        if (m.snapshot && r.clOrdId == u"tws-drop-1"_s)
                            return true;
                    }
                }
                return false;
            }(),
            20'000);
        QCOMPARE(added->calls, 1);
    }

    void krakenErrorsAreDefinite() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        OrderRequest bad = restingBuy(u"tws-bad-1"_s);
        bad.pair = u"FOO/BAR"_s;
        auto unknownPair = std::make_shared<Outcome>();
        ws->addOrder(bad, recorder(unknownPair));
        OrderRequest big;
        big.pair = u"BTC/USD"_s;
        big.orderType = u"market"_s;
        big.volume = dec("1000");
        auto noFunds = std::make_shared<Outcome>();
        ws->addOrder(big, recorder(noFunds));
        QTRY_VERIFY_WITH_TIMEOUT(unknownPair->done() && noFunds->done(), 20'000);
        for (const auto &o : {unknownPair, noFunds}) {
            QVERIFY(!o->result->ok());
            QCOMPARE(o->error().category(), Error::Category::Kraken);
            QVERIFY(!o->error().outcomeUnknown());
        }
        QCOMPARE(unknownPair->error().krakenErrors(), QStringList{u"EQuery:Unknown asset pair"_s});
        QVERIFY2(
            noFunds->error().krakenErrors().value(0).startsWith(u"EOrder:Insufficient funds"_s),
            qPrintable(noFunds->error().toString()));
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());
    }

    void notLiveRefusesWithoutSending() {
        TradingWsClient ws(m_rest.get(), config(m_ex->wsAuthUrl()));
        auto refused = std::make_shared<Outcome>();
        QCOMPARE(ws.addOrder(restingBuy(u"tws-nl-1"_s), recorder(refused)), 0);
        QVERIFY(!refused->done()); // never inside the caller's own call
        QTRY_VERIFY_WITH_TIMEOUT(refused->done(), 20'000);
        QCOMPARE(refused->error().category(), Error::Category::Network);
        QVERIFY(!refused->error().outcomeUnknown());

        auto ws2 = liveClient();
        QVERIFY(ws2->isLive());
        OrderRequest noPrice = restingBuy(u"tws-nl-2"_s);
        noPrice.price.reset();
        auto invalid = std::make_shared<Outcome>();
        QCOMPARE(ws2->addOrder(noPrice, recorder(invalid)), 0);
        QTRY_VERIFY_WITH_TIMEOUT(invalid->done(), 20'000);
        QCOMPARE(invalid->error().category(), Error::Category::InvalidInput);
        QVERIFY(!invalid->error().outcomeUnknown());
        QCOMPARE(refused->calls + invalid->calls, 2);
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());
    }

    void deadMansSwitch() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        auto armed = std::make_shared<Outcome>();
        ws->cancelAllOrdersAfter(60, recorder(armed));
        QTRY_VERIFY_WITH_TIMEOUT(armed->done(), 20'000);
        QVERIFY2(armed->result->ok(), qPrintable(armed->error().toString()));
        const QDateTime now = QDateTime::fromString(
            armed->value().result.value(u"currentTime"_s).toString(), Qt::ISODate);
        const QDateTime trigger = QDateTime::fromString(
            armed->value().result.value(u"triggerTime"_s).toString(), Qt::ISODate);
        QVERIFY(now.isValid() && trigger.isValid());
        QCOMPARE(now.secsTo(trigger), 60);
        QVERIFY(m_ex->engine().deadManTrigger(u"paper"_s) > 0);

        auto disarmed = std::make_shared<Outcome>();
        ws->cancelAllOrdersAfter(0, recorder(disarmed));
        QTRY_VERIFY_WITH_TIMEOUT(disarmed->done(), 20'000);
        QVERIFY(disarmed->result->ok());
        QCOMPARE(disarmed->value().result.value(u"triggerTime"_s).toString(), u"0"_s);
    }

    void batchAddAndCancel() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        const QList<OrderRequest> orders{restingBuy(u"tws-b-1"_s), restingBuy(u"tws-b-2"_s)};
        auto added = std::make_shared<Outcome>();
        ws->batchAdd(u"BTC/USD"_s, orders, false, recorder(added));
        QTRY_VERIFY_WITH_TIMEOUT(added->done(), 20'000);
        QVERIFY2(added->result->ok(), qPrintable(added->error().toString()));
        const QJsonArray placed = added->value().resultArray;
        QCOMPARE(placed.size(), 2);
        QStringList ids;
        for (const QJsonValue &v : placed)
            ids.append(v[u"order_id"_s].toString());
        QCOMPARE(placed.at(1)[u"cl_ord_id"_s].toString(), u"tws-b-2"_s);
        QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(2));

        auto canceled = std::make_shared<Outcome>();
        ws->batchCancel(ids, {}, recorder(canceled));
        QTRY_VERIFY_WITH_TIMEOUT(canceled->done(), 20'000);
        QVERIFY2(canceled->result->ok(), qPrintable(canceled->error().toString()));
        QCOMPARE(canceled->value().result.value(u"count"_s).toInt(), 2);
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());

        // cancel_order with several identifiers: one answer each, one callback.
        auto more = std::make_shared<Outcome>();
        ws->batchAdd(u"BTC/USD"_s, {restingBuy(u"tws-b-3"_s), restingBuy(u"tws-b-4"_s)}, false,
                     recorder(more));
        QTRY_VERIFY_WITH_TIMEOUT(more->done(), 20'000);
        QVERIFY(more->result->ok());
        auto both = std::make_shared<Outcome>();
        ws->cancelOrders({more->value().resultArray.at(0)[u"order_id"_s].toString()},
                         {u"tws-b-4"_s}, recorder(both));
        QTRY_VERIFY_WITH_TIMEOUT(both->done(), 20'000);
        QVERIFY2(both->result->ok(), qPrintable(both->error().toString()));
        QCOMPARE(both->value().resultArray.size(), 2);
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());
        QCOMPARE(both->calls, 1);
    }

    void closeFinishesPendingAsUnknown() {
        auto ws = liveClient();
        QVERIFY(ws->isLive());
        fault(u"ws_delay_ms=5000"_s);
        auto added = std::make_shared<Outcome>();
        ws->addOrder(restingBuy(u"tws-close-1"_s), recorder(added));
        ws->close();
        QVERIFY(added->done());
        QVERIFY(added->error().outcomeUnknown());
        QCOMPARE(ws->state(), TradingWsClient::State::Closed);
        QCOMPARE(added->calls, 1);
    }

    // ---- against the scripted server: frames the paper exchange never sends

    void malformedFramesKeepTheConnectionAndGapsAreReported() {
        ScriptedAuthServer server;
        QVERIFY(server.server.isListening());
        TradingWsClient ws(m_rest.get(), config(server.url()));
        QSignalSpy errors(&ws, &TradingWsClient::errorOccurred);
        QSignalSpy gaps(&ws, &TradingWsClient::gap);
        QSignalSpy execs(&ws, &TradingWsClient::executions);
        QSignalSpy states(&ws, &TradingWsClient::stateChanged);
        ws.open();
        QTRY_VERIFY_WITH_TIMEOUT(ws.isLive(), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(execs.size(), 1, 20'000);
        QCOMPARE(server.subscribeTokens.size(), 2);
        const QString token = server.subscribeTokens.front();
        QVERIFY(!token.isEmpty());

        server.send("<html><body>502 Bad Gateway</body></html>"_ba);
        server.send(QByteArray(frame5));
        server.send(QByteArray(frame6));
        server.send(QByteArray(frame7));
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 4, 20'000);
        const auto err = [&](int i) { return errors.at(i).at(0).value<Error>(); };
        QCOMPARE(err(0).category(), Error::Category::Parse);
        QCOMPARE(err(1).category(), Error::Category::Parse);
        QVERIFY2(err(1).message().contains(u"order_id is missing"_s), qPrintable(err(1).message()));
        QCOMPARE(err(2).category(), Error::Category::Parse);
        QVERIFY2(err(2).message().contains(u"level9"_s), qPrintable(err(2).message()));
        QCOMPARE(err(3).category(), Error::Category::Kraken);
        QVERIFY(ws.isLive());

        // Sequence 2 was unusable; 3 arrives: a gap. Then 4 follows 3: none.
        server.send(QByteArray(frame8));
        server.send(QByteArray(frame9));
        QTRY_COMPARE_WITH_TIMEOUT(execs.size(), 3, 20'000);
        QCOMPARE(gaps.size(), 1);
        QVERIFY(gaps.front().at(0).toString().contains(u"from 1 to 3"_s));

        // A drop: the next connection subscribes with a new token, then gap().
        server.sockets.last()->close();
        QTRY_VERIFY_WITH_TIMEOUT(server.subscribeTokens.size() == 4 && ws.isLive(), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 2, 20'000);
        QVERIFY(server.subscribeTokens.at(2) != token);
        QCOMPARE(server.subscribeTokens.at(2), server.subscribeTokens.at(3));

        // The token never shows in an error or a state reason.
        for (const auto &args : errors)
            QVERIFY(!args.at(0).value<Error>().toString().contains(token));
        for (const auto &args : states)
            QVERIFY(!args.at(1).toString().contains(token));
    }
};

QTEST_GUILESS_MAIN(TestTradingWsClient)
#include "tst_tradingwsclient.moc"
