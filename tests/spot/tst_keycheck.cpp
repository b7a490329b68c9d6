// The key check's verdicts: every explanation from Kraken's own error strings (pure), and the
// ones the paper exchange can produce for real over loopback (wrong key, wrong secret, a
// replayed nonce, rate limit, service error), plus an unreachable server.

#include "kraken/sim/faults.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/keycheck.h"
#include "kraken/spot/restclient.h"
#include "tests/sim/rawhttp.h"

#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using Kind = KeyCheckVerdict::Kind;

Q_DECLARE_METATYPE(kraken::spot::KeyCheckVerdict::Kind)

namespace {

Decimal dec(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

RestClientConfig testConfig(const QUrl &url) {
    RestClientConfig c;
    c.baseUrl = url;
    c.timeoutMs = 10'000;
    c.maxRetries = 0;
    c.retryDelayMs = 10;
    c.limitPublicCalls = false;
    c.persistNonce = false;
    return c;
}

} // namespace

class TestKeyCheck : public QObject {
    Q_OBJECT

private:
    KeyCheckVerdict check(RestClient &client) {
        std::optional<KeyCheckVerdict> v;
        runKeyCheck(&client, this, [&](const KeyCheckVerdict &verdict) { v = verdict; });
        if (!QTest::qWaitFor([&] { return v.has_value(); }, 60'000))
            return {};
        return *v;
    }

    std::unique_ptr<sim::PaperExchange> m_ex;

    const sim::SimAccount &paper() const { return m_ex->config().accounts.front(); }

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }
    void cleanup() { m_ex.reset(); }

    void explainsKrakenStrings_data() {
        QTest::addColumn<QString>("error");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("headline");
        QTest::addColumn<QString>("advice");
        QTest::newRow("bad key") << u"EAPI:Invalid key"_s << Kind::BadKey
                                 << u"does not recognise this API key"_s << u"Copy the API key"_s;
        QTest::newRow("bad secret") << u"EAPI:Invalid signature"_s << Kind::BadSecret
                                    << u"secret does not match"_s << u"secret is wrong"_s;
        QTest::newRow("permission") << u"EGeneral:Permission denied"_s << Kind::MissingPermission
                                    << u"lack a permission"_s << u"Query Funds"_s;
        QTest::newRow("nonce") << u"EAPI:Invalid nonce"_s << Kind::Nonce << u"nonce"_s
                               << u"Another program"_s;
        QTest::newRow("nonce window")
            << u"EAPI:Invalid nonce"_s << Kind::Nonce << u"nonce"_s << u"nonce window"_s;
        QTest::newRow("rate limit") << u"EAPI:Rate limit exceeded"_s << Kind::RateLimited
                                    << u"rate limit"_s << u"Wait a minute"_s;
        QTest::newRow("throttled") << u"EService:Throttled"_s << Kind::RateLimited
                                   << u"rate limit"_s << u"counter to decay"_s;
        QTest::newRow("lockout") << u"EGeneral:Temporary lockout"_s << Kind::Lockout
                                 << u"temporarily locked"_s << u"Wait a few minutes"_s;
        QTest::newRow("unavailable") << u"EService:Unavailable"_s << Kind::ServiceDown
                                     << u"not tested"_s << u"maintenance"_s;
        QTest::newRow("busy") << u"EService:Busy"_s << Kind::ServiceDown << u"not tested"_s
                              << u"Try again"_s;
        QTest::newRow("other") << u"EGeneral:Internal error"_s << Kind::Other << u"refused"_s
                               << u"EGeneral:Internal error"_s;
    }
    void explainsKrakenStrings() {
        QFETCH(QString, error);
        QFETCH(Kind, kind);
        QFETCH(QString, headline);
        QFETCH(QString, advice);
        const KeyCheckVerdict v = explainKeyCheck(Result<Balances>(Error::fromKraken({error})));
        QCOMPARE(v.kind, kind);
        QVERIFY(!v.ok);
        QVERIFY2(v.headline.contains(headline, Qt::CaseInsensitive), qPrintable(v.headline));
        QVERIFY2(v.toString().contains(advice), qPrintable(v.toString()));
        QVERIFY2(v.detail.contains(error), qPrintable(v.detail)); // the raw string, for support
    }

    void explainsTransportAndLocalFailures() {
        const auto network = explainKeyCheck(
            Result<Balances>(Error(Error::Category::Network, u"Connection refused"_s)));
        QCOMPARE(network.kind, Kind::Network);
        QVERIFY(network.headline.contains(u"could not be reached"_s));
        QCOMPARE(explainKeyCheck(Result<Balances>(Error(Error::Category::Timeout, u"slow"_s))).kind,
                 Kind::Network);
        QCOMPARE(explainKeyCheck(
                     Result<Balances>(Error(Error::Category::Http, u"502"_s).setHttpStatus(502)))
                     .kind,
                 Kind::ServiceDown);
        QCOMPARE(explainKeyCheck(Result<Balances>(Error(Error::Category::Parse, u"HTML"_s))).kind,
                 Kind::ServiceDown);
        const auto noKeys = explainKeyCheck(
            Result<Balances>(Error(Error::Category::Auth, u"no API key: set KRAKEN_…"_s)));
        QCOMPARE(noKeys.kind, Kind::NoKeys);
        QVERIFY(noKeys.advice.contains(u"no API key"_s));
    }

    void explainsSuccess() {
        const Balances b{{u"ZUSD"_s, dec("10.5")}, {u"XXBT"_s, dec("0")}, {u"XETH"_s, dec("1")}};
        const KeyCheckVerdict v = explainKeyCheck(Result<Balances>(b));
        QVERIFY(v.ok);
        QCOMPARE(v.kind, Kind::Ok);
        QVERIFY2(v.headline.contains(u"3 asset(s), 2 of them non-zero"_s), qPrintable(v.headline));
        QVERIFY(v.advice.isEmpty());
        QVERIFY(explainKeyCheck(Result<Balances>(Balances{})).headline.contains(u"no assets"_s));
    }

    // Against the paper exchange: Kraken's wire protocol with real signature and nonce checks.
    void paperKeysWork() {
        RestClient client(testConfig(m_ex->restUrl()));
        client.setCredentials(Credentials(paper().apiKey, paper().secret.toLatin1()));
        const KeyCheckVerdict v = check(client);
        QVERIFY2(v.ok, qPrintable(v.toString()));
        QVERIFY2(v.headline.contains(u"7 asset(s)"_s), qPrintable(v.headline));
    }

    void paperWrongKey() {
        RestClient client(testConfig(m_ex->restUrl()));
        client.setCredentials(Credentials(u"not-a-paper-key"_s, paper().secret.toLatin1()));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::BadKey);
        QVERIFY(v.detail.contains(u"EAPI:Invalid key"_s));
    }

