// OrderManager against the paper exchange over real loopback sockets (REST and the
// authenticated WebSocket), with a real SQLite journal in a temporary directory. Each test
// compares the manager's view with the exchange's own state (the matching engine), so a
// manager that merely agrees with itself fails.

#include "kraken/core/credentials.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/tradingwsclient.h"
#include "model/journal.h"
#include "model/ordermanager.h"
#include "tests/sim/rawhttp.h"
#include "tests/spot/spottestsupport.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace kraken;
using model::OrderRecord;
using model::OrderState;
using spottest::dec;

namespace {

constexpr int Bound = 30'000; // generous: the machine may be loaded

Decimal minus(const Decimal &a, const Decimal &b) {
    return *a.minus(b);
}
Decimal plus(const Decimal &a, const Decimal &b) {
    return *a.plus(b);
}

// A terminal's trading stack: REST client, authenticated WS client, journal, manager.
struct Stack {
    std::unique_ptr<spot::RestClient> rest;
    std::unique_ptr<spot::TradingWsClient> ws;
    std::unique_ptr<model::Journal> journal;
    std::unique_ptr<model::OrderManager> manager;
};

} // namespace

namespace model {
char *toString(const OrderState &s) {
    return qstrdup(qPrintable(orderStateName(s)));
}
} // namespace model

class TestOrderManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void limitRestsAmendsAndCancels();
    void journalRowBeforeRequest();
    void marketOrderFillsAndMovesBalances();
    void partialFillThenCancel();
    void everyOrderTypeRestsAndTriggers_data();
    void everyOrderTypeRestsAndTriggers();
    void lostAckResolvedExactlyOnce();
    void droppedSocketAfterSendResolved();
    void neverArrivedBecomesRejected();
    void lostRestAnswerFoundOpen();
    void restFallbackAndDefiniteErrors();
    void restartRestoresExchangeState();
    void reconnectDoesNotDoubleFills();
    void ordersKrakenNoLongerKnowsAreFlagged();
    void adoptsOrdersPlacedElsewhere();
    void deadMansSwitchArmsRefreshesAndDisarms();

private:
    std::unique_ptr<Stack> makeStack(bool withWs = true, model::OrderManagerConfig config = {});
    bool waitLive(Stack &s);
    bool waitState(Stack &s, const QString &cl, OrderState state);
    // Steps the market (synthetic flow reaches resting user orders) until `done`.
    bool stepUntil(const std::function<bool()> &done, int maxSteps = 20'000);
    OrderRecord rec(Stack &s, const QString &cl) {
        return s.manager->order(cl).value_or(OrderRecord());
    }
    spot::OrderRequest limit(spot::Side side, const char *qty, const Decimal &price) const;
    const sim::SimOrder *simOrder(const QString &cl) const {
        return m_ex->engine().orderByClOrdId(u"paper"_s, cl);
    }
    sim::MarketSim *btc() const { return m_ex->market(u"BTC/USD"); }

    std::unique_ptr<sim::PaperExchange> m_ex;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_journalPath;
};

void TestOrderManager::init() {
    m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
    m_ex->setStepInterval(0); // the market moves only when a test moves it
    QString error;
    QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_journalPath = m_dir->filePath(u"journal.sqlite"_s);
}

void TestOrderManager::cleanup() {
    m_ex.reset();
    m_dir.reset();
}

std::unique_ptr<Stack> TestOrderManager::makeStack(bool withWs, model::OrderManagerConfig config) {
    auto s = std::make_unique<Stack>();
    const sim::SimAccount &a = m_ex->config().accounts.front();
    spot::RestClientConfig rc = spottest::testConfig(m_ex->restUrl());
    rc.tier = VerificationTier::Intermediate;
    s->rest = std::make_unique<spot::RestClient>(rc);
    s->rest->setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
    if (withWs) {
        spot::TradingWsClientConfig wc;
        wc.url = m_ex->wsAuthUrl();
        wc.requestTimeoutMs = 1500;
        wc.reconnectInitialMs = 50;
        wc.reconnectMaxMs = 500;
        wc.jitterSeed = 7;
        s->ws = std::make_unique<spot::TradingWsClient>(s->rest.get(), wc);
    }
    Error error;
    s->journal = model::Journal::open(m_journalPath, &error);
    if (!s->journal)
        qWarning() << error.toString();
    config.unknownRetryMs = 200;
    s->manager =
        std::make_unique<model::OrderManager>(s->rest.get(), s->ws.get(), s->journal.get(), config);
    return s;
}

