// MarketSim: determinism for a seed, a book that is never crossed while user quantity rests
// in it, user takers, the matcher contract (synthetic quantity first, best price first), and
// bars and ticker that agree with the trades.

#include "kraken/sim/marketsim.h"
#include "kraken/sim/simconfig.h"

#include <QSignalSpy>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

Decimal dec(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

const SimPair &pairFor(const SimConfig &config, const char *symbol) {
    const SimPair *p = config.pairBySymbol(QString::fromLatin1(symbol));
    Q_ASSERT(p);
    return *p;
}

// The user's resting orders as the engine would keep them: per side and price, a FIFO.
struct UserBook {
    std::map<std::pair<int, Decimal>, std::vector<Decimal>> orders;
    Decimal total(Side s, const Decimal &p) const {
        Decimal sum = Decimal::fromInt(0);
        const auto it = orders.find({int(s), p});
        if (it != orders.end())
            for (const Decimal &q : it->second)
                sum = *sum.plus(q);
        return sum;
    }
};

} // namespace

class TestMarketSim : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deterministicForASeed();
    void bookShape_data();
    void bookShape();
    void neverCrossedWithUserQuantity();
    void takeConsumesSyntheticOnly();
    void takeQuoteSpendsBudget();
    void matcherCalledInPriorityOrder();
    void barsAndTickerAgreeWithTrades();
    void publishedIsCoalesced();
};

void TestMarketSim::deterministicForASeed() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = pairFor(config, "BTC/USD");
    MarketSim a(btc, 42), b(btc, 42), c(btc, 43);
    for (int i = 0; i < 300; ++i) {
        a.step();
        b.step();
        c.step();
    }
    QCOMPARE(a.levels(Side::Buy, 0), b.levels(Side::Buy, 0));
    QCOMPARE(a.levels(Side::Sell, 0), b.levels(Side::Sell, 0));
    QVERIFY(a.levels(Side::Buy, 0) != c.levels(Side::Buy, 0));
    const auto &ta = a.recentTrades();
    const auto &tb = b.recentTrades();
    QCOMPARE(ta.size(), tb.size());
    QVERIFY(ta.size() >= 1000);
    for (std::size_t i = 0; i < ta.size(); ++i) {
        QCOMPARE(ta[i].tradeId, tb[i].tradeId);
        QCOMPARE(ta[i].price, tb[i].price);
        QCOMPARE(ta[i].qty, tb[i].qty);
        QCOMPARE(int(ta[i].takerSide), int(tb[i].takerSide));
        QCOMPARE(ta[i].marketOrder, tb[i].marketOrder);
    }
}

void TestMarketSim::bookShape_data() {
    QTest::addColumn<QString>("symbol");
    const SimConfig config = SimConfig::builtIn();
    for (const SimPair &p : config.pairs)
        QTest::newRow(qPrintable(p.instrument.symbol())) << p.instrument.symbol();
}

void TestMarketSim::bookShape() {
    QFETCH(QString, symbol);
    const SimConfig config = SimConfig::builtIn();
    const SimPair &pair = *config.pairBySymbol(symbol);
    MarketSim m(pair, 7);
    for (int i = 0; i < 200; ++i)
        m.step();
    for (const Side side : {Side::Buy, Side::Sell}) {
        const auto levels = m.levels(side, 0);
        QVERIFY2(levels.size() >= 1000, qPrintable(QString::number(levels.size())));
        for (std::size_t i = 0; i < levels.size(); ++i) {
            const SimLevel &l = levels[i];
            QCOMPARE(l.price.scale(), pair.pricePrecision);
            QCOMPARE(l.qty.scale(), pair.qtyPrecision);
            QVERIFY(l.price.isMultipleOf(pair.priceIncrement));
            QVERIFY(l.qty.isMultipleOf(pair.qtyIncrement));
            QVERIFY(l.qty.signum() > 0);
            QVERIFY(l.price.signum() > 0);
            if (i > 0) // strictly best first
                QVERIFY(side == Side::Buy ? l.price < levels[i - 1].price
                                          : l.price > levels[i - 1].price);
        }
        QCOMPARE(m.levels(side, 10).size(), std::size_t(10));
        QCOMPARE(m.levels(side, 10)[0], levels[0]);
    }
    QVERIFY(*m.bestBid() < *m.bestAsk());
    // The walk stays near where it started after 200 steps (no runaway).
    const Decimal mid = *m.bestBid();
    QVERIFY(mid > *pair.startPrice.dividedBy(Decimal::fromInt(2), pair.pricePrecision));
    QVERIFY(mid < *pair.startPrice.times(Decimal::fromInt(2), pair.pricePrecision));
}

