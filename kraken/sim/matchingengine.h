#pragma once

// MatchingEngine: the paper exchange's accounts and the user's orders. It validates and places
// every Spot order type, takes synthetic liquidity from the MarketSims for the crossing part,
// rests the rest in the public book (and is each market's UserMatcher, so synthetic flow fills
// resting orders in price-time priority), fires stop/take-profit/trailing triggers on the last
// trade price, expires GTD orders, runs the dead man's switch, keeps balances with holds,
// trades and ledgers, charges the per-pair trading counter, and issues WebSocket tokens.
// REST and WebSocket are two renderings of this one state. Errors are Kraken's strings.
// Lives on the exchange thread; not thread-safe.

#include "kraken/core/ratecounter.h"
#include "simconfig.h"
#include "simorder.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

class QTimer;

namespace kraken::sim {

class Faults;
class MarketSim;

class MatchingEngine : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // ms since the epoch

    MatchingEngine(const SimConfig &config, std::vector<MarketSim *> markets, Faults *faults,
                   QObject *parent = nullptr);
    ~MatchingEngine() override;

    const SimConfig &config() const { return m_config; }
    Faults *faults() const { return m_faults; }
    MarketSim *market(const QString &symbol) const;
    const SimAccount *account(const QString &accountId) const;

    // Time for expiry, the dead man's switch, token lifetime, rate counters and timestamps.
    void setClock(Clock clock);
    qint64 now() const { return m_clock(); }

    // ---- order entry. Each returns Kraken's error text (empty on success).
    struct AddResult {
        QString error;
        QString orderId; // empty for validate-only
        SimOrder order;  // as accepted (validate-only: the order that would be placed)
    };
    // `charge`: add the trading-counter cost (batches charge once, up front).
    AddResult addOrder(const QString &accountId, const OrderParams &params, bool charge = true);
    // Batch: 2-15 orders on one pair; one failing entry does not fail the others.
    std::vector<AddResult> addOrderBatch(const QString &accountId,
                                         const std::vector<OrderParams> &orders, QString *error);

    struct AmendParams {
        QString orderId, clOrdId;
        std::optional<Decimal> qty, displayQty;
        std::optional<PriceSpec> limit, trigger;
        std::optional<bool> postOnly;
    };
    struct AmendResult {
        QString error;
        QString amendId, orderId;
    };
    AmendResult amendOrder(const QString &accountId, const AmendParams &params);

    struct EditParams {
        QString orderId;
        QString symbol; // must match the order's pair
        std::optional<Decimal> qty, displayQty;
        std::optional<PriceSpec> limit, trigger;
        std::optional<bool> postOnly;
        std::optional<qint64> userref;
        bool validateOnly = false;
    };
    struct EditResult {
        QString error;
        QString newOrderId, originalOrderId;
        SimOrder newOrder;
    };
    EditResult editOrder(const QString &accountId, const EditParams &params);

    struct CancelResult {
        QString error;
        QStringList orderIds; // cancelled
    };
    // Each ref is an order id, a cl_ord_id or a userref (all open orders carrying it).
    CancelResult cancelOrders(const QString &accountId, const QStringList &refs,
                              bool charge = true);
    int cancelAll(const QString &accountId);
    // Dead man's switch; 0 disarms. Returns the trigger time (0 when disarmed).
    qint64 cancelAllOrdersAfter(const QString &accountId, int timeoutSeconds);
    qint64 deadManTrigger(const QString &accountId) const;

    // ---- account state
    Decimal balance(const QString &accountId, const QString &asset) const; // display id
    Decimal held(const QString &accountId, const QString &asset) const;
    Decimal available(const QString &accountId, const QString &asset) const;
    QStringList assetsOf(const QString &accountId) const; // with a balance entry
    const SimOrder *order(const QString &orderId) const;
    const SimOrder *orderByClOrdId(const QString &accountId, const QString &clOrdId) const;
    std::vector<SimOrder> openOrders(const QString &accountId) const;   // oldest first
    std::vector<SimOrder> closedOrders(const QString &accountId) const; // newest first
    std::vector<SimTrade> trades(const QString &accountId) const;       // newest first
    const SimTrade *trade(const QString &tradeId) const;
    std::vector<SimLedgerEntry> ledgers(const QString &accountId) const; // newest first
    const SimLedgerEntry *ledger(const QString &ledgerId) const;
    double tradingCounter(const QString &accountId, const QString &symbol) const;
    int tradingCounterMax(const QString &accountId) const;

    // ---- WebSocket tokens: valid 15 minutes for starting a subscription, tied to the account.
    QString issueWsToken(const QString &accountId);
    // The account of a token still within its 15 minutes; empty otherwise.
    QString accountOfToken(const QString &token) const;

