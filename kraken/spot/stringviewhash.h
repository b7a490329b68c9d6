#pragma once

// A transparent hash so that maps keyed by std::string can be searched with the
// std::string_view a parsed frame hands out, without allocating a key per lookup.

#include <functional>
#include <string_view>

namespace kraken::spot {

struct StringViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

} // namespace kraken::spot
