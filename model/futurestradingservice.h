#pragma once

// FuturesTradingService: the Kraken Futures trading stack of one profile on a thread of its
// own, the Futures counterpart of TradingService. start() (queued, on that thread) opens the
// Futures journal (a file of its own: Futures is a separate account), builds the REST client
// with the profile's Futures keys, the WebSocket for the private feeds and the
// FuturesOrderManager, loads the instruments and reconciles. The GUI talks to it only through
// queued slots and value signals. stop() closes the socket and destroys the stack on its
// thread.
//
// Thread: create it on the GUI thread, moveToThread() to the trading thread, then drive it
// with queued calls.

#include "futuresordermanager.h"
#include "futurestypes.h"
#include "kraken/core/credentials.h"
#include "kraken/futures/futuresinstrument.h"
#include "kraken/futures/futuresorderrequest.h"
#include "tradingtypes.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace model {

struct FuturesTradingServiceConfig {
    QUrl restUrl = QUrl(QStringLiteral("https://futures.kraken.com/derivatives/api/v3"));
    QUrl wsUrl = QUrl(QStringLiteral("wss://futures.kraken.com/ws/v1"));
    QUrl historyUrl = QUrl(QStringLiteral("https://futures.kraken.com/api/history/v2"));
    kraken::Credentials credentials;
    QString journalPath;
    bool persistNonce = true;
    FuturesOrderManagerConfig manager;
};

class FuturesTradingService : public QObject {
    Q_OBJECT
public:
    explicit FuturesTradingService(FuturesTradingServiceConfig config, QObject *parent = nullptr);
    ~FuturesTradingService() override;

    static void registerMetaTypes();

public Q_SLOTS:
    void start();
    void stop();
    void submit(const kraken::futures::FuturesOrderRequest &order);
    void edit(const QString &clOrdId, std::optional<kraken::Decimal> size,
              std::optional<kraken::Decimal> limitPrice, std::optional<kraken::Decimal> stopPrice);
    void cancel(const QStringList &clOrdIds);
    void cancelAll();
    void closePosition(const QString &symbol, const kraken::Decimal &signedSize);
    void setDeadMansSwitch(int timeoutSeconds);
    void reconcile();

Q_SIGNALS:
    void started();
    void failed(const QString &reason);
    // The private feeds' WebSocket: "live", "connecting", "reconnecting in 2 s", ...
    void connectionChanged(const QString &state, bool live);
    void instrumentsLoaded(const QList<kraken::futures::FuturesInstrument> &instruments);
    void submitted(const QString &clOrdId);
    // Re-emitted from the FuturesOrderManager (connected before it starts).
    void ordersReset(const QList<model::OrderRecord> &orders);
    void ordersChanged(const QList<model::OrderRecord> &changed);
    void fillsReset(const QList<model::FillRecord> &fills);
    void fillsAdded(const QList<model::FillRecord> &fills);
    void positionsChanged(const QList<model::PositionRecord> &positions);
    void marginsChanged(const QList<model::MarginRecord> &accounts);
    void reconcileStarted(const QString &why);
    void reconciled(const QString &summary);
    void deadMansSwitchChanged(bool armed, qint64 triggerAtMs, const QString &status);
    void errorOccurred(const QString &clOrdId, const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace model

Q_DECLARE_METATYPE(kraken::futures::FuturesOrderRequest)
Q_DECLARE_METATYPE(kraken::futures::FuturesInstrument)
