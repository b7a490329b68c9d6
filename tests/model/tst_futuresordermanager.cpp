// FuturesOrderManager against the paper exchange's Kraken Futures (REST v3 and WebSocket v1
// over loopback): every Futures order type placed and cancelled, edits, rejections with
// Kraken's reason, a lost answer resolved without sending twice, positions with mark and PnL,
// margin accounts, closing a position, reconciliation after the socket drops, adoption of
// orders placed elsewhere, a restart from the journal, the dead man's switch; and the PnL
// arithmetic for linear and inverse contracts against hand-computed values.

#include "kraken/futures/futuresorderrequest.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/futures/futureswsclient.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/futuresengine.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/paperexchange.h"
#include "model/futuresordermanager.h"
#include "model/futurestradingservice.h"
#include "model/journal.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using futures::FuturesOrderRequest;
using futures::FuturesOrderType;
using futures::FuturesSide;
using model::FuturesOrderManager;
using model::OrderState;

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

constexpr int kWait = 20'000;

} // namespace

class TestFuturesOrderManager : public QObject {
    Q_OBJECT

    std::unique_ptr<sim::PaperExchange> m_ex;
    QTemporaryDir m_dir;
    QString m_account;
    Credentials m_credentials;
    std::unique_ptr<futures::FuturesRestClient> m_rest;
    std::unique_ptr<futures::FuturesWsClient> m_ws;
    std::unique_ptr<model::Journal> m_journal;
    std::unique_ptr<FuturesOrderManager> m_manager;
    futures::FuturesInstrumentRegistry m_instruments;
    int m_journals = 0;

    // A still market: bid/ask pinned by hand, the index on the bid.
    void book(const char *bid, const char *ask) {
        sim::MarketSim *m = m_ex->futures().market(u"PF_XBTUSD"_s);
        m->setExternalFeed(true);
        m->applyExternalBook(sim::Side::Buy, {{dec(bid), dec("5")}}, true);
        m->applyExternalBook(sim::Side::Sell, {{dec(ask), dec("5")}}, true);
        m_ex->futures().setIndexOverride(u"PF_XBTUSD"_s, dec(bid));
    }

    // The manager on a fresh REST client (and WebSocket when `withWs`), the journal at `path`
    // (a new file when empty). Started, and reconciled once.
    void startManager(bool withWs, QString path = {}) {
        m_manager.reset();
        m_ws.reset();
        m_rest.reset();
        m_journal.reset();
        if (path.isEmpty())
            path = m_dir.filePath(u"futures-%1.sqlite"_s.arg(++m_journals));
        Error error;
        m_journal = model::Journal::open(path, &error);
        QVERIFY2(m_journal, qPrintable(error.toString()));
        futures::FuturesRestConfig rc;
        rc.baseUrl = m_ex->futuresRestUrl();
        rc.persistNonce = false;
        rc.timeoutMs = 5000;
        m_rest = std::make_unique<futures::FuturesRestClient>(rc);
        m_rest->setCredentials(m_credentials);
        if (m_instruments.isEmpty()) {
            QSignalSpy got(this, &TestFuturesOrderManager::instrumentsFetched);
            m_rest->instruments().then(this, [this](Result<futures::FuturesInstrumentRegistry> r) {
                if (r)
                    m_instruments = r.value();
                Q_EMIT instrumentsFetched();
            });
            QVERIFY(got.wait(kWait));
            QVERIFY(!m_instruments.isEmpty());
        }
        m_rest->setInstruments(m_instruments);
        if (withWs) {
            futures::FuturesWsClientConfig wc;
            wc.url = m_ex->futuresWsUrl();
            wc.reconnectInitialMs = 100;
            wc.reconnectMaxMs = 500;
            wc.jitterSeed = 7;
            m_ws = std::make_unique<futures::FuturesWsClient>(wc);
            m_ws->setCredentials(m_credentials);
        }
        model::FuturesOrderManagerConfig mc;
        mc.unknownRetryMs = 200;
        mc.accountRefreshMs = 50;
        mc.accountPollMs = 500;
        m_manager =
            std::make_unique<FuturesOrderManager>(m_rest.get(), m_ws.get(), m_journal.get(), mc);
        m_manager->setInstruments(m_instruments);
        QSignalSpy reconciled(m_manager.get(), &FuturesOrderManager::reconciled);
        m_manager->start();
        if (m_ws)
            m_ws->open();
        QVERIFY(reconciled.wait(kWait));
        if (m_ws)
            QTRY_VERIFY_WITH_TIMEOUT(m_ws->state() == futures::FuturesWsClient::State::Live &&
                                         m_ws->isAuthenticated(),
                                     kWait);
    }

