#pragma once

// PreparedRequest and the form encoding now live in kraken/core (the Futures client signs and
// sends the same way); these names keep the Spot client's spelling.

#include "kraken/core/preparedrequest.h"

namespace kraken::spot {
using kraken::BodyFormat;
using kraken::encodeForm;
using kraken::Params;
using kraken::PreparedRequest;
} // namespace kraken::spot
