#pragma once

// The reconnect delay shared by the WebSocket clients (Spot WsClient and TradingWsClient,
// Futures FuturesWsClient): capped exponential backoff with jitter. A pure function; any thread.

#include <QRandomGenerator>

#include <algorithm>

namespace kraken {

// Delay before reconnect attempt `attempt` (0 for the first): initialMs doubled per attempt,
// capped at maxMs, then drawn uniformly from its upper half so that many clients dropped
// together do not return together.
inline qint64 reconnectDelayMs(int attempt, int initialMs, int maxMs, QRandomGenerator &random) {
    const qint64 cap = std::max(1, maxMs);
    const qint64 base =
        std::min<qint64>(cap, qint64(std::max(1, initialMs)) << std::clamp(attempt, 0, 20));
    return base / 2 + qint64(random.bounded(quint32(base / 2 + 1)));
}

} // namespace kraken
