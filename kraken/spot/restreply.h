#pragma once

// RestReply: one logical REST call in flight (with its retries, queueing and, for paginated
// calls, all its pages). Emits finished() exactly once, always from the event loop (never
// from inside the call that created it), so a caller can connect after starting the call.
// Owned by the RestClient and deleted after finished(); lives on the client's thread.

#include "kraken/core/error.h"

#include <QJsonValue>
#include <QObject>
#include <QStringList>

namespace kraken::spot {

class RestReply : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool finished READ isFinished NOTIFY finished)
public:
    explicit RestReply(QString method, QObject *parent = nullptr);

    QString method() const { return m_method; } // "Balance", "AddOrder", ...
    bool isFinished() const { return m_finished; }
    // finished() has been emitted: connecting to it now would wait forever.
    bool hasDelivered() const { return m_delivered; }
    // Kraken's `result` on success; undefined on error.
    QJsonValue result() const { return m_result; }
    const QJsonValue &payload() const { return m_result; } // what Call<T>'s parser reads
    const Error &error() const { return m_error; }
    // Kraken's "W..." warnings that came with a successful result.
    QStringList warnings() const { return m_warnings; }
    int attempts() const { return m_attempts; }

    // Stops waiting; the reply finishes with a Network error. An order call already on the
    // wire is reported with outcomeUnknown.
    void abort();

Q_SIGNALS:
    void finished();
    void aborted();

private:
    friend class RestClient;
    void finishWith(QJsonValue result, QStringList warnings);
    void finishWith(Error error);

    QString m_method;
    QJsonValue m_result;
    QStringList m_warnings;
    Error m_error;
    int m_attempts = 0;
    bool m_finished = false;
    bool m_delivered = false;
};

} // namespace kraken::spot
