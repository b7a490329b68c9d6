#pragma once

// MarketSim: one pair's live-looking market on the paper exchange. A seeded random walk moves
// a synthetic L2 book (hundreds of levels, clustered sizes) and synthetic taker flow prints
// trades; the user's resting orders are shown in the published book and take part in that
// flow through the UserMatcher, in price-time priority (synthetic quantity at a level arrived
// first). It keeps the trade tape, 24 h ticker statistics and OHLC bars for every Kraken
// interval, with history generated at start so charts open full.
// Lives on the exchange thread; not thread-safe.

#include "kraken/core/decimal.h"
#include "simconfig.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace kraken::sim {

enum class Side { Buy, Sell };

// "buy" / "sell", as both REST and WS v2 spell a side.
QString sideName(Side s);
std::optional<Side> sideFromName(const QString &name);

struct SimLevel {
    Decimal price;
    Decimal qty;
    friend bool operator==(const SimLevel &, const SimLevel &) = default;
};

struct SimFill {
    Decimal price;
    Decimal qty;
};

struct MarketTrade {
    qint64 tradeId = 0; // per pair, sequential from 1
    Side takerSide = Side::Buy;
    Decimal price;
    Decimal qty;
    bool marketOrder = false; // ord_type: market | limit
    QDateTime time;
};

struct OhlcBar {
    QDateTime begin; // interval_begin
    int intervalMinutes = 1;
    Decimal open, high, low, close, vwap, volume;
    int trades = 0;
};

struct SpreadSample { // best bid and ask at a second, for REST Spread
    qint64 timeSec = 0;
    Decimal bid, ask;
};

struct TickerStats { // rolling 24 h, as the ticker channel and REST Ticker report
    Decimal bid, bidQty, ask, askQty, last, lastQty, volume, vwap, low, high, open, change;
    Decimal changePct; // 2 decimals
    int trades = 0;
    Decimal todayOpen, todayVolume, todayVwap, todayLow, todayHigh; // since 00:00 UTC
    int todayTrades = 0;
};

class MarketSim : public QObject {
    Q_OBJECT
public:
    // Fills user orders resting at exactly `price` on `restingSide` with synthetic taker flow,
    // up to `maxQty`, in the user's time priority; returns the quantity filled. The market
    // removes that quantity from the user's displayed level itself and prints the trades
    // (at `price`); the matcher must not call addUserQty for it.
    using UserMatcher =
        std::function<Decimal(Side restingSide, const Decimal &price, const Decimal &maxQty)>;

    MarketSim(const SimPair &pair, quint64 seed, QObject *parent = nullptr);
    ~MarketSim() override;

    const SimPair &pair() const;
    QString symbol() const; // "BTC/USD"
    int pricePrecision() const;
    int qtyPrecision() const;

    // The published book (synthetic + user quantity per price), best first, at most n levels
    // (n <= 0: all). Never crossed after a step or a user action.
    std::vector<SimLevel> levels(Side side, int n) const;
    // The same as raw (price, qty) mantissas at pricePrecision()/qtyPrecision(), into a
    // caller-owned buffer: the WS book feed diffs 1000-level sides many times a second.
    void rawLevels(Side side, int n, std::vector<std::pair<qint64, qint64>> &out) const;
    std::optional<Decimal> bestBid() const;
    std::optional<Decimal> bestAsk() const;
    std::optional<Decimal> lastPrice() const;

    // A user taker order: consumes synthetic liquidity only (never the user's own resting
    // orders) from the best price while within `limit` (if given), prints the trades, and
    // returns the fills, best price first. `quoteQty` instead of qty: spend up to that much
    // quote currency (market buy by cost).
    std::vector<SimFill> take(Side takerSide, const Decimal &qty,
                              const std::optional<Decimal> &limit, bool marketOrder);
    std::vector<SimFill> takeQuote(Side takerSide, const Decimal &quoteQty);
    // Shows (delta > 0) or removes (delta < 0) user resting quantity at a price.
    void addUserQty(Side side, const Decimal &price, const Decimal &delta);
    void setUserMatcher(UserMatcher matcher);

    // One tick of the walk and the synthetic flow. Driven by the exchange's timer; tests and
    // benches call it directly. Does nothing while an external feed drives the market.
    void step();

    // Replay mode: the book and the tape come from outside (ReplayFeed) instead of the walk.
    // Turning it on stops step(), empties the synthetic book (the user's resting quantity
    // stays) and forgets the generated history (tape, bars, spreads; trade ids go on
    // increasing), since a capture's prices need not be anywhere near the walk's.
    void setExternalFeed(bool on);
    bool externalFeed() const;
    // Sets the synthetic quantity at each price of one side (qty 0 deletes; prices and
    // quantities are rounded to the pair's precisions); `snapshot` replaces the side's synthetic
    // quantity as a whole. The book stays uncrossed: synthetic levels of the other side at or
    // through a new level are stale and removed; a user's resting order at or through it is
    // filled at the user's price, through the UserMatcher, as the arriving order would have
    // filled it, and only the rest is shown; what the matcher will not fill clips the level.
    void applyExternalBook(Side side, const std::vector<SimLevel> &levels, bool snapshot);
    // Prints a trade on the tape, bars and ticker (tradeId is assigned here; an invalid time
    // means now). It fills no user order: only the book's movement through a user's price does.
    void applyExternalTrade(const MarketTrade &trade);

    const std::vector<MarketTrade> &recentTrades() const;       // oldest first, bounded
    std::vector<MarketTrade> tradesSince(qint64 tradeId) const; // ids > tradeId, oldest first
    // Each recent trade's time in ns since the epoch, unique and increasing (REST Trades'
    // `since`/`last` cursor), parallel to recentTrades().
    const std::vector<qint64> &recentTradeTimesNs() const;
    // Best bid/ask whenever it changed at publication, one per second at most, bounded.
    std::vector<SpreadSample> spreadHistory() const;
    // Bars for an interval, oldest first, the forming bar last; `since` filters by begin.
    std::vector<OhlcBar> bars(int intervalMinutes, const QDateTime &since = {}) const;
    TickerStats ticker() const;

    // Every mutation (step, take, addUserQty) marks the market dirty and schedules one
    // published() on the next event-loop turn; publishNow() emits it at once if dirty.
    void publishNow();

Q_SIGNALS:
    // The book, trades or bars changed since the last published(): subscribers diff
    // levels() against what they sent and read the new trades from tradesSince().
    void published();
    void tradePrinted(const kraken::sim::MarketTrade &trade); // at once, for triggers

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

inline constexpr int OhlcIntervals[] = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600};

} // namespace kraken::sim