bool TestOrderManager::waitLive(Stack &s) {
    QSignalSpy reconciled(s.manager.get(), &model::OrderManager::reconciled);
    s.manager->start();
    if (s.ws)
        s.ws->open();
    const bool live = !s.ws || QTest::qWaitFor([&] { return s.ws->isLive(); }, Bound);
    return live && (reconciled.size() > 0 || reconciled.wait(Bound));
}

bool TestOrderManager::waitState(Stack &s, const QString &cl, OrderState state) {
    return QTest::qWaitFor([&] { return rec(s, cl).state == state; }, Bound);
}

bool TestOrderManager::stepUntil(const std::function<bool()> &done, int maxSteps) {
    for (int i = 0; i < maxSteps; ++i) {
        btc()->step();
        m_ex->engine().processPending();
        if (QTest::qWaitFor(done, i % 50 == 49 ? 50 : 1))
            return true;
    }
    return QTest::qWaitFor(done, Bound);
}

spot::OrderRequest TestOrderManager::limit(spot::Side side, const char *qty,
                                           const Decimal &price) const {
    spot::OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = side;
    o.orderType = u"limit"_s;
    o.volume = dec(qty);
    o.price = price;
    return o;
}

#define KT_WAIT_STATE(stack, cl, st)                                                               \
    QVERIFY2(waitState(stack, cl, st),                                                             \
             qPrintable(u"expected "_s + model::orderStateName(st) + u", have "_s +                \
                        model::orderStateName(rec(stack, cl).state) + u": "_s +                    \
                        rec(stack, cl).reason))

void TestOrderManager::limitRestsAmendsAndCancels() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    const Decimal price = minus(*btc()->bestBid(), dec("500.0"));
    const QString cl = s->manager->submit(limit(spot::Side::Buy, "0.01000000", price));
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    QTRY_VERIFY_WITH_TIMEOUT(!rec(*s, cl).orderId.isEmpty(), Bound);
    const sim::SimOrder *o = simOrder(cl);
    QVERIFY(o);
    QCOMPARE(rec(*s, cl).orderId, o->id);
    QCOMPARE(*rec(*s, cl).limitPrice, price);
    QVERIFY(rec(*s, cl).viaWebSocket);

    const Decimal newPrice = minus(price, dec("10.0"));
    s->manager->amend(cl, dec("0.02000000"), newPrice);
    QCOMPARE(rec(*s, cl).state, OrderState::PendingAmend);
    QTRY_VERIFY_WITH_TIMEOUT(simOrder(cl) && simOrder(cl)->limitPrice == newPrice, Bound);
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    QCOMPARE(*rec(*s, cl).limitPrice, newPrice);
    QCOMPARE(rec(*s, cl).qty, dec("0.02"));

    s->manager->cancel({cl});
    QCOMPARE(rec(*s, cl).state, OrderState::PendingCancel);
    KT_WAIT_STATE(*s, cl, OrderState::Cancelled);
    QCOMPARE(simOrder(cl), nullptr); // closed orders are not found by cl_ord_id any more
    QCOMPARE(m_ex->engine().order(rec(*s, cl).orderId)->status, sim::OrderStatus::Canceled);

    // The journal holds the whole life, in order.
    QStringList states;
    for (const model::JournalEvent &e : s->journal->events(cl))
        states << model::orderStateName(e.state);
    QCOMPARE(states.first(), u"pending-new"_s);
    QVERIFY(states.contains(u"open"_s));
    QVERIFY(states.contains(u"pending-amend"_s));
    QVERIFY(states.contains(u"pending-cancel"_s));
    QCOMPARE(states.last(), u"cancelled"_s);
}

