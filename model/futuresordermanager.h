#pragma once

// FuturesOrderManager: the one place Kraken Futures orders are placed, edited and cancelled,
// and the owner of the Futures account state the panels show: orders and fills (as
// OrderRecord / FillRecord, in their own journal), open positions and margin accounts.
//
// The guarantees are Spot's (OrderManager): each order is keyed by a fresh cliOrdId and its
// journal row is on disk before the request leaves (a journal that cannot write means the
// order is not sent); a request whose outcome is unknown (timeout, dropped connection) puts
// the order in Unknown and the manager asks Kraken about that cliOrdId until it knows, never
// sending it again. Futures has no per-order query, so "asking" means the open orders and the
// recent fills: found open or filled resolves it; after `unknownMaxAttempts` rounds without a
// trace it is Rejected ("did not reach Kraken").
//
// Futures order entry is REST only (WebSocket v1 has no order methods); the WebSocket, when
// given, carries the private feeds: open_orders, fills, open_positions and balances. Without
// it (or while it is down) positions, PnL and margin come from REST (openpositions, tickers,
// accounts) on a poll.
//
// Reconciliation on start() and on every WebSocket gap: open orders, the last fills, the
// positions and the accounts; orders placed elsewhere are adopted as "ext:<order id>".
//
// Dead man's switch: cancelallordersafter(T) now and every T/4 s (1..15 s) while healthy.
//
// Thread: lives on the Futures trading thread with its clients and Journal; drive it through
// its slots (queued from the GUI). Signals carry value batches.

#include "futurestypes.h"
#include "journal.h"
#include "kraken/core/error.h"
#include "kraken/futures/futuresinstrumentregistry.h"
#include "tradingtypes.h"

#include <QObject>

#include <memory>
#include <optional>

namespace kraken::futures {
class FuturesRestClient;
class FuturesWsClient;
struct FuturesOrderRequest;
struct FuturesOpenOrder;
struct FuturesFill;
struct FuturesOrderStatus;
struct FuturesAccounts;
namespace ws {
struct OpenOrdersEvent;
struct OpenOrder;
struct FillsEvent;
struct FillEvent;
struct PositionsEvent;
struct BalancesEvent;
} // namespace ws
} // namespace kraken::futures

namespace model {

struct FuturesOrderManagerConfig {
    int unknownRetryMs = 1000;  // first look for an unknown order; doubles per attempt
    int unknownMaxAttempts = 6; // then: Rejected, it never reached Kraken
    int accountRefreshMs = 300; // positions and margin after order activity, debounced
    int accountPollMs = 5000;   // positions, marks and margin while no WebSocket feeds them
};

class FuturesOrderManager : public QObject {
    Q_OBJECT
public:
    // `ws` may be null (REST only). Neither is owned; all must live on this thread.
    FuturesOrderManager(kraken::futures::FuturesRestClient *rest,
                        kraken::futures::FuturesWsClient *ws, Journal *journal,
                        FuturesOrderManagerConfig config = {}, QObject *parent = nullptr);
    ~FuturesOrderManager() override;

    // Contract sizes (PnL, notional) and inverse/linear kinds.
    void setInstruments(const kraken::futures::FuturesInstrumentRegistry &instruments);

    QList<OrderRecord> orders() const;
    std::optional<OrderRecord> order(const QString &clOrdId) const;
    QList<FillRecord> fills() const;
    QList<PositionRecord> positions() const;
    QList<MarginRecord> margins() const;
    bool isReconciling() const;

    // Unrealised PnL of `size` contracts entered at `entry`, at `mark`: linear contracts
    // (mark - entry) * size * contractSize in the quote currency; inverse ones
    // size * contractSize * (1/entry - 1/mark) in the base coin (8 places).
    static std::optional<kraken::Decimal>
    unrealizedPnl(const kraken::futures::FuturesInstrument &instrument, const Decimal &size,
                  const Decimal &entry, const Decimal &mark);

public Q_SLOTS:
    // Loads the journal (ordersReset, fillsReset) and reconciles with Kraken.
    void start();
    // Places `order`; returns the cliOrdId it assigned (the order is already journalled).
    QString submit(const kraken::futures::FuturesOrderRequest &order);
    // Kraken's editorder: new size, limit price or stop price of a resting order.
    void edit(const QString &clOrdId, std::optional<kraken::Decimal> size,
              std::optional<kraken::Decimal> limitPrice,
              std::optional<kraken::Decimal> stopPrice = std::nullopt);
    void cancel(const QStringList &clOrdIds);
    // Every open order, or those on `symbol`.
    void cancelAll(const QString &symbol = {});
    // A reduce-only market order for the opposite of `signedSize` contracts (> 0: long).
    QString closePosition(const QString &symbol, const kraken::Decimal &signedSize);
    void reconcile(const QString &why);
    // 0 disarms.
    void setDeadMansSwitch(int timeoutSeconds);

Q_SIGNALS:
    void ordersReset(const QList<model::OrderRecord> &orders);
    void ordersChanged(const QList<model::OrderRecord> &changed);
    void fillsReset(const QList<model::FillRecord> &fills);
    void fillsAdded(const QList<model::FillRecord> &fills);
    // The full set each time.
    void positionsChanged(const QList<model::PositionRecord> &positions);
    void marginsChanged(const QList<model::MarginRecord> &accounts);
    void reconcileStarted(const QString &why);
    void reconciled(const QString &summary);
    void deadMansSwitchChanged(bool armed, qint64 triggerAtMs, const QString &status);
    // A request failed (the order's state says the rest); clOrdId empty for account-wide ones.
    void errorOccurred(const QString &clOrdId, const kraken::Error &error);

private:
    struct Private;
    struct ExchangeOrder;
    std::unique_ptr<Private> d;

    bool wsLive() const;
    QString keyFor(const QString &cliOrdId, const QString &orderId) const;
    void store(OrderRecord &record, const QString &detail);
    void scheduleFlush();
    void addFill(const FillRecord &fill);
    void onPlaced(const QString &clOrdId, const kraken::futures::FuturesOrderStatus &status);
    void onPlaceFailed(const QString &clOrdId, const kraken::Error &error);
    void resolveOrder(const QString &clOrdId, bool placementUnknown);
    void queryOrder(const QString &clOrdId, bool placementUnknown);
    // A working order Kraken no longer lists as open: filled (its fills say so) or cancelled.
    void settleClosed(const QString &clOrdId, const QString &detail);
    void applyOrder(const ExchangeOrder &order, const QString &detail);
    void onOpenOrders(const kraken::futures::ws::OpenOrdersEvent &event);
    void onFills(const kraken::futures::ws::FillsEvent &event);
    void onPositions(const kraken::futures::ws::PositionsEvent &event);
    void onBalances(const kraken::futures::ws::BalancesEvent &event);
    FillRecord fillFrom(const kraken::futures::FuturesFill &fill) const;
    FillRecord fillFrom(const kraken::futures::ws::FillEvent &fill) const;
    void applyAccounts(const kraken::futures::FuturesAccounts &accounts);
    void refreshAccount();
    void refreshDeadMansSwitch();
    void sendDeadMansSwitch(int timeoutSeconds);
};

} // namespace model
