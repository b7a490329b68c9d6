#include "signing.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace kraken {
namespace {

QByteArray hmacSha512(const QByteArray &key, QByteArrayView message) {
    return QMessageAuthenticationCode::hash(message.toByteArray(), key, QCryptographicHash::Sha512);
}

} // namespace

std::optional<QByteArray> decodeSecret(QByteArrayView secretBase64) {
    QByteArray padded = secretBase64.toByteArray().trimmed();
    if (padded.isEmpty())
        return std::nullopt;
    while (padded.size() % 4 != 0)
        padded.append('=');
    auto decoded = QByteArray::fromBase64Encoding(padded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

std::optional<QByteArray> spotApiSign(QByteArrayView path, QByteArrayView nonce,
                                      QByteArrayView postData, QByteArrayView secretBase64) {
    const auto key = decodeSecret(secretBase64);
    if (!key)
        return std::nullopt;
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(nonce);
    sha.addData(postData);
    QByteArray message = path.toByteArray();
    message += sha.result();
    return hmacSha512(*key, message).toBase64();
}

std::optional<QByteArray> futuresAuthent(QByteArrayView postData, QByteArrayView nonce,
                                         QByteArrayView endpointPath, QByteArrayView secretBase64) {
    const auto key = decodeSecret(secretBase64);
    if (!key)
        return std::nullopt;
    constexpr QByteArrayView prefix("/derivatives");
    if (endpointPath.startsWith(prefix))
        endpointPath = endpointPath.sliced(prefix.size());
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(postData);
    sha.addData(nonce);
    sha.addData(endpointPath);
    return hmacSha512(*key, sha.result()).toBase64();
}

std::optional<QByteArray> futuresSignChallenge(QByteArrayView challenge,
                                               QByteArrayView secretBase64) {
    const auto key = decodeSecret(secretBase64);
    if (!key)
        return std::nullopt;
    return hmacSha512(*key, QCryptographicHash::hash(challenge, QCryptographicHash::Sha256))
        .toBase64();
}

} // namespace kraken
