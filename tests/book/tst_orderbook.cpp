// OrderBook: Kraken's documented checksum vectors, update semantics (deletes, repeated prices,
// truncation to depth), precision errors, crossed books, snapshots, and a long randomised
// differential run against a simple std::map model. Expected checksums come from python3
// (zlib.crc32) or from the reference model below, which works on decimal TEXT; never from
// OrderBook::checksum() itself.

#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"
#include "tests/core/testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>
#include <zlib.h>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::book::ApplyStatus;
using kraken::book::BookSnapshot;
using kraken::book::Level;
using kraken::book::LevelUpdate;
using kraken::book::OrderBook;
using testsupport::dec;

namespace kraken::book {

// Found by ADL, so QCOMPARE prints levels and statuses readably.
inline std::string levelText(const Level &l) {
    return "{" + std::to_string(l.price) + ", " + std::to_string(l.qty) + "}";
}
inline char *toString(const Level &l) {
    return qstrdup(levelText(l).c_str());
}
inline char *toString(ApplyStatus s) {
    switch (s) {
    case ApplyStatus::Ok:
        return qstrdup("Ok");
    case ApplyStatus::BadPrecision:
        return qstrdup("BadPrecision");
    case ApplyStatus::Crossed:
        return qstrdup("Crossed");
    }
    return qstrdup("?");
}

} // namespace kraken::book

namespace {

using Levels = std::vector<LevelUpdate>;

LevelUpdate lu(std::string_view price, std::string_view qty) {
    return LevelUpdate{dec(price), dec(qty)};
}

std::uint32_t crc(const std::string &s) {
    return std::uint32_t(crc32(0L, reinterpret_cast<const Bytef *>(s.data()), uInt(s.size())));
}

// Levels of one side of a vector file, as Decimals parsed from the strings; `mangle` lets a
// test present the same values with different wire text.
Levels vectorLevels(const QJsonArray &rows,
                    const std::function<Decimal(const Decimal &)> &mangle = {}) {
    Levels out;
    for (const QJsonValue &row : rows) {
        const QJsonArray pair = row.toArray();
        LevelUpdate l{dec(pair.at(0).toString().toStdString()),
                      dec(pair.at(1).toString().toStdString())};
        if (mangle) {
            l.price = mangle(l.price);
            l.qty = mangle(l.qty);
        }
        out.push_back(l);
    }
    return out;
}

// What Python's str(float(x)) prints for these values: the shortest text, but always with a
// fraction ("45281.0", "0.1", "0.001"). The documented trap builds the checksum from it.
std::string floatRepr(const Decimal &d) {
    std::string s = d.normalized().toStdString();
    if (s.find('.') == std::string::npos)
        s += ".0";
    return s;
}

std::string stripForChecksum(std::string s) {
    std::erase(s, '.');
    const auto first = s.find_first_not_of('0');
    return first == std::string::npos ? std::string() : s.substr(first);
}

// ---- Reference model -------------------------------------------------------------------------
// A deliberately naive book: std::map keyed by mantissa, each level holding its price and qty
// as TEXT at the instrument precision, produced by string padding from Decimal's own text. The
// checksum is built from that text exactly as Kraken describes it.
class RefBook {
public:
    RefBook(int depth, int pricePrecision, int qtyPrecision)
        : m_depth(std::size_t(depth))
        , m_pp(pricePrecision)
        , m_qp(qtyPrecision) {}

    struct Entry {
        std::string price;
        std::string qty;
        std::int64_t priceMantissa = 0;
        std::int64_t qtyMantissa = 0;
    };

    ApplyStatus apply(bool snapshot, const Levels &bids, const Levels &asks) {
        if (snapshot)
            clear();
        if (!applySide(m_bids, bids) || !applySide(m_asks, asks)) {
            clear();
            return ApplyStatus::BadPrecision;
        }
        truncate(m_bids);
        truncate(m_asks);
        return crossed() ? ApplyStatus::Crossed : ApplyStatus::Ok;
    }

    void clear() {
        m_bids.clear();
        m_asks.clear();
    }

    bool crossed() const {
        return !m_bids.empty() && !m_asks.empty() && m_bids.begin()->first >= m_asks.begin()->first;
    }

    std::string checksumInput() const {
        std::string s;
        int n = 0;
        for (auto it = m_asks.begin(); it != m_asks.end() && n < 10; ++it, ++n)
            s += stripForChecksum(it->second.price) + stripForChecksum(it->second.qty);
        n = 0;
        for (auto it = m_bids.begin(); it != m_bids.end() && n < 10; ++it, ++n)
            s += stripForChecksum(it->second.price) + stripForChecksum(it->second.qty);
        return s;
    }

    // Side maps ordered best first: bids by descending price, asks ascending.
    std::map<std::int64_t, Entry, std::greater<>> m_bids;
    std::map<std::int64_t, Entry, std::less<>> m_asks;

private:
    // Decimal's own text padded or trimmed to `precision` places with string operations only.
    static std::optional<std::pair<std::string, std::int64_t>> fixedText(const Decimal &d,
                                                                         int precision) {
        const std::string s = d.toStdString();
        if (s.starts_with('-'))
            return std::nullopt;
        const auto dot = s.find('.');
        const std::string whole = s.substr(0, dot);
        std::string frac = dot == std::string::npos ? std::string() : s.substr(dot + 1);
        if (frac.size() > std::size_t(precision)) {
            if (frac.find_first_not_of('0', std::size_t(precision)) != std::string::npos)
                return std::nullopt; // significant digits beyond the precision
            frac.resize(std::size_t(precision));
        }
        frac.append(std::size_t(precision) - frac.size(), '0');
        const std::string digits = whole + frac;
        std::int64_t mantissa = 0;
        const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), mantissa);
        if (r.ec != std::errc())
            return std::nullopt; // does not fit 64 bits
        return std::make_pair(precision > 0 ? whole + "." + frac : whole, mantissa);
    }

    template<typename Map> bool applySide(Map &side, const Levels &levels) {
        for (const LevelUpdate &u : levels) {
            const auto p = fixedText(u.price, m_pp);
            const auto q = fixedText(u.qty, m_qp);
            if (!p || !q)
                return false;
            if (q->second == 0)
                side.erase(p->second);
            else
                side[p->second] = Entry{p->first, q->first, p->second, q->second};
        }
        return true;
    }

    template<typename Map> void truncate(Map &side) {
        while (side.size() > m_depth)
            side.erase(std::prev(side.end()));
    }

    std::size_t m_depth;
    int m_pp;
    int m_qp;
};

