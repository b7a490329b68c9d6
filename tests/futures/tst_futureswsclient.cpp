// FuturesWsClient against a Kraken Futures WebSocket v1 server on 127.0.0.1 (FakeFuturesWs), and
// FuturesWsParser on the documented frame shapes: seq-checked books that match a hand-built
// expectation, one product resyncing on a seq gap while another streams, the challenge flow
// checked by the server with its own HMAC, private snapshots with exact Decimals, reconnect with
// a fresh challenge and gap(), the keep-alive ping, and bad frames that must not end the
// connection.

#include "fakefuturesws.h"
#include "kraken/futures/futureswsclient.h"
#include "kraken/futures/futureswsparser.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::futures;

namespace {

// Kraken's documented challenge-signing example (docs.kraken.com, "Sign challenge").
const QString DocChallenge = u"c100b894-1729-464d-ace1-52dbce11db42"_s;
const QByteArray DocSecret =
    "7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm";
const QByteArray DocSigned =
    "4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A==";
const QString SecondChallenge = u"226aee50-88fc-4618-a42a-34f7709570b2"_s;
const QString ApiKey = u"CMl2SeSn09Tz+2tWuzPfdaJdsahq6qv5UaexXuQ3SnahDQU/gO3aT+"_s;

// The documented book_snapshot example (PI_XBTUSD).
const QByteArray XbtSnapshot = R"({
  "feed": "book_snapshot",
  "product_id": "PI_XBTUSD",
  "timestamp": 1612269825817,
  "seq": 326072249,
  "tickSize": null,
  "bids": [{"price": 34892.5, "qty": 6385}, {"price": 34892, "qty": 10924}],
  "asks": [{"price": 34911.5, "qty": 20598}, {"price": 34912, "qty": 2300}]
})";

// Deltas in the documented "book" shape, continuing the snapshot's seq.
QByteArray xbtDelta(qint64 seq, const char *side, const char *price, const char *qty) {
    return R"({"feed":"book","product_id":"PI_XBTUSD","side":")" + QByteArray(side) +
           R"(","seq":)" + QByteArray::number(seq) + R"(,"price":)" + price + R"(,"qty":)" + qty +
           R"(,"timestamp":1612269953629})";
}

const QByteArray XbtFreshSnapshot = R"({"feed":"book_snapshot","product_id":"PI_XBTUSD",
  "timestamp":1612269999000,"seq":326080000,"tickSize":null,
  "bids":[{"price":34900.5,"qty":150}],"asks":[{"price":34901,"qty":75}]})";

const QByteArray EthSnapshot = R"({"feed":"book_snapshot","product_id":"PF_ETHUSD",
  "timestamp":1612269825817,"seq":100,"tickSize":null,
  "bids":[{"price":2000.25,"qty":1.50},{"price":2000.1,"qty":3}],
  "asks":[{"price":2000.5,"qty":0.25}]})";

QByteArray ethDelta(qint64 seq, const char *side, const char *price, const char *qty) {
    return R"({"feed":"book","product_id":"PF_ETHUSD","side":")" + QByteArray(side) +
           R"(","seq":)" + QByteArray::number(seq) + R"(,"price":)" + price + R"(,"qty":)" + qty +
           R"(,"timestamp":1612269953700})";
}

// Documented ticker example (PI_XBTUSD), funding rates in exponent notation.
const QByteArray TickerFrame = R"({"time":1680811086487,"product_id":"PI_XBTUSD",
  "funding_rate":-6.2604214e-11,"funding_rate_prediction":-3.65989977e-10,
  "relative_funding_rate":-1.7524833333e-6,"relative_funding_rate_prediction":-1.0228055555e-5,
  "next_funding_rate_time":1680811200000,"feed":"ticker","bid":28845.0,"ask":28845.5,
  "bid_size":3.0,"ask_size":10.0,"volume":3.0,"dtm":0,"leverage":"50x","index":28849.58,
  "premium":0.0,"last":28845.0,"change":0.0,"suspended":false,"tag":"perpetual",
  "pair":"XBT:USD","openInterest":0.0,"markPrice":28845.25,"maturityTime":0,
  "post_only":false,"volumeQuote":3.0})";

const QByteArray TradeFrame = R"({"feed":"trade","product_id":"PI_XBTUSD",
  "uid":"05af78ac-a774-478c-a50c-8b9c234e071e","side":"sell","type":"fill","seq":653355,
  "time":1612266317519,"qty":15000,"price":34969.5})";

const QByteArray TradeSnapshotFrame = R"({"feed":"trade_snapshot","product_id":"PI_XBTUSD",
  "trades":[{"feed":"trade","product_id":"PI_XBTUSD","uid":"caa9c653-420b-4c24-a9f1-462a054d86f1",
  "side":"sell","type":"fill","seq":655508,"time":1612269657781,"qty":440,"price":34893},
  {"feed":"trade","product_id":"PI_XBTUSD","uid":"45ee9737-1877-4682-bc68-e4ef818ef88a",
  "side":"buy","type":"liquidation","seq":655507,"time":1612269656839,"qty":9643,"price":34891.5}]})";

