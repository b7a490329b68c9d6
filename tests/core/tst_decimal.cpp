// Decimal: exact parsing, formatting, comparison and arithmetic of prices and quantities.
// Every expected value here is written out by hand from decimal arithmetic, never taken
// from Decimal itself.

#include "kraken/core/decimal.h"
#include "testsupport.h"

#include <QTest>

#include <cstdint>
#include <limits>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::Rounding;
using testsupport::dec;

namespace {

constexpr std::int64_t Int64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t Int64Min = std::numeric_limits<std::int64_t>::min();

std::string_view view(const QByteArray &b) {
    return std::string_view(b.constData(), std::size_t(b.size()));
}

Decimal parts(std::int64_t mantissa, int scale) {
    const auto d = Decimal::fromParts(mantissa, scale);
    if (!d)
        QTest::qFail("fromParts rejected a valid test value", __FILE__, __LINE__);
    return d.value_or(Decimal());
}

} // namespace

class TestDecimal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseExact_data();
    void parseExact();
    void parseExponent_data();
    void parseExponent();
    void parseQStringView();
    void rejects_data();
    void rejects();
    void trailingZerosBeyondMaxScale_data();
    void trailingZerosBeyondMaxScale();
    void fromPartsRange();
    void int64Extremes();
    void comparison();
    void plusMinus_data();
    void plusMinus();
    void plusMinusOverflow();
    void times_data();
    void times();
    void timesOutOfRange();
    void rescaled_data();
    void rescaled();
    void toStringPrecision_data();
    void toStringPrecision();
    void isMultipleOf_data();
    void isMultipleOf();
    void normalized_data();
    void normalized();
    void dividedBy_data();
    void dividedBy();
    void dividedByRejects_data();
    void dividedByRejects();
};

// Plain decimal text keeps exactly the digits written: mantissa and scale are fixed by the
// text, and toString() gives the canonical text back (what book checksums depend on).
void TestDecimal::parseExact_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("scale");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("price") << "95000.1"_ba << qint64(950001) << 1 << u"95000.1"_s;
    QTest::newRow("one satoshi") << "0.00000001"_ba << qint64(1) << 8 << u"0.00000001"_s;
    QTest::newRow("trailing zeros kept")
        << "0.10000000"_ba << qint64(10000000) << 8 << u"0.10000000"_s;
    QTest::newRow("price .0 kept") << "45281.0"_ba << qint64(452810) << 1 << u"45281.0"_s;
    QTest::newRow("negative fraction") << "-0.5"_ba << qint64(-5) << 1 << u"-0.5"_s;
    QTest::newRow("explicit plus") << "+2"_ba << qint64(2) << 0 << u"2"_s;
    QTest::newRow("zero") << "0"_ba << qint64(0) << 0 << u"0"_s;
    QTest::newRow("zero with places") << "0.000"_ba << qint64(0) << 3 << u"0.000"_s;
    QTest::newRow("leading zeros") << "007.50"_ba << qint64(750) << 2 << u"7.50"_s;
    QTest::newRow("18 places") << "0.000000000000000001"_ba << qint64(1) << 18
                               << u"0.000000000000000001"_s;
    QTest::newRow("int64 max") << "9223372036854775807"_ba << qint64(Int64Max) << 0
                               << u"9223372036854775807"_s;
    QTest::newRow("int64 min") << "-9223372036854775808"_ba << qint64(Int64Min) << 0
                               << u"-9223372036854775808"_s;
    QTest::newRow("int64 min at 18 places")
        << "-9.223372036854775808"_ba << qint64(Int64Min) << 18 << u"-9.223372036854775808"_s;
}

void TestDecimal::parseExact() {
    QFETCH(QByteArray, text);
    QFETCH(qint64, mantissa);
    QFETCH(int, scale);
    QFETCH(QString, canonical);

    const auto d = Decimal::fromString(view(text));
    QVERIFY2(d.has_value(), text.constData());
    QCOMPARE(d->mantissa(), mantissa);
    QCOMPARE(d->scale(), scale);
    QCOMPARE(d->toString(), canonical);
    QCOMPARE(QString::fromStdString(d->toStdString()), canonical);
}

