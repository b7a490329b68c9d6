// MatchingEngine against real MarketSim books: every order type fills, rests, triggers and
// cancels as Kraken documents; fees, holds and balances are exact; price-time priority among
// user orders; expiry and the dead man's switch on a driven clock; state round trip.

#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/simconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

Decimal dec(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

struct Fixture {
    SimConfig config = SimConfig::builtIn();
    std::unique_ptr<MarketSim> btc;
    std::unique_ptr<MatchingEngine> engine;
    std::vector<ExecReport> events;
    qint64 clock = 1700000000000LL;

    Fixture() {
        btc = std::make_unique<MarketSim>(*config.pairBySymbol(u"BTC/USD"), 42);
        engine =
            std::make_unique<MatchingEngine>(config, std::vector<MarketSim *>{btc.get()}, nullptr);
        engine->setClock([this] { return clock; });
        QObject::connect(engine.get(), &MatchingEngine::execution, engine.get(),
                         [this](const QString &, const ExecReport &r) { events.push_back(r); });
    }

    OrderParams limit(Side side, const char *qty, const Decimal &price) {
        OrderParams p;
        p.symbol = u"BTC/USD"_s;
        p.side = side;
        p.type = OrderType::Limit;
        p.qty = dec(qty);
        p.limit = PriceSpec{price};
        return p;
    }
    OrderParams market(Side side, const char *qty) {
        OrderParams p;
        p.symbol = u"BTC/USD"_s;
        p.side = side;
        p.type = OrderType::Market;
        p.qty = dec(qty);
        return p;
    }
    QStringList types(const QString &orderId) const {
        QStringList out;
        for (const ExecReport &r : events) {
            if (r.order.id == orderId)
                out.append(r.execType);
        }
        return out;
    }
    Decimal usd() const { return engine->balance(u"paper"_s, u"USD"_s); }
    Decimal btcBal() const { return engine->balance(u"paper"_s, u"BTC"_s); }
    Decimal levelQty(Side side, const Decimal &price) const {
        for (const SimLevel &l : btc->levels(side, 0)) {
            if (l.price == price)
                return l.qty;
        }
        return {};
    }
    bool crossed() const {
        const auto b = btc->bestBid(), a = btc->bestAsk();
        return b && a && *b >= *a;
    }
};

Decimal tick() {
    return dec("0.1");
}
Decimal plus(const Decimal &a, const Decimal &b) {
    return *a.plus(b);
}
Decimal minus(const Decimal &a, const Decimal &b) {
    return *a.minus(b);
}
// Kraken-style money: cost at the quote's 4 places, fee = cost * pct / 100 half-up.
Decimal cost(const Decimal &price, const Decimal &qty) {
    return *price.times(qty, 4);
}
Decimal fee(const Decimal &cost, const char *pct) {
    const Decimal p = dec(pct);
    return *cost.times(p, cost.scale() + p.scale())
                ->dividedBy(Decimal::fromInt(100), 4, Rounding::HalfUp);
}

} // namespace

class TestMatchingEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void limitRestsWithHold();
    void crossingLimitTakesThenFills();
    void marketOrdersAndCashQty();
    void postOnlyRejected();
    void iocRemainderCancelled();
    void insufficientFundsAndValidation();
    void clOrdIdUniqueAndCancelRefs();
    void gtdExpiresOnTheClock();
    void deadMansSwitch();
    void makerFillsInPriceTimePriority();
    void icebergRefills();
    void stopAndTakeProfitTriggers();
    void trailingStopFollowsThePeak();
    void amendKeepsOrLosesPriority();
    void editReplaces();
    void tradingRateLimit();
    void stateRoundTrip();
};

