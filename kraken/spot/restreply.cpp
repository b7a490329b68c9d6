#include "restreply.h"

namespace kraken::spot {

RestReply::RestReply(QString method, QObject *parent)
    : HttpReply(parent)
    , m_method(std::move(method)) {}

void RestReply::finishWith(QJsonValue result, QStringList warnings) {
    if (!finishOnce())
        return;
    m_result = std::move(result);
    m_warnings = std::move(warnings);
}

} // namespace kraken::spot
