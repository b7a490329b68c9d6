#pragma once

// Call<T>: the one asynchronous style of the REST client. A typed call returns a Call<T>;
// then(context, fn) runs fn(Result<T>) on context's thread when the reply finishes, and not
// at all if context is destroyed first. The raw RestReply stays available for abort().

#include "restreply.h"

#include "kraken/core/result.h"

#include <functional>

namespace kraken::spot {

template<class T>
class Call {
public:
    using Parser = std::function<Result<T>(const QJsonValue &)>;

    Call(RestReply *reply, Parser parser) : m_reply(reply), m_parser(std::move(parser)) {}

    RestReply *reply() const { return m_reply; }

    template<class F>
    void then(const QObject *context, F &&fn) const
    {
        QObject::connect(
            m_reply, &RestReply::finished, context,
            [reply = m_reply, parser = m_parser, fn = std::forward<F>(fn)]() mutable {
                if (reply->error())
                    fn(Result<T>(reply->error()));
                else
                    fn(parser(reply->result()));
            },
            Qt::SingleShotConnection);
    }

private:
    RestReply *m_reply;
    Parser m_parser;
};

} // namespace kraken::spot
