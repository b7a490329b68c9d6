#include "marketsim.h"

#include "logging.h"

#include <QTimer>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

// Notional sums (price mantissa x qty mantissa) overflow 64 bits for cheap coins with many
// decimals (DOGE: 1e6 x 1e11 per trade), so they are kept in 128 bits.
__extension__ using Int128 = __int128;

constexpr int MinLevels = 1100; // depth-1000 subscribers get a full book
constexpr int MaxLevels = 1400; // far levels beyond this are trimmed
constexpr std::size_t TapeKeep = 1000;
constexpr int HistoryMinutes = 1500; // 24 h of ticker statistics plus some
constexpr qint64 NsPerMs = 1'000'000;

struct Lvl {
    qint64 synth = 0; // qty mantissa (qtyPrecision) of the synthetic makers
    qint64 user = 0;  // the user's resting quantity at this price
    qint64 total() const { return synth + user; }
};

using BidMap = std::map<qint64, Lvl, std::greater<qint64>>; // best (highest) first
using AskMap = std::map<qint64, Lvl>;                       // best (lowest) first

struct RawBar {
    qint64 beginSec = 0;
    qint64 open = 0, high = 0, low = 0, close = 0; // price mantissas
    qint64 volume = 0;                             // qty mantissa
    Int128 notional = 0;                           // sum price x qty mantissas
    int count = 0;
};

qint64 pow10(int n) {
    qint64 r = 1;
    while (n-- > 0)
        r *= 10;
    return r;
}

Int128 pow10w(int n) {
    Int128 r = 1;
    while (n-- > 0)
        r *= 10;
    return r;
}

// a / b rounded half-up for non-negative a, positive b.
qint64 divRound(Int128 a, Int128 b) {
    return qint64((a + b / 2) / b);
}

qint64 mantissaAt(const Decimal &d, int scale) {
    const auto r = d.rescaled(scale, Rounding::HalfEven);
    return r ? r->mantissa() : 0;
}

Side opposite(Side s) {
    return s == Side::Buy ? Side::Sell : Side::Buy;
}

} // namespace

struct SpreadSampleRaw {
    qint64 timeSec = 0;
    qint64 bid = 0, ask = 0;
};

struct MarketSim::Impl {
    MarketSim *q = nullptr;
    SimPair pair;
    int pp = 1, qp = 8;
    qint64 tick = 1;         // price increment as a mantissa at pp
    qint64 lot = 1;          // qty increment as a mantissa at qp
    qint64 unit = 1;         // the walk's typical step, in ticks
    double sigma = 1;        // the walk's standard deviation per step, in ticks (may be < 1)
    qint64 roundTicks = 100; // "round" prices attract bigger sizes
    double medianQty = 1;    // typical synthetic order, in lots
    std::mt19937_64 rng;

    BidMap bids;
    AskMap asks;
    qint64 target = 0; // where the walk wants the mid, price mantissa (tick multiple)

    std::vector<MarketTrade> tape;
    std::vector<qint64> tapeNs;
    qint64 nextTradeId = 1;
    qint64 lastNs = 0;
    qint64 lastPrice = 0, lastQty = 0;
    bool hasLast = false;
    std::vector<MarketTrade> toEmit;

    std::vector<std::deque<RawBar>> bars; // one per OhlcIntervals entry
    std::deque<SpreadSampleRaw> spreads;

    UserMatcher matcher;
    bool external = false; // a ReplayFeed drives the book and the tape
    bool dirty = false;
    bool scheduled = false;

