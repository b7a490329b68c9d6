#include "futuresreply.h"

#include <QTimer>

namespace kraken::futures {

FuturesReply::FuturesReply(QString endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint)) {}

void FuturesReply::abort() {
    if (!m_finished)
        Q_EMIT aborted();
}

void FuturesReply::finishWith(JsonNode root) {
    if (m_finished)
        return;
    m_finished = true;
    m_root = std::move(root);
    deliverLater();
}

void FuturesReply::finishWith(Error error) {
    if (m_finished)
        return;
    m_finished = true;
    m_error = std::move(error);
    deliverLater();
}

void FuturesReply::deliverLater() {
    QTimer::singleShot(0, this, [this] {
        m_delivered = true;
        Q_EMIT finished();
    });
}

} // namespace kraken::futures
