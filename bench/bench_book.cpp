// bench_book: the order book engine's cost per WS v2 book message, as the feed thread pays it:
// applyUpdate() then checksum() after EVERY message, each checksum compared with the one the
// stream generator computed independently (std::map model, decimal text, zlib crc32). The
// stream is synthetic but shaped like Kraken's BTC/USD book (price precision 1, qty precision
// 8): a snapshot of `depth` levels, then messages of 1-3 level changes, mostly near the top,
// about 20% deletes, each delete followed by the level that refills the subscribed depth, and
// inserts that push the worst level out without a delete. Messages are pre-parsed into
// LevelUpdate arrays, so this measures the engine, not JSON parsing.
//
// Heap allocations are counted by replacing the global operator new in this binary; the
// allocs/msg counter covers everything the loop does after warm-up and should be 0. (Qt's own
// containers allocate with malloc and are not counted, but the engine's hot path uses none.)
//
// Run: bench_book --benchmark_min_time=0.2

#include "alloccounter.h"
#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"

#include <atomic>
#include <benchmark/benchmark.h>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <new>
#include <random>
#include <span>
#include <string>
#include <vector>
#include <zlib.h>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::book::ApplyStatus;
using kraken::book::LevelUpdate;
using kraken::book::OrderBook;

namespace {

// ---- synthetic stream -----------------------------------------------------------------------

constexpr int PricePrecision = 1;
constexpr int QtyPrecision = 8;
constexpr std::size_t StreamMessages = 200'000;
constexpr std::size_t WarmupMessages = 2'000;

struct Message {
    std::uint32_t bidBegin = 0;
    std::uint32_t bidCount = 0;
    std::uint32_t askBegin = 0;
    std::uint32_t askCount = 0;
    std::uint32_t checksum = 0; // from the generator's own model
};

struct Stream {
    std::vector<LevelUpdate> snapshotBids;
    std::vector<LevelUpdate> snapshotAsks;
    std::uint32_t snapshotChecksum = 0;
    std::vector<LevelUpdate> levels; // all messages' levels, back to back
    std::vector<Message> messages;
    std::uint64_t levelUpdates = 0;
};

// The market behind the feed: the full book (deeper than the subscription) in ticks and
// satoshis. The subscriber sees its top `depth` levels per side.
class Market {
public:
    Market(std::size_t depth, std::uint64_t seed)
        : m_depth(depth)
        , m_rng(seed) {
        const std::int64_t mid = 450'000; // 45000.0
        std::int64_t bid = mid - 1;
        std::int64_t ask = mid + 1;
        while (m_bids.size() < 3 * depth + 20) {
            m_bids[bid] = randomQty();
            m_asks[ask] = randomQty();
            bid -= 1 + below(3);
            ask += 1 + below(3);
        }
    }

    Stream generate(std::size_t count) {
        Stream s;
        for (auto it = m_bids.begin(); s.snapshotBids.size() < m_depth; ++it)
            s.snapshotBids.push_back(wire(it->first, it->second));
        for (auto it = m_asks.begin(); s.snapshotAsks.size() < m_depth; ++it)
            s.snapshotAsks.push_back(wire(it->first, it->second));
        s.snapshotChecksum = checksum();

        s.messages.reserve(count);
        s.levels.reserve(count * 4);
        std::vector<LevelUpdate> bids;
        std::vector<LevelUpdate> asks;
        while (s.messages.size() < count) {
            bids.clear();
            asks.clear();
            const std::int64_t r = below(10);
            const int changes = r < 5 ? 1 : r < 8 ? 2 : 3;
            for (int c = 0; c < changes; ++c) {
                if (below(2) == 0)
                    change(m_bids, m_asks.begin()->first, true, bids);
                else
                    change(m_asks, m_bids.begin()->first, false, asks);
            }
            Message m;
            m.bidBegin = std::uint32_t(s.levels.size());
            m.bidCount = std::uint32_t(bids.size());
            s.levels.insert(s.levels.end(), bids.begin(), bids.end());
            m.askBegin = std::uint32_t(s.levels.size());
            m.askCount = std::uint32_t(asks.size());
            s.levels.insert(s.levels.end(), asks.begin(), asks.end());
            m.checksum = checksum();
            s.levelUpdates += m.bidCount + m.askCount;
            s.messages.push_back(m);
        }
        return s;
    }

private:
    std::int64_t below(std::int64_t n) { return std::int64_t(m_rng() % std::uint64_t(n)); }

    // Mostly small lots, sometimes large, as in a real BTC book.
    std::int64_t randomQty() {
        return below(4) == 0 ? 1 + below(500'000'000) : 1 + below(5'000'000);
    }

    // Visible index of the level a change touches: near the top mostly (geometric, mean ~2),
    // anywhere within the subscription one time in ten.
    std::size_t pickIndex() {
        if (below(10) == 0)
            return std::size_t(below(std::int64_t(m_depth)));
        const double u = (double(below(1 << 20)) + 0.5) / double(1 << 20);
        return std::min(std::size_t(-std::log(u) * 2.0), m_depth - 1);
    }

