// Order entry safety over real sockets. An order call is never sent twice by anyone: not by
// the client's retry logic and not by Qt's HTTP stack. A failure after the request may have
// reached Kraken carries outcomeUnknown(); a failure that proves it never arrived, or
// Kraken's explicit rejection, does not. Local validation sends nothing at all.

#include "fakekraken.h"
#include "kraken/spot/restclient.h"
#include "spottestsupport.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using namespace spottest;

namespace {

OrderRequest limitBuy() {
    OrderRequest o;
    o.pair = u"XBTUSD"_s;
    o.side = Side::Buy;
    o.orderType = u"limit"_s;
    o.volume = dec("0.5");
    o.price = dec("30000.0");
    return o;
}

} // namespace

class TestRestClientOrders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void hangIsTimeoutWithOutcomeUnknown();
    void http502IsOutcomeUnknown();
    void serviceErrorsAreOutcomeUnknown_data();
    void serviceErrorsAreOutcomeUnknown();
    void refusedConnectionIsDefinite();
    void rejectionIsDefinite_data();
    void rejectionIsDefinite();
    void connectionDroppedAfterRequestIsNeverResent_data();
    void connectionDroppedAfterRequestIsNeverResent();
    void truncatedAnswerIsOutcomeUnknown();
    void unreadableAnswerIsOutcomeUnknown();
    void invalidNonceIsRetriedOnce();
    void abortAfterSendingIsOutcomeUnknown();
    void cancelAndAmendAreNeverRetried();
    void localValidationSendsNothing_data();
    void localValidationSendsNothing();
    void tradingCounterUsesCanonicalPair();

private:
    Credentials credentials() const { return Credentials(u"kt-test-key"_s, m_vector.secret); }

    SignVector m_vector;
};

void TestRestClientOrders::initTestCase() {
    QString error;
    m_vector = loadSignVector(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestRestClientOrders::hangIsTimeoutWithOutcomeUnknown() {
    // Reading an aborted reply once made Qt warn on every timeout.
    QTest::failOnWarning(QRegularExpression(u"device not open"_s));
    RawHttpServer server(RawHttpServer::Mode::Hang);
    QVERIFY(server.isListening());
    RestClientConfig config = testConfig(server.baseUrl());
    config.timeoutMs = 1000;
    config.maxRetries = 3; // must not apply to order entry
    RestClient client(config);
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);

    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Timeout);
    QVERIFY(e.outcomeUnknown());
    QVERIFY2(e.toString().contains(u"outcome unknown"_s), qPrintable(e.toString()));
    QCOMPARE(server.requests(), 1);
    QCOMPARE(server.connections(), 1);
    QCOMPARE(done.attempts, 1);
    QCOMPARE(failed.size(), 1);
    QVERIFY(server.requestHeads().first().startsWith("POST /0/private/AddOrder "));
}

void TestRestClientOrders::http502IsOutcomeUnknown() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/AddOrder"_s,
              rawReply(502, "text/html", "<html><title>502 Bad Gateway</title></html>"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Http);
    QCOMPARE(done.result.error().httpStatus(), 502);
    QVERIFY(done.result.error().outcomeUnknown());
    QCOMPARE(server.count(), 1);
}

void TestRestClientOrders::serviceErrorsAreOutcomeUnknown_data() {
    QTest::addColumn<QString>("error");
    QTest::newRow("EService:Busy") << u"EService:Busy"_s;
    QTest::newRow("EService:Unavailable") << u"EService:Unavailable"_s;
    QTest::newRow("EGeneral:Internal error") << u"EGeneral:Internal error"_s;
}

void TestRestClientOrders::serviceErrorsAreOutcomeUnknown() {
    QFETCH(QString, error);
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/AddOrder"_s, krakenErrors({error}));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().krakenErrors(), QStringList{error});
    QVERIFY(done.result.error().outcomeUnknown());
    QCOMPARE(server.count(), 1); // transient for a read, but an order is not resent
}

void TestRestClientOrders::refusedConnectionIsDefinite() {
    const quint16 port = refusedPort();
    QVERIFY(port != 0);
    RestClient client(testConfig(QUrl(u"http://127.0.0.1:%1"_s.arg(port))));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Network);
    QVERIFY(!done.result.error().outcomeUnknown()); // nothing can have arrived
    QVERIFY(!done.result.error().toString().contains(u"outcome unknown"_s));
    QCOMPARE(done.attempts, 1); // and it is still not retried
}