void TestMatchingEngine::limitRestsWithHold() {
    Fixture f;
    const Decimal price = minus(*f.btc->bestBid(), dec("100.0"));
    const Decimal before = f.levelQty(Side::Buy, price);
    const auto r = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.50000000", price));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.orderId.size(), 19);
    QCOMPARE(r.orderId.at(0), u'O');
    QCOMPARE(r.orderId.at(6), u'-');
    QCOMPARE(r.orderId.at(12), u'-');
    QCOMPARE(f.types(r.orderId), (QStringList{u"pending_new"_s, u"new"_s}));
    const SimOrder *o = f.engine->order(r.orderId);
    QCOMPARE(o->status, OrderStatus::New);
    QCOMPARE(o->displayed, dec("0.5"));
    QCOMPARE(f.levelQty(Side::Buy, price), plus(before, dec("0.5")));
    // Hold: cost + taker fee, in USD, rounded up at 4 places.
    const Decimal c = cost(price, dec("0.5"));
    const Decimal hold = plus(c, fee(c, "0.40"));
    QCOMPARE(f.engine->held(u"paper"_s, u"USD"_s), hold);
    QCOMPARE(f.engine->available(u"paper"_s, u"USD"_s), minus(dec("100000"), hold));
    QCOMPARE(f.usd(), dec("100000")); // nothing spent
    // Cancel releases it and takes the quantity out of the book.
    const auto cr = f.engine->cancelOrders(u"paper"_s, {r.orderId});
    QVERIFY(cr.error.isEmpty());
    QCOMPARE(f.engine->held(u"paper"_s, u"USD"_s), Decimal());
    QCOMPARE(f.levelQty(Side::Buy, price), before);
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::Canceled);
    QCOMPARE(f.engine->order(r.orderId)->reason, u"User requested"_s);
    QCOMPARE(f.types(r.orderId).last(), u"canceled"_s);
}

void TestMatchingEngine::crossingLimitTakesThenFills() {
    Fixture f;
    const Decimal ask = *f.btc->bestAsk();
    const Decimal askQty = f.btc->levels(Side::Sell, 1).front().qty;
    QVERIFY(askQty >= dec("0.001"));
    const auto r = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.00100000", ask));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(f.types(r.orderId),
             (QStringList{u"pending_new"_s, u"new"_s, u"trade"_s, u"filled"_s}));
    const SimOrder *o = f.engine->order(r.orderId);
    QCOMPARE(o->status, OrderStatus::Filled);
    const Decimal c = cost(ask, dec("0.001"));
    const Decimal fe = fee(c, "0.40"); // taker
    QCOMPARE(o->cost, c);
    QCOMPARE(o->fee, fe);
    QCOMPARE(f.usd(), minus(minus(dec("100000"), c), fe));
    QCOMPARE(f.btcBal(), dec("2.001"));
    QCOMPARE(f.engine->held(u"paper"_s, u"USD"_s), Decimal());
    const auto trades = f.engine->trades(u"paper"_s);
    QCOMPARE(trades.size(), size_t(1));
    QCOMPARE(trades[0].price, ask);
    QVERIFY(!trades[0].maker);
    QCOMPARE(trades[0].publicTradeId, f.btc->recentTrades().back().tradeId);
    // Two ledger rows, newest first: USD (cost and fee), BTC.
    const auto ledgers = f.engine->ledgers(u"paper"_s);
    QCOMPARE(ledgers.size(), size_t(2));
    QCOMPARE(ledgers[0].asset, u"USD"_s);
    QCOMPARE(ledgers[0].amount, c.negated());
    QCOMPARE(ledgers[0].fee, fe);
    QCOMPARE(ledgers[0].balance, f.usd());
    QCOMPARE(ledgers[1].asset, u"BTC"_s);
    QCOMPARE(ledgers[1].amount, dec("0.001"));
    QVERIFY(!f.crossed());

    // A buy through several levels rests the remainder at its limit, uncrossed.
    const auto levels = f.btc->levels(Side::Sell, 3);
    const Decimal through = levels[1].price;
    const Decimal want = plus(plus(levels[0].qty, levels[1].qty), dec("0.1"));
    OrderParams p = f.limit(Side::Buy, "1", through);
    p.qty = *want.rescaled(8);
    const auto r2 = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(r2.error.isEmpty(), qPrintable(r2.error));
    const SimOrder *o2 = f.engine->order(r2.orderId);
    QCOMPARE(o2->filled, plus(levels[0].qty, levels[1].qty));
    QCOMPARE(o2->status, OrderStatus::PartiallyFilled);
    QCOMPARE(o2->displayed, dec("0.1"));
    QCOMPARE(*f.btc->bestBid(), through);
    QVERIFY(!f.crossed());
}