void TestMarketSim::neverCrossedWithUserQuantity() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = pairFor(config, "BTC/USD");
    MarketSim m(btc, 11);
    UserBook user;
    int matcherCalls = 0;
    Decimal userFilled = Decimal::fromInt(0);
    m.setUserMatcher([&](Side side, const Decimal &price, const Decimal &maxQty) {
        ++matcherCalls;
        // Never asked for more than the user shows at that price.
        const Decimal shown = user.total(side, price);
        if (maxQty > shown)
            qFatal("matcher asked for %s at %s, user has %s", qPrintable(maxQty.toString()),
                   qPrintable(price.toString()), qPrintable(shown.toString()));
        Decimal left = maxQty;
        auto &fifo = user.orders[{int(side), price}];
        while (!fifo.empty() && left.signum() > 0) {
            const Decimal f = std::min(left, fifo.front());
            left = *left.minus(f);
            fifo.front() = *fifo.front().minus(f);
            if (fifo.front().isZero())
                fifo.erase(fifo.begin());
        }
        const Decimal filled = *maxQty.minus(left);
        userFilled = *userFilled.plus(filled);
        return filled;
    });
    std::mt19937_64 rng(5);
    for (int i = 0; i < 4000; ++i) {
        m.step();
        if (i % 7 == 0) {
            // A user limit order a few ticks behind the touch, on either side.
            const Side side = rng() % 2 ? Side::Buy : Side::Sell;
            const Decimal ticks = Decimal::fromInt(qint64(rng() % 40));
            const Decimal offset = *ticks.times(btc.priceIncrement, 1);
            const Decimal price =
                side == Side::Buy ? *m.bestBid()->minus(offset) : *m.bestAsk()->plus(offset);
            const Decimal qty = *Decimal::fromParts(qint64(1 + rng() % 50'000'000), 8);
            user.orders[{int(side), price}].push_back(qty);
            m.addUserQty(side, price, qty);
        }
        const auto bid = m.bestBid(), ask = m.bestAsk();
        QVERIFY(bid && ask);
        if (!(*bid < *ask))
            QFAIL(qPrintable(
                u"crossed at step %1: %2 / %3"_s.arg(i).arg(bid->toString(), ask->toString())));
    }
    QVERIFY2(matcherCalls > 10, qPrintable(QString::number(matcherCalls)));
    QVERIFY(userFilled.signum() > 0);
    // Every price still holding user quantity shows at least that much in the book.
    for (const auto &[key, fifo] : user.orders) {
        const Decimal total = user.total(Side(key.first), key.second);
        if (total.isZero())
            continue;
        bool found = false;
        for (const SimLevel &l : m.levels(Side(key.first), 0)) {
            if (l.price == key.second) {
                QVERIFY(l.qty >= total);
                found = true;
            }
        }
        QVERIFY2(found, qPrintable(key.second.toString()));
    }
}

void TestMarketSim::takeConsumesSyntheticOnly() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = pairFor(config, "BTC/USD");
    MarketSim m(btc, 3);
    m.step();
    QSignalSpy printed(&m, &MarketSim::tradePrinted);
    const auto asksBefore = m.levels(Side::Sell, 20);
    const qint64 lastId = m.recentTrades().back().tradeId;

    // Exactly the first two levels plus part of the third.
    const Decimal want = *asksBefore[0].qty.plus(asksBefore[1].qty)->plus(dec("0.00000001"));
    const auto fills = m.take(Side::Buy, want, std::nullopt, true);
    QCOMPARE(fills.size(), std::size_t(3));
    QCOMPARE(fills[0].price, asksBefore[0].price);
    QCOMPARE(fills[0].qty, asksBefore[0].qty);
    QCOMPARE(fills[1].price, asksBefore[1].price);
    QCOMPARE(fills[2].price, asksBefore[2].price);
    QCOMPARE(fills[2].qty, dec("0.00000001"));
    QCOMPARE(printed.count(), 3);
    const auto trades = m.tradesSince(lastId);
    QCOMPARE(trades.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(trades[i].tradeId, lastId + 1 + qint64(i));
        QCOMPARE(int(trades[i].takerSide), int(Side::Buy));
        QVERIFY(trades[i].marketOrder);
        QCOMPARE(trades[i].price, fills[i].price);
        QCOMPARE(trades[i].qty, fills[i].qty);
    }
    QCOMPARE(*m.bestAsk(), asksBefore[2].price);
    QCOMPARE(m.levels(Side::Sell, 1)[0].qty, *asksBefore[2].qty.minus(dec("0.00000001")));
    QCOMPARE(*m.lastPrice(), asksBefore[2].price);

    // A limit below the best ask takes nothing.
    QVERIFY(m.take(Side::Buy, dec("1"), *m.bestBid(), false).empty());

    // The user's own resting quantity is never taken by the user: an ask inside the spread
    // becomes the best ask, and a buy limited to that price fills nothing.
    const Decimal inside = *m.bestAsk()->minus(btc.priceIncrement);
    QVERIFY(inside > *m.bestBid());
    m.addUserQty(Side::Sell, inside, dec("0.5"));
    QCOMPARE(*m.bestAsk(), inside);
    QVERIFY(m.take(Side::Buy, dec("1"), inside, false).empty());
    QCOMPARE(m.levels(Side::Sell, 1)[0], (SimLevel{inside, dec("0.50000000")}));
    // Past it, synthetic quantity fills and the user's level stays.
    const auto beyond = m.take(Side::Buy, dec("0.00000002"), std::nullopt, false);
    QCOMPARE(beyond.size(), std::size_t(1));
    QVERIFY(beyond[0].price > inside);
    QCOMPARE(*m.bestAsk(), inside);
    // Removing it restores the previous best.
    m.addUserQty(Side::Sell, inside, dec("-0.5"));
    QVERIFY(*m.bestAsk() > inside);

    // A user bid at the best ask: the synthetic makers there step away, never crossed.
    const Decimal atAsk = *m.bestAsk();
    m.addUserQty(Side::Buy, atAsk, dec("0.1"));
    QCOMPARE(*m.bestBid(), atAsk);
    QVERIFY(*m.bestAsk() > atAsk);
}

