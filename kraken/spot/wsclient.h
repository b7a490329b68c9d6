#pragma once

// WsClient: Kraken Spot WebSocket v2, public market data. Owns the connection, the registry
// of subscriptions and one checksum-verified OrderBook per subscribed symbol.
//
// States: Disconnected -> Connecting -> Subscribing -> Live, with Resyncing while a book waits
// for a fresh snapshot, Reconnecting (capped exponential backoff with jitter) after the
// connection drops or goes silent, and Closed after close(). Every transition is a signal
// with a reason. On reconnect the instrument channel is subscribed first (precisions), then
// every registered subscription, and gap() tells consumers that data may have been missed.
//
// Books: every message is applied, truncated to the subscribed depth and checked against
// Kraken's CRC32. A mismatch, a crossed book or a level the precision cannot hold marks that
// one symbol's book invalid and resubscribes that symbol only; other symbols keep streaming.
//
// Liveness: any frame proves the connection alive. After silenceTimeoutMs without one the
// client pings; without an answer within pongTimeoutMs the connection is declared dead.
//
// Thread: lives on one (feed) thread; signals carry values. bookUpdated() fires per message,
// so consumers on the GUI thread should coalesce (pull bookSnapshot() at display rate).

#include "kraken/book/orderbook.h"
#include "kraken/core/error.h"
#include "kraken/core/instrumentregistry.h"
#include "wsmessages.h"
#include "wssubscription.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::spot {

struct WsClientConfig {
    QUrl url = QUrl(QStringLiteral("wss://ws.kraken.com/v2"));
    int connectTimeoutMs = 15'000;
    int silenceTimeoutMs = 10'000; // Kraken sends a heartbeat a second while subscribed
    int pongTimeoutMs = 5'000;
    int pingIntervalMs = 30'000; // latency probe, also keeps an idle connection open
    int reconnectInitialMs = 500;
    int reconnectMaxMs = 30'000;
    quint32 jitterSeed = 0;           // 0: seeded from the system
    bool subscribeInstruments = true; // precisions from the instrument channel
};

class WsClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(int resyncCount READ resyncCount NOTIFY resyncCountChanged)
    Q_PROPERTY(qint64 latencyMs READ latencyMs NOTIFY latencyMeasured)
public:
    enum class State {
        Disconnected,
        Connecting,
        Subscribing,
        Live,
        Resyncing,
        Reconnecting,
        Closed
    };
    Q_ENUM(State)

    explicit WsClient(WsClientConfig config = {}, QObject *parent = nullptr);
    ~WsClient() override;

    void open();
    // Closes for good: no reconnect until open() again.
    void close();

    // Precisions known from REST AssetPairs (pair_decimals, lot_decimals), used until the
    // instrument channel says otherwise.
    void setInstruments(const InstrumentRegistry &instruments);

    // Registered subscriptions survive reconnects. Invalid parameters (unknown depth or
    // interval, empty symbol) are refused with subscriptionFailed().
    void subscribe(const WsSubscription &subscription);
    void unsubscribe(const WsSubscription &subscription);
    QList<WsSubscription> subscriptions() const;

    State state() const;
    static QString stateName(State state);
    int resyncCount() const;
    qint64 latencyMs() const; // last ping round trip, -1 before the first
    qint64 protocolErrorCount() const;

    // The top `levels` of a symbol's book; null while the book is not valid.
    std::shared_ptr<const book::BookSnapshot> bookSnapshot(const QString &symbol,
                                                           int levels = 0) const;

Q_SIGNALS:
    void stateChanged(kraken::spot::WsClient::State state, const QString &reason);
    void reconnectScheduled(qint64 delayMs, int attempt);
    // The connection was lost: messages may have been missed. Books resync by themselves;
    // trades, candles and tickers should be refetched (REST) by whoever keeps history.
    void gap(const QString &reason);
    void subscribed(const kraken::spot::WsSubscription &subscription);
    void subscriptionFailed(const kraken::spot::WsSubscription &subscription, const QString &error);
    void systemStatus(const kraken::spot::ws::StatusEvent &status);
    void instrumentsUpdated(const QList<kraken::spot::ws::InstrumentPairInfo> &pairs);
    void bookUpdated(const QString &symbol);
    void bookInvalid(const QString &symbol, const QString &reason);
    void resyncCountChanged(int count);
    void ticker(const kraken::spot::ws::TickerEvent &ticker);
    void trade(const kraken::spot::ws::TradeEvent &trade);
    // The forming candle, on every update.
    void candle(const kraken::spot::ws::OhlcEvent &candle);
    // The previous candle, final, once a message for a later interval begins (Kraken never
    // marks a candle closed).
    void candleClosed(const kraken::spot::ws::OhlcEvent &candle);
    // A frame that could not be used (the connection is kept).
    void protocolError(const kraken::Error &error);
    void latencyMeasured(qint64 ms);
    // Every frame exactly as received (for recording); only emitted when connected.
    void rawFrame(const QByteArray &frame);

private:
    struct Private;
    std::unique_ptr<Private> d;

    void setState(State state, const QString &reason);
    void onConnected();
    void onDisconnected(const QString &reason);
    void onFrame(QByteArrayView frame);
    void onMethod();
    void onBook();
    void onCandles();
    void onInstruments();
    void scheduleReconnect(const QString &reason);
    void sendSubscribe(const WsSubscription &subscription, bool subscribe);
    void sendInstrumentSubscribe();
    void sendAllSubscriptions();
    void sendPing();
    void resync(const QString &symbol, const QString &reason);
    void restartWatchdog();
    void updateLiveness();
    bool sendJson(const QByteArray &json);
};

} // namespace kraken::spot