// Exponent forms (JSON numbers may arrive as 1e-8) are compared by value: how many trailing
// zeros such a form keeps is not part of the contract.
void TestDecimal::parseExponent_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("scale");

    QTest::newRow("1e-8") << "1e-8"_ba << qint64(1) << 8;
    QTest::newRow("1.5E+3") << "1.5E+3"_ba << qint64(1500) << 0;
    QTest::newRow("1E2") << "1E2"_ba << qint64(100) << 0;
    QTest::newRow("2.5e-1") << "2.5e-1"_ba << qint64(25) << 2;
    QTest::newRow("-4.2e1") << "-4.2e1"_ba << qint64(-42) << 0;
    QTest::newRow("0e5") << "0e5"_ba << qint64(0) << 0;
    QTest::newRow("exponent zero") << "12.34e0"_ba << qint64(1234) << 2;
    QTest::newRow("int64 max via exponent")
        << "9.223372036854775807e18"_ba << qint64(Int64Max) << 0;
}

void TestDecimal::parseExponent() {
    QFETCH(QByteArray, text);
    QFETCH(qint64, mantissa);
    QFETCH(int, scale);

    const auto d = Decimal::fromString(view(text));
    QVERIFY2(d.has_value(), text.constData());
    QCOMPARE(*d, parts(mantissa, scale));
}

void TestDecimal::parseQStringView() {
    // The QStringView overload must agree with the byte parser...
    const auto d = Decimal::fromString(QStringView(u"95000.1"));
    QVERIFY(d.has_value());
    QVERIFY(d->identical(parts(950001, 1)));
    // ...and must not let non-ASCII text through by way of the Latin-1 conversion.
    QVERIFY(!Decimal::fromString(QStringView(u"\uFF11")).has_value());   // full-width digit one
    QVERIFY(!Decimal::fromString(QStringView(u"1\u00B75")).has_value()); // middle dot
    QVERIFY(!Decimal::fromString(QStringView(u"1\u0663")).has_value());  // Arabic-Indic three
    QVERIFY(!Decimal::fromString(QStringView()).has_value());
}

void TestDecimal::rejects_data() {
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("empty") << ""_ba;
    QTest::newRow("minus only") << "-"_ba;
    QTest::newRow("plus only") << "+"_ba;
    QTest::newRow("no integer part") << ".5"_ba;
    QTest::newRow("no fraction digits") << "1."_ba;
    QTest::newRow("letters") << "abc"_ba;
    QTest::newRow("two points") << "1.2.3"_ba;
    QTest::newRow("bare exponent") << "1e"_ba;
    QTest::newRow("exponent sign only") << "1e+"_ba;
    QTest::newRow("exponent without mantissa") << "e5"_ba;
    QTest::newRow("leading space") << " 1"_ba;
    QTest::newRow("trailing space") << "1 "_ba;
    QTest::newRow("hex") << "0x10"_ba;
    QTest::newRow("NaN") << "NaN"_ba;
    QTest::newRow("nan") << "nan"_ba;
    QTest::newRow("inf") << "inf"_ba;
    QTest::newRow("-inf") << "-inf"_ba;
    QTest::newRow("comma decimal") << "1,5"_ba;
    QTest::newRow("double sign") << "--1"_ba;
    QTest::newRow("mixed signs") << "+-1"_ba;
    QTest::newRow("embedded NUL") << QByteArray("1\0"
                                                "2",
                                                3);
    // More than 18 significant fractional digits cannot be held without losing value.
    QTest::newRow("19 places") << "0.0000000000000000001"_ba;
    QTest::newRow("19 places after 1") << "1.0000000000000000001"_ba;
    QTest::newRow("1e-19") << "1e-19"_ba;
    QTest::newRow("1e-1000") << "1e-1000"_ba;
    // Beyond the 64-bit mantissa.
    QTest::newRow("20 nines") << "99999999999999999999"_ba;
    QTest::newRow("int64 max + 1") << "9223372036854775808"_ba;
    QTest::newRow("int64 min - 1") << "-9223372036854775809"_ba;
    QTest::newRow("mantissa overflow at 18 places") << "9.223372036854775808"_ba;
    QTest::newRow("1e19") << "1e19"_ba;
    QTest::newRow("1e1000") << "1e1000"_ba;
    QTest::newRow("huge exponent") << "1e99999999999999999999"_ba;
    QTest::newRow("40 digits") << "1234567890123456789012345678901234567890"_ba;
    // 698505456854982433076923833 * 10^38 is about 7e64; computed in 128 bits without an
    // overflow check it wraps to exactly 2^38 = 274877906944, a plausible-looking number.
    QTest::newRow("exponent overflow that wraps 128 bits") << "698505456854982433076923833e38"_ba;
    QTest::newRow("exponent overflow, negative") << "-698505456854982433076923833e38"_ba;
}