void TestMarketSim::takeQuoteSpendsBudget() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &eth = pairFor(config, "ETH/USD");
    MarketSim m(eth, 9);
    const auto asks = m.levels(Side::Sell, 1);
    const Decimal budget = dec("1000");
    const auto fills = m.takeQuote(Side::Buy, budget);
    QVERIFY(!fills.empty());
    Decimal spent = Decimal::fromInt(0);
    for (const SimFill &f : fills)
        spent = *spent.plus(*f.price.times(f.qty, 10));
    QVERIFY(spent <= budget);
    // Less than one more lot at the last price would have fitted.
    const Decimal oneLot = *fills.back().price.times(eth.qtyIncrement, 10);
    QVERIFY(*budget.minus(spent) < oneLot);
    QCOMPARE(fills[0].price, asks[0].price);
}

void TestMarketSim::matcherCalledInPriorityOrder() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = pairFor(config, "BTC/USD");
    MarketSim m(btc, 21);
    UserBook user;
    int calls = 0;
    QString problem;
    std::vector<MarketTrade> printed;
    connect(&m, &MarketSim::tradePrinted, &m, [&](const MarketTrade &t) { printed.push_back(t); });
    std::size_t printedAtCall = 0;
    m.setUserMatcher([&](Side side, const Decimal &price, const Decimal &maxQty) {
        ++calls;
        // Best price first: the user's level is the best of its side when it is filled ...
        const SimLevel best = m.levels(side, 1)[0];
        if (best.price != price)
            problem =
                u"matched %1 while the best was %2"_s.arg(price.toString(), best.price.toString());
        // ... and the synthetic quantity there (which arrived first) is gone already.
        if (best.qty != user.total(side, price))
            problem = u"synthetic quantity left at %1: level %2, user %3"_s.arg(
                price.toString(), best.qty.toString(), user.total(side, price).toString());
        const Decimal shown = user.total(side, price);
        const Decimal f = std::min(maxQty, shown);
        user.orders[{int(side), price}] = {*shown.minus(f)};
        printedAtCall = printed.size();
        return f;
    });
    // Resting orders on both sides, at the touch and behind it.
    for (int k = 0; k < 6; ++k) {
        const Decimal off = *Decimal::fromInt(k * 3).times(btc.priceIncrement, 1);
        const Decimal bid = *m.bestBid()->minus(off), ask = *m.bestAsk()->plus(off);
        user.orders[{int(Side::Buy), bid}] = {dec("0.01000000")};
        user.orders[{int(Side::Sell), ask}] = {dec("0.01000000")};
        m.addUserQty(Side::Buy, bid, dec("0.01"));
        m.addUserQty(Side::Sell, ask, dec("0.01"));
    }
    const std::size_t before = m.recentTrades().size();
    for (int i = 0; i < 2000 && calls < 6; ++i)
        m.step();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY2(calls >= 1, "the walk never reached a user order");
    Q_UNUSED(before);
    // The user's fill printed a trade at the user's price, right after the call.
    QVERIFY(printed.size() > printedAtCall);
}

