#pragma once

// FuturesDesk: the terminal's Kraken Futures account. Owns the Futures blotter models
// (orders, fills), the positions and the account summary (which also shows the Spot
// balances), adds their panels and the Futures ticket to the window, and runs a
// model::FuturesTradingService on a trading thread of its own. Kraken Futures is a separate
// account from Spot, with its own keys, so it has its own stack: a Spot outage or a missing
// Futures key never stops the other venue. GUI thread.

#include "kraken/core/decimal.h"
#include "kraken/core/instrument.h"
#include "kraken/futures/futuresinstrument.h"
#include "model/futurestypes.h"
#include "model/ordervalidation.h"
#include "model/tradingtypes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <functional>
#include <optional>

class QThread;

namespace kraken {
class Credentials;
}
namespace model {
class AccountSummaryModel;
class FillsModel;
class FuturesTradingService;
struct FuturesTradingServiceConfig;
class OrdersModel;
class PositionsModel;
} // namespace model
namespace ui {
class FillNotifier;
class MainWindow;
} // namespace ui

namespace app {

class FuturesDesk : public QObject {
    Q_OBJECT
public:
    // Builds the Futures panels into `window` (call before its layout is restored).
    FuturesDesk(ui::MainWindow *window, ui::FillNotifier *notifier, QObject *parent = nullptr);
    ~FuturesDesk() override;

    // Starts the trading stack; a running one is stopped first.
    void start(const model::FuturesTradingServiceConfig &config);
    // Stops it, joins its thread and empties the blotters. Idempotent.
    void stop();
    bool isRunning() const { return m_service != nullptr; }
    // True once the order manager has reconciled with the exchange.
    bool isReady() const { return m_ready; }
    // The connection line: "not connected", "live", or why not.
    QString connectionState() const { return m_connection; }
    // Says on the ticket and the status bar why Futures trading is off (no keys, ...).
    void setUnavailable(const QString &reason);

    // The feed's instruments (Spot and Futures): the Futures ones set the blotters' precision.
    void setInstruments(const QList<kraken::Instrument> &instruments);
    // The linked symbol; a Futures one goes to the ticket.
    void focus(const QString &symbol);
    bool isFuturesSymbol(const QString &symbol) const {
        return m_futuresSymbols.contains(symbol) || m_contracts.contains(symbol);
    }
    // Top of the focused Futures book, for the ticket's estimate and price guard.
    void setTouch(const std::optional<kraken::Decimal> &bid,
                  const std::optional<kraken::Decimal> &ask);
    void setGuardSettings(const model::GuardSettings &guards);
    // The Spot balances, shown next to the Futures margin in the account summary.
    void setSpotBalances(const QList<model::BalanceRecord> &balances);
    // The dead man's switch is armed for both venues at once: if the terminal loses Kraken,
    // every open order should go, not only the Spot ones.
    void setDeadMansSwitch(int timeoutSeconds);

    // A limit order at `price` from the ladder: prepared on the ticket, then submitted (the
    // ticket validates and confirms).
    void placeLimit(bool buy, const kraken::Decimal &price, bool confirmOnly);
    void cancel(const QStringList &clOrdIds);
    // The ladder's drag: new limit price for resting orders (Kraken's editorder).
    void amendPrice(const QStringList &clOrdIds, const kraken::Decimal &price);
    // The working Futures orders on `symbol` (the ladder's markers and its cancel-all).
    QList<model::OrderRecord> workingOrders(const QString &symbol) const;

    model::OrdersModel *ordersModel() const { return m_orders; }
    model::FillsModel *fillsModel() const { return m_fills; }
    model::PositionsModel *positionsModel() const { return m_positions; }
    model::AccountSummaryModel *accountModel() const { return m_account; }

Q_SIGNALS:
    void ready();
    void ordersChanged();
    void connectionChanged(const QString &state, bool live);

private:
    void onService(std::function<void(model::FuturesTradingService *)> fn);
    void onInstrumentsLoaded(const QList<kraken::futures::FuturesInstrument> &instruments);
    void onPositions(const QList<model::PositionRecord> &positions);
    void applyTicketContext();
    void status(const QString &text, int ms);

    ui::MainWindow *m_window;
    ui::FillNotifier *m_notifier;
    model::OrdersModel *m_orders;
    model::FillsModel *m_fills;
    model::PositionsModel *m_positions;
    model::AccountSummaryModel *m_account;

    QThread *m_thread = nullptr;
    model::FuturesTradingService *m_service = nullptr;
    bool m_ready = false;
    QString m_connection;

    QHash<QString, kraken::futures::FuturesInstrument> m_contracts; // by product id
    QHash<QString, kraken::Decimal> m_marks;                        // from the positions
    QSet<QString> m_futuresSymbols;                                 // the feed's contracts
    QString m_symbol; // the focused Futures symbol, "" when a Spot pair has the focus
    std::optional<kraken::Decimal> m_bid, m_ask;
};

} // namespace app
