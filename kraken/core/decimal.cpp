#include "decimal.h"

#include <algorithm>
#include <array>
#include <limits>

namespace kraken {
namespace {

// GCC/Clang 128-bit integers give exact intermediates for rescaling and multiplication;
// __extension__ keeps -Wpedantic quiet about the non-standard type.
__extension__ using Int128 = __int128;

constexpr std::array<std::int64_t, 19> Pow10 = [] {
    std::array<std::int64_t, 19> p{};
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i)
        p[i] = p[i - 1] * 10;
    return p;
}();

bool fits(Int128 v) {
    return v >= std::numeric_limits<std::int64_t>::min() &&
           v <= std::numeric_limits<std::int64_t>::max();
}

Int128 pow10Wide(int n) {
    Int128 r = 1;
    for (int i = 0; i < n; ++i)
        r *= 10;
    return r;
}

// value / divisor rounded with `mode` (divisor != 0, either sign). Down is toward zero,
// Up away from zero; the halves compare the remainder's magnitude with half the divisor's.
Int128 quotientRounded(Int128 value, Int128 divisor, Rounding mode) {
    Int128 q = value / divisor;
    const Int128 r = value % divisor; // same sign as value
    if (r == 0)
        return q;
    const int sign = (value < 0) != (divisor < 0) ? -1 : 1;
    const Int128 absR = r < 0 ? -r : r;
    // |r| against |divisor| - |r| rather than 2|r| against |divisor|: the same test, and
    // it cannot overflow even for a divisor of 10^38.
    const Int128 rest = (divisor < 0 ? -divisor : divisor) - absR;
    bool awayFromZero = false;
    switch (mode) {
    case Rounding::Down:
        awayFromZero = false;
        break;
    case Rounding::Up:
        awayFromZero = true;
        break;
    case Rounding::HalfUp:
        awayFromZero = absR >= rest;
        break;
    case Rounding::HalfEven:
        awayFromZero = absR > rest || (absR == rest && (q % 2 != 0));
        break;
    }
    if (awayFromZero)
        q += sign;
    return q;
}

// Divides value by 10^digits with the given rounding. digits may exceed 18.
Int128 divRound(Int128 value, int digits, Rounding mode) {
    if (digits <= 0)
        return value;
    if (digits > 38) // |value| < 10^38: the quotient is zero, only the rounding step remains
        return mode == Rounding::Up && value != 0 ? (value < 0 ? -1 : 1) : 0;
    return quotientRounded(value, pow10Wide(digits), mode);
}

} // namespace

std::optional<Decimal> Decimal::fromParts(std::int64_t mantissa, int scale) {
    if (scale < 0 || scale > MaxScale)
        return std::nullopt;
    return Decimal(mantissa, scale);
}

std::optional<Decimal> Decimal::fromString(std::string_view text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    bool negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) {
        negative = text[i] == '-';
        ++i;
    }
    Int128 mantissa = 0;
    int digits = 0;   // significant digits accumulated (after leading zeros)
    int fraction = 0; // digits after the point
    bool any = false;
    auto take = [&](char c, bool isFraction) -> bool {
        const int d = c - '0';
        any = true;
        if (mantissa == 0 && d == 0) {
            if (isFraction)
                ++fraction;
            return true;
        }
        if (digits >= 37) {
            // A fractional zero past 37 digits adds no value: drop it. If a non-zero digit
            // follows, that digit is refused here, so nothing is lost silently.
            return isFraction && d == 0;
        }
        mantissa = mantissa * 10 + d;
        ++digits;
        if (isFraction)
            ++fraction;
        return true;
    };
    std::size_t intStart = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
        if (!take(text[i], false))
            return std::nullopt;
        ++i;
    }
    if (i == intStart)
        return std::nullopt; // ".5", "-", "" and "abc" are not numbers
    if (i < n && text[i] == '.') {
        ++i;
        const std::size_t fracStart = i;
        while (i < n && text[i] >= '0' && text[i] <= '9') {
            if (!take(text[i], true))
                return std::nullopt;
            ++i;
        }
        if (i == fracStart)
            return std::nullopt; // "1." is not a number
    }
    long exponent = 0;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < n && (text[i] == '-' || text[i] == '+')) {
            expNegative = text[i] == '-';
            ++i;
        }
        const std::size_t expStart = i;
        while (i < n && text[i] >= '0' && text[i] <= '9') {
            exponent = exponent * 10 + (text[i] - '0');
            if (exponent > 1000)
                return std::nullopt;
            ++i;
        }
        if (i == expStart)
            return std::nullopt;
        if (expNegative)
            exponent = -exponent;
    }
    if (i != n || !any)
        return std::nullopt;

    long scale = fraction - exponent;
    if (scale < 0) {
        // The integer value has digits - scale digits: more than 19 is beyond int64, and
        // must be refused before the multiplication, which could otherwise overflow (and
        // wrap) even 128 bits ("698505456854982433076923833e38" wrapped to 2^38).
        if (mantissa != 0 && digits - scale > 19)
            return std::nullopt;
        if (mantissa != 0)
            mantissa *= pow10Wide(static_cast<int>(-scale));
        scale = 0;
    }
    // Only trailing zeros may be dropped to fit 18 places; anything else would lose value.
    while (scale > MaxScale && mantissa % 10 == 0) {
        mantissa /= 10;
        --scale;
    }
    if (scale > MaxScale) {
        if (mantissa != 0)
            return std::nullopt;
        scale = MaxScale;
    }
    if (negative)
        mantissa = -mantissa;
    if (!fits(mantissa))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(mantissa), static_cast<int>(scale));
}

std::optional<Decimal> Decimal::fromString(QStringView text) {
    // Numbers are ASCII; anything else is rejected by the byte parser.
    const QByteArray latin = text.toLatin1();
    return fromString(std::string_view(latin.constData(), std::size_t(latin.size())));
}

