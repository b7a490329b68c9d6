#pragma once

// PaperExchange: the whole paper exchange, composed. Owns the markets, the matching engine,
// the faults, the REST server, both Spot WebSocket servers (public, and authenticated as
// Kraken splits them), the Futures venue and its WebSocket server, all bound to 127.0.0.1. Lives on
// one thread (the GUI runs it on a thread of its own; `krakenterm-cli sim` on the main thread).

#include "simconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::sim {

class Faults;
class FuturesEngine;
class MarketSim;
class MatchingEngine;
class ReplayFeed;

class PaperExchange : public QObject {
    Q_OBJECT
public:
    explicit PaperExchange(SimConfig config, QObject *parent = nullptr);
    ~PaperExchange() override;

    // Binds the servers (0 = any free port) and starts the market clock. The Futures
    // WebSocket server takes futuresWsPort (0 unless given).
    bool start(quint16 restPort = 0, quint16 wsPort = 0, quint16 wsAuthPort = 0,
               QString *error = nullptr, quint16 futuresWsPort = 0);

    QUrl restUrl() const;   // http://127.0.0.1:P (the client appends /0/public/...)
    QUrl wsUrl() const;     // ws://127.0.0.1:P/v2
    QUrl wsAuthUrl() const; // ws://127.0.0.1:P/v2

    // Kraken Futures REST v3 on the same port: http://127.0.0.1:P/derivatives/api/v3
    QUrl futuresRestUrl() const;
    // Kraken Futures WebSocket v1: ws://127.0.0.1:P/ws/v1
    QUrl futuresWsUrl() const;
    // The Futures charts API on the REST port: http://127.0.0.1:P/api/charts/v1
    QUrl futuresChartsUrl() const;
    FuturesEngine &futures();

    const SimConfig &config() const;
    Faults &faults();
    MatchingEngine &engine();
    MarketSim *market(QStringView symbol) const; // "BTC/USD"; nullptr if unknown

    // Milliseconds between market steps (Spot and Futures); 0 stops the clock (tests then call
    // stepAll()).
    void setStepInterval(int ms);
    void stepAll();

    // Replay mode: the pairs a recorded WS v2 capture (`krakenterm-cli record`'s JSONL) holds
    // are served from it instead of the random walk (the others keep walking); users' orders
    // match against the replayed book. speed: 1 as recorded, X > 1 faster, 0 as fast as
    // possible; loop: start over at the end. False with the reason (naming the line) if the
    // file cannot be used; may be called before or after start().
    bool startReplay(const QString &file, double speed, QString *error = nullptr, bool loop = true);
    ReplayFeed *replay() const; // nullptr unless replaying

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
