// RestClient failure paths over real sockets: Kraken error strings, nonce rejection and its
// single retry, HTTP 5xx/429/4xx, Cloudflare and other HTML pages, malformed, truncated and
// empty bodies, a server that never answers, a refused connection, cancellation. Checks the
// Error category and text, and how many requests the server actually received (retries).

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

const QByteArray cloudflarePage =
    "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>api.kraken.com | 503: Service "
    "temporarily unavailable</title>\n</head>\n<body><div class=\"cf-error-details\"><h1>Service "
    "temporarily unavailable</h1><p>Cloudflare Ray ID: 7f1d3c2b9a8e0d11</p></div></body></html>\n";

} // namespace

class TestRestClientErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void krakenErrorStrings_data();
    void krakenErrorStrings();
    void invalidNonceRetriedOnceWithNewNonce();
    void invalidNonceThenSuccess();
    void http5xxRetriedThenReported_data();
    void http5xxRetriedThenReported();
    void transientFailureThenSuccess();
    void http4xxNotRetried();
    void http429IsRateLimitedAndRetried();
    void cloudflareHtml503();
    void htmlWithStatus200IsParse();
    void truncatedJsonIsParse();
    void truncatedTransferIsNetworkAndRetried();
    void emptyBodyIsParse();
    void nonEnvelopeJsonIsParse();
    void hangTimesOut();
    void connectionRefused();
    void closedWithoutAnswerOnAPublicCall();
    void abortInFlight();
    void abortBeforeSending();

private:
    Credentials credentials() const { return Credentials(u"kt-test-key"_s, m_vector.secret); }

    SignVector m_vector;
};

void TestRestClientErrors::initTestCase() {
    QString error;
    m_vector = loadSignVector(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestRestClientErrors::krakenErrorStrings_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<Error::Category>("category");
    QTest::addColumn<int>("requests"); // maxRetries is 2: 3 means retried twice

    QTest::newRow("EGeneral:Invalid arguments")
        << u"EGeneral:Invalid arguments"_s << Error::Category::Kraken << 1;
    QTest::newRow("EAPI:Invalid key") << u"EAPI:Invalid key"_s << Error::Category::Auth << 1;
    QTest::newRow("EGeneral:Permission denied")
        << u"EGeneral:Permission denied"_s << Error::Category::Auth << 1;
    QTest::newRow("EOrder:Insufficient funds")
        << u"EOrder:Insufficient funds"_s << Error::Category::Kraken << 1;
    QTest::newRow("EService:Unavailable")
        << u"EService:Unavailable"_s << Error::Category::Kraken << 3;
    QTest::newRow("EService:Busy") << u"EService:Busy"_s << Error::Category::Kraken << 3;
}

void TestRestClientErrors::krakenErrorStrings() {
    QFETCH(QString, error);
    QFETCH(Error::Category, category);
    QFETCH(int, requests);

    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, krakenErrors({error}));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);

    KT_AWAIT(done, client.balance());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), category);
    QCOMPARE(e.krakenErrors(), QStringList{error});
    QVERIFY2(e.toString().contains(error), qPrintable(e.toString()));
    QVERIFY(!e.outcomeUnknown()); // only order entry carries that
    QCOMPARE(server.count(), requests);
    QCOMPARE(done.attempts, requests);
    QCOMPARE(failed.size(), 1); // once, after the retries
    QCOMPARE(failed.first().at(0).toString(), u"Balance"_s);
}

void TestRestClientErrors::invalidNonceRetriedOnceWithNewNonce() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/OpenOrders"_s, krakenErrors({u"EAPI:Invalid nonce"_s}));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());

    KT_AWAIT(done, client.openOrders());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Auth);
    QCOMPARE(done.result.error().krakenErrors(), QStringList{u"EAPI:Invalid nonce"_s});
    QVERIFY2(done.result.error().toString().contains(u"nonce"_s),
             qPrintable(done.result.error().toString()));

    const auto reqs = server.requests();
    QCOMPARE(reqs.size(), 2); // exactly one retry, not maxRetries
    const quint64 first = reqs.at(0).nonce().toULongLong();
    const quint64 second = reqs.at(1).nonce().toULongLong();
    QVERIFY(first > 0);
    QVERIFY2(second > first, qPrintable(u"%1 then %2"_s.arg(first).arg(second)));
    QVERIFY(reqs.at(0).signatureValid);
    QVERIFY(reqs.at(1).signatureValid); // re-signed for the new nonce
}

