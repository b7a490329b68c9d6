#pragma once

// Decimal: an exact fixed-point number (64-bit mantissa, 0..18 decimal places) for prices
// and quantities. It is parsed from the wire token's text, never through double, so
// trailing zeros and precision survive ("0.10000000" keeps scale 8), which is what book
// checksums and order prices need. A value type; safe to use from any thread.

#include <QString>

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kraken {

enum class Rounding { Down, Up, HalfUp, HalfEven };

class Decimal {
public:
    static constexpr int MaxScale = 18;

    constexpr Decimal() = default;
    // mantissa * 10^-scale. Scale outside 0..18 is clamped to a valid value by the caller's
    // contract; use fromParts() when the inputs come from outside.
    static std::optional<Decimal> fromParts(std::int64_t mantissa, int scale);
    static Decimal fromInt(std::int64_t value) { return Decimal(value, 0); }

    // Exact parse of "95000.1", "-0.00000001", "1e-8", "1.5E+3". Invalid text, empty text,
    // or a value that does not fit (more than 18 significant fractional digits, or beyond
    // the 64-bit mantissa) gives nullopt, never a silent zero.
    static std::optional<Decimal> fromString(std::string_view text);
    static std::optional<Decimal> fromString(QStringView text);

    std::int64_t mantissa() const { return m_mantissa; }
    int scale() const { return m_scale; }
    bool isZero() const { return m_mantissa == 0; }
    bool isNegative() const { return m_mantissa < 0; }
    int signum() const { return (m_mantissa > 0) - (m_mantissa < 0); }

    // Same value at another scale. Going down rounds with `mode`; nullopt if the result
    // does not fit the mantissa.
    std::optional<Decimal> rescaled(int scale, Rounding mode = Rounding::HalfEven) const;
    // Smallest scale that represents the value exactly (strips trailing zeros).
    Decimal normalized() const;

    // Exact arithmetic. nullopt only on 64-bit overflow at the common scale.
    std::optional<Decimal> plus(const Decimal &other) const;
    std::optional<Decimal> minus(const Decimal &other) const;
    // Product rounded to `scale` places (e.g. notional = price * qty at cost_decimals).
    std::optional<Decimal> times(const Decimal &other, int scale,
                                 Rounding mode = Rounding::HalfEven) const;
    // Quotient rounded to `scale` places (e.g. vwap = notional / volume at the price's
    // places), computed exactly in 128 bits and rounded once, so no intermediate rounding
    // leaks into the result. nullopt on a zero divisor, `scale` outside 0..18, or a quotient
    // beyond the 64-bit mantissa.
    std::optional<Decimal> dividedBy(const Decimal &divisor, int scale,
                                     Rounding mode = Rounding::HalfEven) const;
    Decimal negated() const { return Decimal(-m_mantissa, m_scale); }
    Decimal abs() const { return m_mantissa < 0 ? negated() : *this; }

    // True when the value is an integer multiple of `increment` (tick size, lot step).
    bool isMultipleOf(const Decimal &increment) const;

    // Value-based: 1.50 == 1.5. Use identical() to also compare scale.
    friend bool operator==(const Decimal &a, const Decimal &b) { return a.compare(b) == 0; }
    friend std::strong_ordering operator<=>(const Decimal &a, const Decimal &b) {
        return a.compare(b) <=> 0;
    }
    bool identical(const Decimal &other) const {
        return m_mantissa == other.m_mantissa && m_scale == other.m_scale;
    }

    // Text at the value's own scale: "0.10000000", "-3", "45281.0".
    std::string toStdString() const;
    QString toString() const { return QString::fromStdString(toStdString()); }
    // Text at `precision` places (rounded with `mode`, zero-padded): the instrument's format.
    QString toString(int precision, Rounding mode = Rounding::HalfEven) const;

private:
    constexpr Decimal(std::int64_t mantissa, int scale)
        : m_mantissa(mantissa)
        , m_scale(scale) {}
    int compare(const Decimal &other) const;

    std::int64_t m_mantissa = 0;
    int m_scale = 0;
};

} // namespace kraken
