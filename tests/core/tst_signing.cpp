// Request signing against Kraken's documented examples. Inputs and expected signatures are
// read at run time from the vector files in shared/vectors (KT_VECTORS_DIR), never copied
// into this file, so the suite checks our code against the documentation, not against itself.

#include "kraken/core/signing.h"
#include "testsupport.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using testsupport::readJsonObject;
using testsupport::vectorPath;

namespace {

QByteArray bytes(const QJsonObject &o, const QString &key) {
    return o.value(key).toString().toUtf8();
}

// Concatenation as a plain QByteArray (QStringBuilder results do not convert to views).
QByteArray cat(QByteArrayView a, QByteArrayView b) {
    return a.toByteArray().append(b);
}

// The signature, or a marker that cannot equal any base64 signature.
QByteArray spotSign(QByteArrayView path, QByteArrayView nonce, QByteArrayView post,
                    QByteArrayView secret) {
    return kraken::spotApiSign(path, nonce, post, secret).value_or("<no signature>");
}

} // namespace

class TestSigning : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void spotRestApiSign();
    void spotRestApiSignCoversEveryInput();
    void futuresRestAuthentWithNonce();
    void futuresRestAuthentWithoutNonce();
    void futuresRestAuthentStripsDerivativesPrefix();
    void futuresWsChallenge();
    void decodeSecret();
    void invalidSecretGivesNoSignature();

private:
    QJsonObject m_spot;      // spot_rest_api_sign.json
    QJsonObject m_futures;   // futures_rest_authent.json
    QJsonObject m_challenge; // futures_ws_challenge.json
};

void TestSigning::initTestCase() {
    QString error;
    m_spot = readJsonObject(vectorPath("spot_rest_api_sign.json"), &error);
    QVERIFY2(!m_spot.isEmpty(), qPrintable(error));
    m_futures = readJsonObject(vectorPath("futures_rest_authent.json"), &error);
    QVERIFY2(!m_futures.isEmpty(), qPrintable(error));
    m_challenge = readJsonObject(vectorPath("futures_ws_challenge.json"), &error);
    QVERIFY2(!m_challenge.isEmpty(), qPrintable(error));
}

void TestSigning::spotRestApiSign() {
    const QJsonObject in = m_spot.value(u"inputs"_s).toObject();
    const QByteArray expected = bytes(m_spot.value(u"expected"_s).toObject(), u"api_sign"_s);
    QVERIFY(!expected.isEmpty());

    const auto sig = kraken::spotApiSign(bytes(in, u"uri_path"_s), bytes(in, u"nonce"_s),
                                         bytes(in, u"postdata"_s), bytes(in, u"secret_b64"_s));
    QVERIFY(sig.has_value());
    QCOMPARE(*sig, expected);
}

// A signer that ignored one of its inputs (or swapped two) could still pass a single vector
// only by accident; changing each input in turn must change the signature.
void TestSigning::spotRestApiSignCoversEveryInput() {
    const QJsonObject in = m_spot.value(u"inputs"_s).toObject();
    const QByteArray expected = bytes(m_spot.value(u"expected"_s).toObject(), u"api_sign"_s);
    const QByteArray path = bytes(in, u"uri_path"_s);
    const QByteArray nonce = bytes(in, u"nonce"_s);
    const QByteArray post = bytes(in, u"postdata"_s);
    const QByteArray secret = bytes(in, u"secret_b64"_s);

    QCOMPARE(spotSign(path, nonce, post, secret), expected);
    QCOMPARE_NE(spotSign("/0/private/AddOrderX", nonce, post, secret), expected);
    QCOMPARE_NE(spotSign(path, cat(nonce, "0"), post, secret), expected);
    QCOMPARE_NE(spotSign(path, nonce, cat(post, "&x=1"), secret), expected);
    // nonce and postdata are hashed as one concatenation: moving a byte across the boundary
    // must not matter (this is how Kraken defines it).
    QCOMPARE(spotSign(path, cat(nonce, post.left(1)), post.mid(1), secret), expected);
    // Another valid secret (the futures example) signs differently.
    const QByteArray otherSecret =
        bytes(m_challenge.value(u"inputs"_s).toObject(), u"api_secret_b64"_s);
    QCOMPARE_NE(spotSign(path, nonce, post, otherSecret), expected);
}

void TestSigning::futuresRestAuthentWithNonce() {
    const QJsonObject in = m_futures.value(u"inputs"_s).toObject();
    const QByteArray expected =
        bytes(m_futures.value(u"expected"_s).toObject(), u"authent_with_nonce"_s);
    QVERIFY(!expected.isEmpty());
    const QByteArray secret = bytes(in, u"api_secret_b64_as_documented"_s);
    // The documented secret lacks one '=' of padding; the signer must accept it as published.
    QCOMPARE(secret.size() % 4, 3);
    QVERIFY(!secret.endsWith('='));

    const auto sig = kraken::futuresAuthent(bytes(in, u"postData"_s), bytes(in, u"nonce"_s),
                                            bytes(in, u"endpointPath"_s), secret);
    QVERIFY(sig.has_value());
    QCOMPARE(*sig, expected);

    // Padding it ourselves gives the same key and so the same signature.
    const auto padded = kraken::futuresAuthent(bytes(in, u"postData"_s), bytes(in, u"nonce"_s),
                                               bytes(in, u"endpointPath"_s), cat(secret, "="));
    QVERIFY(padded.has_value());
    QCOMPARE(*padded, expected);
}

