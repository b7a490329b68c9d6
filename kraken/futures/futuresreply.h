#pragma once

// FuturesReply: one logical Futures REST call in flight (with its retries and queueing).
// Emits finished() exactly once, always from the event loop, so a caller can connect after
// starting the call. Unlike the Spot RestReply it keeps the answer as a JsonNode, so numbers
// keep their exact text. Owned by the FuturesRestClient and deleted after finished(); lives on
// the client's thread.

#include "jsonnode.h"
#include "kraken/core/error.h"

#include <QObject>

namespace kraken::futures {

class FuturesReply : public QObject {
    Q_OBJECT
public:
    explicit FuturesReply(QString endpoint, QObject *parent = nullptr);

    QString endpoint() const { return m_endpoint; } // "sendorder", "charts", ...
    bool isFinished() const { return m_finished; }
    bool hasDelivered() const { return m_delivered; }
    const JsonNode &root() const { return m_root; }    // the whole answer on success
    const JsonNode &payload() const { return m_root; } // what FuturesCall<T>'s parser reads
    const Error &error() const { return m_error; }
    int attempts() const { return m_attempts; }

    // Stops waiting; the reply finishes with a Network error. An order call already on the
    // wire is reported with outcomeUnknown.
    void abort();

Q_SIGNALS:
    void finished();
    void aborted();

private:
    friend class FuturesRestClient;
    void finishWith(JsonNode root);
    void finishWith(Error error);
    void deliverLater();

    QString m_endpoint;
    JsonNode m_root;
    Error m_error;
    int m_attempts = 0;
    bool m_finished = false;
    bool m_delivered = false;
};

} // namespace kraken::futures
