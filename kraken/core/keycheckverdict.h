#pragma once

// KeyCheckVerdict: the answer to "do these API keys work?" in a trader's words, for Spot and
// Futures alike. Each venue explains its own Kraken error strings (kraken::spot::keycheck,
// kraken::futures::futureskeycheck); what does not depend on the venue (rate limits, the
// network, a service that is down, keys refused before sending) is explained once here.
// Nothing here ever shows a secret. Value type; any thread.

#include "error.h"

#include <QString>

#include <optional>

namespace kraken {

struct KeyCheckVerdict {
    enum class Kind {
        Ok,
        NoKeys,            // nothing to test, or the secret is not base64 (refused locally)
        BadKey,            // Spot: EAPI:Invalid key
        BadSecret,         // Spot: EAPI:Invalid signature
        BadKeyOrSecret,    // Futures: authenticationError does not say which
        MissingPermission, // EGeneral:Permission denied
        Nonce,             // EAPI:Invalid nonce, nonceBelowThreshold, nonceDuplicate
        RateLimited,       // EAPI:Rate limit exceeded, apiLimitExceeded and friends
        Lockout,           // EGeneral:Temporary lockout
        AccountInactive,   // Futures: accountInactive
        Network,           // unreachable, refused, TLS, timeout
        ServiceDown,       // EService:Unavailable / Busy, HTTP 5xx, an HTML page
        Other,
    };

    Kind kind = Kind::Other;
    bool ok = false;
    QString headline; // one line: "The keys work: Kraken reports 7 assets."
    QString advice;   // what to do next; empty when ok
    QString detail;   // Kraken's raw error strings or the transport error, for support

    static KeyCheckVerdict make(Kind kind, QString headline, QString advice, QString detail = {});

    // headline, then advice and detail on lines of their own.
    QString toString() const;
};

// The verdict for failures every venue shares (rate limit, network, timeout, HTTP, HTML,
// unparseable answers, keys refused locally); nullopt when the venue must explain `error`.
std::optional<KeyCheckVerdict> explainCommonKeyCheckFailure(const Error &error);

// Kraken's error strings of `error` joined, or the error's own text when it has none.
QString keyCheckDetail(const Error &error);

} // namespace kraken
