// interpretResponse(): the one mapping from an HTTP outcome (transport error, status, content
// type, body) to Kraken's `result` or an Error. Pure function tests, no network: every
// HttpOutcome here is what QNetworkReply hands the client in that situation.

#include "kraken/spot/responseenvelope.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Error;
using kraken::spot::HttpOutcome;
using kraken::spot::interpretResponse;
using kraken::spot::neverReachedServer;

namespace {

HttpOutcome answer(int status, const QByteArray &body,
                   const QByteArray &contentType = "application/json") {
    HttpOutcome o;
    o.httpStatus = status;
    o.contentType = contentType;
    o.body = body;
    // What QNetworkReply reports beside an HTTP error status.
    if (status >= 500)
        o.networkError = QNetworkReply::InternalServerError;
    else if (status >= 400)
        o.networkError = QNetworkReply::UnknownContentError;
    return o;
}

const QByteArray cloudflarePage =
    "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>api.kraken.com | 503: Service "
    "temporarily unavailable</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body><div "
    "class=\"cf-error-details\"><h1>Service temporarily unavailable</h1><p>Cloudflare Ray ID: "
    "7f1d3c2b9a8e0d11</p></div></body>\n</html>\n";

} // namespace

class TestRestEnvelope : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void successGivesResult();
    void warningsBesideResultAreNotErrors();
    void warningsAreKeptOutOfKrakenErrors();
    void krakenErrorStrings_data();
    void krakenErrorStrings();
    void krakenErrorBodyWinsOverHttpStatus();
    void httpServerErrorsWithoutKrakenBody_data();
    void httpServerErrorsWithoutKrakenBody();
    void http429IsRateLimited();
    void cloudflareHtmlOn503();
    void htmlBodyWithStatus200IsParse();
    void htmlDetectedWithoutContentType();
    void truncatedJsonIsParse();
    void emptyBodyIsParse();
    void nonEnvelopeJsonIsParse_data();
    void nonEnvelopeJsonIsParse();
    void envelopeWithoutResultIsParse();
    void timeoutIsTimeout();
    void abortIsNetwork();
    void connectionRefusedIsNetwork();
    void connectionBrokenMidAnswerIsNetwork();
    void refusedResendIsNetworkAndSaysSo();
    void neverReachedServerOnlyForDefiniteFailures_data();
    void neverReachedServerOnlyForDefiniteFailures();
};

void TestRestEnvelope::successGivesResult() {
    const auto env = interpretResponse(
        answer(200, R"({"error":[],"result":{"unixtime":1700000000,"rfc1123":"Tue, 14 Nov 23"}})"));
    QVERIFY2(!env.error, qPrintable(env.error.toString()));
    QCOMPARE(env.error.category(), Error::Category::None);
    QCOMPARE(env.result.toObject().value(u"unixtime"_s).toInteger(), 1700000000);
    QCOMPARE(env.result.toObject().value(u"rfc1123"_s).toString(), u"Tue, 14 Nov 23"_s);
    QVERIFY(env.warnings.isEmpty());
}

void TestRestEnvelope::warningsBesideResultAreNotErrors() {
    const auto env = interpretResponse(
        answer(200, R"({"error":["WGeneral:Danger:Deprecated endpoint"],"result":{"count":1}})"));
    QVERIFY2(!env.error, qPrintable(env.error.toString()));
    QCOMPARE(env.warnings, QStringList{u"WGeneral:Danger:Deprecated endpoint"_s});
    QCOMPARE(env.result.toObject().value(u"count"_s).toInt(), 1);
}

void TestRestEnvelope::warningsAreKeptOutOfKrakenErrors() {
    const auto env = interpretResponse(
        answer(200, R"({"error":["WGeneral:Something","EOrder:Insufficient funds"]})"));
    QCOMPARE(env.error.category(), Error::Category::Kraken);
    QCOMPARE(env.error.krakenErrors(), QStringList{u"EOrder:Insufficient funds"_s});
}

void TestRestEnvelope::krakenErrorStrings_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<Error::Category>("category");
    QTest::addColumn<QString>("phrase"); // something a trader can act on, in toString()

    QTest::newRow("invalid arguments")
        << u"EGeneral:Invalid arguments"_s << Error::Category::Kraken << u"arguments"_s;
    QTest::newRow("invalid arguments with field")
        << u"EGeneral:Invalid arguments:volume"_s << Error::Category::Kraken << u"volume"_s;
    QTest::newRow("invalid key") << u"EAPI:Invalid key"_s << Error::Category::Auth << u"API key"_s;
    QTest::newRow("invalid signature")
        << u"EAPI:Invalid signature"_s << Error::Category::Auth << u"secret"_s;
    QTest::newRow("invalid nonce")
        << u"EAPI:Invalid nonce"_s << Error::Category::Auth << u"nonce"_s;
    QTest::newRow("permission denied")
        << u"EGeneral:Permission denied"_s << Error::Category::Auth << u"permission"_s;
    QTest::newRow("insufficient funds")
        << u"EOrder:Insufficient funds"_s << Error::Category::Kraken << u"Insufficient funds"_s;
    QTest::newRow("api rate limit")
        << u"EAPI:Rate limit exceeded"_s << Error::Category::RateLimited << u"counter"_s;
    QTest::newRow("order rate limit")
        << u"EOrder:Rate limit exceeded"_s << Error::Category::RateLimited << u"pair"_s;
    QTest::newRow("throttled") << u"EService:Throttled: 1700000000"_s
                               << Error::Category::RateLimited << u"retry later"_s;
    QTest::newRow("unknown pair") << u"EQuery:Unknown asset pair"_s << Error::Category::Kraken
                                  << u"pair"_s;
}