// Compares every level, the counts, the crossed flag and the checksum. Returns an empty
// string when they agree, else a description of the first difference.
std::string diff(const OrderBook &book, const RefBook &ref) {
    if (book.bidCount() != ref.m_bids.size() || book.askCount() != ref.m_asks.size())
        return "counts " + std::to_string(book.bidCount()) + "/" + std::to_string(book.askCount()) +
               " vs " + std::to_string(ref.m_bids.size()) + "/" + std::to_string(ref.m_asks.size());
    std::size_t i = 0;
    for (const auto &[price, e] : ref.m_bids) {
        const Level l = book.bid(i);
        if (l.price != e.priceMantissa || l.qty != e.qtyMantissa)
            return "bid " + std::to_string(i) + " is " + kraken::book::levelText(l) + " expected " +
                   e.price + " " + e.qty;
        ++i;
    }
    i = 0;
    for (const auto &[price, e] : ref.m_asks) {
        const Level l = book.ask(i);
        if (l.price != e.priceMantissa || l.qty != e.qtyMantissa)
            return "ask " + std::to_string(i) + " is " + kraken::book::levelText(l) + " expected " +
                   e.price + " " + e.qty;
        ++i;
    }
    if (book.isCrossed() != ref.crossed())
        return "crossed flag differs";
    const std::string input = ref.checksumInput();
    if (book.checksumInput() != input)
        return "checksum input " + book.checksumInput() + " expected " + input;
    if (book.checksum() != crc(input))
        return "checksum " + std::to_string(book.checksum()) + " expected " +
               std::to_string(crc(input));
    if (book.computeChecksum() != book.checksum())
        return "uncached checksum differs";
    return {};
}

} // namespace

class TestOrderBook : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void v2DocumentedChecksum();
    void v2FloatReprTrap();
    void v1DocumentedChecksum();
    void snapshotThenUpdates();
    void snapshotOrderDoesNotMatter();
    void repeatedPriceInOneMessage();
    void truncationDropsLevelsWithoutDeletes();
    void checksumSequence();
    void badPrecision_data();
    void badPrecision();
    void badPrecisionClearsWholeMessage();
    void exactConversions();
    void checksumDigits_data();
    void checksumDigits();
    void crossed();
    void snapshotCopies();
    void clearEmptiesBook();
    void constructorClamps();
    void windowDriftAndGrowth_data();
    void windowDriftAndGrowth();
    void randomDifferential_data();
    void randomDifferential();
};

// Kraken's WS v2 worked example: BTC/USD, price precision 1, qty precision 8.
void TestOrderBook::v2DocumentedChecksum() {
    QString error;
    const QJsonObject v = testsupport::readJsonObject(
        testsupport::vectorPath("spot_ws_v2_book_checksum.json"), &error);
    QVERIFY2(!v.isEmpty(), qPrintable(error));
    const QJsonObject expected = v.value(u"expected"_s).toObject();

    OrderBook book(v.value(u"symbol"_s).toString(), 10, v.value(u"price_precision"_s).toInt(),
                   v.value(u"qty_precision"_s).toInt());
    QCOMPARE(book.pricePrecision(), 1);
    QCOMPARE(book.qtyPrecision(), 8);
    const Levels bids = vectorLevels(v.value(u"bids_descending"_s).toArray());
    const Levels asks = vectorLevels(v.value(u"asks_ascending"_s).toArray());
    QCOMPARE(bids.size(), std::size_t(10));
    QCOMPARE(asks.size(), std::size_t(10));
    QCOMPARE(book.applySnapshot(bids, asks), ApplyStatus::Ok);

    const std::string asksString = expected.value(u"asks_string"_s).toString().toStdString();
    const std::string bidsString = expected.value(u"bids_string"_s).toString().toStdString();
    const std::string input = book.checksumInput();
    QCOMPARE(input.substr(0, asksString.size()), asksString);
    QCOMPARE(input.substr(asksString.size()), bidsString);
    QCOMPARE(quint64(book.checksum()), quint64(expected.value(u"crc32_unsigned"_s).toInteger()));
    QCOMPARE(quint64(book.checksum()), quint64(3310070434u));
}

// The documented trap: building the string from float repr ("0.1", "45281.0") gives
// 1604409348. The book formats at the instrument precision, so the same VALUES sent with the
// short wire text ("0.1" instead of "0.10000000") still give 3310070434.
void TestOrderBook::v2FloatReprTrap() {
    QString error;
    const QJsonObject v = testsupport::readJsonObject(
        testsupport::vectorPath("spot_ws_v2_book_checksum.json"), &error);
    QVERIFY2(!v.isEmpty(), qPrintable(error));
    const QJsonObject expected = v.value(u"expected"_s).toObject();
    const QJsonArray bidRows = v.value(u"bids_descending"_s).toArray();
    const QJsonArray askRows = v.value(u"asks_ascending"_s).toArray();

    // The wrong way, done here by hand to show the vector's value is what it produces.
    std::string wrong;
    for (const QJsonArray *rows : {&askRows, &bidRows}) {
        for (const LevelUpdate &l : vectorLevels(*rows))
            wrong += stripForChecksum(floatRepr(l.price)) + stripForChecksum(floatRepr(l.qty));
    }
    QCOMPARE(quint64(crc(wrong)),
             quint64(expected.value(u"crc32_if_float_repr_used_WRONG"_s).toInteger()));
    QCOMPARE(quint64(crc(wrong)), quint64(1604409348u));

    // The book, fed the float-repr TEXT (normalised decimals: scale 1 for "0.1"), is unaffected.
    const auto shortest = [](const Decimal &d) { return d.normalized(); };
    const Levels bids = vectorLevels(bidRows, shortest);
    const Levels asks = vectorLevels(askRows, shortest);
    QCOMPARE(bids.at(0).qty.scale(), 1);   // "0.1"
    QCOMPARE(bids.at(3).price.scale(), 0); // "45281"
    QCOMPARE(asks.at(0).qty.toStdString(), std::string("0.001"));
    OrderBook book(u"BTC/USD"_s, 10, 1, 8);
    QCOMPARE(book.applySnapshot(bids, asks), ApplyStatus::Ok);
    QCOMPARE(quint64(book.checksum()), quint64(3310070434u));
    QCOMPARE(book.checksumInput(), expected.value(u"asks_string"_s).toString().toStdString() +
                                       expected.value(u"bids_string"_s).toString().toStdString());

    // And padded beyond the precision ("0.1000000000", scale 10) is the same value too.
    const auto padded = [](const Decimal &d) { return *d.rescaled(10); };
    QCOMPARE(book.applySnapshot(vectorLevels(bidRows, padded), vectorLevels(askRows, padded)),
             ApplyStatus::Ok);
    QCOMPARE(quint64(book.checksum()), quint64(3310070434u));
}