// Private snapshots in the documented shapes.
const QByteArray PositionsFrame = R"({"feed":"open_positions","account":"DemoUser",
  "positions":[{"instrument":"PF_XBTUSD","balance":0.0004,"pnl":-0.0188,"entry_price":35180.5,
  "mark_price":35133.5,"index_price":35150.17,"liquidation_threshold":0,
  "effective_leverage":0.0196,"return_on_equity":-0.0535,"initial_margin":0.70267,
  "initial_margin_with_orders":0.70267,"maintenance_margin":0.351335,"pnl_currency":"USD"},
  {"instrument":"PI_XBTUSD","balance":-1000,"pnl":0.0000123,"entry_price":34000.5,
  "mark_price":34010.0,"liquidation_threshold":68000.5,"pnl_currency":"XBT"}],
  "seq":4,"timestamp":1698753176000})";

const QByteArray FillsSnapshotFrame = R"({"feed":"fills_snapshot","account":"DemoUser",
  "fills":[{"instrument":"FI_XBTUSD_200925","time":1600256910739,"price":10937.5,"seq":36,
  "buy":true,"qty":5000.0,"remaining_order_qty":0.0,
  "order_id":"9e30258b-5a98-4002-968a-5b0e149bcfbf",
  "fill_id":"cad76f07-814e-4dc6-8478-7867407b6bff","fill_type":"maker",
  "fee_paid":-0.00009142857,"fee_currency":"BTC","taker_order_type":"ioc",
  "order_type":"limit"},
  {"instrument":"PF_XBTUSD","time":1600256966528,"price":10937.5,"seq":37,"buy":false,
  "qty":0.0125,"remaining_order_qty":0.0,"order_id":"3696d19b-3226-46bd-993d-a9a7aacc8fbc",
  "cli_ord_id":"8b58d9da-fcaf-4f60-91bc-9973a3eba48d",
  "fill_id":"c14ee7cb-ad4c-4de1-8d7e-3c4a3b8e1c30","fill_type":"taker",
  "fee_paid":0.00685,"fee_currency":"USD","taker_order_type":"limit","order_type":"limit"}]})";

const QByteArray OpenOrdersSnapshotFrame = R"({"feed":"open_orders_snapshot",
  "account":"e258dba9-4dd4-4da5-bfef-75beb91c098e",
  "orders":[{"instrument":"PI_XBTUSD","time":1612275024153,"last_update_time":1612275024153,
  "qty":1000,"filled":0,"limit_price":34900,"stop_price":13789,"type":"stop",
  "order_id":"723ba95f-13b7-418b-8fcf-ab7ba6620555","direction":1,"reduce_only":false,
  "triggerSignal":"last"},
  {"instrument":"PF_XBTUSD","time":1612275000000,"last_update_time":1612275011000,
  "qty":0.5,"filled":0.125,"limit_price":34850.5,"stop_price":null,"type":"limit",
  "order_id":"fa9806c9-cba9-4661-9f31-8c5fd045a95d","cli_ord_id":"my-order-1",
  "direction":0,"reduce_only":true}]})";

const QByteArray OpenOrderUpdateFrame = R"({"feed":"open_orders","order":{
  "instrument":"PI_XBTUSD","time":1567597581495,"last_update_time":1567597581495,"qty":102.0,
  "filled":0.0,"limit_price":10601.0,"stop_price":0.0,"type":"limit",
  "order_id":"fa9806c9-cba9-4661-9f31-8c5fd045a95d","direction":0,"reduce_only":false},
  "is_cancel":false,"reason":"new_placed_order_by_user"})";

const QByteArray OpenOrderCancelFrame = R"({"feed":"open_orders",
  "order_id":"660c6b23-8007-48c1-a7c9-4893f4572e8c","is_cancel":true,
  "reason":"cancelled_by_user"})";

const QByteArray BalancesFrame = R"({"feed":"balances_snapshot","account":"DemoUser",
  "holding":{"USDT":4997.5012493753,"XBT":0.1285407184,"USD":null},
  "futures":{"F-XBT:USD":{"name":"F-XBT:USD","pair":"XBT/USD","unit":"XBT",
  "portfolio_value":0.1219368845,"balance":0.1219368845,"maintenance_margin":0.0,
  "initial_margin":0.0,"available":0.1219368845,"unrealized_funding":0.0,"pnl":0.0}},
  "flex_futures":{"currencies":{"USDT":{"quantity":0.0,"value":0.0,"collateral_value":0.0,
  "available":0.0,"haircut":0.0,"conversion_spread":0.0}},"balance_value":0.0,
  "portfolio_value":0.0,"collateral_value":0.0,"initial_margin":0.0,
  "initial_margin_without_orders":0.0,"maintenance_margin":0.0,"pnl":0.0,
  "unrealized_funding":0.0,"total_unrealized":0.0,"total_unrealized_as_margin":0.0,
  "margin_equity":0.0,"available_margin":15.5},"timestamp":1640995200000,"seq":0})";

