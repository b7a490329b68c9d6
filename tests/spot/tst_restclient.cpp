// RestClient against a local Kraken-shaped HTTP server (FakeKraken, 127.0.0.1, real sockets):
// what goes on the wire (signature recomputed independently by the server, nonces, body
// encodings), the typed success paths of the public and private calls, warnings, and that
// the API secret never reaches an error message or a log line.

#include "fakekraken.h"
#include "kraken/spot/restclient.h"
#include "spottestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using namespace spottest;

namespace {

const QString apiKey = u"kt-test-key-7f3a9c"_s;

// ---- log capture for the secrets test ----------------------------------------------------

QMutex captureMutex;
QStringList *capturedLog = nullptr;
QtMessageHandler previousHandler = nullptr;
QLoggingCategory::CategoryFilter previousFilter = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    {
        QMutexLocker lock(&captureMutex);
        if (capturedLog)
            capturedLog->append(QString::fromUtf8(context.category ? context.category : "") +
                                u": "_s + message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

// The ctest environment sets QT_LOGGING_RULES=*.debug=false, which outranks
// setFilterRules(): a filter is the one way to see kraken.* debug output here too.
void enableKrakenCategories(QLoggingCategory *category) {
    if (previousFilter)
        previousFilter(category);
    if (qstrncmp(category->categoryName(), "kraken", 6) == 0) {
        category->setEnabled(QtDebugMsg, true);
        category->setEnabled(QtInfoMsg, true);
        category->setEnabled(QtWarningMsg, true);
    }
}

QJsonObject jsonOf(const QByteArray &body) {
    return QJsonDocument::fromJson(body).object();
}

} // namespace

class TestRestClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // signing and the wire
    void prepareMatchesDocumentedVector();
    void prepareJsonBodyPutsNonceFirst();
    void preparePublicAndPaths();
    void prepareRejects();
    void privateCallIsSignedOnTheWire();
    void wrongSecretFailsTheServersCheck();
    void noncesStrictlyIncrease();
    void privateCallsAreSentOneAtATime();
    void thenAfterDeliveryStillDelivers();
    void concurrentCallsGetDistinctNonces();

    // public success paths
    void serverTime();
    void systemStatus();
    void ticker();
    void ohlc();
    void depth();
    void trades();
    void assetPairsGiveARegistry();

    // private success paths
    void balance();
    void balanceEx();
    void openOrders();
    void queryOrders();
    void addOrder();
    void addOrderBatchSendsJson();
    void amendOrder();
    void cancelOrder();
    void cancelAllOrdersAfter();
    void webSocketsToken();
    void warningsBesideAResult();
    void replyFinishesAsynchronously();

    // secrets
    void secretNeverInErrorsOrLogs();

private:
    Credentials credentials() const { return Credentials(apiKey, m_vector.secret); }

    SignVector m_vector;
};

void TestRestClient::initTestCase() {
    QString error;
    m_vector = loadSignVector(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

// ---- signing and the wire ----------------------------------------------------------------

void TestRestClient::prepareMatchesDocumentedVector() {
    RestClient client(testConfig(QUrl(u"https://api.kraken.com"_s)));
    client.setCredentials(credentials());
    const Params params{{u"ordertype"_s, u"limit"_s},
                        {u"pair"_s, u"XBTUSD"_s},
                        {u"price"_s, u"37500"_s},
                        {u"type"_s, u"buy"_s},
                        {u"volume"_s, u"1.25"_s}};
    const auto req = client.prepare("POST", QString::fromUtf8(m_vector.path), params,
                                    m_vector.nonce.toULongLong());
    KT_VERIFY_OK(req);
    QCOMPARE(req->body, m_vector.postdata);
    QByteArray sign, key, contentType;
    for (const auto &[name, value] : req->headers) {
        if (name == "API-Sign")
            sign = value;
        else if (name == "API-Key")
            key = value;
        else if (name == "Content-Type")
            contentType = value;
    }
    QCOMPARE(sign, m_vector.apiSign);
    QCOMPARE(key, apiKey.toUtf8());
    QVERIFY(contentType.startsWith("application/x-www-form-urlencoded"));
    QCOMPARE(req->verb, QByteArray("POST"));
    QCOMPARE(req->url, QUrl(u"https://api.kraken.com/0/private/AddOrder"_s));
    // Our independent recomputation agrees with the documentation too (guards the helper).
    QCOMPARE(independentApiSign(m_vector.path, m_vector.nonce, m_vector.postdata, m_vector.secret),
             m_vector.apiSign);
}

void TestRestClient::prepareJsonBodyPutsNonceFirst() {
    RestClient client(testConfig(QUrl(u"https://api.kraken.com"_s)));
    client.setCredentials(credentials());
    const auto req = client.prepare("POST", u"private/AddOrderBatch"_s, {}, 1616492376594,
                                    R"({"orders":[{"type":"buy"}],"pair":"XBTUSD"})");
    KT_VERIFY_OK(req);
    const QByteArray expectedBody =
        R"({"nonce":"1616492376594","orders":[{"type":"buy"}],"pair":"XBTUSD"})";
    QCOMPARE(req->body, expectedBody);
    QByteArray sign;
    for (const auto &[name, value] : req->headers) {
        if (name == "API-Sign")
            sign = value;
        if (name == "Content-Type")
            QCOMPARE(value, QByteArray("application/json"));
    }
    QCOMPARE(sign, independentApiSign("/0/private/AddOrderBatch", "1616492376594", expectedBody,
                                      m_vector.secret));

    const auto empty = client.prepare("POST", u"private/CancelOrderBatch"_s, {}, 7, "{}");
    KT_VERIFY_OK(empty);
    QCOMPARE(empty->body, QByteArray(R"({"nonce":"7"})"));
}

void TestRestClient::preparePublicAndPaths() {
    RestClient client(testConfig(QUrl(u"https://api.kraken.com"_s)));
    for (const QString &path : {u"/0/public/Ticker"_s, u"0/public/Ticker"_s, u"public/Ticker"_s}) {
        const auto req = client.prepare({}, path, {{u"pair"_s, u"XBTUSD,ETH/USD"_s}});
        KT_VERIFY_OK(req);
        QCOMPARE(req->verb, QByteArray("GET"));
        QCOMPARE(req->url.toString(QUrl::FullyEncoded),
                 u"https://api.kraken.com/0/public/Ticker?pair=XBTUSD%2CETH%2FUSD"_s);
        QVERIFY(req->body.isEmpty());
        for (const auto &h : req->headers)
            QVERIFY2(h.first != "API-Key" && h.first != "API-Sign", h.first.constData());
    }
    const auto post = client.prepare("post", u"public/Time"_s, {{u"a"_s, u"1"_s}});
    KT_VERIFY_OK(post);
    QCOMPARE(post->verb, QByteArray("POST"));
    QCOMPARE(post->body, QByteArray("a=1"));
}

void TestRestClient::prepareRejects() {
    RestClient client(testConfig(QUrl(u"https://api.kraken.com"_s)));
    const auto noKey = client.prepare({}, u"private/Balance"_s, {});
    QVERIFY(!noKey.ok());
    QCOMPARE(noKey.error().category(), Error::Category::Auth);
    QVERIFY2(noKey.error().toString().contains(u"API key"_s), qPrintable(noKey.error().toString()));

    const auto badPath = client.prepare({}, u"/0/secret/Balance"_s, {});
    QVERIFY(!badPath.ok());
    QCOMPARE(badPath.error().category(), Error::Category::InvalidInput);

    client.setCredentials(credentials());
    const auto get = client.prepare("GET", u"private/Balance"_s, {});
    QVERIFY(!get.ok());
    QCOMPARE(get.error().category(), Error::Category::InvalidInput);
    QVERIFY2(get.error().toString().contains(u"POST"_s), qPrintable(get.error().toString()));

    const auto notObject = client.prepare("POST", u"private/AddOrderBatch"_s, {}, 1, "[1]");
    QVERIFY(!notObject.ok());
    QCOMPARE(notObject.error().category(), Error::Category::InvalidInput);

    client.setCredentials(Credentials(apiKey, "not*base64!"));
    const auto badSecret = client.prepare({}, u"private/Balance"_s, {}, 5);
    QVERIFY(!badSecret.ok());
    QCOMPARE(badSecret.error().category(), Error::Category::Auth);
    QVERIFY2(badSecret.error().toString().contains(u"base64"_s),
             qPrintable(badSecret.error().toString()));
    QVERIFY(!badSecret.error().toString().contains(u"not*base64!"_s));
}

void TestRestClient::privateCallIsSignedOnTheWire() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/TradeBalance"_s,
              krakenResultText(R"({"eb":"1101.3425","tb":"392.2264","m":"7.0354","n":"-10.0232",
                                   "c":"21.1063","v":"31.1297","e":"382.2032","mf":"375.1678"})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    KT_AWAIT(done, client.tradeBalance(u"ZUSD"_s));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->equivalentBalance, dec("1101.3425"));

