#include "httpreply.h"

#include <QTimer>

namespace kraken {

HttpReply::HttpReply(QObject *parent)
    : QObject(parent) {}

void HttpReply::abort() {
    if (!m_finished)
        Q_EMIT aborted();
}

bool HttpReply::finishOnce() {
    if (m_finished)
        return false;
    m_finished = true;
    QTimer::singleShot(0, this, [this] {
        m_delivered = true;
        Q_EMIT finished();
    });
    return true;
}

void HttpReply::finishWith(Error error) {
    if (finishOnce())
        m_error = std::move(error);
}

} // namespace kraken