// The v1 guide's example: precisions 5 and 8; "0.05005" prints "5005" (leading zeros go).
void TestOrderBook::v1DocumentedChecksum() {
    QString error;
    const QJsonObject v = testsupport::readJsonObject(
        testsupport::vectorPath("spot_ws_v1_book_checksum.json"), &error);
    QVERIFY2(!v.isEmpty(), qPrintable(error));
    const QJsonObject expected = v.value(u"expected"_s).toObject();

    OrderBook book(u"XBT/EUR"_s, 10, 5, 8);
    QCOMPARE(book.applySnapshot(vectorLevels(v.value(u"bids_descending"_s).toArray()),
                                vectorLevels(v.value(u"asks_ascending"_s).toArray())),
             ApplyStatus::Ok);
    QCOMPARE(book.checksumInput(), expected.value(u"checksum_input"_s).toString().toStdString());
    QCOMPARE(quint64(book.checksum()), quint64(expected.value(u"crc32_unsigned"_s).toInteger()));
    QCOMPARE(quint64(book.checksum()), quint64(974947235u));
    QVERIFY(book.checksumInput().starts_with("5005500"));
}

void TestOrderBook::snapshotThenUpdates() {
    OrderBook book(u"BTC/USD"_s, 10, 1, 8);
    QVERIFY(book.isEmpty());
    QCOMPARE(book.applySnapshot(Levels{lu("100.3", "1"), lu("100.1", "2"), lu("99.8", "3")},
                                Levels{lu("100.5", "4"), lu("100.7", "5"), lu("101", "6")}),
             ApplyStatus::Ok);
    QCOMPARE(book.sequence(), std::uint64_t(0));
    QCOMPARE(book.bidCount(), std::size_t(3));
    QCOMPARE(book.askCount(), std::size_t(3));
    QCOMPARE(book.bid(0), (Level{1003, 100000000}));
    QCOMPARE(book.bid(2), (Level{998, 300000000}));
    QCOMPARE(book.ask(0), (Level{1005, 400000000}));
    QCOMPARE(book.ask(2), (Level{1010, 600000000}));
    QCOMPARE(book.bid(3), Level{}); // past the end

    // Delete the best bid, modify the best ask, insert a new second ask.
    QCOMPARE(book.applyUpdate(Levels{lu("100.3", "0")},
                              Levels{lu("100.5", "0.5"), lu("100.6", "0.00000001")}),
             ApplyStatus::Ok);
    QCOMPARE(book.sequence(), std::uint64_t(1));
    QCOMPARE(book.bidCount(), std::size_t(2));
    QCOMPARE(book.bid(0), (Level{1001, 200000000}));
    QCOMPARE(book.askCount(), std::size_t(4));
    QCOMPARE(book.ask(0), (Level{1005, 50000000}));
    QCOMPARE(book.ask(1), (Level{1006, 1}));
    QCOMPARE(book.ask(2), (Level{1007, 500000000}));

    // Re-insert the deleted bid with a new qty; delete an absent level (no-op); delete the
    // worst ask.
    QCOMPARE(book.applyUpdate(Levels{lu("100.3", "7.5"), lu("100.2", "0")},
                              Levels{lu("101.0", "0.00000000")}),
             ApplyStatus::Ok);
    QCOMPARE(book.sequence(), std::uint64_t(2));
    QCOMPARE(book.bidCount(), std::size_t(3));
    QCOMPARE(book.bid(0), (Level{1003, 750000000}));
    QCOMPARE(book.bid(1), (Level{1001, 200000000}));
    QCOMPARE(book.askCount(), std::size_t(3));
    QCOMPARE(book.ask(2), (Level{1007, 500000000}));

    // An empty update changes nothing but counts as a message.
    const std::uint32_t before = book.checksum();
    QCOMPARE(book.applyUpdate({}, {}), ApplyStatus::Ok);
    QCOMPARE(book.sequence(), std::uint64_t(3));
    QCOMPARE(book.checksum(), before);

    // Delete everything on one side.
    QCOMPARE(book.applyUpdate({}, Levels{lu("100.5", "0"), lu("100.6", "0"), lu("100.7", "0")}),
             ApplyStatus::Ok);
    QCOMPARE(book.askCount(), std::size_t(0));
    QVERIFY(!book.isEmpty());
    QVERIFY(!book.isCrossed());

    // A new snapshot replaces everything and resets the sequence.
    QCOMPARE(book.applySnapshot(Levels{lu("50", "1")}, {}), ApplyStatus::Ok);
    QCOMPARE(book.sequence(), std::uint64_t(0));
    QCOMPARE(book.bidCount(), std::size_t(1));
    QCOMPARE(book.askCount(), std::size_t(0));
    QCOMPARE(book.bid(0), (Level{500, 100000000}));
}

// Kraken sends snapshots best first, but the book sorts whatever it gets.
void TestOrderBook::snapshotOrderDoesNotMatter() {
    OrderBook sorted(u"X"_s, 10, 1, 8);
    OrderBook shuffled(u"X"_s, 10, 1, 8);
    QCOMPARE(sorted.applySnapshot(Levels{lu("10.3", "1"), lu("10.2", "2"), lu("10.1", "3")},
                                  Levels{lu("10.4", "1"), lu("10.5", "2"), lu("10.6", "3")}),
             ApplyStatus::Ok);
    QCOMPARE(shuffled.applySnapshot(Levels{lu("10.1", "3"), lu("10.3", "1"), lu("10.2", "2")},
                                    Levels{lu("10.6", "3"), lu("10.4", "1"), lu("10.5", "2")}),
             ApplyStatus::Ok);
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(shuffled.bid(i), sorted.bid(i));
        QCOMPARE(shuffled.ask(i), sorted.ask(i));
    }
    QCOMPARE(shuffled.checksum(), sorted.checksum());
}