void TestRestClientOrders::rejectionIsDefinite_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<Error::Category>("category");
    QTest::newRow("insufficient funds")
        << u"EOrder:Insufficient funds"_s << Error::Category::Kraken;
    QTest::newRow("order minimum") << u"EOrder:Order minimum not met"_s << Error::Category::Kraken;
    QTest::newRow("pair rate limit")
        << u"EOrder:Rate limit exceeded"_s << Error::Category::RateLimited;
    QTest::newRow("invalid key") << u"EAPI:Invalid key"_s << Error::Category::Auth;
}

void TestRestClientOrders::rejectionIsDefinite() {
    QFETCH(QString, error);
    QFETCH(Error::Category, category);
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/AddOrder"_s, krakenErrors({error}));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), category);
    QCOMPARE(done.result.error().krakenErrors(), QStringList{error});
    QVERIFY(!done.result.error().outcomeUnknown());
    QCOMPARE(server.count(), 1);
    QVERIFY(server.requests().first().signatureValid);
}

void TestRestClientOrders::connectionDroppedAfterRequestIsNeverResent_data() {
    QTest::addColumn<RawHttpServer::Mode>("mode");
    QTest::newRow("closed after the whole request") << RawHttpServer::Mode::CloseAfterRequest;
    QTest::newRow("closed on the first bytes") << RawHttpServer::Mode::CloseOnFirstBytes;
}

void TestRestClientOrders::connectionDroppedAfterRequestIsNeverResent() {
    // Qt's HTTP stack re-sends a request on its own when the connection closes before an
    // answer starts. For an order that would place it twice; the client must prevent it.
    QFETCH(RawHttpServer::Mode, mode);
    RawHttpServer server(mode);
    QVERIFY(server.isListening());
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Network);
    QVERIFY(done.result.error().outcomeUnknown());
    QCOMPARE(server.requests(), 1);
    QCOMPARE(server.connections(), 1);

    // The same holds for the other order calls, JSON-bodied ones included.
    RawHttpServer batchServer(mode);
    QVERIFY(batchServer.isListening());
    RestClient batchClient(testConfig(batchServer.baseUrl()));
    batchClient.setCredentials(credentials());
    OrderRequest second = limitBuy();
    second.price = dec("29000.0");
    KT_AWAIT(batch, batchClient.addOrderBatch(u"XBTUSD"_s, {limitBuy(), second}));
    QVERIFY(!batch.result.ok());
    QVERIFY(batch.result.error().outcomeUnknown());
    QCOMPARE(batchServer.requests(), 1);

    RawHttpServer cancelServer(mode);
    QVERIFY(cancelServer.isListening());
    RestClient cancelClient(testConfig(cancelServer.baseUrl()));
    cancelClient.setCredentials(credentials());
    KT_AWAIT(cancel, cancelClient.cancelOrder(u"OYVGEW-VYXSK-3GS3PQ"_s));
    QVERIFY(!cancel.result.ok());
    QVERIFY(cancel.result.error().outcomeUnknown());
    QCOMPARE(cancelServer.requests(), 1);
}

void TestRestClientOrders::truncatedAnswerIsOutcomeUnknown() {
    RawHttpServer server(RawHttpServer::Mode::Truncated);
    QVERIFY(server.isListening());
    server.setTruncatedBody(R"({"error":[],"result":{"txid":["OUF4E)", 120);
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QVERIFY(done.result.error().outcomeUnknown());
    QCOMPARE(server.requests(), 1);
}

void TestRestClientOrders::unreadableAnswerIsOutcomeUnknown() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/AddOrder"_s,
              rawReply(200, "text/html", "<html><title>Attention Required!</title></html>"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Parse);
    QVERIFY(done.result.error().outcomeUnknown()); // it may have been placed
    QCOMPARE(server.count(), 1);
}

