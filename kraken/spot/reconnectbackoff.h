#pragma once

// The reconnect backoff now lives in kraken/core (the Futures client shares it); this name keeps
// the Spot clients' spelling.

#include "kraken/core/reconnectbackoff.h"

namespace kraken::spot {
using kraken::reconnectDelayMs;
} // namespace kraken::spot