void TestOrderManager::journalRowBeforeRequest() {
    // The exchange answers late; the journal row must already be there while the request is
    // out, and the order must not exist at the exchange before its row does.
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    m_ex->faults().apply(u"ws_delay_ms=400"_s, nullptr);
    const QString cl =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("300"))));
    const auto rows = s->journal->loadOrders();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().clOrdId, cl);
    QCOMPARE(rows.first().state, OrderState::PendingNew);
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    // A second journal connection (as after a restart) reads the same row.
    auto reopened = model::Journal::open(m_journalPath);
    QVERIFY(reopened);
    QCOMPARE(reopened->loadOrders().first().clOrdId, cl);
}

void TestOrderManager::marketOrderFillsAndMovesBalances() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    const Decimal usdBefore = m_ex->engine().balance(u"paper"_s, u"USD"_s);
    const Decimal btcBefore = m_ex->engine().balance(u"paper"_s, u"BTC"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!s->manager->balances().isEmpty(), Bound);

    spot::OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.orderType = u"market"_s;
    o.volume = dec("0.05000000");
    QSignalSpy fills(s->manager.get(), &model::OrderManager::fillsAdded);
    const QString cl = s->manager->submit(o);
    KT_WAIT_STATE(*s, cl, OrderState::Filled);
    QCOMPARE(rec(*s, cl).filledQty, dec("0.05"));

    // Every fill the exchange made, once, with its price, qty and fee.
    const auto trades = m_ex->engine().trades(u"paper"_s);
    QTRY_COMPARE_WITH_TIMEOUT(s->manager->fills().size(), qsizetype(trades.size()), Bound);
    Decimal fee, cost;
    for (const sim::SimTrade &t : trades) {
        const auto it = std::find_if(s->manager->fills().cbegin(), s->manager->fills().cend(),
                                     [&](const model::FillRecord &f) { return f.tradeId == t.id; });
        QVERIFY2(it != s->manager->fills().cend(), qPrintable(t.id));
        QCOMPARE(it->price, t.price);
        QCOMPARE(it->qty, t.qty);
        QCOMPARE(it->fee, t.fee);
        QCOMPARE(it->clOrdId, cl);
        fee = plus(fee, t.fee);
        cost = plus(cost, t.cost);
    }
    QCOMPARE(rec(*s, cl).fees, fee);
    QCOMPARE(rec(*s, cl).cumCost, cost);

    // Balances moved by cost plus fee (USD) and the quantity (BTC), and the manager shows it.
    const Decimal usdAfter = m_ex->engine().balance(u"paper"_s, u"USD"_s);
    QCOMPARE(usdAfter, minus(minus(usdBefore, cost), fee));
    QCOMPARE(m_ex->engine().balance(u"paper"_s, u"BTC"_s), plus(btcBefore, dec("0.05")));
    auto managerBalance = [&](const QString &asset) {
        for (const model::BalanceRecord &b : s->manager->balances())
            if (b.asset == asset)
                return b.total;
        return Decimal::fromInt(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(managerBalance(u"USD"_s), usdAfter, Bound);
    QTRY_COMPARE_WITH_TIMEOUT(managerBalance(u"BTC"_s), plus(btcBefore, dec("0.05")), Bound);
}

void TestOrderManager::partialFillThenCancel() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    // Inside the spread, so ours is the best ask alone and buy flow reaches it. A sweep of
    // the walk may take a whole order at once; then another is tried, until one is partly
    // filled (deterministic for the seeded market).
    QString cl;
    Decimal filled;
    for (int attempt = 0; attempt < 6 && cl.isEmpty(); ++attempt) {
        const Decimal price = minus(*btc()->bestAsk(), dec("0.1"));
        QVERIFY(price > *btc()->bestBid());
        const QString c = s->manager->submit(limit(spot::Side::Sell, "0.30000000", price));
        KT_WAIT_STATE(*s, c, OrderState::Open);
        QVERIFY(
            stepUntil([&] { return !m_ex->engine().order(rec(*s, c).orderId)->filled.isZero(); }));
        filled = m_ex->engine().order(rec(*s, c).orderId)->filled;
        if (filled < dec("0.3"))
            cl = c;
        else
            KT_WAIT_STATE(*s, c, OrderState::Filled);
    }
    QVERIFY2(!cl.isEmpty(), "every order was filled whole by its first print");
    KT_WAIT_STATE(*s, cl, OrderState::PartiallyFilled);
    QTRY_COMPARE_WITH_TIMEOUT(rec(*s, cl).filledQty, filled, Bound);
    // The held base shrinks to what the rest of the order needs.
    const Decimal held = m_ex->engine().held(u"paper"_s, u"BTC"_s);
    auto managerHeld = [&] {
        for (const model::BalanceRecord &b : s->manager->balances())
            if (b.asset == u"BTC"_s)
                return b.held;
        return Decimal::fromInt(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(managerHeld(), held, Bound);

    s->manager->cancel({cl});
    KT_WAIT_STATE(*s, cl, OrderState::Cancelled);
    QCOMPARE(rec(*s, cl).filledQty, m_ex->engine().order(rec(*s, cl).orderId)->filled);
    QTRY_COMPARE_WITH_TIMEOUT(managerHeld(), m_ex->engine().held(u"paper"_s, u"BTC"_s), Bound);
    QCOMPARE(managerHeld(), Decimal());
}

void TestOrderManager::everyOrderTypeRestsAndTriggers_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("side"); // 0 buy, 1 sell
    // Each rests first, then the market is pushed through it.
    for (const char *t : {"limit", "iceberg", "stop-loss", "take-profit", "stop-loss-limit",
                          "take-profit-limit", "trailing-stop", "trailing-stop-limit"}) {
        QTest::addRow("%s buy", t) << QString::fromLatin1(t) << 0;
        QTest::addRow("%s sell", t) << QString::fromLatin1(t) << 1;
    }
}

void TestOrderManager::everyOrderTypeRestsAndTriggers() {
    QFETCH(QString, type);
    QFETCH(int, side);
    const bool buy = side == 0;
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    const Decimal bid = *btc()->bestBid(), ask = *btc()->bestAsk();
    const Decimal last = *btc()->lastPrice();
    const Decimal gap = dec("30.0");

    spot::OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = buy ? spot::Side::Buy : spot::Side::Sell;
    o.orderType = type;
    o.volume = dec("0.01500000");
    // Where each type waits: limits away from the touch; stops beyond the last price against
    // the position; take-profits beyond it in favour; trailing offsets relative.
    if (type == u"limit"_s || type == u"iceberg"_s) {
        // Inside the spread: it rests as the new touch and the synthetic flow fills it.
        o.price = buy ? plus(bid, dec("0.1")) : minus(ask, dec("0.1"));
        if (type == u"iceberg"_s)
            o.displayVolume = dec("0.00500000");
    } else if (type.startsWith(u"stop-loss"_s)) {
        o.price = buy ? plus(last, gap) : minus(last, gap);
    } else if (type.startsWith(u"take-profit"_s)) {
        o.price = buy ? minus(last, gap) : plus(last, gap);
    } else { // trailing
        o.priceExpression = u"+30.0"_s;
    }
    if (type.endsWith(u"-limit"_s)) {
        // Marketable once triggered, so the trigger test ends filled.
        if (type == u"trailing-stop-limit"_s)
            o.price2Expression = buy ? u"+50.0"_s : u"-50.0"_s;
        else
            o.price2 = buy ? plus(*o.price, dec("200.0")) : minus(*o.price, dec("200.0"));
    }
    const QString cl = s->manager->submit(o);
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    const sim::SimOrder *so = simOrder(cl);
    QVERIFY(so);
    QCOMPARE(sim::orderTypeName(so->type), type);
    QCOMPARE(rec(*s, cl).orderType, type);

    auto isFilled = [&] { return rec(*s, cl).state == OrderState::Filled; };
    if (type == u"limit"_s || type == u"iceberg"_s) {
        QVERIFY(stepUntil(isFilled));
    } else {
        // Push the market through the trigger with our own taker flow: up for buy stops and
        // sell take-profits, down otherwise.
        const bool pushDown = type.startsWith(u"take-profit"_s) ? buy : !buy;
        for (int i = 0; i < 20 && !isFilled(); ++i) {
            btc()->take(pushDown ? sim::Side::Sell : sim::Side::Buy, dec("1.0"), std::nullopt,
                        true);
            m_ex->engine().processPending();
            if (QTest::qWaitFor(isFilled, 300))
                break;
        }
    }
    KT_WAIT_STATE(*s, cl, OrderState::Filled);
    QCOMPARE(rec(*s, cl).filledQty, dec("0.015"));
    QCOMPARE(m_ex->engine().order(rec(*s, cl).orderId)->status, sim::OrderStatus::Filled);
    QTRY_VERIFY_WITH_TIMEOUT(!s->manager->fills().isEmpty(), Bound);
}

void TestOrderManager::lostAckResolvedExactlyOnce() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    m_ex->faults().apply(u"lose_order_ack=1"_s, nullptr);
    const QString cl =
        s->manager->submit(limit(spot::Side::Sell, "0.01", plus(*btc()->bestAsk(), dec("400"))));
    // No answer: the order is Unknown until Kraken is asked about its cl_ord_id (or the
    // executions channel tells), then Open with Kraken's id. Never sent twice.
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    QVERIFY(simOrder(cl));
    QCOMPARE(rec(*s, cl).orderId, simOrder(cl)->id);
    QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(1));
    bool sawUnknownOrOpen = false;
    for (const model::JournalEvent &e : s->journal->events(cl))
        sawUnknownOrOpen |= e.state == OrderState::Unknown || e.state == OrderState::Open;
    QVERIFY(sawUnknownOrOpen);
}

