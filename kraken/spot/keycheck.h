#pragma once

// Key check: "do these API keys work?", answered in a trader's words. Runs the cheapest
// private call, Balance, which any key with "Query Funds" permission may make, and explains
// Kraken's answer: which of key, secret, permission, nonce, rate limit, lockout or network is
// at fault and what to do. explainKeyCheck is pure; runKeyCheck drives a RestClient.
// Nothing here ever shows the secret.

#include "kraken/core/result.h"
#include "resttypes.h"

#include <QString>

#include <functional>

class QObject;

namespace kraken::spot {

class RestClient;

struct KeyCheckVerdict {
    enum class Kind {
        Ok,
        NoKeys,            // nothing to test, or the secret is not base64 (refused locally)
        BadKey,            // EAPI:Invalid key
        BadSecret,         // EAPI:Invalid signature
        MissingPermission, // EGeneral:Permission denied
        Nonce,             // EAPI:Invalid nonce
        RateLimited,       // EAPI:Rate limit exceeded and friends
        Lockout,           // EGeneral:Temporary lockout
        Network,           // unreachable, refused, TLS, timeout
        ServiceDown,       // EService:Unavailable / Busy, HTTP 5xx, an HTML page
        Other,
    };

    Kind kind = Kind::Other;
    bool ok = false;
    QString headline; // one line: "The keys work: Kraken reports 7 assets."
    QString advice;   // what to do next; empty when ok
    QString detail;   // Kraken's raw error strings or the transport error, for support

    // headline, then advice and detail on lines of their own.
    QString toString() const;
};

KeyCheckVerdict explainKeyCheck(const Result<Balances> &result);

// Calls Balance with the client's credentials and hands the verdict to `done` on context's
// thread (not at all if context is destroyed first).
void runKeyCheck(RestClient *client, const QObject *context,
                 std::function<void(const KeyCheckVerdict &)> done);

} // namespace kraken::spot
