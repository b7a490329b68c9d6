#pragma once

// TradingService: the trading stack of one profile on a thread of its own. start() (queued,
// on that thread) opens the journal, builds the REST client with the profile's credentials,
// the authenticated WebSocket and the OrderManager there, and connects them; the GUI talks to
// it only through its queued slots and value signals, so it never blocks on the network or the
// disk. stop() closes the socket and destroys the stack on its own thread.
//
// Thread: create it on the GUI thread, moveToThread() to the trading thread, then drive it
// with queued calls.

#include "kraken/core/credentials.h"
#include "kraken/core/error.h"
#include "ordermanager.h"
#include "tradingtypes.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::spot {
struct OrderRequest;
}

namespace model {

struct TradingServiceConfig {
    QUrl restUrl = QUrl(QStringLiteral("https://api.kraken.com"));
    QUrl wsAuthUrl = QUrl(QStringLiteral("wss://ws-auth.kraken.com/v2"));
    kraken::Credentials credentials;
    QString journalPath;
    bool limitPublicCalls = true; // off for the paper exchange
    bool persistNonce = true;
    OrderManagerConfig manager;
};

class TradingService : public QObject {
    Q_OBJECT
public:
    explicit TradingService(TradingServiceConfig config, QObject *parent = nullptr);
    ~TradingService() override;

    static void registerMetaTypes();

public Q_SLOTS:
    void start();
    void stop();
    void submit(const kraken::spot::OrderRequest &order);
    void amend(const QString &clOrdId, std::optional<kraken::Decimal> qty,
               std::optional<kraken::Decimal> limitPrice);
    void cancel(const QStringList &clOrdIds);
    void cancelAll();
    void setDeadMansSwitch(int timeoutSeconds);
    void reconcile();

Q_SIGNALS:
    void started();
    void failed(const QString &reason);
    // The authenticated WebSocket: "live", "connecting", "reconnecting in 2 s", ...
    void connectionChanged(const QString &state, bool live);
    void instrumentsLoaded(const QList<kraken::Instrument> &instruments);
    void submitted(const QString &clOrdId);
    // Re-emitted from the OrderManager (connected before it starts, so nothing is missed).
    void ordersReset(const QList<model::OrderRecord> &orders);
    void ordersChanged(const QList<model::OrderRecord> &changed);
    void fillsReset(const QList<model::FillRecord> &fills);
    void fillsAdded(const QList<model::FillRecord> &fills);
    void balancesChanged(const QList<model::BalanceRecord> &balances);
    void validated(const QString &requestId, bool ok, const QString &message);
    void reconcileStarted(const QString &why);
    void reconciled(const QString &summary);
    void deadMansSwitchChanged(bool armed, qint64 triggerAtMs, const QString &status);
    void errorOccurred(const QString &clOrdId, const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace model