void TestDecimal::rejects() {
    QFETCH(QByteArray, text);
    const auto d = Decimal::fromString(view(text));
    QVERIFY2(!d.has_value(), qPrintable(u"parsed as "_s + (d ? d->toString() : QString())));
}

// Zeros after the last significant digit add no value, so they are accepted however many
// there are; the result fits in 18 places.
void TestDecimal::trailingZerosBeyondMaxScale_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("scale");

    QTest::newRow("0.1 + 22 zeros") << "0.10000000000000000000000"_ba << qint64(1) << 1;
    QTest::newRow("18 digits + 4 zeros")
        << "0.1234567890123456780000"_ba << qint64(123456789012345678) << 18;
    QTest::newRow("1. + 40 zeros")
        << "1.0000000000000000000000000000000000000000"_ba << qint64(1) << 0;
    QTest::newRow("0. + 60 zeros")
        << "0.000000000000000000000000000000000000000000000000000000000000"_ba << qint64(0) << 0;
}

void TestDecimal::trailingZerosBeyondMaxScale() {
    QFETCH(QByteArray, text);
    QFETCH(qint64, mantissa);
    QFETCH(int, scale);

    const auto d = Decimal::fromString(view(text));
    QVERIFY2(d.has_value(), text.constData());
    QCOMPARE(*d, parts(mantissa, scale));
    QVERIFY(d->scale() <= Decimal::MaxScale);
}

void TestDecimal::fromPartsRange() {
    QVERIFY(Decimal::fromParts(1, 0).has_value());
    QVERIFY(Decimal::fromParts(1, 18).has_value());
    QVERIFY(!Decimal::fromParts(1, 19).has_value());
    QVERIFY(!Decimal::fromParts(1, -1).has_value());
}

void TestDecimal::int64Extremes() {
    QCOMPARE(parts(Int64Max, 0).toString(), u"9223372036854775807"_s);
    QCOMPARE(parts(Int64Min, 0).toString(), u"-9223372036854775808"_s);
    QCOMPARE(parts(Int64Max, 18).toString(), u"9.223372036854775807"_s);
    QCOMPARE(parts(Int64Min, 18).toString(), u"-9.223372036854775808"_s);
    QCOMPARE(parts(Int64Min, 10).toString(), u"-922337203.6854775808"_s);
    QCOMPARE(parts(-5, 18).toString(), u"-0.000000000000000005"_s);
    // The extremes survive a round trip through text.
    QVERIFY(dec("-9.223372036854775808").identical(parts(Int64Min, 18)));
}

void TestDecimal::comparison() {
    // Equality is by value across scales; identical() also compares the scale.
    QCOMPARE(dec("1.50"), dec("1.5"));
    QVERIFY(!dec("1.50").identical(dec("1.5")));
    QVERIFY(dec("1.50").identical(dec("1.50")));
    QVERIFY(dec("0") == dec("0.00000000"));
    QVERIFY(dec("1.5") != dec("1.51"));

    QVERIFY(dec("0.1") < dec("0.11"));
    QVERIFY(dec("0.11") > dec("0.1"));
    QVERIFY(dec("0.09999999") < dec("0.1"));
    QVERIFY(dec("95000.1") > dec("9500.01"));

    // Negative ordering: -0.5 is above -0.6, every negative is below any positive.
    QVERIFY(dec("-0.5") > dec("-0.6"));
    QVERIFY(dec("-2") < dec("-1.5"));
    QVERIFY(dec("-0.00000001") < dec("0"));
    QVERIFY(dec("-1000") < dec("0.00000001"));
    QVERIFY((dec("-0.5") <=> dec("-0.50")) == std::strong_ordering::equal);
    QVERIFY((dec("-0.5") <=> dec("0.5")) == std::strong_ordering::less);

    // Extremes at different scales do not overflow the comparison.
    QVERIFY(parts(Int64Min, 0) < parts(Int64Min, 18));
    QVERIFY(parts(Int64Max, 0) > parts(Int64Max, 18));
    QVERIFY(parts(Int64Max, 18) > parts(Int64Min, 0));
}