    void paperWrongSecret() {
        RestClient client(testConfig(m_ex->restUrl()));
        const QByteArray wrong = QByteArray(64, 'x').toBase64();
        client.setCredentials(Credentials(paper().apiKey, wrong));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::BadSecret);
        QVERIFY(v.detail.contains(u"EAPI:Invalid signature"_s));
        QVERIFY(!v.toString().contains(QString::fromLatin1(wrong)));
    }

    // Another program used the key with a far larger nonce: ours are all "too small", even the
    // client's one retry with a fresh nonce.
    void paperReplayedNonce() {
        RestClient client(testConfig(m_ex->restUrl()));
        client.setCredentials(Credentials(paper().apiKey, paper().secret.toLatin1()));
        const auto prepared =
            client.prepare("POST", u"private/Balance"_s, {}, quint64(9'000'000'000'000'000'000ULL));
        QVERIFY(prepared.ok());
        QList<QPair<QByteArray, QByteArray>> headers;
        for (const auto &[k, v] : prepared->headers)
            headers.append({k, v});
        const auto raw =
            testsupport::RawHttp(m_ex->restUrl())
                .send("POST", prepared->url.path().toLatin1(), prepared->body, headers);
        QVERIFY2(raw.body.contains("\"error\":[]"), raw.body.constData());

        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::Nonce);
        QVERIFY(v.detail.contains(u"EAPI:Invalid nonce"_s));
        QVERIFY(v.advice.contains(u"same key"_s));
    }

    void paperRateLimited() {
        QString error;
        QVERIFY(m_ex->faults().apply(u"rest_rate_limit_errors=1"_s, &error));
        RestClient client(testConfig(m_ex->restUrl()));
        client.setCredentials(Credentials(paper().apiKey, paper().secret.toLatin1()));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::RateLimited);
        QVERIFY(v.detail.contains(u"EAPI:Rate limit exceeded"_s));
    }

    void paperServiceUnavailable() {
        QString error;
        QVERIFY(m_ex->faults().apply(u"rest_service_errors=1"_s, &error));
        RestClient client(testConfig(m_ex->restUrl()));
        client.setCredentials(Credentials(paper().apiKey, paper().secret.toLatin1()));
        QCOMPARE(check(client).kind, Kind::ServiceDown);
    }

    void unreachable() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        RestClient client(testConfig(QUrl(u"http://127.0.0.1:%1"_s.arg(port))));
        client.setCredentials(Credentials(paper().apiKey, paper().secret.toLatin1()));
        const KeyCheckVerdict v = check(client);
        QCOMPARE(v.kind, Kind::Network);
        QVERIFY(v.headline.contains(u"not tested"_s));
    }
};

QTEST_GUILESS_MAIN(TestKeyCheck)
#include "tst_keycheck.moc"