const QByteArray NotificationsFrame = R"({"feed":"notifications_auth","notifications":[
  {"id":5,"type":"market","priority":"low","note":"A note describing the notification.",
  "effective_time":1520288300000}]})";

QStringList levelsText(const book::BookSnapshot &s, const std::vector<book::Level> &side) {
    QStringList out;
    for (const book::Level &l : side)
        out.append(s.price(l).toString() + u" x "_s + s.qty(l).toString());
    return out;
}

QString dec(const std::optional<Decimal> &d) {
    return d ? d->toString() : u"null"_s;
}

FuturesWsClientConfig testConfig(const QUrl &url) {
    FuturesWsClientConfig c;
    c.url = url;
    c.reconnectInitialMs = 20;
    c.reconnectMaxMs = 200;
    c.jitterSeed = 7;
    c.connectTimeoutMs = 10'000;
    return c;
}

constexpr int Wait = 10'000;

// A server that completes the WebSocket handshake and then goes silent: no frames, and (unlike
// QWebSocketServer, which always answers) no pongs. Counts the connections it accepted.
void listenSilently(QTcpServer &server, int *connections) {
    server.listen(QHostAddress::LocalHost, 0);
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&server, connections] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            ++*connections;
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                const QByteArray request = socket->readAll();
                const qsizetype at = request.indexOf("Sec-WebSocket-Key:");
                if (at < 0)
                    return; // handshake done: whatever follows (pings) goes unanswered
                const QByteArray key =
                    request.mid(at + 18, request.indexOf("\r\n", at) - at - 18).trimmed();
                const QByteArray accept =
                    QCryptographicHash::hash(
                        QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                        QCryptographicHash::Sha1)
                        .toBase64();
                socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                              accept + "\r\n\r\n");
            });
        }
    });
}

} // namespace

class TestFuturesWsClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parserBookFrames();
    void parserTickerAndTrades();
    void parserPrivateFrames();
    void parserRejectsMalformed();
    void bookFollowsSeq();
    void seqGapResyncsOnlyThatProduct();
    void challengeAuthAndPrivateSnapshots();
    void reconnectRenewsChallengeAndResubscribes();
    void keepAlivePings();
    void silenceReconnects();
    void precisionWidensOnResync();
    void malformedFramesKeepConnection();
};

void TestFuturesWsClient::parserBookFrames() {
    FuturesWsParser p;
    QCOMPARE(p.parse(XbtSnapshot), FuturesWsParser::Kind::BookSnapshot);
    const ws::BookSnapshotEvent &s = p.bookSnapshot();
    QCOMPARE(s.productId, u"PI_XBTUSD"_s);
    QCOMPARE(s.seq, 326072249);
    QCOMPARE(s.timestampMs, 1612269825817);
    QVERIFY(!s.tickSize);
    QCOMPARE(s.bids.size(), 2u);
    QCOMPARE(s.bids[0].price.toString(), u"34892.5"_s);
    QCOMPARE(s.bids[1].qty.toString(), u"10924"_s);
    QCOMPARE(s.asks[1].price.toString(), u"34912"_s);
    QCOMPARE(s.priceDecimals, 1);
    QCOMPARE(s.qtyDecimals, 0);

    QCOMPARE(p.parse(xbtDelta(326094134, "sell", "34981", "0")), FuturesWsParser::Kind::BookDelta);
    QCOMPARE(p.bookDelta().seq, 326094134);
    QVERIFY(!p.bookDelta().buy);
    QCOMPARE(p.bookDelta().price.toString(), u"34981"_s);
    QVERIFY(p.bookDelta().qty.isZero());

    QCOMPARE(p.parse(R"({"feed":"heartbeat","time":1534262350627})"),
             FuturesWsParser::Kind::Heartbeat);
    QCOMPARE(p.heartbeatTimeMs(), 1534262350627);
    QCOMPARE(p.parse(R"({"event":"info","version":1})"), FuturesWsParser::Kind::Control);
    QCOMPARE(p.control().version, 1);
    QCOMPARE(p.parse(R"({"event":"subscribed","feed":"book","product_ids":["PI_XBTUSD"]})"),
             FuturesWsParser::Kind::Control);
    QCOMPARE(p.control().productIds, QStringList{u"PI_XBTUSD"_s});
    QCOMPARE(p.parse(R"({"event":"challenge","message":"226aee50-88fc-4618-a42a-34f7709570b2"})"),
             FuturesWsParser::Kind::Challenge);
    QCOMPARE(p.control().message, SecondChallenge);
}

