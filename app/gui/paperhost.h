#pragma once

// PaperHost: runs the paper exchange inside the terminal. It lives on the exchange thread:
// start() constructs the PaperExchange there (so its servers, sockets and market clock
// belong to that thread), binds loopback ports and reports the URLs back by signal; stop()
// destroys it on the same thread. Driven by queued calls from the GUI thread.

#include "kraken/sim/simconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace kraken::sim {
class PaperExchange;
}

namespace app {

// Where the running paper exchange listens: Spot REST and WebSockets, and Futures REST,
// WebSocket and charts, all on 127.0.0.1.
struct PaperEndpoints {
    QUrl rest, ws, wsAuth;
    QUrl futuresRest, futuresWs, futuresCharts;
};

class PaperHost : public QObject {
    Q_OBJECT
public:
    explicit PaperHost(kraken::sim::SimConfig config, QObject *parent = nullptr);
    ~PaperHost() override;

public Q_SLOTS:
    void start();
    // Milliseconds between market steps (the book and trade stream's pace).
    void setStepInterval(int ms);
    void stop();

Q_SIGNALS:
    void started(const app::PaperEndpoints &endpoints);
    void failed(const QString &error);

private:
    kraken::sim::SimConfig m_config;
    std::unique_ptr<kraken::sim::PaperExchange> m_exchange;
    int m_stepMs = -1; // -1: the exchange's default
};

} // namespace app

Q_DECLARE_METATYPE(app::PaperEndpoints)