void TestDecimal::plusMinus_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<QByteArray>("sum");
    QTest::addColumn<QByteArray>("difference");

    // Results are at the larger of the two scales, so they compare identical to the literal.
    QTest::newRow("mixed scales") << "0.1"_ba
                                  << "0.02"_ba
                                  << "0.12"_ba
                                  << "0.08"_ba;
    QTest::newRow("price and tick") << "95000.1"_ba
                                    << "0.05"_ba
                                    << "95000.15"_ba
                                    << "95000.05"_ba;
    QTest::newRow("cancel to zero") << "-0.5"_ba
                                    << "-0.5"_ba
                                    << "-1.0"_ba
                                    << "0.0"_ba;
    QTest::newRow("sign change") << "0.3"_ba
                                 << "0.70000000"_ba
                                 << "1.00000000"_ba
                                 << "-0.40000000"_ba;
    QTest::newRow("integers") << "7"_ba
                              << "-10"_ba
                              << "-3"_ba
                              << "17"_ba;
    QTest::newRow("satoshi") << "0.00000001"_ba
                             << "0.00000001"_ba
                             << "0.00000002"_ba
                             << "0.00000000"_ba;
    QTest::newRow("not floating point") << "0.1"_ba
                                        << "0.2"_ba
                                        << "0.3"_ba
                                        << "-0.1"_ba;
}

void TestDecimal::plusMinus() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(QByteArray, sum);
    QFETCH(QByteArray, difference);

    const auto s = dec(view(a)).plus(dec(view(b)));
    const auto d = dec(view(a)).minus(dec(view(b)));
    QVERIFY(s.has_value());
    QVERIFY(d.has_value());
    QCOMPARE(s->toString(), QString::fromLatin1(sum));
    QCOMPARE(d->toString(), QString::fromLatin1(difference));
}

void TestDecimal::plusMinusOverflow() {
    const Decimal max = parts(Int64Max, 0);
    const Decimal min = parts(Int64Min, 0);
    const Decimal one = Decimal::fromInt(1);

    QVERIFY(!max.plus(one).has_value());
    QVERIFY(!min.minus(one).has_value());
    QVERIFY(!min.plus(Decimal::fromInt(-1)).has_value());
    // The common scale is 1: INT64_MAX * 10 does not fit even though 0.1 is small.
    QVERIFY(!max.plus(dec("0.1")).has_value());
    // Right at the edge the sums are exact.
    QCOMPARE(max.minus(one)->plus(one)->toString(), u"9223372036854775807"_s);
    QCOMPARE(min.plus(one)->minus(one)->toString(), u"-9223372036854775808"_s);
    QCOMPARE(max.plus(min)->toString(), u"-1"_s);

    // Subtracting INT64_MIN: 0 - (-9223372036854775808) = 9223372036854775808 does not fit,
    // while -1 - (-9223372036854775808) = 9223372036854775807 does. Negating INT64_MIN
    // first (as a naive minus would) gets both wrong.
    QVERIFY(!Decimal::fromInt(0).minus(min).has_value());
    const auto r = Decimal::fromInt(-1).minus(min);
    QVERIFY(r.has_value());
    QCOMPARE(r->toString(), u"9223372036854775807"_s);
    const auto r18 = parts(-1, 18).minus(parts(Int64Min, 18));
    QVERIFY(r18.has_value());
    QCOMPARE(r18->toString(), u"9.223372036854775807"_s);
}