std::optional<Decimal> Decimal::rescaled(int scale, Rounding mode) const {
    if (scale < 0 || scale > MaxScale)
        return std::nullopt;
    Int128 v = m_mantissa;
    if (scale >= m_scale)
        v *= Pow10[std::size_t(scale - m_scale)];
    else
        v = divRound(v, m_scale - scale, mode);
    if (!fits(v))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(v), scale);
}

Decimal Decimal::normalized() const {
    std::int64_t m = m_mantissa;
    int s = m_scale;
    while (s > 0 && m % 10 == 0) {
        m /= 10;
        --s;
    }
    return Decimal(m == 0 ? 0 : m, m == 0 ? 0 : s);
}

std::optional<Decimal> Decimal::plus(const Decimal &other) const {
    const int s = std::max(m_scale, other.m_scale);
    const Int128 a = Int128(m_mantissa) * Pow10[std::size_t(s - m_scale)];
    const Int128 b = Int128(other.m_mantissa) * Pow10[std::size_t(s - other.m_scale)];
    const Int128 sum = a + b;
    if (!fits(sum))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(sum), s);
}

std::optional<Decimal> Decimal::minus(const Decimal &other) const {
    // Not plus(other.negated()): negating INT64_MIN overflows before the wide arithmetic.
    const int s = std::max(m_scale, other.m_scale);
    const Int128 a = Int128(m_mantissa) * Pow10[std::size_t(s - m_scale)];
    const Int128 b = Int128(other.m_mantissa) * Pow10[std::size_t(s - other.m_scale)];
    const Int128 difference = a - b;
    if (!fits(difference))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(difference), s);
}

std::optional<Decimal> Decimal::times(const Decimal &other, int scale, Rounding mode) const {
    if (scale < 0 || scale > MaxScale)
        return std::nullopt;
    // |a*b| < 2^126, exact in 128 bits; the product has m_scale + other.m_scale places.
    Int128 product = Int128(m_mantissa) * Int128(other.m_mantissa);
    const int productScale = m_scale + other.m_scale;
    if (scale >= productScale) {
        for (int i = productScale; i < scale; ++i) {
            if (product > Int128(std::numeric_limits<std::int64_t>::max()) * 10 ||
                product < Int128(std::numeric_limits<std::int64_t>::min()) * 10)
                return std::nullopt;
            product *= 10;
        }
    } else {
        product = divRound(product, productScale - scale, mode);
    }
    if (!fits(product))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(product), scale);
}

std::optional<Decimal> Decimal::dividedBy(const Decimal &divisor, int scale, Rounding mode) const {
    if (scale < 0 || scale > MaxScale || divisor.m_mantissa == 0)
        return std::nullopt;
    // (m1 / 10^s1) / (m2 / 10^s2) at `scale` places is m1 * 10^(scale + s2 - s1) / m2: the
    // power goes on whichever side keeps it non-negative, so the division is the only
    // rounding step.
    Int128 numerator = m_mantissa;
    Int128 denominator = divisor.m_mantissa;
    const int shift = scale + divisor.m_scale - m_scale; // -18..36
    if (shift >= 0) {
        // 2^63 * 10^36 does not fit 128 bits. Once |numerator| passes 10^37 one more factor
        // of ten makes it above 10^38, and divided by |m2| < 9.3e18 that is above 1.07e19:
        // beyond int64 whatever the divisor, so stopping there loses nothing. Up to 10^37,
        // times ten stays below 10^38 < 2^127.
        const Int128 Limit = pow10Wide(37);
        for (int i = 0; i < shift; ++i) {
            if (numerator > Limit || numerator < -Limit)
                return std::nullopt;
            numerator *= 10;
        }
    } else {
        denominator *= Pow10[std::size_t(-shift)]; // |m2| * 10^18 < 9.3e36: exact
    }
    const Int128 q = quotientRounded(numerator, denominator, mode);
    if (!fits(q))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(q), scale);
}

bool Decimal::isMultipleOf(const Decimal &increment) const {
    if (increment.m_mantissa == 0)
        return false;
    const int s = std::max(m_scale, increment.m_scale);
    const Int128 a = Int128(m_mantissa) * Pow10[std::size_t(s - m_scale)];
    const Int128 b = Int128(increment.m_mantissa) * Pow10[std::size_t(s - increment.m_scale)];
    return a % b == 0;
}

int Decimal::compare(const Decimal &other) const {
    const int s = std::max(m_scale, other.m_scale);
    const Int128 a = Int128(m_mantissa) * Pow10[std::size_t(s - m_scale)];
    const Int128 b = Int128(other.m_mantissa) * Pow10[std::size_t(s - other.m_scale)];
    return (a > b) - (a < b);
}

std::string Decimal::toStdString() const {
    // Work on the unsigned magnitude so INT64_MIN formats correctly.
    const bool negative = m_mantissa < 0;
    std::uint64_t magnitude =
        negative ? std::uint64_t(0) - std::uint64_t(m_mantissa) : std::uint64_t(m_mantissa);
    std::string digits = std::to_string(magnitude);
    if (m_scale > 0) {
        if (digits.size() <= std::size_t(m_scale))
            digits.insert(0, std::size_t(m_scale) + 1 - digits.size(), '0');
        digits.insert(digits.size() - std::size_t(m_scale), 1, '.');
    }
    if (negative)
        digits.insert(0, 1, '-');
    return digits;
}

QString Decimal::toString(int precision, Rounding mode) const {
    const auto r = rescaled(std::clamp(precision, 0, MaxScale), mode);
    // A value too large to pad to `precision` places is still shown exactly.
    return r ? r->toString() : toString();
}

} // namespace kraken
