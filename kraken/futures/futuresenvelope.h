#pragma once

// Interpreting one HTTP answer from Kraken Futures: the single place where the transport
// outcome, HTTP status and body become either the parsed answer or an Error. Futures answers
// say {"result":"success", ...payload} or {"result":"error","error":"<code>"} (sometimes an
// `errors` array); the charts and history APIs send bare JSON without `result`. Pure functions.

#include "jsonnode.h"
#include "kraken/core/error.h"

#include <QByteArray>

namespace kraken::futures {

struct FuturesHttpOutcome {
    int httpStatus = 0;   // 0 when no HTTP answer arrived
    int networkError = 0; // QNetworkReply::NetworkError
    QString networkErrorText;
    QByteArray contentType;
    QByteArray body;
    bool timedOut = false;
    bool aborted = false;
    int timeoutMs = 0;
};

struct FuturesEnvelope {
    Error error;
    JsonNode root; // the whole answer on success
};

// `requireResult`: the v3 API's answers must carry "result"; charts/history ones need not.
FuturesEnvelope interpretFuturesResponse(const FuturesHttpOutcome &outcome, bool requireResult);

// True when the request can be known not to have reached Kraken (refused, unresolved host,
// TLS handshake failure): only then is an order call's failure a definite one.
bool futuresNeverReachedServer(int networkError);

} // namespace kraken::futures