    model::OrderRecord record(const QString &cl) const {
        const auto r = m_manager->order(cl);
        return r ? *r : model::OrderRecord();
    }
    OrderState state(const QString &cl) const { return record(cl).state; }

    FuturesOrderRequest order(FuturesOrderType type, FuturesSide side, const char *size) const {
        FuturesOrderRequest o;
        o.orderType = type;
        o.symbol = u"PF_XBTUSD"_s;
        o.side = side;
        o.size = dec(size);
        return o;
    }

    const sim::FuturesOrder *simOrder(const QString &cl) const {
        for (const sim::FuturesOrder &o : m_ex->futures().openOrders(m_account)) {
            if (o.cliOrdId == cl)
                return m_ex->futures().order(o.orderId);
        }
        return nullptr;
    }

    std::optional<model::PositionRecord> position(const QString &symbol) const {
        for (const model::PositionRecord &p : m_manager->positions()) {
            if (p.symbol == symbol)
                return p;
        }
        return std::nullopt;
    }

Q_SIGNALS:
    void instrumentsFetched();

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
        const sim::SimAccount &a = m_ex->config().accounts.front();
        m_account = a.id;
        m_credentials = Credentials(a.futuresApiKey, a.futuresSecret.toLatin1());
        book("64000", "64010");
    }
    void cleanup() {
        m_manager.reset();
        m_ws.reset();
        m_rest.reset();
        m_journal.reset();
        m_ex.reset();
    }

    // Hand-computed: linear 0.5 BTC long from 60000 at 61000 is +500 USD; an inverse long of
    // 10000 one-dollar contracts from 50000 at 40000 is 10000 * (1/50000 - 1/40000) = -0.05 BTC;
    // short sizes flip the sign.
    void pnlArithmetic() {
        startManager(false);
        const futures::FuturesInstrument *pf = m_instruments.find(u"PF_XBTUSD");
        const futures::FuturesInstrument *pi = m_instruments.find(u"PI_XBTUSD");
        QVERIFY(pf && pi);
        QVERIFY(pf->isLinear() && pi->isInverse());
        QCOMPARE(FuturesOrderManager::unrealizedPnl(*pf, dec("0.5"), dec("60000"), dec("61000")),
                 dec("500"));
        QCOMPARE(FuturesOrderManager::unrealizedPnl(*pf, dec("-0.5"), dec("60000"), dec("61000")),
                 dec("-500"));
        QCOMPARE(FuturesOrderManager::unrealizedPnl(*pi, dec("10000"), dec("50000"), dec("40000")),
                 dec("-0.05"));
        QCOMPARE(FuturesOrderManager::unrealizedPnl(*pi, dec("-10000"), dec("50000"), dec("40000")),
                 dec("0.05"));
        // 1/3 of the way: rounded to 8 places, never a binary fraction.
        QCOMPARE(FuturesOrderManager::unrealizedPnl(*pi, dec("1"), dec("30000"), dec("60000"))
                     ->toString(),
                 u"0.00001667"_s);
    }

    // Each order type over REST with the private feeds on: resting ones are Open at Kraken
    // with our cliOrdId, then cancelled; mkt fills; ioc away from the market is cancelled.
    void everyOrderTypePlacedAndCancelled_data() {
        QTest::addColumn<bool>("withWs");
        QTest::newRow("rest + feeds") << true;
        QTest::newRow("rest only") << false;
    }
    void everyOrderTypePlacedAndCancelled() {
        QFETCH(bool, withWs);
        startManager(withWs);
        struct Case {
            const char *name;
            FuturesOrderRequest req;
        };
        QList<Case> resting;
        auto lmt = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        lmt.limitPrice = dec("60000");
        resting.append({"lmt", lmt});
        auto post = order(FuturesOrderType::PostOnly, FuturesSide::Sell, "0.02");
        post.limitPrice = dec("66000");
        resting.append({"post", post});
        auto stp = order(FuturesOrderType::Stop, FuturesSide::Sell, "0.01");
        stp.stopPrice = dec("62000");
        stp.triggerSignal = futures::FuturesTriggerSignal::Mark;
        stp.reduceOnly = false;
        resting.append({"stp", stp});
        auto stpLimit = order(FuturesOrderType::Stop, FuturesSide::Buy, "0.01");
        stpLimit.stopPrice = dec("66000");
        stpLimit.limitPrice = dec("66100");
        resting.append({"stp with limit", stpLimit});
        auto tp = order(FuturesOrderType::TakeProfit, FuturesSide::Sell, "0.01");
        tp.stopPrice = dec("67000");
        tp.triggerSignal = futures::FuturesTriggerSignal::Index;
        resting.append({"take_profit", tp});
        auto trail = order(FuturesOrderType::TrailingStop, FuturesSide::Sell, "0.01");
        trail.trailingStopMaxDeviation = dec("1");
        trail.trailingStopDeviationUnit = futures::FuturesDeviationUnit::Percent;
        resting.append({"trailing_stop", trail});

        QStringList ids;
        for (const Case &c : resting)
            ids << m_manager->submit(c.req);
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_VERIFY2_WITH_TIMEOUT(state(ids[i]) == OrderState::Open,
                                      qPrintable(QString::fromLatin1(resting[i].name) + u": "_s +
                                                 model::orderStateName(state(ids[i])) + u" "_s +
                                                 record(ids[i]).reason),
                                      kWait);
            const sim::FuturesOrder *o = simOrder(ids[i]);
            QVERIFY2(o, resting[i].name);
            QCOMPARE(o->type, futures::wireName(resting[i].req.orderType));
            QCOMPARE(o->size, resting[i].req.size);
            QCOMPARE(record(ids[i]).orderId, o->orderId);
            QCOMPARE(record(ids[i]).orderType, futures::wireName(resting[i].req.orderType));
        }
        QCOMPARE(record(ids[2]).triggerReference, u"mark"_s);
        QCOMPARE(record(ids[2]).triggerPrice, dec("62000"));
        QCOMPARE(record(ids[4]).triggerReference, u"index"_s);
        QVERIFY(record(ids[1]).postOnly);
        QCOMPARE(m_ex->futures().openOrders(m_account).size(), size_t(ids.size()));

        // Every journal row was written before its request: PendingNew first, then Open.
        for (const QString &cl : std::as_const(ids)) {
            const auto events = m_journal->events(cl);
            QVERIFY(events.size() >= 2);
            QCOMPARE(events.first().state, OrderState::PendingNew);
        }

        m_manager->cancel(ids);
        for (const QString &cl : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Cancelled, kWait);
        QVERIFY(m_ex->futures().openOrders(m_account).empty());

        // ioc that cannot trade at once: Kraken refuses it, and says so.
        auto ioc = order(FuturesOrderType::ImmediateOrCancel, FuturesSide::Buy, "0.01");
        ioc.limitPrice = dec("60000");
        const QString iocId = m_manager->submit(ioc);
        QTRY_COMPARE_WITH_TIMEOUT(state(iocId), OrderState::Rejected, kWait);
        QVERIFY2(!record(iocId).reason.isEmpty(), "Kraken's reason is kept");

        // mkt: filled at the ask, one fill, a long position.
        QSignalSpy fills(m_manager.get(), &FuturesOrderManager::fillsAdded);
        const QString mkt =
            m_manager->submit(order(FuturesOrderType::Market, FuturesSide::Buy, "0.0100"));
        QTRY_COMPARE_WITH_TIMEOUT(state(mkt), OrderState::Filled, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_manager->fills().size(), 1, kWait);
        const model::FillRecord f = m_manager->fills().constFirst();
        QCOMPARE(f.clOrdId, mkt);
        QCOMPARE(f.price, dec("64010"));
        QCOMPARE(f.qty, dec("0.01"));
        QCOMPARE(record(mkt).filledQty, dec("0.01"));
        QCOMPARE(record(mkt).avgPrice, dec("64010"));
        QTRY_VERIFY_WITH_TIMEOUT(position(u"PF_XBTUSD"_s).has_value(), kWait);
        QCOMPARE(position(u"PF_XBTUSD"_s)->size, dec("0.01"));
        QCOMPARE(position(u"PF_XBTUSD"_s)->entryPrice, dec("64010"));
        QTRY_VERIFY_WITH_TIMEOUT(position(u"PF_XBTUSD"_s)->markPrice.has_value() &&
                                     position(u"PF_XBTUSD"_s)->unrealizedPnl.has_value(),
                                 kWait);
        // The paper exchange's own figure: PnL at its mark.
        QTRY_COMPARE_WITH_TIMEOUT(*position(u"PF_XBTUSD"_s)->unrealizedPnl,
                                  m_ex->futures().unrealizedPnl(m_account, u"PF_XBTUSD"_s), kWait);
        // Margin: the flex account, with initial margin for the position.
        auto flexMarginInUse = [this] {
            const QList<model::MarginRecord> margins = m_manager->margins();
            return std::any_of(margins.cbegin(), margins.cend(), [](const model::MarginRecord &m) {
                return m.account == u"flex"_s && m.initialMargin && !m.initialMargin->isZero();
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(flexMarginInUse(), kWait);

        // ioc larger than the ask: 4.99 trade, Kraken cancels the rest in the same answer.
        auto big = order(FuturesOrderType::ImmediateOrCancel, FuturesSide::Buy, "6");
        big.limitPrice = dec("64010");
        const QString part = m_manager->submit(big);
        QTRY_VERIFY_WITH_TIMEOUT(
            state(part) == OrderState::Cancelled && record(part).filledQty == dec("4.99"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(position(u"PF_XBTUSD"_s)->size, dec("5"), kWait);
    }

    // editorder moves a resting order; a refused edit puts it back with Kraken's reason.
    void editAndRefusedEdit() {
        startManager(true);
        auto lmt = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        lmt.limitPrice = dec("60000");
        const QString cl = m_manager->submit(lmt);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Open, kWait);
        m_manager->edit(cl, dec("0.02"), dec("61000"));
        QTRY_VERIFY_WITH_TIMEOUT(
            record(cl).limitPrice == dec("61000") && state(cl) == OrderState::Open, kWait);
        QCOMPARE(record(cl).qty, dec("0.02"));
        QCOMPARE(*simOrder(cl)->limitPrice, dec("61000"));
        QCOMPARE(simOrder(cl)->size, dec("0.02"));

        QSignalSpy errors(m_manager.get(), &FuturesOrderManager::errorOccurred);
        m_manager->edit(cl, std::nullopt, dec("61000.5")); // off the 1.0 tick
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Open, kWait);
        QCOMPARE(*simOrder(cl)->limitPrice, dec("61000"));
    }

    // Kraken refuses: the order is Rejected with Kraken's reason; a local check refuses before
    // sending anything.
    void rejections() {
        startManager(false);
        QSignalSpy errors(m_manager.get(), &FuturesOrderManager::errorOccurred);
        auto huge = order(FuturesOrderType::Limit, FuturesSide::Buy, "1000");
        huge.limitPrice = dec("64000");
        const QString cl = m_manager->submit(huge);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Rejected, kWait);
        QVERIFY2(!record(cl).reason.isEmpty(), "a rejection says why");
        QVERIFY(errors.size() >= 1);
        QCOMPARE(errors.last().at(0).toString(), cl);
        QVERIFY(errors.last().at(1).value<Error>().krakenErrors().contains(
            u"insufficientAvailableFunds"_s));

        auto offTick = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        offTick.limitPrice = dec("60000.5");
        const QString local = m_manager->submit(offTick);
        QCOMPARE(state(local), OrderState::Rejected);
        QVERIFY(record(local).reason.startsWith(u"Not sent: "_s));
        QVERIFY(m_ex->futures().openOrders(m_account).empty());
        QVERIFY(m_journal->events(local).isEmpty()); // never journalled as sent
    }

    // The answer to sendorder is lost after Kraken placed the order: Unknown, then found open
    // by its cliOrdId. It is never sent twice.
    void lostAnswerResolvedWithoutResending() {
        startManager(false);
        QString error;
        QVERIFY(m_ex->faults().apply(u"lose_order_ack=1"_s, &error));
        auto lmt = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        lmt.limitPrice = dec("60000");
        QSignalSpy changed(m_manager.get(), &FuturesOrderManager::ordersChanged);
        const QString cl = m_manager->submit(lmt);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Open, kWait);
        bool sawUnknown = false;
        for (const QList<QVariant> &batch : std::as_const(changed)) {
            for (const model::OrderRecord &r : batch.at(0).value<QList<model::OrderRecord>>())
                sawUnknown |= r.clOrdId == cl && r.state == OrderState::Unknown;
        }
        QVERIFY(sawUnknown);
        QCOMPARE(m_ex->futures().openOrders(m_account).size(), size_t(1));
        QVERIFY(!record(cl).orderId.isEmpty());

        // A lost answer to a market order: resolved from the fills as Filled.
        QVERIFY(m_ex->faults().apply(u"lose_order_ack=1"_s, &error));
        const QString mkt =
            m_manager->submit(order(FuturesOrderType::Market, FuturesSide::Buy, "0.01"));
        QTRY_COMPARE_WITH_TIMEOUT(state(mkt), OrderState::Filled, kWait);
        QCOMPARE(m_ex->futures().fills(m_account).size(), size_t(1));
        QCOMPARE(record(mkt).filledQty, dec("0.01"));
    }

    // The socket drops; while it is down an order is cancelled at Kraken and another placed
    // elsewhere. After the reconnect the manager has both right.
    void reconcilesAfterDroppedSocket() {
        startManager(true);
        auto lmt = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        lmt.limitPrice = dec("60000");
        const QString cl = m_manager->submit(lmt);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Open, kWait);

        QSignalSpy reconciled(m_manager.get(), &FuturesOrderManager::reconciled);
        // The moment the client sees the drop, and before it reconnects, Kraken cancels our
        // order and another program places one.
        const QString orderId = record(cl).orderId;
        sim::FuturesResult placed;
        using W = futures::FuturesWsClient;
        connect(m_ws.get(), &W::stateChanged, this, [&](W::State s) {
            if (s != W::State::Reconnecting || !placed.orderId.isEmpty())
                return;
            m_ex->futures().cancelOrder(m_account, orderId, {});
            sim::FuturesOrderParams elsewhere;
            elsewhere.orderType = u"lmt"_s;
            elsewhere.symbol = u"PF_XBTUSD"_s;
            elsewhere.side = u"sell"_s;
            elsewhere.size = dec("0.03");
            elsewhere.limitPrice = dec("68000");
            placed = m_ex->futures().sendOrder(m_account, elsewhere);
        });
        QSignalSpy gap(m_ws.get(), &W::gap);
        Q_EMIT m_ex->faults().dropWsNow();
        QTRY_VERIFY_WITH_TIMEOUT(!gap.isEmpty() && !placed.orderId.isEmpty(), kWait);
        QCOMPARE(placed.status, u"placed"_s);

        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Cancelled, kWait);
        const QString ext = u"ext:"_s + placed.orderId;
        QTRY_COMPARE_WITH_TIMEOUT(state(ext), OrderState::Open, kWait);
        QCOMPARE(record(ext).qty, dec("0.03"));
        QCOMPARE(record(ext).side, model::OrderSide::Sell);
        QTRY_VERIFY_WITH_TIMEOUT(!reconciled.isEmpty(), kWait);

        // The adopted order is ours to cancel (by its order id).
        m_manager->cancel({ext});
        QTRY_COMPARE_WITH_TIMEOUT(state(ext), OrderState::Cancelled, kWait);
        QVERIFY(m_ex->futures().openOrders(m_account).empty());
    }

    // A restart reads the journal, and reconciliation settles what happened meanwhile: an
    // order filled while the terminal was closed is Filled with its fill, once.
    void restartFromJournal() {
        const QString path = m_dir.filePath(u"restart.sqlite"_s);
        startManager(false, path);
        auto sell = order(FuturesOrderType::Limit, FuturesSide::Sell, "0.01");
        sell.limitPrice = dec("64500");
        const QString cl = m_manager->submit(sell);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Open, kWait);
        m_manager.reset();

        // Buyers arrive above the resting sell while the terminal is closed: it fills.
        m_ex->futures()
            .market(u"PF_XBTUSD"_s)
            ->applyExternalBook(sim::Side::Buy, {{dec("64600"), dec("3")}}, true);
        m_ex->futures().processPending();
        QVERIFY(m_ex->futures().openOrders(m_account).empty());

        startManager(false, path);
        QTRY_COMPARE_WITH_TIMEOUT(state(cl), OrderState::Filled, kWait);
        QCOMPARE(m_manager->fills().size(), 1);
        QCOMPARE(m_manager->fills().constFirst().clOrdId, cl);
        QCOMPARE(m_journal->loadFills().size(), 1);
        // Reconciling again adds nothing.
        QSignalSpy reconciled(m_manager.get(), &FuturesOrderManager::reconciled);
        m_manager->reconcile(u"again"_s);
        QVERIFY(reconciled.wait(kWait));
        QCOMPARE(m_manager->fills().size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(position(u"PF_XBTUSD"_s).has_value(), kWait);
        QCOMPARE(position(u"PF_XBTUSD"_s)->size, dec("-0.01"));
    }

    // Close: a reduce-only market order for the whole position, then flat.
    void closePositionGoesFlat() {
        startManager(true);
        const QString buy =
            m_manager->submit(order(FuturesOrderType::Market, FuturesSide::Buy, "0.02"));
        QTRY_COMPARE_WITH_TIMEOUT(state(buy), OrderState::Filled, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(position(u"PF_XBTUSD"_s).has_value(), kWait);
        const QString close = m_manager->closePosition(u"PF_XBTUSD"_s, dec("0.02"));
        QVERIFY(record(close).reduceOnly);
        QCOMPARE(record(close).side, model::OrderSide::Sell);
        QTRY_COMPARE_WITH_TIMEOUT(state(close), OrderState::Filled, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!position(u"PF_XBTUSD"_s).has_value(), kWait);
        QVERIFY(!m_ex->futures().position(m_account, u"PF_XBTUSD"_s) ||
                m_ex->futures().position(m_account, u"PF_XBTUSD"_s)->size.isZero());
    }

    void deadMansSwitch() {
        startManager(false);
        QSignalSpy dms(m_manager.get(), &FuturesOrderManager::deadMansSwitchChanged);
        m_manager->setDeadMansSwitch(60);
        QTRY_VERIFY_WITH_TIMEOUT(!dms.isEmpty(), kWait);
        QCOMPARE(dms.last().at(0).toBool(), true);
        QVERIFY(dms.last().at(1).toLongLong() > 0);
        QVERIFY(m_ex->futures().deadManTrigger(m_account) > 0);
        m_manager->setDeadMansSwitch(0);
        QTRY_COMPARE_WITH_TIMEOUT(dms.last().at(0).toBool(), false, kWait);
        QCOMPARE(m_ex->futures().deadManTrigger(m_account), 0);
    }

    // The service on its own thread: a journal that cannot be opened stops it before anything
    // reaches Kraken.
    void serviceJournalFailureSendsNothing() {
        const QString blocker = m_dir.filePath(u"not-a-folder"_s);
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        model::FuturesTradingServiceConfig c;
        c.restUrl = m_ex->futuresRestUrl();
        c.wsUrl = m_ex->futuresWsUrl();
        c.credentials = m_credentials;
        c.journalPath = blocker + u"/futures.sqlite"_s;
        c.persistNonce = false;
        model::FuturesTradingService service(c);
        QSignalSpy failed(&service, &model::FuturesTradingService::failed);
        QSignalSpy errors(&service, &model::FuturesTradingService::errorOccurred);
        service.start();
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(u"journal"_s));
        auto lmt = order(FuturesOrderType::Limit, FuturesSide::Buy, "0.01");
        lmt.limitPrice = dec("60000");
        service.submit(lmt);
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.at(0).at(1).toString().contains(u"not sent"_s));
        QVERIFY(m_ex->futures().openOrders(m_account).empty());
    }
};

QTEST_GUILESS_MAIN(TestFuturesOrderManager)
#include "tst_futuresordermanager.moc"
