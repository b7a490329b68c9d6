#pragma once

// FuturesWsServer: Kraken Futures WebSocket v1 on loopback (ws://127.0.0.1:P/ws/v1) over the
// FuturesEngine. Public feeds: info on open, heartbeat, ticker, ticker_lite, trade
// (trade_snapshot then trade) and book (book_snapshot then one `book` message per changed
// level, `seq` rising by one per product per connection). Private feeds after Kraken's
// challenge (a uuid per request, signed by the client with its Futures secret and verified
// here): open_orders, fills, open_positions, balances and notifications_auth, driven by the
// engine's orderEvent/filled signals plus a periodic positions/balances push as marks move.
// Numbers are exact JSON numbers from Decimal text. Errors are Kraken's events ("Json Error",
// "Invalid feed", "Invalid product id", the "Failed to subscribe to authenticated feed"
// alert); the connection is kept. Lives on the exchange thread, with the engine.

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::sim {

class Faults;
class FuturesEngine;

class FuturesWsServer : public QObject {
    Q_OBJECT
public:
    // The engine (and faults, which may be null) must outlive the server.
    explicit FuturesWsServer(FuturesEngine *engine, Faults *faults, QObject *parent = nullptr);
    ~FuturesWsServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QUrl url() const; // ws://127.0.0.1:P/ws/v1
    void closeAll();
    int clientCount() const;

    // Cadences (ms) of the heartbeat feed, of ticker/ticker_lite and of the open_positions and
    // balances pushes; 0 stops that timer (tests then call publishTickers()/publishAccounts()).
    void setHeartbeatIntervalMs(int ms);
    void setTickerIntervalMs(int ms);
    void setAccountIntervalMs(int ms);
    void publishTickers();
    void publishAccounts();

Q_SIGNALS:
    void clientCountChanged(int count);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
