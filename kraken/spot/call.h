#pragma once

// Call<T>: the one asynchronous style of the REST client. A typed call returns a Call<T>;
// then(context, fn) runs fn(Result<T>) on context's thread when the reply finishes, and not
// at all if context is destroyed first. Called late, after the reply has finished, then()
// still delivers (from the event loop); after the reply was deleted it delivers an error
// saying so. The raw RestReply stays available for abort() until it finishes.

#include "kraken/core/result.h"
#include "restreply.h"

#include <QPointer>
#include <QTimer>

#include <functional>

namespace kraken::spot {

template<class T> class Call {
public:
    using Parser = std::function<Result<T>(const QJsonValue &)>;

    Call(RestReply *reply, Parser parser)
        : m_reply(reply)
        , m_parser(std::move(parser)) {}

    RestReply *reply() const { return m_reply; }

    template<class F> void then(const QObject *context, F &&fn) const {
        auto deliver = [parser = m_parser](RestReply *reply) {
            return reply->error() ? Result<T>(reply->error()) : parser(reply->result());
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
            m_reply, &RestReply::finished, context,
            [reply = m_reply.data(), deliver, fn = std::forward<F>(fn)]() mutable {
                fn(deliver(reply));
            },
            Qt::SingleShotConnection);
    }

private:
    QPointer<RestReply> m_reply;
    Parser m_parser;
};

} // namespace kraken::spot
