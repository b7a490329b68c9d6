#pragma once

// RestReply: one logical Spot REST call in flight (with its retries, queueing and, for
// paginated calls, all its pages). kraken::HttpReply's contract (finished() exactly once, from
// the event loop), holding Kraken's `result` and warnings. Owned by the RestClient and deleted
// after finished(); lives on the client's thread.

#include "kraken/core/httpreply.h"

#include <QJsonValue>
#include <QStringList>

namespace kraken::spot {

class RestReply : public HttpReply {
    Q_OBJECT
public:
    explicit RestReply(QString method, QObject *parent = nullptr);

    QString method() const { return m_method; } // "Balance", "AddOrder", ...
    // Kraken's `result` on success; undefined on error.
    QJsonValue result() const { return m_result; }
    const QJsonValue &payload() const { return m_result; } // what Call<T>'s parser reads
    // Kraken's "W..." warnings that came with a successful result.
    QStringList warnings() const { return m_warnings; }

private:
    friend class RestClient;
    void finishWith(QJsonValue result, QStringList warnings);

    QString m_method;
    QJsonValue m_result;
    QStringList m_warnings;
};

} // namespace kraken::spot
