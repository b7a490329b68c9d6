#pragma once

// FuturesEndpoints: the four base URLs of one Kraken Futures environment (REST v3, WebSocket
// v1, the charts API and the history API). Mainnet is futures.kraken.com; the demo
// environment is demo-futures.kraken.com with the same paths. Value type; any thread.

#include "kraken/core/futuresenvironment.h"

#include <QUrl>

namespace kraken::futures {

struct FuturesEndpoints {
    QUrl rest;    // .../derivatives/api/v3
    QUrl ws;      // wss://.../ws/v1
    QUrl charts;  // .../api/charts/v1
    QUrl history; // .../api/history/v2

    static FuturesEndpoints of(FuturesEnvironment environment);
    // A Kraken-compatible venue at `restBase` (".../derivatives/api/v3", e.g. the paper
    // exchange): charts and history on the same host, as Kraken lays them out.
    static FuturesEndpoints at(const QUrl &restBase, const QUrl &ws);
};

} // namespace kraken::futures
