// Rate limits: RateCounter, the published parameters in ratelimits.h, and the per-pair
// TradingRateLimiter. Time is a fake clock (a variable the tests move by hand), so nothing
// sleeps and every delay is exact. Expected numbers come from shared/kraken-protocol.md §3,
// restated below, never from the code under test.

#include "kraken/core/ratecounter.h"
#include "kraken/core/ratelimits.h"
#include "kraken/core/tradingratelimiter.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace Qt::StringLiterals;
using kraken::RateCounter;
using kraken::TradingAction;
using kraken::TradingRateLimiter;
using kraken::VerificationTier;

namespace {

// kraken-protocol.md §3.1 (REST counter) and §3.2 (trading counter), Starter tier.
constexpr int StarterRestMax = 15;
constexpr double StarterRestDecayPerSec = 0.33;
constexpr int StarterTradingMax = 60;
constexpr double StarterTradingDecayPerSec = 1.0;

// Milliseconds for `units` of counter to decay at `perSecond`, rounded up to whole ms.
std::int64_t msToDecay(double units, double perSecond) {
    return std::int64_t(std::ceil(units / perSecond * 1000.0 - 1e-6));
}

// The counter must not let a call out before `units` have decayed, and should not hold it
// back longer than that by more than `slackMs` (each booking may round up by 1 ms).
bool delayMatches(std::int64_t actual, double units, double perSecond, std::int64_t slackMs,
                  QString *why) {
    const std::int64_t expected = msToDecay(units, perSecond);
    const bool tooEarly = double(actual) * perSecond / 1000.0 < units - 1e-9;
    const bool tooLate = actual > expected + slackMs;
    *why = u"delay %1 ms, expected %2 ms (%3 units at %4/s)"_s.arg(actual)
               .arg(expected)
               .arg(units)
               .arg(perSecond);
    return !tooEarly && !tooLate;
}

RateCounter starterRest() {
    const auto l = kraken::restLimits(VerificationTier::Starter);
    return RateCounter(l.maxCounter, l.decayMilliPerSecond);
}

} // namespace

#define QVERIFY_DELAY_SLACK(actual, units, perSecond, slackMs)                                     \
    do {                                                                                           \
        QString why_;                                                                              \
        QVERIFY2(delayMatches((actual), (units), (perSecond), (slackMs), &why_),                   \
                 qPrintable(why_));                                                                \
    } while (false)
#define QVERIFY_DELAY(actual, units, perSecond) QVERIFY_DELAY_SLACK(actual, units, perSecond, 1)

class TestRateLimits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void publishedLimits_data();
    void publishedLimits();
    void starterRestBurstThenWait();
    void decayLowersValue();
    void costTwoCalls();
    void queuedReservationsAreFifo();
    void delayForDoesNotBook();
    void markFull();
    void costAboveMaximum();
    void tradingCostTable_data();
    void tradingCostTable();
    void batchAddCost();
    void restCallCost_data();
    void restCallCost();
    void tierFromString_data();
    void tierFromString();
    void limiterCancelYoungOrder();
    void limiterUnknownOrderUsesUptime();
    void limiterAmendResetsAge();
    void limiterClosedOrderIsForgotten();
    void limiterPairsAreIndependent();
    void limiterChargesTheCancelPenalty();
};

void TestRateLimits::publishedLimits_data() {
    QTest::addColumn<int>("tier");
    QTest::addColumn<int>("restMax");
    QTest::addColumn<double>("restDecay");
    QTest::addColumn<int>("tradingMax");
    QTest::addColumn<double>("tradingDecay");

    // The two tier tables of kraken-protocol.md §3.1 and §3.2.
    QTest::newRow("Starter") << int(VerificationTier::Starter) << 15 << 0.33 << 60 << 1.00;
    QTest::newRow("Intermediate") << int(VerificationTier::Intermediate) << 20 << 0.5 << 125
                                  << 2.34;
    QTest::newRow("Pro") << int(VerificationTier::Pro) << 20 << 1.0 << 180 << 3.75;
}

