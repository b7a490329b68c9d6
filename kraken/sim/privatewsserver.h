#pragma once

// PrivateWsServer: the paper exchange's authenticated WebSocket v2 endpoint (Kraken's
// ws-auth.kraken.com/v2). Status on open, ping/pong, heartbeat; the `executions` and
// `balances` channels, rendered from the MatchingEngine's execution reports and ledger rows
// with a `sequence` per connection and channel; and the trading methods (add_order,
// amend_order, edit_order, cancel_order, cancel_all, cancel_all_orders_after, batch_add,
// batch_cancel). Tokens come from REST GetWebSocketsToken. Output keeps Decimal precision
// (JsonWriter). Honours the WS faults: answer delay, drop_ws_now, order rate limit, lost
// acks (PaperExchange runs the periodic drops through closeAll()).
// Lives on the exchange thread.

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::sim {

class Faults;
class MatchingEngine;

class PrivateWsServer : public QObject {
    Q_OBJECT
public:
    PrivateWsServer(MatchingEngine *engine, Faults *faults, QObject *parent = nullptr);
    ~PrivateWsServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QUrl url() const; // ws://127.0.0.1:P/v2
    void closeAll();
    int clientCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