    QCOMPARE(server.count(), 1);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, u"/0/private/TradeBalance"_s);
    QVERIFY2(r.body.startsWith("nonce="), r.body.constData());
    QCOMPARE(r.body, "nonce=" + r.nonce() + "&asset=ZUSD");
    QCOMPARE(r.header("API-Key"), apiKey.toUtf8());
    QVERIFY(r.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    QVERIFY(!r.header("User-Agent").isEmpty());
    // The server's own HMAC over the received path and body agrees with API-Sign.
    QVERIFY(r.signatureChecked);
    QVERIFY2(r.signatureValid, r.header("API-Sign").constData());
    QCOMPARE(r.header("API-Sign"),
             independentApiSign("/0/private/TradeBalance", r.nonce(), r.body, m_vector.secret));
    // The secret itself never travels.
    QVERIFY(!r.body.contains(m_vector.secret));
    for (const auto &h : r.headers)
        QVERIFY(!h.second.contains(m_vector.secret));
}

void TestRestClient::wrongSecretFailsTheServersCheck() {
    // Control for the check above: a client holding another secret is caught by it.
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, [](const ReceivedRequest &r) {
        return r.signatureValid ? krakenResultText(R"({"ZUSD":"1"})")
                                : krakenErrors({u"EAPI:Invalid signature"_s});
    });
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(Credentials(apiKey, QByteArray("another secret").toBase64()));
    KT_AWAIT(done, client.balance());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Auth);
    QCOMPARE(done.result.error().krakenErrors(), QStringList{u"EAPI:Invalid signature"_s});
    QCOMPARE(server.count(), 1); // a definite rejection: not retried
    QVERIFY(server.requests().first().signatureChecked);
    QVERIFY(!server.requests().first().signatureValid);
}

