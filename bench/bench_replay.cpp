// bench_replay: the whole feed path for a recorded Kraken WS v2 book stream, as `krakenterm-cli
// replay` runs it: BookReplay::run() parses every frame with WsParser, applies it to an
// OrderBook and verifies every checksum. Alongside it, WsParser alone, and a plain simdjson
// on-demand walk over the same frames (the raw rate WsParser is measured against).
//
// The recording is synthetic but shaped like Kraken's BTC/USD feed, generated in memory as
// JSONL with a fixed seed: an instrument snapshot (price precision 1, qty precision 8), the
// book subscribe ack with result.depth = D, a snapshot of D levels, then update frames of 1-3
// level changes, mostly near the top, about 20% deletes ("qty":0, each followed by the level
// that refills the subscribed depth), numbers printed at their precision ("45281.0",
// "0.10000000"). Each frame's checksum is taken from a kraken::book::OrderBook fed the same
// levels while generating, so a correct replay reports no mismatches.
//
// Heap allocations are counted by replacing the global operator new in this binary (Qt's own
// containers allocate with malloc and are not counted). BM_Replay reports two figures:
// allocs/msg_run, a whole run() (which builds its parser and maps per call) divided by its
// messages, and allocs/msg_steady, a single warm WsParser + OrderBook over the update frames,
// which should be 0.
//
// Run: bench_replay --benchmark_min_time=0.2

#include "alloccounter.h"
#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"
#include "kraken/spot/bookreplay.h"
#include "kraken/spot/wsparser.h"

#include <QByteArray>
#include <QByteArrayView>

#include <algorithm>
#include <atomic>
#include <benchmark/benchmark.h>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <new>
#include <random>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::book::ApplyStatus;
using kraken::book::LevelUpdate;
using kraken::book::OrderBook;
using kraken::spot::BookReplay;
using kraken::spot::ws::WsParser;

namespace {

// ---- synthetic recording --------------------------------------------------------------------

constexpr int PricePrecision = 1;
constexpr int QtyPrecision = 8;
constexpr std::size_t UpdateFrames = 50'000;

struct Recording {
    QByteArray jsonl;                   // the file contents, one frame per line
    std::vector<QByteArrayView> frames; // views into jsonl, every frame
    std::size_t firstUpdate = 0;        // index in frames of the first update frame
    std::size_t snapshotFrame = 0;
    std::int64_t frameBytes = 0;   // sum of the frames' sizes (no newlines)
    std::int64_t levelUpdates = 0; // snapshot levels + update levels
};

// A level in ticks / satoshis, as the generator prints it.
struct RawLevel {
    std::int64_t price;
    std::int64_t qty;
};

void appendFixed(std::string &out, std::int64_t mantissa, int precision) {
    char digits[32];
    const auto r = std::to_chars(digits, digits + sizeof digits, mantissa);
    std::string_view d(digits, std::size_t(r.ptr - digits));
    const auto places = std::size_t(precision);
    if (d.size() <= places) {
        out += "0.";
        out.append(places - d.size(), '0');
        out += d;
        return;
    }
    out += d.substr(0, d.size() - places);
    out += '.';
    out += d.substr(d.size() - places);
}

// The market behind the feed: the full book (deeper than the subscription) in ticks and
// satoshis; the subscriber sees its top `depth` levels per side. Same model as bench_book.
class Market {
public:
    Market(std::size_t depth, std::uint64_t seed)
        : m_depth(depth)
        , m_rng(seed)
        , m_book(u"BTC/USD"_s, int(depth), PricePrecision, QtyPrecision) {
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

    Recording generate(std::size_t count) {
        Recording rec;
        std::string text;
        text.reserve(count * 260 + m_depth * 100 + 4096);
        std::vector<std::size_t> ends;

        text +=
            R"({"channel":"instrument","type":"snapshot","data":{"assets":[)"
            R"({"id":"BTC","status":"enabled","precision":10,"precision_display":5,"borrowable":true,"collateral_value":1.0,"margin_rate":0.01},)"
            R"({"id":"USD","status":"enabled","precision":4,"precision_display":2,"borrowable":true,"collateral_value":1.0,"margin_rate":0.025}],)"
            R"("pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,)"
            R"("price_precision":1,"price_increment":0.1,"cost_precision":5,"cost_min":0.5,"qty_min":0.0001,"marginable":true,)"
            R"("has_index":true,"margin_initial":0.2,"position_limit_long":250,"position_limit_short":200,"tick_size":0.1}]}})";
        ends.push_back(text.size());
        text += "\n";

        text += R"({"method":"subscribe","result":{"channel":"book","symbol":"BTC/USD","depth":)";
        text += std::to_string(m_depth);
        text +=
            R"(,"snapshot":true,"warnings":[]},"success":true,"time_in":"2024-05-01T10:00:00.000001Z","time_out":"2024-05-01T10:00:00.000201Z","req_id":11})";
        ends.push_back(text.size());
        text += "\n";

        // Snapshot.
        std::vector<RawLevel> bids;
        std::vector<RawLevel> asks;
        for (auto it = m_bids.begin(); bids.size() < m_depth; ++it)
            bids.push_back({it->first, it->second});
        for (auto it = m_asks.begin(); asks.size() < m_depth; ++it)
            asks.push_back({it->first, it->second});
        rec.snapshotFrame = ends.size();
        rec.levelUpdates += std::int64_t(bids.size() + asks.size());
        appendFrame(text, true, bids, asks, 0);
        ends.push_back(text.size());
        text += "\n";

        rec.firstUpdate = ends.size();
        for (std::size_t n = 0; n < count; ++n) {
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
            rec.levelUpdates += std::int64_t(bids.size() + asks.size());
            appendFrame(text, false, bids, asks, n + 1);
            ends.push_back(text.size());
            text += "\n";
        }

        rec.jsonl = QByteArray(text.data(), qsizetype(text.size()));
        std::size_t start = 0;
        for (const std::size_t end : ends) {
            rec.frames.emplace_back(rec.jsonl.constData() + start, qsizetype(end - start));
            rec.frameBytes += std::int64_t(end - start);
            start = end + 1;
        }
        return rec;
    }

