#pragma once

// FuturesCall<T>: the asynchronous style of the Futures REST client, the same contract as the
// Spot client's Call<T>: then(context, fn) runs fn(Result<T>) on context's thread when the
// reply finishes, and not at all if context is destroyed first; called late it still
// delivers (from the event loop). The parser reads the JsonNode tree (exact number text).

#include "futuresreply.h"
#include "kraken/core/result.h"

#include <QPointer>
#include <QTimer>

#include <functional>

namespace kraken::futures {

template<class T> class FuturesCall {
public:
    using Parser = std::function<Result<T>(const JsonNode &)>;

    FuturesCall(FuturesReply *reply, Parser parser)
        : m_reply(reply)
        , m_parser(std::move(parser)) {}

    FuturesReply *reply() const { return m_reply; }

    template<class F> void then(const QObject *context, F &&fn) const {
        auto deliver = [parser = m_parser](FuturesReply *reply) {
            return reply->error() ? Result<T>(reply->error()) : parser(reply->root());
        };
        if (!m_reply) {
            QTimer::singleShot(0, context, [fn = std::forward<F>(fn)]() mutable {
                fn(Result<T>(Error(Error::Category::InvalidInput,
                                   QStringLiteral("then() was called after the reply was "
                                                  "delivered and deleted"))));
            });
            return;
        }
        if (m_reply->hasDelivered()) {
            QTimer::singleShot(0, context,
                               [result = deliver(m_reply), fn = std::forward<F>(fn)]() mutable {
                                   fn(std::move(result));
                               });
            return;
        }
        QObject::connect(
            m_reply, &FuturesReply::finished, context,
            [reply = m_reply.data(), deliver, fn = std::forward<F>(fn)]() mutable {
                fn(deliver(reply));
            },
            Qt::SingleShotConnection);
    }

private:
    QPointer<FuturesReply> m_reply;
    Parser m_parser;
};

} // namespace kraken::futures