void TestOrderManager::droppedSocketAfterSendResolved() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    // The answer is held back, and the socket dies while the request is out.
    m_ex->faults().apply(u"ws_delay_ms=800"_s, nullptr);
    QSignalSpy errors(s->manager.get(), &model::OrderManager::errorOccurred);
    const QString cl =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("400"))));
    QTRY_VERIFY_WITH_TIMEOUT(simOrder(cl) != nullptr, Bound);
    m_ex->faults().dropWsNow();
    QTRY_VERIFY_WITH_TIMEOUT(errors.size() > 0, Bound);
    QVERIFY(errors.first().at(1).value<Error>().outcomeUnknown());
    m_ex->faults().apply(u"ws_delay_ms=0"_s, nullptr);
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    QCOMPARE(rec(*s, cl).orderId, simOrder(cl)->id);
    QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(1));
    // And trading resumes on the new connection.
    QTRY_VERIFY_WITH_TIMEOUT(s->ws->isLive(), Bound);
    s->manager->cancel({cl});
    KT_WAIT_STATE(*s, cl, OrderState::Cancelled);
}

void TestOrderManager::neverArrivedBecomesRejected() {
    // Over REST, a gateway error page (HTML 502) leaves the outcome unknown: the order may or
    // may not have reached Kraken. Kraken is asked about the cl_ord_id, has never heard of it
    // (the gateway swallowed it), and the order ends Rejected. It is never sent again.
    model::OrderManagerConfig config;
    config.unknownMaxAttempts = 2;
    auto s = makeStack(false, config);
    QVERIFY(waitLive(*s));
    // Let the start-up balance query finish, so the fault meets the order and nothing else.
    QTRY_VERIFY_WITH_TIMEOUT(!s->manager->balances().isEmpty(), Bound);
    m_ex->faults().apply(u"html_502=1"_s, nullptr);
    const QString cl =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("400"))));
    KT_WAIT_STATE(*s, cl, OrderState::Rejected);
    QVERIFY2(rec(*s, cl).reason.contains(u"never reached Kraken"_s),
             qPrintable(rec(*s, cl).reason));
    QList<OrderState> states;
    for (const model::JournalEvent &e : s->journal->events(cl))
        states << e.state;
    QVERIFY(states.contains(OrderState::Unknown));
    QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(0));
    QCOMPARE(m_ex->engine().closedOrders(u"paper"_s).size(), size_t(0));
}

