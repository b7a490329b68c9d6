#pragma once

// The exact JSON-number -> Decimal conversion now lives in kraken/core (the Futures parsers
// share it); these names keep the Spot parsers' spelling.

#include "kraken/core/jsonnumber.h"

namespace kraken::spot::ws {
using kraken::decimalFromJsonNumber;
using kraken::isJsonNumber;
using kraken::plainDecimal;
} // namespace kraken::spot::ws