// Entries for the same price apply in array order.
void TestOrderBook::repeatedPriceInOneMessage() {
    OrderBook book(u"X"_s, 10, 1, 8);
    QCOMPARE(book.applySnapshot(Levels{lu("10.0", "1")}, Levels{lu("11.0", "1")}), ApplyStatus::Ok);

    // Insert then delete: gone.
    QCOMPARE(book.applyUpdate(Levels{lu("10.5", "2"), lu("10.5", "0")},
                              Levels{lu("10.6", "2"), lu("10.6", "0")}),
             ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(1));
    QCOMPARE(book.askCount(), std::size_t(1));

    // Delete then re-insert: present with the later qty.
    QCOMPARE(book.applyUpdate(Levels{lu("10.0", "0"), lu("10.0", "3")},
                              Levels{lu("11.0", "0"), lu("11.0", "4")}),
             ApplyStatus::Ok);
    QCOMPARE(book.bid(0), (Level{100, 300000000}));
    QCOMPARE(book.ask(0), (Level{110, 400000000}));

    // Two quantities: the last wins, whatever its text ("5" and "5.00000000" are equal).
    QCOMPARE(book.applyUpdate(Levels{lu("10.0", "9"), lu("10.0", "5")},
                              Levels{lu("11.0", "9"), lu("11.00", "5.00000000")}),
             ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(1));
    QCOMPARE(book.bid(0), (Level{100, 500000000}));
    QCOMPARE(book.askCount(), std::size_t(1));
    QCOMPARE(book.ask(0), (Level{110, 500000000}));
}

// Depth 10: an update that inserts better levels pushes the worst ones out. Kraken sends no
// delete for them, and they must not come back when better levels are deleted later.
void TestOrderBook::truncationDropsLevelsWithoutDeletes() {
    OrderBook book(u"X"_s, 10, 0, 0);
    Levels bids;
    Levels asks;
    for (int i = 0; i < 10; ++i) {
        bids.push_back(lu(std::to_string(100 - i), "1"));
        asks.push_back(lu(std::to_string(200 + i), "1"));
    }
    QCOMPARE(book.applySnapshot(bids, asks), ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(10));
    QCOMPARE(book.bid(9), (Level{91, 1}));

    QCOMPARE(book.applyUpdate(Levels{lu("101", "2"), lu("103", "2"), lu("102", "2")},
                              Levels{lu("199", "2")}),
             ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(10));
    QCOMPARE(book.askCount(), std::size_t(10));
    QCOMPARE(book.bid(0), (Level{103, 2}));
    QCOMPARE(book.bid(9), (Level{94, 1})); // 93, 92, 91 dropped
    QCOMPARE(book.ask(0), (Level{199, 2}));
    QCOMPARE(book.ask(9), (Level{208, 1})); // 209 dropped

    // Deleting the three new levels leaves 7 bids: 93..91 stay gone.
    QCOMPARE(book.applyUpdate(Levels{lu("101", "0"), lu("102", "0"), lu("103", "0")}, {}),
             ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(7));
    QCOMPARE(book.bid(6), (Level{94, 1}));
    // A late delete for a dropped level is a no-op.
    QCOMPARE(book.applyUpdate(Levels{lu("91", "0")}, Levels{lu("209", "0")}), ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(7));
    QCOMPARE(book.askCount(), std::size_t(10));

    // Kraken's refill: the delete of a top level and the new 10th level in one message, in
    // either order (the book only truncates once the whole message is applied).
    QCOMPARE(book.applyUpdate({}, Levels{lu("209", "3"), lu("199", "0")}), ApplyStatus::Ok);
    QCOMPARE(book.askCount(), std::size_t(10));
    QCOMPARE(book.ask(0), (Level{200, 1}));
    QCOMPARE(book.ask(9), (Level{209, 3}));

    // A snapshot deeper than the subscription is truncated too.
    Levels deep;
    for (int i = 0; i < 15; ++i)
        deep.push_back(lu(std::to_string(100 - i), "1"));
    QCOMPARE(book.applySnapshot(deep, {}), ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(10));
    QCOMPARE(book.bid(9), (Level{91, 1}));
}

// A recorded-shape sequence at depth 10. The expected CRCs were computed with python3 from the
// same levels, independently of this code:
//   from decimal import Decimal as D; import zlib
//   fmt = lambda v, p: f"{D(v):.{p}f}".replace(".", "").lstrip("0")
//   s = "".join(fmt(p, 1) + fmt(q, 8) for p, q in asks[:10] + bids[:10])  # best first
//   zlib.crc32(s.encode())
// with the book maintained in dicts and truncated to 10 after each message.
void TestOrderBook::checksumSequence() {
    OrderBook book(u"BTC/USD"_s, 10, 1, 8);
    RefBook ref(10, 1, 8);
    const Levels snapBids = {lu("64000.1", "0.50000000"), lu("64000.0", "1.2"),
                             lu("63999.5", "0.00010000"), lu("63999.4", "3"),
                             lu("63998.0", "0.75"),       lu("63997.9", "2.00000000"),
                             lu("63997.1", "0.1"),        lu("63996.0", "5.5"),
                             lu("63995.5", "0.02"),       lu("63990.0", "10")};
    const Levels snapAsks = {lu("64000.2", "1.25000000"), lu("64000.3", "0.4"),
                             lu("64000.9", "0.00000001"), lu("64001.0", "2"),
                             lu("64001.5", "0.3"),        lu("64002.0", "1.1"),
                             lu("64002.2", "0.66"),       lu("64003.0", "4"),
                             lu("64003.4", "0.05"),       lu("64005.0", "7.77")};
    QCOMPARE(book.applySnapshot(snapBids, snapAsks), ApplyStatus::Ok);
    QCOMPARE(ref.apply(true, snapBids, snapAsks), ApplyStatus::Ok);
    QCOMPARE(quint64(book.checksum()), quint64(3623962021u));
    QCOMPARE(book.checksumInput(), ref.checksumInput());

    struct Step {
        Levels bids;
        Levels asks;
        std::uint32_t crc;
        const char *what;
    };
    const std::vector<Step> steps = {
        {{lu("64000.1", "0.6")}, {}, 2579643691u, "qty change at the best bid"},
        {{lu("63999.9", "0.12345678")}, {}, 2611721995u, "new 2nd bid, 63990.0 drops out"},
        {{}, {lu("64000.2", "0")}, 2594793152u, "best ask deleted, 9 asks"},
        {{}, {lu("64005.5", "0.9")}, 609898905u, "10th ask refilled"},
        {{lu("63999.9", "1"), lu("63999.9", "0")}, {}, 1710969199u, "same price twice: gone"},
        {{lu("63990.0", "0")},
         {lu("64000.2", "0.00100000")},
         99590645u,
         "delete of a truncated bid is a no-op; ask back, 64005.5 drops out"},
        {{lu("64000.1", "0"), lu("63995.0", "0.4")},
         {lu("64003.0", "4.00000001")},
         3747703827u,
         "best bid deleted, new bid deep, ask qty change"},
    };
    for (const Step &s : steps) {
        const std::uint32_t before = book.checksum();
        QCOMPARE(book.applyUpdate(s.bids, s.asks), ApplyStatus::Ok);
        QCOMPARE(ref.apply(false, s.bids, s.asks), ApplyStatus::Ok);
        QVERIFY2(book.checksum() != before, s.what);
        QCOMPARE(quint64(book.checksum()), quint64(s.crc));
        QCOMPARE(quint64(crc(ref.checksumInput())), quint64(s.crc)); // the reference agrees
        QCOMPARE(book.checksumInput(), ref.checksumInput());
    }
    QCOMPARE(book.sequence(), std::uint64_t(steps.size()));
}