void TestOrderManager::lostRestAnswerFoundOpen() {
    // Over REST, the order is carried out but the answer is lost (connection closed): the
    // manager finds it by cl_ord_id and adopts Kraken's id.
    auto s = makeStack(false);
    QVERIFY(waitLive(*s));
    m_ex->faults().apply(u"lose_order_ack=1"_s, nullptr);
    const QString cl =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("400"))));
    KT_WAIT_STATE(*s, cl, OrderState::Open);
    QVERIFY(simOrder(cl));
    QCOMPARE(rec(*s, cl).orderId, simOrder(cl)->id);
    QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(1));
}

void TestOrderManager::restFallbackAndDefiniteErrors() {
    auto s = makeStack(false);
    QVERIFY(waitLive(*s));
    // REST path: rests, then is cancelled.
    const QString ok =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("400"))));
    KT_WAIT_STATE(*s, ok, OrderState::Open);
    QVERIFY(!rec(*s, ok).viaWebSocket);
    QCOMPARE(rec(*s, ok).orderId, simOrder(ok)->id);

    // Rate limit: a definite refusal; nothing placed.
    m_ex->faults().apply(u"order_rate_limit_errors=1"_s, nullptr);
    const QString limited =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("410"))));
    KT_WAIT_STATE(*s, limited, OrderState::Rejected);
    QVERIFY2(rec(*s, limited).reason.contains(u"rate"_s, Qt::CaseInsensitive),
             qPrintable(rec(*s, limited).reason));
    QCOMPARE(simOrder(limited), nullptr);

    // A Kraken refusal (insufficient funds) is Rejected with Kraken's reason.
    const QString poor = s->manager->submit(
        limit(spot::Side::Buy, "1000.00000000", minus(*btc()->bestBid(), dec("400"))));
    KT_WAIT_STATE(*s, poor, OrderState::Rejected);
    QVERIFY2(rec(*s, poor).reason.contains(u"funds"_s, Qt::CaseInsensitive),
             qPrintable(rec(*s, poor).reason));

    // EService:Unavailable: whatever the client concludes, the order ends in one definite
    // state and exists at most once.
    m_ex->faults().apply(u"rest_service_errors=1"_s, nullptr);
    const QString busy =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("420"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        model::isTerminal(rec(*s, busy).state) || rec(*s, busy).state == OrderState::Open, Bound);
    const sim::SimOrder *placed = simOrder(busy);
    QCOMPARE(rec(*s, busy).state == OrderState::Open, placed != nullptr);

    s->manager->cancel({ok});
    KT_WAIT_STATE(*s, ok, OrderState::Cancelled);

    // Last, because it spoils the key for the rest of the test: another program used this
    // key with a far higher nonce, so ours are refused (EAPI:Invalid nonce, after the
    // client's one retry). The order is Rejected with a reason that says so; nothing placed.
    {
        const sim::SimAccount &a = m_ex->config().accounts.front();
        spot::RestClient other(spottest::testConfig(m_ex->restUrl()));
        other.setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
        const quint64 far = quint64(QDateTime::currentMSecsSinceEpoch()) * 1000 * 1000;
        const auto prepared = other.prepare("POST", u"/0/private/Balance"_s, {}, far);
        QVERIFY(prepared.ok());
        QList<QPair<QByteArray, QByteArray>> headers;
        for (const auto &h : prepared->headers)
            headers.append({h.first, h.second});
        const auto burned =
            testsupport::RawHttp(m_ex->restUrl())
                .send("POST", prepared->url.path().toLatin1(), prepared->body, headers);
        QCOMPARE(burned.status, 200);
    }
    const QString stale =
        s->manager->submit(limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("430"))));
    KT_WAIT_STATE(*s, stale, OrderState::Rejected);
    QVERIFY2(rec(*s, stale).reason.contains(u"nonce"_s, Qt::CaseInsensitive),
             qPrintable(rec(*s, stale).reason));
    QCOMPARE(simOrder(stale), nullptr);
}

