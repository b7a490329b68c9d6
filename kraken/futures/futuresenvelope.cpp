#include "futuresenvelope.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

// "error": "code", or "errors": ["code", ...] / [{"code": ..., "message": ...}].
QString errorCodeOf(const JsonNode &root) {
    if (const QString s = root.string(u"error"); !s.isEmpty())
        return s;
    if (const JsonNode *list = root.find(u"errors")) {
        for (const JsonNode &e : list->elements()) {
            if (e.isString() && !e.text().isEmpty())
                return e.text();
            if (e.isObject()) {
                const QString code = e.string(u"code");
                return code.isEmpty() ? e.string(u"message") : code;
            }
        }
    }
    return {};
}

} // namespace

const HttpVenueText &futuresVenue() {
    static const HttpVenueText venue{u"Kraken Futures"_s, u"Kraken Futures'"_s, u"an object"_s};
    return venue;
}

FuturesEnvelope interpretFuturesResponse(const FuturesHttpOutcome &o, bool requireResult) {
    FuturesEnvelope env;
    env.error = classifyHttpOutcome(o, futuresVenue(), [&o, &env, requireResult]() -> EnvelopeRead {
        if (o.body.trimmed().isEmpty())
            return EnvelopeRead::otherJson();
        QString parseError;
        const auto root = JsonNode::parse(o.body, &parseError);
        if (!root)
            return EnvelopeRead::notJson(parseError.isEmpty() ? u"unreadable"_s : parseError);
        if (!root->isObject())
            return EnvelopeRead::otherJson();
        const QString result = root->string(u"result");
        const QString code = errorCodeOf(*root);
        if (result == u"error"_s || (result.isEmpty() && !code.isEmpty()))
            return EnvelopeRead::failure(Error::fromKrakenFutures(code, o.httpStatus));
        if (o.httpStatus >= 400)
            return EnvelopeRead::failure(httpStatusError(o, futuresVenue()));
        if (result == u"success"_s || (!requireResult && result.isEmpty())) {
            env.root = *root;
            return EnvelopeRead::success();
        }
        Error e(Error::Category::Parse,
                result.isEmpty()
                    ? u"Kraken Futures' answer has no \"result\""_s
                    : u"Kraken Futures' answer has an unknown result \"%1\""_s.arg(result),
                bodySnippet(o.body));
        e.setHttpStatus(o.httpStatus);
        return EnvelopeRead::failure(e);
    });
    return env;
}

} // namespace kraken::futures