void TestRestClientErrors::invalidNonceThenSuccess() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    int calls = 0;
    server.on(u"/0/private/Balance"_s, [&calls](const ReceivedRequest &) {
        return ++calls == 1 ? krakenErrors({u"EAPI:Invalid nonce"_s})
                            : krakenResultText(R"({"ZUSD":"12.5000"})");
    });
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    QSignalSpy failed(&client, &RestClient::callFailed);
    KT_AWAIT(done, client.balance());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->value(u"ZUSD"_s), dec("12.5"));
    QCOMPARE(server.count(), 2);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(failed.size(), 0);
    QVERIFY(server.requests().at(1).nonce().toULongLong() >
            server.requests().at(0).nonce().toULongLong());
}

void TestRestClientErrors::http5xxRetriedThenReported_data() {
    QTest::addColumn<int>("status");
    QTest::newRow("500") << 500;
    QTest::newRow("502") << 502;
    QTest::newRow("503") << 503;
}

void TestRestClientErrors::http5xxRetriedThenReported() {
    QFETCH(int, status);
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, rawReply(status, "text/plain", "upstream connect error"));
    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 2;
    RestClient client(config);
    QSignalSpy failed(&client, &RestClient::callFailed);

    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Http);
    QCOMPARE(e.httpStatus(), status);
    QVERIFY2(e.toString().contains(u"HTTP %1"_s.arg(status)), qPrintable(e.toString()));
    QVERIFY2(e.toString().contains(u"upstream connect error"_s), qPrintable(e.toString()));
    QCOMPARE(server.count(), 1 + config.maxRetries);
    QCOMPARE(done.attempts, 1 + config.maxRetries);
    QCOMPARE(failed.size(), 1);
}

void TestRestClientErrors::transientFailureThenSuccess() {
    FakeKraken server;
    QVERIFY(server.isListening());
    int calls = 0;
    server.on(u"/0/public/Time"_s, [&calls](const ReceivedRequest &) {
        return ++calls < 3 ? rawReply(502, "text/plain", "bad gateway")
                           : krakenResultText(R"({"unixtime":1700000001,"rfc1123":"x"})");
    });
    RestClient client(testConfig(server.baseUrl()));
    QSignalSpy failed(&client, &RestClient::callFailed);
    KT_AWAIT(done, client.serverTime());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->unixTime, 1700000001);
    QCOMPARE(done.attempts, 3);
    QCOMPARE(server.count(), 3);
    QCOMPARE(failed.size(), 0);
}

void TestRestClientErrors::http4xxNotRetried() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, rawReply(404, "text/plain", "no such route"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Http);
    QCOMPARE(done.result.error().httpStatus(), 404);
    QCOMPARE(server.count(), 1);
}

void TestRestClientErrors::http429IsRateLimitedAndRetried() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, rawReply(429, "text/plain", "slow down"));
    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 1;
    RestClient client(config);
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::RateLimited);
    QCOMPARE(done.result.error().httpStatus(), 429);
    QCOMPARE(server.count(), 2);
}

void TestRestClientErrors::cloudflareHtml503() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Ticker"_s, rawReply(503, "text/html; charset=UTF-8", cloudflarePage));
    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 1;
    RestClient client(config);
    KT_AWAIT(done, client.ticker({u"XBTUSD"_s}));
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Http);
    QCOMPARE(e.httpStatus(), 503);
    const QString text = e.toString();
    QVERIFY2(text.contains(u"HTML"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Cloudflare"_s), qPrintable(text));
    QVERIFY2(text.contains(u"api.kraken.com | 503: Service temporarily unavailable"_s),
             qPrintable(text));
    QCOMPARE(server.count(), 2); // a 503 is transient: retried
}

void TestRestClientErrors::htmlWithStatus200IsParse() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(
        u"/0/public/Time"_s,
        rawReply(200, "text/html", "<html><head><title>Just a moment...</title></head></html>"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Parse);
    const QString text = done.result.error().toString();
    QVERIFY2(text.contains(u"HTML"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Just a moment..."_s), qPrintable(text));
    QCOMPARE(server.count(), 1); // a Parse error is not transient
}

void TestRestClientErrors::truncatedJsonIsParse() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s,
              rawReply(200, "application/json", R"({"error":[],"result":{"unixtime":17)"));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Parse);
    QVERIFY2(done.result.error().toString().contains(u"JSON"_s),
             qPrintable(done.result.error().toString()));
    QCOMPARE(server.count(), 1);
}

