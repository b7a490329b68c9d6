#pragma once

// The WebSocket setup now lives in kraken/core (the Futures client shares it); these names keep
// the Spot clients' spelling.

#include "kraken/core/wssocket.h"

namespace kraken::spot {
using kraken::createWsSocket;
using kraken::WsSocketHandlers;
} // namespace kraken::spot
