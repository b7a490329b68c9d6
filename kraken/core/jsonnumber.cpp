#include "jsonnumber.h"

namespace kraken {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

// raw_json_token() hands over whatever sits between two structural characters, unchecked, and
// Decimal::fromString() accepts spellings JSON forbids ("+1", "01"), so the grammar is checked
// here before the text is trusted as a number.
bool isJsonNumber(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto digits = [&] {
        const std::size_t start = i;
        while (i < n && isDigit(s[i]))
            ++i;
        return i > start;
    };
    if (i < n && s[i] == '-')
        ++i;
    if (i < n && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < n && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == n;
}

// The common case in one pass: a valid JSON number without exponent and with at most 18
// digits, which Decimal holds exactly with the same scale fromString() would give. Returns
// false for anything else, which then takes the general (validating) path.
bool plainDecimal(std::string_view s, Decimal &out) {
    const char *p = s.data();
    const char *const end = p + s.size();
    const bool negative = p < end && *p == '-';
    if (negative)
        ++p;
    if (p == end || !isDigit(*p) || (*p == '0' && p + 1 < end && isDigit(p[1])))
        return false;
    std::uint64_t mantissa = 0; // may wrap past 18 digits; such input is refused below
    int digits = 0;
    int scale = 0;
    for (; p < end && isDigit(*p); ++p, ++digits)
        mantissa = mantissa * 10 + std::uint64_t(*p - '0');
    if (p < end && *p == '.') {
        const char *const fraction = ++p;
        for (; p < end && isDigit(*p); ++p, ++digits)
            mantissa = mantissa * 10 + std::uint64_t(*p - '0');
        scale = int(p - fraction);
        if (scale == 0)
            return false;
    }
    if (p != end || digits > 18)
        return false;
    const auto m = static_cast<std::int64_t>(mantissa);
    const std::optional<Decimal> d = Decimal::fromParts(negative ? -m : m, scale);
    if (!d)
        return false;
    out = *d;
    return true;
}

std::optional<Decimal> decimalFromJsonNumber(std::string_view s) {
    Decimal out;
    if (plainDecimal(s, out))
        return out;
    if (!isJsonNumber(s))
        return std::nullopt;
    return Decimal::fromString(s);
}

} // namespace kraken
