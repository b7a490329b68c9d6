#pragma once

// TradeBarBuilder: OHLCV bars of one interval built locally from the trade stream, for any
// number of symbols. It exists because Kraken's ohlc channel only gives bars from the moment
// of subscription and never says when one is final; bars built from trades can be closed
// exactly on the interval boundary and can be rebuilt from a recorded trade file.
//
// Intervals are aligned to multiples of the interval since the Unix epoch (UTC), as Kraken's
// are: a trade at t belongs to the bar beginning at floor(t / interval) * interval.
//
// Within a bar: the first trade opens it (open = high = low = close = price); later trades
// move high, low and close, add qty to volume and count in trades. vwap is sum(price * qty)
// / volume: the notional is summed exactly as a Decimal and divided once, at the bar's price
// scale (HalfEven), so the vwap carries no drift from rounding at every trade. open and close
// are the trades earliest and latest in time (ties: arrival order, which is trade id order).
//
// Closing: a trade of a later interval closes the symbol's forming bar (barClosed) before
// opening the next one. advanceTo(now) closes every forming bar whose interval has ended by
// `now`; the caller drives it from a timer, so this class reads no clock and replays are
// deterministic. A bar is closed exactly once and never reopened: a trade for an interval
// earlier than the symbol's current bar, for a bar already closed, or ending at or before
// the latest advanceTo() time is late, ignored and counted (lateTrades()). If the local clock
// runs ahead of the exchange's, pass now minus a grace period so late prints still count.
//
// Intervals without trades produce no bar: there is no price to give them. A chart that
// wants a flat bar across a gap draws it from the previous close.
//
// A trade whose arithmetic would overflow Decimal's 64-bit mantissa, or which cannot be a
// trade (qty not positive, negative price, a timestamp whose interval does not fit 64 bits),
// changes nothing and is counted (rejectedTrades()): bad input never crashes or corrupts a
// bar.
//
// Thread: lives on whatever thread it is used from (usually the feed thread); not
// thread-safe. Signals carry values, so queued connections to the GUI thread are fine.

#include "wsmessages.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>

namespace kraken::spot {

class TradeBarBuilder : public QObject {
    Q_OBJECT
public:
    // Kraken's ohlc intervals are 1, 5, 15, 30, 60, 240, 1440, 10080 and 21600 minutes, but a
    // locally built bar needs no exchange support, so any positive length is accepted.
    static constexpr int MaxIntervalMinutes = 1'000'000; // ~2 years; keeps ns inside 64 bits
    static bool isKrakenInterval(int minutes);

    // `intervalMinutes` outside 1..MaxIntervalMinutes is a programming error: asserted in
    // debug builds and clamped into range otherwise.
    explicit TradeBarBuilder(int intervalMinutes, QObject *parent = nullptr);
    ~TradeBarBuilder() override;

    int intervalMinutes() const { return m_intervalMinutes; }
    std::int64_t intervalNs() const { return m_intervalNs; }

    void addTrade(const ws::TradeEvent &trade);
    // Closes every forming bar whose interval ends at or before nowNs (ns since the epoch).
    // Time only moves forward: an earlier nowNs than a previous call changes nothing.
    void advanceTo(std::int64_t nowNs);

    // The symbol's forming bar, if it has one.
    std::optional<ws::OhlcEvent> formingBar(const QString &symbol) const;

    qint64 lateTrades() const { return m_lateTrades; }
    qint64 rejectedTrades() const { return m_rejectedTrades; }

Q_SIGNALS:
    // The forming bar after every accepted trade.
    void barUpdated(const kraken::spot::ws::OhlcEvent &bar);
    // A bar, final, exactly once.
    void barClosed(const kraken::spot::ws::OhlcEvent &bar);

private:
    struct Series {
        ws::OhlcEvent bar;  // the forming bar, or the last one closed
        Decimal notional;   // sum(price * qty) of the bar, for vwap
        int priceScale = 0; // largest price scale seen in the bar: vwap's scale
        std::int64_t openNs = 0;
        bool forming = false;
    };

    // Ordered by symbol so that advanceTo() closes bars in a reproducible order.
    std::map<QString, Series> m_series;
    int m_intervalMinutes = 1;
    std::int64_t m_intervalNs = 0;
    std::optional<std::int64_t> m_watermarkNs; // latest advanceTo() time
    qint64 m_lateTrades = 0;
    qint64 m_rejectedTrades = 0;
};

} // namespace kraken::spot