    // ---- randomness (own transforms of the engine's output: identical on every platform)
    double uniform() { return double(rng() >> 11) * (1.0 / 9007199254740992.0); }
    qint64 below(qint64 n) { return n <= 1 ? 0 : qint64(rng() % quint64(n)); }
    double normal() {
        const double u1 = std::max(uniform(), 1e-300);
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    Decimal price(qint64 m) const { return *Decimal::fromParts(m, pp); }
    Decimal qty(qint64 m) const { return *Decimal::fromParts(m, qp); }

    qint64 randomQty(qint64 priceM) {
        double lots = medianQty * std::exp(0.9 * normal());
        const qint64 ticks = priceM / tick;
        if (roundTicks > 1 && ticks % (roundTicks * 10) == 0)
            lots *= 10;
        else if (roundTicks > 1 && ticks % roundTicks == 0)
            lots *= 4;
        const double capped = std::min(lots, 1e15 / double(lot));
        return std::max<qint64>(1, qint64(capped)) * lot;
    }

    std::optional<qint64> bestBidM() const {
        return bids.empty() ? std::nullopt : std::optional<qint64>(bids.begin()->first);
    }
    std::optional<qint64> bestAskM() const {
        return asks.empty() ? std::nullopt : std::optional<qint64>(asks.begin()->first);
    }

    void markDirty() {
        dirty = true;
        if (scheduled)
            return;
        scheduled = true;
        QTimer::singleShot(0, q, [this] {
            scheduled = false;
            q->publishNow();
        });
    }

    // ---- trades, bars ------------------------------------------------------------------

    void recordTrade(Side takerSide, qint64 priceM, qint64 qtyM, bool market, qint64 ms,
                     bool live) {
        const qint64 ns = std::max(ms * NsPerMs, lastNs + 1);
        lastNs = ns;
        MarketTrade t;
        t.tradeId = nextTradeId++;
        t.takerSide = takerSide;
        t.price = price(priceM);
        t.qty = qty(qtyM);
        t.marketOrder = market;
        t.time = QDateTime::fromMSecsSinceEpoch(ns / NsPerMs, Qt::UTC);
        tape.push_back(t);
        tapeNs.push_back(ns);
        if (tape.size() > TapeKeep + TapeKeep / 2) {
            const auto drop = std::ptrdiff_t(tape.size() - TapeKeep);
            tape.erase(tape.begin(), tape.begin() + drop);
            tapeNs.erase(tapeNs.begin(), tapeNs.begin() + drop);
        }
        lastPrice = priceM;
        lastQty = qtyM;
        hasLast = true;
        addToBars(ns / NsPerMs / 1000, priceM, qtyM);
        if (live)
            toEmit.push_back(std::move(t));
    }

    void addToBars(qint64 sec, qint64 priceM, qint64 qtyM) {
        for (std::size_t i = 0; i < std::size(OhlcIntervals); ++i) {
            const qint64 len = qint64(OhlcIntervals[i]) * 60;
            const qint64 begin = sec - (sec % len + len) % len;
            std::deque<RawBar> &series = bars[i];
            const std::size_t cap = OhlcIntervals[i] == 1 ? std::size_t(HistoryMinutes + 60) : 721;
            if (!series.empty() && begin < series.back().beginSec)
                continue; // clocks do not go back; ignore rather than corrupt
            if (series.empty() || begin > series.back().beginSec) {
                if (!series.empty()) {
                    // Quiet intervals still get a (flat, empty) bar, as Kraken's charts show.
                    const RawBar prev = series.back();
                    qint64 b = std::max(prev.beginSec + len, begin - qint64(cap) * len);
                    for (; b < begin; b += len) {
                        RawBar flat;
                        flat.beginSec = b;
                        flat.open = flat.high = flat.low = flat.close = prev.close;
                        series.push_back(flat);
                    }
                }
                RawBar nb;
                nb.beginSec = begin;
                nb.open = nb.high = nb.low = priceM;
                series.push_back(nb);
            }
            RawBar &bar = series.back();
            if (bar.count == 0 && bar.volume == 0)
                bar.open = bar.high = bar.low = priceM;
            bar.high = std::max(bar.high, priceM);
            bar.low = std::min(bar.low, priceM);
            bar.close = priceM;
            bar.volume += qtyM;
            bar.notional += Int128(priceM) * qtyM;
            ++bar.count;
            while (series.size() > cap)
                series.pop_front();
        }
    }

    OhlcBar toBar(const RawBar &r, int interval) const {
        OhlcBar b;
        b.begin = QDateTime::fromSecsSinceEpoch(r.beginSec, Qt::UTC);
        b.intervalMinutes = interval;
        b.open = price(r.open);
        b.high = price(r.high);
        b.low = price(r.low);
        b.close = price(r.close);
        b.vwap = price(r.volume > 0 ? divRound(r.notional, r.volume) : r.close);
        b.volume = qty(r.volume);
        b.trades = r.count;
        return b;
    }

    void flushTrades() {
        if (toEmit.empty())
            return;
        std::vector<MarketTrade> out;
        out.swap(toEmit);
        for (const MarketTrade &t : out)
            Q_EMIT q->tradePrinted(t);
    }

    // ---- matching ----------------------------------------------------------------------

    // Takes from `book` (the side opposite the taker) best first. includeUser: synthetic
    // flow, which also fills the user's resting quantity through the matcher and stops at a
    // level it cannot clear; otherwise a user taker, which only takes synthetic quantity.
    // quoteBudget (scale pp+qp) limits the spend instead of wantQty when given.
    template<class Map>
    qint64 walk(Map &book, Side takerSide, qint64 wantQty, std::optional<qint64> limit,
                Int128 *quoteBudget, bool includeUser, bool market, qint64 ms,
                std::vector<SimFill> *fills) {
        const Side resting = opposite(takerSide);
        qint64 filled = 0;
        auto it = book.begin();
        while (it != book.end()) {
            const qint64 p = it->first;
            if (limit && (takerSide == Side::Buy ? p > *limit : p < *limit))
                break;
            qint64 remaining =
                wantQty < 0 ? std::numeric_limits<qint64>::max() / 4 : wantQty - filled;
            if (quoteBudget) {
                const Int128 affordable = *quoteBudget / p;
                remaining = std::min<Int128>(remaining, affordable / lot * lot);
            }
            if (remaining <= 0)
                break;
            Lvl &l = it->second;
            const qint64 s = std::min(l.synth, remaining);
            if (s > 0) {
                l.synth -= s;
                filled += s;
                remaining -= s;
                if (quoteBudget)
                    *quoteBudget -= Int128(s) * p;
                recordTrade(takerSide, p, s, market, ms, true);
                if (fills)
                    fills->push_back({price(p), qty(s)});
            }
            if (includeUser && remaining > 0 && l.user > 0 && matcher) {
                const qint64 maxUser = std::min(remaining, l.user);
                const Decimal got = matcher(resting, price(p), qty(maxUser));
                const qint64 u = std::clamp<qint64>(mantissaAt(got, qp), 0, maxUser);
                if (u > 0) {
                    l.user -= u;
                    filled += u;
                    recordTrade(takerSide, p, u, market, ms, true);
                }
            }
            if (l.total() == 0) {
                it = book.erase(it);
                continue;
            }
            if (includeUser)
                break; // the level stays: flow that cannot clear it stops here
            ++it;      // a user taker passes the user's own levels
        }
        return filled;
    }

    // ---- the synthetic book ------------------------------------------------------------

    // Highest price a new bid may take, lowest a new ask may: around the walk's target and
    // never at or through the other side.
    qint64 bidAnchor() const {
        qint64 a = target - tick;
        if (const auto ask = bestAskM())
            a = std::min(a, *ask - tick);
        return std::max(a, tick);
    }
    qint64 askAnchor() const {
        qint64 a = target + tick;
        if (const auto bid = bestBidM())
            a = std::max(a, *bid + tick);
        return a;
    }

    void addSynth(Side side, qint64 p, qint64 qtyM) {
        if (p <= 0 || qtyM <= 0)
            return;
        if (side == Side::Buy) {
            if (const auto ask = bestAskM(); ask && p >= *ask)
                return;
            bids[p].synth += qtyM;
        } else {
            if (const auto bid = bestBidM(); bid && p <= *bid)
                return;
            asks[p].synth += qtyM;
        }
    }

    template<class Map> typename Map::iterator nth(Map &book, qint64 n) {
        auto it = book.begin();
        for (qint64 i = 0; i < n && it != book.end(); ++i)
            ++it;
        return it;
    }

    qint64 randomDistance() {
        const double r = uniform();
        if (r < 0.7)
            return below(12);
        if (r < 0.95)
            return 12 + below(200);
        return 212 + below(MinLevels - 212);
    }

    template<class Map> void changeLevel(Map &book, Side side) {
        const double op = uniform();
        const qint64 d = randomDistance();
        if (op < 0.45 || book.empty()) {
            // A new order: on the side's price grid, d "units" away from the anchor.
            const qint64 anchor = side == Side::Buy ? bidAnchor() : askAnchor();
            qint64 offset = d < 12 ? below(d + 1) : d * (1 + below(unit + 1));
            qint64 p = side == Side::Buy ? anchor - offset * tick : anchor + offset * tick;
            if (uniform() < 0.1 && roundTicks > 1) { // someone likes round numbers
                const qint64 r = roundTicks * tick;
                p = side == Side::Buy ? p / r * r : (p + r - 1) / r * r;
            }
            addSynth(side, p, randomQty(p));
            return;
        }
        auto it = nth(book, std::min<qint64>(d, qint64(book.size()) - 1));
        if (it == book.end())
            return;
        Lvl &l = it->second;
        if (op < 0.75) {
            l.synth = uniform() < 0.5 ? randomQty(it->first)
                                      : std::max<qint64>(lot, l.synth / lot * lot / 2);
        } else {
            l.synth = 0;
        }
        if (l.total() == 0)
            book.erase(it);
    }

    template<class Map> void maintainDepth(Map &book, Side side) {
        // Refill the top when flow or deletes left a hole at the touch.
        const qint64 anchor = side == Side::Buy ? bidAnchor() : askAnchor();
        if (book.empty() || std::abs(book.begin()->first - anchor) > 3 * unit * tick) {
            const qint64 p =
                side == Side::Buy ? anchor - below(2) * tick : anchor + below(2) * tick;
            addSynth(side, p, randomQty(p));
        }
        while (qint64(book.size()) < MinLevels) {
            const qint64 worst = book.empty() ? anchor : book.rbegin()->first;
            const qint64 gap = (1 + below(2 * unit)) * tick;
            const qint64 p = side == Side::Buy ? worst - gap : worst + gap;
            if (p <= 0)
                break;
            book[p].synth += randomQty(p);
        }
        while (qint64(book.size()) > MaxLevels) {
            auto last = std::prev(book.end());
            if (last->second.user > 0)
                break;
            book.erase(last);
        }
    }

    void generateHistory(qint64 nowMs) {
        const qint64 nowMin = nowMs / 60'000;
        std::vector<qint64> path(HistoryMinutes + 1);
        path[HistoryMinutes] = target;
        // A minute of the live walk at the default 100 ms step is ~600 steps of `sigma` plus
        // a few jumps, about 30 units; history moves the same, so the first live bar does
        // not stand out against it.
        for (int i = HistoryMinutes - 1; i >= 0; --i) {
            const qint64 step = qint64(std::llround(normal() * sigma * 30)) * tick;
            path[std::size_t(i)] = std::max(path[std::size_t(i) + 1] + step, 100 * tick);
        }
        for (int m = 0; m < HistoryMinutes; ++m) {
            const qint64 minuteMs = (nowMin - HistoryMinutes + m) * 60'000;
            const int n = 1 + int(below(4));
            std::vector<qint64> offsets;
            for (int j = 0; j < n; ++j)
                offsets.push_back(below(60'000));
            std::sort(offsets.begin(), offsets.end());
            for (const qint64 off : offsets) {
                const qint64 p = std::max(path[std::size_t(m)] +
                                              qint64(std::llround(normal() * sigma * 10)) * tick,
                                          tick);
                const Side side = uniform() < 0.5 ? Side::Buy : Side::Sell;
                // A few larger prints stand for a minute of flow (the live market prints ~200 a
                // minute), so history volumes match the bars that follow them.
                recordTrade(side, p, randomQty(p) * 10, uniform() < 0.4, minuteMs + off, false);
            }
        }
    }
};

QString sideName(Side s) {
    return s == Side::Buy ? u"buy"_s : u"sell"_s;
}

std::optional<Side> sideFromName(const QString &name) {
    if (name == u"buy"_s)
        return Side::Buy;
    if (name == u"sell"_s)
        return Side::Sell;
    return std::nullopt;
}

MarketSim::MarketSim(const SimPair &pair, quint64 seed, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->pair = pair;
    d->pp = std::clamp(pair.pricePrecision, 0, 12);
    d->qp = std::clamp(pair.qtyPrecision, 0, 12);
    d->tick = std::max<qint64>(1, mantissaAt(pair.priceIncrement, d->pp));
    d->lot = std::max<qint64>(1, mantissaAt(pair.qtyIncrement, d->qp));
    // Different pairs get different streams from the same seed.
    d->rng.seed(seed ^ (qHash(pair.instrument.symbol()) * 0x9E3779B97F4A7C15ull));
    d->bars.resize(std::size(OhlcIntervals));

    qint64 start = mantissaAt(pair.startPrice, d->pp);
    if (start <= 0)
        start = 10'000 * d->tick;
    start = std::max(start / d->tick * d->tick, 100 * d->tick);
    d->target = start;
    const double startTicks = double(start / d->tick);
    d->sigma = startTicks * 0.000005;
    d->unit = std::max<qint64>(1, qint64(std::llround(d->sigma)));
    d->roundTicks = 1;
    while (d->roundTicks < 20 * d->unit)
        d->roundTicks *= 10;
    // A typical order is worth a few hundred times the minimum (Kraken's minimums are a few
    // dollars' worth of the base asset).
    const qint64 minM = mantissaAt(pair.instrument.orderMin(), d->qp);
    d->medianQty =
        minM > 0 ? double(minM) * 200 / double(d->lot) : double(pow10(std::max(0, d->qp / 2)));
    d->medianQty = std::max(1.0, d->medianQty);

    d->generateHistory(QDateTime::currentMSecsSinceEpoch());
    // The book around the last history price.
    d->target = d->hasLast ? d->lastPrice : start;
    d->maintainDepth(d->bids, Side::Buy);
    d->maintainDepth(d->asks, Side::Sell);
}

MarketSim::~MarketSim() = default;

const SimPair &MarketSim::pair() const {
    return d->pair;
}

QString MarketSim::symbol() const {
    return d->pair.instrument.symbol();
}

int MarketSim::pricePrecision() const {
    return d->pp;
}

int MarketSim::qtyPrecision() const {
    return d->qp;
}

std::vector<SimLevel> MarketSim::levels(Side side, int n) const {
    std::vector<SimLevel> out;
    auto copy = [&](const auto &book) {
        const std::size_t count =
            n <= 0 ? book.size() : std::min<std::size_t>(book.size(), std::size_t(n));
        out.reserve(count);
        for (auto it = book.begin(); out.size() < count; ++it)
            out.push_back({d->price(it->first), d->qty(it->second.total())});
    };
    if (side == Side::Buy)
        copy(d->bids);
    else
        copy(d->asks);
    return out;
}

void MarketSim::rawLevels(Side side, int n, std::vector<std::pair<qint64, qint64>> &out) const {
    out.clear();
    auto copy = [&](const auto &book) {
        const std::size_t count =
            n <= 0 ? book.size() : std::min<std::size_t>(book.size(), std::size_t(n));
        out.reserve(count);
        for (auto it = book.begin(); out.size() < count; ++it)
            out.emplace_back(it->first, it->second.total());
    };
    if (side == Side::Buy)
        copy(d->bids);
    else
        copy(d->asks);
}

std::optional<Decimal> MarketSim::bestBid() const {
    const auto m = d->bestBidM();
    return m ? std::optional<Decimal>(d->price(*m)) : std::nullopt;
}

std::optional<Decimal> MarketSim::bestAsk() const {
    const auto m = d->bestAskM();
    return m ? std::optional<Decimal>(d->price(*m)) : std::nullopt;
}

std::optional<Decimal> MarketSim::lastPrice() const {
    return d->hasLast ? std::optional<Decimal>(d->price(d->lastPrice)) : std::nullopt;
}

std::vector<SimFill> MarketSim::take(Side takerSide, const Decimal &qty,
                                     const std::optional<Decimal> &limit, bool marketOrder) {
    std::vector<SimFill> fills;
    const qint64 want = mantissaAt(qty, d->qp);
    if (want <= 0)
        return fills;
    std::optional<qint64> lim;
    if (limit)
        lim = mantissaAt(*limit, d->pp);
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 filled =
        takerSide == Side::Buy
            ? d->walk(d->asks, takerSide, want, lim, nullptr, false, marketOrder, ms, &fills)
            : d->walk(d->bids, takerSide, want, lim, nullptr, false, marketOrder, ms, &fills);
    if (filled > 0)
        d->markDirty();
    d->flushTrades();
    return fills;
}

std::vector<SimFill> MarketSim::takeQuote(Side takerSide, const Decimal &quoteQty) {
    std::vector<SimFill> fills;
    if (quoteQty.signum() <= 0)
        return fills;
    const int s = quoteQty.scale();
    const int target = d->pp + d->qp;
    Int128 budget = quoteQty.mantissa();
    budget = s <= target ? budget * pow10w(target - s) : budget / pow10w(s - target);
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 filled =
        takerSide == Side::Buy
            ? d->walk(d->asks, takerSide, -1, std::nullopt, &budget, false, true, ms, &fills)
            : d->walk(d->bids, takerSide, -1, std::nullopt, &budget, false, true, ms, &fills);
    if (filled > 0)
        d->markDirty();
    d->flushTrades();
    return fills;
}

void MarketSim::addUserQty(Side side, const Decimal &price, const Decimal &delta) {
    const qint64 p = mantissaAt(price, d->pp);
    const qint64 q = mantissaAt(delta, d->qp);
    if (p <= 0 || q == 0)
        return;
    auto apply = [&](auto &book, auto &other) {
        if (q < 0) {
            const auto it = book.find(p);
            if (it == book.end())
                return;
            if (it->second.user < -q)
                qCWarning(lcSim).noquote()
                    << symbol() << "user quantity removed beyond what was shown at"
                    << price.toString();
            it->second.user = std::max<qint64>(0, it->second.user + q);
            if (it->second.total() == 0)
                book.erase(it);
            return;
        }
        book[p].user += q;
        // Synthetic makers at or through the user's price step away (the engine took what it
        // could first), so the published book is never crossed.
        for (auto it = other.begin(); it != other.end();) {
            const bool crosses = side == Side::Buy ? it->first <= p : it->first >= p;
            if (!crosses)
                break;
            if (it->second.user > 0) {
                qCWarning(lcSim).noquote()
                    << symbol() << "user order at" << price.toString()
                    << "crosses the user's own resting order; self-trade prevention belongs"
                       " to the engine";
                it->second.synth = 0;
                ++it;
                continue;
            }
            it = other.erase(it);
        }
    };
    if (side == Side::Buy)
        apply(d->bids, d->asks);
    else
        apply(d->asks, d->bids);
    d->markDirty();
}

void MarketSim::setUserMatcher(UserMatcher matcher) {
    d->matcher = std::move(matcher);
}

void MarketSim::step() {
    Impl &m = *d;
    if (m.external)
        return;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();

    // 1. The walk: small steps, now and then a jump.
    // On a coarse tick (ETH/BTC, DOGE/USD) a step is less than one tick: move one tick with
    // the probability that gives the same variance, or such pairs would swing ~20 % a day.
    qint64 move = 0;
    if (m.sigma >= 1)
        move = qint64(std::llround(m.normal() * m.sigma));
    else if (m.uniform() < m.sigma * m.sigma)
        move = m.uniform() < 0.5 ? -1 : 1;
    if (m.uniform() < 0.005)
        move += (m.uniform() < 0.5 ? -1 : 1) *
                std::max<qint64>(1, qint64(std::llround(m.sigma * double(10 + m.below(30)))));
    m.target = std::max(m.target + move * m.tick, 100 * m.tick);

    // 2. Takers follow it: the book moves through every level (user orders included) by
    //    trading, never by jumping over resting quantity.
    const bool market = m.uniform() < 0.5;
    if (const auto ask = m.bestAskM(); ask && *ask <= m.target)
        m.walk(m.asks, Side::Buy, -1, m.target, nullptr, true, market, ms, nullptr);
    if (const auto bid = m.bestBidM(); bid && *bid >= m.target)
        m.walk(m.bids, Side::Sell, -1, m.target, nullptr, true, market, ms, nullptr);

    // 3. Random taker flow that walks a few levels.
    if (m.uniform() < 0.35) {
        const Side side = m.uniform() < 0.5 ? Side::Buy : Side::Sell;
        const qint64 ref =
            side == Side::Buy ? m.bestAskM().value_or(m.target) : m.bestBidM().value_or(m.target);
        const qint64 qtyM = m.randomQty(ref) * (1 + m.below(3));
        const qint64 reach = (1 + m.below(4)) * m.unit * m.tick;
        const qint64 limit = side == Side::Buy ? ref + reach : std::max(ref - reach, m.tick);
        if (side == Side::Buy)
            m.walk(m.asks, side, qtyM, limit, nullptr, true, m.uniform() < 0.6, ms, nullptr);
        else
            m.walk(m.bids, side, qtyM, limit, nullptr, true, m.uniform() < 0.6, ms, nullptr);
    }

    // 4. Makers: adds, size changes, cancels, near and far from the top.
    const qint64 changes = 2 + m.below(5);
    for (qint64 i = 0; i < changes; ++i) {
        if (m.uniform() < 0.5)
            m.changeLevel(m.bids, Side::Buy);
        else
            m.changeLevel(m.asks, Side::Sell);
    }

    // 5. Keep both sides deep and the touch near the walk.
    m.maintainDepth(m.bids, Side::Buy);
    m.maintainDepth(m.asks, Side::Sell);
    m.markDirty();
    m.flushTrades();
}

void MarketSim::setExternalFeed(bool on) {
    Impl &m = *d;
    if (m.external == on)
        return;
    m.external = on;
    auto dropSynth = [](auto &book) {
        for (auto it = book.begin(); it != book.end();) {
            it->second.synth = 0;
            it = it->second.user > 0 ? std::next(it) : book.erase(it);
        }
    };
    if (on) {
        dropSynth(m.bids);
        dropSynth(m.asks);
        m.tape.clear();
        m.tapeNs.clear();
        for (auto &series : m.bars)
            series.clear();
        m.spreads.clear();
    } else {
        // The walk resumes from where the feed left the market.
        if (const auto bid = m.bestBidM(), ask = m.bestAskM(); bid && ask)
            m.target = std::max((*bid + *ask) / 2 / m.tick * m.tick, m.tick);
        else if (m.hasLast)
            m.target = m.lastPrice;
        m.maintainDepth(m.bids, Side::Buy);
        m.maintainDepth(m.asks, Side::Sell);
    }
    m.markDirty();
}

bool MarketSim::externalFeed() const {
    return d->external;
}

void MarketSim::applyExternalBook(Side side, const std::vector<SimLevel> &levels, bool snapshot) {
    Impl &m = *d;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    auto apply = [&](auto &book, auto &other) {
        const bool isBid = side == Side::Buy;
        if (snapshot) {
            for (auto it = book.begin(); it != book.end();) {
                it->second.synth = 0;
                it = it->second.user > 0 ? std::next(it) : book.erase(it);
            }
        }
        for (const SimLevel &level : levels) {
            const qint64 p = mantissaAt(level.price, m.pp);
            qint64 q = std::max<qint64>(0, mantissaAt(level.qty, m.qp));
            if (p <= 0)
                continue;
            if (q > 0) {
                auto crosses = [&](qint64 otherPrice) {
                    return isBid ? otherPrice <= p : otherPrice >= p;
                };
                // Synthetic quantity through the new level is older news than it.
                for (auto it = other.begin(); it != other.end() && crosses(it->first);) {
                    it->second.synth = 0;
                    it = it->second.user > 0 ? std::next(it) : other.erase(it);
                }
                // The user's orders through it trade with it, best price first.
                if (!other.empty() && crosses(other.begin()->first))
                    q -= m.walk(other, side, q, p, nullptr, true, false, ms, nullptr);
                if (!other.empty() && crosses(other.begin()->first))
                    q = 0; // the matcher would not fill it all: clipped, never crossed
            }
            const auto it = book.find(p);
            if (q > 0) {
                book[p].synth = q;
            } else if (it != book.end()) {
                it->second.synth = 0;
                if (it->second.total() == 0)
                    book.erase(it);
            }
        }
    };
    if (side == Side::Buy)
        apply(m.bids, m.asks);
    else
        apply(m.asks, m.bids);
    m.markDirty();
    m.flushTrades();
}

void MarketSim::applyExternalTrade(const MarketTrade &trade) {
    Impl &m = *d;
    const qint64 p = mantissaAt(trade.price, m.pp);
    const qint64 q = mantissaAt(trade.qty, m.qp);
    if (p <= 0 || q <= 0)
        return;
    const qint64 ms =
        trade.time.isValid() ? trade.time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    m.recordTrade(trade.takerSide, p, q, trade.marketOrder, ms, true);
    m.markDirty();
    m.flushTrades();
}

const std::vector<MarketTrade> &MarketSim::recentTrades() const {
    return d->tape;
}

std::vector<MarketTrade> MarketSim::tradesSince(qint64 tradeId) const {
    const auto it =
        std::upper_bound(d->tape.begin(), d->tape.end(), tradeId,
                         [](qint64 id, const MarketTrade &t) { return id < t.tradeId; });
    return {it, d->tape.end()};
}

const std::vector<qint64> &MarketSim::recentTradeTimesNs() const {
    return d->tapeNs;
}

std::vector<OhlcBar> MarketSim::bars(int intervalMinutes, const QDateTime &since) const {
    std::vector<OhlcBar> out;
    const auto *end = std::end(OhlcIntervals);
    const auto *it = std::find(std::begin(OhlcIntervals), end, intervalMinutes);
    if (it == end)
        return out;
    const auto &series = d->bars[std::size_t(it - std::begin(OhlcIntervals))];
    const qint64 sinceSec =
        since.isValid() ? since.toSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    for (const RawBar &r : series) {
        if (r.beginSec >= sinceSec)
            out.push_back(d->toBar(r, intervalMinutes));
    }
    return out;
}

TickerStats MarketSim::ticker() const {
    const Impl &m = *d;
    TickerStats t;
    if (!m.bids.empty()) {
        t.bid = m.price(m.bids.begin()->first);
        t.bidQty = m.qty(m.bids.begin()->second.total());
    } else {
        t.bid = m.price(0);
        t.bidQty = m.qty(0);
    }
    if (!m.asks.empty()) {
        t.ask = m.price(m.asks.begin()->first);
        t.askQty = m.qty(m.asks.begin()->second.total());
    } else {
        t.ask = m.price(0);
        t.askQty = m.qty(0);
    }
    t.last = m.price(m.lastPrice);
    t.lastQty = m.qty(m.lastQty);

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 dayStart = now - now % 86'400;
    struct Acc {
        qint64 open = -1, high = 0, low = 0, volume = 0;
        Int128 notional = 0;
        int trades = 0;
        void add(const RawBar &b) {
            if (b.count == 0)
                return;
            if (open < 0) {
                open = b.open;
                high = b.high;
                low = b.low;
            }
            high = std::max(high, b.high);
            low = std::min(low, b.low);
            volume += b.volume;
            notional += b.notional;
            trades += b.count;
        }
    } day, today;
    for (const RawBar &b : m.bars[0]) { // one-minute bars
        if (b.beginSec >= now - 86'400)
            day.add(b);
        if (b.beginSec >= dayStart)
            today.add(b);
    }
    auto fill = [&](const Acc &a, Decimal &open, Decimal &high, Decimal &low, Decimal &volume,
                    Decimal &vwap, int &trades) {
        const qint64 o = a.open >= 0 ? a.open : m.lastPrice;
        open = m.price(o);
        high = m.price(a.open >= 0 ? a.high : m.lastPrice);
        low = m.price(a.open >= 0 ? a.low : m.lastPrice);
        volume = m.qty(a.volume);
        vwap = m.price(a.volume > 0 ? divRound(a.notional, a.volume) : m.lastPrice);
        trades = a.trades;
    };
    fill(day, t.open, t.high, t.low, t.volume, t.vwap, t.trades);
    fill(today, t.todayOpen, t.todayHigh, t.todayLow, t.todayVolume, t.todayVwap, t.todayTrades);
    const qint64 open = mantissaAt(t.open, m.pp);
    const qint64 change = m.lastPrice - open;
    t.change = m.price(change);
    if (open > 0) {
        // change / open in percent at 2 places, rounded half away from zero.
        const Int128 num = Int128(change) * 10'000;
        const Int128 q = (num >= 0 ? num + open / 2 : num - open / 2) / open;
        t.changePct = *Decimal::fromParts(qint64(q), 2);
    } else {
        t.changePct = *Decimal::fromParts(0, 2);
    }
    return t;
}

std::vector<SpreadSample> MarketSim::spreadHistory() const {
    std::vector<SpreadSample> out;
    out.reserve(d->spreads.size());
    for (const SpreadSampleRaw &s : d->spreads)
        out.push_back({s.timeSec, d->price(s.bid), d->price(s.ask)});
    return out;
}

void MarketSim::publishNow() {
    if (!d->dirty)
        return;
    d->dirty = false;
    if (!d->bids.empty() && !d->asks.empty()) {
        const SpreadSampleRaw s{QDateTime::currentSecsSinceEpoch(), d->bids.begin()->first,
                                d->asks.begin()->first};
        if (!d->spreads.empty() && d->spreads.back().timeSec == s.timeSec)
            d->spreads.back() = s;
        else if (d->spreads.empty() || d->spreads.back().bid != s.bid ||
                 d->spreads.back().ask != s.ask)
            d->spreads.push_back(s);
        while (d->spreads.size() > 1000)
            d->spreads.pop_front();
    }
    Q_EMIT published();
}

} // namespace kraken::sim
