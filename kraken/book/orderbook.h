#pragma once

// OrderBook: one symbol's L2 book for Kraken WS v2 (Spot; Futures reuses it), exact and fast.
// Prices and quantities are held as 64-bit mantissas at the instrument's fixed precisions
// (price_precision / qty_precision), so Kraken's CRC32 checksum is computed from exact digits.
// Each side keeps at most `depth` levels: after every message the book is truncated to the
// subscribed depth, as Kraken's checksum assumes. Steady-state apply() allocates nothing.
// Not thread-safe, const members included (checksum() fills a cache): owned by the feed
// thread; other threads get BookSnapshot copies.

#include "kraken/core/decimal.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace kraken::book {

// One level as the wire gives it; qty zero deletes the level.
struct LevelUpdate {
    Decimal price;
    Decimal qty;
};

// A level in the book, at the book's precisions.
struct Level {
    std::int64_t price = 0; // mantissa at pricePrecision
    std::int64_t qty = 0;   // mantissa at qtyPrecision
    friend bool operator==(const Level &, const Level &) = default;
};

enum class ApplyStatus {
    Ok,
    BadPrecision, // a price or qty has more decimals than the instrument allows, or overflows
    Crossed,      // best bid >= best ask after applying
};

// An immutable copy of the top of a book, cheap to pass to other threads (shared_ptr).
struct BookSnapshot {
    QString symbol;
    int pricePrecision = 0;
    int qtyPrecision = 0;
    std::vector<Level> bids; // best (highest) first
    std::vector<Level> asks; // best (lowest) first
    std::uint32_t checksum = 0;
    std::uint64_t sequence = 0; // messages applied since the last snapshot message

    Decimal price(const Level &l) const { return *Decimal::fromParts(l.price, pricePrecision); }
    Decimal qty(const Level &l) const { return *Decimal::fromParts(l.qty, qtyPrecision); }
};

class OrderBook {
public:
    // Levels per side that Kraken's checksum covers.
    static constexpr int ChecksumLevels = 10;

    // depth: the subscribed depth (10, 25, 100, 500, 1000); values below 1 are taken as 1.
    // Precisions 0..18 (clamped into that range).
    OrderBook(QString symbol, int depth, int pricePrecision, int qtyPrecision);

    const QString &symbol() const { return m_symbol; }
    int depth() const { return m_depth; }
    int pricePrecision() const { return m_pricePrecision; }
    int qtyPrecision() const { return m_qtyPrecision; }
    // Update messages applied since the last snapshot message (a snapshot resets it to 0).
    std::uint64_t sequence() const { return m_sequence; }

    // A snapshot message replaces the book; an update changes levels in array order (a
    // price may appear twice in one message). Both truncate each side to depth afterwards.
    // On BadPrecision the book is left cleared (it cannot be trusted any more). On Crossed the
    // message has been applied and the book is kept as it is; the caller resyncs.
    ApplyStatus applySnapshot(std::span<const LevelUpdate> bids, std::span<const LevelUpdate> asks);
    ApplyStatus applyUpdate(std::span<const LevelUpdate> bids, std::span<const LevelUpdate> asks);
    void clear();

    // Kraken's CRC32: top 10 asks ascending then top 10 bids descending, each price and qty
    // printed at the instrument precision with '.' removed and leading zeros stripped.
    // Cached until a message changes the top 10 levels of a side; then only that side is
    // reformatted.
    std::uint32_t checksum() const;
    // The same CRC recomputed from the levels, bypassing the cache (benchmarks, self-checks).
    std::uint32_t computeChecksum() const;
    // The exact string the checksum covers (diagnostics and tests).
    std::string checksumInput() const;

    bool isEmpty() const { return m_bids.empty() && m_asks.empty(); }
    bool isCrossed() const;
    std::size_t bidCount() const { return m_bids.size(); }
    std::size_t askCount() const { return m_asks.size(); }
    // Index 0 is the best level; an index past the end gives a zero Level.
    Level bid(std::size_t i) const;
    Level ask(std::size_t i) const;

    // Copies the top `levels` of each side (all of them if levels <= 0).
    std::shared_ptr<const BookSnapshot> snapshot(int levels = 0) const;

private:
    // One side of the book. Levels are kept sorted by `key` ascending with the BEST level at
    // the end (bids: key = price; asks: key = -price), so both sides share one code path and
    // the busy top of the book sits where inserts and deletes move only a few bytes. The
    // levels occupy the window [m_begin, m_end) of a buffer sized 2*depth + headroom at
    // construction: truncating to depth just advances m_begin, and an insert or delete
    // shifts whichever part of the window (above or below it) is shorter. Only when the
    // window reaches an edge of the buffer is it moved back to the middle, which is rare and
    // amortised; the buffer grows (allocates) only for a message that adds more than
    // depth + headroom levels, which Kraken never sends.
    class Side {
    public:
        explicit Side(int depth);
        std::size_t size() const { return m_end - m_begin; }
        bool empty() const { return m_end == m_begin; }
        // i-th best level, keyed (asks have negated prices). Requires i < size().
        const Level &fromBest(std::size_t i) const { return m_buf[m_end - 1 - i]; }
        // Sets, inserts or (qty 0) deletes the level at `key`. Returns the level's distance
        // from the best end (0 = best) if the book changed, or -1 if nothing changed.
        std::ptrdiff_t upsert(std::int64_t key, std::int64_t qty);
        // Drops the worst levels beyond `depth`. Returns the number dropped.
        std::size_t truncate(std::size_t depth);
        // Empties the side, placing the window so a snapshot of `expected` levels (arriving
        // best first, so inserted at the worst end) fits without moving anything.
        void reset(std::size_t expected);

    private:
        std::size_t lowerBound(std::int64_t key) const;
        void insertAt(std::size_t pos, Level level);
        void eraseAt(std::size_t pos);
        void recentre();

        std::vector<Level> m_buf; // fixed size; slots outside [m_begin, m_end) are unused
        std::size_t m_begin = 0;
        std::size_t m_end = 0;
    };

    template<bool IsBid> bool applySide(Side &side, std::span<const LevelUpdate> levels);
    void finishMessage();
    void invalidateChecksum() const { m_asksDirty = m_bidsDirty = true; }
    static bool convert(const Decimal &d, int precision, std::int64_t *out);
    static std::size_t formatSide(const Side &side, bool negated, char *out);

    QString m_symbol;
    int m_depth;
    int m_pricePrecision;
    int m_qtyPrecision;
    std::uint64_t m_sequence = 0;
    Side m_bids; // key = price
    Side m_asks; // key = -price
    // checksum() runs after every message, but a message usually changes the top 10 of one
    // side only, or none (deep in a 1000-level book). Each side's CRC is cached and the two
    // are joined with zlib's crc32_combine_op, so only a changed side is formatted and hashed.
    mutable std::uint32_t m_checksum = 0;
    mutable std::uint32_t m_askCrc = 0;
    mutable std::uint32_t m_bidCrc = 0;
    mutable std::uint32_t m_bidLength = 0; // bytes of the bids' part of the checksum input
    mutable bool m_asksDirty = true;
    mutable bool m_bidsDirty = true;
};

} // namespace kraken::book