void TestOrderManager::restartRestoresExchangeState() {
    QString open, partial, filled, gone;
    {
        auto s = makeStack();
        QVERIFY(waitLive(*s));
        open = s->manager->submit(
            limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("600"))));
        gone = s->manager->submit(
            limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("700"))));
        const Decimal inside = minus(*btc()->bestAsk(), dec("0.1"));
        partial = s->manager->submit(limit(spot::Side::Sell, "1.50", inside));
        spot::OrderRequest m;
        m.pair = u"BTC/USD"_s;
        m.orderType = u"market"_s;
        m.volume = dec("0.02");
        filled = s->manager->submit(m);
        KT_WAIT_STATE(*s, open, OrderState::Open);
        KT_WAIT_STATE(*s, gone, OrderState::Open);
        KT_WAIT_STATE(*s, partial, OrderState::Open);
        KT_WAIT_STATE(*s, filled, OrderState::Filled);
        QVERIFY(stepUntil([&] { return rec(*s, partial).state == OrderState::PartiallyFilled; }));
        // The terminal dies here: no goodbye, the stack is simply destroyed.
    }
    // While it is down the market keeps trading and the trader cancels one order on the web.
    const QString partialId = m_ex->engine().orderByClOrdId(u"paper"_s, partial)->id;
    const Decimal filledBefore = m_ex->engine().order(partialId)->filled;
    QVERIFY(stepUntil([&] { return m_ex->engine().order(partialId)->filled > filledBefore; }));
    QCOMPARE(m_ex->engine().cancelOrders(u"paper"_s, {gone}).orderIds.size(), 1);
    const sim::SimOrder *po = m_ex->engine().order(partialId);
    const OrderState partialState =
        po->status == sim::OrderStatus::Filled ? OrderState::Filled : OrderState::PartiallyFilled;

    auto s = makeStack();
    QVERIFY(waitLive(*s));
    KT_WAIT_STATE(*s, gone, OrderState::Cancelled);
    KT_WAIT_STATE(*s, open, OrderState::Open);
    KT_WAIT_STATE(*s, filled, OrderState::Filled);
    KT_WAIT_STATE(*s, partial, partialState);
    QTRY_COMPARE_WITH_TIMEOUT(rec(*s, partial).filledQty, po->filled, Bound);
    // Every order the exchange knows, in the state the exchange has, and nothing else.
    for (const OrderRecord &r : s->manager->orders()) {
        const sim::SimOrder *so = m_ex->engine().order(r.orderId);
        QVERIFY2(so, qPrintable(r.clOrdId));
        QCOMPARE(r.filledQty, so->filled);
    }
    QCOMPARE(s->manager->orders().size(), 4);
    // Every fill once: the trades of both lives, none doubled.
    const auto trades = m_ex->engine().trades(u"paper"_s);
    QTRY_COMPARE_WITH_TIMEOUT(s->manager->fills().size(), qsizetype(trades.size()), Bound);
    QCOMPARE(s->journal->loadFills().size(), qsizetype(trades.size()));
}

