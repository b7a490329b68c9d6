#pragma once

// The public half of the paper exchange's Spot REST API: Time, SystemStatus, Assets,
// AssetPairs, Ticker, Depth, OHLC, Trades and Spread, answered from the config and the
// markets in Kraken's shapes (numbers as strings at the pair's decimals, result keyed by the
// pair's REST name). Handlers run on the exchange thread, where the markets live.

#include "restapi.h"
#include "simconfig.h"

#include <vector>

namespace kraken::sim {

class MarketSim;

// Registers the public methods on `router`. The markets must outlive the router's use of
// the handlers; `config` is copied.
void registerPublicRest(RestRouter &router, const SimConfig &config,
                        const std::vector<MarketSim *> &markets);

} // namespace kraken::sim
