#pragma once

// Error: the one error type of the protocol layer. Every failure (socket, timeout, HTTP
// status, Kraken "E..." string, unparsable body, rate limit, authentication) is mapped to a
// category here, once, together with a message a trader can act on. A value type.

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>

namespace kraken {

class Error {
public:
    enum class Category {
        None,         // no error
        Network,      // connection refused, reset, DNS, TLS
        Timeout,      // no complete answer within the bound
        Http,         // HTTP status >= 400 without a Kraken error body
        Kraken,       // Kraken's own error strings (EOrder:, EGeneral:, EService:, EQuery: ...)
        Parse,        // body was not the JSON we expected (HTML page, truncated, empty)
        RateLimited,  // EAPI:Rate limit exceeded, EOrder:Rate limit exceeded, EService:Throttled
        Auth,         // missing/invalid key or signature, nonce, permission, lockout
        InvalidInput, // rejected locally before anything was sent
    };

    Error() = default;
    Error(Category category, QString message, QString detail = {});

    // Maps Kraken's `error` array; the first string decides the category.
    static Error fromKraken(const QStringList &errors, int httpStatus = 200);
    static Category categoryOfKrakenString(const QString &error);
    // Maps a Kraken Futures error code ("apiLimitExceeded", "authenticationError",
    // "nonceBelowThreshold", ...) or a rejected order's sendStatus/editStatus/cancelStatus
    // status ("insufficientAvailableFunds", "postWouldExecute", ...); the code is kept in
    // krakenErrors().
    static Error fromKrakenFutures(const QString &code, int httpStatus = 200);

    bool isError() const { return m_category != Category::None; }
    explicit operator bool() const { return isError(); }
    Category category() const { return m_category; }
    QString message() const { return m_message; }
    QString detail() const { return m_detail; }
    QStringList krakenErrors() const { return m_krakenErrors; }
    int httpStatus() const { return m_httpStatus; }

    // Set for order-entry calls that failed after the request may have reached Kraken
    // (timeout, dropped socket, 5xx, EService:Busy): the order may or may not exist and must
    // be reconciled, never re-sent blindly.
    bool outcomeUnknown() const { return m_outcomeUnknown; }
    Error &setOutcomeUnknown(bool unknown);
    Error &setHttpStatus(int status);
    // Passes every text the error carries through `filter` (secret redaction).
    Error &redactWith(const std::function<QString(const QString &)> &filter);

    // Worth retrying (for idempotent calls): network, timeout, 5xx, EService:Unavailable/Busy.
    bool isTransient() const;

    static QString categoryName(Category c);
    // "<category>: <message>" plus the detail when present; one line, no secrets.
    QString toString() const;

private:
    Category m_category = Category::None;
    QString m_message;
    QString m_detail;
    QStringList m_krakenErrors;
    int m_httpStatus = 0;
    bool m_outcomeUnknown = false;
};

} // namespace kraken

Q_DECLARE_METATYPE(kraken::Error)
