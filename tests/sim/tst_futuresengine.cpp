// FuturesEngine driven directly: the book is set by hand (the market's external-feed mode), so
// every fill price, PnL, fee, margin and funding amount below is worked out by hand.

#include "kraken/sim/faults.h"
#include "kraken/sim/futuresengine.h"
#include "kraken/sim/marketsim.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

Decimal d(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

const QString Acc = u"paper"_s;
const QString Pf = u"PF_XBTUSD"_s;
const QString Pi = u"PI_XBTUSD"_s;

struct Rig {
    Faults faults;
    std::unique_ptr<FuturesEngine> engine;
    qint64 clock = 1'700'000'000'000;

    Rig() {
        engine = std::make_unique<FuturesEngine>(SimConfig::builtIn(), nullptr, &faults);
        engine->setClock([this] { return clock; });
        for (const QString &s : {Pf, Pi})
            engine->market(s)->setExternalFeed(true);
    }
    // One level a side; the index pinned, so the mark is exactly the index.
    void book(const QString &symbol, const char *bid, const char *ask, const char *qty = "5") {
        MarketSim *m = engine->market(symbol);
        m->applyExternalBook(Side::Buy, {{d(bid), d(qty)}}, true);
        m->applyExternalBook(Side::Sell, {{d(ask), d(qty)}}, true);
    }
    void index(const QString &symbol, const char *price) {
        engine->setIndexOverride(symbol, d(price));
        engine->processPending();
    }
    FuturesResult send(const QString &type, const QString &side, const char *size,
                       std::optional<Decimal> limit = {}, const QString &symbol = Pf,
                       bool reduceOnly = false) {
        FuturesOrderParams p;
        p.orderType = type;
        p.symbol = symbol;
        p.side = side;
        p.size = d(size);
        p.limitPrice = limit;
        p.reduceOnly = reduceOnly;
        return engine->sendOrder(Acc, p);
    }
    FuturesResult trigger(const QString &type, const QString &side, const char *size,
                          const char *stop, const QString &signal) {
        FuturesOrderParams p;
        p.orderType = type;
        p.symbol = Pf;
        p.side = side;
        p.size = d(size);
        p.stopPrice = d(stop);
        p.triggerSignal = signal;
        return engine->sendOrder(Acc, p);
    }
    Decimal cash(const QString &name = u"flex"_s) const { return engine->collateral(Acc, name); }
};

} // namespace

class TestFuturesEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtInConfigHasTheContracts() {
        const SimConfig c = SimConfig::builtIn();
        QVERIFY(c.futuresBySymbol(u"pf_xbtusd"));
        QVERIFY(c.futuresBySymbol(u"PI_XBTUSD")->inverse());
        QVERIFY(c.futuresBySymbol(u"PF_ETHUSD"));
        const auto fi = std::find_if(c.futures.begin(), c.futures.end(), [](const auto &f) {
            return f.symbol.startsWith(u"FI_XBTUSD_"_s);
        });
        QVERIFY(fi != c.futures.end());
        QVERIFY(fi->lastTradingTime > QDateTime::currentDateTimeUtc().addDays(14));
        QCOMPARE(fi->marginAccount(), u"fi_xbtusd"_s);
        const SimAccount &a = c.accounts.first();
        QVERIFY(!a.futuresApiKey.isEmpty() && a.futuresApiKey != a.apiKey);
        QCOMPARE(a.futuresFlex.value(u"USD"_s), d("50000"));
        QCOMPARE(SimConfig::builtIn().accounts.first().futuresSecret, a.futuresSecret);
        QCOMPARE(c.accountByFuturesKey(a.futuresApiKey)->id, u"paper"_s);
    }

    // Open long, add, partial close: average entry, realised and unrealised PnL, fees, margin.
    void linearPositionArithmetic() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "1").status, u"placed"_s);
        auto p = r.engine->position(Acc, Pf);
        QVERIFY(p);
        QCOMPARE(p->size, d("1"));
        QCOMPARE(p->entryPrice, d("60000"));
        QCOMPARE(r.cash(), d("49970")); // taker 0.05 % of 60000

        r.book(Pf, "59000", "61000");
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "1").status, u"placed"_s);
        p = r.engine->position(Acc, Pf);
        QCOMPARE(p->size, d("2"));
        QCOMPARE(p->entryPrice, d("60500"));
        QCOMPARE(r.cash(), d("49939.5"));

        r.book(Pf, "62000", "62100");
        r.index(Pf, "62000");
        const FuturesResult sell = r.send(u"mkt"_s, u"sell"_s, "0.5");
        QCOMPARE(sell.status, u"placed"_s);
        QCOMPARE(sell.events.back().type, u"EXECUTION"_s);
        QCOMPARE(sell.events.back().price, d("62000"));
        p = r.engine->position(Acc, Pf);
        QCOMPARE(p->size, d("1.5"));
        QCOMPARE(p->entryPrice, d("60500"));
        QCOMPARE(p->realizedPnl, d("750"));
        QCOMPARE(r.cash(), d("50674")); // + 750 realised - 15.5 fee
        QCOMPARE(r.engine->unrealizedPnl(Acc, Pf), d("2250"));

        const FuturesMarginAccount m = r.engine->marginAccount(Acc, u"flex"_s);
        QCOMPARE(m.initialMargin, d("1860"));    // 93000 notional * 2 %
        QCOMPARE(m.maintenanceMargin, d("930")); // * 1 %
        QCOMPARE(m.portfolioValue, d("52924"));
        QCOMPARE(m.availableMargin, d("51064"));
        // A resting order takes margin too.
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "1", d("50000")).status, u"placed"_s);
        QCOMPARE(r.engine->marginAccount(Acc, u"flex"_s).availableMargin, d("50064"));

        const auto fills = r.engine->fills(Acc);
        QCOMPARE(fills.size(), size_t(3));
        QCOMPARE(fills.back().fillType, u"taker"_s);
        QCOMPARE(fills.back().fee, d("15.5"));
    }

    void inversePositionArithmetic() {
        Rig r;
        r.book(Pi, "49999.5", "50000", "20000");
        r.index(Pi, "50000");
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "10000", {}, Pi).status, u"placed"_s);
        QCOMPARE(r.cash(u"fi_xbtusd"_s), d("0.9999")); // 10000 USD / 50000 * 0.05 %
        r.book(Pi, "62500", "62500.5", "20000");
        r.index(Pi, "62500");
        QCOMPARE(r.send(u"mkt"_s, u"sell"_s, "10000", {}, Pi).status, u"placed"_s);
        QVERIFY(!r.engine->position(Acc, Pi));
        // 10000 * (1/50000 - 1/62500) = 0.04 BTC; fee 0.00008
        QCOMPARE(r.cash(u"fi_xbtusd"_s), d("1.03982"));
        QCOMPARE(r.cash(), d("50000")); // flex untouched
    }

    void reduceOnlyNeverIncreases() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        QCOMPARE(r.send(u"mkt"_s, u"sell"_s, "1", {}, Pf, true).status,
                 u"wouldNotReducePosition"_s);
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "1").status, u"placed"_s);
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "1", d("59000"), Pf, true).status,
                 u"wouldNotReducePosition"_s);
        // Reduce-only sell of 3 against a long of 1: only 1 fills, the rest is cancelled.
        const FuturesResult res = r.send(u"mkt"_s, u"sell"_s, "3", {}, Pf, true);
        QCOMPARE(res.status, u"placed"_s);
        QVERIFY(!r.engine->position(Acc, Pf));
        QCOMPARE(r.engine->fills(Acc).back().size, d("1"));
        QCOMPARE(res.events.back().type, u"CANCEL"_s);
        QVERIFY(r.engine->openOrders(Acc).empty());
    }

    void insufficientFunds() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        // 100 BTC at 59000: 5.9 M notional, 10 % tier: 590000 of margin against 50000.
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "100", d("59000")).status,
                 u"insufficientAvailableFunds"_s);
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "30").status, u"insufficientAvailableFunds"_s);
        QVERIFY(r.engine->openOrders(Acc).empty());
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "1", d("59000")).status, u"placed"_s);
    }

    void validation() {
        Rig r;
        r.book(Pf, "59000", "60000");
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "0.00001", d("59000")).status, u"invalidSize"_s);
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "1", d("59000.5")).status, u"invalidPrice"_s);
        QCOMPARE(r.send(u"fok"_s, u"buy"_s, "1", d("59000")).status, u"invalidOrderType"_s);
        QCOMPARE(r.send(u"lmt"_s, u"up"_s, "1", d("59000")).status, u"invalidSide"_s);
        QCOMPARE(r.send(u"lmt"_s, u"buy"_s, "1.5", d("100"), Pi).status, u"invalidSize"_s);
    }

    void limitPostIocRestAndFill() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        const FuturesResult lmt = r.send(u"lmt"_s, u"buy"_s, "1", d("58000"));
        QCOMPARE(lmt.status, u"placed"_s);
        QCOMPARE(r.engine->openOrders(Acc).size(), size_t(1));
        const auto bids = r.engine->market(Pf)->levels(Side::Buy, 5);
        QVERIFY(std::any_of(bids.begin(), bids.end(), [](const SimLevel &l) {
            return l.price == d("58000") && l.qty == d("1");
        }));

        QCOMPARE(r.send(u"post"_s, u"buy"_s, "1", d("60000")).status, u"postWouldExecute"_s);
        QCOMPARE(r.send(u"post"_s, u"buy"_s, "1", d("59500")).status, u"placed"_s);
        QCOMPARE(r.send(u"ioc"_s, u"buy"_s, "1", d("59900")).status, u"iocWouldNotExecute"_s);
        const FuturesResult ioc = r.send(u"ioc"_s, u"buy"_s, "8", d("60000"));
        QCOMPARE(ioc.status, u"placed"_s);
        QCOMPARE(r.engine->position(Acc, Pf)->size, d("5")); // the ask held 5
        QCOMPARE(ioc.events.back().type, u"CANCEL"_s);

        // Synthetic sellers arrive at 58000: the resting buy fills there, as maker.
        r.engine->market(Pf)->applyExternalBook(Side::Sell, {{d("58000"), d("3")}}, true);
        r.engine->processPending();
        QVERIFY(!r.engine->order(lmt.orderId)->open);
        QCOMPARE(r.engine->fills(Acc).back().fillType, u"maker"_s);
        QCOMPARE(r.engine->fills(Acc).back().price, d("58000"));
        QCOMPARE(r.engine->position(Acc, Pf)->size, d("7")); // post 1 @ 59500 filled too
    }

    void triggersFireOnTheirSignal() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        const FuturesResult stp = r.trigger(u"stp"_s, u"sell"_s, "1", "57000", u"index"_s);
        QCOMPARE(stp.status, u"placed"_s);
        QCOMPARE(r.engine->openOrders(Acc).size(), size_t(1));
        r.index(Pf, "57500");
        QVERIFY(r.engine->order(stp.orderId)->open);
        r.index(Pf, "56900");
        QVERIFY(!r.engine->order(stp.orderId)->open);
        QCOMPARE(r.engine->position(Acc, Pf)->size, d("-1"));
        QCOMPARE(r.engine->fills(Acc).back().price, d("59000"));

        // Take-profit buy on the mark: fires when the mark falls to it.
        r.index(Pf, "59500");
        const FuturesResult tp = r.trigger(u"take_profit"_s, u"buy"_s, "1", "58000", u"mark"_s);
        QVERIFY(r.engine->order(tp.orderId)->open);
        r.index(Pf, "57900");
        QVERIFY(!r.engine->order(tp.orderId)->open);
        QVERIFY(!r.engine->position(Acc, Pf));

        // Stop on the last trade price.
        const FuturesResult last = r.trigger(u"stp"_s, u"buy"_s, "1", "60500", u"last"_s);
        QVERIFY(r.engine->order(last.orderId)->open);
        r.engine->market(Pf)->applyExternalTrade({0, Side::Buy, d("60600"), d("1"), false, {}});
        r.engine->processPending();
        QVERIFY(!r.engine->order(last.orderId)->open);
        QCOMPARE(r.engine->position(Acc, Pf)->size, d("1"));

        // Trailing stop: the stop follows the index up 1000 behind, then fires.
        FuturesOrderParams p;
        p.orderType = u"trailing_stop"_s;
        p.symbol = Pf;
        p.side = u"sell"_s;
        p.size = d("1");
        p.triggerSignal = u"index"_s;
        p.trailingStopMaxDeviation = d("1000");
        p.trailingStopDeviationUnit = u"QUOTE_CURRENCY"_s;
        r.index(Pf, "60000");
        const FuturesResult trail = r.engine->sendOrder(Acc, p);
        QCOMPARE(trail.status, u"placed"_s);
        QCOMPARE(*r.engine->order(trail.orderId)->stopPrice, d("59000"));
        r.index(Pf, "61000");
        QCOMPARE(*r.engine->order(trail.orderId)->stopPrice, d("60000"));
        r.index(Pf, "60500");
        QVERIFY(r.engine->order(trail.orderId)->open);
        r.index(Pf, "59990");
        QVERIFY(!r.engine->order(trail.orderId)->open);
        QVERIFY(!r.engine->position(Acc, Pf));
    }

    void fundingIsExact() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "60000");
        QCOMPARE(r.send(u"mkt"_s, u"buy"_s, "2").status, u"placed"_s); // fee 60
        r.engine->setFundingRateOverride(Pf, d("0.0001"));
        r.engine->applyFunding();
        // Longs pay: 2 * 60000 * 0.0001 = 12 per interval.
        QCOMPARE(r.engine->position(Acc, Pf)->unrealizedFunding, d("-12"));
        r.engine->applyFunding();
        QCOMPARE(r.engine->position(Acc, Pf)->unrealizedFunding, d("-24"));
        QCOMPARE(r.engine->marginAccount(Acc, u"flex"_s).unrealizedFunding, d("-24"));
        // Settled into collateral when the position is reduced.
        r.book(Pf, "60000", "60100");
        QCOMPARE(r.send(u"mkt"_s, u"sell"_s, "2").status, u"placed"_s); // fee 60, pnl 0
        QCOMPARE(r.cash(), d("49856"));
        // Funding by the clock: the interval comes round in tick().
        QCOMPARE(r.send(u"mkt"_s, u"sell"_s, "1").status, u"placed"_s);
        r.clock = r.engine->nextFundingMs();
        r.engine->tick();
        QCOMPARE(r.engine->position(Acc, Pf)->unrealizedFunding, d("6")); // shorts receive
    }

    void editCancelAndDeadMansSwitch() {
        Rig r;
        r.book(Pf, "59000", "60000");
        r.index(Pf, "59500");
        FuturesOrderParams p;
        p.orderType = u"lmt"_s;
        p.symbol = Pf;
        p.side = u"buy"_s;
        p.size = d("1");
        p.limitPrice = d("58000");
        p.cliOrdId = u"mine-1"_s;
        const FuturesResult placed = r.engine->sendOrder(Acc, p);
        QCOMPARE(r.engine->sendOrder(Acc, p).status, u"clientOrderIdAlreadyExist"_s);
        FuturesEngine::EditParams e;
        e.cliOrdId = u"mine-1"_s;
        e.size = d("2");
        e.limitPrice = d("58500");
        QCOMPARE(r.engine->editOrder(Acc, e).status, u"edited"_s);
        QCOMPARE(r.engine->order(placed.orderId)->size, d("2"));
        e.stopPrice = d("1");
        QCOMPARE(r.engine->editOrder(Acc, e).status, u"orderForEditNotAStop"_s);
        // Edited through the ask: trades at once, as takerAfterEdit.
        FuturesEngine::EditParams cross;
        cross.orderId = placed.orderId;
        cross.limitPrice = d("60000");
        QCOMPARE(r.engine->editOrder(Acc, cross).status, u"edited"_s);
        QCOMPARE(r.engine->fills(Acc).back().fillType, u"takerAfterEdit"_s);
        QCOMPARE(r.engine->cancelOrder(Acc, placed.orderId, {}).status, u"filled"_s);
        QCOMPARE(r.engine->cancelOrder(Acc, u"nope"_s, {}).status, u"notFound"_s);

        p.cliOrdId = u"mine-2"_s;
        r.engine->sendOrder(Acc, p);
        QCOMPARE(r.engine->cancelOrder(Acc, {}, u"mine-2"_s).status, u"cancelled"_s);

        r.send(u"lmt"_s, u"buy"_s, "1", d("57000"));
        r.send(u"lmt"_s, u"buy"_s, "10", d("100"), Pi);
        QCOMPARE(r.engine->cancelAll(Acc, u"pi_xbtusd"_s).size(), size_t(1));
        QCOMPARE(r.engine->openOrders(Acc).size(), size_t(1));

        QCOMPARE(r.engine->cancelAllOrdersAfter(Acc, 60), r.clock + 60000);
        r.clock += 59000;
        r.engine->tick();
        QCOMPARE(r.engine->openOrders(Acc).size(), size_t(1));
        r.clock += 1000;
        r.engine->tick();
        QVERIFY(r.engine->openOrders(Acc).empty());
        QCOMPARE(r.engine->deadManTrigger(Acc), qint64(0));
    }

    void markFollowsTheSpotIndex() {
        SimConfig config = SimConfig::builtIn();
        MarketSim spot(config.pairs.first(), 5); // BTC/USD
        Faults faults;
        FuturesEngine engine(
            config, [&spot](const QString &s) { return s == spot.symbol() ? &spot : nullptr; },
            &faults);
        const Decimal mid =
            *spot.bestBid()->plus(*spot.bestAsk())->dividedBy(Decimal::fromInt(2), 2);
        QCOMPARE(*engine.indexPrice(Pf), mid);
        QCOMPARE(*engine.markPrice(Pf), mid); // no premium before the first step
        for (int i = 0; i < 20; ++i)
            engine.step();
        QVERIFY(engine.markPrice(Pf).has_value());
        QVERIFY(engine.fundingRate(Pf).abs() <= d("0.001"));
        QCOMPARE(engine.fundingRate(engine.config().futures.last().symbol), Decimal()); // FI_
    }
};

QTEST_GUILESS_MAIN(TestFuturesEngine)
#include "tst_futuresengine.moc"