void TestOrderBook::badPrecision_data() {
    QTest::addColumn<int>("pricePrecision");
    QTest::addColumn<int>("qtyPrecision");
    QTest::addColumn<QByteArray>("price");
    QTest::addColumn<QByteArray>("qty");
    QTest::addColumn<bool>("ok");

    QTest::newRow("qty 9 places at 8") << 1 << 8 << "100.0"_ba
                                       << "0.123456789"_ba << false;
    QTest::newRow("qty 1 satoshi too fine") << 1 << 8 << "100.0"_ba
                                            << "0.000000001"_ba << false;
    QTest::newRow("qty trailing zeros ok") << 1 << 8 << "100.0"_ba
                                           << "0.1234567800"_ba << true;
    QTest::newRow("qty 18 places of zeros ok") << 1 << 8 << "100.0"_ba
                                               << "1.000000000000000000"_ba << true;
    QTest::newRow("price 2 places at 1") << 1 << 8 << "100.05"_ba
                                         << "1"_ba << false;
    QTest::newRow("price .10 ok") << 1 << 8 << "100.10"_ba
                                  << "1"_ba << true;
    QTest::newRow("price exponent ok") << 1 << 8 << "1.5e2"_ba
                                       << "1e-8"_ba << true;
    QTest::newRow("price exponent too fine") << 1 << 8 << "1.55e0"_ba
                                             << "1"_ba << false;
    QTest::newRow("negative qty") << 1 << 8 << "100.0"_ba
                                  << "-1"_ba << false;
    QTest::newRow("negative tiny qty") << 1 << 8 << "100.0"_ba
                                       << "-0.00000001"_ba << false;
    QTest::newRow("negative price") << 1 << 8 << "-100.0"_ba
                                    << "1"_ba << false;
    // 922337203685477581 * 10 does not fit an int64 mantissa at precision 1.
    QTest::newRow("price overflow") << 1 << 8 << "922337203685477581"_ba
                                    << "1"_ba << false;
    QTest::newRow("price at the limit") << 1 << 8 << "922337203685477580.7"_ba
                                        << "1"_ba << true;
    // 1e11 at 8 places is 1e19 > 9.22e18.
    QTest::newRow("qty overflow") << 1 << 8 << "100.0"_ba
                                  << "100000000000"_ba << false;
    QTest::newRow("qty overflow at 18") << 0 << 18 << "100"_ba
                                        << "10"_ba << false;
    QTest::newRow("qty 9.2 at 18 ok") << 0 << 18 << "100"_ba
                                      << "9.2"_ba << true;
    QTest::newRow("precision 0 integer ok") << 0 << 0 << "100"_ba
                                            << "3.000"_ba << true;
    QTest::newRow("precision 0 fraction") << 0 << 0 << "100"_ba
                                          << "3.5"_ba << false;
    // A zero quantity is a delete whatever its text, but its text must still be exact.
    QTest::newRow("delete with zeros ok") << 1 << 8 << "100.0"_ba
                                          << "0.0000000000"_ba << true;
}

// A bad value anywhere in a message is an error and leaves the book cleared, in snapshots and
// updates, on either side.
void TestOrderBook::badPrecision() {
    QFETCH(int, pricePrecision);
    QFETCH(int, qtyPrecision);
    QFETCH(QByteArray, price);
    QFETCH(QByteArray, qty);
    QFETCH(bool, ok);
    const LevelUpdate level{dec(price.toStdString()), dec(qty.toStdString())};
    const ApplyStatus expected = ok ? ApplyStatus::Ok : ApplyStatus::BadPrecision;

    for (int side = 0; side < 2; ++side) {
        const Levels one = {level};
        const Levels none;
        const Levels &bids = side == 0 ? one : none;
        const Levels &asks = side == 0 ? none : one;

        OrderBook book(u"X"_s, 10, pricePrecision, qtyPrecision);
        QCOMPARE(book.applySnapshot(bids, asks), expected);
        QCOMPARE(book.isEmpty(), !ok || level.qty.isZero());

        // A populated book: one level at price 1 on the same side (below every test price),
        // the other side empty so nothing can cross.
        OrderBook book2(u"X"_s, 10, pricePrecision, qtyPrecision);
        const Levels low = {lu("1", "1")};
        QCOMPARE(book2.applySnapshot(side == 0 ? low : none, side == 0 ? none : low),
                 ApplyStatus::Ok);
        QCOMPARE(book2.applyUpdate({}, {}), ApplyStatus::Ok);
        QCOMPARE(book2.applyUpdate(bids, asks), expected);
        if (!ok) {
            QVERIFY(book2.isEmpty());
            QCOMPARE(book2.sequence(), std::uint64_t(0));
            QCOMPARE(book2.checksum(), std::uint32_t(0));
        } else {
            QCOMPARE(book2.bidCount() + book2.askCount(), std::size_t(level.qty.isZero() ? 1 : 2));
        }
    }
}

