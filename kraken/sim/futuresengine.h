#pragma once

// FuturesEngine: the paper exchange's Kraken Futures venue. One MarketSim per contract (seeded
// like the Spot markets), an index price that follows the paper Spot market of the underlying,
// a mark price (index plus a damped premium of the futures mid), hourly funding for
// perpetuals; the user's orders (lmt, post, ioc, mkt, stp, take_profit, trailing_stop,
// reduce-only) matched against the synthetic book in price-time priority; signed positions
// with average entry price, realised and unrealised PnL, fees, and margin from the contract's
// margin tiers (flex USD collateral for PF_, a BTC margin account for PI_/FI_). Money is
// Decimal throughout. REST (FuturesRest) is a rendering of this state; statuses are Kraken's
// sendStatus strings. Lives on the exchange thread; not thread-safe.

#include "kraken/core/decimal.h"
#include "marketsim.h"
#include "simconfig.h"

#include <QHash>
#include <QObject>
#include <QStringList>

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

enum class TriggerSignal { Mark, Index, Last };
// Kraken's names for a trigger signal in REST and WebSocket answers: mark_price, spot_price,
// last_price.
QString triggerSignalName(TriggerSignal signal);

// sendorder's parameters, already parsed from the form (strings are Kraken's wire names).
struct FuturesOrderParams {
    QString orderType; // lmt | post | ioc | mkt | stp | take_profit | trailing_stop
    QString symbol;
    QString side; // buy | sell
    std::optional<Decimal> size, limitPrice, stopPrice;
    QString cliOrdId;
    QString triggerSignal; // mark | index | last (default last)
    bool reduceOnly = false;
    std::optional<Decimal> trailingStopMaxDeviation;
    QString trailingStopDeviationUnit; // PERCENT | QUOTE_CURRENCY
};

struct FuturesOrder {
    QString orderId, cliOrdId, symbol; // symbol upper-case, as Kraken answers
    Side side = Side::Buy;
    QString type; // the wire orderType it was sent as
    Decimal size, filled;
    std::optional<Decimal> limitPrice, stopPrice;
    TriggerSignal signal = TriggerSignal::Last;
    bool reduceOnly = false;
    bool triggered = false; // a trigger order that fired and now works as lmt/mkt
    std::optional<Decimal> trailDeviation;
    QString trailUnit;
    qint64 receivedMs = 0, lastUpdateMs = 0;
    bool open = false;
    Decimal displayed; // quantity shown in the market's book

    Decimal unfilled() const;
    bool isTrigger() const; // stp / take_profit / trailing_stop
    bool waitingForTrigger() const { return isTrigger() && !triggered; }
};

struct FuturesFill {
    QString fillId, orderId, cliOrdId, symbol, orderType;
    Side side = Side::Buy;
    Decimal size, price, fee;
    QString feeCurrency;
    QString fillType; // maker | taker | takerAfterEdit
    qint64 timeMs = 0;
};

struct FuturesPosition {
    QString symbol;
    Decimal size;              // signed: > 0 long, < 0 short
    Decimal entryPrice;        // average (harmonic for inverse contracts)
    Decimal unrealizedFunding; // accrued, realised into collateral when the position reduces
    Decimal realizedPnl;       // since the position was opened, before fees
    qint64 fillTimeMs = 0;
};

// One item of sendStatus/editStatus/cancelStatus.orderEvents.
struct FuturesOrderEvent {
    QString type; // PLACE | EXECUTION | CANCEL | REJECT | EDIT | TRIGGER_ACTIVATED
    FuturesOrder order, priorOrder;
    Decimal price, amount; // EXECUTION
    QString executionId;
    QString reason; // REJECT / CANCEL
};

struct FuturesResult {
    QString status; // Kraken's: placed, edited, cancelled, insufficientAvailableFunds, ...
    QString orderId, cliOrdId;
    std::vector<FuturesOrderEvent> events;
};