void TestRestClient::noncesStrictlyIncrease() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenResultText(R"({"ZUSD":"1"})"));
    server.on(u"/0/private/OpenOrders"_s, krakenResultText(R"({"open":{}})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    for (int i = 0; i < 6; ++i) {
        if (i % 2) {
            KT_AWAIT(done, client.openOrders());
            KT_VERIFY_OK(done.result);
        } else {
            KT_AWAIT(done, client.balance());
            KT_VERIFY_OK(done.result);
        }
    }
    const auto reqs = server.requests();
    QCOMPARE(reqs.size(), 6);
    quint64 previous = 0;
    for (const ReceivedRequest &r : reqs) {
        bool ok = false;
        const quint64 n = r.nonce().toULongLong(&ok);
        QVERIFY2(ok, r.body.constData());
        QVERIFY2(n > previous, qPrintable(u"nonce %1 after %2"_s.arg(n).arg(previous)));
        QVERIFY(r.signatureValid);
        previous = n;
    }
}

void TestRestClient::concurrentCallsGetDistinctNonces() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenResultText(R"({"ZUSD":"1"})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    int finished = 0;
    for (int i = 0; i < 5; ++i) {
        client.balance().then(this, [&finished](const Result<Balances> &r) {
            if (r.ok())
                ++finished;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, 5, 20'000);
    QSet<QByteArray> nonces;
    for (const ReceivedRequest &r : server.requests()) {
        QVERIFY(!r.nonce().isEmpty());
        QVERIFY(r.signatureValid);
        nonces.insert(r.nonce());
    }
    QCOMPARE(nonces.size(), 5);
}

// ---- public success paths ----------------------------------------------------------------

void TestRestClient::serverTime() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(
        u"/0/public/Time"_s,
        krakenResultText(R"({"unixtime":1700000000,"rfc1123":"Tue, 14 Nov 23 22:13:20 +0000"})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials()); // public calls still go unsigned

    KT_AWAIT(done, client.serverTime());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->unixTime, 1700000000);
    QCOMPARE(done.result->rfc1123, u"Tue, 14 Nov 23 22:13:20 +0000"_s);
    QCOMPARE(done.attempts, 1);
    QCOMPARE(server.count(), 1);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.method, QByteArray("GET"));
    QCOMPARE(r.header("User-Agent"), QByteArray("KrakenTerm/0.1"));
    QVERIFY(r.header("API-Key").isEmpty());
    QVERIFY(r.header("API-Sign").isEmpty());
}

void TestRestClient::systemStatus() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/SystemStatus"_s,
              krakenResultText(R"({"status":"post_only","timestamp":"2023-07-06T18:52:00Z"})"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.systemStatus());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->status, u"post_only"_s);
    QCOMPARE(done.result->timestamp, u"2023-07-06T18:52:00Z"_s);
}