void TestDecimal::times_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("scale");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");

    const int even = int(Rounding::HalfEven);
    const int halfUp = int(Rounding::HalfUp);
    const int down = int(Rounding::Down);
    const int up = int(Rounding::Up);

    // Notional = price * qty at the quote currency's cost places.
    QTest::newRow("price*qty exact") << "37500"_ba
                                     << "1.25"_ba << 2 << even << u"46875.00"_s;
    QTest::newRow("price*qty at 5 places") << "45285.2"_ba
                                           << "0.00100000"_ba << 5 << even << u"45.28520"_s;
    QTest::newRow("price*qty rounded")
        << "45286.4"_ba
        << "1.54571953"_ba << 2 << even << u"70000.07"_s; // 70000.0729...
    // A tie at the rounding digit: HalfEven goes to the even neighbour, HalfUp away from 0.
    QTest::newRow("tie even down HalfEven") << "0.125"_ba
                                            << "1"_ba << 2 << even << u"0.12"_s;
    QTest::newRow("tie even down HalfUp") << "0.125"_ba
                                          << "1"_ba << 2 << halfUp << u"0.13"_s;
    QTest::newRow("tie odd HalfEven") << "0.135"_ba
                                      << "1"_ba << 2 << even << u"0.14"_s;
    QTest::newRow("tie odd HalfUp") << "0.135"_ba
                                    << "1"_ba << 2 << halfUp << u"0.14"_s;
    QTest::newRow("2.5 HalfEven") << "0.5"_ba
                                  << "5"_ba << 0 << even << u"2"_s;
    QTest::newRow("2.5 HalfUp") << "0.5"_ba
                                << "5"_ba << 0 << halfUp << u"3"_s;
    QTest::newRow("not a tie HalfEven") << "0.1251"_ba
                                        << "1"_ba << 2 << even << u"0.13"_s;
    // Down is toward zero, Up away from zero (BigDecimal semantics), for either sign.
    QTest::newRow("Down") << "0.1234"_ba
                          << "3"_ba << 3 << down << u"0.370"_s; // 0.3702
    QTest::newRow("Up") << "0.1234"_ba
                        << "3"_ba << 3 << up << u"0.371"_s;
    QTest::newRow("Up exact stays") << "0.1234"_ba
                                    << "5"_ba << 3 << up << u"0.617"_s;
    QTest::newRow("negative HalfEven") << "-0.125"_ba
                                       << "1"_ba << 2 << even << u"-0.12"_s;
    QTest::newRow("negative HalfUp") << "-0.125"_ba
                                     << "1"_ba << 2 << halfUp << u"-0.13"_s;
    QTest::newRow("negative Down") << "-0.1234"_ba
                                   << "3"_ba << 3 << down << u"-0.370"_s;
    QTest::newRow("negative Up") << "-0.1234"_ba
                                 << "3"_ba << 3 << up << u"-0.371"_s;
    QTest::newRow("negative times negative") << "-1.5"_ba
                                             << "-2.5"_ba << 2 << even << u"3.75"_s;
    // Widening to more places than the product has pads with zeros.
    QTest::newRow("padded") << "1.5"_ba
                            << "2"_ba << 4 << even << u"3.0000"_s;
    // 1e-8 * 1e-8 = 1e-16 needs 16 places: exact at 18.
    QTest::newRow("tiny") << "0.00000001"_ba
                          << "0.00000001"_ba << 18 << even << u"0.000000000000000100"_s;
    QTest::newRow("tiny rounds to zero") << "0.00000001"_ba
                                         << "0.00000001"_ba << 8 << even << u"0.00000000"_s;
    QTest::newRow("tiny Up") << "0.00000001"_ba
                             << "0.00000001"_ba << 8 << up << u"0.00000001"_s;
    // The 128-bit intermediate keeps large products exact before rounding.
    QTest::newRow("large intermediate") << "92233720.36854775807"_ba
                                        << "100"_ba << 8 << even << u"9223372036.85477581"_s;
}

void TestDecimal::times() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, scale);
    QFETCH(int, mode);
    QFETCH(QString, expected);

    const auto p = dec(view(a)).times(dec(view(b)), scale, Rounding(mode));
    QVERIFY(p.has_value());
    QCOMPARE(p->scale(), scale);
    QCOMPARE(p->toString(), expected);
    // Multiplication commutes, including the rounding.
    const auto q = dec(view(b)).times(dec(view(a)), scale, Rounding(mode));
    QVERIFY(q.has_value());
    QCOMPARE(q->toString(), expected);
}

void TestDecimal::timesOutOfRange() {
    const Decimal max = parts(Int64Max, 0);
    QVERIFY(!max.times(Decimal::fromInt(2), 0).has_value());
    QVERIFY(!parts(Int64Min, 0).times(Decimal::fromInt(-1), 0).has_value());
    // Fits at 0 places, not when padded to 1.
    QVERIFY(max.times(Decimal::fromInt(1), 0).has_value());
    QVERIFY(!max.times(Decimal::fromInt(1), 1).has_value());
    QVERIFY(!dec("1").times(dec("1"), 19).has_value());
    QVERIFY(!dec("1").times(dec("1"), -1).has_value());
}

void TestDecimal::rescaled_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("scale");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");

    const int even = int(Rounding::HalfEven);
    QTest::newRow("pad") << "1.5"_ba << 4 << even << u"1.5000"_s;
    QTest::newRow("pad integer") << "42"_ba << 8 << even << u"42.00000000"_s;
    QTest::newRow("same scale") << "1.25"_ba << 2 << even << u"1.25"_s;
    QTest::newRow("HalfEven tie") << "1.25"_ba << 1 << even << u"1.2"_s;
    QTest::newRow("HalfEven tie odd") << "1.35"_ba << 1 << even << u"1.4"_s;
    QTest::newRow("HalfUp tie") << "1.25"_ba << 1 << int(Rounding::HalfUp) << u"1.3"_s;
    QTest::newRow("Down") << "1.29"_ba << 1 << int(Rounding::Down) << u"1.2"_s;
    QTest::newRow("Up") << "1.21"_ba << 1 << int(Rounding::Up) << u"1.3"_s;
    QTest::newRow("negative Up") << "-1.21"_ba << 1 << int(Rounding::Up) << u"-1.3"_s;
    QTest::newRow("negative Down") << "-1.29"_ba << 1 << int(Rounding::Down) << u"-1.2"_s;
    QTest::newRow("negative HalfEven tie") << "-2.5"_ba << 0 << even << u"-2"_s;
    QTest::newRow("carry into integer") << "0.99"_ba << 0 << int(Rounding::HalfUp) << u"1"_s;
    QTest::newRow("carry 9.995") << "9.995"_ba << 2 << int(Rounding::HalfUp) << u"10.00"_s;
    QTest::newRow("18 to 0") << "0.500000000000000001"_ba << 0 << even << u"1"_s;
}

