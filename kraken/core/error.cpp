#include "error.h"

using namespace Qt::StringLiterals;

namespace kraken {

Error::Error(Category category, QString message, QString detail)
    : m_category(category)
    , m_message(std::move(message))
    , m_detail(std::move(detail)) {}

Error::Category Error::categoryOfKrakenString(const QString &e) {
    if (e.startsWith(u"EAPI:Rate limit"_s) || e.startsWith(u"EOrder:Rate limit"_s) ||
        e.startsWith(u"EOrder:Domain rate limit"_s) || e.startsWith(u"EService:Throttled"_s))
        return Category::RateLimited;
    if (e.startsWith(u"EAPI:Invalid key"_s) || e.startsWith(u"EAPI:Invalid signature"_s) ||
        e.startsWith(u"EAPI:Invalid nonce"_s) || e.startsWith(u"EAPI:Invalid session"_s) ||
        e.startsWith(u"EAPI:Bad request"_s) || e.startsWith(u"EGeneral:Permission denied"_s) ||
        e.startsWith(u"EGeneral:Temporary lockout"_s) || e.startsWith(u"EAPI:Feature disabled"_s))
        return Category::Auth;
    return Category::Kraken;
}

namespace {

// What the trader should do about the well-known strings; the raw string stays in detail.
QString adviceFor(const QString &e) {
    struct Hint {
        const char16_t *prefix;
        const char16_t *text;
    };
    static const Hint hints[] = {
        {u"EAPI:Invalid nonce",
         u"Kraken rejected the nonce: another program may be using this API key with a higher "
         u"nonce. Use a separate key per program, or raise the key's nonce window."},
        {u"EAPI:Invalid key", u"Kraken does not recognise this API key: check it was copied "
                              u"whole and has not been deleted."},
        {u"EAPI:Invalid signature",
         u"Kraken rejected the signature: the API secret does not belong to this key or was "
         u"not copied whole."},
        {u"EGeneral:Permission denied",
         u"This API key lacks the permission for that call: enable it in Kraken's API settings."},
        {u"EGeneral:Temporary lockout",
         u"Too many failed authentications: Kraken locked the key for a few minutes."},
        {u"EAPI:Rate limit exceeded",
         u"Kraken's API call counter is full: calls are paused until it decays."},
        {u"EOrder:Rate limit exceeded",
         u"Kraken's trading rate counter for this pair is full: wait before sending or "
         u"cancelling more orders."},
        {u"EService:Throttled", u"Too many concurrent requests: Kraken asks to retry later."},
        {u"EService:Unavailable", u"Kraken's trading service is unavailable right now."},
        {u"EService:Busy", u"Kraken is overloaded right now; try again shortly."},
        {u"EOrder:Insufficient funds", u"Insufficient funds for this order."},
        {u"EOrder:Order minimum not met", u"The order size is below the pair's minimum."},
        {u"EOrder:Cost minimum not met", u"The order value is below the pair's minimum cost."},
        {u"EOrder:Tick size check failed", u"The price is not a multiple of the tick size."},
        {u"EQuery:Unknown asset pair", u"Kraken does not know that pair."},
        {u"EOrder:Unknown order", u"Kraken does not know that order."},
        {u"EGeneral:Invalid arguments", u"Kraken rejected the request's arguments."},
    };
    for (const Hint &h : hints) {
        if (e.startsWith(QStringView(h.prefix)))
            return QString::fromUtf16(h.text);
    }
    return {};
}

} // namespace

Error Error::fromKraken(const QStringList &errors, int httpStatus) {
    const QString first = errors.value(0, u"EGeneral:Unknown error"_s);
    const QString advice = adviceFor(first);
    Error e(categoryOfKrakenString(first), advice.isEmpty() ? first : advice, errors.join(u"; "_s));
    e.m_krakenErrors = errors;
    e.m_httpStatus = httpStatus;
    return e;
}

namespace {

// Futures codes are camelCase words, not prefixed strings, so they get their own table.
struct FuturesCode {
    const char16_t *code;
    Error::Category category;
    const char16_t *text;
};

const FuturesCode futuresCodes[] = {
    {u"apiLimitExceeded", Error::Category::RateLimited,
     u"Kraken Futures' API cost budget is spent: calls are paused until it refills."},
    {u"authenticationError", Error::Category::Auth,
     u"Kraken Futures rejected the key or its Authent signature: check the key and secret "
     u"were copied whole and belong together."},
    {u"nonceBelowThreshold", Error::Category::Auth,
     u"Kraken Futures rejected the nonce as too low: another program may be using this API "
     u"key with a higher nonce. Use a separate key per program."},
    {u"nonceDuplicate", Error::Category::Auth,
     u"Kraken Futures rejected a repeated nonce: another program may be using this API key."},
    {u"accountInactive", Error::Category::Auth, u"The Futures account is inactive."},
    {u"requiredArgumentMissing", Error::Category::Kraken,
     u"Kraken Futures says a required argument is missing."},
    {u"invalidArgument", Error::Category::Kraken, u"Kraken Futures rejected an argument."},
    {u"invalidUnit", Error::Category::Kraken, u"Kraken Futures rejected the unit."},
    {u"marketUnavailable", Error::Category::Kraken, u"That Futures market is unavailable."},
    {u"Unavailable", Error::Category::Kraken, u"Kraken Futures is unavailable right now."},
    {u"Server Error", Error::Category::Kraken, u"Kraken Futures reported a server error."},
    {u"insufficientFunds", Error::Category::Kraken, u"Insufficient funds."},
    {u"insufficientAvailableFunds", Error::Category::Kraken,
     u"Insufficient available margin for this order."},
    {u"invalidSize", Error::Category::Kraken, u"Kraken Futures rejected the order size."},
    {u"invalidPrice", Error::Category::Kraken, u"Kraken Futures rejected the price."},
    {u"invalidOrderType", Error::Category::Kraken, u"Kraken Futures rejected the order type."},
    {u"invalidSide", Error::Category::Kraken, u"Kraken Futures rejected the side."},
    {u"postWouldExecute", Error::Category::Kraken,
     u"The post-only order would have executed at once, so it was not placed."},
    {u"iocWouldNotExecute", Error::Category::Kraken,
     u"The immediate-or-cancel order found nothing to execute against."},
    {u"wouldCauseLiquidation", Error::Category::Kraken,
     u"The order would cause a liquidation, so it was not placed."},
    {u"wouldNotReducePosition", Error::Category::Kraken,
     u"The reduce-only order would not reduce the position."},
    {u"maxPositionViolation", Error::Category::Kraken,
     u"The order would exceed the maximum position size."},
    {u"marketSuspended", Error::Category::Kraken, u"The market is suspended."},
    {u"marketInactive", Error::Category::Kraken, u"The market is inactive."},
    {u"clientOrderIdAlreadyExist", Error::Category::Kraken,
     u"An order with that client order id already exists."},
    {u"clientOrderIdTooLong", Error::Category::Kraken, u"The client order id is too long."},
    {u"outsidePriceCollar", Error::Category::Kraken,
     u"The price is outside the market's price collar."},
    {u"selfFill", Error::Category::Kraken, u"The order would have filled against your own."},
    {u"tooManySmallOrders", Error::Category::Kraken, u"Too many small orders are open."},
    {u"notFound", Error::Category::Kraken, u"Kraken Futures does not know that order."},
    {u"orderForEditNotFound", Error::Category::Kraken,
     u"The order to edit was not found (filled or cancelled already?)."},
    {u"orderForEditNotAStop", Error::Category::Kraken,
     u"Only stop orders take a stop price."},
};

} // namespace

Error Error::fromKrakenFutures(const QString &code, int httpStatus) {
    const QString c = code.isEmpty() ? u"unknownError"_s : code;
    Category category = Category::Kraken;
    QString text;
    for (const FuturesCode &f : futuresCodes) {
        if (c.compare(QStringView(f.code), Qt::CaseInsensitive) == 0) {
            category = f.category;
            text = QString::fromUtf16(f.text);
            break;
        }
    }
    Error e(category, text.isEmpty() ? u"Kraken Futures: "_s + c : text, c);
    e.m_krakenErrors = {c};
    e.m_httpStatus = httpStatus;
    return e;
}

Error &Error::setOutcomeUnknown(bool unknown) {
    m_outcomeUnknown = unknown;
    return *this;
}

Error &Error::setHttpStatus(int status) {
    m_httpStatus = status;
    return *this;
}

Error &Error::redactWith(const std::function<QString(const QString &)> &filter) {
    m_message = filter(m_message);
    m_detail = filter(m_detail);
    for (QString &e : m_krakenErrors)
        e = filter(e);
    return *this;
}

bool Error::isTransient() const {
    switch (m_category) {
    case Category::Network:
    case Category::Timeout:
        return true;
    case Category::Http:
        return m_httpStatus >= 500 || m_httpStatus == 429;
    case Category::Kraken: {
        const QString first = m_krakenErrors.value(0);
        return first.startsWith(u"EService:Unavailable"_s) || first.startsWith(u"EService:Busy"_s) ||
               first == u"Unavailable"_s || first == u"Server Error"_s; // Futures codes
    }
    default:
        return false;
    }
}

QString Error::categoryName(Category c) {
    switch (c) {
    case Category::None:
        return u"ok"_s;
    case Category::Network:
        return u"network error"_s;
    case Category::Timeout:
        return u"timeout"_s;
    case Category::Http:
        return u"HTTP error"_s;
    case Category::Kraken:
        return u"Kraken error"_s;
    case Category::Parse:
        return u"bad response"_s;
    case Category::RateLimited:
        return u"rate limited"_s;
    case Category::Auth:
        return u"authentication error"_s;
    case Category::InvalidInput:
        return u"invalid input"_s;
    }
    return {};
}

QString Error::toString() const {
    QString s = categoryName(m_category) + u": "_s + m_message;
    if (!m_detail.isEmpty() && m_detail != m_message)
        s += u" ("_s + m_detail + u')';
    if (m_outcomeUnknown)
        s += u" [outcome unknown: check open orders before retrying]"_s;
    return s;
}

} // namespace kraken