void TestRestEnvelope::krakenErrorStrings() {
    QFETCH(QString, error);
    QFETCH(Error::Category, category);
    QFETCH(QString, phrase);
    const QByteArray body = R"({"error":[")" + error.toUtf8() + R"("]})";
    const auto env = interpretResponse(answer(200, body));
    QCOMPARE(env.error.category(), category);
    QCOMPARE(env.error.krakenErrors(), QStringList{error});
    QCOMPARE(env.error.httpStatus(), 200);
    QVERIFY2(env.error.toString().contains(phrase, Qt::CaseInsensitive),
             qPrintable(env.error.toString()));
    // The raw string is kept for the log even when the message is advice.
    QVERIFY2(env.error.toString().contains(error), qPrintable(env.error.toString()));
    QVERIFY(!env.result.isObject());
}

void TestRestEnvelope::krakenErrorBodyWinsOverHttpStatus() {
    const auto env = interpretResponse(answer(503, R"({"error":["EService:Unavailable"]})"));
    QCOMPARE(env.error.category(), Error::Category::Kraken);
    QCOMPARE(env.error.krakenErrors(), QStringList{u"EService:Unavailable"_s});
    QCOMPARE(env.error.httpStatus(), 503);
    QVERIFY(env.error.isTransient()); // worth retrying for idempotent calls
}

void TestRestEnvelope::httpServerErrorsWithoutKrakenBody_data() {
    QTest::addColumn<int>("status");
    QTest::newRow("500") << 500;
    QTest::newRow("502") << 502;
    QTest::newRow("503") << 503;
    QTest::newRow("504") << 504;
}

void TestRestEnvelope::httpServerErrorsWithoutKrakenBody() {
    QFETCH(int, status);
    const auto env = interpretResponse(answer(status, "upstream connect error", "text/plain"));
    QCOMPARE(env.error.category(), Error::Category::Http);
    QCOMPARE(env.error.httpStatus(), status);
    QVERIFY(env.error.isTransient());
    QVERIFY(env.error.krakenErrors().isEmpty());
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"HTTP %1"_s.arg(status)), qPrintable(text));
    QVERIFY2(text.contains(u"upstream connect error"_s), qPrintable(text)); // body snippet
}

void TestRestEnvelope::http429IsRateLimited() {
    const auto env = interpretResponse(answer(429, "slow down", "text/plain"));
    QCOMPARE(env.error.category(), Error::Category::RateLimited);
    QCOMPARE(env.error.httpStatus(), 429);
}

void TestRestEnvelope::cloudflareHtmlOn503() {
    const auto env = interpretResponse(answer(503, cloudflarePage, "text/html; charset=UTF-8"));
    QCOMPARE(env.error.category(), Error::Category::Http);
    QCOMPARE(env.error.httpStatus(), 503);
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"HTML"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Cloudflare"_s), qPrintable(text));
    QVERIFY2(text.contains(u"api.kraken.com | 503: Service temporarily unavailable"_s),
             qPrintable(text));
    // The page's markup is summarised by its title, not dumped.
    QVERIFY2(!text.contains(u"<div"_s), qPrintable(text));
}

void TestRestEnvelope::htmlBodyWithStatus200IsParse() {
    const auto env = interpretResponse(answer(200, cloudflarePage, "text/html"));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    QCOMPARE(env.error.httpStatus(), 200);
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"HTML"_s), qPrintable(text));
    QVERIFY2(text.contains(u"api.kraken.com | 503: Service temporarily unavailable"_s),
             qPrintable(text));
    QVERIFY(!env.error.isTransient());
}

void TestRestEnvelope::htmlDetectedWithoutContentType() {
    // A proxy that labels its page application/json (or nothing) is still recognised.
    const auto env = interpretResponse(
        answer(200, "<html><head><title>Access denied</title></head></html>", QByteArray()));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    QVERIFY2(env.error.toString().contains(u"Access denied"_s), qPrintable(env.error.toString()));
}

