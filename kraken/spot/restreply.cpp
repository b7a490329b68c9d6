#include "restreply.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace kraken::spot {

RestReply::RestReply(QString method, QObject *parent)
    : QObject(parent)
    , m_method(std::move(method)) {}

void RestReply::abort() {
    if (!m_finished)
        Q_EMIT aborted();
}

void RestReply::finishWith(QJsonValue result, QStringList warnings) {
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    m_warnings = std::move(warnings);
    QTimer::singleShot(0, this, [this] {
        m_delivered = true;
        Q_EMIT finished();
    });
}

void RestReply::finishWith(Error error) {
    if (m_finished)
        return;
    m_finished = true;
    m_error = std::move(error);
    QTimer::singleShot(0, this, [this] {
        m_delivered = true;
        Q_EMIT finished();
    });
}

} // namespace kraken::spot