void TestRestClient::ticker() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Ticker"_s, fixtureReply("ticker.json"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.ticker({u"XBTUSD"_s, u"ETH/USD"_s}));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->size(), 2);
    const TickerInfo *btc = nullptr;
    for (const TickerInfo &t : *done.result) {
        if (t.pair == u"XXBTZUSD"_s)
            btc = &t;
    }
    QVERIFY(btc);
    QCOMPARE(btc->ask.toString(), u"30300.10000"_s);
    QCOMPARE(btc->bid, dec("30300"));
    QCOMPARE(btc->last, dec("30303.2"));
    QCOMPARE(btc->volume24h, dec("4412.73601799"));
    QCOMPARE(btc->tradesToday, 34619);
    QCOMPARE(btc->open, dec("30502.8"));
    QCOMPARE(server.requests().first().param(u"pair"_s), u"XBTUSD,ETH/USD"_s);
}

void TestRestClient::ohlc() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/OHLC"_s, fixtureReply("ohlc.json"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.ohlc(u"XBTUSD"_s, 5, 1688671000));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->pair, u"XXBTZUSD"_s);
    QCOMPARE(done.result->last, 1688671260);
    QCOMPARE(done.result->bars.size(), 3);
    QCOMPARE(done.result->bars.last().time, 1688671320);
    QCOMPARE(done.result->bars.last().close, dec("30291.4"));
    QCOMPARE(done.result->bars.last().count, 25);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.param(u"pair"_s), u"XBTUSD"_s);
    QCOMPARE(r.param(u"interval"_s), u"5"_s);
    QCOMPARE(r.param(u"since"_s), u"1688671000"_s);
}

void TestRestClient::depth() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Depth"_s, fixtureReply("depth.json"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.depth(u"XBTUSD"_s, 3));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->pair, u"XXBTZUSD"_s);
    QCOMPARE(done.result->asks.size(), 3);
    QCOMPARE(done.result->asks.first().price, dec("30384.1"));
    QCOMPARE(done.result->bids.first().volume.toString(), u"1.115"_s);
    QCOMPARE(done.result->bids.last().timestamp, 1688671664);
    QCOMPARE(server.requests().first().param(u"count"_s), u"3"_s);
}

void TestRestClient::trades() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Trades"_s, fixtureReply("trades.json"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.trades(u"XBTUSD"_s, u"1688669000000000000"_s, 3));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->last, u"1688671969993150842"_s);
    QCOMPARE(done.result->trades.size(), 3);
    QCOMPARE(done.result->trades.first().price, dec("30243.4"));
    QCOMPARE(done.result->trades.first().tradeId, 61044952);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.param(u"since"_s), u"1688669000000000000"_s);
    QCOMPARE(r.param(u"count"_s), u"3"_s);
}

void TestRestClient::assetPairsGiveARegistry() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/AssetPairs"_s, fixtureReply("assetpairs.json"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.assetPairs());
    KT_VERIFY_OK(done.result);
    const InstrumentRegistry &reg = *done.result;
    QCOMPARE(reg.size(), 2);
    const Instrument *btc = reg.find(u"BTC/USD"_s);
    QVERIFY(btc);
    QCOMPARE(btc->restKey(), u"XXBTZUSD"_s);
    QCOMPARE(btc->altname(), u"XBTUSD"_s);
    QCOMPARE(reg.find(u"XBTUSD"_s), btc);
    QCOMPARE(reg.find(u"XXBTZUSD"_s), btc);
    QCOMPARE(btc->tickSize(), dec("0.1"));
    QCOMPARE(btc->formatPrice(dec("30300.16")), u"30300.2"_s);
    QVERIFY(reg.find(u"ETH/USD"_s));
    QVERIFY(!server.requests().first().hasParam(u"pair"_s)); // all pairs
}

// ---- private success paths ---------------------------------------------------------------

void TestRestClient::balance() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, fixtureReply("balance.json"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.balance());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->size(), 5);
    QCOMPARE(done.result->value(u"ZUSD"_s), dec("171288.6158"));
    QCOMPARE(done.result->value(u"XXBT"_s).toString(), u"1011.1908877900"_s);
    QCOMPARE(done.result->value(u"USDT"_s).toString(), u"0.10000000"_s);
    const ReceivedRequest r = server.requests().first();
    QVERIFY(r.signatureValid);
    QCOMPARE(r.body, "nonce=" + r.nonce()); // nothing but the nonce
}