void TestRestClientOrders::invalidNonceIsRetriedOnce() {
    // A nonce rejection is definite (Kraken executed nothing), so the one exception to "never
    // resend" applies: one retry with a fresh, larger nonce.
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    int calls = 0;
    server.on(u"/0/private/AddOrder"_s, [&calls](const ReceivedRequest &) {
        return ++calls == 1 ? krakenErrors({u"EAPI:Invalid nonce"_s})
                            : krakenResultText(R"({"descr":{"order":"buy"},"txid":["OTX1"]})");
    });
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.addOrder(limitBuy()));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->txids, QStringList{u"OTX1"_s});
    const auto reqs = server.requests();
    QCOMPARE(reqs.size(), 2);
    QVERIFY(reqs.at(1).nonce().toULongLong() > reqs.at(0).nonce().toULongLong());
    QVERIFY(reqs.at(0).signatureValid && reqs.at(1).signatureValid);
    // Apart from the nonce, the same order.
    QCOMPARE(reqs.at(0).body.mid(reqs.at(0).body.indexOf('&')),
             reqs.at(1).body.mid(reqs.at(1).body.indexOf('&')));
}

void TestRestClientOrders::abortAfterSendingIsOutcomeUnknown() {
    RawHttpServer server(RawHttpServer::Mode::Hang);
    QVERIFY(server.isListening());
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    const Call<AddOrderResult> call = client.addOrder(limitBuy());
    std::optional<Error> error;
    call.then(this, [&error](const Result<AddOrderResult> &r) { error = r.error(); });
    QTRY_COMPARE_WITH_TIMEOUT(server.requests(), 1, 10'000);
    call.reply()->abort();
    QTRY_VERIFY_WITH_TIMEOUT(error.has_value(), 10'000);
    QCOMPARE(error->category(), Error::Category::Network);
    QVERIFY(error->outcomeUnknown());
    QCOMPARE(server.requests(), 1);
}

void TestRestClientOrders::cancelAndAmendAreNeverRetried() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/CancelOrder"_s, rawReply(503, "text/plain", "unavailable"));
    server.on(u"/0/private/AmendOrder"_s, rawReply(500, "text/plain", "oops"));
    server.on(u"/0/private/CancelAllOrdersAfter"_s, rawReply(502, "text/plain", "bad gateway"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    {
        KT_AWAIT(done, client.cancelOrder(u"OYVGEW-VYXSK-3GS3PQ"_s));
        QVERIFY(!done.result.ok());
        QVERIFY(done.result.error().outcomeUnknown());
    }
    {
        AmendRequest amend;
        amend.txid = u"OYVGEW-VYXSK-3GS3PQ"_s;
        amend.limitPrice = dec("30100");
        KT_AWAIT(done, client.amendOrder(amend));
        QVERIFY(!done.result.ok());
        QVERIFY(done.result.error().outcomeUnknown());
    }
    {
        KT_AWAIT(done, client.cancelAllOrdersAfter(60));
        QVERIFY(!done.result.ok());
        QVERIFY(done.result.error().outcomeUnknown());
    }
    QCOMPARE(server.count(u"/0/private/CancelOrder"_s), 1);
    QCOMPARE(server.count(u"/0/private/AmendOrder"_s), 1);
    QCOMPARE(server.count(u"/0/private/CancelAllOrdersAfter"_s), 1);
}

void TestRestClientOrders::localValidationSendsNothing_data() {
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("limit without price") << u"noprice"_s << u"needs a price"_s;
    QTest::newRow("zero volume") << u"volume"_s << u"volume"_s;
    QTest::newRow("no pair") << u"pair"_s << u"pair"_s;
    QTest::newRow("batch of one") << u"batch1"_s << u"2 to 15"_s;
    QTest::newRow("batch with a bad entry") << u"batchbad"_s << u"needs a price"_s;
}

void TestRestClientOrders::localValidationSendsNothing() {
    QFETCH(QString, which);
    QFETCH(QString, phrase);
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/AddOrder"_s, krakenResultText(R"({"txid":["OX"]})"));
    server.on(u"/0/private/AddOrderBatch"_s, krakenResultText(R"({"orders":[]})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);

    OrderRequest bad = limitBuy();
    if (which == u"noprice"_s || which == u"batchbad"_s)
        bad.price.reset();
    else if (which == u"volume"_s)
        bad.volume = dec("0");
    else if (which == u"pair"_s)
        bad.pair.clear();

    std::optional<Error> error;
    if (which.startsWith(u"batch"_s)) {
        const QList<OrderRequest> orders = which == u"batch1"_s
                                               ? QList<OrderRequest>{limitBuy()}
                                               : QList<OrderRequest>{limitBuy(), bad};
        KT_AWAIT(done, client.addOrderBatch(u"XBTUSD"_s, orders));
        QVERIFY(!done.result.ok());
        error = done.result.error();
    } else {
        KT_AWAIT(done, client.addOrder(bad));
        QVERIFY(!done.result.ok());
        error = done.result.error();
    }
    QCOMPARE(error->category(), Error::Category::InvalidInput);
    QVERIFY(!error->outcomeUnknown());
    QVERIFY2(error->toString().contains(u"not sent"_s), qPrintable(error->toString()));
    QVERIFY2(error->toString().contains(phrase), qPrintable(error->toString()));
    QCOMPARE(server.count(), 0);
    QCOMPARE(client.tradingCounter(u"XBTUSD"_s), 0.0); // nothing charged either
    // A local rejection is still a failed call the status bar hears about, once.
    QCOMPARE(failed.size(), 1);
}

void TestRestClientOrders::tradingCounterUsesCanonicalPair() {
    QString readError;
    const QJsonObject pairs =
        readJsonObject(fixturePath("assetpairs.json"), &readError).value(u"result"_s).toObject();
    QVERIFY2(readError.isEmpty(), qPrintable(readError));

    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/AddOrder"_s,
              krakenResultText(R"({"descr":{"order":"x"},"txid":["OTX2"]})"));
    server.on(u"/0/private/CancelOrder"_s, krakenResultText(R"({"count":1})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    client.setInstruments(InstrumentRegistry::fromAssetPairs(pairs));
    QSignalSpy trading(&client, &RestClient::tradingCounterChanged);

    // Two names of one pair, booked back to back: one counter, charged twice.
    OrderRequest byWsName = limitBuy();
    byWsName.pair = u"BTC/USD"_s;
    OrderRequest byAltName = limitBuy();
    byAltName.pair = u"XBTUSD"_s;
    // Both continuations attach before the event loop runs (a finished reply is deleted).
    int placed = 0;
    auto count = [&placed](const Result<AddOrderResult> &r) {
        if (r.ok() && r->txids == QStringList{u"OTX2"_s})
            ++placed;
    };
    client.addOrder(byWsName).then(this, count);
    client.addOrder(byAltName).then(this, count);
    QCOMPARE(trading.size(), 2);
    QCOMPARE(trading.at(0).at(0).toString(), u"XXBTZUSD"_s);
    QCOMPARE(trading.at(1).at(0).toString(), u"XXBTZUSD"_s);
    QCOMPARE(trading.at(0).at(2).toInt(), 60); // Starter tier's per-pair threshold
    QVERIFY(trading.at(0).at(1).toDouble() > 0.9);
    QVERIFY(trading.at(1).at(1).toDouble() > 1.5);
    QTRY_COMPARE_WITH_TIMEOUT(placed, 2, 20'000);
    // The wire still carries the names the caller gave.
    QCOMPARE(server.requests(u"/0/private/AddOrder"_s).at(0).param(u"pair"_s), u"BTC/USD"_s);
    QCOMPARE(server.requests(u"/0/private/AddOrder"_s).at(1).param(u"pair"_s), u"XBTUSD"_s);

    // Cancelling an order seen placed moments ago costs the young-order penalty on its pair.
    const qsizetype before = trading.size();
    {
        KT_AWAIT(done, client.cancelOrder(u"OTX2"_s));
        KT_VERIFY_OK(done.result);
    }
    QCOMPARE(trading.size(), before + 1);
    QCOMPARE(trading.last().at(0).toString(), u"XXBTZUSD"_s);
    QVERIFY2(trading.last().at(1).toDouble() > 7.9, qPrintable(trading.last().at(1).toString()));
    // An order this client never saw has no known pair: no counter is charged.
    {
        KT_AWAIT(done, client.cancelOrder(u"OUNKNOWN"_s));
        KT_VERIFY_OK(done.result);
    }
    QCOMPARE(trading.size(), before + 1);
    QCOMPARE(server.count(u"/0/private/CancelOrder"_s), 2);
}

QTEST_GUILESS_MAIN(TestRestClientOrders)
#include "tst_restclient_orders.moc"
