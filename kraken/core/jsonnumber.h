#pragma once

// JSON number text -> Decimal, exactly, for the simdjson parsers (Spot WS v2 channels, Futures
// REST and WS, which all send prices as JSON numbers): the number's own token text
// (raw_json_token()) is checked against JSON's grammar and converted without ever passing
// through double. Pure functions, any thread.

#include "decimal.h"

#include <optional>
#include <string_view>

namespace kraken {

// True when `s` is exactly one JSON number (no surrounding space).
bool isJsonNumber(std::string_view s);
// The common case in one pass (no exponent, at most 18 digits); false for anything else, which
// then takes the general path (decimalFromJsonNumber).
bool plainDecimal(std::string_view s, Decimal &out);
// Any JSON number Decimal can hold exactly; nullopt when the text is not a JSON number or does
// not fit (more than 18 decimals, beyond the 64-bit mantissa).
std::optional<Decimal> decimalFromJsonNumber(std::string_view s);

} // namespace kraken
