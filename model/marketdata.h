#pragma once

// Value types the feed thread hands to the GUI thread: small, copyable, Decimal-exact.
// Registered as metatypes so they travel through queued signals.

#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace model {

struct TickerRow {
    QString symbol; // "BTC/USD"
    kraken::Decimal last, bid, ask, volume, changePct;
};

struct TradeRow {
    QString symbol;
    qint64 timeMs = 0;
    bool buy = false; // taker side
    kraken::Decimal price, qty;
};

struct Candle {
    qint64 beginMs = 0; // interval_begin
    int intervalMinutes = 1;
    kraken::Decimal open, high, low, close, volume;
    bool closed = false; // false: the forming bar
};

// One connection's health, for the status bar.
struct FeedStatus {
    QString connection;       // "market" (public WS), "rest", "futures" (Futures WS v1)
    QString state;            // connecting, subscribing, live, resyncing, reconnecting, closed
    QString reason;           // human-readable, from the client's state change
    int resyncs = 0;          // book checksum resyncs since start
    qint64 latencyMs = -1;    // last ping round trip; -1 unknown
    qint64 reconnectInMs = 0; // when reconnecting
    double restCounter = 0;   // "rest": Kraken's REST call counter as modelled locally
    int restCounterMax = 0;   // "rest": the counter's ceiling (0 unknown)
};

using BookPtr = std::shared_ptr<const kraken::book::BookSnapshot>;

// Registers the types above (and the lists the feed's signals carry) for queued signals and
// QVariant. Idempotent and thread-safe; MarketFeed's constructor calls it.
void registerMarketDataMetaTypes();

} // namespace model

Q_DECLARE_METATYPE(model::TickerRow)
Q_DECLARE_METATYPE(model::TradeRow)
Q_DECLARE_METATYPE(model::Candle)
Q_DECLARE_METATYPE(model::FeedStatus)
Q_DECLARE_METATYPE(model::BookPtr)