void TestSigning::futuresRestAuthentWithoutNonce() {
    const QJsonObject in = m_futures.value(u"inputs"_s).toObject();
    const QJsonObject expectedObj = m_futures.value(u"expected"_s).toObject();
    // The key carries an explanation in its name: "authent_without_nonce (nonce omitted ...)".
    QByteArray expected;
    for (auto it = expectedObj.begin(); it != expectedObj.end(); ++it) {
        if (it.key().startsWith(u"authent_without_nonce"_s))
            expected = it.value().toString().toUtf8();
    }
    QVERIFY2(!expected.isEmpty(), "no authent_without_nonce entry in the vector file");

    const auto sig = kraken::futuresAuthent(bytes(in, u"postData"_s), QByteArrayView(),
                                            bytes(in, u"endpointPath"_s),
                                            bytes(in, u"api_secret_b64_as_documented"_s));
    QVERIFY(sig.has_value());
    QCOMPARE(*sig, expected);
}

// Kraken signs the path without "/derivatives", but callers naturally hold the full path.
void TestSigning::futuresRestAuthentStripsDerivativesPrefix() {
    const QJsonObject in = m_futures.value(u"inputs"_s).toObject();
    const QByteArray expected =
        bytes(m_futures.value(u"expected"_s).toObject(), u"authent_with_nonce"_s);
    const QByteArray path = bytes(in, u"endpointPath"_s);
    QVERIFY(path.startsWith("/api/v3/"));

    const auto sig = kraken::futuresAuthent(bytes(in, u"postData"_s), bytes(in, u"nonce"_s),
                                            cat("/derivatives", path),
                                            bytes(in, u"api_secret_b64_as_documented"_s));
    QVERIFY(sig.has_value());
    QCOMPARE(*sig, expected);
}

void TestSigning::futuresWsChallenge() {
    const QJsonObject in = m_challenge.value(u"inputs"_s).toObject();
    const QByteArray expected =
        bytes(m_challenge.value(u"expected"_s).toObject(), u"signed_challenge"_s);
    QVERIFY(!expected.isEmpty());

    const auto sig =
        kraken::futuresSignChallenge(bytes(in, u"challenge"_s), bytes(in, u"api_secret_b64"_s));
    QVERIFY(sig.has_value());
    QCOMPARE(*sig, expected);
}

void TestSigning::decodeSecret() {
    // The vector notes say the futures example secret decodes to 65 raw bytes once padded.
    const QByteArray futuresSecret =
        bytes(m_futures.value(u"inputs"_s).toObject(), u"api_secret_b64_as_documented"_s);
    const auto futuresKey = kraken::decodeSecret(futuresSecret);
    QVERIFY(futuresKey.has_value());
    QCOMPARE(futuresKey->size(), 65);

    const QByteArray spotSecret = bytes(m_spot.value(u"inputs"_s).toObject(), u"secret_b64"_s);
    const auto spotKey = kraken::decodeSecret(spotSecret);
    QVERIFY(spotKey.has_value());
    QCOMPARE(spotKey->size(), 64);
    QCOMPARE(spotKey->toBase64(), spotSecret);

    // A secret pasted with a trailing newline (environment variable, file) still works.
    QCOMPARE(kraken::decodeSecret(cat(spotSecret, "\n")).value_or(QByteArray()), *spotKey);

    QVERIFY(!kraken::decodeSecret("").has_value());
    QVERIFY(!kraken::decodeSecret("   ").has_value());
    QVERIFY(!kraken::decodeSecret("abc$defg").has_value());  // not base64 at all
    QVERIFY(!kraken::decodeSecret("abcd-efg_").has_value()); // base64url, not Kraken's
    QVERIFY(
        !kraken::decodeSecret(cat(cat(spotSecret.left(40), "*"), spotSecret.mid(41))).has_value());
}

void TestSigning::invalidSecretGivesNoSignature() {
    QVERIFY(!kraken::spotApiSign("/0/private/Balance", "1", "nonce=1", "not*base64").has_value());
    QVERIFY(!kraken::futuresAuthent("", "1", "/api/v3/accounts", "").has_value());
    QVERIFY(!kraken::futuresSignChallenge("c100b894", "%%%%").has_value());
}

QTEST_GUILESS_MAIN(TestSigning)
#include "tst_signing.moc"