// One bad level after good ones: nothing of the message survives, the book is cleared, and a
// fresh snapshot brings it back.
void TestOrderBook::badPrecisionClearsWholeMessage() {
    OrderBook book(u"X"_s, 10, 1, 8);
    QCOMPARE(book.applySnapshot(Levels{lu("10.0", "1")}, Levels{lu("11.0", "1")}), ApplyStatus::Ok);
    QCOMPARE(book.applyUpdate(Levels{lu("10.1", "1"), lu("10.2", "1")},
                              Levels{lu("11.1", "1"), lu("11.2", "0.123456789")}),
             ApplyStatus::BadPrecision);
    QVERIFY(book.isEmpty());
    QCOMPARE(book.bidCount(), std::size_t(0));
    QCOMPARE(book.checksumInput(), std::string());
    QCOMPARE(book.applySnapshot(Levels{lu("10.0", "1")}, Levels{lu("11.0", "1")}), ApplyStatus::Ok);
    QCOMPARE(book.bid(0), (Level{100, 100000000}));
    QCOMPARE(book.ask(0), (Level{110, 100000000}));
}

// Text of any scale converts to the same mantissa when it is exact.
void TestOrderBook::exactConversions() {
    OrderBook book(u"X"_s, 10, 5, 8);
    QCOMPARE(book.applySnapshot(Levels{lu("0.05", "1"), lu("0.04995000000", "0.1"),
                                       lu("4.99e-2", "0.100000000000000000")},
                                {}),
             ApplyStatus::Ok);
    QCOMPARE(book.bid(0), (Level{5000, 100000000}));
    QCOMPARE(book.bid(1), (Level{4995, 10000000}));
    QCOMPARE(book.bid(2), (Level{4990, 10000000}));
    QCOMPARE(book.checksumInput(), std::string("5000100000000499510000000499010000000"));

    // A zero price prints nothing, as Kraken's str.lstrip('0') leaves nothing of "000000".
    QCOMPARE(book.applySnapshot(Levels{lu("0", "1")}, Levels{lu("0.00001", "2")}), ApplyStatus::Ok);
    QCOMPARE(book.bid(0), (Level{0, 100000000}));
    QCOMPARE(book.checksumInput(), std::string("1200000000100000000"));
    QCOMPARE(book.ask(1), Level{}); // past the end
}

void TestOrderBook::checksumDigits_data() {
    QTest::addColumn<qint64>("value");
    for (const qint64 v :
         {qint64(1), qint64(7), qint64(10), qint64(99), qint64(100), qint64(1005), qint64(10000),
          qint64(12345678), qint64(99999999), qint64(100000000), qint64(100000001),
          qint64(123456789), qint64(1000000000), qint64(4528520000000), qint64(9999999999999999),
          qint64(10000000000000000), qint64(12345678901234567), qint64(9223372036854775807)})
        QTest::addRow("%lld", static_cast<long long>(v)) << v;
}

// Every digit count the formatter can meet, with zeros inside and at the end, up to int64 max:
// the checksum input holds exactly the decimal digits of each mantissa.
void TestOrderBook::checksumDigits() {
    QFETCH(qint64, value);
    const std::string text = std::to_string(value);
    OrderBook book(u"X"_s, 10, 0, 0);
    QCOMPARE(book.applySnapshot(Levels{lu(text, text), lu("0", "20")},
                                Levels{lu("9223372036854775807", text)}),
             value == 9223372036854775807 ? ApplyStatus::Crossed : ApplyStatus::Ok);
    QCOMPARE(book.checksumInput(), "9223372036854775807" + text + text + text + "20");
    QCOMPARE(quint64(book.checksum()), quint64(crc(book.checksumInput())));
}

void TestOrderBook::crossed() {
    OrderBook book(u"X"_s, 10, 1, 8);
    QCOMPARE(book.applySnapshot(Levels{lu("100.0", "1")}, Levels{lu("100.1", "1")}),
             ApplyStatus::Ok);
    QVERIFY(!book.isCrossed());

    // Bid equal to the ask: crossed; the message is applied and the book kept as it is.
    QCOMPARE(book.applyUpdate(Levels{lu("100.1", "2")}, {}), ApplyStatus::Crossed);
    QVERIFY(book.isCrossed());
    QCOMPARE(book.bid(0), (Level{1001, 200000000}));
    QCOMPARE(book.ask(0), (Level{1001, 100000000}));
    QCOMPARE(book.sequence(), std::uint64_t(1));

    // Bid through the ask.
    QCOMPARE(book.applyUpdate(Levels{lu("100.5", "1")}, {}), ApplyStatus::Crossed);
    // Removing the crossing levels uncrosses it.
    QCOMPARE(book.applyUpdate(Levels{lu("100.5", "0"), lu("100.1", "0")}, {}), ApplyStatus::Ok);
    QVERIFY(!book.isCrossed());
    // An ask below the bid.
    QCOMPARE(book.applyUpdate({}, Levels{lu("99.9", "1")}), ApplyStatus::Crossed);

    // A crossed snapshot is reported too; one side empty never counts as crossed.
    QCOMPARE(book.applySnapshot(Levels{lu("101", "1")}, Levels{lu("100", "1")}),
             ApplyStatus::Crossed);
    QCOMPARE(book.applySnapshot(Levels{lu("101", "1")}, {}), ApplyStatus::Ok);
    QVERIFY(!book.isCrossed());
}

