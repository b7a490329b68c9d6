#include "futuresreply.h"

namespace kraken::futures {

FuturesReply::FuturesReply(QString endpoint, QObject *parent)
    : HttpReply(parent)
    , m_endpoint(std::move(endpoint)) {}

void FuturesReply::finishWith(JsonNode root) {
    if (finishOnce())
        m_root = std::move(root);
}

} // namespace kraken::futures