    // ---- clock-driven work (also run by an internal timer and after market trades)
    void tick();           // expiry, dead man's switch, then pending work
    void processPending(); // iceberg refills and triggers queued by market events

    QJsonObject saveState() const;
    bool restoreState(const QJsonObject &state, QString *error);

Q_SIGNALS:
    void execution(const QString &accountId, const kraken::sim::ExecReport &report);
    void ledgerPosted(const QString &accountId, const kraken::sim::SimLedgerEntry &entry);
    void tradingCounterChanged(const QString &accountId, const QString &symbol, double value);

private:
    struct Account {
        SimAccount config;
        QMap<QString, Decimal> balances;
        std::map<QString, RateCounter> counters; // by symbol
        qint64 deadManMs = 0;
    };
    struct BookSide {
        std::map<Decimal, std::deque<QString>> levels; // price -> order ids in time priority
    };
    struct Book {
        BookSide bids, asks;
        BookSide &side(Side s) { return s == Side::Buy ? bids : asks; }
        const BookSide &side(Side s) const { return s == Side::Buy ? bids : asks; }
    };

    Account *acct(const QString &id);
    const Account *acct(const QString &id) const;
    const SimPair *pairOf(const QString &symbol) const;
    QString quoteAsset(const QString &symbol) const;
    QString baseAsset(const QString &symbol) const;
    int assetDecimals(const QString &asset) const;
    QString newId(QChar prefix);
    QString chargeTrading(Account &a, const QString &symbol, int cost);

    QString validate(const Account &a, const OrderParams &p, SimOrder &o) const;
    std::optional<Decimal> resolvePrice(const PriceSpec &spec, const Decimal &reference,
                                        bool positiveWhenAuto, int decimals) const;
    Decimal requiredHold(const SimOrder &o) const;
    QString checkFunds(const Account &a, const SimOrder &o, const SimOrder *replacing) const;
    std::optional<Decimal> estimateMarketCost(const SimOrder &o) const;

    void emitExec(const QString &type, const SimOrder &o, const QString &reason = {},
                  const std::optional<SimTrade> &trade = {});
    // Runs a live (untriggered-or-triggered) order: take the crossing part, then rest or close.
    void execute(SimOrder &o);
    void takeLiquidity(SimOrder &o, const std::optional<Decimal> &limit, bool market);
    void rest(SimOrder &o, bool newEvent);
    void unrest(SimOrder &o);
    void applyFill(SimOrder &o, const Decimal &price, const Decimal &qty, bool maker,
                   qint64 publicTradeId);
    void finishIfDone(SimOrder &o);
    void closeOrder(SimOrder &o, OrderStatus status, const QString &reason);
    void updateHold(SimOrder &o);
    std::optional<Decimal> bestUserPrice(const QString &symbol, Side side) const;
    Decimal matchResting(const QString &symbol, Side restingSide, const Decimal &price,
                         const Decimal &maxQty);
    void checkTriggers(const QString &symbol, const Decimal &last);
    void trigger(SimOrder &o, const Decimal &last);
    void scheduleWork();
    void onTradePrinted(const QString &symbol, const MarketTrade &t);
    void postLedger(Account &a, const SimTrade &t, const QString &asset, const Decimal &amount,
                    const Decimal &fee, SimTrade &trade);
    SimOrder *findOpen(const QString &accountId, const QString &ref);

    SimConfig m_config;
    Faults *m_faults;
    std::map<QString, MarketSim *> m_markets;
    std::map<QString, Book> m_books;
    std::map<QString, Account> m_accounts;
    std::map<QString, SimOrder> m_orders;
    std::vector<QString> m_orderSeq; // creation order
    std::vector<SimTrade> m_trades;  // oldest first
    std::map<QString, size_t> m_tradeIndex;
    std::vector<SimLedgerEntry> m_ledgers;
    std::map<QString, size_t> m_ledgerIndex;
    std::map<QString, std::pair<QString, qint64>> m_tokens; // token -> account, issued ms
    std::map<QString, qint64> m_lastTradeId;                // symbol -> last public trade id
    std::map<QString, Decimal> m_lastPrice;                 // symbol -> last trade price
    std::vector<QString> m_pendingRefills;
    std::vector<QString> m_dirtySymbols;
    std::vector<MarketTrade> *m_capture = nullptr; // trades printed during our own take()
    bool m_workScheduled = false;
    bool m_inMatcher = false;
    Clock m_clock;
    std::mt19937_64 m_rng;
    QTimer *m_timer = nullptr;
};

} // namespace kraken::sim