// snapshot(n): the top n of each side, best first, with the book's checksum and sequence, as an
// immutable shared copy unaffected by later messages.
void TestOrderBook::snapshotCopies() {
    static_assert(std::is_same_v<decltype(std::declval<OrderBook &>().snapshot()),
                                 std::shared_ptr<const BookSnapshot>>);
    OrderBook book(u"ETH/EUR"_s, 25, 2, 8);
    Levels bids;
    Levels asks;
    for (int i = 0; i < 20; ++i) {
        bids.push_back(lu("30" + std::to_string(50 - i) + ".25", "0." + std::to_string(i + 1)));
        asks.push_back(lu("30" + std::to_string(60 + i) + ".75", std::to_string(i + 1)));
    }
    QCOMPARE(book.applySnapshot(bids, asks), ApplyStatus::Ok);
    QCOMPARE(book.applyUpdate(Levels{lu("3050.25", "0.5")}, {}), ApplyStatus::Ok);

    const std::shared_ptr<const BookSnapshot> top3 = book.snapshot(3);
    QCOMPARE(top3->symbol, u"ETH/EUR"_s);
    QCOMPARE(top3->pricePrecision, 2);
    QCOMPARE(top3->qtyPrecision, 8);
    QCOMPARE(top3->bids.size(), std::size_t(3));
    QCOMPARE(top3->asks.size(), std::size_t(3));
    QCOMPARE(top3->bids[0], (Level{305025, 50000000}));
    QCOMPARE(top3->bids[2], (Level{304825, 30000000}));
    QCOMPARE(top3->asks[0], (Level{306075, 100000000}));
    QCOMPARE(top3->asks[2], (Level{306275, 300000000}));
    QCOMPARE(top3->price(top3->bids[0]).toStdString(), std::string("3050.25"));
    QCOMPARE(top3->qty(top3->bids[0]).toStdString(), std::string("0.50000000"));
    QCOMPARE(top3->checksum, book.checksum()); // checksum covers the whole top 10, not 3
    QCOMPARE(top3->sequence, std::uint64_t(1));

    const auto all = book.snapshot();
    QCOMPARE(all->bids.size(), std::size_t(20));
    QCOMPARE(all->asks.size(), std::size_t(20));
    for (std::size_t i = 0; i < 20; ++i) {
        QCOMPARE(all->bids[i], book.bid(i));
        QCOMPARE(all->asks[i], book.ask(i));
    }
    QCOMPARE(book.snapshot(100)->bids.size(), std::size_t(20));
    QCOMPARE(book.snapshot(-1)->asks.size(), std::size_t(20));

    // Later messages leave earlier snapshots alone.
    const std::uint32_t oldChecksum = top3->checksum;
    QCOMPARE(book.applyUpdate(Levels{lu("3050.25", "0")}, Levels{lu("3060.75", "9")}),
             ApplyStatus::Ok);
    QCOMPARE(top3->bids[0], (Level{305025, 50000000}));
    QCOMPARE(top3->asks[0], (Level{306075, 100000000}));
    QCOMPARE(top3->checksum, oldChecksum);
    QCOMPARE(top3->sequence, std::uint64_t(1));
    const auto after = book.snapshot(3);
    QCOMPARE(after->bids[0], (Level{304925, 20000000}));
    QCOMPARE(after->asks[0], (Level{306075, 900000000}));
    QVERIFY(after->checksum != oldChecksum);
    QCOMPARE(after->sequence, std::uint64_t(2));

    book.clear();
    const auto empty = book.snapshot(5);
    QVERIFY(empty->bids.empty());
    QVERIFY(empty->asks.empty());
    QCOMPARE(all->bids.size(), std::size_t(20));
}

void TestOrderBook::clearEmptiesBook() {
    OrderBook book(u"X"_s, 10, 1, 8);
    QCOMPARE(book.applySnapshot(Levels{lu("10.0", "1")}, Levels{lu("11.0", "1")}), ApplyStatus::Ok);
    QCOMPARE(book.applyUpdate(Levels{lu("10.1", "1")}, {}), ApplyStatus::Ok);
    QVERIFY(book.checksum() != 0);
    book.clear();
    QVERIFY(book.isEmpty());
    QCOMPARE(book.bidCount(), std::size_t(0));
    QCOMPARE(book.askCount(), std::size_t(0));
    QCOMPARE(book.sequence(), std::uint64_t(0));
    QCOMPARE(book.checksumInput(), std::string());
    QCOMPARE(book.checksum(), std::uint32_t(0)); // CRC32 of the empty string
    QVERIFY(!book.isCrossed());
    QCOMPARE(book.bid(0), Level{});
    // Usable again; an update on a cleared book just inserts.
    QCOMPARE(book.applyUpdate(Levels{lu("10.0", "2")}, {}), ApplyStatus::Ok);
    QCOMPARE(book.bid(0), (Level{100, 200000000}));
}

void TestOrderBook::constructorClamps() {
    OrderBook book(u"X"_s, 0, -3, 40);
    QCOMPARE(book.depth(), 1);
    QCOMPARE(book.pricePrecision(), 0);
    QCOMPARE(book.qtyPrecision(), 18);
    QCOMPARE(book.applySnapshot(Levels{lu("3", "1"), lu("2", "1")}, {}), ApplyStatus::Ok);
    QCOMPARE(book.bidCount(), std::size_t(1));
    QCOMPARE(book.bid(0), (Level{3, 1000000000000000000}));
}

void TestOrderBook::windowDriftAndGrowth_data() {
    QTest::addColumn<int>("depth");
    QTest::newRow("depth 10") << 10;
    QTest::newRow("depth 1000") << 1000;
}

// Long one-way runs that a random walk rarely produces: the bids keep getting a new best level
// (the worst falls out each time), the asks keep losing their best level and getting a new
// worst one, and one huge message inserts far more levels than depth. The book's storage has to
// move its levels around and grow; the content must stay exact throughout.
void TestOrderBook::windowDriftAndGrowth() {
    QFETCH(int, depth);
    OrderBook book(u"D"_s, depth, 0, 0);
    RefBook ref(depth, 0, 0);
    const std::int64_t start = 1'000'000;
    Levels bids;
    Levels asks;
    for (int i = 0; i < depth; ++i) {
        bids.push_back(lu(std::to_string(start - i), std::to_string(i + 1)));
        asks.push_back(lu(std::to_string(10 * start + i), std::to_string(i + 1)));
    }
    QCOMPARE(book.applySnapshot(bids, asks), ApplyStatus::Ok);
    QCOMPARE(ref.apply(true, bids, asks), ApplyStatus::Ok);
    QCOMPARE(diff(book, ref), std::string());

    std::int64_t bestBid = start;
    std::int64_t bestAsk = 10 * start;
    std::int64_t worstAsk = 10 * start + depth - 1;
    for (int m = 0; m < 4 * depth + 200; ++m) {
        const Levels b = {lu(std::to_string(++bestBid), std::to_string(m + 1))};
        const Levels a = {lu(std::to_string(bestAsk++), "0"),
                          lu(std::to_string(++worstAsk), std::to_string(m + 1))};
        QCOMPARE(book.applyUpdate(b, a), ApplyStatus::Ok);
        QCOMPARE(ref.apply(false, b, a), ApplyStatus::Ok);
        const std::string d = diff(book, ref);
        QVERIFY2(d.empty(), qPrintable(QString::number(m) + u": "_s + QString::fromStdString(d)));
    }

    // One message with 5 * depth + 300 new levels on each side, in the worst order (each new
    // bid is the worst so far, each new ask the best so far), then deletes of half of them.
    Levels manyBids;
    Levels manyAsks;
    for (int i = 0; i < 5 * depth + 300; ++i) {
        manyBids.push_back(lu(std::to_string(bestBid - depth - i), "7"));
        manyAsks.push_back(lu(std::to_string(bestAsk - 1 - i), "7"));
    }
    QCOMPARE(book.applyUpdate(manyBids, manyAsks), ApplyStatus::Ok);
    QCOMPARE(ref.apply(false, manyBids, manyAsks), ApplyStatus::Ok);
    QCOMPARE(diff(book, ref), std::string());
    Levels deletes;
    for (std::size_t i = 0; i < manyAsks.size(); i += 2)
        deletes.push_back(LevelUpdate{manyAsks[i].price, Decimal()});
    QCOMPARE(book.applyUpdate({}, deletes), ApplyStatus::Ok);
    QCOMPARE(ref.apply(false, {}, deletes), ApplyStatus::Ok);
    QCOMPARE(diff(book, ref), std::string());
    // The levels truncated after the big message do not come back: half the top is left.
    QCOMPARE(book.askCount(), std::size_t(depth / 2));
}

