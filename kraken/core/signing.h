#pragma once

// Kraken's request signatures, exactly as documented (vectors in shared/vectors/). Pure
// functions, safe on any thread. A secret that is not valid base64 gives nullopt.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace kraken {

// Decodes an API secret. Tolerates missing '=' padding (Kraken's own Futures example secret
// lacks one), rejects any other non-base64 character.
std::optional<QByteArray> decodeSecret(QByteArrayView secretBase64);

// Spot REST API-Sign: base64(HMAC-SHA512(secret, path + SHA256(nonce + postData))).
// `path` is "/0/private/Method"; `postData` the exact body bytes sent (form or JSON).
std::optional<QByteArray> spotApiSign(QByteArrayView path, QByteArrayView nonce,
                                      QByteArrayView postData, QByteArrayView secretBase64);

// Futures REST Authent: base64(HMAC-SHA512(secret, SHA256(postData + nonce + endpointPath))),
// endpointPath without the "/derivatives" prefix (it is stripped here if present).
std::optional<QByteArray> futuresAuthent(QByteArrayView postData, QByteArrayView nonce,
                                         QByteArrayView endpointPath, QByteArrayView secretBase64);

// Futures WebSocket challenge: base64(HMAC-SHA512(secret, SHA256(challenge))).
std::optional<QByteArray> futuresSignChallenge(QByteArrayView challenge,
                                               QByteArrayView secretBase64);

} // namespace kraken
