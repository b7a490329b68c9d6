#include "responseenvelope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace kraken::spot {
namespace {

// Kraken puts "W..." warnings in the error array beside a good result.
bool isWarning(const QString &s) {
    return s.startsWith(u'W');
}

} // namespace

const HttpVenueText &spotVenue() {
    static const HttpVenueText venue{u"Kraken"_s, u"Kraken's"_s, u"its {error, result} envelope"_s};
    return venue;
}

Envelope interpretResponse(const HttpOutcome &o) {
    Envelope env;
    env.error = classifyHttpOutcome(o, spotVenue(), [&o, &env]() -> EnvelopeRead {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(o.body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return EnvelopeRead::notJson(
                u"%1 at byte %2"_s.arg(parseError.errorString()).arg(parseError.offset));
        if (!doc.isObject() || !doc.object().value(u"error"_s).isArray())
            return EnvelopeRead::otherJson();
        const QJsonObject obj = doc.object();
        QStringList errors, warnings;
        for (const QJsonValue &v : obj.value(u"error"_s).toArray()) {
            const QString s = v.toString();
            (isWarning(s) ? warnings : errors).append(s);
        }
        if (!errors.isEmpty())
            return EnvelopeRead::failure(Error::fromKraken(errors, o.httpStatus));
        if (o.httpStatus >= 400)
            return EnvelopeRead::failure(httpStatusError(o, spotVenue()));
        if (!obj.contains(u"result"_s))
            return EnvelopeRead::failure(
                Error(Error::Category::Parse,
                      u"Kraken's answer has neither an error nor a result"_s, bodySnippet(o.body)));
        env.result = obj.value(u"result"_s);
        env.warnings = warnings;
        return EnvelopeRead::success();
    });
    return env;
}

} // namespace kraken::spot