void TestOrderBook::randomDifferential_data() {
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("pricePrecision");
    QTest::addColumn<int>("qtyPrecision");
    QTest::addColumn<int>("messages");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("depth 1000") << 1000 << 1 << 8 << 20000 << quint64(20240501);
    QTest::newRow("depth 100") << 100 << 2 << 6 << 10000 << quint64(7);
    QTest::newRow("depth 10") << 10 << 1 << 8 << 20000 << quint64(42);
    QTest::newRow("depth 25 prec 5/0") << 25 << 5 << 0 << 10000 << quint64(99);
}

// Random messages shaped like Kraken's (mostly near the top, deletes, deletes of absent levels,
// repeated prices, levels beyond depth, occasional big messages, crossings, bad precision and
// fresh snapshots), applied to the book and to the reference model; after every message the
// statuses, every level and the checksum must agree. Fixed seed: the run is reproducible.
void TestOrderBook::randomDifferential() {
    QFETCH(int, depth);
    QFETCH(int, pricePrecision);
    QFETCH(int, qtyPrecision);
    QFETCH(int, messages);
    QFETCH(quint64, seed);

    std::mt19937_64 rng(seed);
    const auto below = [&rng](std::uint64_t n) { return std::int64_t(rng() % n); };
    const std::int64_t mid = 1'000'000;
    const std::int64_t range = std::int64_t(depth) * 3 / 2 + 20;

    // A value at `precision`, sent with varied text: exact, trailing zeros trimmed, or padded.
    const auto wire = [&](std::int64_t mantissa, int precision) {
        const Decimal d = *Decimal::fromParts(mantissa, precision);
        switch (below(3)) {
        case 0:
            return d.normalized();
        case 1:
            if (precision + 2 <= Decimal::MaxScale && mantissa < 10'000'000'000'000'000)
                return *d.rescaled(precision + 2);
            return d;
        default:
            return d;
        }
    };
    const auto randomQty = [&]() -> std::int64_t {
        return 1 + below(below(4) == 0 ? 1'000'000'000'000 : 1000);
    };

    OrderBook book(u"R"_s, depth, pricePrecision, qtyPrecision);
    RefBook ref(depth, pricePrecision, qtyPrecision);
    bool needSnapshot = true;
    int crossedSeen = 0;
    int badSeen = 0;
    int snapshots = 0;
    for (int m = 0; m < messages; ++m) {
        Levels bids;
        Levels asks;
        const bool snapshot = needSnapshot || below(3000) == 0;
        if (snapshot) {
            const std::int64_t n = below(std::uint64_t(depth) + 10);
            for (std::int64_t i = 0; i < n; ++i) {
                bids.push_back({wire(mid - 1 - i - below(2), pricePrecision),
                                wire(randomQty(), qtyPrecision)});
                asks.push_back({wire(mid + 1 + i + below(2), pricePrecision),
                                wire(randomQty(), qtyPrecision)});
            }
        } else {
            const bool big = below(100) == 0;
            const std::int64_t count = big ? 50 + below(200) : 1 + below(3);
            for (std::int64_t i = 0; i < count; ++i) {
                const bool bid = below(2) == 0;
                const std::int64_t offset = below(10) < 7 ? below(8) : below(std::uint64_t(range));
                std::int64_t price = bid ? mid - 1 - offset : mid + 1 + offset;
                if (below(4000) == 0)
                    price = bid ? mid + 1 + below(3) : mid - 1 - below(3); // crosses
                std::int64_t qty = below(4) == 0 ? 0 : randomQty();
                LevelUpdate u{wire(price, pricePrecision), wire(qty, qtyPrecision)};
                if (below(8000) == 0)
                    u.qty = *Decimal::fromParts(qty * 10 + 1 + below(9),
                                                std::min(qtyPrecision + 1, Decimal::MaxScale));
                (bid ? bids : asks).push_back(u);
                if (below(20) == 0) // the same price again in this message
                    (bid ? bids : asks)
                        .push_back({u.price, wire(below(2) ? 0 : randomQty(), qtyPrecision)});
            }
        }
        const ApplyStatus expected = ref.apply(snapshot, bids, asks);
        const ApplyStatus got =
            snapshot ? book.applySnapshot(bids, asks) : book.applyUpdate(bids, asks);
        if (got != expected || !diff(book, ref).empty()) {
            const std::string d = diff(book, ref);
            QFAIL(qPrintable(u"message %1 (%2): status %3 expected %4; %5"_s.arg(m)
                                 .arg(snapshot ? u"snapshot"_s : u"update"_s)
                                 .arg(int(got))
                                 .arg(int(expected))
                                 .arg(QString::fromStdString(d))));
        }
        snapshots += snapshot ? 1 : 0;
        crossedSeen += expected == ApplyStatus::Crossed ? 1 : 0;
        badSeen += expected == ApplyStatus::BadPrecision ? 1 : 0;
        // As the feed would: resync from a snapshot after an error.
        needSnapshot = expected != ApplyStatus::Ok;
        QVERIFY(book.bidCount() <= std::size_t(depth));
        QVERIFY(book.askCount() <= std::size_t(depth));
    }
    // The run did exercise the unusual paths.
    QVERIFY(crossedSeen > 0);
    QVERIFY(badSeen > 0);
    QVERIFY(snapshots > 2);
    qDebug("%d messages: %d snapshots, %d crossed, %d bad precision", messages, snapshots,
           crossedSeen, badSeen);
}

QTEST_APPLESS_MAIN(TestOrderBook)
#include "tst_orderbook.moc"