    // The token text the parser would hand over: usually the full precision ("0.10000000",
    // "45281.0"), sometimes the shortest form ("0.1", "45281").
    LevelUpdate wire(std::int64_t price, std::int64_t qty) {
        Decimal p = *Decimal::fromParts(price, PricePrecision);
        Decimal q = *Decimal::fromParts(qty, QtyPrecision);
        if (below(4) == 0)
            q = q.normalized();
        if (below(8) == 0)
            p = p.normalized();
        return LevelUpdate{p, q};
    }

    // One change to one side; `opposite` is the other side's best price, so inserts never
    // cross. Side maps are ordered best first (bids std::greater, asks std::less).
    template<typename Map>
    void change(Map &side, std::int64_t opposite, bool isBid, std::vector<LevelUpdate> &out) {
        const std::size_t idx = pickIndex();
        auto it = std::next(side.begin(), std::ptrdiff_t(idx));
        const std::int64_t kind = below(100);
        if (kind < 20) {
            // Delete, then the level that becomes the depth-th is sent to refill the view.
            out.push_back(wire(it->first, 0));
            side.erase(it);
            auto refill = std::next(side.begin(), std::ptrdiff_t(m_depth - 1));
            out.push_back(wire(refill->first, refill->second));
            replenish(side, isBid);
            return;
        }
        if (kind < 45) {
            // Insert a new price just better than the idx-th level, if there is a free tick
            // (inside the spread for idx 0). The worst visible level silently leaves the view.
            const std::int64_t bound = idx == 0 ? opposite : std::prev(it)->first;
            const std::int64_t gap = isBid ? bound - it->first : it->first - bound;
            if (gap > 1) {
                const std::int64_t step = 1 + below(std::min<std::int64_t>(gap - 1, 3));
                const std::int64_t price = isBid ? it->first + step : it->first - step;
                const std::int64_t qty = randomQty();
                side[price] = qty;
                out.push_back(wire(price, qty));
                return;
            }
        }
        // Quantity change.
        it->second = randomQty();
        out.push_back(wire(it->first, it->second));
    }

    // Keeps the hidden part of the book deep enough for refills; these levels are beyond the
    // subscription, so Kraken sends nothing for them.
    template<typename Map> void replenish(Map &side, bool isBid) {
        while (side.size() < 2 * m_depth + 10) {
            const std::int64_t worst = std::prev(side.end())->first;
            side[isBid ? worst - 1 - below(3) : worst + 1 + below(3)] = randomQty();
        }
    }

    // Kraken's checksum from decimal text: price and qty printed at precision, '.' removed,
    // leading zeros stripped; top 10 asks then top 10 bids.
    std::uint32_t checksum() const {
        std::string s;
        const auto add = [&s](std::int64_t mantissa, int precision) {
            const auto places = std::size_t(precision);
            std::string digits = std::to_string(mantissa);
            if (digits.size() <= places)
                digits = std::string(places + 1 - digits.size(), '0') + digits;
            const std::size_t point = digits.size() - places;
            std::string text = digits.substr(0, point) + "." + digits.substr(point); // "45285.2"
            std::erase(text, '.');
            s += text.substr(std::min(text.find_first_not_of('0'), text.size()));
        };
        int n = 0;
        for (auto it = m_asks.begin(); n < 10 && it != m_asks.end(); ++it, ++n) {
            add(it->first, PricePrecision);
            add(it->second, QtyPrecision);
        }
        n = 0;
        for (auto it = m_bids.begin(); n < 10 && it != m_bids.end(); ++it, ++n) {
            add(it->first, PricePrecision);
            add(it->second, QtyPrecision);
        }
        return std::uint32_t(crc32(0L, reinterpret_cast<const Bytef *>(s.data()), uInt(s.size())));
    }