void TestMarketSim::barsAndTickerAgreeWithTrades() {
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = pairFor(config, "BTC/USD");
    MarketSim m(btc, 5);
    // History at construction: more than 720 one-minute bars, all trades in them.
    const auto oneMin = m.bars(1);
    QVERIFY(oneMin.size() >= 720);
    for (int i = 0; i < 50; ++i)
        m.step();
    const qint64 allTrades = m.recentTrades().back().tradeId;
    for (const int interval : OhlcIntervals) {
        const auto bars = m.bars(interval);
        QVERIFY(!bars.empty());
        qint64 count = 0;
        for (std::size_t i = 0; i < bars.size(); ++i) {
            const OhlcBar &b = bars[i];
            count += b.trades;
            QCOMPARE(b.intervalMinutes, interval);
            QCOMPARE(b.begin.toSecsSinceEpoch() % (qint64(interval) * 60), 0);
            if (i > 0)
                QCOMPARE(b.begin.toSecsSinceEpoch() - bars[i - 1].begin.toSecsSinceEpoch(),
                         qint64(interval) * 60);
            QVERIFY(b.low <= b.open && b.open <= b.high);
            QVERIFY(b.low <= b.close && b.close <= b.high);
            if (b.trades > 0)
                QVERIFY(b.low <= b.vwap && b.vwap <= b.high);
        }
        QCOMPARE(count, allTrades);
    }

    // The forming one-minute bar, recomputed from the tape.
    const OhlcBar last = m.bars(1).back();
    const qint64 begin = last.begin.toSecsSinceEpoch();
    Decimal high, low, notional = Decimal::fromInt(0), volume = Decimal::fromInt(0);
    std::optional<Decimal> open, close;
    int n = 0;
    for (const MarketTrade &t : m.recentTrades()) {
        if (t.time.toSecsSinceEpoch() < begin || t.time.toSecsSinceEpoch() >= begin + 60)
            continue;
        if (!open) {
            open = t.price;
            high = low = t.price;
        }
        high = std::max(high, t.price);
        low = std::min(low, t.price);
        close = t.price;
        notional = *notional.plus(*t.price.times(t.qty, 9));
        volume = *volume.plus(t.qty);
        ++n;
    }
    QCOMPARE(n, last.trades);
    QCOMPARE(last.open, *open);
    QCOMPARE(last.high, high);
    QCOMPARE(last.low, low);
    QCOMPARE(last.close, *close);
    QCOMPARE(last.volume, volume);
    QCOMPARE(last.vwap, *notional.dividedBy(volume, 1, Rounding::HalfUp));

    // `since` filters by begin.
    const auto recent = m.bars(5, m.bars(5).back().begin);
    QCOMPARE(recent.size(), std::size_t(1));

    const TickerStats t = m.ticker();
    QCOMPARE(t.last, m.recentTrades().back().price);
    QCOMPARE(t.lastQty, m.recentTrades().back().qty);
    QCOMPARE(t.bid, *m.bestBid());
    QCOMPARE(t.ask, *m.bestAsk());
    QCOMPARE(t.bidQty, m.levels(Side::Buy, 1)[0].qty);
    QVERIFY(t.low <= t.last && t.last <= t.high);
    QVERIFY(t.low <= t.vwap && t.vwap <= t.high);
    QVERIFY(t.trades > 1000); // a day of history
    QVERIFY(t.trades <= allTrades);
    QCOMPARE(t.change, *t.last.minus(t.open));
    QCOMPARE(t.changePct.scale(), 2);
    QCOMPARE(t.changePct,
             *t.change.times(Decimal::fromInt(100), 8)->dividedBy(t.open, 2, Rounding::HalfUp));
    QVERIFY(t.todayTrades <= t.trades);
}

void TestMarketSim::publishedIsCoalesced() {
    const SimConfig config = SimConfig::builtIn();
    MarketSim m(pairFor(config, "SOL/USD"), 1);
    QSignalSpy published(&m, &MarketSim::published);
    m.step();
    m.step();
    m.step();
    QCOMPARE(published.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, 10000);
    QTest::qWait(20);
    QCOMPARE(published.count(), 1);
    m.step();
    m.publishNow();
    QCOMPARE(published.count(), 2);
    m.publishNow(); // nothing changed since
    QCOMPARE(published.count(), 2);
    QTest::qWait(20); // the scheduled turn finds nothing left to publish
    QCOMPARE(published.count(), 2);
    QCOMPARE(m.spreadHistory().empty(), false);
}

QTEST_GUILESS_MAIN(TestMarketSim)
#include "tst_marketsim.moc"