void TestRateLimits::publishedLimits() {
    QFETCH(int, tier);
    QFETCH(int, restMax);
    QFETCH(double, restDecay);
    QFETCH(int, tradingMax);
    QFETCH(double, tradingDecay);

    const auto rest = kraken::restLimits(VerificationTier(tier));
    QCOMPARE(rest.maxCounter, restMax);
    QCOMPARE(rest.decayMilliPerSecond, int(std::lround(restDecay * 1000)));
    const auto trading = kraken::tradingLimits(VerificationTier(tier));
    QCOMPARE(trading.maxCounter, tradingMax);
    QCOMPARE(trading.decayMilliPerSecond, int(std::lround(tradingDecay * 1000)));

    const RateCounter c(rest.maxCounter, rest.decayMilliPerSecond);
    QCOMPARE(c.maxCounter(), restMax);
    QCOMPARE(c.decayPerSecond(), restDecay);
}

void TestRateLimits::starterRestBurstThenWait() {
    RateCounter c = starterRest();
    std::int64_t now = 1'000'000; // arbitrary origin: the counter must not assume 0
    for (int i = 0; i < StarterRestMax; ++i)
        QCOMPARE(c.reserve(1, now), std::int64_t(0));
    QCOMPARE(c.value(now), double(StarterRestMax));

    // The 16th call must wait until one unit has decayed: 1 / 0.33 s = 3030.3 ms -> 3031.
    const std::int64_t d16 = c.reserve(1, now);
    QVERIFY_DELAY(d16, 1.0, StarterRestDecayPerSec);
    QCOMPARE(msToDecay(1.0, StarterRestDecayPerSec), std::int64_t(3031));

    // Once that call has gone out the counter is full again: the next waits as long again.
    now += d16;
    QVERIFY_DELAY(c.reserve(1, now), 1.0, StarterRestDecayPerSec);

    // After a long quiet spell the whole burst is available again.
    now += 3'600'000;
    QCOMPARE(c.value(now), 0.0);
    for (int i = 0; i < StarterRestMax; ++i)
        QCOMPARE(c.reserve(1, now), std::int64_t(0));
}

