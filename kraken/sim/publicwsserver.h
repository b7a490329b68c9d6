#pragma once

// PublicWsServer: Kraken's public Spot WebSocket v2 on loopback (ws://127.0.0.1:P/v2) over the
// paper exchange's markets: status on open, ping/pong, heartbeat, subscribe/unsubscribe with
// one ack per symbol, and the instrument, ticker, trade, book (with Kraken's CRC32) and ohlc
// channels, numbers written at the instrument's precisions. Book updates are diffed once per
// (symbol, depth) against a mirror OrderBook holding exactly what subscribers hold, so the cost
// does not grow with the number of clients. Faults: bad checksums, dropped updates, delayed
// answers, dropped connections. A client that falls too far behind is disconnected rather
// than buffered without bound. Lives on the exchange thread, with the markets.

#include "simconfig.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace kraken::sim {

class Faults;
class MarketSim;

class PublicWsServer : public QObject {
    Q_OBJECT
public:
    // `faults` may be null (no faults). Markets and faults must outlive the server.
    explicit PublicWsServer(const SimConfig &config, std::vector<MarketSim *> markets,
                            Faults *faults, QObject *parent = nullptr);
    ~PublicWsServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QUrl url() const; // ws://127.0.0.1:P/v2
    void closeAll();
    int clientCount() const;

    // Bytes queued for one client beyond which it is disconnected (default 32 MiB).
    void setMaxPendingBytes(qint64 bytes);
    // Book messages built and sent so far (each update counted once per subscriber).
    qint64 bookMessagesSent() const;

Q_SIGNALS:
    void clientCountChanged(int count);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
