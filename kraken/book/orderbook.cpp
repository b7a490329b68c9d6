#include "orderbook.h"

#include "logging.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>
#include <zlib.h>

namespace kraken::book {

namespace {

constexpr std::array<std::int64_t, 19> Pow10 = [] {
    std::array<std::int64_t, 19> p{};
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i)
        p[i] = p[i - 1] * 10;
    return p;
}();

// Room beyond 2*depth: a message may insert several levels before truncation, and the window
// needs slack to drift in before it has to be moved back to the middle.
constexpr std::size_t Headroom = 64;

// The longest a positive int64 prints; a side's part of the checksum input covers 10 levels x
// 2 numbers.
constexpr std::size_t MaxDigits = 19;
constexpr std::size_t MaxSideInput = OrderBook::ChecksumLevels * 2 * MaxDigits;

// crc32_combine_op() needs an operator for the length of the second part (the bids' string);
// there are only MaxSideInput + 1 possible lengths, so they are generated once per process
// (thread-safe static initialisation, about 0.1 ms).
std::uint32_t combineOperator(std::size_t length) {
    static const std::array<std::uint32_t, MaxSideInput + 1> ops = [] {
        std::array<std::uint32_t, MaxSideInput + 1> a{};
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i] = std::uint32_t(crc32_combine_gen(z_off_t(i)));
        return a;
    }();
    return ops[length];
}

std::uint32_t crcOf(const char *data, std::size_t length) {
    return std::uint32_t(crc32(0L, reinterpret_cast<const Bytef *>(data), uInt(length)));
}

// Formatting runs for 20 numbers per changed side per message, so values below 10^16 (every
// realistic price and qty) are converted eight digits at a time with plain integer arithmetic
// on a 64-bit word rather than a division per digit pair. Each chunk is stored as 8 bytes, so
// the output buffer needs WriteSlack bytes of room beyond the digits.
constexpr std::size_t WriteSlack = 8;

// v < 10^8 as eight digit values (0..9), most significant in the lowest byte.
std::uint64_t eightDigitValues(std::uint32_t v) {
    // Lanes of 32 bits: [v / 10^4, v % 10^4].
    const std::uint64_t fours = std::uint64_t(v / 10000) | (std::uint64_t(v % 10000) << 32);
    // x / 100 for x < 10^4 is (x * 10486) >> 20; lanes of 16 bits: [hundreds, rest].
    const std::uint64_t hundreds = ((fours * 10486) >> 20) & 0x0000007F0000007FULL;
    const std::uint64_t pairs = hundreds | ((fours - hundreds * 100) << 16);
    // x / 10 for x < 100 is (x * 103) >> 10; lanes of 8 bits: [tens, units].
    const std::uint64_t tens = ((pairs * 103) >> 10) & 0x000F000F000F000FULL;
    return tens | ((pairs - tens * 10) << 8);
}

// Kraken prints the value at the instrument precision, removes '.', and strips leading zeros.
// For a non-negative mantissa at that precision this is the mantissa's decimal digits, and a
// zero value prints nothing (its digits are all leading zeros), as in the reference
// implementation's str.lstrip('0').
char *writeDigits(char *out, std::int64_t value) {
    if (value == 0)
        return out;
    const auto v = std::uint64_t(value);
    constexpr std::uint64_t E8 = 100'000'000;
    constexpr std::uint64_t Ascii = 0x3030303030303030ULL;
    if constexpr (std::endian::native == std::endian::little) {
        if (v < E8 * E8) {
            const auto high = std::uint32_t(v / E8);
            const auto low = std::uint32_t(v % E8);
            // The leading chunk without its leading zeros: skip the zero bytes at the low end.
            const std::uint64_t lead = eightDigitValues(high != 0 ? high : low);
            const int zeros = std::countr_zero(lead) / 8;
            const std::uint64_t leadText = (lead + Ascii) >> (8 * zeros);
            std::memcpy(out, &leadText, 8);
            out += 8 - zeros;
            if (high != 0) {
                const std::uint64_t lowText = eightDigitValues(low) + Ascii;
                std::memcpy(out, &lowText, 8);
                out += 8;
            }
            return out;
        }
    }
    return std::to_chars(out, out + MaxDigits, v).ptr;
}

} // namespace

// --- Side -----------------------------------------------------------------------------------

OrderBook::Side::Side(int depth)
    : m_buf(2 * std::size_t(depth) + Headroom) {
    reset(std::size_t(depth));
}

void OrderBook::Side::reset(std::size_t expected) {
    const std::size_t cap = m_buf.size();
    const std::size_t n = std::min(expected, cap);
    // After `n` levels have been inserted at the worst end, the window sits in the middle.
    m_begin = m_end = (cap + n) / 2;
}

// Branch-free lower bound over the window: the loop has a fixed trip count for a given size,
// and the compare becomes a conditional move instead of a mispredicted branch.
std::size_t OrderBook::Side::lowerBound(std::int64_t key) const {
    std::size_t n = m_end - m_begin;
    if (n == 0)
        return m_begin;
    const Level *base = m_buf.data() + m_begin;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half].price < key ? base + half : base;
        n -= half;
    }
    return std::size_t(base - m_buf.data()) + (base->price < key ? 1 : 0);
}