void TestRestClient::balanceEx() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/BalanceEx"_s, fixtureReply("balanceex.json"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.balanceEx());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->value(u"ZUSD"_s).available(), dec("17185.45"));
    QCOMPARE(done.result->value(u"XXBT"_s).available(), dec("0.8012"));
    QCOMPARE(done.result->value(u"XXBT"_s).creditUsed, dec("0.1"));
    QVERIFY(server.requests().first().signatureValid);
}

void TestRestClient::openOrders() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/OpenOrders"_s, fixtureReply("openorders.json"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.openOrders({{u"trades"_s, u"true"_s}}));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 2);
    QStringList txids;
    for (const OrderInfo &o : done.result->orders)
        txids.append(o.txid);
    txids.sort();
    QCOMPARE(txids, (QStringList{u"OB5VMB-B4U2U-DK2WRW"_s, u"OQCLML-BW3P3-BUCMWZ"_s}));
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.body, "nonce=" + r.nonce() + "&trades=true");
    QVERIFY(r.signatureValid);
}

void TestRestClient::queryOrders() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/QueryOrders"_s, fixtureReply("queryorders.json"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.queryOrders({u"OBCMZD-JIEE7-77TH3F"_s, u"OMMDB2-FSB6Z-7W3HPO"_s}));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->size(), 2);
    for (const OrderInfo &o : *done.result) {
        if (o.txid == u"OBCMZD-JIEE7-77TH3F"_s)
            QCOMPARE(o.averagePrice, dec("27506.2"));
        else
            QCOMPARE(o.status, u"canceled"_s);
    }
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.param(u"txid"_s), u"OBCMZD-JIEE7-77TH3F,OMMDB2-FSB6Z-7W3HPO"_s);
    QVERIFY(r.signatureValid);
}

void TestRestClient::addOrder() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/AddOrder"_s,
              krakenResultText(R"({"descr":{"order":"buy 1.25000000 XBTUSD @ limit 37500.0"},
                                   "txid":["OUF4EM-FRGI2-MQMWZD"]})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    QSignalSpy trading(&client, &RestClient::tradingCounterChanged);
    QSignalSpy rest(&client, &RestClient::rateCounterChanged);

    OrderRequest order;
    order.pair = u"XBTUSD"_s;
    order.side = Side::Buy;
    order.orderType = u"limit"_s;
    order.volume = dec("1.25000000");
    order.price = dec("37500.0");
    order.clOrdId = u"kt-0001"_s;
    KT_AWAIT(done, client.addOrder(order));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->txids, QStringList{u"OUF4EM-FRGI2-MQMWZD"_s});
    QCOMPARE(done.result->descrOrder, u"buy 1.25000000 XBTUSD @ limit 37500.0"_s);

    QCOMPARE(server.count(), 1);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.body, "nonce=" + r.nonce() +
                         "&pair=XBTUSD&type=buy&ordertype=limit&volume=1.25000000&price=37500.0"
                         "&cl_ord_id=kt-0001");
    QVERIFY(r.signatureValid);
    // Charged on the pair's trading counter, not the REST counter.
    QCOMPARE(trading.size(), 1);
    QCOMPARE(trading.first().at(0).toString(), u"XBTUSD"_s);
    QVERIFY(trading.first().at(1).toDouble() > 0.9); // +1 for an add
    QCOMPARE(rest.size(), 0);
}

