// TradeBarBuilder (tradebarbuilder.h): OHLCV bars built from hand-made trades, with the clock
// driven explicitly through advanceTo(), so every boundary is tested to the nanosecond and
// nothing sleeps. Expected values (vwap included) are worked out by hand in the comments.

#include "kraken/spot/tradebarbuilder.h"
#include "spottestsupport.h"

#include <QSignalSpy>
#include <QTest>

#include <cstdint>
#include <limits>
#include <string_view>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using spottest::dec;

namespace {

constexpr std::int64_t Second = 1'000'000'000;
constexpr std::int64_t Minute = 60 * Second;
// 2024-05-01T10:00:00Z. A multiple of 5 minutes, 4 hours' 10:00 lies in the 08:00 bar.
constexpr std::int64_t T10 = 1'714'557'600 * Second;
static_assert(T10 % (5 * Minute) == 0);

ws::TradeEvent trade(const QString &symbol, std::int64_t ns, std::string_view price,
                     std::string_view qty) {
    ws::TradeEvent t;
    t.symbol = symbol;
    t.timestampNs = ns;
    t.price = dec(price);
    t.qty = dec(qty);
    return t;
}

ws::TradeEvent btc(std::int64_t ns, std::string_view price, std::string_view qty) {
    return trade(u"BTC/USD"_s, ns, price, qty);
}

ws::OhlcEvent barAt(const QSignalSpy &spy, qsizetype i) {
    return spy.at(i).at(0).value<ws::OhlcEvent>();
}

} // namespace

class TestTradeBarBuilder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneMinuteBar();
    void vwapRoundsHalfEvenAtPriceScale();
    void outOfOrderWithinBar();
    void tradeBoundary();
    void advanceToBoundary();
    void lateTrades();
    void twoSymbolsIndependent();
    void fiveMinuteAlignment();
    void longIntervalsAlignToEpoch();
    void gapProducesNoEmptyBars();
    void overflowSkipped();
    void invalidTradesSkipped();
    void krakenIntervals();
};

void TestTradeBarBuilder::oneMinuteBar() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + 5 * Second, "45000.0", "0.5"));
    builder.addTrade(btc(T10 + 10 * Second, "45100.5", "0.25"));
    QCOMPARE(updated.size(), 2);
    // (45000.0 * 0.5 + 45100.5 * 0.25) / 0.75 = (22500.00 + 11275.125) / 0.75
    //   = 33775.125 / 0.75 = 45033.5, exact.
    QCOMPARE(barAt(updated, 1).vwap.toString(), u"45033.5"_s);

    builder.addTrade(btc(T10 + 20 * Second, "44950.0", "1.0"));
    builder.addTrade(btc(T10 + 30 * Second, "45020.1", "0.25"));
    QCOMPARE(updated.size(), 4);
    QCOMPARE(closed.size(), 0);

    const ws::OhlcEvent bar = barAt(updated, 3);
    QCOMPARE(bar.symbol, u"BTC/USD"_s);
    QCOMPARE(bar.open.toString(), u"45000.0"_s);
    QCOMPARE(bar.high.toString(), u"45100.5"_s);
    QCOMPARE(bar.low.toString(), u"44950.0"_s);
    QCOMPARE(bar.close.toString(), u"45020.1"_s);
    // 0.5 + 0.25 + 1.0 + 0.25 = 2.00 (the largest qty scale, 2).
    QCOMPARE(bar.volume.toString(), u"2.00"_s);
    QCOMPARE(bar.trades, qint64(4));
    // notional = 22500.00 + 11275.125 + 44950.00 + 11255.025 = 89980.150;
    // vwap = 89980.150 / 2.00 = 44990.075, at the price scale (1): 44990.1.
    QCOMPARE(bar.vwap.toString(), u"44990.1"_s);
    QCOMPARE(bar.intervalMinutes, 1);
    QCOMPARE(bar.intervalBeginNs, T10);
    QCOMPARE(bar.timestampNs, T10 + 30 * Second);

    const auto forming = builder.formingBar(u"BTC/USD"_s);
    QVERIFY(forming.has_value());
    QCOMPARE(forming->vwap, bar.vwap);
    QCOMPARE(forming->trades, qint64(4));
    QVERIFY(!builder.formingBar(u"ETH/USD"_s).has_value());
}

void TestTradeBarBuilder::vwapRoundsHalfEvenAtPriceScale() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    // (100.0 * 1 + 100.1 * 1) / 2 = 100.05: a tie at one place, HalfEven keeps 100.0.
    builder.addTrade(btc(T10, "100.0", "1"));
    builder.addTrade(btc(T10 + Second, "100.1", "1"));
    QCOMPARE(barAt(updated, 1).vwap.toString(), u"100.0"_s);
    // + 100.25 * 1: 300.35 over 3 = 100.11666...; the price scale is now 2: 100.12.
    builder.addTrade(btc(T10 + 2 * Second, "100.25", "1"));
    QCOMPARE(barAt(updated, 2).vwap.toString(), u"100.12"_s);
    QCOMPARE(barAt(updated, 2).volume.toString(), u"3"_s);
}