void TestMatchingEngine::marketOrdersAndCashQty() {
    Fixture f;
    const Decimal bid = *f.btc->bestBid();
    const auto r = f.engine->addOrder(u"paper"_s, f.market(Side::Sell, "0.00200000"));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(f.types(r.orderId),
             (QStringList{u"pending_new"_s, u"new"_s, u"trade"_s, u"filled"_s}));
    const Decimal c = cost(bid, dec("0.002"));
    QCOMPARE(f.usd(), minus(plus(dec("100000"), c), fee(c, "0.40")));
    QCOMPARE(f.btcBal(), dec("1.998"));

    // Market buy by cost (viqc / cash_order_qty): spends at most that much quote.
    OrderParams p = f.market(Side::Buy, "0");
    p.cashQty = dec("100.00");
    const Decimal usdBefore = f.usd();
    const auto r2 = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(r2.error.isEmpty(), qPrintable(r2.error));
    const SimOrder *o = f.engine->order(r2.orderId);
    QCOMPARE(o->status, OrderStatus::Filled);
    QVERIFY(o->cost <= dec("100"));
    QVERIFY(o->cost > dec("99"));
    QCOMPARE(o->qty, o->filled);
    QCOMPARE(f.usd(), minus(minus(usdBefore, o->cost), o->fee));
}

void TestMatchingEngine::postOnlyRejected() {
    Fixture f;
    OrderParams p = f.limit(Side::Buy, "0.01", *f.btc->bestAsk());
    p.postOnly = true;
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EOrder:Post only order"_s);
    QVERIFY(f.engine->openOrders(u"paper"_s).empty());
    QVERIFY(f.engine->trades(u"paper"_s).empty());
    p.limit = PriceSpec{*f.btc->bestBid()};
    const auto r = f.engine->addOrder(u"paper"_s, p);
    QVERIFY(r.error.isEmpty());
    QVERIFY(f.engine->order(r.orderId)->isResting());
}

void TestMatchingEngine::iocRemainderCancelled() {
    Fixture f;
    const SimLevel top = f.btc->levels(Side::Sell, 1).front();
    OrderParams p = f.limit(Side::Buy, "1", top.price);
    p.qty = *plus(top.qty, dec("0.5")).rescaled(8);
    p.tif = TimeInForce::IOC;
    const auto r = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const SimOrder *o = f.engine->order(r.orderId);
    QCOMPARE(o->filled, top.qty);
    QCOMPARE(o->status, OrderStatus::Canceled);
    QCOMPARE(o->reason, u"Immediate or cancel"_s);
    QCOMPARE(f.types(r.orderId).last(), u"canceled"_s);
    QVERIFY(!o->isResting());
    QVERIFY(f.btc->bestAsk() > top.price);
}

