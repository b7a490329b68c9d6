#include "keycheckverdict.h"

using namespace Qt::StringLiterals;

namespace kraken {

KeyCheckVerdict KeyCheckVerdict::make(Kind kind, QString headline, QString advice, QString detail) {
    KeyCheckVerdict v;
    v.kind = kind;
    v.ok = kind == Kind::Ok;
    v.headline = std::move(headline);
    v.advice = std::move(advice);
    v.detail = std::move(detail);
    return v;
}

QString KeyCheckVerdict::toString() const {
    QString s = headline;
    if (!advice.isEmpty())
        s += u'\n' + advice;
    if (!detail.isEmpty())
        s += u"\n(" + detail + u')';
    return s;
}

QString keyCheckDetail(const Error &error) {
    return error.krakenErrors().isEmpty() ? error.toString() : error.krakenErrors().join(u"; ");
}

std::optional<KeyCheckVerdict> explainCommonKeyCheckFailure(const Error &e) {
    using K = KeyCheckVerdict::Kind;
    const QString detail = keyCheckDetail(e);
    if (e.category() == Error::Category::RateLimited)
        return KeyCheckVerdict::make(
            K::RateLimited, u"Kraken's rate limit for this key is exhausted."_s,
            u"The keys may well be fine: too many calls were made with them recently (by this "
            u"or another program). Wait a minute for the counter to decay and test again."_s,
            detail);
    if (e.category() == Error::Category::Network || e.category() == Error::Category::Timeout)
        return KeyCheckVerdict::make(
            K::Network, u"Kraken could not be reached; the keys were not tested."_s,
            u"Check the internet connection, a proxy or firewall, and the API address. Nothing "
            u"is known yet about whether the keys work."_s,
            detail);
    if (e.isTransient() || e.category() == Error::Category::Http ||
        e.category() == Error::Category::Parse)
        return KeyCheckVerdict::make(
            K::ServiceDown, u"Kraken did not give a usable answer; the keys were not tested."_s,
            u"Kraken's API may be in maintenance or overloaded (see status.kraken.com). Try "
            u"again in a few minutes."_s,
            detail);
    if ((e.category() == Error::Category::Auth && e.krakenErrors().isEmpty()) ||
        e.category() == Error::Category::InvalidInput)
        return KeyCheckVerdict::make(K::NoKeys, u"The keys could not be used."_s, e.message());
    return std::nullopt;
}

} // namespace kraken
