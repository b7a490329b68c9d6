#pragma once

// Interpreting one HTTP answer from Kraken's REST API: the single place where transport
// outcome, HTTP status and body become either Kraken's `result` or an Error. Pure functions.

#include "kraken/core/error.h"

#include <QJsonValue>
#include <QStringList>

namespace kraken::spot {

struct HttpOutcome {
    int httpStatus = 0;   // 0 when no HTTP answer arrived
    int networkError = 0; // QNetworkReply::NetworkError
    QString networkErrorText;
    QByteArray contentType;
    QByteArray body;
    bool timedOut = false;
    bool aborted = false;
    int timeoutMs = 0;
};

struct Envelope {
    Error error;
    QJsonValue result;
    QStringList warnings;
};

Envelope interpretResponse(const HttpOutcome &outcome);

// True when the request can be known not to have reached Kraken (refused, unresolved host,
// TLS handshake failure): only then is an order call's failure a definite one.
bool neverReachedServer(int networkError);

} // namespace kraken::spot