void TestMatchingEngine::insufficientFundsAndValidation() {
    Fixture f;
    const Decimal bid = *f.btc->bestBid();
    QCOMPARE(f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "10", minus(bid, dec("10")))).error,
             u"EOrder:Insufficient funds"_s);
    QCOMPARE(
        f.engine->addOrder(u"paper"_s, f.limit(Side::Sell, "2.5", plus(bid, dec("5000")))).error,
        u"EOrder:Insufficient funds"_s);
    QCOMPARE(f.engine->addOrder(u"paper"_s, f.market(Side::Buy, "5")).error,
             u"EOrder:Insufficient funds"_s);
    // Holds count: two sells of 1.5 BTC cannot both rest on 2 BTC.
    QVERIFY(f.engine->addOrder(u"paper"_s, f.limit(Side::Sell, "1.5", plus(bid, dec("5000"))))
                .error.isEmpty());
    QCOMPARE(
        f.engine->addOrder(u"paper"_s, f.limit(Side::Sell, "1.5", plus(bid, dec("5000")))).error,
        u"EOrder:Insufficient funds"_s);
    QCOMPARE(f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.01", dec("50000.05"))).error,
             u"EOrder:Invalid price"_s);
    QCOMPARE(f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.00001", dec("50000.0"))).error,
             u"EOrder:Order minimum not met"_s);
    QCOMPARE(
        f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.000000001", dec("50000.0"))).error,
        u"EGeneral:Invalid arguments:volume"_s);
    OrderParams p = f.limit(Side::Buy, "0.01", dec("50000.0"));
    p.symbol = u"NOPE/USD"_s;
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EQuery:Unknown asset pair"_s);
    // validate-only: accepted, nothing placed.
    OrderParams v = f.limit(Side::Buy, "0.01", dec("50000.0"));
    v.validateOnly = true;
    const auto r = f.engine->addOrder(u"paper"_s, v);
    QVERIFY(r.error.isEmpty());
    QVERIFY(r.orderId.isEmpty());
    QCOMPARE(f.engine->openOrders(u"paper"_s).size(), size_t(1));
}

void TestMatchingEngine::clOrdIdUniqueAndCancelRefs() {
    Fixture f;
    const Decimal price = minus(*f.btc->bestBid(), dec("500"));
    OrderParams p = f.limit(Side::Buy, "0.01", price);
    p.clOrdId = u"my-order-1"_s;
    QVERIFY(f.engine->addOrder(u"paper"_s, p).error.isEmpty());
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EOrder:Duplicate cl_ord_id"_s);
    OrderParams u1 = f.limit(Side::Buy, "0.01", price), u2 = u1;
    u1.userref = 77;
    u2.userref = 77;
    QVERIFY(f.engine->addOrder(u"paper"_s, u1).error.isEmpty());
    QVERIFY(f.engine->addOrder(u"paper"_s, u2).error.isEmpty());
    QCOMPARE(f.engine->cancelOrders(u"paper"_s, {u"77"_s}).orderIds.size(), 2);
    QCOMPARE(f.engine->cancelOrders(u"paper"_s, {u"my-order-1"_s}).orderIds.size(), 1);
    QCOMPARE(f.engine->cancelOrders(u"paper"_s, {u"my-order-1"_s}).error,
             u"EOrder:Unknown order"_s);
    // cl_ord_id is free again once the order is closed.
    QVERIFY(f.engine->addOrder(u"paper"_s, p).error.isEmpty());
    QCOMPARE(f.engine->cancelAll(u"paper"_s), 1);
}

void TestMatchingEngine::gtdExpiresOnTheClock() {
    Fixture f;
    OrderParams p = f.limit(Side::Buy, "0.01", minus(*f.btc->bestBid(), dec("500")));
    p.tif = TimeInForce::GTD;
    p.expireMs = f.clock - 1;
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EGeneral:Invalid arguments:expiretm"_s);
    p.expireMs = f.clock + 5000;
    const auto r = f.engine->addOrder(u"paper"_s, p);
    QVERIFY(r.error.isEmpty());
    f.clock += 4999;
    f.engine->tick();
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::New);
    f.clock += 1;
    f.engine->tick();
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::Expired);
    QCOMPARE(f.types(r.orderId).last(), u"expired"_s);
    QCOMPARE(f.engine->held(u"paper"_s, u"USD"_s), Decimal());
}