void TestFuturesWsClient::parserTickerAndTrades() {
    FuturesWsParser p;
    QCOMPARE(p.parse(TickerFrame), FuturesWsParser::Kind::Ticker);
    const ws::TickerEvent &t = p.ticker();
    QCOMPARE(t.productId, u"PI_XBTUSD"_s);
    QCOMPARE(t.timeMs, 1680811086487);
    QCOMPARE(dec(t.bid), u"28845.0"_s);
    QCOMPARE(dec(t.markPrice), u"28845.25"_s);
    QCOMPARE(dec(t.indexPrice), u"28849.58"_s);
    // Exponent notation, exactly: never through double.
    QCOMPARE(dec(t.fundingRate), u"-0.000000000062604214"_s);
    QCOMPARE(dec(t.relativeFundingRate), u"-0.0000017524833333"_s);
    QCOMPARE(dec(t.openInterest), u"0.0"_s);
    QCOMPARE(t.nextFundingRateTimeMs, 1680811200000);
    QCOMPARE(t.leverage, u"50x"_s);
    QCOMPARE(t.tag, u"perpetual"_s);
    QVERIFY(!t.open); // not sent

    QCOMPARE(p.parse(TradeFrame), FuturesWsParser::Kind::Trade);
    QCOMPARE(p.trades().size(), 1);
    QCOMPARE(p.trades()[0].price.toString(), u"34969.5"_s);
    QCOMPARE(p.trades()[0].qty.toString(), u"15000"_s);
    QVERIFY(!p.trades()[0].buy);
    QCOMPARE(p.trades()[0].seq, 653355);

    QCOMPARE(p.parse(TradeSnapshotFrame), FuturesWsParser::Kind::Trade);
    QCOMPARE(p.trades().size(), 2);
    QVERIFY(p.trades()[1].fromSnapshot);
    QVERIFY(p.trades()[1].buy);
    QCOMPARE(p.trades()[1].type, u"liquidation"_s);
    QCOMPARE(p.trades()[1].price.toString(), u"34891.5"_s);
}

void TestFuturesWsClient::parserPrivateFrames() {
    FuturesWsParser p;
    QCOMPARE(p.parse(OpenOrderUpdateFrame), FuturesWsParser::Kind::OpenOrders);
    QVERIFY(!p.openOrders().snapshot);
    QCOMPARE(p.openOrders().orders.size(), 1);
    QCOMPARE(p.openOrders().orders[0].qty.toString(), u"102.0"_s);
    QCOMPARE(p.openOrders().reason, u"new_placed_order_by_user"_s);
    QVERIFY(p.openOrders().orders[0].buy);

    QCOMPARE(p.parse(OpenOrderCancelFrame), FuturesWsParser::Kind::OpenOrders);
    QVERIFY(p.openOrders().isCancel);
    QVERIFY(p.openOrders().orders.isEmpty());
    QCOMPARE(p.openOrders().orderId, u"660c6b23-8007-48c1-a7c9-4893f4572e8c"_s);

    QCOMPARE(p.parse(BalancesFrame), FuturesWsParser::Kind::Balances);
    const ws::BalancesEvent &b = p.balances();
    QVERIFY(b.snapshot);
    QCOMPARE(b.holding.value(u"USDT"_s).toString(), u"4997.5012493753"_s);
    QVERIFY(!b.holding.contains(u"USD"_s));
    QCOMPARE(dec(b.futures.value(u"F-XBT:USD"_s).available), u"0.1219368845"_s);
    QVERIFY(b.flexFutures);
    QCOMPARE(dec(b.flexFutures->availableMargin), u"15.5"_s);
    QCOMPARE(dec(b.flexFutures->currencies.value(u"USDT"_s).haircut), u"0.0"_s);
    QCOMPARE(b.timestampMs, 1640995200000);

    QCOMPARE(p.parse(NotificationsFrame), FuturesWsParser::Kind::Notifications);
    QCOMPARE(p.notifications().notifications.size(), 1);
    QCOMPARE(p.notifications().notifications[0].priority, u"low"_s);
    QCOMPARE(p.notifications().notifications[0].effectiveTimeMs, 1520288300000);
}

void TestFuturesWsClient::parserRejectsMalformed() {
    FuturesWsParser p;
    QCOMPARE(p.parse("{not json"), FuturesWsParser::Kind::Error);
    QVERIFY2(p.error().startsWith(u"not JSON"_s), qPrintable(p.error()));
    QCOMPARE(p.parse("[1,2]"), FuturesWsParser::Kind::Error);
    QCOMPARE(p.parse(R"({"feed":"book","product_id":"PI_XBTUSD","side":"buy","seq":5})"),
             FuturesWsParser::Kind::Error);
    QCOMPARE(p.error(), u"book message: price is missing"_s);
    QCOMPARE(p.parse(R"({"feed":"book_snapshot","product_id":"PI_XBTUSD","seq":1,
      "bids":[{"price":"abc","qty":1}],"asks":[]})"),
             FuturesWsParser::Kind::Error);
    QVERIFY2(p.error().contains(u"bids[0].price"_s), qPrintable(p.error()));
    QCOMPARE(p.parse(R"({"feed":"book","product_id":"X","side":"up","seq":5,"price":1,"qty":1})"),
             FuturesWsParser::Kind::Error);
    QVERIFY2(p.error().contains(u"side"_s), qPrintable(p.error()));
    QCOMPARE(p.parse(R"({"feed":"open_positions","positions":[{"instrument":"PF_XBTUSD"}]})"),
             FuturesWsParser::Kind::Error);
    QCOMPARE(p.error(), u"open_positions message: positions[0].balance is missing"_s);
    // A price with more decimals than Decimal holds is refused, not rounded.
    QCOMPARE(p.parse(R"({"feed":"book","product_id":"X","side":"buy","seq":5,
      "price":0.1234567890123456789,"qty":1})"),
             FuturesWsParser::Kind::Error);
    QCOMPARE(p.parse(R"({"feed":"mystery"})"), FuturesWsParser::Kind::Unknown);
    QCOMPARE(p.unknownName(), u"mystery"_s);
}

