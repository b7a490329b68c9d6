#pragma once

// Wire text as the WS v2 parsers (public and authenticated) handle it before and around
// simdjson: JSON whitespace, a token trimmed of what simdjson leaves behind it, and a bounded,
// printable excerpt of the bytes for an error message. Pure functions, any thread.

#include <QString>

#include <cstddef>
#include <string_view>

namespace kraken::spot::ws {

// JSON's four whitespace characters (RFC 8259), nothing else.
inline bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// raw_json_token() keeps the whitespace after a scalar; the number grammar check must not see it.
inline std::string_view trimRight(std::string_view s) {
    while (!s.empty() && isJsonSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// Wire text quoted in an error message: at most `max` bytes (then "..."), and printable
// whatever the bytes were (anything outside printable ASCII becomes '?').
QString excerpt(std::string_view text, std::size_t max = 40);

} // namespace kraken::spot::ws