void TestOrderManager::reconnectDoesNotDoubleFills() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    spot::OrderRequest m;
    m.pair = u"BTC/USD"_s;
    m.orderType = u"market"_s;
    m.volume = dec("0.03");
    const QString cl = s->manager->submit(m);
    KT_WAIT_STATE(*s, cl, OrderState::Filled);
    const auto trades = m_ex->engine().trades(u"paper"_s);
    QTRY_COMPARE_WITH_TIMEOUT(s->manager->fills().size(), qsizetype(trades.size()), Bound);
    QSignalSpy reconciled(s->manager.get(), &model::OrderManager::reconciled);
    m_ex->faults().dropWsNow();
    // Reconnect: snapshot of trades + a reconciliation over REST, and still each fill once.
    QVERIFY(reconciled.wait(Bound));
    QTRY_VERIFY_WITH_TIMEOUT(s->ws->isLive(), Bound);
    QCOMPARE(s->manager->fills().size(), qsizetype(trades.size()));
    QCOMPARE(s->journal->loadFills().size(), qsizetype(trades.size()));
}

void TestOrderManager::ordersKrakenNoLongerKnowsAreFlagged() {
    QString cl;
    {
        auto s = makeStack();
        QVERIFY(waitLive(*s));
        cl = s->manager->submit(
            limit(spot::Side::Buy, "0.01", minus(*btc()->bestBid(), dec("600"))));
        KT_WAIT_STATE(*s, cl, OrderState::Open);
    }
    // A fresh exchange (as after resetting the paper account) has never seen the order: the
    // journal's working order is flagged, not shown as working and not silently dropped.
    m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
    m_ex->setStepInterval(0);
    QVERIFY(m_ex->start(0, 0, 0));
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    KT_WAIT_STATE(*s, cl, OrderState::Unknown);
    QVERIFY(rec(*s, cl).reason.contains(u"does not know"_s));
}

