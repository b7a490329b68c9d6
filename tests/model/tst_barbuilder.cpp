// BarBuilder: bars from trades, as a Futures focus builds them. Exact Decimal text for open,
// high, low, close and volume; interval boundaries (the last millisecond in, the next out);
// late trades (older than the forming bar: counted, ignored; late within the bar: no new
// close); a gap of several intervals leaves no empty bars (as Kraken's charts API); history
// continued by live trades on the history's own grid; bad input rejected; 1d merged into 21600.

#include "model/barbuilder.h"

#include <QTest>

using namespace Qt::StringLiterals;
using model::BarBuilder;
using model::Candle;

namespace {

constexpr qint64 Minute = 60'000;
constexpr qint64 Day = 24 * 60 * Minute;
constexpr qint64 T0 = 1'700'000'040'000; // a minute boundary (2023-11-14 22:14 UTC)

kraken::Decimal dec(const char *text) {
    return *kraken::Decimal::fromString(std::string_view(text));
}

// "open high low close volume", each at its own scale.
QString ohlcv(const Candle &c) {
    return QStringList{c.open.toString(), c.high.toString(), c.low.toString(), c.close.toString(),
                       c.volume.toString()}
        .join(u' ');
}

Candle bar(qint64 beginMs, int minutes, const char *o, const char *h, const char *l, const char *c,
           const char *v, bool closed) {
    Candle k;
    k.beginMs = beginMs;
    k.intervalMinutes = minutes;
    k.open = dec(o);
    k.high = dec(h);
    k.low = dec(l);
    k.close = dec(c);
    k.volume = dec(v);
    k.closed = closed;
    return k;
}

} // namespace

class TestBarBuilder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tradesInOneIntervalMakeOneExactBar();
    void intervalBoundaries();
    void intervalBeginOnGrids();
    void lateTradesAreCountedAndIgnored();
    void lateWithinTheBarMovesNoClose();
    void gapOfSeveralIntervalsLeavesNoEmptyBars();
    void historyIsContinuedByLiveTrades();
    void historyGridIsKept();
    void badTradesAreRejected();
    void dailyBarsMergeIntoFifteenDays();
};

void TestBarBuilder::tradesInOneIntervalMakeOneExactBar() {
    BarBuilder b(1);
    b.setPrecision(2, 4);
    QVERIFY(!b.forming());
    QCOMPARE(b.addTrade(T0 + 1000, dec("100.5"), dec("0.1")), BarBuilder::Outcome::Opened);
    QCOMPARE(b.addTrade(T0 + 2000, dec("101"), dec("0.25")), BarBuilder::Outcome::Updated);
    QCOMPARE(b.addTrade(T0 + 3000, dec("99.75"), dec("1")), BarBuilder::Outcome::Updated);
    QCOMPARE(b.addTrade(T0 + 4000, dec("100"), dec("0.005")), BarBuilder::Outcome::Updated);
    QVERIFY(b.hasChanges());
    const QList<Candle> changed = b.takeChanged();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).beginMs, T0);
    QCOMPARE(changed.at(0).intervalMinutes, 1);
    QCOMPARE(changed.at(0).closed, false);
    // Padded to the instrument's places; the sum is exact (0.1 + 0.25 + 1 + 0.005).
    QCOMPARE(ohlcv(changed.at(0)), u"100.50 101.00 99.75 100.00 1.3550"_s);
    QVERIFY(!b.hasChanges());
    QVERIFY(b.takeChanged().isEmpty());
    QCOMPARE(ohlcv(*b.forming()), u"100.50 101.00 99.75 100.00 1.3550"_s);
}

void TestBarBuilder::intervalBoundaries() {
    BarBuilder b(5);
    const qint64 begin = BarBuilder::intervalBegin(T0, 5);
    QCOMPARE(b.addTrade(begin, dec("10"), dec("1")), BarBuilder::Outcome::Opened);
    // The last millisecond of the interval still belongs to it.
    QCOMPARE(b.addTrade(begin + 5 * Minute - 1, dec("11"), dec("2")), BarBuilder::Outcome::Updated);
    QCOMPARE(b.addTrade(begin + 5 * Minute, dec("12"), dec("3")), BarBuilder::Outcome::Opened);
    const QList<Candle> changed = b.takeChanged();
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).beginMs, begin);
    QCOMPARE(changed.at(0).closed, true);
    QCOMPARE(ohlcv(changed.at(0)), u"10 11 10 11 3"_s);
    QCOMPARE(changed.at(1).beginMs, begin + 5 * Minute);
    QCOMPARE(changed.at(1).closed, false);
    QCOMPARE(changed.at(1).intervalMinutes, 5);
    QCOMPARE(ohlcv(changed.at(1)), u"12 12 12 12 3"_s);
}

