#pragma once

// FuturesWsClient: Kraken Futures WebSocket v1 (wss://futures.kraken.com/ws/v1), public market
// data and the private account feeds on one connection. Owns the socket, the registry of
// subscriptions, one OrderBook per subscribed product and the connection's challenge.
//
// States: Disconnected -> Connecting -> Subscribing -> Live, with Resyncing while a book waits
// for a fresh snapshot, Reconnecting (capped exponential backoff with jitter) after the
// connection drops or goes silent, and Closed after close(). Every transition is a signal with
// a reason. After a reconnect everything registered is subscribed again, a fresh challenge is
// requested for the private feeds, and gap() tells consumers that messages may have been lost.
//
// Books: Futures books carry no checksum; instead `seq` rises by exactly one per message per
// product. A gap, or a level the book's precision cannot hold, resyncs that one product
// (unsubscribe + subscribe for a fresh book_snapshot); other products keep streaming.
//
// Private feeds: {"event":"challenge","api_key":...} once per connection; the uuid is signed
// (futuresSignChallenge) and both go with every private subscribe. The secret and the signed
// challenge never reach a log line or an error.
//
// Keep-alive: Kraken closes connections idle for 60 s, so a WebSocket ping goes out every
// keepAliveIntervalMs (what Kraken's sample client does); its pong also measures latency. Any
// frame or pong proves the connection alive; after silenceTimeoutMs without one the client
// pings, and without an answer within pongTimeoutMs reconnects.
//
// Thread: lives on one (feed) thread; signals carry values.

#include "futureswsmessages.h"
#include "kraken/book/orderbook.h"
#include "kraken/core/credentials.h"
#include "kraken/core/error.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QJsonObject;

namespace kraken::futures {

struct FuturesWsClientConfig {
    QUrl url = QUrl(QStringLiteral("wss://futures.kraken.com/ws/v1"));
    int connectTimeoutMs = 15'000;
    int keepAliveIntervalMs = 30'000; // Kraken wants a ping at least every 60 s
    int silenceTimeoutMs = 45'000;    // pongs count, so this outlasts keepAliveIntervalMs
    int pongTimeoutMs = 10'000;
    int reconnectInitialMs = 500;
    int reconnectMaxMs = 30'000;
    quint32 jitterSeed = 0; // 0: seeded from the system
    // Levels kept per side; Futures sends the full book, far deeper than a trader reads.
    int bookDepth = 1000;
    bool subscribeHeartbeat = true;
};

class FuturesWsClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(int resyncCount READ resyncCount NOTIFY resyncCountChanged)
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

    enum class PublicFeed { Ticker, TickerLite, Trade, Book };
    Q_ENUM(PublicFeed)
    enum class PrivateFeed { OpenOrders, Fills, OpenPositions, Balances, Notifications };
    Q_ENUM(PrivateFeed)

    explicit FuturesWsClient(FuturesWsClientConfig config = {}, QObject *parent = nullptr);
    ~FuturesWsClient() override;

    void open();
    // Closes for good: no reconnect until open() again.
    void close();

    // Needed before any private subscription goes out; may be set while connected.
    void setCredentials(const Credentials &credentials);

    // Book precision for a product (decimals of tickSize and of the contract size). Without it
    // a book takes the most decimals its snapshot was written with (and tickSize's), and
    // widens them on a resync when a later level needs more.
    void setPrecision(const QString &productId, int priceDecimals, int qtyDecimals);

    // Registered subscriptions survive reconnects. Product ids are upper-cased.
    void subscribe(PublicFeed feed, const QString &productId);
    void unsubscribe(PublicFeed feed, const QString &productId);
    void subscribe(PrivateFeed feed);
    void unsubscribe(PrivateFeed feed);

    State state() const;
    static QString stateName(State state);
    static QString feedName(PublicFeed feed);
    static QString feedName(PrivateFeed feed);
    int resyncCount() const;
    qint64 latencyMs() const; // last ping round trip, -1 before the first
    qint64 protocolErrorCount() const;
    bool isAuthenticated() const; // a challenge is signed for this connection

    // The top `levels` of a product's book; null while the book is not valid.
    std::shared_ptr<const book::BookSnapshot> bookSnapshot(const QString &productId,
                                                           int levels = 0) const;
    // The seq of the last book message applied for a product (0 when none).
    qint64 bookSeq(const QString &productId) const;

Q_SIGNALS:
    void stateChanged(kraken::futures::FuturesWsClient::State state, const QString &reason);
    void reconnectScheduled(qint64 delayMs, int attempt);
    // Messages may have been missed (the connection dropped). Books resync by themselves;
    // orders, fills and positions arrive as fresh snapshots; trades should be refetched.
    void gap(const QString &reason);
    void subscribed(const QString &feed, const QString &productId); // productId empty: private
    void subscriptionFailed(const QString &feed, const QString &productId, const QString &error);
    void authenticated();
    void authenticationFailed(const kraken::Error &error);
    void heartbeat(qint64 timeMs);
    void ticker(const kraken::futures::ws::TickerEvent &ticker);
    void trade(const kraken::futures::ws::TradeEvent &trade);
    void bookUpdated(const QString &productId);
    void bookInvalid(const QString &productId, const QString &reason);
    void resyncCountChanged(int count);
    void openOrders(const kraken::futures::ws::OpenOrdersEvent &orders);
    void fills(const kraken::futures::ws::FillsEvent &fills);
    void positions(const kraken::futures::ws::PositionsEvent &positions);
    void balances(const kraken::futures::ws::BalancesEvent &balances);
    void notifications(const kraken::futures::ws::NotificationsEvent &notifications);
    // A frame that could not be used, or an error event from Kraken (the connection is kept).
    void protocolError(const kraken::Error &error);
    void latencyMeasured(qint64 ms);

private:
    struct Private;
    std::unique_ptr<Private> d;

    void setState(State state, const QString &reason);
    void onConnected();
    void onDisconnected(const QString &reason);
    void onFrame(const QByteArray &frame);
    void onControl();
    void onChallenge();
    void onBookSnapshot();
    void onBookDelta();
    void scheduleReconnect(const QString &reason);
    void sendPublic(PublicFeed feed, const QString &productId, bool subscribe);
    void sendPrivate(PrivateFeed feed, bool subscribe);
    void requestChallenge();
    void sendAll();
    void sendPing();
    void resync(const QString &productId, const QString &reason);
    void reportError(const Error &error);
    void restartWatchdog();
    void updateLiveness();
    bool sendJson(const QJsonObject &json);
};

} // namespace kraken::futures