    std::size_t m_depth;
    std::mt19937_64 m_rng;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids;
    std::map<std::int64_t, std::int64_t, std::less<>> m_asks;
};

const Stream &stream(std::size_t depth) {
    static std::map<std::size_t, Stream> cache;
    auto it = cache.find(depth);
    if (it == cache.end())
        it = cache.emplace(depth, Market(depth, 20240501 + depth).generate(StreamMessages)).first;
    return it->second;
}

std::span<const LevelUpdate> bidsOf(const Stream &s, const Message &m) {
    return {s.levels.data() + m.bidBegin, m.bidCount};
}
std::span<const LevelUpdate> asksOf(const Stream &s, const Message &m) {
    return {s.levels.data() + m.askBegin, m.askCount};
}

// ---- benchmarks -----------------------------------------------------------------------------

// applyUpdate + checksum after every message, every checksum verified.
void BM_ApplyAndChecksum(benchmark::State &state) {
    const auto depth = std::size_t(state.range(0));
    const Stream &s = stream(depth);
    OrderBook book(u"BTC/USD"_s, int(depth), PricePrecision, QtyPrecision);
    if (book.applySnapshot(s.snapshotBids, s.snapshotAsks) != ApplyStatus::Ok ||
        book.checksum() != s.snapshotChecksum) {
        state.SkipWithError("snapshot checksum mismatch");
        return;
    }
    std::size_t next = 0;
    for (; next < WarmupMessages; ++next) {
        const Message &m = s.messages[next];
        if (book.applyUpdate(bidsOf(s, m), asksOf(s, m)) != ApplyStatus::Ok ||
            book.checksum() != m.checksum) {
            state.SkipWithError("warm-up checksum mismatch");
            return;
        }
    }

    std::uint64_t messages = 0;
    std::uint64_t levels = 0;
    std::uint64_t mismatches = 0;
    const std::uint64_t allocationsBefore = allocationCount();
    for (auto _ : state) {
        const Message &m = s.messages[next];
        const ApplyStatus status = book.applyUpdate(bidsOf(s, m), asksOf(s, m));
        mismatches += (status != ApplyStatus::Ok) | (book.checksum() != m.checksum);
        levels += m.bidCount + m.askCount;
        ++messages;
        if (++next == s.messages.size()) {
            // End of the recorded stream: start it again from its snapshot (not timed).
            state.PauseTiming();
            book.applySnapshot(s.snapshotBids, s.snapshotAsks);
            next = 0;
            state.ResumeTiming();
        }
    }
    const std::uint64_t allocations = allocationCount() - allocationsBefore;
    if (mismatches != 0)
        state.SkipWithError("checksum mismatch");
    state.SetItemsProcessed(std::int64_t(levels));
    state.counters["msgs/s"] = benchmark::Counter(double(messages), benchmark::Counter::kIsRate);
    state.counters["levels/s"] = benchmark::Counter(double(levels), benchmark::Counter::kIsRate);
    state.counters["levels/msg"] = double(levels) / double(std::max<std::uint64_t>(messages, 1));
    state.counters["allocs/msg"] =
        double(allocations) / double(std::max<std::uint64_t>(messages, 1));
    state.counters["verified"] = double(messages - mismatches);
}
BENCHMARK(BM_ApplyAndChecksum)->Arg(10)->Arg(1000);

// applyUpdate alone, to show what the checksum costs on top.
void BM_ApplyOnly(benchmark::State &state) {
    const auto depth = std::size_t(state.range(0));
    const Stream &s = stream(depth);
    OrderBook book(u"BTC/USD"_s, int(depth), PricePrecision, QtyPrecision);
    book.applySnapshot(s.snapshotBids, s.snapshotAsks);
    std::size_t next = 0;
    std::uint64_t levels = 0;
    for (auto _ : state) {
        const Message &m = s.messages[next];
        benchmark::DoNotOptimize(book.applyUpdate(bidsOf(s, m), asksOf(s, m)));
        levels += m.bidCount + m.askCount;
        if (++next == s.messages.size()) {
            state.PauseTiming();
            book.applySnapshot(s.snapshotBids, s.snapshotAsks);
            next = 0;
            state.ResumeTiming();
        }
    }
    state.counters["levels/s"] = benchmark::Counter(double(levels), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyOnly)->Arg(10)->Arg(1000);

// The checksum computation itself (formatting 20 levels and CRC32), bypassing the cache.
void BM_Checksum(benchmark::State &state) {
    const Stream &s = stream(10);
    OrderBook book(u"BTC/USD"_s, 10, PricePrecision, QtyPrecision);
    book.applySnapshot(s.snapshotBids, s.snapshotAsks);
    if (book.computeChecksum() != s.snapshotChecksum) {
        state.SkipWithError("snapshot checksum mismatch");
        return;
    }
    const std::uint64_t allocationsBefore = allocationCount();
    for (auto _ : state)
        benchmark::DoNotOptimize(book.computeChecksum());
    state.counters["allocs/call"] =
        double(allocationCount() - allocationsBefore) /
        double(std::max<benchmark::IterationCount>(state.iterations(), 1));
}
BENCHMARK(BM_Checksum);

// A full snapshot message (replace the book, truncate, checksum), e.g. after a resync.
void BM_ApplySnapshot(benchmark::State &state) {
    const auto depth = std::size_t(state.range(0));
    const Stream &s = stream(depth);
    OrderBook book(u"BTC/USD"_s, int(depth), PricePrecision, QtyPrecision);
    for (auto _ : state) {
        book.applySnapshot(s.snapshotBids, s.snapshotAsks);
        benchmark::DoNotOptimize(book.checksum());
    }
    state.SetItemsProcessed(state.iterations() * std::int64_t(2 * depth));
}
BENCHMARK(BM_ApplySnapshot)->Arg(10)->Arg(1000);

} // namespace

BENCHMARK_MAIN();