void TestMatchingEngine::deadMansSwitch() {
    Fixture f;
    const Decimal price = minus(*f.btc->bestBid(), dec("500"));
    const auto r = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.01", price));
    QCOMPARE(f.engine->cancelAllOrdersAfter(u"paper"_s, 60), f.clock + 60000);
    f.clock += 30000;
    f.engine->tick();
    // Re-arming pushes the trigger out.
    QCOMPARE(f.engine->cancelAllOrdersAfter(u"paper"_s, 60), f.clock + 60000);
    f.clock += 59000;
    f.engine->tick();
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::New);
    f.clock += 1000;
    f.engine->tick();
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::Canceled);
    QCOMPARE(f.engine->deadManTrigger(u"paper"_s), 0);
    // 0 disarms.
    const auto r2 = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.01", price));
    f.engine->cancelAllOrdersAfter(u"paper"_s, 10);
    QCOMPARE(f.engine->cancelAllOrdersAfter(u"paper"_s, 0), 0);
    f.clock += 20000;
    f.engine->tick();
    QCOMPARE(f.engine->order(r2.orderId)->status, OrderStatus::New);
}

void TestMatchingEngine::makerFillsInPriceTimePriority() {
    Fixture f;
    // Two orders improve the bid at one price; A arrived first.
    const Decimal price = plus(*f.btc->bestBid(), tick());
    QVERIFY(price < *f.btc->bestAsk());
    const auto a = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.02000000", price));
    const auto b = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.02000000", price));
    QVERIFY(a.error.isEmpty() && b.error.isEmpty());
    QCOMPARE(f.levelQty(Side::Buy, price), dec("0.04"));
    for (int i = 0; i < 5000 && f.engine->order(b.orderId)->filled.isZero(); ++i) {
        f.btc->step();
        // Whenever B has anything, A is complete.
        QVERIFY(f.engine->order(b.orderId)->filled.isZero() ||
                f.engine->order(a.orderId)->status == OrderStatus::Filled);
        QVERIFY(!f.crossed());
    }
    QVERIFY2(!f.engine->order(b.orderId)->filled.isZero(), "synthetic flow never reached B");
    const SimOrder *oa = f.engine->order(a.orderId);
    QCOMPARE(oa->status, OrderStatus::Filled);
    // Maker fee on every fill of A.
    const auto trades = f.engine->trades(u"paper"_s);
    Decimal feeA;
    for (const SimTrade &t : trades) {
        QVERIFY(t.maker);
        QCOMPARE(t.price, price);
        QCOMPARE(t.fee, fee(cost(t.price, t.qty), "0.25"));
        if (t.orderId == a.orderId)
            feeA = plus(feeA, t.fee);
    }
    QCOMPARE(oa->fee, feeA);
    QCOMPARE(f.types(a.orderId).last(), u"filled"_s);
}

void TestMatchingEngine::icebergRefills() {
    Fixture f;
    const Decimal price = plus(*f.btc->bestBid(), tick());
    OrderParams p = f.limit(Side::Buy, "0.10000000", price);
    p.type = OrderType::Iceberg;
    p.displayQty = dec("0.00500000");
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EGeneral:Invalid arguments:displayvol"_s);
    p.displayQty = dec("0.01000000");
    const auto r = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(f.levelQty(Side::Buy, price), dec("0.01"));
    for (int i = 0; i < 5000 && !f.types(r.orderId).contains(u"iceberg_refill"_s); ++i) {
        f.btc->step();
        QCoreApplication::processEvents(); // refills run after the market's step
    }
    QVERIFY(f.types(r.orderId).contains(u"iceberg_refill"_s));
    const SimOrder *o = f.engine->order(r.orderId);
    QVERIFY(o->filled >= dec("0.01"));
    if (isOpen(o->status) && o->isResting())
        QVERIFY(o->displayed <= dec("0.01"));
    QVERIFY(!f.crossed());
}

