// Credentials: the API secret must never reach a log line, a QDebug stream or an error text.

#include "kraken/core/credentials.h"

#include <QDebug>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Credentials;

namespace {

// A made-up key pair shaped like Kraken's (base64 text); not a real account.
const QString ApiKey = u"Qm8xY2ZkN2E0YjE5ZTYzMGM4ZjJhNTdkOWIxZTRjMDZhM2Y4YjJkNzAx"_s;
const QByteArray Secret = "Zk3h9Qw2Lm7Xp0Rt5Yv8Bn4Cd6Fg1Hj3Kl9Mz2Nq5Ps8Tu0Vw7Xy4Za1Bc6De9Fg2Hi5Jk8L"
                          "m0No3Pq6Rs9Tu2Vw5Xy8Za==";

QString debugText(const Credentials &c) {
    QString out;
    QDebug(&out) << c;
    return out;
}

} // namespace

class TestCredentials : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void debugOutputHidesSecret();
    void redactedKeyHidesSecret();
    void redactRemovesSecret();
    void redactWithoutSecretIsNoOp();
    void validity();
    void fromEnvironment();
};

void TestCredentials::debugOutputHidesSecret() {
    const Credentials c(ApiKey, Secret);
    const QString text = debugText(c);
    QVERIFY(!text.isEmpty());
    QVERIFY2(!text.contains(QString::fromLatin1(Secret)), qPrintable(text));
    // Not even a fragment long enough to narrow a brute-force search.
    QVERIFY2(!text.contains(QString::fromLatin1(Secret.left(8))), qPrintable(text));
    QVERIFY2(!text.contains(QString::fromLatin1(Secret.mid(40, 8))), qPrintable(text));
    // The key itself is only hinted at.
    QVERIFY2(!text.contains(ApiKey), qPrintable(text));
}

void TestCredentials::redactedKeyHidesSecret() {
    const Credentials c(ApiKey, Secret);
    const QString r = c.redactedKey();
    QVERIFY(!r.isEmpty());
    QVERIFY(!r.contains(QString::fromLatin1(Secret.left(8))));
    QVERIFY(!r.contains(ApiKey));
    // Enough of the key to tell two keys apart in a log.
    QVERIFY(r.startsWith(ApiKey.left(4)));
    QVERIFY(!Credentials().redactedKey().isEmpty());
}

void TestCredentials::redactRemovesSecret() {
    const Credentials c(ApiKey, Secret);
    const QString secret = QString::fromLatin1(Secret);
    const QString text = u"request failed; secret="_s + secret + u" (again: "_s + secret + u")"_s;
    const QString out = kraken::redact(text, c);
    QVERIFY2(!out.contains(secret), qPrintable(out));
    QVERIFY2(!out.contains(QString::fromLatin1(Secret.left(8))), qPrintable(out));
    QVERIFY2(!out.contains(QString::fromLatin1(Secret.mid(40, 8))), qPrintable(out));
    QVERIFY2(!out.contains(QString::fromLatin1(Secret.right(8))), qPrintable(out));
    // The rest of the message is kept.
    QVERIFY(out.startsWith(u"request failed; secret="_s));
    QVERIFY(out.contains(u"(again: "_s));
}

void TestCredentials::redactWithoutSecretIsNoOp() {
    const QString text = u"nothing secret here"_s;
    QCOMPARE(kraken::redact(text, Credentials()), text);
}

void TestCredentials::validity() {
    QVERIFY(Credentials(ApiKey, Secret).isValid());
    QVERIFY(!Credentials().isValid());
    QVERIFY(!Credentials(ApiKey, QByteArray()).isValid());
    QVERIFY(!Credentials(QString(), Secret).isValid());
}

void TestCredentials::fromEnvironment() {
    // Variable names of our own, so the developer's real keys are never read or disturbed.
    const char *keyVar = "KT_TST_CREDENTIALS_KEY";
    const char *secretVar = "KT_TST_CREDENTIALS_SECRET";
    qputenv(keyVar, ApiKey.toLatin1() + "\n");
    qputenv(secretVar, "  " + Secret + "\n");
    const auto c = Credentials::fromEnvironment(keyVar, secretVar);
    QVERIFY(c.has_value());
    QCOMPARE(c->apiKey(), ApiKey);       // trimmed
    QCOMPARE(c->secretBase64(), Secret); // trimmed

    qputenv(secretVar, "");
    QVERIFY(!Credentials::fromEnvironment(keyVar, secretVar).has_value());
    qunsetenv(secretVar);
    QVERIFY(!Credentials::fromEnvironment(keyVar, secretVar).has_value());
    qunsetenv(keyVar);
}

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