void TestBarBuilder::intervalBeginOnGrids() {
    QCOMPARE(BarBuilder::intervalBegin(T0 + 59'999, 1), T0);
    QCOMPARE(BarBuilder::intervalBegin(T0 + 60'000, 1), T0 + Minute);
    QCOMPARE(BarBuilder::intervalBegin(-1, 1), -Minute); // floor, not truncation
    // Epoch weeks begin on Thursdays: 2024-01-01 (a Monday) 01:00 is in the week of Dec 28.
    const qint64 monday = 1'704'067'200'000; // 2024-01-01T00:00Z
    QCOMPARE(BarBuilder::intervalBegin(monday + 3'600'000, 10080), monday - 4 * Day);
    // On a grid through Monday it is Monday's week.
    QCOMPARE(BarBuilder::intervalBegin(monday + 3'600'000, 10080, monday), monday);
    QCOMPARE(BarBuilder::intervalBegin(monday - 1, 10080, monday), monday - 7 * Day);
    QCOMPARE(BarBuilder::intervalBegin(monday + 8 * Day, 10080, monday), monday + 7 * Day);
}

void TestBarBuilder::lateTradesAreCountedAndIgnored() {
    BarBuilder b(1);
    QCOMPARE(b.addTrade(T0 + Minute + 10, dec("50"), dec("1")), BarBuilder::Outcome::Opened);
    b.takeChanged();
    // From the interval before the forming bar: that bar is history, nothing changes.
    QCOMPARE(b.addTrade(T0 + 30'000, dec("1"), dec("100")), BarBuilder::Outcome::Late);
    QCOMPARE(b.addTrade(T0 - 5 * Minute, dec("999"), dec("100")), BarBuilder::Outcome::Late);
    QCOMPARE(b.lateTrades(), 2);
    QVERIFY(!b.hasChanges());
    QCOMPARE(b.forming()->beginMs, T0 + Minute);
    QCOMPARE(ohlcv(*b.forming()), u"50 50 50 50 1"_s);
}

void TestBarBuilder::lateWithinTheBarMovesNoClose() {
    BarBuilder b(1);
    b.addTrade(T0 + 20'000, dec("50"), dec("1"));
    b.addTrade(T0 + 40'000, dec("52"), dec("1"));
    // Out of order but in the same interval: high/low/volume take it, close stays with the
    // latest trade, and a trade earlier than the open becomes the open.
    QCOMPARE(b.addTrade(T0 + 30'000, dec("49"), dec("0.5")), BarBuilder::Outcome::Updated);
    QCOMPARE(ohlcv(*b.forming()), u"50 52 49 52 2.5"_s);
    QCOMPARE(b.addTrade(T0 + 10'000, dec("53"), dec("0.5")), BarBuilder::Outcome::Updated);
    QCOMPARE(ohlcv(*b.forming()), u"53 53 49 52 3.0"_s);
    // The same time as the close: the later arrival is the close.
    QCOMPARE(b.addTrade(T0 + 40'000, dec("51"), dec("1")), BarBuilder::Outcome::Updated);
    QCOMPARE(ohlcv(*b.forming()), u"53 53 49 51 4.0"_s);
    QCOMPARE(b.lateTrades(), 0);
}

void TestBarBuilder::gapOfSeveralIntervalsLeavesNoEmptyBars() {
    BarBuilder b(1);
    b.addTrade(T0 + 1, dec("100"), dec("1"));
    b.addTrade(T0 + 5 * Minute + 1, dec("105"), dec("2"));
    const QList<Candle> changed = b.takeChanged();
    // Kraken's charts API omits intervals without trades; so does the builder.
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).beginMs, T0);
    QCOMPARE(changed.at(0).closed, true);
    QCOMPARE(changed.at(1).beginMs, T0 + 5 * Minute);
    QCOMPARE(ohlcv(changed.at(1)), u"105 105 105 105 2"_s);
}

void TestBarBuilder::historyIsContinuedByLiveTrades() {
    BarBuilder b(1);
    b.setPrecision(1, 4);
    const QList<Candle> history{
        bar(T0 - 2 * Minute, 1, "64000.0", "64010.0", "63990.0", "64005.0", "1.5000", true),
        bar(T0 - Minute, 1, "64005.0", "64020.0", "64000.0", "64015.0", "0.7500", true),
        // The charts API's last bar may say closed or not: it is the forming one either way.
        bar(T0, 1, "64015.0", "64030.0", "64012.0", "64025.0", "2.5000", true),
    };
    b.reset(1, history);
    QVERIFY(!b.hasChanges()); // the history itself goes out as a reset
    QCOMPARE(b.forming()->beginMs, T0);
    QCOMPARE(b.forming()->closed, false);

    QCOMPARE(b.addTrade(T0 + 30'000, dec("64040"), dec("0.1")), BarBuilder::Outcome::Updated);
    QCOMPARE(b.addTrade(T0 + 31'000, dec("64011.5"), dec("0.0125")), BarBuilder::Outcome::Updated);
    QList<Candle> changed = b.takeChanged();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).beginMs, T0);
    // Open kept from history, high/low/close from the trades, volume 2.5 + 0.1 + 0.0125.
    QCOMPARE(ohlcv(changed.at(0)), u"64015.0 64040.0 64011.5 64011.5 2.6125"_s);

    // Older than the last history bar: the closed history stays as it is.
    QCOMPARE(b.addTrade(T0 - 1, dec("1"), dec("1")), BarBuilder::Outcome::Late);
    QCOMPARE(b.lateTrades(), 1);

    QCOMPARE(b.addTrade(T0 + Minute, dec("64050"), dec("1")), BarBuilder::Outcome::Opened);
    changed = b.takeChanged();
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).closed, true);
    QCOMPARE(ohlcv(changed.at(0)), u"64015.0 64040.0 64011.5 64011.5 2.6125"_s);
    QCOMPARE(ohlcv(changed.at(1)), u"64050.0 64050.0 64050.0 64050.0 1.0000"_s);

    // reset() starts over: nothing pending, no forming bar, another interval.
    b.reset(5);
    QVERIFY(!b.forming());
    QVERIFY(!b.hasChanges());
    QCOMPARE(b.intervalMinutes(), 5);
}

void TestBarBuilder::historyGridIsKept() {
    // Weekly history beginning on Mondays: live bars follow it, not the epoch's Thursdays.
    const qint64 monday = 1'704'067'200'000;
    BarBuilder b(10080);
    b.reset(10080, {bar(monday, 10080, "40000", "41000", "39000", "40500", "10", false)});
    QCOMPARE(b.addTrade(monday + 6 * Day, dec("40600"), dec("1")), BarBuilder::Outcome::Updated);
    QCOMPARE(b.addTrade(monday + 7 * Day, dec("40700"), dec("1")), BarBuilder::Outcome::Opened);
    QCOMPARE(b.forming()->beginMs, monday + 7 * Day);
}

void TestBarBuilder::badTradesAreRejected() {
    BarBuilder b(1);
    QCOMPARE(b.addTrade(T0, dec("0"), dec("1")), BarBuilder::Outcome::Rejected);
    QCOMPARE(b.addTrade(T0, dec("-5"), dec("1")), BarBuilder::Outcome::Rejected);
    QCOMPARE(b.addTrade(T0, dec("5"), dec("0")), BarBuilder::Outcome::Rejected);
    QCOMPARE(b.addTrade(T0, dec("5"), dec("-1")), BarBuilder::Outcome::Rejected);
    QVERIFY(!b.forming());
    QVERIFY(!b.hasChanges());
    // A volume beyond the 64-bit mantissa is refused, not wrapped.
    QCOMPARE(b.addTrade(T0, dec("5"), dec("9000000000000000000")), BarBuilder::Outcome::Opened);
    b.takeChanged();
    QCOMPARE(b.addTrade(T0 + 1, dec("6"), dec("9000000000000000000")),
             BarBuilder::Outcome::Rejected);
    QCOMPARE(b.rejectedTrades(), 5);
    QVERIFY(!b.hasChanges());
    QCOMPARE(ohlcv(*b.forming()), u"5 5 5 5 9000000000000000000"_s);
}

void TestBarBuilder::dailyBarsMergeIntoFifteenDays() {
    const qint64 fifteen = 15 * Day;
    const qint64 begin = 1315 * fifteen; // an epoch multiple of 15 days (2024-01-03)
    const QList<Candle> days{
        bar(begin, 1440, "100", "110", "95", "105", "1.5", true),
        bar(begin + Day, 1440, "105", "120", "101", "118", "2.25", true),
        bar(begin + 14 * Day, 1440, "118", "119", "90", "92", "0.25", true),
        bar(begin + fifteen, 1440, "92", "93", "91", "93", "3", false),
    };
    const QList<Candle> merged = BarBuilder::merged(days, 21600);
    QCOMPARE(merged.size(), 2);
    QCOMPARE(merged.at(0).beginMs, begin);
    QCOMPARE(merged.at(0).intervalMinutes, 21600);
    QCOMPARE(ohlcv(merged.at(0)), u"100 120 90 92 4.00"_s);
    QCOMPARE(merged.at(1).beginMs, begin + fifteen);
    QCOMPARE(ohlcv(merged.at(1)), u"92 93 91 93 3"_s);
    QVERIFY(BarBuilder::merged({}, 21600).isEmpty());
}

QTEST_GUILESS_MAIN(TestBarBuilder)
#include "tst_barbuilder.moc"