// The /accounts view of one margin account, computed at the current mark prices.
struct FuturesMarginAccount {
    QString name;     // "flex" or "fi_xbtusd"
    QString currency; // "USD" or "BTC"
    Decimal balance;  // collateral
    Decimal pnl;      // unrealised at mark
    Decimal unrealizedFunding;
    Decimal initialMargin, initialMarginWithOrders, maintenanceMargin;
    Decimal portfolioValue, availableMargin;
    bool wouldLiquidate = false; // portfolio value below maintenance margin
};

class FuturesEngine : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // ms since the epoch
    // The paper Spot market a futures index follows ("BTC/USD"), or nullptr.
    using SpotLookup = std::function<MarketSim *(const QString &spotSymbol)>;

    FuturesEngine(const SimConfig &config, SpotLookup spot, Faults *faults,
                  QObject *parent = nullptr);
    ~FuturesEngine() override;

    const SimConfig &config() const { return m_config; }
    Faults *faults() const { return m_faults; }
    const SimFuturesInstrument *instrument(const QString &symbol) const; // case-insensitive
    MarketSim *market(const QString &symbol) const;
    std::vector<MarketSim *> markets() const;

    void setClock(Clock clock);
    qint64 now() const { return m_clock(); }

    // ---- prices
    std::optional<Decimal> indexPrice(const QString &symbol) const;
    std::optional<Decimal> markPrice(const QString &symbol) const;
    std::optional<Decimal> lastPrice(const QString &symbol) const;
    // Relative funding rate for the current interval (perpetuals; 0 otherwise).
    Decimal fundingRate(const QString &symbol) const;
    // Absolute rate as Kraken's tickers show it: USD per contract per interval.
    Decimal absoluteFundingRate(const QString &symbol) const;
    // Test and replay hooks: pin the index or the funding rate (nullopt releases it).
    void setIndexOverride(const QString &symbol, std::optional<Decimal> price);
    void setFundingRateOverride(const QString &symbol, std::optional<Decimal> rate);
    qint64 nextFundingMs() const { return m_nextFundingMs; }

    // ---- order entry
    FuturesResult sendOrder(const QString &accountId, const FuturesOrderParams &params);
    struct EditParams {
        QString orderId, cliOrdId;
        std::optional<Decimal> size, limitPrice, stopPrice, trailingStopMaxDeviation;
    };
    FuturesResult editOrder(const QString &accountId, const EditParams &params);
    FuturesResult cancelOrder(const QString &accountId, const QString &orderId,
                              const QString &cliOrdId);
    // Returns the cancelled orders (symbol empty: all).
    std::vector<FuturesOrder> cancelAll(const QString &accountId, const QString &symbol = {});
    // Dead man's switch; 0 disarms. Returns the trigger time in ms (0 when disarmed).
    qint64 cancelAllOrdersAfter(const QString &accountId, int timeoutSeconds);
    qint64 deadManTrigger(const QString &accountId) const;

    // ---- account state
    bool hasAccount(const QString &accountId) const;
    std::vector<FuturesOrder> openOrders(const QString &accountId) const; // oldest first
    const FuturesOrder *order(const QString &orderId) const;
    std::vector<FuturesFill> fills(const QString &accountId) const; // oldest first
    std::vector<FuturesPosition> positions(const QString &accountId) const;
    std::optional<FuturesPosition> position(const QString &accountId, const QString &sym) const;
    Decimal unrealizedPnl(const QString &accountId, const QString &symbol) const;
    QStringList marginAccountNames(const QString &accountId) const;
    FuturesMarginAccount marginAccount(const QString &accountId, const QString &name) const;
    Decimal collateral(const QString &accountId, const QString &name) const;

    // ---- clock-driven work
    void step();           // markets, premium, triggers, pending work
    void updatePremium();  // moves each premium a tenth of the way to (mid - index)
    void applyFunding();   // every perpetual position, at the current rate and mark, now
    void tick();           // dead man's switch, funding when its time has come
    void processPending(); // triggers and reduce-only clean-up queued by market events