void TestTradeBarBuilder::outOfOrderWithinBar() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    builder.addTrade(btc(T10 + 30 * Second, "101.0", "1"));
    // Earlier in time, same bar: it becomes the open, not the close.
    builder.addTrade(btc(T10 + 10 * Second, "99.0", "1"));
    const ws::OhlcEvent bar = barAt(updated, 1);
    QCOMPARE(bar.open.toString(), u"99.0"_s);
    QCOMPARE(bar.close.toString(), u"101.0"_s);
    QCOMPARE(bar.timestampNs, T10 + 30 * Second);
    QCOMPARE(bar.low.toString(), u"99.0"_s);
    QCOMPARE(bar.trades, qint64(2));
    QCOMPARE(builder.lateTrades(), qint64(0));
}

void TestTradeBarBuilder::tradeBoundary() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + Minute - 1, "45000.0", "1")); // 10:00:59.999999999
    QCOMPARE(closed.size(), 0);
    builder.addTrade(btc(T10 + Minute, "45001.0", "2")); // 10:01:00.000000000
    QCOMPARE(closed.size(), 1);
    QCOMPARE(updated.size(), 2);

    const ws::OhlcEvent first = barAt(closed, 0);
    QCOMPARE(first.intervalBeginNs, T10);
    QCOMPARE(first.timestampNs, T10 + Minute - 1);
    QCOMPARE(first.close.toString(), u"45000.0"_s);
    QCOMPARE(first.volume.toString(), u"1"_s);
    QCOMPARE(first.trades, qint64(1));
    QCOMPARE(first.vwap, barAt(updated, 0).vwap);

    const ws::OhlcEvent second = barAt(updated, 1);
    QCOMPARE(second.intervalBeginNs, T10 + Minute);
    QCOMPARE(second.open.toString(), u"45001.0"_s);
    QCOMPARE(second.volume.toString(), u"2"_s);
    QCOMPARE(second.trades, qint64(1));

    // The clock passing both boundaries closes only the second bar; the first stays closed
    // exactly once.
    builder.advanceTo(T10 + 2 * Minute - 1);
    QCOMPARE(closed.size(), 1);
    builder.advanceTo(T10 + 2 * Minute);
    QCOMPARE(closed.size(), 2);
    QCOMPARE(barAt(closed, 1).intervalBeginNs, T10 + Minute);
    builder.advanceTo(T10 + 10 * Minute);
    QCOMPARE(closed.size(), 2);
}

void TestTradeBarBuilder::advanceToBoundary() {
    TradeBarBuilder builder(1);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);
    builder.addTrade(btc(T10 + 30 * Second, "45000.0", "1"));

    builder.advanceTo(T10 + Minute - 1);
    QCOMPARE(closed.size(), 0);
    QVERIFY(builder.formingBar(u"BTC/USD"_s).has_value());

    builder.advanceTo(T10 + Minute);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(barAt(closed, 0).intervalBeginNs, T10);
    QCOMPARE(barAt(closed, 0).timestampNs, T10 + 30 * Second);
    QVERIFY(!builder.formingBar(u"BTC/USD"_s).has_value());

    // Time going backwards, or staying, changes nothing.
    builder.advanceTo(T10);
    builder.advanceTo(T10 + Minute);
    QCOMPARE(closed.size(), 1);
}

void TestTradeBarBuilder::lateTrades() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + Minute + 10 * Second, "200.0", "1"));
    // The 10:00 bar is earlier than the forming 10:01 one: ignored.
    builder.addTrade(btc(T10 + 50 * Second, "1.0", "1"));
    QCOMPARE(builder.lateTrades(), qint64(1));
    QCOMPARE(updated.size(), 1);
    QCOMPARE(closed.size(), 0);
    QCOMPARE(builder.formingBar(u"BTC/USD"_s)->low.toString(), u"200.0"_s);

    // Once the 10:01 bar is closed, a print inside it cannot reopen it.
    builder.advanceTo(T10 + 2 * Minute);
    QCOMPARE(closed.size(), 1);
    builder.addTrade(btc(T10 + 2 * Minute - 1, "1.0", "1"));
    QCOMPARE(builder.lateTrades(), qint64(2));
    // Nor can another symbol open a bar the clock has already closed.
    builder.addTrade(trade(u"ETH/USD"_s, T10 + Minute + 30 * Second, "3000.0", "1"));
    QCOMPARE(builder.lateTrades(), qint64(3));
    QVERIFY(!builder.formingBar(u"ETH/USD"_s).has_value());
    QCOMPARE(updated.size(), 1);
    QCOMPARE(closed.size(), 1);

    // The current interval is open to all.
    builder.addTrade(btc(T10 + 2 * Minute, "201.0", "1"));
    QCOMPARE(updated.size(), 2);
    QCOMPARE(builder.lateTrades(), qint64(3));
    QCOMPARE(builder.rejectedTrades(), qint64(0));
}

