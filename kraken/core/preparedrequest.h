#pragma once

// PreparedRequest: exactly what the client puts on the wire for one attempt (method, full
// URL, headers including the key and signature (Spot API-Key/API-Sign, Futures
// APIKey/Authent), the signed body bytes). The CLI's --dry-run
// prints it; the client sends it. A value type.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <utility>

namespace kraken {

// Ordered key/value parameters: the signed body keeps this order byte for byte.
using Params = QList<std::pair<QString, QString>>;

enum class BodyFormat { Form, Json };

// application/x-www-form-urlencoded with RFC 3986 percent-encoding: everything except
// A-Z a-z 0-9 - . _ ~ is escaped ('+' becomes %2B, so relative prices survive).
QByteArray encodeForm(const Params &params);

struct PreparedRequest {
    QByteArray verb; // "GET" or "POST"
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // HTTP/1.1 message: "POST <full url> HTTP/1.1", one header per line, a blank line, then
    // the body exactly as signed. The CLI's --dry-run output.
    QByteArray toHttpMessage() const;
};

} // namespace kraken