void TestRestClient::addOrderBatchSendsJson() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/AddOrderBatch"_s, [](const ReceivedRequest &r) {
        // The server insists on the documented JSON form.
        if (r.header("Content-Type") != "application/json" || !r.body.startsWith(R"({"nonce":")") ||
            !r.body.contains(R"("orders")"))
            return krakenErrors({u"EGeneral:Invalid arguments"_s});
        return krakenResultText(R"({"orders":[
            {"txid":"O5OR23-ZSJ4L-7ACIHA","descr":{"order":"buy 1.00000000 XBTUSD @ limit 30000.0"}},
            {"error":"EOrder:Insufficient funds"}]})");
    });
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    OrderRequest a;
    a.pair = u"XBTUSD"_s;
    a.volume = dec("1.00000000");
    a.price = dec("30000.0");
    OrderRequest b = a;
    b.side = Side::Sell;
    b.price = dec("32000.0");
    b.oflags = {u"post"_s};
    KT_AWAIT(done, client.addOrderBatch(u"XBTUSD"_s, {a, b}, false, u"2024-01-01T00:00:00Z"_s));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->size(), 2);
    QCOMPARE(done.result->at(0).txid, u"O5OR23-ZSJ4L-7ACIHA"_s);
    QCOMPARE(done.result->at(1).error, u"EOrder:Insufficient funds"_s);

    QCOMPARE(server.count(), 1);
    const ReceivedRequest r = server.requests().first();
    QVERIFY2(r.signatureValid, r.body.constData()); // signed over the exact JSON text
    const QJsonObject body = jsonOf(r.body);
    QCOMPARE(body.value(u"nonce"_s).toString().toUtf8(), r.nonce());
    QCOMPARE(body.value(u"pair"_s).toString(), u"XBTUSD"_s);
    QCOMPARE(body.value(u"deadline"_s).toString(), u"2024-01-01T00:00:00Z"_s);
    QVERIFY(!body.contains(u"validate"_s));
    const QJsonArray orders = body.value(u"orders"_s).toArray();
    QCOMPARE(orders.size(), 2);
    QCOMPARE(orders.at(0).toObject().value(u"type"_s).toString(), u"buy"_s);
    QCOMPARE(orders.at(0).toObject().value(u"volume"_s).toString(), u"1.00000000"_s);
    QCOMPARE(orders.at(1).toObject().value(u"type"_s).toString(), u"sell"_s);
    QCOMPARE(orders.at(1).toObject().value(u"price"_s).toString(), u"32000.0"_s);
    QCOMPARE(orders.at(1).toObject().value(u"oflags"_s).toString(), u"post"_s);
}

void TestRestClient::amendOrder() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/AmendOrder"_s,
              krakenResultText(R"({"amend_id":"TJSMEH-AA67V-YUSQ6O"})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    AmendRequest amend;
    amend.txid = u"OHYO67-6LP66-HMQ437"_s;
    amend.orderQty = dec("1.50000000");
    amend.limitPrice = dec("30100.0");
    amend.postOnly = true;
    KT_AWAIT(done, client.amendOrder(amend));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->amendId, u"TJSMEH-AA67V-YUSQ6O"_s);
    const ReceivedRequest r = server.requests().first();
    QCOMPARE(r.body, "nonce=" + r.nonce() +
                         "&txid=OHYO67-6LP66-HMQ437&order_qty=1.50000000&limit_price=30100.0"
                         "&post_only=true");
    QVERIFY(r.signatureValid);
}

void TestRestClient::cancelOrder() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/CancelOrder"_s, krakenResultText(R"({"count":1,"pending":false})"));
    server.on(u"/0/private/CancelAll"_s, krakenResultText(R"({"count":4})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    {
        KT_AWAIT(done, client.cancelOrder(u"OYVGEW-VYXSK-3GS3PQ"_s));
        KT_VERIFY_OK(done.result);
        QCOMPARE(done.result->count, 1);
        QVERIFY(!done.result->pending);
    }
    {
        KT_AWAIT(done, client.cancelAllOrders());
        KT_VERIFY_OK(done.result);
        QCOMPARE(done.result->count, 4);
    }
    const auto cancels = server.requests(u"/0/private/CancelOrder"_s);
    QCOMPARE(cancels.size(), 1);
    QCOMPARE(cancels.first().param(u"txid"_s), u"OYVGEW-VYXSK-3GS3PQ"_s);
    QVERIFY(cancels.first().signatureValid);
    QCOMPARE(server.count(u"/0/private/CancelAll"_s), 1);
}

void TestRestClient::cancelAllOrdersAfter() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/CancelAllOrdersAfter"_s, [](const ReceivedRequest &r) {
        const bool disarm = r.param(u"timeout"_s) == u"0"_s;
        return krakenResultText(disarm ? R"({"currentTime":"2023-03-24T17:41:56Z",
                                             "triggerTime":"0"})"
                                       : R"({"currentTime":"2023-03-24T17:41:56Z",
                                             "triggerTime":"2023-03-24T17:42:56Z"})");
    });
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    {
        KT_AWAIT(done, client.cancelAllOrdersAfter(60));
        KT_VERIFY_OK(done.result);
        QCOMPARE(done.result->currentTime, u"2023-03-24T17:41:56Z"_s);
        QCOMPARE(done.result->triggerTime, u"2023-03-24T17:42:56Z"_s);
    }
    {
        KT_AWAIT(done, client.cancelAllOrdersAfter(-5)); // negative disarms, never sent as-is
        KT_VERIFY_OK(done.result);
        QCOMPARE(done.result->triggerTime, u"0"_s);
    }
    const auto reqs = server.requests();
    QCOMPARE(reqs.size(), 2);
    QCOMPARE(reqs.at(0).param(u"timeout"_s), u"60"_s);
    QCOMPARE(reqs.at(1).param(u"timeout"_s), u"0"_s);
    QVERIFY(reqs.at(0).signatureValid && reqs.at(1).signatureValid);
}