void TestDecimal::rescaled() {
    QFETCH(QByteArray, value);
    QFETCH(int, scale);
    QFETCH(int, mode);
    QFETCH(QString, expected);

    const auto r = dec(view(value)).rescaled(scale, Rounding(mode));
    QVERIFY(r.has_value());
    QCOMPARE(r->scale(), scale);
    QCOMPARE(r->toString(), expected);
}

void TestDecimal::toStringPrecision_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("precision");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");

    const int even = int(Rounding::HalfEven);
    QTest::newRow("integer price at 1") << "45281"_ba << 1 << even << u"45281.0"_s;
    QTest::newRow("qty at 8") << "0.1"_ba << 8 << even << u"0.10000000"_s;
    QTest::newRow("already at 8") << "1.54571953"_ba << 8 << even << u"1.54571953"_s;
    QTest::newRow("exponent input at 8") << "1e-8"_ba << 8 << even << u"0.00000001"_s;
    QTest::newRow("round at 1 HalfEven") << "45285.25"_ba << 1 << even << u"45285.2"_s;
    QTest::newRow("round at 1 HalfUp")
        << "45285.25"_ba << 1 << int(Rounding::HalfUp) << u"45285.3"_s;
    QTest::newRow("round at 1 Down") << "45285.29"_ba << 1 << int(Rounding::Down) << u"45285.2"_s;
    QTest::newRow("negative") << "-1.005"_ba << 2 << int(Rounding::HalfUp) << u"-1.01"_s;
    QTest::newRow("zero at 8") << "0"_ba << 8 << even << u"0.00000000"_s;
    QTest::newRow("at 0") << "123.4"_ba << 0 << even << u"123"_s;
    // INT64_MAX cannot be padded to 2 places: shown exactly rather than wrong.
    QTest::newRow("too large to pad")
        << "9223372036854775807"_ba << 2 << even << u"9223372036854775807"_s;
}

void TestDecimal::toStringPrecision() {
    QFETCH(QByteArray, value);
    QFETCH(int, precision);
    QFETCH(int, mode);
    QFETCH(QString, expected);

    QCOMPARE(dec(view(value)).toString(precision, Rounding(mode)), expected);
}

void TestDecimal::isMultipleOf_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("increment");
    QTest::addColumn<bool>("expected");

    QTest::newRow("on tick") << "45285.2"_ba
                             << "0.1"_ba << true;
    QTest::newRow("between ticks") << "45285.25"_ba
                                   << "0.1"_ba << false;
    QTest::newRow("trailing zeros on tick") << "45285.20000"_ba
                                            << "0.1"_ba << true;
    QTest::newRow("zero increment") << "45285.2"_ba
                                    << "0"_ba << false;
    QTest::newRow("zero value") << "0"_ba
                                << "0.1"_ba << true;
    QTest::newRow("fine tick") << "0.00005"_ba
                               << "0.00001"_ba << true;
    QTest::newRow("lot step") << "1.54571953"_ba
                              << "0.00000001"_ba << true;
    QTest::newRow("below lot step") << "0.000000001"_ba
                                    << "0.00000001"_ba << false;
    QTest::newRow("half step") << "1.5"_ba
                               << "0.5"_ba << true;
    QTest::newRow("integer step") << "1.5"_ba
                                  << "1"_ba << false;
    QTest::newRow("quarter") << "0.3"_ba
                             << "0.25"_ba << false;
    QTest::newRow("negative value") << "-0.3"_ba
                                    << "0.1"_ba << true;
    QTest::newRow("coarse increment") << "100"_ba
                                      << "25"_ba << true;
    QTest::newRow("coarse increment miss") << "110"_ba
                                           << "25"_ba << false;
}

void TestDecimal::isMultipleOf() {
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, increment);
    QFETCH(bool, expected);

    QCOMPARE(dec(view(value)).isMultipleOf(dec(view(increment))), expected);
}