    bool failed() const { return m_failed; }

private:
    std::int64_t below(std::int64_t n) { return std::int64_t(m_rng() % std::uint64_t(n)); }

    std::int64_t randomQty() {
        return below(4) == 0 ? 1 + below(500'000'000) : 1 + below(5'000'000);
    }

    std::size_t pickIndex() {
        if (below(10) == 0)
            return std::size_t(below(std::int64_t(m_depth)));
        const double u = (double(below(1 << 20)) + 0.5) / double(1 << 20);
        return std::min(std::size_t(-std::log(u) * 2.0), m_depth - 1);
    }

    template<typename Map>
    void change(Map &side, std::int64_t opposite, bool isBid, std::vector<RawLevel> &out) {
        const std::size_t idx = pickIndex();
        auto it = std::next(side.begin(), std::ptrdiff_t(idx));
        const std::int64_t kind = below(100);
        if (kind < 20) {
            out.push_back({it->first, 0});
            side.erase(it);
            auto refill = std::next(side.begin(), std::ptrdiff_t(m_depth - 1));
            out.push_back({refill->first, refill->second});
            replenish(side, isBid);
            return;
        }
        if (kind < 45) {
            const std::int64_t bound = idx == 0 ? opposite : std::prev(it)->first;
            const std::int64_t gap = isBid ? bound - it->first : it->first - bound;
            if (gap > 1) {
                const std::int64_t step = 1 + below(std::min<std::int64_t>(gap - 1, 3));
                const std::int64_t price = isBid ? it->first + step : it->first - step;
                const std::int64_t qty = randomQty();
                side[price] = qty;
                out.push_back({price, qty});
                return;
            }
        }
        it->second = randomQty();
        out.push_back({it->first, it->second});
    }

    template<typename Map> void replenish(Map &side, bool isBid) {
        while (side.size() < 2 * m_depth + 10) {
            const std::int64_t worst = std::prev(side.end())->first;
            side[isBid ? worst - 1 - below(3) : worst + 1 + below(3)] = randomQty();
        }
    }

    static void toUpdates(const std::vector<RawLevel> &in, std::vector<LevelUpdate> &out) {
        out.clear();
        for (const RawLevel &l : in)
            out.push_back(LevelUpdate{*Decimal::fromParts(l.price, PricePrecision),
                                      *Decimal::fromParts(l.qty, QtyPrecision)});
    }

    static void appendSide(std::string &text, const char *name, const std::vector<RawLevel> &side) {
        text += name;
        text += "\":[";
        bool first = true;
        for (const RawLevel &l : side) {
            if (!first)
                text += ',';
            first = false;
            text += R"({"price":)";
            appendFixed(text, l.price, PricePrecision);
            text += R"(,"qty":)";
            if (l.qty == 0)
                text += '0';
            else
                appendFixed(text, l.qty, QtyPrecision);
            text += '}';
        }
        text += ']';
    }

