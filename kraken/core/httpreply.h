#pragma once

// HttpReply: one logical REST call in flight (with its retries and queueing), the part the Spot
// RestReply and the Futures FuturesReply share: finished() exactly once, always from the event
// loop (never from inside the call that created it), so a caller can connect after starting
// the call; abort(); the error and the attempt count. The subclass holds the venue's answer.
// Owned by its client and deleted after finished(); lives on the client's thread.

#include "error.h"

#include <QObject>

namespace kraken {

class HttpReply : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool finished READ isFinished NOTIFY finished)
public:
    bool isFinished() const { return m_finished; }
    // finished() has been emitted: connecting to it now would wait forever.
    bool hasDelivered() const { return m_delivered; }
    const Error &error() const { return m_error; }
    int attempts() const { return m_attempts; }

    // Stops waiting; the reply finishes with a Network error. An order call already on the
    // wire is reported with outcomeUnknown.
    void abort();

Q_SIGNALS:
    void finished();
    void aborted();

protected:
    explicit HttpReply(QObject *parent);
    // Marks the reply finished and schedules finished(); false if it had finished already.
    bool finishOnce();
    void finishWith(Error error);

private:
    friend class HttpEngine;

    Error m_error;
    int m_attempts = 0;
    bool m_finished = false;
    bool m_delivered = false;
};

} // namespace kraken
