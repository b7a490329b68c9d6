#pragma once

// BasicCall<T, Reply>: the one asynchronous style of the REST clients (Spot's Call<T>,
// Futures' FuturesCall<T>). A typed call returns one; then(context, fn) runs fn(Result<T>) on
// context's thread when the reply finishes, and not at all if context is destroyed first.
// Called late, after the reply has finished, then() still delivers (from the event loop);
// after the reply was deleted it delivers an error saying so. The raw reply stays available
// for abort() until it finishes.
//
// Reply: a QObject with a finished() signal, hasDelivered(), error() and payload() (what the
// parser reads: Spot's QJsonValue result, Futures' JsonNode with exact number text).

#include "result.h"

#include <QPointer>
#include <QTimer>

#include <functional>
#include <type_traits>
#include <utility>

namespace kraken {

template<class T, class Reply> class BasicCall {
public:
    using Payload = std::decay_t<decltype(std::declval<const Reply &>().payload())>;
    using Parser = std::function<Result<T>(const Payload &)>;

    BasicCall(Reply *reply, Parser parser)
        : m_reply(reply)
        , m_parser(std::move(parser)) {}

    Reply *reply() const { return m_reply; }

    template<class F> void then(const QObject *context, F &&fn) const {
        auto deliver = [parser = m_parser](Reply *reply) {
            return reply->error() ? Result<T>(reply->error()) : parser(reply->payload());
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
            m_reply, &Reply::finished, context,
            [reply = m_reply.data(), deliver, fn = std::forward<F>(fn)]() mutable {
                fn(deliver(reply));
            },
            Qt::SingleShotConnection);
    }

private:
    QPointer<Reply> m_reply;
    Parser m_parser;
};

} // namespace kraken
