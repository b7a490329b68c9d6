#pragma once

// BarBuilder: OHLCV bars of one interval built from trades, for venues without a bar stream
// (Kraken Futures). A trade updates the forming bar (open = the interval's earliest trade,
// close = its latest, high/low, volume += size, exact Decimals); a trade in a later interval
// closes the forming bar and opens the next. Intervals with no trade get no bar, as Kraken's
// charts API omits them. A trade older than the forming bar changes nothing and is counted
// (lateTrades()): the bars before it are closed and came from history. History (reset) seeds
// the grid and the forming bar, so live trades continue the last history bar.
// A value type; use it on one thread.

#include "marketdata.h"

#include <QList>
#include <QMap>

#include <optional>

namespace model {

class BarBuilder {
public:
    enum class Outcome {
        Updated,  // the forming bar took the trade
        Opened,   // the trade opened a new bar (closing the forming one, if any)
        Late,     // older than the forming bar: ignored, counted
        Rejected, // price or size not positive, or the volume would overflow
    };

    explicit BarBuilder(int intervalMinutes = 1);

    // Bars are padded to these places on output (-1: as the trades were written).
    void setPrecision(int priceDecimals, int qtyDecimals);
    int intervalMinutes() const { return m_minutes; }

    // Starts over at `intervalMinutes` (< 1 is taken as 1). The last history bar becomes the
    // forming bar, whatever its closed flag says (a later trade closes it); interval
    // boundaries follow the history's own grid (its last bar's begin), else the epoch's.
    // Nothing is pending afterwards: the history itself goes out as a reset, not a change.
    void reset(int intervalMinutes, const QList<Candle> &history = {});

    Outcome addTrade(qint64 timeMs, const kraken::Decimal &price, const kraken::Decimal &size);

    // The bars changed since the last call, oldest first: any bar that closed (closed = true),
    // then the forming bar.
    QList<Candle> takeChanged();
    bool hasChanges() const { return !m_changed.isEmpty(); }
    std::optional<Candle> forming() const;
    qint64 lateTrades() const { return m_late; }
    qint64 rejectedTrades() const { return m_rejected; }

    // Bars of a longer interval from consecutive bars of a shorter one (1d -> 21600), on the
    // epoch's grid: open of the first, close of the last, high/low over all, volume summed.
    // Input oldest first; the output's closed flags are false (the caller knows which closed).
    static QList<Candle> merged(const QList<Candle> &bars, int intervalMinutes);

    // The begin of the interval holding timeMs on a grid through `anchorMs`.
    static qint64 intervalBegin(qint64 timeMs, int intervalMinutes, qint64 anchorMs = 0);

private:
    Candle output(const Candle &bar) const;

    int m_minutes = 1;
    qint64 m_anchorMs = 0;
    int m_priceDecimals = -1;
    int m_qtyDecimals = -1;
    std::optional<Candle> m_forming;
    // Times of the trades that set the forming bar's open and close: a trade between them
    // (late within the bar) moves only high, low and volume.
    qint64 m_openTimeMs = 0;
    qint64 m_closeTimeMs = 0;
    QMap<qint64, Candle> m_changed;
    qint64 m_late = 0;
    qint64 m_rejected = 0;
};

} // namespace model
