// Rate limiting: the client queues calls against its model of Kraken's REST counter (and the
// public per-IP pace) instead of exceeding it, says so through `throttled`, and treats
// Kraken's own "EAPI:Rate limit exceeded" as a full counter: wait, retry, then report.
// Assertions are on signals and on what the server received, never on elapsed time.

#include "fakekraken.h"
#include "kraken/spot/restclient.h"
#include "spottestsupport.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using namespace spottest;

class TestRestClientRateLimit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void callsBeyondTheCounterAreQueued();
    void callCostsOnTheRestCounter();
    void rateLimitAnswerRetriedThenReported();
    void rateLimitAnswerThenSuccess();
    void publicCallsArePaced();

private:
    Credentials credentials() const { return Credentials(u"kt-test-key"_s, m_vector.secret); }

    SignVector m_vector;
};

void TestRestClientRateLimit::initTestCase() {
    QString error;
    m_vector = loadSignVector(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestRestClientRateLimit::callsBeyondTheCounterAreQueued() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenResultText(R"({"ZUSD":"1.0000"})"));
    RestClientConfig config = testConfig(server.baseUrl());
    config.tier = VerificationTier::Starter;
    RestClient client(config);
    client.setCredentials(credentials());
    QCOMPARE(client.restCounterMax(), 15);
    QSignalSpy throttled(&client, &RestClient::throttled);
    QSignalSpy counter(&client, &RestClient::rateCounterChanged);

    constexpr int Calls = 17;
    int succeeded = 0;
    int failed = 0;
    for (int i = 0; i < Calls; ++i) {
        client.balance().then(this, [&succeeded, &failed](const Result<Balances> &r) {
            r.ok() ? ++succeeded : ++failed;
        });
    }
    // The decision to queue is taken when the calls are made.
    const int beyond = Calls - client.restCounterMax();
    QCOMPARE(throttled.size(), beyond);
    for (const QList<QVariant> &args : std::as_const(throttled)) {
        QCOMPARE(args.at(0).toString(), u"Balance"_s);
        QVERIFY(args.at(1).toLongLong() > 0);
    }
    // Queued in order: the later call waits longer.
    QVERIFY(throttled.at(1).at(1).toLongLong() > throttled.at(0).at(1).toLongLong());
    QCOMPARE(counter.size(), Calls);
    double highest = 0;
    for (const QList<QVariant> &args : std::as_const(counter)) {
        QCOMPARE(args.at(1).toInt(), 15);
        highest = std::max(highest, args.at(0).toDouble());
    }
    QVERIFY2(highest > 14.9 && highest <= 15.0, qPrintable(QString::number(highest)));
    // Before the queued ones go out, the server has seen only what the counter allowed.
    QTRY_VERIFY_WITH_TIMEOUT(server.count() >= client.restCounterMax(), 10'000);
    QCOMPARE(throttled.size(), beyond);

    QTRY_COMPARE_WITH_TIMEOUT(succeeded + failed, Calls, 60'000);
    QCOMPARE(succeeded, Calls);
    QCOMPARE(server.count(), Calls);
    QSet<QByteArray> nonces;
    for (const ReceivedRequest &r : server.requests()) {
        QVERIFY(r.signatureValid);
        nonces.insert(r.nonce());
    }
    QCOMPARE(nonces.size(), Calls);
}

void TestRestClientRateLimit::callCostsOnTheRestCounter() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/TradesHistory"_s, krakenResultText(R"({"trades":{},"count":0})"));
    server.on(u"/0/private/Balance"_s, krakenResultText(R"({})"));
    server.on(u"/0/private/AddOrder"_s, krakenResultText(R"({"txid":["OX"]})"));
    {
        RestClient client(testConfig(server.baseUrl()));
        client.setCredentials(credentials());
        QSignalSpy counter(&client, &RestClient::rateCounterChanged);
        const auto call = client.tradesHistory();
        QCOMPARE(counter.size(), 1);
        QCOMPARE(counter.first().at(0).toDouble(), 2.0); // history calls cost 2
        KT_AWAIT(done, call);
        KT_VERIFY_OK(done.result);
    }
    {
        RestClient client(testConfig(server.baseUrl()));
        client.setCredentials(credentials());
        QSignalSpy counter(&client, &RestClient::rateCounterChanged);
        const auto call = client.balance();
        QCOMPARE(counter.size(), 1);
        QCOMPARE(counter.first().at(0).toDouble(), 1.0);
        KT_AWAIT(done, call);
        KT_VERIFY_OK(done.result);
    }
    {
        RestClient client(testConfig(server.baseUrl()));
        client.setCredentials(credentials());
        QSignalSpy counter(&client, &RestClient::rateCounterChanged);
        OrderRequest order;
        order.pair = u"XBTUSD"_s;
        order.volume = dec("1");
        order.price = dec("100");
        KT_AWAIT(done, client.addOrder(order));
        KT_VERIFY_OK(done.result);
        QCOMPARE(counter.size(), 0); // order entry uses the trading counter only
        QCOMPARE(client.restCounter(), 0.0);
    }
}

void TestRestClientRateLimit::rateLimitAnswerRetriedThenReported() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenErrors({u"EAPI:Rate limit exceeded"_s}));
    RestClientConfig config = testConfig(server.baseUrl());
    config.tier = VerificationTier::Pro; // decays 1/s: the forced wait stays short
    config.maxRetries = 1;
    RestClient client(config);
    client.setCredentials(credentials());
    QSignalSpy throttled(&client, &RestClient::throttled);
    QSignalSpy failed(&client, &RestClient::callFailed);

    KT_AWAIT(done, client.balance());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::RateLimited);
    QCOMPARE(e.krakenErrors(), QStringList{u"EAPI:Rate limit exceeded"_s});
    QVERIFY2(e.toString().contains(u"counter"_s), qPrintable(e.toString()));
    QCOMPARE(server.count(), 2);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(failed.size(), 1);
    // Kraken's answer marked the local counter full, so the retry waited for it to decay,
    // far beyond the 5..15 ms backoff this configuration alone would give.
    QCOMPARE(throttled.size(), 1);
    QCOMPARE(throttled.first().at(0).toString(), u"Balance"_s);
    QVERIFY2(throttled.first().at(1).toLongLong() > 100,
             qPrintable(throttled.first().at(1).toString()));
    QVERIFY(server.requests().at(1).nonce().toULongLong() >
            server.requests().at(0).nonce().toULongLong());
}