std::ptrdiff_t OrderBook::Side::upsert(std::int64_t key, std::int64_t qty) {
    const std::size_t pos = lowerBound(key);
    if (pos < m_end && m_buf[pos].price == key) {
        const auto fromBest = std::ptrdiff_t(m_end - 1 - pos);
        if (qty == 0) {
            eraseAt(pos);
            return fromBest;
        }
        if (m_buf[pos].qty == qty)
            return -1;
        m_buf[pos].qty = qty;
        return fromBest;
    }
    if (qty == 0)
        return -1; // deleting an absent level: Kraken may send it after we truncated the level
    const auto fromBest = std::ptrdiff_t(m_end - pos);
    insertAt(pos, Level{key, qty});
    return fromBest;
}

void OrderBook::Side::insertAt(std::size_t pos, Level level) {
    const std::size_t front = pos - m_begin; // levels worse than the new one
    const std::size_t back = m_end - pos;    // levels better than the new one
    const bool shiftBack = back <= front;
    if ((shiftBack && m_end == m_buf.size()) || (!shiftBack && m_begin == 0)) {
        const std::size_t oldBegin = m_begin;
        recentre();
        pos = pos - oldBegin + m_begin;
    }
    Level *data = m_buf.data();
    if (shiftBack) {
        std::memmove(data + pos + 1, data + pos, back * sizeof(Level));
        data[pos] = level;
        ++m_end;
    } else {
        std::memmove(data + m_begin - 1, data + m_begin, front * sizeof(Level));
        data[pos - 1] = level;
        --m_begin;
    }
}

void OrderBook::Side::eraseAt(std::size_t pos) {
    const std::size_t front = pos - m_begin;
    const std::size_t back = m_end - pos - 1;
    Level *data = m_buf.data();
    if (back <= front) {
        std::memmove(data + pos, data + pos + 1, back * sizeof(Level));
        --m_end;
    } else {
        std::memmove(data + m_begin + 1, data + m_begin, front * sizeof(Level));
        ++m_begin;
    }
}

// Moves the window to the middle of the buffer so both ends have room again. Steady state
// reaches this only after the window has drifted by about depth levels, so its cost is spread
// thin; the buffer only grows for a message adding more than depth + Headroom levels.
void OrderBook::Side::recentre() {
    const std::size_t n = size();
    if (m_buf.size() - n < 2)
        m_buf.resize(2 * m_buf.size());
    const std::size_t begin = (m_buf.size() - n) / 2;
    std::memmove(m_buf.data() + begin, m_buf.data() + m_begin, n * sizeof(Level));
    m_begin = begin;
    m_end = begin + n;
}

std::size_t OrderBook::Side::truncate(std::size_t depth) {
    const std::size_t n = size();
    if (n <= depth)
        return 0;
    m_begin = m_end - depth;
    return n - depth;
}

// --- OrderBook ------------------------------------------------------------------------------

OrderBook::OrderBook(QString symbol, int depth, int pricePrecision, int qtyPrecision)
    : m_symbol(std::move(symbol))
    , m_depth(std::max(depth, 1))
    , m_pricePrecision(std::clamp(pricePrecision, 0, Decimal::MaxScale))
    , m_qtyPrecision(std::clamp(qtyPrecision, 0, Decimal::MaxScale))
    , m_bids(m_depth)
    , m_asks(m_depth) {}

// Exact conversion to the book's precision: scaling up must not overflow, scaling down must
// only drop zeros. Rounding would make the book disagree with Kraken's, so it is an error.
bool OrderBook::convert(const Decimal &d, int precision, std::int64_t *out) {
    const std::int64_t m = d.mantissa();
    const int scale = d.scale();
    if (m < 0 || scale < 0 || scale > Decimal::MaxScale)
        return false;
    if (scale == precision) {
        *out = m;
        return true;
    }
    if (scale < precision) {
        const std::int64_t f = Pow10[std::size_t(precision - scale)];
        if (m > std::numeric_limits<std::int64_t>::max() / f)
            return false;
        *out = m * f;
        return true;
    }
    const std::int64_t f = Pow10[std::size_t(scale - precision)];
    if (m % f != 0)
        return false;
    *out = m / f;
    return true;
}

template<bool IsBid> bool OrderBook::applySide(Side &side, std::span<const LevelUpdate> levels) {
    for (const LevelUpdate &u : levels) {
        std::int64_t price = 0;
        std::int64_t qty = 0;
        if (!convert(u.price, m_pricePrecision, &price) || !convert(u.qty, m_qtyPrecision, &qty)) {
            qCDebug(lcBook).noquote()
                << m_symbol << (IsBid ? "bid" : "ask") << u.price.toString() << u.qty.toString()
                << "is negative or not exact at precision" << m_pricePrecision << m_qtyPrecision;
            return false;
        }
        const std::ptrdiff_t fromBest = side.upsert(IsBid ? price : -price, qty);
        if (fromBest >= 0 && fromBest < ChecksumLevels)
            (IsBid ? m_bidsDirty : m_asksDirty) = true;
    }
    return true;
}