void TestFuturesWsClient::bookFollowsSeq() {
    FakeFuturesWs server;
    server.onPublicSubscribe = [&server](const QString &feed, const QString &productId) {
        if (feed == u"book"_s && productId == u"PI_XBTUSD"_s)
            server.send(XbtSnapshot);
    };
    FuturesWsClient client(testConfig(server.url()));
    QSignalSpy updates(&client, &FuturesWsClient::bookUpdated);
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"pi_xbtusd"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"PI_XBTUSD"_s), Wait);
    QCOMPARE(server.count(u"subscribe"_s, u"book"_s, u"PI_XBTUSD"_s), 1);
    QCOMPARE(server.count(u"subscribe"_s, u"heartbeat"_s), 1);

    server.send(xbtDelta(326072250, "sell", "34911.5", "0"));  // best ask removed
    server.send(xbtDelta(326072251, "buy", "34893", "100"));   // new best bid
    server.send(xbtDelta(326072252, "sell", "34981", "0"));    // unknown level: no-op
    server.send(xbtDelta(326072253, "buy", "34892", "10000")); // changed size
    server.send(xbtDelta(326072254, "sell", "34915.5", "1"));  // new ask behind the best
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PI_XBTUSD"_s), 326072254, Wait);

    const auto snap = client.bookSnapshot(u"PI_XBTUSD"_s);
    QVERIFY(snap);
    QCOMPARE(snap->pricePrecision, 1); // from the snapshot's own texts
    QCOMPARE(levelsText(*snap, snap->bids),
             (QStringList{u"34893.0 x 100"_s, u"34892.5 x 6385"_s, u"34892.0 x 10000"_s}));
    QCOMPARE(levelsText(*snap, snap->asks), (QStringList{u"34912.0 x 2300"_s, u"34915.5 x 1"_s}));
    QCOMPARE(client.resyncCount(), 0);
    QCOMPARE(client.state(), FuturesWsClient::State::Live);
}