Q_SIGNALS:
    // Every order event and fill, for the Futures WebSocket feeds to come.
    void orderEvent(const QString &accountId, const kraken::sim::FuturesOrderEvent &event);
    void filled(const QString &accountId, const kraken::sim::FuturesFill &fill);

private:
    struct Account {
        SimAccount config;
        std::map<QString, Decimal> collateral; // by margin account name ("flex", "fi_xbtusd")
        std::map<QString, FuturesPosition> positions;
        qint64 deadManMs = 0;
    };
    struct Contract {
        const SimFuturesInstrument *spec = nullptr;
        std::unique_ptr<MarketSim> market;
        MarketSim *spot = nullptr;
        std::map<Decimal, std::deque<QString>> bids, asks; // price -> order ids, time priority
        Decimal premium;
        std::optional<Decimal> indexOverride, fundingOverride;
        std::optional<Decimal> last;
        std::map<Decimal, std::deque<QString>> &side(Side s) {
            return s == Side::Buy ? bids : asks;
        }
    };

    Contract *contract(const QString &symbol);
    const Contract *contract(const QString &symbol) const;
    Account *acct(const QString &id);
    const Account *acct(const QString &id) const;
    QString newId();
    std::optional<Decimal> signalPrice(const Contract &c, TriggerSignal s) const;

    // Margin arithmetic, in the contract's collateral currency.
    Decimal notional(const SimFuturesInstrument &f, const Decimal &size,
                     const Decimal &price) const;
    const SimMarginLevel &tier(const SimFuturesInstrument &f, const Decimal &size,
                               const Decimal &price) const;
    Decimal pnl(const SimFuturesInstrument &f, const Decimal &size, const Decimal &entry,
                const Decimal &exit) const;
    Decimal fee(const SimFuturesInstrument &f, const Decimal &size, const Decimal &price,
                const Decimal &pct) const;
    Decimal orderMargin(const FuturesOrder &o) const;
    Decimal reducible(const Account &a, const FuturesOrder &o) const;

    QString validate(const Account &a, const FuturesOrderParams &p, FuturesOrder &o) const;
    void execute(FuturesOrder &o, std::vector<FuturesOrderEvent> &events, bool afterEdit);
    void rest(FuturesOrder &o);
    void unrest(FuturesOrder &o);
    void applyFill(FuturesOrder &o, const Decimal &price, const Decimal &qty, bool maker,
                   bool afterEdit, std::vector<FuturesOrderEvent> &events);
    void close(FuturesOrder &o, const QString &reason, std::vector<FuturesOrderEvent> *events);
    Decimal matchResting(const QString &symbol, Side restingSide, const Decimal &price,
                         const Decimal &maxQty);
    void checkTriggers(const QString &symbol);
    void schedulePending();
    FuturesOrder *findOpen(const QString &accountId, const QString &orderId,
                           const QString &cliOrdId);
    void emitEvents(const QString &accountId, const std::vector<FuturesOrderEvent> &events);

    SimConfig m_config;
    Faults *m_faults;
    std::map<QString, Contract> m_contracts; // by upper-case symbol
    std::map<QString, Account> m_accounts;
    std::map<QString, FuturesOrder> m_orders; // every order of the session, open or not
    QHash<QString, QString> m_owner;          // order id -> account id
    std::vector<QString> m_orderSeq;
    std::vector<std::pair<QString, FuturesFill>> m_fills; // (account, fill), oldest first
    std::vector<QString> m_dirty;                         // symbols needing a trigger check
    std::vector<QString> m_reduceOnlyCheck;               // orders to re-check after fills
    bool m_pendingScheduled = false;
    bool m_inMatcher = false;
    qint64 m_nextFundingMs = 0;
    Clock m_clock;
    std::mt19937_64 m_rng;
    QTimer *m_timer = nullptr;
};

} // namespace kraken::sim