void TestMatchingEngine::stopAndTakeProfitTriggers() {
    Fixture f;
    const Decimal last = *f.btc->lastPrice();
    const Decimal bid50 = f.btc->levels(Side::Buy, 50).back().price;
    const Decimal bid200 = f.btc->levels(Side::Buy, 200).back().price;
    QVERIFY(bid50 < last);
    // A stop-loss sell below the market waits, untriggered and not in the book.
    OrderParams stop;
    stop.symbol = u"BTC/USD"_s;
    stop.side = Side::Sell;
    stop.type = OrderType::StopLoss;
    stop.qty = dec("0.01");
    stop.trigger = PriceSpec{bid50};
    const auto s = f.engine->addOrder(u"paper"_s, stop);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(f.types(s.orderId), (QStringList{u"pending_new"_s, u"new"_s}));
    QVERIFY(!f.engine->order(s.orderId)->isResting());
    QCOMPARE(f.engine->held(u"paper"_s, u"BTC"_s), dec("0.01"));
    // A take-profit sell below the market is met on arrival: it triggers and fills at once.
    OrderParams tp = stop;
    tp.type = OrderType::TakeProfit;
    const auto t = f.engine->addOrder(u"paper"_s, tp);
    const QStringList tpEvents = f.types(t.orderId);
    QCOMPARE(tpEvents.mid(0, 4),
             (QStringList{u"pending_new"_s, u"new"_s, u"status"_s, u"trade"_s}));
    QCOMPARE(tpEvents.last(), u"filled"_s);
    QCOMPARE(f.engine->order(t.orderId)->status, OrderStatus::Filled);
    // Relative trigger: "-distance" from the last price, limit "-5" from the trigger.
    const Decimal lastNow = *f.btc->lastPrice();
    const Decimal distance = minus(lastNow, bid50);
    OrderParams rel = stop;
    rel.type = OrderType::StopLossLimit;
    rel.trigger = PriceSpec{distance.negated(), PriceType::Quote};
    rel.limit = PriceSpec{dec("-5"), PriceType::Quote};
    const auto sl = f.engine->addOrder(u"paper"_s, rel);
    QVERIFY2(sl.error.isEmpty(), qPrintable(sl.error));
    QCOMPARE(*f.engine->order(sl.orderId)->triggerPrice, bid50);
    QCOMPARE(*f.engine->order(sl.orderId)->limitPrice, minus(bid50, dec("5")));
    // Push the market down through the stops with synthetic selling: both trigger.
    f.btc->take(Side::Sell, dec("100000"), bid200, true);
    QVERIFY(*f.btc->lastPrice() <= bid50);
    f.engine->processPending();
    QVERIFY(f.engine->order(s.orderId)->triggered);
    QCOMPARE(f.engine->order(s.orderId)->status, OrderStatus::Filled);
    QVERIFY(f.engine->order(sl.orderId)->triggered);
    QVERIFY(f.types(sl.orderId).contains(u"status"_s));
    QVERIFY(!f.crossed());
}

void TestMatchingEngine::trailingStopFollowsThePeak() {
    Fixture f;
    const Decimal last = *f.btc->lastPrice();
    OrderParams p;
    p.symbol = u"BTC/USD"_s;
    p.side = Side::Sell;
    p.type = OrderType::TrailingStop;
    p.qty = dec("0.01");
    p.trigger = PriceSpec{dec("200"), PriceType::Static};
    QCOMPARE(f.engine->addOrder(u"paper"_s, p).error, u"EGeneral:Invalid arguments:price"_s);
    // Percent distance: 1 % behind the last price.
    p.trigger = PriceSpec{dec("1"), PriceType::Pct};
    const auto pct = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(pct.error.isEmpty(), qPrintable(pct.error));
    QCOMPARE(*f.engine->order(pct.orderId)->triggerPrice,
             *minus(last, *last.times(dec("0.01"), 1)).rescaled(1));
    QVERIFY(f.engine->cancelOrders(u"paper"_s, {pct.orderId}).error.isEmpty());
    // Quote distance from the book, so the test can move the market through it.
    const Decimal distance = minus(last, f.btc->levels(Side::Buy, 30).back().price);
    p.trigger = PriceSpec{distance, PriceType::Quote};
    const auto r = f.engine->addOrder(u"paper"_s, p);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const Decimal firstTrigger = *f.engine->order(r.orderId)->triggerPrice;
    QCOMPARE(firstTrigger, minus(last, distance));
    // The market rises: the trigger follows (restated).
    const Decimal up = f.btc->levels(Side::Sell, 5).back().price;
    f.btc->take(Side::Buy, dec("100000"), up, true);
    f.engine->processPending();
    const SimOrder *o = f.engine->order(r.orderId);
    QCOMPARE(*o->peakPrice, *f.btc->lastPrice());
    QCOMPARE(*o->triggerPrice, minus(*o->peakPrice, distance));
    QVERIFY(*o->triggerPrice > firstTrigger);
    QVERIFY(f.types(r.orderId).contains(u"restated"_s));
    QVERIFY(!o->triggered);
    // Then falls through the trigger: it fires.
    f.btc->take(Side::Sell, dec("100000"), f.btc->levels(Side::Buy, 150).back().price, true);
    f.engine->processPending();
    QVERIFY(f.engine->order(r.orderId)->triggered);
    QCOMPARE(f.engine->order(r.orderId)->status, OrderStatus::Filled);
}