void TestFuturesWsClient::seqGapResyncsOnlyThatProduct() {
    FakeFuturesWs server;
    int xbtSubscribes = 0;
    server.onPublicSubscribe = [&](const QString &feed, const QString &productId) {
        if (feed != u"book"_s)
            return;
        if (productId == u"PI_XBTUSD"_s)
            server.send(++xbtSubscribes == 1 ? XbtSnapshot : XbtFreshSnapshot);
        else
            server.send(EthSnapshot);
    };
    FuturesWsClient client(testConfig(server.url()));
    client.setPrecision(u"PF_ETHUSD"_s, 2, 3);
    QSignalSpy invalid(&client, &FuturesWsClient::bookInvalid);
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PI_XBTUSD"_s);
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PF_ETHUSD"_s);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(
        client.bookSnapshot(u"PI_XBTUSD"_s) && client.bookSnapshot(u"PF_ETHUSD"_s), Wait);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);

    server.send(xbtDelta(326072250, "buy", "34892.5", "1"));
    server.send(xbtDelta(326072252, "buy", "34892.5", "2")); // 326072251 never came
    QTRY_COMPARE_WITH_TIMEOUT(invalid.count(), 1, Wait);
    QCOMPARE(invalid.at(0).at(0).toString(), u"PI_XBTUSD"_s);
    QVERIFY2(invalid.at(0).at(1).toString().contains(u"expected seq 326072251"_s),
             qPrintable(invalid.at(0).at(1).toString()));
    QCOMPARE(client.resyncCount(), 1);

    // ETH keeps streaming meanwhile.
    QVERIFY(client.bookSnapshot(u"PF_ETHUSD"_s));
    server.send(ethDelta(101, "buy", "2000.3", "0.125"));
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PF_ETHUSD"_s), 101, Wait);

    // XBT alone was unsubscribed and subscribed again, and took the fresh snapshot.
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PI_XBTUSD"_s), 326080000, Wait);
    QCOMPARE(server.count(u"unsubscribe"_s, u"book"_s, u"PI_XBTUSD"_s), 1);
    QCOMPARE(server.count(u"subscribe"_s, u"book"_s, u"PI_XBTUSD"_s), 2);
    QCOMPARE(server.count(u"unsubscribe"_s, u"book"_s, u"PF_ETHUSD"_s), 0);
    QCOMPARE(server.count(u"subscribe"_s, u"book"_s, u"PF_ETHUSD"_s), 1);
    const auto xbt = client.bookSnapshot(u"PI_XBTUSD"_s);
    QVERIFY(xbt);
    QCOMPARE(levelsText(*xbt, xbt->bids), QStringList{u"34900.5 x 150"_s});
    QCOMPARE(levelsText(*xbt, xbt->asks), QStringList{u"34901.0 x 75"_s});
    const auto eth = client.bookSnapshot(u"PF_ETHUSD"_s);
    QCOMPARE(eth->qtyPrecision, 3); // setPrecision outranks the snapshot's "1.50"
    QCOMPARE(levelsText(*eth, eth->bids),
             (QStringList{u"2000.30 x 0.125"_s, u"2000.25 x 1.500"_s, u"2000.10 x 3.000"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    QCOMPARE(client.resyncCount(), 1);
}

void TestFuturesWsClient::challengeAuthAndPrivateSnapshots() {
    // The server's own HMAC reproduces Kraken's documented example.
    QCOMPARE(FakeFuturesWs::sign(DocChallenge.toUtf8(), DocSecret), DocSigned);

    FakeFuturesWs server;
    server.apiKey = ApiKey;
    server.apiSecretBase64 = DocSecret;
    server.challenges = {DocChallenge};
    server.onPrivateSubscribe = [&server](const QString &feed) {
        if (feed == u"open_positions"_s)
            server.send(PositionsFrame);
        else if (feed == u"fills"_s)
            server.send(FillsSnapshotFrame);
        else if (feed == u"open_orders"_s)
            server.send(OpenOrdersSnapshotFrame);
    };
    FuturesWsClient client(testConfig(server.url()));
    QSignalSpy positions(&client, &FuturesWsClient::positions);
    QSignalSpy fills(&client, &FuturesWsClient::fills);
    QSignalSpy orders(&client, &FuturesWsClient::openOrders);
    QSignalSpy errors(&client, &FuturesWsClient::protocolError);
    client.setCredentials(Credentials(ApiKey, DocSecret));
    client.subscribe(FuturesWsClient::PrivateFeed::OpenPositions);
    client.subscribe(FuturesWsClient::PrivateFeed::Fills);
    client.subscribe(FuturesWsClient::PrivateFeed::OpenOrders);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(positions.count() == 1 && fills.count() == 1 && orders.count() == 1,
                             Wait);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    QVERIFY(client.isAuthenticated());
    QCOMPARE(server.badSignatures, 0);
    QCOMPARE(errors.count(), 0);
    // One challenge serves all three feeds; each carries the documented signature.
    QCOMPARE(server.count(u"challenge"_s), 1);
    for (const QString &feed : {u"open_positions"_s, u"fills"_s, u"open_orders"_s}) {
        QCOMPARE(server.count(u"subscribe"_s, feed), 1);
        for (const QJsonObject &m : std::as_const(server.received)) {
            if (m.value(u"feed"_s).toString() != feed)
                continue;
            QCOMPARE(m.value(u"api_key"_s).toString(), ApiKey);
            QCOMPARE(m.value(u"original_challenge"_s).toString(), DocChallenge);
            QCOMPARE(m.value(u"signed_challenge"_s).toString().toUtf8(), DocSigned);
        }
    }

    const auto pos = positions.at(0).at(0).value<ws::PositionsEvent>();
    QCOMPARE(pos.positions.size(), 2);
    const ws::Position &p0 = pos.positions[0];
    QCOMPARE(p0.instrument, u"PF_XBTUSD"_s);
    QCOMPARE(p0.balance.toString(), u"0.0004"_s);
    QCOMPARE(dec(p0.pnl), u"-0.0188"_s);
    QCOMPARE(dec(p0.entryPrice), u"35180.5"_s);
    QCOMPARE(dec(p0.markPrice), u"35133.5"_s);
    QCOMPARE(dec(p0.indexPrice), u"35150.17"_s);
    QCOMPARE(dec(p0.initialMargin), u"0.70267"_s);
    QCOMPARE(dec(p0.maintenanceMargin), u"0.351335"_s);
    QCOMPARE(p0.pnlCurrency, u"USD"_s);
    QCOMPARE(pos.positions[1].balance.toString(), u"-1000"_s);
    QCOMPARE(dec(pos.positions[1].pnl), u"0.0000123"_s);
    QCOMPARE(dec(pos.positions[1].indexPrice), u"null"_s);
    QCOMPARE(pos.timestampMs, 1698753176000);

    const auto f = fills.at(0).at(0).value<ws::FillsEvent>();
    QVERIFY(f.snapshot);
    QCOMPARE(f.fills.size(), 2);
    QCOMPARE(f.fills[0].price.toString(), u"10937.5"_s);
    QCOMPARE(f.fills[0].qty.toString(), u"5000.0"_s);
    QVERIFY(f.fills[0].buy);
    QCOMPARE(dec(f.fills[0].feePaid), u"-0.00009142857"_s);
    QCOMPARE(f.fills[0].timeMs, 1600256910739);
    QCOMPARE(f.fills[1].qty.toString(), u"0.0125"_s);
    QCOMPARE(f.fills[1].cliOrdId, u"8b58d9da-fcaf-4f60-91bc-9973a3eba48d"_s);
    QCOMPARE(f.fills[1].fillType, u"taker"_s);

    const auto o = orders.at(0).at(0).value<ws::OpenOrdersEvent>();
    QVERIFY(o.snapshot);
    QCOMPARE(o.orders.size(), 2);
    QVERIFY(!o.orders[0].buy);
    QCOMPARE(dec(o.orders[0].stopPrice), u"13789"_s);
    QCOMPARE(o.orders[0].triggerSignal, u"last"_s);
    QCOMPARE(o.orders[1].qty.toString(), u"0.5"_s);
    QCOMPARE(o.orders[1].filled.toString(), u"0.125"_s);
    QCOMPARE(dec(o.orders[1].limitPrice), u"34850.5"_s);
    QCOMPARE(dec(o.orders[1].stopPrice), u"null"_s);
    QVERIFY(o.orders[1].buy);
    QVERIFY(o.orders[1].reduceOnly);
    QCOMPARE(o.orders[1].cliOrdId, u"my-order-1"_s);

    // An error event that echoes the signature is reported without it.
    server.send(R"({"event":"error","message":"bad request with )" + DocSigned + R"("})");
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, Wait);
    const auto e = errors.at(0).at(0).value<Error>();
    QCOMPARE(e.category(), Error::Category::Kraken);
    QVERIFY2(!e.toString().contains(QString::fromLatin1(DocSigned)), qPrintable(e.toString()));
}

void TestFuturesWsClient::reconnectRenewsChallengeAndResubscribes() {
    FakeFuturesWs server;
    server.apiKey = ApiKey;
    server.apiSecretBase64 = DocSecret;
    server.challenges = {DocChallenge, SecondChallenge};
    int xbtSubscribes = 0;
    server.onPublicSubscribe = [&](const QString &feed, const QString &) {
        if (feed == u"book"_s)
            server.send(++xbtSubscribes == 1 ? XbtSnapshot : XbtFreshSnapshot);
    };
    server.onPrivateSubscribe = [&server](const QString &feed) {
        if (feed == u"open_positions"_s)
            server.send(PositionsFrame);
    };
    FuturesWsClient client(testConfig(server.url()));
    QSignalSpy gaps(&client, &FuturesWsClient::gap);
    QSignalSpy positions(&client, &FuturesWsClient::positions);
    QSignalSpy reconnects(&client, &FuturesWsClient::reconnectScheduled);
    client.setCredentials(Credentials(ApiKey, DocSecret));
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PI_XBTUSD"_s);
    client.subscribe(FuturesWsClient::PrivateFeed::OpenPositions);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(positions.count(), 1, Wait);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);

    server.dropClient();
    QTRY_COMPARE_WITH_TIMEOUT(gaps.count(), 1, Wait);
    QVERIFY(!client.bookSnapshot(u"PI_XBTUSD"_s)); // not trusted across the gap
    QTRY_COMPARE_WITH_TIMEOUT(positions.count(), 2, Wait);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    QCOMPARE(reconnects.count(), 1);
    QCOMPARE(server.connections, 2);
    QCOMPARE(server.count(u"challenge"_s), 2);
    QCOMPARE(server.count(u"subscribe"_s, u"book"_s, u"PI_XBTUSD"_s), 2);
    QCOMPARE(server.count(u"subscribe"_s, u"open_positions"_s), 2);
    QCOMPARE(server.count(u"subscribe"_s, u"heartbeat"_s), 2);
    QCOMPARE(server.badSignatures, 0);
    // The second connection signed its own challenge, not the first one again.
    QJsonObject last;
    for (const QJsonObject &m : std::as_const(server.received)) {
        if (m.value(u"feed"_s).toString() == u"open_positions"_s)
            last = m;
    }
    QCOMPARE(last.value(u"original_challenge"_s).toString(), SecondChallenge);
    QCOMPARE(last.value(u"signed_challenge"_s).toString().toUtf8(),
             FakeFuturesWs::sign(SecondChallenge.toUtf8(), DocSecret));
    QCOMPARE(client.bookSeq(u"PI_XBTUSD"_s), 326080000);
    QVERIFY(client.bookSnapshot(u"PI_XBTUSD"_s));
}