void TestDecimal::normalized_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("scale");

    QTest::newRow("strip zeros") << "1.5000"_ba << qint64(15) << 1;
    QTest::newRow("to integer") << "2.000"_ba << qint64(2) << 0;
    QTest::newRow("integer keeps its zeros") << "100"_ba << qint64(100) << 0;
    QTest::newRow("zero") << "0.000"_ba << qint64(0) << 0;
    QTest::newRow("negative") << "-2.50"_ba << qint64(-25) << 1;
    QTest::newRow("qty") << "0.10000000"_ba << qint64(1) << 1;
    QTest::newRow("nothing to strip") << "0.00000001"_ba << qint64(1) << 8;
}

void TestDecimal::normalized() {
    QFETCH(QByteArray, value);
    QFETCH(qint64, mantissa);
    QFETCH(int, scale);

    const Decimal original = dec(view(value));
    const Decimal n = original.normalized();
    QCOMPARE(n.mantissa(), mantissa);
    QCOMPARE(n.scale(), scale);
    QCOMPARE(n, original); // same value
}

// Division at a chosen scale with one rounding step (vwap = notional / volume). Every
// expected quotient is the decimal long division written out by hand.
void TestDecimal::dividedBy_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("scale");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");

    const int even = int(Rounding::HalfEven);
    const int halfUp = int(Rounding::HalfUp);
    const int down = int(Rounding::Down);
    const int up = int(Rounding::Up);

    QTest::newRow("exact") << "10"_ba
                           << "4"_ba << 2 << even << u"2.50"_s;
    QTest::newRow("exact vwap") << "90500.00"_ba
                                << "2"_ba << 1 << even << u"45250.0"_s;
    QTest::newRow("zero dividend") << "0"_ba
                                   << "5"_ba << 4 << even << u"0.0000"_s;
    QTest::newRow("1/3 at 8") << "1"_ba
                              << "3"_ba << 8 << even << u"0.33333333"_s;
    QTest::newRow("2/3 at 8") << "2"_ba
                              << "3"_ba << 8 << even << u"0.66666667"_s;
    // 1/7 = 0.142857142857142857|142857...: the 19th digit is 1, so it rounds down.
    QTest::newRow("1/7 at 18") << "1"_ba
                               << "7"_ba << 18 << even << u"0.142857142857142857"_s;
    // 1/8 = 0.125: a tie at 2 places whose kept digit (2) is even.
    QTest::newRow("0.125 HalfEven") << "1"_ba
                                    << "8"_ba << 2 << even << u"0.12"_s;
    QTest::newRow("0.125 HalfUp") << "1"_ba
                                  << "8"_ba << 2 << halfUp << u"0.13"_s;
    QTest::newRow("0.125 Down") << "1"_ba
                                << "8"_ba << 2 << down << u"0.12"_s;
    QTest::newRow("0.125 Up") << "1"_ba
                              << "8"_ba << 2 << up << u"0.13"_s;
    // 27/200 = 0.135: a tie whose kept digit (3) is odd.
    QTest::newRow("0.135 HalfEven") << "27"_ba
                                    << "200"_ba << 2 << even << u"0.14"_s;
    QTest::newRow("0.135 HalfUp") << "27"_ba
                                  << "200"_ba << 2 << halfUp << u"0.14"_s;
    QTest::newRow("0.135 Down") << "27"_ba
                                << "200"_ba << 2 << down << u"0.13"_s;
    QTest::newRow("0.135 Up") << "27"_ba
                              << "200"_ba << 2 << up << u"0.14"_s;
    // Signs: Down is toward zero, Up away from zero, ties by magnitude.
    QTest::newRow("-1/8 HalfEven") << "-1"_ba
                                   << "8"_ba << 2 << even << u"-0.12"_s;
    QTest::newRow("-1/8 HalfUp") << "-1"_ba
                                 << "8"_ba << 2 << halfUp << u"-0.13"_s;
    QTest::newRow("-1/8 Down") << "-1"_ba
                               << "8"_ba << 2 << down << u"-0.12"_s;
    QTest::newRow("-1/8 Up") << "-1"_ba
                             << "8"_ba << 2 << up << u"-0.13"_s;
    QTest::newRow("1/-8 HalfUp") << "1"_ba
                                 << "-8"_ba << 2 << halfUp << u"-0.13"_s;
    QTest::newRow("-1/-8 HalfUp") << "-1"_ba
                                  << "-8"_ba << 2 << halfUp << u"0.13"_s;
    QTest::newRow("-27/200 HalfEven") << "-27"_ba
                                      << "200"_ba << 2 << even << u"-0.14"_s;
    QTest::newRow("-2/3 Down") << "-2"_ba
                               << "3"_ba << 2 << down << u"-0.66"_s;
    QTest::newRow("-2/3 Up") << "-2"_ba
                             << "3"_ba << 2 << up << u"-0.67"_s;
    QTest::newRow("-2/3 HalfEven") << "-2"_ba
                                   << "-3"_ba << 2 << even << u"0.67"_s;
    // A quotient below half a unit: only Up leaves zero.
    QTest::newRow("1/3 at 0 Down") << "1"_ba
                                   << "3"_ba << 0 << down << u"0"_s;
    QTest::newRow("1/3 at 0 Up") << "1"_ba
                                 << "3"_ba << 0 << up << u"1"_s;
    QTest::newRow("-1/3 at 0 Up") << "-1"_ba
                                  << "3"_ba << 0 << up << u"-1"_s;
    // Operands at different scales; the result takes the requested one.
    QTest::newRow("0.001/0.00000001") << "0.001"_ba
                                      << "0.00000001"_ba << 0 << even << u"100000"_s;
    QTest::newRow("123.456/0.1") << "123.456"_ba
                                 << "0.1"_ba << 3 << even << u"1234.560"_s;
    QTest::newRow("1/1e-18 at 0") << "1"_ba
                                  << "0.000000000000000001"_ba << 0 << even
                                  << u"1000000000000000000"_s;
    // Shift of 36 places: 1 * 10^36 / 5 * 10^17 = 2 * 10^18.
    QTest::newRow("shift 36") << "1"_ba
                              << "0.500000000000000000"_ba << 18 << even
                              << u"2.000000000000000000"_s;
    QTest::newRow("int64 max / itself at 18")
        << "9223372036854775807"_ba
        << "9223372036854775807"_ba << 18 << even << u"1.000000000000000000"_s;
    QTest::newRow("int64 max / 1") << "9223372036854775807"_ba
                                   << "1"_ba << 0 << even << u"9223372036854775807"_s;
    QTest::newRow("int64 min / 1") << "-9223372036854775808"_ba
                                   << "1"_ba << 0 << even << u"-9223372036854775808"_s;
    // A divisor smaller than the dividend's last place: 0.00000003 / 7 at 18 places is
    // 0.000000004285714285|714...
    QTest::newRow("small at 18") << "0.00000003"_ba
                                 << "7"_ba << 18 << even << u"0.000000004285714286"_s;
}