void TestOrderManager::adoptsOrdersPlacedElsewhere() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    sim::OrderParams p;
    p.symbol = u"ETH/USD"_s;
    p.side = sim::Side::Sell;
    p.type = sim::OrderType::Limit;
    p.qty = dec("0.5");
    p.limit = sim::PriceSpec{plus(*m_ex->market(u"ETH/USD")->bestAsk(), dec("100")),
                             sim::PriceType::Static};
    const auto added = m_ex->engine().addOrder(u"paper"_s, p);
    QVERIFY2(added.error.isEmpty(), qPrintable(added.error));
    const QString key = u"ext:"_s + added.orderId;
    KT_WAIT_STATE(*s, key, OrderState::Open);
    QCOMPARE(rec(*s, key).symbol, u"ETH/USD"_s);
    QCOMPARE(rec(*s, key).side, model::OrderSide::Sell);
    s->manager->cancel({key});
    KT_WAIT_STATE(*s, key, OrderState::Cancelled);
}

void TestOrderManager::deadMansSwitchArmsRefreshesAndDisarms() {
    auto s = makeStack();
    QVERIFY(waitLive(*s));
    QSignalSpy dms(s->manager.get(), &model::OrderManager::deadMansSwitchChanged);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    s->manager->setDeadMansSwitch(60);
    QTRY_VERIFY_WITH_TIMEOUT(dms.size() > 0, Bound);
    QVERIFY(dms.last().at(0).toBool());
    const qint64 at = dms.last().at(1).toLongLong();
    QVERIFY2(at >= before + 59'000 && at <= QDateTime::currentMSecsSinceEpoch() + 61'000,
             qPrintable(QString::number(at - before)));
    QVERIFY(m_ex->engine().deadManTrigger(u"paper"_s) > 0);
    s->manager->setDeadMansSwitch(0);
    QTRY_VERIFY_WITH_TIMEOUT(!dms.last().at(0).toBool(), Bound);
    QTRY_COMPARE_WITH_TIMEOUT(m_ex->engine().deadManTrigger(u"paper"_s), qint64(0), Bound);
}

QTEST_MAIN(TestOrderManager)
#include "tst_ordermanager.moc"