    // One book frame; its checksum is the OrderBook's after applying the same levels.
    void appendFrame(std::string &text, bool snapshot, const std::vector<RawLevel> &bids,
                     const std::vector<RawLevel> &asks, std::size_t seq) {
        toUpdates(bids, m_bidUpdates);
        toUpdates(asks, m_askUpdates);
        const ApplyStatus status = snapshot ? m_book.applySnapshot(m_bidUpdates, m_askUpdates)
                                            : m_book.applyUpdate(m_bidUpdates, m_askUpdates);
        if (status != ApplyStatus::Ok)
            m_failed = true;
        text += R"({"channel":"book","type":")";
        text += snapshot ? "snapshot" : "update";
        text += R"(","data":[{"symbol":"BTC/USD",)";
        appendSide(text, "\"bids", bids);
        text += ',';
        appendSide(text, "\"asks", asks);
        text += R"(,"checksum":)";
        text += std::to_string(m_book.checksum());
        // 10:00:00.123456 plus 100 us per frame.
        const std::uint64_t us = 123'456 + seq * 100;
        const std::uint64_t secs = us / 1'000'000;
        char ts[64];
        std::snprintf(ts, sizeof ts, R"(,"timestamp":"2024-05-01T10:%02u:%02u.%06uZ"}]})",
                      unsigned(secs / 60 % 60), unsigned(secs % 60), unsigned(us % 1'000'000));
        text += ts;
    }

