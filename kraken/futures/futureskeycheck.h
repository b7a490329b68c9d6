#pragma once

// Futures key check: "do these Futures API keys work?", answered in a trader's words. Calls
// /accounts, which any Futures key with General API "Read Only" or "Full Access" may call, and
// explains the answer. Kraken Futures answers `authenticationError` for an unknown key and for
// a wrong secret alike, so the verdict names both. explainFuturesKeyCheck is pure;
// runFuturesKeyCheck drives a FuturesRestClient. Nothing here ever shows the secret.

#include "futuresresttypes.h"
#include "kraken/core/keycheckverdict.h"
#include "kraken/core/result.h"

#include <functional>

class QObject;

namespace kraken::futures {

class FuturesRestClient;

KeyCheckVerdict explainFuturesKeyCheck(const Result<FuturesAccounts> &result);

// Calls /accounts with the client's credentials and hands the verdict to `done` on context's
// thread (not at all if context is destroyed first).
void runFuturesKeyCheck(FuturesRestClient *client, const QObject *context,
                        std::function<void(const KeyCheckVerdict &)> done);

} // namespace kraken::futures
