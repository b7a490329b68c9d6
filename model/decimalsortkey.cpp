#include "decimalsortkey.h"

#include <cstdint>

namespace model {

QString decimalSortKey(const kraken::Decimal &value) {
    // Fixed width: 19 integer digits (the most an int64 mantissa has) and 18 fraction digits
    // (Decimal::MaxScale), behind a sign digit that puts every negative before every
    // non-negative. Negatives take the nines' complement so that larger magnitudes sort first.
    constexpr int IntDigits = 19;
    constexpr int FracDigits = kraken::Decimal::MaxScale;
    const std::int64_t m = value.mantissa();
    // Unsigned magnitude: -INT64_MIN does not fit an int64.
    const std::uint64_t magnitude = m < 0 ? std::uint64_t(0) - std::uint64_t(m) : std::uint64_t(m);
    QString digits = QString::number(magnitude);
    const int scale = value.scale();
    if (digits.size() <= scale)
        digits = QString(scale + 1 - digits.size(), u'0') + digits;
    const QString intPart = digits.left(digits.size() - scale);
    const QString fracPart = digits.right(scale);

    QString key;
    key.reserve(1 + IntDigits + FracDigits);
    key += m < 0 ? u'0' : u'1';
    key += QString(IntDigits - intPart.size(), u'0');
    key += intPart;
    key += fracPart;
    key += QString(FracDigits - fracPart.size(), u'0');
    if (m < 0) {
        for (qsizetype i = 1; i < key.size(); ++i)
            key[i] = QChar(u'9' - (key[i].unicode() - u'0'));
    }
    return key;
}

} // namespace model