void TestRestClientErrors::truncatedTransferIsNetworkAndRetried() {
    // Content-Length promises 200 bytes; 37 arrive and the server closes. The answer was cut
    // in transit, so this is a network failure (retried for a read), with the JSON problem
    // kept as detail.
    RawHttpServer server(RawHttpServer::Mode::Truncated);
    QVERIFY(server.isListening());
    server.setTruncatedBody(R"({"error":[],"result":{"unixtime":1700)", 200);
    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 1;
    RestClient client(config);
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Network);
    QVERIFY2(e.toString().contains(u"broke"_s), qPrintable(e.toString()));
    QVERIFY2(e.detail().contains(u"JSON"_s), qPrintable(e.toString()));
    QCOMPARE(server.requests(), 2);
    QCOMPARE(done.attempts, 2);
}

void TestRestClientErrors::emptyBodyIsParse() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, rawReply(200, "application/json", QByteArray()));
    RestClient client(testConfig(server.baseUrl()));
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Parse);
    QVERIFY2(done.result.error().toString().contains(u"empty"_s),
             qPrintable(done.result.error().toString()));
    QCOMPARE(server.count(), 1);
}

void TestRestClientErrors::nonEnvelopeJsonIsParse() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/Balance"_s, rawReply(200, "application/json", R"({"ZUSD":"1.0"})"));
    RestClient client(testConfig(server.baseUrl()));
    client.setCredentials(credentials());
    KT_AWAIT(done, client.balance());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Parse);
    QVERIFY2(done.result.error().toString().contains(u"envelope"_s),
             qPrintable(done.result.error().toString()));
    QCOMPARE(server.count(), 1);
}

void TestRestClientErrors::hangTimesOut() {
    // Reading an aborted reply once made Qt warn on every timeout.
    QTest::failOnWarning(QRegularExpression(u"device not open"_s));
    RawHttpServer server(RawHttpServer::Mode::Hang);
    QVERIFY(server.isListening());
    RestClientConfig config = testConfig(server.baseUrl());
    config.timeoutMs = 1000;
    config.maxRetries = 1;
    RestClient client(config);
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Timeout);
    QVERIFY2(e.toString().contains(u"within 1 s"_s), qPrintable(e.toString()));
    QCOMPARE(server.requests(), 2); // a read is retried after a timeout
    QCOMPARE(done.attempts, 2);
}

void TestRestClientErrors::connectionRefused() {
    const quint16 port = refusedPort();
    QVERIFY(port != 0);
    RestClientConfig config = testConfig(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    config.maxRetries = 2;
    RestClient client(config);
    client.setCredentials(credentials());
    KT_AWAIT(done, client.balance());
    QVERIFY(!done.result.ok());
    const Error &e = done.result.error();
    QCOMPARE(e.category(), Error::Category::Network);
    QCOMPARE(e.httpStatus(), 0);
    QVERIFY2(e.toString().contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(e.toString()));
    QCOMPARE(done.attempts, 3);
}

void TestRestClientErrors::closedWithoutAnswerOnAPublicCall() {
    RawHttpServer server(RawHttpServer::Mode::CloseAfterRequest);
    QVERIFY(server.isListening());
    RestClientConfig config = testConfig(server.baseUrl());
    config.maxRetries = 0;
    RestClient client(config);
    KT_AWAIT(done, client.serverTime());
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Network);
    QVERIFY(server.requests() >= 1);
}

void TestRestClientErrors::abortInFlight() {
    RawHttpServer server(RawHttpServer::Mode::Hang);
    QVERIFY(server.isListening());
    RestClient client(testConfig(server.baseUrl())); // 10 s timeout: the abort comes first
    const Call<ServerTime> call = client.serverTime();
    std::optional<Error> error;
    call.then(this, [&error](const Result<ServerTime> &r) { error = r.error(); });
    QTRY_COMPARE_WITH_TIMEOUT(server.requests(), 1, 10'000);
    call.reply()->abort();
    QTRY_VERIFY_WITH_TIMEOUT(error.has_value(), 10'000);
    QCOMPARE(error->category(), Error::Category::Network);
    QVERIFY2(error->toString().contains(u"cancelled"_s), qPrintable(error->toString()));
    QCOMPARE(server.requests(), 1); // a cancelled call is not retried
}

void TestRestClientErrors::abortBeforeSending() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/public/Time"_s, krakenResultText(R"({"unixtime":1,"rfc1123":"x"})"));
    RestClient client(testConfig(server.baseUrl()));
    const Call<ServerTime> call = client.serverTime();
    call.reply()->abort(); // still queued: nothing has gone out
    KT_AWAIT(done, call);
    QVERIFY(!done.result.ok());
    QCOMPARE(done.result.error().category(), Error::Category::Network);
    QVERIFY2(done.result.error().toString().contains(u"cancelled"_s),
             qPrintable(done.result.error().toString()));
    QCOMPARE(server.count(), 0);
}

QTEST_GUILESS_MAIN(TestRestClientErrors)
#include "tst_restclient_errors.moc"