    std::size_t m_depth;
    std::mt19937_64 m_rng;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids;
    std::map<std::int64_t, std::int64_t, std::less<>> m_asks;
    OrderBook m_book;
    std::vector<LevelUpdate> m_bidUpdates;
    std::vector<LevelUpdate> m_askUpdates;
    bool m_failed = false;
};

const Recording *recording(std::size_t depth) {
    static std::map<std::size_t, Recording> cache;
    auto it = cache.find(depth);
    if (it == cache.end()) {
        Market market(depth, 20240501 + depth);
        Recording rec = market.generate(UpdateFrames);
        if (market.failed())
            return nullptr;
        it = cache.emplace(depth, std::move(rec)).first;
    }
    return &it->second;
}

// Parses and applies one book frame with the caller's parser and book; false on any failure
// (parse error, apply error, checksum mismatch).
bool applyFrame(WsParser &parser, OrderBook &book, QByteArrayView frame) {
    if (parser.parse(frame) != WsParser::Kind::Book)
        return false;
    const bool snapshot = parser.bookSnapshot();
    for (const auto &e : parser.bookEntries()) {
        const ApplyStatus status =
            snapshot ? book.applySnapshot(e.bids, e.asks) : book.applyUpdate(e.bids, e.asks);
        if (status != ApplyStatus::Ok || !e.hasChecksum || book.checksum() != e.checksum)
            return false;
    }
    return true;
}

// ---- benchmarks -----------------------------------------------------------------------------

// BookReplay::run() over the whole recording, every checksum verified.
void BM_Replay(benchmark::State &state) {
    const auto depth = std::size_t(state.range(0));
    const Recording *rec = recording(depth);
    if (!rec) {
        state.SkipWithError("generator produced an unusable book");
        return;
    }
    auto loaded = BookReplay::load(rec->jsonl);
    if (!loaded) {
        state.SkipWithError("BookReplay::load failed");
        return;
    }
    const BookReplay &replay = *loaded;
    BookReplay::Options options;
    options.verify = true;

    std::int64_t messages = 0;
    std::int64_t levels = 0;
    std::int64_t mismatches = 0;
    std::int64_t unusable = 0;
    for (auto _ : state) {
        const BookReplay::Stats stats = replay.run(options);
        messages += stats.messages;
        levels += stats.levelUpdates;
        mismatches += stats.checksumMismatches;
        unusable += stats.unusableLines;
    }
    if (mismatches != 0 || unusable != 0 || levels == 0) {
        state.SkipWithError("checksum mismatch or unusable frame in replay");
        return;
    }

    // Allocations of one whole run(), amortised over its messages.
    const std::uint64_t runBefore = allocationCount();
    const BookReplay::Stats once = replay.run(options);
    const std::uint64_t runAllocs = allocationCount() - runBefore;

    // Steady state: one parser and one book, warmed by a full pass, then a second pass of the
    // update frames counted (the snapshot is re-applied first, outside the count).
    WsParser parser;
    OrderBook book(u"BTC/USD"_s, int(depth), PricePrecision, QtyPrecision);
    bool ok = true;
    for (std::size_t i = rec->snapshotFrame; i < rec->frames.size(); ++i)
        ok = ok && applyFrame(parser, book, rec->frames[i]);
    ok = ok && applyFrame(parser, book, rec->frames[rec->snapshotFrame]);
    const std::uint64_t steadyBefore = allocationCount();
    for (std::size_t i = rec->firstUpdate; i < rec->frames.size(); ++i)
        ok = ok && applyFrame(parser, book, rec->frames[i]);
    const std::uint64_t steadyAllocs = allocationCount() - steadyBefore;
    if (!ok) {
        state.SkipWithError("steady-state pass failed (parse, apply or checksum)");
        return;
    }

    state.counters["msgs/s"] = benchmark::Counter(double(messages), benchmark::Counter::kIsRate);
    state.counters["level_updates/s"] =
        benchmark::Counter(double(levels), benchmark::Counter::kIsRate);
    state.counters["allocs/msg_run"] =
        double(runAllocs) / double(std::max<qint64>(once.messages, 1));
    state.counters["allocs/msg_steady"] =
        double(steadyAllocs) / double(rec->frames.size() - rec->firstUpdate);
    state.counters["mismatches"] = double(mismatches);
}
BENCHMARK(BM_Replay)->Arg(10)->Arg(1000)->Unit(benchmark::kMillisecond);

// WsParser::parse alone over every frame.
void BM_ParseOnly(benchmark::State &state) {
    const Recording *rec = recording(std::size_t(state.range(0)));
    if (!rec) {
        state.SkipWithError("generator produced an unusable book");
        return;
    }
    WsParser parser;
    std::int64_t errors = 0;
    for (auto _ : state) {
        for (const QByteArrayView frame : rec->frames)
            errors += parser.parse(frame) == WsParser::Kind::Error;
    }
    if (errors != 0) {
        state.SkipWithError("WsParser refused a frame");
        return;
    }
    state.SetBytesProcessed(state.iterations() * rec->frameBytes);
    state.counters["msgs/s"] = benchmark::Counter(
        double(state.iterations()) * double(rec->frames.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseOnly)->Arg(10)->Arg(1000)->Unit(benchmark::kMillisecond);

// A plain simdjson on-demand walk: every top-level field, and for book frames data[0]'s bids
// and asks with each price/qty read as a raw token, plus symbol, checksum and timestamp.
bool walkLevels(simdjson::ondemand::value side, std::uint64_t &sink) {
    simdjson::ondemand::array levels;
    if (side.get_array().get(levels))
        return false;
    for (auto levelResult : levels) {
        simdjson::ondemand::object level;
        if (levelResult.get_object().get(level))
            return false;
        for (auto field : level) {
            simdjson::ondemand::value v;
            if (field.value().get(v))
                return false;
            sink += v.raw_json_token().size();
        }
    }
    return true;
}

bool walkFrame(simdjson::ondemand::parser &parser, const simdjson::padded_string &frame,
               std::uint64_t &sink) {
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser.iterate(frame).get(doc) || doc.get_object().get(obj))
        return false;
    for (auto field : obj) {
        std::string_view key;
        simdjson::ondemand::value v;
        if (field.unescaped_key().get(key) || field.value().get(v))
            return false;
        if (key == "channel" || key == "type") {
            std::string_view s;
            if (v.get_string().get(s))
                return false;
            sink += s.size();
        } else if (key == "data") {
            simdjson::ondemand::json_type t;
            if (v.type().get(t))
                return false;
            if (t != simdjson::ondemand::json_type::array)
                continue; // instrument data: skipped
            simdjson::ondemand::array data;
            if (v.get_array().get(data))
                return false;
            for (auto entryResult : data) {
                simdjson::ondemand::object entry;
                if (entryResult.get_object().get(entry))
                    return false;
                for (auto ef : entry) {
                    std::string_view ek;
                    simdjson::ondemand::value ev;
                    if (ef.unescaped_key().get(ek) || ef.value().get(ev))
                        return false;
                    if (ek == "bids" || ek == "asks") {
                        if (!walkLevels(ev, sink))
                            return false;
                    } else if (ek == "checksum") {
                        std::uint64_t c = 0;
                        if (ev.get_uint64().get(c))
                            return false;
                        sink += c;
                    } else if (ek == "symbol" || ek == "timestamp") {
                        std::string_view s;
                        if (ev.get_string().get(s))
                            return false;
                        sink += s.size();
                    }
                }
            }
        }
    }
    return true;
}

void BM_SimdjsonRaw(benchmark::State &state) {
    const Recording *rec = recording(std::size_t(state.range(0)));
    if (!rec) {
        state.SkipWithError("generator produced an unusable book");
        return;
    }
    std::vector<simdjson::padded_string> padded;
    padded.reserve(rec->frames.size());
    for (const QByteArrayView frame : rec->frames)
        padded.emplace_back(frame.data(), std::size_t(frame.size()));
    simdjson::ondemand::parser parser;
    std::uint64_t sink = 0;
    std::int64_t errors = 0;
    for (auto _ : state) {
        for (const auto &frame : padded)
            errors += !walkFrame(parser, frame, sink);
    }
    benchmark::DoNotOptimize(sink);
    if (errors != 0) {
        state.SkipWithError("simdjson walk failed on a frame");
        return;
    }
    state.SetBytesProcessed(state.iterations() * rec->frameBytes);
    state.counters["msgs/s"] = benchmark::Counter(
        double(state.iterations()) * double(rec->frames.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimdjsonRaw)->Arg(10)->Arg(1000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
