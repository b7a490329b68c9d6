#pragma once

// Key check: "do these API keys work?", answered in a trader's words. Runs the cheapest
// private call, Balance, which any key with "Query Funds" permission may make, and explains
// Kraken's answer: which of key, secret, permission, nonce, rate limit, lockout or network is
// at fault and what to do. explainKeyCheck is pure; runKeyCheck drives a RestClient.
// Nothing here ever shows the secret.

#include "kraken/core/keycheckverdict.h"
#include "kraken/core/result.h"
#include "resttypes.h"

#include <QString>

#include <functional>

class QObject;

namespace kraken::spot {

class RestClient;

using KeyCheckVerdict = kraken::KeyCheckVerdict;

KeyCheckVerdict explainKeyCheck(const Result<Balances> &result);

// Calls Balance with the client's credentials and hands the verdict to `done` on context's
// thread (not at all if context is destroyed first).
void runKeyCheck(RestClient *client, const QObject *context,
                 std::function<void(const KeyCheckVerdict &)> done);

} // namespace kraken::spot