void TestTradeBarBuilder::twoSymbolsIndependent() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + 1 * Second, "45000.0", "1"));
    builder.addTrade(trade(u"ETH/USD"_s, T10 + 2 * Second, "3000.00", "2.0"));
    builder.addTrade(btc(T10 + 3 * Second, "45010.0", "1"));
    builder.addTrade(trade(u"ETH/USD"_s, T10 + 4 * Second, "2990.00", "1.0"));
    QCOMPARE(updated.size(), 4);

    const auto eth = builder.formingBar(u"ETH/USD"_s);
    QVERIFY(eth.has_value());
    QCOMPARE(eth->high.toString(), u"3000.00"_s);
    QCOMPARE(eth->low.toString(), u"2990.00"_s);
    QCOMPARE(eth->volume.toString(), u"3.0"_s);
    // (3000.00 * 2.0 + 2990.00 * 1.0) / 3.0 = 8990.000 / 3.0 = 2996.666..., at 2: 2996.67.
    QCOMPARE(eth->vwap.toString(), u"2996.67"_s);
    const auto btcBar = builder.formingBar(u"BTC/USD"_s);
    QCOMPARE(btcBar->vwap.toString(), u"45005.0"_s); // (45000.0 + 45010.0) / 2
    QCOMPARE(btcBar->trades, qint64(2));

    // A BTC trade in the next minute closes BTC's bar only.
    builder.addTrade(btc(T10 + Minute, "45020.0", "1"));
    QCOMPARE(closed.size(), 1);
    QCOMPARE(barAt(closed, 0).symbol, u"BTC/USD"_s);
    QVERIFY(builder.formingBar(u"ETH/USD"_s).has_value());

    // The clock closes both forming bars, in symbol order.
    builder.advanceTo(T10 + 2 * Minute);
    QCOMPARE(closed.size(), 3);
    QCOMPARE(barAt(closed, 1).symbol, u"BTC/USD"_s);
    QCOMPARE(barAt(closed, 1).intervalBeginNs, T10 + Minute);
    QCOMPARE(barAt(closed, 2).symbol, u"ETH/USD"_s);
    QCOMPARE(barAt(closed, 2).intervalBeginNs, T10);
    QCOMPARE(barAt(closed, 2).trades, qint64(2));
}

void TestTradeBarBuilder::fiveMinuteAlignment() {
    TradeBarBuilder builder(5);
    QCOMPARE(builder.intervalMinutes(), 5);
    QCOMPARE(builder.intervalNs(), 5 * Minute);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + 3 * Minute + 17 * Second, "100.0", "1")); // 10:03:17
    QCOMPARE(barAt(updated, 0).intervalBeginNs, T10);
    QCOMPARE(barAt(updated, 0).intervalMinutes, 5);
    builder.addTrade(btc(T10 + 5 * Minute - 1, "101.0", "1")); // 10:04:59.999999999
    QCOMPARE(closed.size(), 0);
    QCOMPARE(barAt(updated, 1).trades, qint64(2));

    builder.addTrade(btc(T10 + 7 * Minute, "102.0", "1")); // 10:07 -> the 10:05 bar
    QCOMPARE(closed.size(), 1);
    QCOMPARE(barAt(closed, 0).intervalBeginNs, T10);
    QCOMPARE(barAt(updated, 2).intervalBeginNs, T10 + 5 * Minute);

    builder.advanceTo(T10 + 10 * Minute - 1);
    QCOMPARE(closed.size(), 1);
    builder.advanceTo(T10 + 10 * Minute);
    QCOMPARE(closed.size(), 2);
}