void TestMatchingEngine::amendKeepsOrLosesPriority() {
    Fixture f;
    const Decimal price = minus(*f.btc->bestBid(), dec("300"));
    const Decimal before = f.levelQty(Side::Buy, price);
    const auto a = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.05", price));
    const auto b = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.05", price));
    // Quantity down: in place, same id, same queue position.
    MatchingEngine::AmendParams am;
    am.orderId = a.orderId;
    am.qty = dec("0.03");
    auto r = f.engine->amendOrder(u"paper"_s, am);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.orderId, a.orderId);
    QCOMPARE(f.levelQty(Side::Buy, price), plus(before, dec("0.08")));
    QCOMPARE(f.types(a.orderId).last(), u"amended"_s);
    QVERIFY(f.engine->order(a.orderId)->amended);
    // Queue order survives a save: A still first.
    QJsonObject st = f.engine->saveState();
    QJsonArray queue;
    for (const QJsonValue &q : st.value(u"queues"_s).toArray()) {
        if (q.toObject().value(u"price"_s).toString() == price.toString())
            queue = q.toObject().value(u"orders"_s).toArray();
    }
    QCOMPARE(queue, (QJsonArray{a.orderId, b.orderId}));
    // Quantity up loses priority.
    am.qty = dec("0.06");
    QVERIFY(f.engine->amendOrder(u"paper"_s, am).error.isEmpty());
    st = f.engine->saveState();
    for (const QJsonValue &q : st.value(u"queues"_s).toArray()) {
        if (q.toObject().value(u"price"_s).toString() == price.toString())
            queue = q.toObject().value(u"orders"_s).toArray();
    }
    QCOMPARE(queue, (QJsonArray{b.orderId, a.orderId}));
    // Price change moves it.
    const Decimal newPrice = minus(price, dec("10.0"));
    am.qty.reset();
    am.limit = PriceSpec{newPrice};
    QVERIFY(f.engine->amendOrder(u"paper"_s, am).error.isEmpty());
    QCOMPARE(*f.engine->order(a.orderId)->limitPrice, newPrice);
    QCOMPARE(f.levelQty(Side::Buy, price), plus(before, dec("0.05")));
    // Unknown order.
    am.orderId = u"OAAAAA-BBBBB-CCCCCC"_s;
    QCOMPARE(f.engine->amendOrder(u"paper"_s, am).error, u"EOrder:Unknown order"_s);
}

void TestMatchingEngine::editReplaces() {
    Fixture f;
    const Decimal price = minus(*f.btc->bestBid(), dec("300"));
    const auto a = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.05", price));
    MatchingEngine::EditParams ep;
    ep.orderId = a.orderId;
    ep.symbol = u"BTC/USD"_s;
    ep.qty = dec("0.07");
    const auto r = f.engine->editOrder(u"paper"_s, ep);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.newOrderId != a.orderId);
    QCOMPARE(r.originalOrderId, a.orderId);
    QCOMPARE(f.engine->order(a.orderId)->status, OrderStatus::Canceled);
    QCOMPARE(f.engine->order(a.orderId)->reason, u"Order replaced"_s);
    QCOMPARE(f.engine->order(r.newOrderId)->qty, dec("0.07"));
    QCOMPARE(f.engine->openOrders(u"paper"_s).size(), size_t(1));
}