void TestFuturesWsClient::keepAlivePings() {
    FakeFuturesWs server;
    FuturesWsClientConfig config = testConfig(server.url());
    config.keepAliveIntervalMs = 50;
    // Far shorter than the test runs: only the pongs to the keep-alive pings keep it open.
    config.silenceTimeoutMs = 300;
    config.pongTimeoutMs = 300;
    config.subscribeHeartbeat = false;
    FuturesWsClient client(config);
    QSignalSpy latency(&client, &FuturesWsClient::latencyMeasured);
    QSignalSpy gaps(&client, &FuturesWsClient::gap);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    // Each pong is the server's answer to a ping it received; 20 of them span > 3 silence
    // timeouts without a single frame from the server.
    QTRY_VERIFY_WITH_TIMEOUT(latency.count() >= 20, Wait);
    QCOMPARE(gaps.count(), 0);
    QCOMPARE(server.connections, 1);
    QVERIFY(client.latencyMs() >= 0);
}

void TestFuturesWsClient::silenceReconnects() {
    QTcpServer server;
    int connections = 0;
    listenSilently(server, &connections);
    FuturesWsClientConfig config =
        testConfig(QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(server.serverPort())));
    config.silenceTimeoutMs = 200;
    config.pongTimeoutMs = 200;
    FuturesWsClient client(config);
    QSignalSpy states(&client, &FuturesWsClient::stateChanged);
    QSignalSpy gaps(&client, &FuturesWsClient::gap);
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PI_XBTUSD"_s);
    client.open();
    // Silence, a ping nobody answers, then the connection is given up and opened again.
    QTRY_VERIFY_WITH_TIMEOUT(gaps.count() >= 1 && connections >= 2, Wait);
    QVERIFY2(gaps.at(0).at(0).toString().contains(u"no data and no pong"_s),
             qPrintable(gaps.at(0).at(0).toString()));
    bool sawReconnecting = false;
    for (const QList<QVariant> &args : std::as_const(states))
        sawReconnecting = sawReconnecting || args.at(0).value<FuturesWsClient::State>() ==
                                                 FuturesWsClient::State::Reconnecting;
    QVERIFY(sawReconnecting);
    client.close();
    QCOMPARE(client.state(), FuturesWsClient::State::Closed);
}

