#pragma once

// OrderManager: the one place orders are placed, amended and cancelled, and the owner of the
// account state the blotters show. Each order is a state machine (OrderState) keyed by a
// fresh cl_ord_id; the journal row is written before the request leaves; `executions` events
// and REST replies move it. Orders go out over the authenticated WebSocket when it is live,
// else over REST.
//
// Exactly once: a request whose outcome is unknown (timeout, socket dropped after sending)
// puts the order in Unknown, and the manager asks Kraken about that cl_ord_id (OpenOrders,
// ClosedOrders) until it knows; it never sends the order again. A cl_ord_id Kraken still
// does not know after `unknownMaxAttempts` queries is Rejected ("never reached Kraken").
//
// Reconciliation on start(), on every WebSocket gap (reconnect, sequence skip): OpenOrders,
// ClosedOrders and TradesHistory since the last known point, and BalanceEx, so that nothing is
// missed, doubled or left stale. Orders placed elsewhere (web UI, another program) are adopted
// with the key "ext:<order id>".
//
// Dead man's switch: setDeadMansSwitch(T) sends cancel_all_orders_after(T) now and every
// T/4 s (at least every 15 s, at most every second) while the terminal is healthy: over the
// WebSocket when live, else over REST. If the terminal loses Kraken, the refresh stops and
// Kraken cancels every open order when the countdown runs out; that is the point.
//
// Thread: lives on the trading thread with its RestClient, TradingWsClient and Journal; drive
// it through its slots (queued from the GUI). Signals carry value batches.

#include "journal.h"
#include "kraken/core/error.h"
#include "kraken/core/instrumentregistry.h"
#include "tradingtypes.h"

#include <QObject>

#include <memory>
#include <optional>

namespace kraken::spot {
class RestClient;
class TradingWsClient;
struct OrderRequest;
struct OrderInfo;
namespace ws {
struct ExecutionsMessage;
struct ExecutionReport;
struct BalancesMessage;
} // namespace ws
} // namespace kraken::spot

namespace model {

struct OrderManagerConfig {
    int unknownRetryMs = 1000;         // first query of an unknown order; doubles per attempt
    int unknownMaxAttempts = 6;        // then: Rejected, it never reached Kraken
    int balanceRefreshMs = 300;        // BalanceEx after order activity (holds), debounced
    int reconcileOverlapSeconds = 120; // history queries start this much before the last point
};

class OrderManager : public QObject {
    Q_OBJECT
public:
    // `ws` may be null (REST only). Neither is owned; all must live on this thread.
    OrderManager(kraken::spot::RestClient *rest, kraken::spot::TradingWsClient *ws,
                 Journal *journal, OrderManagerConfig config = {}, QObject *parent = nullptr);
    ~OrderManager() override;

    // Maps REST pair names (XXBTZUSD, XBTUSD) to symbols (BTC/USD).
    void setInstruments(const kraken::InstrumentRegistry &instruments);

    QList<OrderRecord> orders() const;
    std::optional<OrderRecord> order(const QString &clOrdId) const;
    QList<FillRecord> fills() const;
    QList<BalanceRecord> balances() const;
    bool isReconciling() const;

public Q_SLOTS:
    // Loads the journal (ordersReset) and reconciles with Kraken.
    void start();
    // Places `order` (validate-only orders are not journalled: validated() answers). Returns
    // the cl_ord_id it assigned; the order is already in the journal as PendingNew.
    QString submit(const kraken::spot::OrderRequest &order);
    void amend(const QString &clOrdId, std::optional<kraken::Decimal> qty,
               std::optional<kraken::Decimal> limitPrice,
               std::optional<kraken::Decimal> triggerPrice = std::nullopt);
    void cancel(const QStringList &clOrdIds);
    void cancelAll();
    void reconcile(const QString &why);
    // 0 disarms.
    void setDeadMansSwitch(int timeoutSeconds);

Q_SIGNALS:
    void ordersReset(const QList<model::OrderRecord> &orders);
    void ordersChanged(const QList<model::OrderRecord> &changed);
    void fillsReset(const QList<model::FillRecord> &fills);
    void fillsAdded(const QList<model::FillRecord> &fills);
    void balancesChanged(const QList<model::BalanceRecord> &balances);
    // validate-only answer: ok, or Kraken's reason.
    void validated(const QString &requestId, bool ok, const QString &message);
    void reconcileStarted(const QString &why);
    void reconciled(const QString &summary);
    // armed; when Kraken will cancel everything (ms since epoch, 0 when disarmed); a status
    // line ("refreshed", "refresh failed: ...").
    void deadMansSwitchChanged(bool armed, qint64 triggerAtMs, const QString &status);
    // A request failed (the order's state says the rest); clOrdId empty for account-wide ones.
    void errorOccurred(const QString &clOrdId, const kraken::Error &error);

private:
    QString symbolOf(const QString &pair) const;
    QString keyFor(const QString &clOrdId, const QString &orderId) const;
    // Journals the record with `detail`, indexes it and queues it for the next batch.
    void store(OrderRecord &record, const QString &detail);
    void scheduleFlush();
    void addFill(const FillRecord &fill);
    void onPlaced(const QString &clOrdId, const QString &orderId);
    void onPlaceFailed(const QString &clOrdId, const kraken::Error &error);
    // Asks Kraken about one order after a delay; placementUnknown: the order may never have
    // arrived, and "not found" eventually means Rejected.
    void resolveOrder(const QString &clOrdId, bool placementUnknown);
    void queryOrder(const QString &clOrdId, bool placementUnknown);
    void applyOrderInfo(const kraken::spot::OrderInfo &info, const QString &detail);
    void onExecutions(const kraken::spot::ws::ExecutionsMessage &message);
    void applyExecution(const kraken::spot::ws::ExecutionReport &report);
    void onBalances(const kraken::spot::ws::BalancesMessage &message);
    void refreshBalances();
    void refreshDeadMansSwitch();
    void sendDeadMansSwitch(int timeoutSeconds);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace model