void TestMatchingEngine::tradingRateLimit() {
    Fixture f; // the clock stands still: no decay
    const Decimal price = minus(*f.btc->bestBid(), dec("300"));
    int placed = 0;
    QString error;
    for (int i = 0; i < 30 && error.isEmpty(); ++i) {
        const auto r = f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.001", price));
        if (!r.error.isEmpty()) {
            error = r.error;
            break;
        }
        ++placed;
        // A cancel within 5 s costs 8.
        const auto c = f.engine->cancelOrders(u"paper"_s, {r.orderId});
        if (!c.error.isEmpty())
            error = c.error;
    }
    QCOMPARE(error, u"EOrder:Rate limit exceeded"_s);
    // Intermediate: 125. Each round costs 1 + 8.
    // 13 rounds reach 117; the 14th add makes 118 and its cancel (+8) would pass 125.
    QCOMPARE(placed, 14);
    QCOMPARE(f.engine->tradingCounter(u"paper"_s, u"BTC/USD"_s), 118.0);
    QCOMPARE(f.engine->openOrders(u"paper"_s).size(), size_t(1));
    f.clock += 10000; // decays 2.34/s
    QVERIFY(f.engine->addOrder(u"paper"_s, f.limit(Side::Buy, "0.001", price)).error.isEmpty());
}

void TestMatchingEngine::stateRoundTrip() {
    QJsonObject saved;
    QString restingId, filledId;
    Decimal usd, btcBal, levelBefore, price;
    {
        Fixture f;
        price = minus(*f.btc->bestBid(), dec("300"));
        levelBefore = f.levelQty(Side::Buy, price);
        OrderParams p = f.limit(Side::Buy, "0.05", price);
        p.clOrdId = u"keep-me"_s;
        restingId = f.engine->addOrder(u"paper"_s, p).orderId;
        filledId = f.engine->addOrder(u"paper"_s, f.market(Side::Buy, "0.01")).orderId;
        usd = f.usd();
        btcBal = f.btcBal();
        saved = f.engine->saveState();
    }
    // The text survives JSON, and a fresh exchange picks it up.
    saved = QJsonDocument::fromJson(QJsonDocument(saved).toJson()).object();
    Fixture g;
    QString error;
    QVERIFY2(g.engine->restoreState(saved, &error), qPrintable(error));
    QCOMPARE(g.usd(), usd);
    QCOMPARE(g.btcBal(), btcBal);
    QCOMPARE(g.engine->openOrders(u"paper"_s).size(), size_t(1));
    const SimOrder *o = g.engine->order(restingId);
    QVERIFY(o);
    QCOMPARE(o->clOrdId, u"keep-me"_s);
    // A hold covers the worst case, so both its parts round up (charges round to nearest).
    const Decimal heldValue = *price.times(dec("0.05"), 4, Rounding::Up);
    const Decimal heldFee =
        *heldValue.times(dec("0.40"), 8)->dividedBy(dec("100"), 4, Rounding::Up);
    QCOMPARE(o->hold, plus(heldValue, heldFee));
    QCOMPARE(g.levelQty(Side::Buy, price), plus(levelBefore, dec("0.05")));
    QCOMPARE(g.engine->order(filledId)->status, OrderStatus::Filled);
    QCOMPARE(g.engine->trades(u"paper"_s).size(), size_t(1));
    QCOMPARE(g.engine->ledgers(u"paper"_s).size(), size_t(2));
    // And it keeps working: cancel the restored order.
    QVERIFY(g.engine->cancelOrders(u"paper"_s, {u"keep-me"_s}).error.isEmpty());
    QCOMPARE(g.levelQty(Side::Buy, price), levelBefore);
    QVERIFY(!g.engine->restoreState(QJsonObject{{u"version"_s, 9}}, &error));
}

QTEST_GUILESS_MAIN(TestMatchingEngine)
#include "tst_matchingengine.moc"
