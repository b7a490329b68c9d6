#pragma once

// The messages of Kraken's Spot WebSocket v2 public API, as typed values. Prices and
// quantities are Decimals taken from the JSON number's own text (WS v2 sends numbers, and a
// double would lose "0.10000000"'s trailing zeros); timestamps are nanoseconds since the
// epoch, parsed from RFC 3339. Value types, safe to copy across threads.

#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kraken::spot::ws {

// {"method": "subscribe"|"unsubscribe"|"pong"|..., "success": ..., "req_id": ...}. A frame with
// an "error" but neither "method" nor "channel" is reported as one too, with an empty method.
struct MethodResponse {
    QString method;
    bool success = false; // "success"; when absent (pong), true unless "error" is present
    QString error;        // when !success
    std::optional<qint64> reqId;
    QString channel;            // result.channel when present
    QString symbol;             // result.symbol / top-level symbol when present
    QJsonObject result;         // the whole result object, for anything not modelled
    QJsonArray resultArray;     // result when it is an array (batch_add)
    std::int64_t timeInNs = 0;  // time_in, 0 when absent
    std::int64_t timeOutNs = 0; // time_out, 0 when absent
};

struct StatusEvent {
    QString system; // online, cancel_only, maintenance, post_only
    QString apiVersion;
    quint64 connectionId = 0; // opaque, for support requests; unsigned 64-bit on the wire
    QString version;
};

struct TickerEvent {
    QString symbol;
    Decimal bid, bidQty, ask, askQty, last, volume, vwap, low, high, change, changePct;
    std::int64_t timestampNs = 0; // 0 when absent
};

struct TradeEvent {
    QString symbol;
    bool buy = false;    // taker side
    bool market = false; // ord_type market (else limit)
    Decimal price, qty;
    qint64 tradeId = 0;
    std::int64_t timestampNs = 0;
};

struct OhlcEvent {
    QString symbol;
    Decimal open, high, low, close, vwap, volume;
    qint64 trades = 0;
    int intervalMinutes = 0;
    std::int64_t intervalBeginNs = 0;
    std::int64_t timestampNs = 0;
};

struct InstrumentPairInfo {
    QString symbol, base, quote, status;
    int pricePrecision = 0;
    int qtyPrecision = 0;
    int costPrecision = 0;
    Decimal priceIncrement, qtyIncrement, qtyMin, costMin;
    bool marginable = false;
};

struct InstrumentEvent {
    bool snapshot = false;
    std::vector<InstrumentPairInfo> pairs;
};

// One entry of a book message's data[] (usually one symbol per message). Reused by the parser
// from frame to frame so that the book path allocates nothing once warm: `symbol` points into
// the parser's buffer and is valid until the next parse().
struct BookEntry {
    std::string_view symbol;
    std::vector<book::LevelUpdate> bids;
    std::vector<book::LevelUpdate> asks;
    std::uint32_t checksum = 0;
    bool hasChecksum = false;
    std::int64_t timestampNs = 0;
};

} // namespace kraken::spot::ws