void TestFuturesWsClient::precisionWidensOnResync() {
    FakeFuturesWs server;
    int subscribes = 0;
    server.onPublicSubscribe = [&](const QString &feed, const QString &) {
        if (feed != u"book"_s)
            return;
        // Both snapshots write sizes with two decimals only.
        server.send(++subscribes == 1 ? EthSnapshot : QByteArray(R"({"feed":"book_snapshot",
              "product_id":"PF_ETHUSD","timestamp":1612269999000,"seq":500,"tickSize":null,
              "bids":[{"price":2000.3,"qty":0.12}],"asks":[{"price":2000.5,"qty":0.25}]})"));
    };
    FuturesWsClient client(testConfig(server.url()));
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PF_ETHUSD"_s);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"PF_ETHUSD"_s), Wait);
    QCOMPARE(client.bookSnapshot(u"PF_ETHUSD"_s)->qtyPrecision, 2);
    // Three decimals do not fit: the product resyncs and its book is rebuilt wider.
    server.send(ethDelta(101, "buy", "2000.3", "0.125"));
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PF_ETHUSD"_s), 500, Wait);
    QCOMPARE(client.resyncCount(), 1);
    server.send(ethDelta(501, "buy", "2000.3", "0.125"));
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PF_ETHUSD"_s), 501, Wait);
    const auto eth = client.bookSnapshot(u"PF_ETHUSD"_s);
    QVERIFY(eth);
    QCOMPARE(eth->qtyPrecision, 3);
    QCOMPARE(levelsText(*eth, eth->bids), QStringList{u"2000.30 x 0.125"_s});
    QCOMPARE(client.resyncCount(), 1);
}

void TestFuturesWsClient::malformedFramesKeepConnection() {
    FakeFuturesWs server;
    server.onPublicSubscribe = [&server](const QString &feed, const QString &) {
        if (feed == u"book"_s)
            server.send(XbtSnapshot);
    };
    FuturesWsClient client(testConfig(server.url()));
    QSignalSpy errors(&client, &FuturesWsClient::protocolError);
    client.subscribe(FuturesWsClient::PublicFeed::Book, u"PI_XBTUSD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"PI_XBTUSD"_s), Wait);

    server.send("<html>502 Bad Gateway</html>");
    server.send(R"({"feed":"book","product_id":"PI_XBTUSD","side":"buy","seq":326072250})");
    server.send(R"({"feed":"mystery_feed","product_id":"PI_XBTUSD"})");
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 3, Wait);
    for (const QList<QVariant> &args : std::as_const(errors))
        QCOMPARE(args.at(0).value<Error>().category(), Error::Category::Parse);
    QVERIFY(errors.at(0).at(0).value<Error>().message().contains(u"not JSON"_s));
    QVERIFY(errors.at(1).at(0).value<Error>().message().contains(u"price is missing"_s));
    QVERIFY(errors.at(2).at(0).value<Error>().message().contains(u"mystery_feed"_s));
    QCOMPARE(client.protocolErrorCount(), 3);

    // Still connected, and the bad delta did not consume a seq.
    server.send(xbtDelta(326072250, "buy", "34893", "7"));
    QTRY_COMPARE_WITH_TIMEOUT(client.bookSeq(u"PI_XBTUSD"_s), 326072250, Wait);
    QCOMPARE(client.resyncCount(), 0);
    QCOMPARE(client.state(), FuturesWsClient::State::Live);
    QCOMPARE(server.connections, 1);
}

QTEST_GUILESS_MAIN(TestFuturesWsClient)
#include "tst_futureswsclient.moc"