void TestRateLimits::decayLowersValue() {
    RateCounter c = starterRest();
    for (int i = 0; i < 10; ++i)
        c.reserve(1, 0);
    QCOMPARE(c.value(0), 10.0);
    // 10 s at 0.33/s removes 3.3 units.
    QVERIFY(qAbs(c.value(10'000) - (10.0 - 10 * StarterRestDecayPerSec)) < 0.01);
    QVERIFY(c.value(20'000) < c.value(10'000));
    // Never below zero, however long the wait.
    QCOMPARE(c.value(100'000), 0.0);
    QCOMPARE(c.value(10'000'000), 0.0);
}

void TestRateLimits::costTwoCalls() {
    RateCounter c = starterRest();
    const int ledgers = kraken::restCallCost(u"Ledgers");
    QCOMPARE(ledgers, 2);
    // 7 ledger calls fill 14 of 15.
    for (int i = 0; i < 7; ++i)
        QCOMPARE(c.reserve(ledgers, 0), std::int64_t(0));
    QCOMPARE(c.value(0), 14.0);
    // A cost-1 call still fits; a cost-2 call needs one unit to decay first.
    QCOMPARE(c.delayFor(1, 0), std::int64_t(0));
    QVERIFY_DELAY(c.delayFor(2, 0), 1.0, StarterRestDecayPerSec);
    QVERIFY_DELAY(c.reserve(ledgers, 0), 1.0, StarterRestDecayPerSec);
    // Now at 15 (booked for later): a further cost-2 call needs 2 more units.
    QVERIFY_DELAY(c.reserve(ledgers, 0), 3.0, StarterRestDecayPerSec);
}

void TestRateLimits::queuedReservationsAreFifo() {
    RateCounter c = starterRest();
    for (int i = 0; i < StarterRestMax; ++i)
        c.reserve(1, 0);

    // Several callers queue at the same instant, with mixed costs: nobody overtakes.
    const int costs[] = {2, 1, 1, 2, 1, 1};
    std::vector<std::int64_t> delays;
    double unitsWaited = 0;
    for (int cost : costs) {
        delays.push_back(c.reserve(cost, 0));
        unitsWaited += cost;
        // Each call goes out once everything booked before it (and itself) has decayed.
        QVERIFY_DELAY_SLACK(delays.back(), unitsWaited, StarterRestDecayPerSec,
                            std::int64_t(delays.size()));
    }
    for (std::size_t i = 1; i < delays.size(); ++i)
        QVERIFY2(delays[i] >= delays[i - 1], qPrintable(u"reservation %1 overtook"_s.arg(i)));

    // A caller arriving later (clock moved on 1 s) still queues behind them all.
    const std::int64_t later = c.reserve(1, 1000);
    QVERIFY(later + 1000 >= delays.back());
}

void TestRateLimits::delayForDoesNotBook() {
    RateCounter c = starterRest();
    for (int i = 0; i < StarterRestMax; ++i)
        c.reserve(1, 0);
    const std::int64_t d = c.delayFor(1, 0);
    QCOMPARE(c.delayFor(1, 0), d);
    QCOMPARE(c.delayFor(1, 0), d);
    QCOMPARE(c.value(0), double(StarterRestMax));
    QCOMPARE(c.reserve(1, 0), d);
}

void TestRateLimits::markFull() {
    // Kraken said EAPI:Rate limit exceeded although our counter was empty (the key is shared).
    RateCounter c = starterRest();
    QCOMPARE(c.delayFor(1, 0), std::int64_t(0));
    c.markFull(0);
    QCOMPARE(c.value(0), double(StarterRestMax));
    QVERIFY_DELAY(c.reserve(1, 0), 1.0, StarterRestDecayPerSec);

    // markFull never lowers a counter that already holds more: calls booked for later...
    RateCounter queued = starterRest();
    for (int i = 0; i < StarterRestMax + 3; ++i)
        queued.reserve(1, 0);
    const std::int64_t queuedDelay = queued.delayFor(1, 0);
    queued.markFull(0);
    QCOMPARE(queued.delayFor(1, 0), queuedDelay);
    // ...or one call dearer than the whole counter (level 20 of 15).
    RateCounter over = starterRest();
    over.reserve(20, 0);
    const std::int64_t overDelay = over.delayFor(1, 0);
    over.markFull(0);
    QCOMPARE(over.delayFor(1, 0), overDelay);
    QVERIFY(over.value(0) > StarterRestMax);
}

void TestRateLimits::costAboveMaximum() {
    // A call dearer than the whole counter must not wait forever: it goes once the counter
    // is empty, and what follows waits for it to decay.
    RateCounter c = starterRest();
    QCOMPARE(c.reserve(20, 0), std::int64_t(0));
    // Level 20; a cost-1 call needs the level at 14, i.e. 6 units of decay.
    QVERIFY_DELAY(c.delayFor(1, 0), 6.0, StarterRestDecayPerSec);

    RateCounter d = starterRest();
    d.reserve(1, 0);
    QVERIFY_DELAY(d.reserve(20, 0), 1.0, StarterRestDecayPerSec); // waits until empty
}

void TestRateLimits::tradingCostTable_data() {
    QTest::addColumn<int>("action");
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<int>("cost");

    // kraken-protocol.md §3.2: fixed cost plus the penalty for the order's resting time.
    const int add = int(TradingAction::Add);
    const int amend = int(TradingAction::Amend);
    const int edit = int(TradingAction::Edit);
    const int cancel = int(TradingAction::Cancel);

    QTest::newRow("add young") << add << qint64(0) << 1;
    QTest::newRow("add old") << add << qint64(1'000'000) << 1;

    QTest::newRow("amend 0") << amend << qint64(0) << 4; // +1 fixed +3
    QTest::newRow("amend 4999") << amend << qint64(4999) << 4;
    QTest::newRow("amend 5000") << amend << qint64(5000) << 3;
    QTest::newRow("amend 9999") << amend << qint64(9999) << 3;
    QTest::newRow("amend 10000") << amend << qint64(10'000) << 2;
    QTest::newRow("amend 14999") << amend << qint64(14'999) << 2;
    QTest::newRow("amend 15000") << amend << qint64(15'000) << 1;
    QTest::newRow("amend 300000") << amend << qint64(300'000) << 1;

    QTest::newRow("edit 0") << edit << qint64(0) << 7; // +1 fixed +6
    QTest::newRow("edit 4999") << edit << qint64(4999) << 7;
    QTest::newRow("edit 5000") << edit << qint64(5000) << 6;
    QTest::newRow("edit 10000") << edit << qint64(10'000) << 5;
    QTest::newRow("edit 14999") << edit << qint64(14'999) << 5;
    QTest::newRow("edit 15000") << edit << qint64(15'000) << 3;
    QTest::newRow("edit 44999") << edit << qint64(44'999) << 3;
    QTest::newRow("edit 45000") << edit << qint64(45'000) << 2;
    QTest::newRow("edit 89999") << edit << qint64(89'999) << 2;
    QTest::newRow("edit 90000") << edit << qint64(90'000) << 1;
    QTest::newRow("edit 299999") << edit << qint64(299'999) << 1;
    QTest::newRow("edit 300000") << edit << qint64(300'000) << 1;

    QTest::newRow("cancel 0") << cancel << qint64(0) << 8;
    QTest::newRow("cancel 4999") << cancel << qint64(4999) << 8;
    QTest::newRow("cancel 5000") << cancel << qint64(5000) << 6;
    QTest::newRow("cancel 9999") << cancel << qint64(9999) << 6;
    QTest::newRow("cancel 10000") << cancel << qint64(10'000) << 5;
    QTest::newRow("cancel 14999") << cancel << qint64(14'999) << 5;
    QTest::newRow("cancel 15000") << cancel << qint64(15'000) << 4;
    QTest::newRow("cancel 44999") << cancel << qint64(44'999) << 4;
    QTest::newRow("cancel 45000") << cancel << qint64(45'000) << 2;
    QTest::newRow("cancel 89999") << cancel << qint64(89'999) << 2;
    QTest::newRow("cancel 90000") << cancel << qint64(90'000) << 1;
    QTest::newRow("cancel 299999") << cancel << qint64(299'999) << 1;
    QTest::newRow("cancel 300000") << cancel << qint64(300'000) << 0;
    QTest::newRow("cancel a day") << cancel << qint64(86'400'000) << 0;
    // A negative age (clock skew between our record and now) is treated as brand new.
    QTest::newRow("cancel negative age") << cancel << qint64(-1) << 8;
}

void TestRateLimits::tradingCostTable() {
    QFETCH(int, action);
    QFETCH(qint64, ageMs);
    QFETCH(int, cost);
    QCOMPARE(kraken::tradingCost(TradingAction(action), ageMs), cost);
}

void TestRateLimits::batchAddCost() {
    // §3.2: roughly n/2 for n orders (rounded up here, never free).
    QCOMPARE(kraken::batchAddCost(1), 1);
    QCOMPARE(kraken::batchAddCost(2), 1);
    QCOMPARE(kraken::batchAddCost(3), 2);
    QCOMPARE(kraken::batchAddCost(15), 8);
    QCOMPARE(kraken::batchAddCost(0), 0);
}

void TestRateLimits::restCallCost_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("cost");
    QTest::addColumn<bool>("trading");

    // §3.1: ledger and trade history +2, order entry uses the trading counter, others +1.
    QTest::newRow("Ledgers") << u"Ledgers"_s << 2 << false;
    QTest::newRow("QueryLedgers") << u"QueryLedgers"_s << 2 << false;
    QTest::newRow("TradesHistory") << u"TradesHistory"_s << 2 << false;
    QTest::newRow("QueryTrades") << u"QueryTrades"_s << 2 << false;
    QTest::newRow("Balance") << u"Balance"_s << 1 << false;
    QTest::newRow("OpenOrders") << u"OpenOrders"_s << 1 << false;
    QTest::newRow("GetWebSocketsToken") << u"GetWebSocketsToken"_s << 1 << false;
    QTest::newRow("AddOrder") << u"AddOrder"_s << 0 << true;
    QTest::newRow("AddOrderBatch") << u"AddOrderBatch"_s << 0 << true;
    QTest::newRow("AmendOrder") << u"AmendOrder"_s << 0 << true;
    QTest::newRow("EditOrder") << u"EditOrder"_s << 0 << true;
    QTest::newRow("CancelOrder") << u"CancelOrder"_s << 0 << true;
    QTest::newRow("CancelAll") << u"CancelAll"_s << 0 << true;
}

void TestRateLimits::restCallCost() {
    QFETCH(QString, method);
    QFETCH(int, cost);
    QFETCH(bool, trading);
    QCOMPARE(kraken::restCallCost(method), cost);
    QCOMPARE(kraken::isTradingMethod(method), trading);
}

void TestRateLimits::tierFromString_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("tier"); // -1: not a tier

    QTest::newRow("starter") << u"starter"_s << int(VerificationTier::Starter);
    QTest::newRow("Starter") << u"Starter"_s << int(VerificationTier::Starter);
    QTest::newRow("intermediate") << u"intermediate"_s << int(VerificationTier::Intermediate);
    QTest::newRow("Intermediate") << u"Intermediate"_s << int(VerificationTier::Intermediate);
    QTest::newRow("PRO") << u"PRO"_s << int(VerificationTier::Pro);
    QTest::newRow("pro") << u"pro"_s << int(VerificationTier::Pro);
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("unknown") << u"gold"_s << -1;
    QTest::newRow("prefix") << u"inter"_s << -1;
}

void TestRateLimits::tierFromString() {
    QFETCH(QString, name);
    QFETCH(int, tier);
    const auto t = kraken::tierFromString(name);
    QCOMPARE(t.has_value(), tier >= 0);
    if (t)
        QCOMPARE(int(*t), tier);
}

void TestRateLimits::limiterCancelYoungOrder() {
    std::int64_t now = 5'000'000;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    limiter.noteOrderPlaced(u"OQCLML-BW3P3-BUCMWZ"_s, u"BTC/USD"_s);
    QCOMPARE(limiter.pairOfOrder(u"OQCLML-BW3P3-BUCMWZ"_s), u"BTC/USD"_s);

    // Cancelling within 5 s of placing: +8 (§3.2).
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"OQCLML-BW3P3-BUCMWZ"_s), 8);
    now += 301'000; // rested more than 300 s: free
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"OQCLML-BW3P3-BUCMWZ"_s), 0);
}

void TestRateLimits::limiterUnknownOrderUsesUptime() {
    // An order the limiter never saw may have been placed a moment before it started, so
    // its age is at most known to be the limiter's uptime.
    std::int64_t now = 42'000;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"UNKNOWN-ORDER"_s), 8);
    QCOMPARE(limiter.costOf(TradingAction::Amend, u"UNKNOWN-ORDER"_s), 4);
    QCOMPARE(limiter.pairOfOrder(u"UNKNOWN-ORDER"_s), QString());
    now += 400'000;
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"UNKNOWN-ORDER"_s), 0);
    QCOMPARE(limiter.costOf(TradingAction::Amend, u"UNKNOWN-ORDER"_s), 1);
}

void TestRateLimits::limiterAmendResetsAge() {
    std::int64_t now = 0;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    limiter.noteOrderPlaced(u"O1"_s, u"ETH/USD"_s);
    now += 301'000;
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"O1"_s), 0);
    // The penalty counts from the last amend, not from placement.
    limiter.noteOrderAmended(u"O1"_s);
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"O1"_s), 8);
    now += 12'000; // 12 s after the amend: the <15 s column
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"O1"_s), 5);
    QCOMPARE(limiter.costOf(TradingAction::Edit, u"O1"_s), 5);
}

void TestRateLimits::limiterClosedOrderIsForgotten() {
    std::int64_t now = 0;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    now = 100'000; // limiter up for 100 s
    limiter.noteOrderPlaced(u"O2"_s, u"BTC/USD"_s);
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"O2"_s), 8);
    limiter.noteOrderClosed(u"O2"_s);
    // Forgotten: back to the uptime bound (100 s is in the <300 s column: +1).
    QCOMPARE(limiter.costOf(TradingAction::Cancel, u"O2"_s), 1);
    QCOMPARE(limiter.pairOfOrder(u"O2"_s), QString());
}

void TestRateLimits::limiterPairsAreIndependent() {
    std::int64_t now = 0;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    QCOMPARE(limiter.maxCounter(), StarterTradingMax);

    for (int i = 0; i < StarterTradingMax; ++i)
        QCOMPARE(limiter.reserve(TradingAction::Add, u"BTC/USD"_s), std::int64_t(0));
    QCOMPARE(limiter.counter(u"BTC/USD"_s), double(StarterTradingMax));
    // BTC/USD is full: the next add waits for one unit at 1/s.
    QVERIFY_DELAY(limiter.reserve(TradingAction::Add, u"BTC/USD"_s), 1.0,
                  StarterTradingDecayPerSec);
    // ETH/USD has its own counter, untouched by BTC/USD's.
    QCOMPARE(limiter.counter(u"ETH/USD"_s), 0.0);
    QCOMPARE(limiter.reserve(TradingAction::Add, u"ETH/USD"_s), std::int64_t(0));
    QCOMPARE(limiter.counter(u"ETH/USD"_s), 1.0);

    // The counter decays with the fake clock: 61 units at 1/s are gone after 62 s.
    now += 30'000;
    QVERIFY(limiter.counter(u"BTC/USD"_s) > 0.0);
    QVERIFY(limiter.counter(u"BTC/USD"_s) < StarterTradingMax);
    now = 62'000;
    QCOMPARE(limiter.counter(u"BTC/USD"_s), 0.0);
    QCOMPARE(limiter.counter(u"ETH/USD"_s), 0.0);
}

void TestRateLimits::limiterChargesTheCancelPenalty() {
    std::int64_t now = 0;
    TradingRateLimiter limiter(VerificationTier::Starter, [&now] { return now; });
    limiter.noteOrderPlaced(u"O3"_s, u"BTC/USD"_s);
    QCOMPARE(limiter.reserve(TradingAction::Cancel, u"BTC/USD"_s, u"O3"_s), std::int64_t(0));
    QCOMPARE(limiter.counter(u"BTC/USD"_s), 8.0);

    // 53 more cost-1 adds reach 61 > 60: the 53rd waits 1 s.
    for (int i = 0; i < 52; ++i)
        QCOMPARE(limiter.reserveCost(u"BTC/USD"_s, 1), std::int64_t(0));
    QVERIFY_DELAY(limiter.reserveCost(u"BTC/USD"_s, 1), 1.0, StarterTradingDecayPerSec);

    // Intermediate tier has the larger threshold of §3.2.
    TradingRateLimiter intermediate(VerificationTier::Intermediate, [&now] { return now; });
    QCOMPARE(intermediate.maxCounter(), 125);
}

QTEST_GUILESS_MAIN(TestRateLimits)
#include "tst_ratelimits.moc"