void TestRestEnvelope::truncatedJsonIsParse() {
    const auto env = interpretResponse(answer(200, R"({"error":[],"result":{"XXBT":"1.0)"));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"JSON"_s), qPrintable(text));
    QVERIFY2(text.contains(u"truncated"_s), qPrintable(text));
    QVERIFY(!env.error.isTransient());
}

void TestRestEnvelope::emptyBodyIsParse() {
    const auto env = interpretResponse(answer(200, QByteArray()));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    QVERIFY2(env.error.toString().contains(u"empty"_s), qPrintable(env.error.toString()));

    const auto blank = interpretResponse(answer(200, " \r\n"));
    QCOMPARE(blank.error.category(), Error::Category::Parse);
    QVERIFY2(blank.error.toString().contains(u"empty"_s), qPrintable(blank.error.toString()));
}

void TestRestEnvelope::nonEnvelopeJsonIsParse_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("array") << QByteArray(R"([1,2,3])");
    QTest::newRow("object without error") << QByteArray(R"({"status":"ok"})");
    QTest::newRow("error not an array") << QByteArray(R"({"error":"EGeneral:Internal error"})");
}

void TestRestEnvelope::nonEnvelopeJsonIsParse() {
    QFETCH(QByteArray, body);
    const auto env = interpretResponse(answer(200, body));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    QVERIFY2(env.error.toString().contains(u"envelope"_s), qPrintable(env.error.toString()));
}

void TestRestEnvelope::envelopeWithoutResultIsParse() {
    const auto env = interpretResponse(answer(200, R"({"error":[]})"));
    QCOMPARE(env.error.category(), Error::Category::Parse);
    QVERIFY2(env.error.toString().contains(u"neither an error nor a result"_s),
             qPrintable(env.error.toString()));
}

void TestRestEnvelope::timeoutIsTimeout() {
    HttpOutcome o;
    o.timedOut = true;
    o.timeoutMs = 2500;
    o.networkError = QNetworkReply::OperationCanceledError;
    const auto env = interpretResponse(o);
    QCOMPARE(env.error.category(), Error::Category::Timeout);
    QVERIFY2(env.error.toString().contains(u"2.5 s"_s), qPrintable(env.error.toString()));
    QVERIFY(env.error.isTransient());
}

void TestRestEnvelope::abortIsNetwork() {
    HttpOutcome o;
    o.aborted = true;
    o.networkError = QNetworkReply::OperationCanceledError;
    const auto env = interpretResponse(o);
    QCOMPARE(env.error.category(), Error::Category::Network);
    QVERIFY2(env.error.toString().contains(u"cancelled"_s), qPrintable(env.error.toString()));
}

void TestRestEnvelope::connectionRefusedIsNetwork() {
    HttpOutcome o;
    o.networkError = QNetworkReply::ConnectionRefusedError;
    o.networkErrorText = u"Connection refused"_s;
    const auto env = interpretResponse(o);
    QCOMPARE(env.error.category(), Error::Category::Network);
    QCOMPARE(env.error.httpStatus(), 0);
    QVERIFY2(env.error.toString().contains(u"Connection refused"_s),
             qPrintable(env.error.toString()));
    QVERIFY(env.error.isTransient());
}

void TestRestEnvelope::connectionBrokenMidAnswerIsNetwork() {
    // Headers arrived (status 200), then the socket closed before Content-Length bytes came:
    // a transport failure worth retrying, not a malformed answer.
    HttpOutcome o = answer(200, R"({"error":[],"result":{"unixtime":1700)");
    o.networkError = QNetworkReply::RemoteHostClosedError;
    o.networkErrorText = u"Connection closed"_s;
    const auto env = interpretResponse(o);
    QCOMPARE(env.error.category(), Error::Category::Network);
    QCOMPARE(env.error.httpStatus(), 200);
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"broke"_s), qPrintable(text));
    QVERIFY2(text.contains(u"JSON"_s), qPrintable(text)); // the parse failure stays as detail
    QVERIFY(env.error.isTransient());
}

void TestRestEnvelope::refusedResendIsNetworkAndSaysSo() {
    HttpOutcome o;
    o.networkError = QNetworkReply::ContentReSendError;
    o.networkErrorText = u"Unknown error"_s;
    const auto env = interpretResponse(o);
    QCOMPARE(env.error.category(), Error::Category::Network);
    const QString text = env.error.toString();
    QVERIFY2(text.contains(u"not sent again"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"could not reach"_s), qPrintable(text));
    QVERIFY(!neverReachedServer(o.networkError));
}

void TestRestEnvelope::neverReachedServerOnlyForDefiniteFailures_data() {
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("never");
    QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << true;
    QTest::newRow("host not found") << int(QNetworkReply::HostNotFoundError) << true;
    QTest::newRow("tls handshake") << int(QNetworkReply::SslHandshakeFailedError) << true;
    QTest::newRow("remote closed") << int(QNetworkReply::RemoteHostClosedError) << false;
    QTest::newRow("cancelled (timeout)") << int(QNetworkReply::OperationCanceledError) << false;
    QTest::newRow("resend refused") << int(QNetworkReply::ContentReSendError) << false;
    QTest::newRow("5xx") << int(QNetworkReply::InternalServerError) << false;
    QTest::newRow("unknown") << int(QNetworkReply::UnknownNetworkError) << false;
}

void TestRestEnvelope::neverReachedServerOnlyForDefiniteFailures() {
    QFETCH(int, error);
    QFETCH(bool, never);
    QCOMPARE(neverReachedServer(error), never);
}

QTEST_GUILESS_MAIN(TestRestEnvelope)
#include "tst_restenvelope.moc"
