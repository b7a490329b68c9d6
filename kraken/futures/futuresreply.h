#pragma once

// FuturesReply: one logical Futures REST call in flight (with its retries and queueing).
// kraken::HttpReply's contract (finished() exactly once, from the event loop); unlike the Spot
// RestReply it keeps the answer as a JsonNode, so numbers keep their exact text. Owned by the
// FuturesRestClient and deleted after finished(); lives on the client's thread.

#include "jsonnode.h"
#include "kraken/core/httpreply.h"

namespace kraken::futures {

class FuturesReply : public HttpReply {
    Q_OBJECT
public:
    explicit FuturesReply(QString endpoint, QObject *parent = nullptr);

    QString endpoint() const { return m_endpoint; }    // "sendorder", "charts", ...
    const JsonNode &root() const { return m_root; }    // the whole answer on success
    const JsonNode &payload() const { return m_root; } // what FuturesCall<T>'s parser reads

private:
    friend class FuturesRestClient;
    void finishWith(JsonNode root);

    QString m_endpoint;
    JsonNode m_root;
};

} // namespace kraken::futures
