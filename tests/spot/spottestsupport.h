#pragma once

// Helpers shared by the kraken/spot suites: readable QCOMPARE output for Decimal, literals,
// fixture loading, an independent Spot API-Sign (so the suites never check our signer against
// itself), and a bounded wait for a Call<T>.

#include "kraken/core/decimal.h"
#include "kraken/core/result.h"
#include "kraken/spot/call.h"
#include "kraken/spot/restclient.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QObject>
#include <QRegularExpression>
#include <QString>
#include <QTest>

#include <optional>
#include <string_view>

namespace kraken {

// Found by ADL, so QCOMPARE on two Decimals prints "0.10000000" rather than nothing.
inline char *toString(const Decimal &d) {
    return qstrdup(d.toStdString().c_str());
}

} // namespace kraken

namespace spottest {

using namespace Qt::StringLiterals;

// A literal the test wrote itself; one that does not parse fails the running test function.
inline kraken::Decimal dec(std::string_view text) {
    const auto d = kraken::Decimal::fromString(text);
    if (!d) {
        QTest::qFail(qPrintable(u"test literal does not parse: "_s +
                                QString::fromUtf8(text.data(), qsizetype(text.size()))),
                     __FILE__, __LINE__);
        return {};
    }
    return *d;
}

inline QString vectorPath(const char *file) {
    return QString::fromUtf8(KT_VECTORS_DIR) + u'/' + QString::fromUtf8(file);
}

inline QString fixturePath(const char *file) {
    return QString::fromUtf8(KT_TEST_DATA_DIR) + u"/spot/"_s + QString::fromUtf8(file);
}

// The bytes of a file; empty (and *error set) when it cannot be read.
inline QByteArray readBytes(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot open "_s + path + u": "_s + f.errorString();
        return {};
    }
    return f.readAll();
}

// A JSON object from a file; empty (and *error set) when missing or not an object.
inline QJsonObject readJsonObject(const QString &path, QString *error) {
    const QByteArray bytes = readBytes(path, error);
    if (bytes.isEmpty())
        return {};
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"not a JSON object: "_s + path + u": "_s + parseError.errorString();
        return {};
    }
    return doc.object();
}

// The documented Spot signing example (shared/vectors/spot_rest_api_sign.json), read at run
// time so the suites check the client against the documentation, not against themselves.
struct SignVector {
    QByteArray secret, nonce, path, postdata, apiSign;
};

inline SignVector loadSignVector(QString *error) {
    const QJsonObject v = readJsonObject(vectorPath("spot_rest_api_sign.json"), error);
    const QJsonObject in = v.value(u"inputs"_s).toObject();
    SignVector out{
        in.value(u"secret_b64"_s).toString().toUtf8(), in.value(u"nonce"_s).toString().toUtf8(),
        in.value(u"uri_path"_s).toString().toUtf8(), in.value(u"postdata"_s).toString().toUtf8(),
        v.value(u"expected"_s).toObject().value(u"api_sign"_s).toString().toUtf8()};
    if (error->isEmpty() && (out.secret.isEmpty() || out.nonce.isEmpty() || out.path.isEmpty() ||
                             out.postdata.isEmpty() || out.apiSign.isEmpty()))
        *error = u"spot_rest_api_sign.json lacks an input or the expected signature"_s;
    return out;
}

// A client configuration for tests against a local server: small bounds, no public-call
// pacing, nonces in memory only.
inline kraken::spot::RestClientConfig testConfig(const QUrl &baseUrl) {
    kraken::spot::RestClientConfig c;
    c.baseUrl = baseUrl;
    c.timeoutMs = 10'000;
    c.maxRetries = 2;
    c.retryDelayMs = 10;
    c.limitPublicCalls = false;
    c.persistNonce = false;
    return c;
}

// Spot API-Sign computed here from the documented formula with Qt's own primitives:
// base64(HMAC-SHA512(base64decode(secret), path + SHA256(nonce + body))).
inline QByteArray independentApiSign(const QByteArray &path, const QByteArray &nonce,
                                     const QByteArray &body, const QByteArray &secretBase64) {
    const QByteArray hashed = QByteArray(nonce).append(body);
    const QByteArray digest = QCryptographicHash::hash(hashed, QCryptographicHash::Sha256);
    const QByteArray message = QByteArray(path).append(digest);
    return QMessageAuthenticationCode::hash(message, QByteArray::fromBase64(secretBase64),
                                            QCryptographicHash::Sha512)
        .toBase64();
}

// The nonce as the body carries it: first form field "nonce=<digits>" or the JSON member
// {"nonce":"<digits>". Empty when the body does not start that way.
inline QByteArray nonceOfBody(const QByteArray &body) {
    static const QRegularExpression form(u"^nonce=(\\d+)(&|$)"_s);
    static const QRegularExpression json(u"^\\{\"nonce\":\"(\\d+)\""_s);
    const QString text = QString::fromUtf8(body);
    auto m = form.match(text);
    if (!m.hasMatch())
        m = json.match(text);
    return m.hasMatch() ? m.captured(1).toUtf8() : QByteArray();
}

// What a finished call delivered, with the reply's side information captured while the reply
// was still alive.
template<class T> struct Finished {
    kraken::Result<T> result;
    QStringList warnings;
    int attempts = 0;
};

// Waits (bounded, event loop running) for `call` to finish. nullopt when it did not finish in
// time; the continuation is then disconnected (its context dies here), so nothing dangles.
template<class T>
std::optional<Finished<T>> finish(const kraken::spot::Call<T> &call, int timeoutMs = 30'000) {
    std::optional<Finished<T>> out;
    QObject context;
    kraken::spot::RestReply *reply = call.reply();
    call.then(&context, [&out, reply](const kraken::Result<T> &r) {
        out.emplace(Finished<T>{r, reply->warnings(), reply->attempts()});
    });
    [[maybe_unused]] const bool done =
        QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs);
    return out;
}

} // namespace spottest

// Waits for a call and binds its Finished<T> to `var`, failing the test function if it never
// finishes within the bound.
#define KT_AWAIT(var, callExpr)                                                                    \
    auto var##Opt_ = spottest::finish(callExpr);                                                   \
    QVERIFY2(var##Opt_.has_value(), "the call did not finish within the bound");                   \
    auto &var = *var##Opt_

// Fails with the error's text when a result carries an error.
#define KT_VERIFY_OK(res) QVERIFY2((res).ok(), qPrintable((res).error().toString()))