void TestRestClient::webSocketsToken() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/GetWebSocketsToken"_s,
              krakenResultText(
                  R"({"token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw","expires":900})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.webSocketsToken());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->token, u"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw"_s);
    QCOMPARE(done.result->expiresSeconds, 900);
    QVERIFY(server.requests().first().signatureValid);
}

void TestRestClient::warningsBesideAResult() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenResult(QJsonObject{{u"ZUSD"_s, u"5.0000"_s}},
                                                    {u"WGeneral:Danger:Deprecated endpoint"_s}));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);
    KT_AWAIT(done, client.balance());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->value(u"ZUSD"_s).toString(), u"5.0000"_s);
    QCOMPARE(done.warnings, QStringList{u"WGeneral:Danger:Deprecated endpoint"_s});
    QCOMPARE(failed.size(), 0);
    QCOMPARE(server.count(), 1);
}

void TestRestClient::replyFinishesAsynchronously() {
    // Even a call that fails locally before any network activity reports from the event
    // loop, so continuations attached after the call still run.
    RestClient client(testConfig(QUrl(u"http://127.0.0.1:9"_s)));
    bool called = false;
    const Call<Balances> call = client.balance(); // no credentials: fails without sending
    call.then(this, [&called](const Result<Balances> &r) {
        called = true;
        QCOMPARE(r.error().category(), Error::Category::Auth);
    });
    QVERIFY(!called);
    QTRY_VERIFY_WITH_TIMEOUT(called, 10'000);
}

// ---- secrets -----------------------------------------------------------------------------

void TestRestClient::secretNeverInErrorsOrLogs() {
    const QString secret = QString::fromLatin1(m_vector.secret);
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    // Servers that misbehave in every way a failure can be reported, some of them echoing
    // the secret's text back so that a message built from the body would carry it.
    server.on(u"/0/private/Balance"_s, krakenErrors({u"EAPI:Invalid signature"_s}));
    server.on(u"/0/private/BalanceEx"_s, krakenErrors({u"EGeneral:Invalid arguments:"_s + secret}));
    server.on(u"/0/private/TradeBalance"_s, [&secret](const ReceivedRequest &r) {
        QByteArray echo = "proxy error, key material " + secret.toLatin1() + ", request was:\n";
        for (const auto &h : r.headers)
            echo += h.first + ": " + h.second + "\n";
        echo += r.body;
        return rawReply(500, "text/plain", echo);
    });
    server.on(u"/0/private/OpenOrders"_s,
              rawReply(200, "application/json", "{" + secret.toLatin1()));
    server.on(u"/0/private/AddOrder"_s,
              rawReply(502, "text/plain", "bad gateway " + secret.toLatin1()));

    QStringList log;
    {
        QMutexLocker lock(&captureMutex);
        capturedLog = &log;
    }
    previousHandler = qInstallMessageHandler(captureMessage);
    QLoggingCategory::setFilterRules(u"kraken.*=true"_s);
    previousFilter = QLoggingCategory::installFilter(enableKrakenCategories);
    auto restore = qScopeGuard([] {
        QLoggingCategory::installFilter(previousFilter);
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(previousHandler);
        QMutexLocker lock(&captureMutex);
        capturedLog = nullptr;
    });

    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 1;
    RestClient client(config);
    client.setCredentials(credentials());
    QStringList reported;
    connect(&client, &RestClient::callFailed, this,
            [&reported](const QString &, const Error &e) { reported.append(e.toString()); });

    QStringList errors;
    auto collect = [&errors](const Error &e) {
        errors << e.toString() << e.message() << e.detail() << e.krakenErrors();
    };
    {
        KT_AWAIT(done, client.balance());
        QVERIFY(!done.result.ok());
        QCOMPARE(done.result.error().category(), Error::Category::Auth);
        collect(done.result.error());
    }
    {
        KT_AWAIT(done, client.balanceEx());
        QVERIFY(!done.result.ok());
        QCOMPARE(done.result.error().category(), Error::Category::Kraken);
        collect(done.result.error());
    }
    {
        KT_AWAIT(done, client.tradeBalance());
        QVERIFY(!done.result.ok());
        QCOMPARE(done.result.error().category(), Error::Category::Http);
        QCOMPARE(done.attempts, 2); // retried once: the retry path logs too
        collect(done.result.error());
    }
    {
        KT_AWAIT(done, client.openOrders());
        QVERIFY(!done.result.ok());
        QCOMPARE(done.result.error().category(), Error::Category::Parse);
        collect(done.result.error());
    }
    {
        OrderRequest order;
        order.pair = u"XBTUSD"_s;
        order.volume = dec("1");
        order.price = dec("100");
        KT_AWAIT(done, client.addOrder(order));
        QVERIFY(!done.result.ok());
        QVERIFY(done.result.error().outcomeUnknown());
        collect(done.result.error());
    }
    {
        RestClient offline(testConfig(QUrl(u"http://127.0.0.1:%1"_s.arg(refusedPort()))));
        offline.setCredentials(credentials());
        KT_AWAIT(done, offline.balance());
        QVERIFY(!done.result.ok());
        QCOMPARE(done.result.error().category(), Error::Category::Network);
        collect(done.result.error());
    }

    QCOMPARE(reported.size(), 5);
    QVERIFY(!errors.isEmpty());
    for (const QString &text : errors + reported)
        QVERIFY2(!text.contains(secret), qPrintable(u"secret in error text: "_s + text));
    // The capture really saw the client's log lines, at debug level too.
    const QString all = log.join(u'\n');
    QVERIFY2(all.contains(u"kraken.rest"_s), qPrintable(all));
    QVERIFY2(all.contains(u"TradeBalance retrying"_s), qPrintable(all));
    QVERIFY2(all.contains(u"attempt"_s), qPrintable(all)); // qCDebug output
    QVERIFY2(all.contains(u"failed"_s), qPrintable(all));
    for (const QString &line : std::as_const(log))
        QVERIFY2(!line.contains(secret), qPrintable(u"secret in log: "_s + line));
    // The servers did put the secret where a careless message would pick it up: it was
    // there, and was replaced.
    QVERIFY2(errors.join(u'\n').contains(u"<redacted>"_s), qPrintable(errors.join(u'\n')));
    QVERIFY2(all.contains(u"<redacted>"_s), qPrintable(all));
}

void TestRestClient::privateCallsAreSentOneAtATime() {
    // Parallel connections could deliver nonces out of order; while one private call is on
    // the wire the others wait. The server never answers, so each call ends by timeout.
    RawHttpServer server(RawHttpServer::Mode::Hang);
    QVERIFY(server.isListening());
    RestClientConfig config = testConfig(server.baseUrl());
    config.timeoutMs = 1500;
    config.maxRetries = 0;
    RestClient client(config);
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);
    client.balance();
    client.balanceEx();
    client.openOrders();
    QTRY_COMPARE_WITH_TIMEOUT(server.requests(), 1, 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
    // Sent in parallel, all three would have arrived long before the first timed out.
    QVERIFY2(server.requests() < 3, "private calls went out concurrently");
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 3, 30'000);
    QCOMPARE(server.requests(), 3);
    const QList<QByteArray> heads = server.requestHeads();
    QVERIFY(heads[0].startsWith("POST /0/private/Balance "));
    QVERIFY(heads[1].startsWith("POST /0/private/BalanceEx "));
    QVERIFY(heads[2].startsWith("POST /0/private/OpenOrders "));
}

void TestRestClient::thenAfterDeliveryStillDelivers() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s,
              krakenResult(QJsonObject{{u"unixtime"_s, 1700000000}, {u"rfc1123"_s, u"x"_s}}));
    RestClient client(testConfig(server.baseUrl()));
    const Call<ServerTime> call = client.serverTime();
    QObject context;
    std::optional<qint64> first, late, afterDeletion;
    Error deletedError;
    call.then(&context, [&](const Result<ServerTime> &r) {
        first = r ? r->unixTime : -1;
        // Inside the first continuation the reply has delivered but still exists.
        call.then(&context, [&](const Result<ServerTime> &r2) { late = r2 ? r2->unixTime : -1; });
    });
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value() && late.has_value(), 20'000);
    QCOMPARE(*first, 1700000000);
    QCOMPARE(*late, 1700000000);
    QTRY_VERIFY_WITH_TIMEOUT(call.reply() == nullptr, 20'000); // deleted after delivery
    call.then(&context, [&](const Result<ServerTime> &r) {
        afterDeletion = r ? 0 : 1;
        deletedError = r.error();
    });
    QTRY_VERIFY_WITH_TIMEOUT(afterDeletion.has_value(), 20'000);
    QCOMPARE(*afterDeletion, 1);
    QCOMPARE(deletedError.category(), Error::Category::InvalidInput);
}

QTEST_GUILESS_MAIN(TestRestClient)
#include "tst_restclient.moc"