void TestTradeBarBuilder::longIntervalsAlignToEpoch() {
    const auto beginFor = [](int minutes) {
        TradeBarBuilder builder(minutes);
        QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
        builder.addTrade(btc(T10 + 7 * Second, "1.0", "1"));
        return updated.size() == 1 ? barAt(updated, 0).intervalBeginNs : std::int64_t(-1);
    };
    QCOMPARE(beginFor(60), T10);
    QCOMPARE(beginFor(240), T10 - 2 * 60 * Minute);   // 4-hour bars: 00, 04, 08 ... UTC
    QCOMPARE(beginFor(1440), T10 - 10 * 60 * Minute); // the UTC day
    // A week from the epoch, a Thursday: the 2024-04-25T00:00:00Z bar.
    QCOMPARE(beginFor(10080), std::int64_t(1'714'003'200) * Second);
}

void TestTradeBarBuilder::gapProducesNoEmptyBars() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    builder.addTrade(btc(T10 + 10 * Second, "100.0", "1"));
    // Nothing traded from 10:01 to 10:04: those minutes have no bar.
    builder.addTrade(btc(T10 + 5 * Minute + 30 * Second, "105.0", "1"));
    QCOMPARE(closed.size(), 1);
    QCOMPARE(barAt(closed, 0).intervalBeginNs, T10);
    QCOMPARE(barAt(updated, 1).intervalBeginNs, T10 + 5 * Minute);
    QCOMPARE(barAt(updated, 1).open.toString(), u"105.0"_s);

    builder.advanceTo(T10 + 20 * Minute);
    QCOMPARE(closed.size(), 2);
    QCOMPARE(barAt(closed, 1).intervalBeginNs, T10 + 5 * Minute);
    QCOMPARE(updated.size(), 2);
}

void TestTradeBarBuilder::overflowSkipped() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    QSignalSpy closed(&builder, &TradeBarBuilder::barClosed);

    // price * qty beyond the 64-bit mantissa: nothing opens.
    builder.addTrade(btc(T10, "9223372036854775807", "2"));
    QCOMPARE(builder.rejectedTrades(), qint64(1));
    QCOMPARE(updated.size(), 0);
    QVERIFY(!builder.formingBar(u"BTC/USD"_s).has_value());

    // The first trade fits; the second's product (4.4e18) and volume (7.2e18) fit too, but
    // the notional would be 9.4e18, beyond 2^63 - 1 (about 9.22e18).
    builder.addTrade(btc(T10 + Second, "1", "5000000000000000000"));
    QCOMPARE(updated.size(), 1);
    builder.addTrade(btc(T10 + 2 * Second, "2", "2200000000000000000"));
    QCOMPARE(builder.rejectedTrades(), qint64(2));
    QCOMPARE(updated.size(), 1);
    const auto bar = builder.formingBar(u"BTC/USD"_s);
    QVERIFY(bar.has_value());
    QCOMPARE(bar->trades, qint64(1));
    QCOMPARE(bar->volume.toString(), u"5000000000000000000"_s);
    QCOMPARE(bar->high.toString(), u"1"_s); // the refused trade's price left no trace
    QCOMPARE(bar->timestampNs, T10 + Second);

    // A trade opening the next bar that overflows does not close the current one.
    builder.addTrade(btc(T10 + Minute, "9223372036854775807", "9223372036854775807"));
    QCOMPARE(builder.rejectedTrades(), qint64(3));
    QCOMPARE(closed.size(), 0);

    // The builder keeps working afterwards.
    builder.addTrade(btc(T10 + 3 * Second, "1", "1"));
    QCOMPARE(updated.size(), 2);
    QCOMPARE(builder.formingBar(u"BTC/USD"_s)->volume.toString(), u"5000000000000000001"_s);
    QCOMPARE(builder.lateTrades(), qint64(0));
}

void TestTradeBarBuilder::invalidTradesSkipped() {
    TradeBarBuilder builder(1);
    QSignalSpy updated(&builder, &TradeBarBuilder::barUpdated);
    builder.addTrade(btc(T10, "100.0", "0"));  // no volume: vwap undefined
    builder.addTrade(btc(T10, "100.0", "-1")); // not a trade
    builder.addTrade(btc(T10, "-100.0", "1")); // not a price
    constexpr auto Max = std::numeric_limits<std::int64_t>::max();
    constexpr auto Min = std::numeric_limits<std::int64_t>::min();
    builder.addTrade(btc(Max, "100.0", "1")); // the interval's end is beyond 64 bits
    builder.addTrade(btc(Min, "100.0", "1")); // its begin is
    QCOMPARE(builder.rejectedTrades(), qint64(5));
    QCOMPARE(updated.size(), 0);
    // A timestamp just before the epoch floors into the interval before zero.
    builder.addTrade(btc(-1, "100.0", "1"));
    QCOMPARE(updated.size(), 1);
    QCOMPARE(barAt(updated, 0).intervalBeginNs, -Minute);
}

void TestTradeBarBuilder::krakenIntervals() {
    for (int minutes : {1, 5, 15, 30, 60, 240, 1440, 10080, 21600})
        QVERIFY2(TradeBarBuilder::isKrakenInterval(minutes), qPrintable(QString::number(minutes)));
    for (int minutes : {0, -1, 2, 3, 120, 43200})
        QVERIFY(!TradeBarBuilder::isKrakenInterval(minutes));
    // Any positive length builds bars; it need not be one Kraken serves.
    TradeBarBuilder builder(2);
    QCOMPARE(builder.intervalNs(), 2 * Minute);
}

QTEST_GUILESS_MAIN(TestTradeBarBuilder)
#include "tst_tradebarbuilder.moc"
