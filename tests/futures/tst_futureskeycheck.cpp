// The Futures key check's verdicts: Kraken Futures' own error codes (pure), and what the paper
// exchange's Futures REST answers for real over loopback: good keys, an unknown key, a wrong
// secret, a nonce burned by another program, a rate limit, a service error, an unreachable
// server.

#include "kraken/futures/futureskeycheck.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/paperexchange.h"
#include "tests/sim/rawhttp.h"

#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::futures;
using Kind = KeyCheckVerdict::Kind;

Q_DECLARE_METATYPE(kraken::KeyCheckVerdict::Kind)

namespace {

FuturesRestConfig testConfig(const QUrl &url) {
    FuturesRestConfig c;
    c.baseUrl = url;
    c.timeoutMs = 10'000;
    c.maxRetries = 0;
    c.retryDelayMs = 10;
    c.persistNonce = false;
    return c;
}

} // namespace

class TestFuturesKeyCheck : public QObject {
    Q_OBJECT

private:
    KeyCheckVerdict check(FuturesRestClient &client) {
        std::optional<KeyCheckVerdict> v;
        runFuturesKeyCheck(&client, this, [&](const KeyCheckVerdict &verdict) { v = verdict; });
        if (!QTest::qWaitFor([&] { return v.has_value(); }, 60'000))
            return {};
        return *v;
    }

    Credentials paperKeys() const {
        const sim::SimAccount &a = m_ex->config().accounts.front();
        return Credentials(a.futuresApiKey, a.futuresSecret.toLatin1());
    }

    std::unique_ptr<sim::PaperExchange> m_ex;

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }
    void cleanup() { m_ex.reset(); }

    void explainsFuturesCodes_data() {
        QTest::addColumn<QString>("code");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("headline");
        QTest::addColumn<QString>("advice");
        QTest::newRow("auth") << u"authenticationError"_s << Kind::BadKeyOrSecret
                              << u"rejected the key or its secret"_s << u"demo-futures keys"_s;
        QTest::newRow("nonce low")
            << u"nonceBelowThreshold"_s << Kind::Nonce << u"nonce"_s << u"its own API key"_s;
        QTest::newRow("nonce dup")
            << u"nonceDuplicate"_s << Kind::Nonce << u"nonce"_s << u"larger"_s;
        QTest::newRow("inactive") << u"accountInactive"_s << Kind::AccountInactive
                                  << u"account is inactive"_s << u"account's status"_s;
        QTest::newRow("rate limit")
            << u"apiLimitExceeded"_s << Kind::RateLimited << u"rate limit"_s << u"Wait a minute"_s;
        QTest::newRow("unavailable")
            << u"Unavailable"_s << Kind::ServiceDown << u"not tested"_s << u"maintenance"_s;
        QTest::newRow("other") << u"requiredArgumentMissing"_s << Kind::Other << u"refused"_s
                               << u"requiredArgumentMissing"_s;
    }
    void explainsFuturesCodes() {
        QFETCH(QString, code);
        QFETCH(Kind, kind);
        QFETCH(QString, headline);
        QFETCH(QString, advice);
        const KeyCheckVerdict v =
            explainFuturesKeyCheck(Result<FuturesAccounts>(Error::fromKrakenFutures(code, 200)));
        QCOMPARE(v.kind, kind);
        QVERIFY(!v.ok);
        QVERIFY2(v.headline.contains(headline, Qt::CaseInsensitive), qPrintable(v.headline));
        QVERIFY2(v.toString().contains(advice), qPrintable(v.toString()));
        QVERIFY2(v.detail.contains(code), qPrintable(v.detail)); // the raw code, for support
    }

    void explainsSuccess() {
        FuturesAccounts accounts;
        FuturesAccount flex;
        flex.name = u"flex"_s;
        FuturesAccount cash;
        cash.name = u"cash"_s;
        accounts.accounts = {cash, flex};
        const KeyCheckVerdict v = explainFuturesKeyCheck(Result<FuturesAccounts>(accounts));
        QVERIFY(v.ok);
        QCOMPARE(v.headline, u"The Futures keys work: Kraken reports 2 account(s): cash, flex."_s);
        QVERIFY(explainFuturesKeyCheck(Result<FuturesAccounts>(FuturesAccounts{}))
                    .headline.contains(u"no margin account"_s));
    }

    void paperKeysWork() {
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(paperKeys());
        const KeyCheckVerdict v = check(client);
        QVERIFY2(v.ok, qPrintable(v.toString()));
        QVERIFY2(v.headline.contains(u"flex"_s), qPrintable(v.headline));
    }

    void paperWrongKey() {
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(Credentials(u"not-a-futures-key"_s, paperKeys().secretBase64()));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::BadKeyOrSecret);
        QVERIFY(v.detail.contains(u"authenticationError"_s));
    }

    // A Spot key is not a Futures key: the paper exchange knows it only for Spot.
    void paperSpotKeyIsNotAFuturesKey() {
        const sim::SimAccount &a = m_ex->config().accounts.front();
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
        QCOMPARE(check(client).kind, Kind::BadKeyOrSecret);
    }

    void paperWrongSecret() {
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        const QByteArray wrong = QByteArray(64, 'x').toBase64();
        client.setCredentials(Credentials(paperKeys().apiKey(), wrong));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::BadKeyOrSecret);
        QVERIFY(!v.toString().contains(QString::fromLatin1(wrong)));
        QVERIFY(!v.toString().contains(QString::fromLatin1(paperKeys().secretBase64())));
    }

    // Another program used the key with a far larger nonce: ours are all too small, even the
    // client's one retry with a fresh nonce.
    void paperBurnedNonce() {
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(paperKeys());
        const auto prepared =
            client.prepare("GET", u"accounts"_s, {}, true, quint64(9'000'000'000'000'000'000ULL));
        QVERIFY(prepared.ok());
        QList<QPair<QByteArray, QByteArray>> headers;
        for (const auto &[k, v] : prepared->headers)
            headers.append({k, v});
        const auto raw =
            testsupport::RawHttp(m_ex->futuresRestUrl())
                .send("GET", prepared->url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority),
                      prepared->body, headers);
        QVERIFY2(raw.body.contains("\"result\":\"success\""), raw.body.constData());

        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::Nonce);
        QVERIFY2(v.detail.contains(u"nonceBelowThreshold"_s), qPrintable(v.detail));
    }

    void paperRateLimited() {
        QString error;
        QVERIFY(m_ex->faults().apply(u"rest_rate_limit_errors=1"_s, &error));
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(paperKeys());
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::RateLimited);
        QVERIFY2(v.detail.contains(u"apiLimitExceeded"_s), qPrintable(v.detail));
    }

    void paperServiceUnavailable() {
        QString error;
        QVERIFY(m_ex->faults().apply(u"html_502=1"_s, &error));
        FuturesRestClient client(testConfig(m_ex->futuresRestUrl()));
        client.setCredentials(paperKeys());
        QCOMPARE(check(client).kind, Kind::ServiceDown);
    }

    void unreachable() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        FuturesRestClient client(
            testConfig(QUrl(u"http://127.0.0.1:%1/derivatives/api/v3"_s.arg(port))));
        client.setCredentials(paperKeys());
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::Network);
        QVERIFY(v.headline.contains(u"not tested"_s));
    }
};

QTEST_GUILESS_MAIN(TestFuturesKeyCheck)
#include "tst_futureskeycheck.moc"