void TestDecimal::dividedBy() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, scale);
    QFETCH(int, mode);
    QFETCH(QString, expected);

    const auto q = dec(view(a)).dividedBy(dec(view(b)), scale, Rounding(mode));
    QVERIFY(q.has_value());
    QCOMPARE(q->scale(), scale);
    QCOMPARE(q->toString(), expected);
}

// Division by zero, a scale outside 0..18, or a quotient beyond the mantissa: nullopt.
void TestDecimal::dividedByRejects_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("scale");

    QTest::newRow("zero divisor") << "1"_ba
                                  << "0"_ba << 2;
    QTest::newRow("zero divisor with places") << "0"_ba
                                              << "0.000"_ba << 2;
    QTest::newRow("scale -1") << "1"_ba
                              << "1"_ba << -1;
    QTest::newRow("scale 19") << "1"_ba
                              << "1"_ba << 19;
    QTest::newRow("int64 max / 0.5") << "9223372036854775807"_ba
                                     << "0.5"_ba << 0;
    QTest::newRow("int64 min / -1") << "-9223372036854775808"_ba
                                    << "-1"_ba << 0;
    QTest::newRow("int64 max padded") << "9223372036854775807"_ba
                                      << "1"_ba << 1;
    QTest::newRow("1e18 at 18 places") << "1"_ba
                                       << "0.000000000000000001"_ba << 18;
    // The 36-place shift would pass 128 bits: refused before it is computed.
    QTest::newRow("beyond 128 bits") << "9223372036854775807"_ba
                                     << "0.000000000000000001"_ba << 18;
    QTest::newRow("negative beyond 128 bits") << "-9223372036854775808"_ba
                                              << "0.000000000000000001"_ba << 18;
}

void TestDecimal::dividedByRejects() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, scale);

    QVERIFY(!dec(view(a)).dividedBy(dec(view(b)), scale).has_value());
}

QTEST_GUILESS_MAIN(TestDecimal)
#include "tst_decimal.moc"