void TestRestClientRateLimit::rateLimitAnswerThenSuccess() {
    FakeKraken server;
    QVERIFY(server.isListening());
    int calls = 0;
    server.on(u"/0/private/OpenOrders"_s, [&calls](const ReceivedRequest &) {
        return ++calls == 1 ? krakenErrors({u"EAPI:Rate limit exceeded"_s})
                            : krakenResultText(R"({"open":{}})");
    });
    RestClientConfig config = testConfig(server.baseUrl());
    config.tier = VerificationTier::Pro;
    RestClient client(config);
    client.setCredentials(credentials());
    KT_AWAIT(done, client.openOrders());
    KT_VERIFY_OK(done.result);
    QVERIFY(done.result->orders.isEmpty());
    QCOMPARE(server.count(), 2);
}

void TestRestClientRateLimit::publicCallsArePaced() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, krakenResultText(R"({"unixtime":1700000000,"rfc1123":"x"})"));
    RestClientConfig config = testConfig(server.baseUrl());
    config.limitPublicCalls = true;
    RestClient client(config);
    QSignalSpy throttled(&client, &RestClient::throttled);
    QSignalSpy counter(&client, &RestClient::rateCounterChanged);

    constexpr int Calls = 17;
    int succeeded = 0;
    for (int i = 0; i < Calls; ++i) {
        client.serverTime().then(this, [&succeeded](const Result<ServerTime> &r) {
            if (r.ok())
                ++succeeded;
        });
    }
    QVERIFY(throttled.size() >= 1); // a burst is spread out
    for (const QList<QVariant> &args : std::as_const(throttled))
        QCOMPARE(args.at(0).toString(), u"Time"_s);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded, Calls, 60'000);
    QCOMPARE(server.count(), Calls);
    QCOMPARE(counter.size(), 0); // public calls leave the private REST counter alone
}

QTEST_GUILESS_MAIN(TestRestClientRateLimit)
#include "tst_restclient_ratelimit.moc"