void OrderBook::finishMessage() {
    // Truncation removes levels from index `depth` on, inside the checksummed top only for a
    // depth below 10.
    const bool shallow = m_depth < ChecksumLevels;
    if (m_bids.truncate(std::size_t(m_depth)) > 0 && shallow)
        m_bidsDirty = true;
    if (m_asks.truncate(std::size_t(m_depth)) > 0 && shallow)
        m_asksDirty = true;
}

ApplyStatus OrderBook::applySnapshot(std::span<const LevelUpdate> bids,
                                     std::span<const LevelUpdate> asks) {
    m_bids.reset(bids.size());
    m_asks.reset(asks.size());
    invalidateChecksum();
    m_sequence = 0;
    if (!applySide<true>(m_bids, bids) || !applySide<false>(m_asks, asks)) {
        clear();
        return ApplyStatus::BadPrecision;
    }
    finishMessage();
    if (isCrossed()) {
        qCDebug(lcBook).noquote() << m_symbol << "snapshot is crossed";
        return ApplyStatus::Crossed;
    }
    return ApplyStatus::Ok;
}

ApplyStatus OrderBook::applyUpdate(std::span<const LevelUpdate> bids,
                                   std::span<const LevelUpdate> asks) {
    if (!applySide<true>(m_bids, bids) || !applySide<false>(m_asks, asks)) {
        clear();
        return ApplyStatus::BadPrecision;
    }
    finishMessage();
    ++m_sequence;
    if (isCrossed()) {
        qCDebug(lcBook).noquote() << m_symbol << "book is crossed after update" << m_sequence;
        return ApplyStatus::Crossed;
    }
    return ApplyStatus::Ok;
}

void OrderBook::clear() {
    m_bids.reset(std::size_t(m_depth));
    m_asks.reset(std::size_t(m_depth));
    m_sequence = 0;
    invalidateChecksum();
}

bool OrderBook::isCrossed() const {
    return !m_bids.empty() && !m_asks.empty() &&
           m_bids.fromBest(0).price >= -m_asks.fromBest(0).price;
}

Level OrderBook::bid(std::size_t i) const {
    return i < m_bids.size() ? m_bids.fromBest(i) : Level{};
}

Level OrderBook::ask(std::size_t i) const {
    if (i >= m_asks.size())
        return Level{};
    const Level &l = m_asks.fromBest(i);
    return Level{-l.price, l.qty};
}

// Writes one side's part of the checksum input: its top 10 levels, best first.
std::size_t OrderBook::formatSide(const Side &side, bool negated, char *out) {
    char *p = out;
    const std::size_t n = std::min<std::size_t>(side.size(), ChecksumLevels);
    for (std::size_t i = 0; i < n; ++i) {
        const Level &l = side.fromBest(i);
        p = writeDigits(p, negated ? -l.price : l.price);
        p = writeDigits(p, l.qty);
    }
    return std::size_t(p - out);
}

std::uint32_t OrderBook::computeChecksum() const {
    char buf[2 * MaxSideInput + WriteSlack];
    std::size_t n = formatSide(m_asks, true, buf);
    n += formatSide(m_bids, false, buf + n);
    return crcOf(buf, n);
}

std::uint32_t OrderBook::checksum() const {
    if (!m_asksDirty && !m_bidsDirty)
        return m_checksum;
    char buf[MaxSideInput + WriteSlack];
    if (m_asksDirty)
        m_askCrc = crcOf(buf, formatSide(m_asks, true, buf));
    if (m_bidsDirty) {
        const std::size_t n = formatSide(m_bids, false, buf);
        m_bidCrc = crcOf(buf, n);
        m_bidLength = std::uint32_t(n);
    }
    // CRC(asks + bids) from the two parts' CRCs.
    m_checksum = std::uint32_t(crc32_combine_op(m_askCrc, m_bidCrc, combineOperator(m_bidLength)));
    m_asksDirty = m_bidsDirty = false;
    return m_checksum;
}

std::string OrderBook::checksumInput() const {
    char buf[2 * MaxSideInput + WriteSlack];
    std::size_t n = formatSide(m_asks, true, buf);
    n += formatSide(m_bids, false, buf + n);
    return std::string(buf, n);
}

std::shared_ptr<const BookSnapshot> OrderBook::snapshot(int levels) const {
    auto s = std::make_shared<BookSnapshot>();
    s->symbol = m_symbol;
    s->pricePrecision = m_pricePrecision;
    s->qtyPrecision = m_qtyPrecision;
    const auto want = [levels](std::size_t have) {
        return levels <= 0 ? have : std::min(have, std::size_t(levels));
    };
    s->bids.resize(want(m_bids.size()));
    for (std::size_t i = 0; i < s->bids.size(); ++i)
        s->bids[i] = m_bids.fromBest(i);
    s->asks.resize(want(m_asks.size()));
    for (std::size_t i = 0; i < s->asks.size(); ++i)
        s->asks[i] = ask(i);
    s->checksum = checksum();
    s->sequence = m_sequence;
    return s;
}

} // namespace kraken::book
