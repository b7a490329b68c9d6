#pragma once

// HttpOutcome and classifyHttpOutcome(): what one HTTP attempt brought back (transport result,
// status, body) and the part of its interpretation that every Kraken REST API shares: timeout,
// cancel, HTTP status, network failure, empty body, HTML page from a proxy, invalid or
// truncated JSON. The venue's own envelope (Spot's {error, result}, Futures' {result, error})
// is read by a callback in between. Pure functions; any thread.

#include "error.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace kraken {

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

// How messages name the venue.
struct HttpVenueText {
    QString name;       // "Kraken", "Kraken Futures"
    QString possessive; // "Kraken's", "Kraken Futures'"
    QString envelope;   // what a JSON answer must be: "its {error, result} envelope"
};

// The venue's reading of the body.
struct EnvelopeRead {
    bool recognised = false; // the body is the venue's envelope: `error` is the verdict
    Error error;             // null on success
    QString jsonError;       // not recognised: why the body is not JSON (empty if it is)

    static EnvelopeRead success() { return {true, {}, {}}; }
    static EnvelopeRead failure(Error e) { return {true, std::move(e), {}}; }
    static EnvelopeRead notJson(QString why) { return {false, {}, std::move(why)}; }
    static EnvelopeRead otherJson() { return {}; }
};

// Null Error on success. `readEnvelope` runs unless the attempt timed out or was cancelled.
Error classifyHttpOutcome(const HttpOutcome &outcome, const HttpVenueText &venue,
                          const std::function<EnvelopeRead()> &readEnvelope);

// An HTTP status of 400 or more, described by the body (HTML pages by their title).
Error httpStatusError(const HttpOutcome &outcome, const HttpVenueText &venue);

// The first 160 characters of a body, on one line: for error details.
QString bodySnippet(const QByteArray &body);

// True when the request can be known not to have reached the server (refused, unresolved host,
// TLS handshake failure): only then is an order call's failure a definite one.
bool neverReachedServer(int networkError);

} // namespace kraken
