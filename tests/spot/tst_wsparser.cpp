// The Spot WebSocket v2 frame parser (wsparser.h) on fixtures in Kraken's documented shapes
// (tests/data/spot/ws/*.json, one frame per file), on malformed and hostile frames (each must
// give Kind::Error with a message naming what was wrong), and on a few thousand seeded random
// mutations of the fixtures, where the only demand is no crash and a self-consistent answer.

#include "kraken/spot/wsparser.h"
#include "spottestsupport.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot::ws;
using spottest::dec;
using Kind = WsParser::Kind;

namespace QTest {
template<> inline char *toString(const WsParser::Kind &kind) {
    static const char *const names[] = {"Error", "Unknown", "Method", "Heartbeat", "Status",
                                        "Book",  "Ticker",  "Trade",  "Ohlc",      "Instrument"};
    const auto i = static_cast<std::size_t>(kind);
    return qstrdup(i < std::size(names) ? names[i] : "?");
}
} // namespace QTest

// Every operator new in this process is counted, so a test can check that a stretch of code
// allocates nothing. The nothrow forms are replaced too so that sanitizers, which supply their
// own, never pair their new with this delete; the aligned forms are left alone (unused here).
namespace {
std::atomic<long> allocations{0};
}
void *operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}
void operator delete(void *p) noexcept {
    std::free(p);
}
void operator delete[](void *p) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
    std::free(p);
}

namespace {

const char *const fixtureNames[] = {
    "status.json",
    "heartbeat.json",
    "pong.json",
    "subscribe_ack.json",
    "subscribe_fail.json",
    "book_snapshot.json",
    "book_update.json",
    "ticker.json",
    "trade_snapshot.json",
    "ohlc_update.json",
    "instrument_snapshot.json",
    "instrument_update.json",
};

QByteArray fixture(const char *name) {
    QString error;
    const QByteArray bytes =
        spottest::readBytes(spottest::fixturePath((std::string("ws/") + name).c_str()), &error);
    if (bytes.isEmpty())
        QTest::qFail(qPrintable(u"fixture unusable: "_s + error), __FILE__, __LINE__);
    return bytes;
}

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

// Parses `frame` into Kind `expected`, printing the parser's error when it is not.
#define EXPECT_KIND(parser, frame, expected)                                                       \
    do {                                                                                           \
        const Kind kind_ = (parser).parse(frame);                                                  \
        if (kind_ != (expected))                                                                   \
            qWarning("parser error: %s", qPrintable((parser).error()));                            \
        QCOMPARE(kind_, expected);                                                                 \
    } while (false)

// Expects Kind::Error whose message contains every phrase given.
#define EXPECT_ERROR(parser, frame, ...)                                                           \
    do {                                                                                           \
        QCOMPARE((parser).parse(frame), Kind::Error);                                              \
        const QString error_ = (parser).error();                                                   \
        for (const QString &phrase_ : QStringList{__VA_ARGS__})                                    \
            QVERIFY2(error_.contains(phrase_),                                                     \
                     qPrintable(u"'"_s + phrase_ + u"' not in: "_s + error_));                     \
    } while (false)

class TestWsParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc3339_data();
    void rfc3339();
    void rfc3339Malformed_data();
    void rfc3339Malformed();

    void status();
    void heartbeat();
    void pong();
    void subscribeAck();
    void subscribeFailure();
    void errorWithoutMethod();
    void methodResultArray();
    void methodBadField();

    void bookSnapshot();
    void bookSnapshotMatchesVector();
    void bookUpdate();
    void bookSeveralEntries();
    void bookMissingChecksum();
    void bookDataBeforeChannel();
    void bookBadInputs_data();
    void bookBadInputs();
    void bookSteadyStateReusesBuffers();
    void bookSteadyStateAllocatesNothing();

    void ticker();
    void tradeSnapshot();
    void ohlcUpdate();
    void instrumentSnapshot();
    void instrumentUpdate();
    void instrumentAssetsOnly();
    void channelBadInputs_data();
    void channelBadInputs();

    void unknownChannel();
    void unknownFieldsIgnored();
    void malformedFrames_data();
    void malformedFrames();
    void oversizedFrame();
    void recoversAfterError();
    void randomMutations();
};

// --- RFC 3339 ---

void TestWsParser::rfc3339_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ns");
    // Expected values from Python, e.g.
    //   python3 -c 'import datetime as d;
    //   t=d.datetime.fromisoformat("2023-10-06T17:35:55.440295+00:00");
    //   e=d.datetime(1970,1,1,tzinfo=d.timezone.utc); x=t-e;
    //   print((x.days*86400+x.seconds)*10**9+x.microseconds*1000)'
    QTest::newRow("micro") << "2023-10-06T17:35:55.440295Z"_ba << Q_INT64_C(1696613755440295000);
    QTest::newRow("epoch") << "1970-01-01T00:00:00Z"_ba << Q_INT64_C(0);
    QTest::newRow("no fraction") << "2000-01-01T00:00:00Z"_ba << Q_INT64_C(946684800000000000);
    QTest::newRow("one digit") << "2024-05-01T10:00:00.1Z"_ba << Q_INT64_C(1714557600100000000);
    QTest::newRow("nano") << "2024-05-01T10:00:00.123456789Z"_ba << Q_INT64_C(1714557600123456789);
    QTest::newRow("ten digits truncated")
        << "2024-05-01T10:00:00.1234567899Z"_ba << Q_INT64_C(1714557600123456789);
    QTest::newRow("leap day") << "2024-02-29T00:00:00Z"_ba << Q_INT64_C(1709164800000000000);
    QTest::newRow("plus offset") << "2024-05-01T12:30:00.5+02:30"_ba
                                 << Q_INT64_C(1714557600500000000);
    QTest::newRow("minus offset") << "2024-05-01T07:00:00-03:00"_ba
                                  << Q_INT64_C(1714557600000000000);
    QTest::newRow("lower case") << "2024-05-01t10:00:00z"_ba << Q_INT64_C(1714557600000000000);
    QTest::newRow("before epoch") << "1969-12-31T23:59:59.9Z"_ba << Q_INT64_C(-100000000);
    // The ends of int64 nanoseconds: 2^63-1 and -2^63.
    QTest::newRow("max") << "2262-04-11T23:47:16.854775807Z"_ba
                         << std::numeric_limits<qint64>::max();
    QTest::newRow("min") << "1677-09-21T00:12:43.145224192Z"_ba
                         << std::numeric_limits<qint64>::min();
}

void TestWsParser::rfc3339() {
    QFETCH(QByteArray, text);
    QFETCH(qint64, ns);
    const auto got = parseRfc3339Ns(std::string_view(text.constData(), std::size_t(text.size())));
    QVERIFY(got.has_value());
    QCOMPARE(qint64(*got), ns);
}

void TestWsParser::rfc3339Malformed_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << ""_ba;
    QTest::newRow("date only") << "2024-05-01"_ba;
    QTest::newRow("no zone") << "2024-05-01T10:00:00"_ba;
    QTest::newRow("no zone, fraction") << "2024-05-01T10:00:00.123"_ba;
    QTest::newRow("space separator") << "2024-05-01 10:00:00Z"_ba;
    QTest::newRow("month 13") << "2024-13-01T10:00:00Z"_ba;
    QTest::newRow("month 0") << "2024-00-01T10:00:00Z"_ba;
    QTest::newRow("29 Feb, not leap") << "2023-02-29T00:00:00Z"_ba;
    QTest::newRow("31 Apr") << "2024-04-31T00:00:00Z"_ba;
    QTest::newRow("hour 24") << "2024-05-01T24:00:00Z"_ba;
    QTest::newRow("minute 60") << "2024-05-01T10:60:00Z"_ba;
    QTest::newRow("second 61") << "2024-05-01T10:00:61Z"_ba;
    QTest::newRow("empty fraction") << "2024-05-01T10:00:00.Z"_ba;
    QTest::newRow("offset without colon") << "2024-05-01T10:00:00+0200"_ba;
    QTest::newRow("offset hour 24") << "2024-05-01T10:00:00+24:00"_ba;
    QTest::newRow("short offset") << "2024-05-01T10:00:00+02"_ba;
    QTest::newRow("trailing") << "2024-05-01T10:00:00ZZ"_ba;
    QTest::newRow("trailing after offset") << "2024-05-01T10:00:00+02:00x"_ba;
    QTest::newRow("two-digit year") << "24-05-01T10:00:00Z"_ba;
    QTest::newRow("one-digit month") << "2024-5-01T10:00:00Z"_ba;
    QTest::newRow("signed year") << "+024-05-01T10:00:00Z"_ba;
    QTest::newRow("letters") << "abcd-ef-ghTij:kl:mnZ"_ba;
    QTest::newRow("past int64") << "2262-04-11T23:47:16.854775808Z"_ba;
    QTest::newRow("before int64") << "1677-09-21T00:12:43.145224191Z"_ba;
}

void TestWsParser::rfc3339Malformed() {
    QFETCH(QByteArray, text);
    QVERIFY(!parseRfc3339Ns(std::string_view(text.constData(), std::size_t(text.size()))));
}

// --- status, heartbeat, method responses ---

void TestWsParser::status() {
    WsParser p;
    EXPECT_KIND(p, fixture("status.json"), Kind::Status);
    QCOMPARE(p.status().system, u"online"_s);
    QCOMPARE(p.status().apiVersion, u"v2"_s);
    QCOMPARE(p.status().version, u"2.0.10"_s);
    // Beyond qint64: the id is unsigned 64-bit.
    QCOMPARE(p.status().connectionId, Q_UINT64_C(12893612948281931234));
    QVERIFY(p.error().isEmpty());
}

void TestWsParser::heartbeat() {
    WsParser p;
    EXPECT_KIND(p, fixture("heartbeat.json"), Kind::Heartbeat);
}

void TestWsParser::pong() {
    WsParser p;
    EXPECT_KIND(p, fixture("pong.json"), Kind::Method);
    const MethodResponse &m = p.method();
    QCOMPARE(m.method, u"pong"_s);
    QVERIFY(m.success); // no "success" in a pong: success unless an error came
    QVERIFY(m.error.isEmpty());
    QCOMPARE(m.reqId, std::optional<qint64>(7));
    QCOMPARE(qint64(m.timeInNs), Q_INT64_C(1714557600000001000));
    QCOMPARE(qint64(m.timeOutNs), Q_INT64_C(1714557600000201000));
    QVERIFY(m.result.isEmpty());
}

void TestWsParser::subscribeAck() {
    WsParser p;
    EXPECT_KIND(p, fixture("subscribe_ack.json"), Kind::Method);
    const MethodResponse &m = p.method();
    QCOMPARE(m.method, u"subscribe"_s);
    QVERIFY(m.success);
    QCOMPARE(m.reqId, std::optional<qint64>(11));
    QCOMPARE(m.channel, u"book"_s);
    QCOMPARE(m.symbol, u"BTC/USD"_s);
    QCOMPARE(m.result.value(u"depth"_s).toInt(), 10);
    QCOMPARE(m.result.value(u"snapshot"_s).toBool(), true);
    QVERIFY(m.result.value(u"warnings"_s).isArray());
    QCOMPARE(qint64(m.timeInNs), Q_INT64_C(1714557600000001000));
    QCOMPARE(qint64(m.timeOutNs), Q_INT64_C(1714557600000201000));
}

void TestWsParser::subscribeFailure() {
    WsParser p;
    // "error" comes before "method" in this frame: the fields are collected in any order.
    EXPECT_KIND(p, fixture("subscribe_fail.json"), Kind::Method);
    const MethodResponse &m = p.method();
    QCOMPARE(m.method, u"subscribe"_s);
    QVERIFY(!m.success);
    QCOMPARE(m.error, u"Currency pair not supported XBT/USDX"_s);
    QCOMPARE(m.symbol, u"XBT/USDX"_s);
    QCOMPARE(m.reqId, std::optional<qint64>(12));
    QVERIFY(m.channel.isEmpty());
    QVERIFY(m.result.isEmpty());
    QCOMPARE(qint64(m.timeInNs), Q_INT64_C(1714557601000001000));
    QCOMPARE(qint64(m.timeOutNs), Q_INT64_C(1714557601000050000));

    // A later response does not inherit anything from this one.
    EXPECT_KIND(p, fixture("pong.json"), Kind::Method);
    QVERIFY(p.method().error.isEmpty());
    QVERIFY(p.method().symbol.isEmpty());
    QVERIFY(p.method().success);
}

void TestWsParser::errorWithoutMethod() {
    WsParser p;
    EXPECT_KIND(p, R"({"error":"Malformed request","success":false,"req_id":3})"_ba, Kind::Method);
    QVERIFY(p.method().method.isEmpty());
    QVERIFY(!p.method().success);
    QCOMPARE(p.method().error, u"Malformed request"_s);
    QCOMPARE(p.method().reqId, std::optional<qint64>(3));
}

void TestWsParser::methodResultArray() {
    WsParser p;
    EXPECT_KIND(
        p,
        R"({"method":"batch_add","req_id":9,"result":[{"order_id":"OA"},{"order_id":"OB"}],)"
        R"("success":true,"time_in":"2024-05-01T10:00:00Z","time_out":"2024-05-01T10:00:00Z"})"_ba,
        Kind::Method);
    QCOMPARE(p.method().method, u"batch_add"_s);
    QVERIFY(p.method().result.isEmpty());
    QCOMPARE(p.method().resultArray.size(), 2);
    QCOMPARE(p.method().resultArray.at(1).toObject().value(u"order_id"_s).toString(), u"OB"_s);
}

void TestWsParser::methodBadField() {
    WsParser p;
    EXPECT_ERROR(p, R"({"method":"pong","req_id":"seven"})"_ba, u"req_id"_s, u"integer"_s);
    EXPECT_ERROR(p, R"({"method":"pong","time_in":"yesterday"})"_ba, u"time_in"_s);
    EXPECT_ERROR(p, R"({"method":"subscribe","success":"yes"})"_ba, u"success"_s);
    EXPECT_ERROR(p, R"({"method":7})"_ba, u"method"_s, u"string"_s);
}

// --- book ---

void TestWsParser::bookSnapshot() {
    WsParser p;
    EXPECT_KIND(p, fixture("book_snapshot.json"), Kind::Book);
    QVERIFY(p.bookSnapshot());
    QCOMPARE(p.bookEntries().size(), std::size_t(1));
    const BookEntry &e = p.bookEntries().front();
    QCOMPARE(text(e.symbol), u"BTC/USD"_s);
    QVERIFY(e.hasChecksum);
    QCOMPARE(e.checksum, 3310070434u);
    QCOMPARE(qint64(e.timestampNs), Q_INT64_C(1696613755440295000));
    QCOMPARE(e.bids.size(), std::size_t(10));
    QCOMPARE(e.asks.size(), std::size_t(10));
    // Value and scale as sent: 45281.0 keeps its ".0", 0.10000000 its eight places.
    QCOMPARE(e.bids[0].price.toString(), u"45283.5"_s);
    QCOMPARE(e.bids[0].qty.toString(), u"0.10000000"_s);
    QCOMPARE(e.bids[3].price.toString(), u"45281.0"_s);
    QCOMPARE(e.bids[3].price.scale(), 1);
    QCOMPARE(e.bids[3].qty.toString(), u"0.10000000"_s);
    QCOMPARE(e.bids[3].qty.scale(), 8);
    QCOMPARE(e.bids[9].price, dec("45276.6"));
    QCOMPARE(e.bids[9].qty.toString(), u"0.15445238"_s);
    QCOMPARE(e.asks[0].price.toString(), u"45285.2"_s);
    QCOMPARE(e.asks[0].qty.toString(), u"0.00100000"_s);
    QCOMPARE(e.asks[9].price.toString(), u"45299.5"_s);
    QCOMPARE(e.asks[9].qty.toString(), u"0.18772827"_s);
}

void TestWsParser::bookSnapshotMatchesVector() {
    // Every level of the documented checksum example, text for text.
    QString error;
    const QJsonObject v =
        spottest::readJsonObject(spottest::vectorPath("spot_ws_v2_book_checksum.json"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    WsParser p;
    EXPECT_KIND(p, fixture("book_snapshot.json"), Kind::Book);
    const BookEntry &e = p.bookEntries().front();
    const QJsonArray bids = v.value(u"bids_descending"_s).toArray();
    const QJsonArray asks = v.value(u"asks_ascending"_s).toArray();
    QCOMPARE(std::size_t(bids.size()), e.bids.size());
    QCOMPARE(std::size_t(asks.size()), e.asks.size());
    for (qsizetype i = 0; i < bids.size(); ++i) {
        QCOMPARE(e.bids[std::size_t(i)].price.toString(), bids[i].toArray().at(0).toString());
        QCOMPARE(e.bids[std::size_t(i)].qty.toString(), bids[i].toArray().at(1).toString());
    }
    for (qsizetype i = 0; i < asks.size(); ++i) {
        QCOMPARE(e.asks[std::size_t(i)].price.toString(), asks[i].toArray().at(0).toString());
        QCOMPARE(e.asks[std::size_t(i)].qty.toString(), asks[i].toArray().at(1).toString());
    }
    QCOMPARE(qint64(e.checksum),
             v.value(u"expected"_s).toObject().value(u"crc32_unsigned"_s).toInteger());
}

void TestWsParser::bookUpdate() {
    WsParser p;
    EXPECT_KIND(p, fixture("book_update.json"), Kind::Book);
    QVERIFY(!p.bookSnapshot());
    QCOMPARE(p.bookEntries().size(), std::size_t(1));
    const BookEntry &e = p.bookEntries().front();
    QCOMPARE(text(e.symbol), u"BTC/USD"_s);
    QCOMPARE(e.checksum, 1643095132u);
    QCOMPARE(qint64(e.timestampNs), Q_INT64_C(1696613755540295000));
    QCOMPARE(e.bids.size(), std::size_t(2));
    QCOMPARE(e.bids[0].price.toString(), u"45283.5"_s);
    QVERIFY(e.bids[0].qty.isZero()); // "qty":0 deletes the level
    QCOMPARE(e.bids[0].qty.toString(), u"0"_s);
    QCOMPARE(e.bids[1].price.toString(), u"45283.6"_s);
    QCOMPARE(e.bids[1].qty.toString(), u"0.50000000"_s);
    QCOMPARE(e.asks.size(), std::size_t(1));
    QVERIFY(e.asks[0].qty.isZero());
    QCOMPARE(e.asks[0].qty.toString(), u"0.00000000"_s);
}

void TestWsParser::bookSeveralEntries() {
    WsParser p;
    const QByteArray two =
        R"({"channel":"book","type":"update","data":[)"
        R"({"symbol":"BTC/USD","bids":[{"price":1.5,"qty":2}],"asks":[],"checksum":1,"timestamp":"2024-05-01T10:00:00Z"},)"
        R"({"symbol":"ETH/USD","bids":[],"asks":[{"price":3000.25,"qty":0.5},{"price":3000.5,"qty":1.0}],"checksum":4294967295,"timestamp":"2024-05-01T10:00:01Z"}]})"_ba;
    EXPECT_KIND(p, two, Kind::Book);
    QCOMPARE(p.bookEntries().size(), std::size_t(2));
    QCOMPARE(text(p.bookEntries()[0].symbol), u"BTC/USD"_s);
    QCOMPARE(p.bookEntries()[0].bids.size(), std::size_t(1));
    QVERIFY(p.bookEntries()[0].asks.empty());
    QCOMPARE(text(p.bookEntries()[1].symbol), u"ETH/USD"_s);
    QCOMPARE(p.bookEntries()[1].checksum, 4294967295u); // the largest 32-bit checksum
    QCOMPARE(p.bookEntries()[1].asks.size(), std::size_t(2));
    QCOMPARE(p.bookEntries()[1].asks[1].qty.toString(), u"1.0"_s);
    QCOMPARE(qint64(p.bookEntries()[1].timestampNs), Q_INT64_C(1714557601000000000));

    // Fewer entries next time: nothing of the earlier frame is left over.
    EXPECT_KIND(p, fixture("book_update.json"), Kind::Book);
    QCOMPARE(p.bookEntries().size(), std::size_t(1));
    QCOMPARE(p.bookEntries()[0].bids.size(), std::size_t(2));
    QCOMPARE(p.bookEntries()[0].asks.size(), std::size_t(1));
    EXPECT_KIND(p, two, Kind::Book);
    QCOMPARE(p.bookEntries().size(), std::size_t(2));
    QVERIFY(p.bookEntries()[1].bids.empty());
}

void TestWsParser::bookMissingChecksum() {
    // v2 always sends a checksum; its absence is reported (hasChecksum) rather than refused,
    // so the book engine decides: a frame is not thrown away for a field it may not need.
    WsParser p;
    EXPECT_KIND(
        p,
        R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1.0,"qty":1.0}]}]})"_ba,
        Kind::Book);
    const BookEntry &e = p.bookEntries().front();
    QVERIFY(!e.hasChecksum);
    QCOMPARE(e.checksum, 0u);
    QCOMPARE(qint64(e.timestampNs), Q_INT64_C(0));
    QVERIFY(e.asks.empty()); // a side left out is empty
    QCOMPARE(e.bids.size(), std::size_t(1));
}

void TestWsParser::bookDataBeforeChannel() {
    // Kraken puts "channel" first, but JSON objects are unordered.
    WsParser p;
    EXPECT_KIND(
        p,
        R"({"data":[{"checksum":7,"asks":[{"qty":0.25,"price":2.5}],"symbol":"BTC/USD"}],"type":"snapshot","channel":"book"})"_ba,
        Kind::Book);
    QVERIFY(p.bookSnapshot());
    QCOMPARE(text(p.bookEntries().front().symbol), u"BTC/USD"_s);
    QCOMPARE(p.bookEntries().front().checksum, 7u);
    QCOMPARE(p.bookEntries().front().asks[0].price.toString(), u"2.5"_s);
    QCOMPARE(p.bookEntries().front().asks[0].qty.toString(), u"0.25"_s);
}

void TestWsParser::bookBadInputs_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QStringList>("phrases");
    auto book = [](const char *entry) -> QByteArray {
        return R"({"channel":"book","type":"update","data":[)"_ba + entry + "]}";
    };
    QTest::newRow("string price")
        << book(
               R"({"symbol":"BTC/USD","bids":[{"price":"45283.5","qty":1.0}],"asks":[],"checksum":1})")
        << QStringList{u"book"_s, u"data[0].bids[0].price"_s, u"not a JSON number"_s};
    QTest::newRow("25 decimals")
        << book(
               R"({"symbol":"BTC/USD","bids":[],"asks":[{"price":1.0,"qty":0.1234567890123456789012345}],"checksum":1})")
        << QStringList{u"book"_s, u"data[0].asks[0].qty"_s, u"0.1234567890123456789012345"_s,
                       u"18 decimals"_s};
    QTest::newRow("mantissa overflow")
        << book(
               R"({"symbol":"BTC/USD","bids":[{"price":99999999999999999999,"qty":1}],"checksum":1})")
        << QStringList{u"data[0].bids[0].price"_s, u"cannot be held exactly"_s};
    QTest::newRow("leading zero")
        << book(R"({"symbol":"BTC/USD","bids":[{"price":01.5,"qty":1}],"checksum":1})")
        << QStringList{u"data[0].bids[0].price"_s, u"not a valid JSON number"_s};
    QTest::newRow("null qty")
        << book(R"({"symbol":"BTC/USD","bids":[{"price":1.5,"qty":null}],"checksum":1})")
        << QStringList{u"data[0].bids[0].qty"_s, u"null"_s};
    QTest::newRow("missing qty")
        << book(R"({"symbol":"BTC/USD","bids":[{"price":1.5},{"price":1.4}],"checksum":1})")
        << QStringList{u"data[0].bids[0].qty"_s, u"missing"_s};
    QTest::newRow("level not an object")
        << book(R"({"symbol":"BTC/USD","bids":[[1.5,2.0]],"checksum":1})")
        << QStringList{u"data[0].bids[0]"_s, u"not an object"_s};
    QTest::newRow("bids not an array")
        << book(R"({"symbol":"BTC/USD","bids":{"price":1.5,"qty":1},"checksum":1})")
        << QStringList{u"data[0].bids"_s, u"not an array"_s};
    QTest::newRow("missing symbol") << book(R"({"bids":[],"asks":[],"checksum":1})")
                                    << QStringList{u"book"_s, u"data[0].symbol"_s, u"missing"_s};
    QTest::newRow("empty symbol") << book(R"({"symbol":"","bids":[],"asks":[],"checksum":1})")
                                  << QStringList{u"data[0].symbol"_s, u"empty"_s};
    QTest::newRow("numeric symbol") << book(R"({"symbol":42,"bids":[],"asks":[],"checksum":1})")
                                    << QStringList{u"data[0].symbol"_s, u"not a string"_s};
    QTest::newRow("checksum beyond 32 bits")
        << book(R"({"symbol":"BTC/USD","bids":[],"asks":[],"checksum":4294967296})")
        << QStringList{u"data[0].checksum"_s, u"32-bit"_s};
    QTest::newRow("negative checksum")
        << book(R"({"symbol":"BTC/USD","bids":[],"asks":[],"checksum":-1})")
        << QStringList{u"data[0].checksum"_s, u"32-bit"_s};
    QTest::newRow("string checksum")
        << book(R"({"symbol":"BTC/USD","bids":[],"asks":[],"checksum":"3310070434"})")
        << QStringList{u"data[0].checksum"_s};
    QTest::newRow("bad timestamp")
        << book(
               R"({"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1,"timestamp":"2023-10-06 17:35:55Z"})")
        << QStringList{u"data[0].timestamp"_s, u"RFC 3339"_s};
    QTest::newRow("second entry bad")
        << book(
               R"({"symbol":"BTC/USD","checksum":1},{"symbol":"ETH/USD","asks":[{"price":1,"qty":true}]})")
        << QStringList{u"data[1].asks[0].qty"_s};
    QTest::newRow("data not an array")
        << R"({"channel":"book","type":"update","data":{"symbol":"BTC/USD"}})"_ba
        << QStringList{u"book"_s, u"data"_s, u"not an array"_s};
    QTest::newRow("no data") << R"({"channel":"book","type":"update"})"_ba
                             << QStringList{u"book"_s, u"data"_s, u"missing"_s};
    QTest::newRow("truncated inside a level")
        << R"({"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.1)"_ba
        << QStringList{u"invalid JSON"_s};
}

void TestWsParser::bookBadInputs() {
    QFETCH(QByteArray, frame);
    QFETCH(QStringList, phrases);
    WsParser p;
    QCOMPARE(p.parse(frame), Kind::Error);
    for (const QString &phrase : phrases)
        QVERIFY2(p.error().contains(phrase),
                 qPrintable(u"'"_s + phrase + u"' not in: "_s + p.error()));
}

void TestWsParser::bookSteadyStateReusesBuffers() {
    // Capacity and storage that stay put over many frames are the observable side of "no
    // allocation per frame once warm" (the benchmark measures the rest).
    WsParser p;
    const QByteArray snapshot = fixture("book_snapshot.json");
    const QByteArray update = fixture("book_update.json");
    for (int i = 0; i < 3; ++i) {
        EXPECT_KIND(p, snapshot, Kind::Book);
        EXPECT_KIND(p, update, Kind::Book);
    }
    EXPECT_KIND(p, snapshot, Kind::Book);
    const BookEntry *entries = p.bookEntries().data();
    const std::size_t bidCapacity = p.bookEntries().front().bids.capacity();
    const book::LevelUpdate *bids = p.bookEntries().front().bids.data();
    const std::size_t askCapacity = p.bookEntries().front().asks.capacity();
    for (int i = 0; i < 1000; ++i) {
        QCOMPARE(p.parse(i % 2 ? update : snapshot), Kind::Book);
        QCOMPARE(p.bookEntries().data(), entries);
        QCOMPARE(p.bookEntries().front().bids.capacity(), bidCapacity);
        QCOMPARE(p.bookEntries().front().bids.data(), bids);
        QCOMPARE(p.bookEntries().front().asks.capacity(), askCapacity);
    }
    QCOMPARE(text(p.bookEntries().front().symbol), u"BTC/USD"_s);
}

void TestWsParser::bookSteadyStateAllocatesNothing() {
    WsParser p;
    const QByteArray snapshot = fixture("book_snapshot.json");
    const QByteArray update = fixture("book_update.json");
    // Also the rewind path, and a two-entry frame followed by one-entry frames.
    const QByteArray reordered =
        R"({"data":[{"checksum":7,"asks":[{"qty":0.25,"price":2.5}],"symbol":"BTC/USD","timestamp":"2024-05-01T10:00:00.5Z"}],"channel":"book","type":"update"})"_ba;
    const QByteArray two =
        R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1.5,"qty":2}],"checksum":1},{"symbol":"ETH/USD","asks":[{"price":3000.25,"qty":0.5}],"checksum":2}]})"_ba;
    const QByteArray *frames[] = {&snapshot, &update, &reordered, &two};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(p.parse(*frames[i % 4]), Kind::Book);

    int books = 0;
    const long before = allocations.load();
    for (int i = 0; i < 1000; ++i)
        books += p.parse(*frames[i % 4]) == Kind::Book;
    const long allocated = allocations.load() - before;
    QCOMPARE(books, 1000);
    QCOMPARE(allocated, 0L);
}

// --- ticker, trade, ohlc, instrument ---

void TestWsParser::ticker() {
    WsParser p;
    EXPECT_KIND(p, fixture("ticker.json"), Kind::Ticker);
    QCOMPARE(p.tickers().size(), std::size_t(1));
    const TickerEvent &t = p.tickers().front();
    QCOMPARE(t.symbol, u"BTC/USD"_s);
    QCOMPARE(t.bid.toString(), u"64000.1"_s);
    QCOMPARE(t.bidQty.toString(), u"0.50000000"_s);
    QCOMPARE(t.ask.toString(), u"64000.2"_s);
    QCOMPARE(t.askQty.toString(), u"1.25000000"_s);
    QCOMPARE(t.last.toString(), u"64000.1"_s);
    QCOMPARE(t.volume.toString(), u"1234.56789012"_s);
    QCOMPARE(t.vwap.toString(), u"63500.4"_s);
    QCOMPARE(t.low.toString(), u"62000.0"_s);
    QCOMPARE(t.high.toString(), u"65000.9"_s);
    QCOMPARE(t.change.toString(), u"1500.3"_s);
    QCOMPARE(t.changePct.toString(), u"2.40"_s);
    QCOMPARE(qint64(t.timestampNs), Q_INT64_C(1714557600123456000));

    // Exponent notation is still exact, and negative changes keep their sign.
    EXPECT_KIND(
        p,
        R"({"channel":"ticker","type":"update","data":[{"symbol":"DOGE/USD","bid":1.5E-1,"bid_qty":1e3,"ask":0.16,"ask_qty":2,"last":0.155,"volume":1E+6,"vwap":0.15,"low":0.14,"high":0.17,"change":-0.005,"change_pct":-3.12}]})"_ba,
        Kind::Ticker);
    const TickerEvent &d = p.tickers().front();
    QCOMPARE(d.bid, dec("0.15"));
    QCOMPARE(d.bidQty, dec("1000"));
    QCOMPARE(d.volume, dec("1000000"));
    QCOMPARE(d.change.toString(), u"-0.005"_s);
    QCOMPARE(qint64(d.timestampNs), Q_INT64_C(0)); // absent
}

void TestWsParser::tradeSnapshot() {
    WsParser p;
    EXPECT_KIND(p, fixture("trade_snapshot.json"), Kind::Trade);
    QVERIFY(p.tradeSnapshot());
    QCOMPARE(p.trades().size(), std::size_t(2));
    const TradeEvent &a = p.trades()[0];
    QCOMPARE(a.symbol, u"BTC/USD"_s);
    QVERIFY(!a.buy);
    QVERIFY(a.market);
    QCOMPARE(a.price.toString(), u"64000.1"_s);
    QCOMPARE(a.qty.toString(), u"0.00500000"_s);
    QCOMPARE(a.tradeId, Q_INT64_C(71234567));
    QCOMPARE(qint64(a.timestampNs), Q_INT64_C(1714557600100000000));
    const TradeEvent &b = p.trades()[1];
    QVERIFY(b.buy);
    QVERIFY(!b.market);
    QCOMPARE(b.price.toString(), u"64000.2"_s);
    QCOMPARE(b.qty.toString(), u"0.12345678"_s);
    QCOMPARE(b.tradeId, Q_INT64_C(71234568));
    QCOMPARE(qint64(b.timestampNs), Q_INT64_C(1714557600200000000));
}

void TestWsParser::ohlcUpdate() {
    WsParser p;
    EXPECT_KIND(p, fixture("ohlc_update.json"), Kind::Ohlc);
    QVERIFY(!p.ohlcSnapshot());
    QCOMPARE(p.candles().size(), std::size_t(1));
    const OhlcEvent &c = p.candles().front();
    QCOMPARE(c.symbol, u"BTC/USD"_s);
    QCOMPARE(c.open.toString(), u"64000.0"_s);
    QCOMPARE(c.high.toString(), u"64100.5"_s);
    QCOMPARE(c.low.toString(), u"63950.1"_s);
    QCOMPARE(c.close.toString(), u"64050.2"_s);
    QCOMPARE(c.vwap.toString(), u"64025.7"_s);
    QCOMPARE(c.volume.toString(), u"3.14159265"_s);
    QCOMPARE(c.trades, Q_INT64_C(42));
    QCOMPARE(c.intervalMinutes, 5);
    QCOMPARE(qint64(c.intervalBeginNs), Q_INT64_C(1714557600000000000));
    QCOMPARE(qint64(c.timestampNs), Q_INT64_C(1714557792345678000));
}

void TestWsParser::instrumentSnapshot() {
    WsParser p;
    EXPECT_KIND(p, fixture("instrument_snapshot.json"), Kind::Instrument);
    const InstrumentEvent &ev = p.instruments();
    QVERIFY(ev.snapshot);
    QCOMPARE(ev.pairs.size(), std::size_t(2));
    const InstrumentPairInfo &btc = ev.pairs[0];
    QCOMPARE(btc.symbol, u"BTC/USD"_s);
    QCOMPARE(btc.base, u"BTC"_s);
    QCOMPARE(btc.quote, u"USD"_s);
    QCOMPARE(btc.status, u"online"_s);
    QCOMPARE(btc.pricePrecision, 1);
    QCOMPARE(btc.qtyPrecision, 8);
    QCOMPARE(btc.costPrecision, 5);
    QCOMPARE(btc.priceIncrement.toString(), u"0.1"_s);
    QCOMPARE(btc.qtyIncrement.toString(), u"0.00000001"_s);
    QCOMPARE(btc.qtyMin.toString(), u"0.0001"_s);
    QCOMPARE(btc.costMin.toString(), u"0.5"_s);
    QVERIFY(btc.marginable);
    const InstrumentPairInfo &eth = ev.pairs[1];
    QCOMPARE(eth.symbol, u"ETH/BTC"_s);
    QCOMPARE(eth.base, u"ETH"_s);
    QCOMPARE(eth.quote, u"BTC"_s);
    QCOMPARE(eth.pricePrecision, 5);
    QCOMPARE(eth.qtyPrecision, 8);
    QCOMPARE(eth.costPrecision, 10);
    QCOMPARE(eth.priceIncrement.toString(), u"0.00001"_s);
    QCOMPARE(eth.qtyMin.toString(), u"0.002"_s);
    QCOMPARE(eth.costMin.toString(), u"0.00002"_s);
    QVERIFY(!eth.marginable);
}

void TestWsParser::instrumentUpdate() {
    WsParser p;
    EXPECT_KIND(p, fixture("instrument_snapshot.json"), Kind::Instrument);
    EXPECT_KIND(p, fixture("instrument_update.json"), Kind::Instrument);
    QVERIFY(!p.instruments().snapshot);
    QCOMPARE(p.instruments().pairs.size(), std::size_t(1));
    QCOMPARE(p.instruments().pairs[0].symbol, u"ETH/BTC"_s);
    QCOMPARE(p.instruments().pairs[0].status, u"cancel_only"_s);
}

void TestWsParser::instrumentAssetsOnly() {
    WsParser p;
    EXPECT_KIND(
        p,
        R"({"channel":"instrument","type":"update","data":{"assets":[{"id":"BTC","status":"enabled","precision":10}]}})"_ba,
        Kind::Instrument);
    QVERIFY(p.instruments().pairs.empty());
}

void TestWsParser::channelBadInputs_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QStringList>("phrases");
    QTest::newRow("ticker missing bid")
        << R"({"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid_qty":1,"ask":1,"ask_qty":1,"last":1,"volume":1,"vwap":1,"low":1,"high":1,"change":1,"change_pct":1}]})"_ba
        << QStringList{u"ticker"_s, u"data[0].bid"_s, u"missing"_s};
    QTest::newRow("ticker string last")
        << R"({"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","last":"1.0"}]})"_ba
        << QStringList{u"ticker"_s, u"data[0].last"_s, u"not a JSON number"_s};
    QTest::newRow("trade bad side")
        << R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"long","price":1,"qty":1,"ord_type":"limit","trade_id":1,"timestamp":"2024-05-01T10:00:00Z"}]})"_ba
        << QStringList{u"trade"_s, u"data[0].side"_s, u"long"_s};
    QTest::newRow("trade fractional id")
        << R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":1,"ord_type":"limit","trade_id":1.5,"timestamp":"2024-05-01T10:00:00Z"}]})"_ba
        << QStringList{u"trade"_s, u"data[0].trade_id"_s};
    QTest::newRow("trade missing timestamp")
        << R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":1,"ord_type":"limit","trade_id":1}]})"_ba
        << QStringList{u"trade"_s, u"data[0].timestamp"_s, u"missing"_s};
    QTest::newRow("ohlc bad interval_begin")
        << R"({"channel":"ohlc","type":"update","data":[{"symbol":"BTC/USD","open":1,"high":1,"low":1,"close":1,"vwap":1,"trades":1,"volume":1,"interval_begin":"soon","interval":5}]})"_ba
        << QStringList{u"ohlc"_s, u"data[0].interval_begin"_s, u"RFC 3339"_s};
    QTest::newRow("ohlc negative interval")
        << R"({"channel":"ohlc","type":"update","data":[{"symbol":"BTC/USD","interval":-5}]})"_ba
        << QStringList{u"ohlc"_s, u"data[0].interval"_s};
    QTest::newRow("instrument data is an array")
        << R"({"channel":"instrument","type":"snapshot","data":[{"pairs":[]}]})"_ba
        << QStringList{u"instrument"_s, u"data"_s, u"not an object"_s};
    QTest::newRow("instrument string precision")
        << R"({"channel":"instrument","type":"snapshot","data":{"pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","price_precision":"1"}]}})"_ba
        << QStringList{u"instrument"_s, u"data.pairs[0].price_precision"_s};
    QTest::newRow("instrument missing qty_min")
        << R"({"channel":"instrument","type":"snapshot","data":{"pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","price_precision":1,"qty_precision":8,"price_increment":0.1,"qty_increment":0.00000001}]}})"_ba
        << QStringList{u"instrument"_s, u"data.pairs[0].qty_min"_s, u"missing"_s};
    QTest::newRow("status without system")
        << R"({"channel":"status","type":"update","data":[{"api_version":"v2"}]})"_ba
        << QStringList{u"status"_s, u"data[0].system"_s, u"missing"_s};
    QTest::newRow("status empty data") << R"({"channel":"status","type":"update","data":[]})"_ba
                                       << QStringList{u"status"_s, u"data"_s, u"empty"_s};
    QTest::newRow("channel not a string")
        << R"({"channel":["book"],"data":[]})"_ba << QStringList{u"channel"_s, u"not a string"_s};
    QTest::newRow("channel twice") << R"({"channel":"book","data":[],"channel":"ticker"})"_ba
                                   << QStringList{u"channel"_s, u"twice"_s};
}

void TestWsParser::channelBadInputs() {
    QFETCH(QByteArray, frame);
    QFETCH(QStringList, phrases);
    WsParser p;
    QCOMPARE(p.parse(frame), Kind::Error);
    for (const QString &phrase : phrases)
        QVERIFY2(p.error().contains(phrase),
                 qPrintable(u"'"_s + phrase + u"' not in: "_s + p.error()));
}

// --- everything else ---

void TestWsParser::unknownChannel() {
    WsParser p;
    EXPECT_KIND(p, R"({"channel":"level3","type":"snapshot","data":[{"symbol":"BTC/USD"}]})"_ba,
                Kind::Unknown);
    QCOMPARE(p.unknownName(), u"level3"_s);
    QVERIFY(p.error().isEmpty());
    // Neither channel nor method: unknown, without a name.
    EXPECT_KIND(p, R"({"hello":"world"})"_ba, Kind::Unknown);
    QVERIFY(p.unknownName().isEmpty());
    EXPECT_KIND(p, "{}"_ba, Kind::Unknown);
}

void TestWsParser::unknownFieldsIgnored() {
    WsParser p;
    EXPECT_KIND(
        p,
        R"({"channel":"book","x_top":{"deep":[1,{"a":[]}]},"type":"snapshot","data":[{"symbol":"BTC/USD","x_entry":"s","bids":[{"price":45283.5,"x_level":[true,null],"qty":0.10000000,"x_more":{"price":"not me"}}],"asks":[],"checksum":3310070434,"x_after":1.23456789012345678901234}],"sequence":5})"_ba,
        Kind::Book);
    const BookEntry &e = p.bookEntries().front();
    QCOMPARE(text(e.symbol), u"BTC/USD"_s);
    QCOMPARE(e.bids.size(), std::size_t(1));
    QCOMPARE(e.bids[0].price.toString(), u"45283.5"_s);
    QCOMPARE(e.bids[0].qty.toString(), u"0.10000000"_s);
    QCOMPARE(e.checksum, 3310070434u);

    EXPECT_KIND(
        p,
        R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":2,"ord_type":"limit","trade_id":3,"timestamp":"2024-05-01T10:00:00Z","x_new":{"a":1}}]})"_ba,
        Kind::Trade);
    QCOMPARE(p.trades().front().tradeId, Q_INT64_C(3));
}

void TestWsParser::malformedFrames_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QStringList>("phrases");
    QTest::newRow("empty") << QByteArray() << QStringList{u"empty"_s};
    QTest::newRow("blank") << "  \r\n\t"_ba << QStringList{u"blank"_s};
    QTest::newRow("[]") << "[]"_ba << QStringList{u"not a JSON object"_s, u"array"_s};
    QTest::newRow("null") << "null"_ba << QStringList{u"not a JSON object"_s, u"null"_s};
    QTest::newRow("number") << "42"_ba << QStringList{u"not a JSON object"_s};
    QTest::newRow("string") << R"("channel")"_ba << QStringList{u"not a JSON object"_s};
    QTest::newRow("html")
        << "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"_ba
        << QStringList{u"not JSON"_s, u"starts with '<'"_s, u"502 Bad Gateway"_s};
    QTest::newRow("plain text") << "Service Unavailable"_ba
                                << QStringList{u"not JSON"_s, u"starts with 'S'"_s};
    QTest::newRow("binary") << QByteArray("\x01\x02\x03", 3) << QStringList{u"not JSON"_s};
    QTest::newRow("truncated object")
        << R"({"channel":"book","type":"snap)"_ba << QStringList{u"invalid JSON"_s};
    QTest::newRow("truncated after key") << R"({"channel":)"_ba << QStringList{u"invalid JSON"_s};
    QTest::newRow("open brace") << "{"_ba << QStringList{u"invalid JSON"_s};
    QTest::newRow("unbalanced") << R"({"channel":"heartbeat"]})"_ba
                                << QStringList{u"invalid JSON"_s};
    QTest::newRow("two objects") << R"({"channel":"heartbeat"}{"channel":"heartbeat"})"_ba
                                 << QStringList{u"invalid JSON"_s, u"after the top-level"_s};
    QTest::newRow("trailing garbage")
        << R"({"channel":"heartbeat"} x)"_ba << QStringList{u"invalid JSON"_s};
    QTest::newRow("bad utf-8") << QByteArray("{\"channel\":\"\xff\xfe\"}")
                               << QStringList{u"JSON"_s};
    QTest::newRow("nul inside") << QByteArray("{\"channel\":\0\"book\"}", 19)
                                << QStringList{u"channel"_s};
}

void TestWsParser::malformedFrames() {
    QFETCH(QByteArray, frame);
    QFETCH(QStringList, phrases);
    WsParser p;
    QCOMPARE(p.parse(frame), Kind::Error);
    for (const QString &phrase : phrases)
        QVERIFY2(p.error().contains(phrase),
                 qPrintable(u"'"_s + phrase + u"' not in: "_s + p.error()));
}

void TestWsParser::oversizedFrame() {
    // 10 MiB of otherwise valid JSON: refused by size alone.
    QByteArray big = R"({"channel":"heartbeat","pad":")"_ba;
    big.append(QByteArray(10 * 1024 * 1024 - big.size() - 2, 'x'));
    big.append("\"}");
    QCOMPARE(big.size(), qsizetype(10 * 1024 * 1024));
    WsParser p;
    EXPECT_ERROR(p, big, u"10485760"_s, u"limit"_s);
    // One at the limit is parsed.
    QByteArray atLimit = R"({"channel":"heartbeat","pad":")"_ba;
    atLimit.append(QByteArray(WsParser::MaxFrameBytes - atLimit.size() - 2, 'x'));
    atLimit.append("\"}");
    EXPECT_KIND(p, atLimit, Kind::Heartbeat);
}

void TestWsParser::recoversAfterError() {
    WsParser p;
    EXPECT_KIND(p, fixture("book_snapshot.json"), Kind::Book);
    EXPECT_ERROR(p, "<html>"_ba, u"not JSON"_s);
    EXPECT_ERROR(p, R"({"channel":"book","data":[{"symbol":"BTC/USD","bids":[{"price":"x")"_ba,
                 u"JSON"_s);
    EXPECT_KIND(p, fixture("book_update.json"), Kind::Book);
    QVERIFY(p.error().isEmpty());
    QCOMPARE(text(p.bookEntries().front().symbol), u"BTC/USD"_s);
    QCOMPARE(p.bookEntries().front().checksum, 1643095132u);
}

void TestWsParser::randomMutations() {
    std::vector<QByteArray> seeds;
    for (const char *name : fixtureNames)
        seeds.push_back(fixture(name));
    std::mt19937 rng(20240501u); // fixed: a failure reproduces
    auto pick = [&rng](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    static const char interesting[] = "{}[]\":,-.0123456789eE\\ tfn\xff";

    WsParser p;
    int counts[10] = {};
    for (int round = 0; round < 2000; ++round) {
        QByteArray f = seeds[pick(seeds.size())];
        const int mutations = pick(4) == 0 ? 2 : 1;
        for (int m = 0; m < mutations && !f.isEmpty(); ++m) {
            const auto at = qsizetype(pick(std::size_t(f.size())));
            switch (pick(5)) {
            case 0: // truncate
                f.truncate(at);
                break;
            case 1: // flip a bit
                f[at] = char(f[at] ^ char(1 << pick(8)));
                break;
            case 2: // a structurally interesting byte
                f[at] = interesting[pick(sizeof(interesting) - 1)];
                break;
            case 3: // drop a run
                f.remove(at, qsizetype(1 + pick(8)));
                break;
            default: // repeat a run
                f.insert(at, f.mid(at, qsizetype(1 + pick(16))));
                break;
            }
        }

        const Kind kind = p.parse(f);
        ++counts[static_cast<int>(kind)];
        const QString context = u"round %1: "_s.arg(round) + QString::fromUtf8(f.left(300));
        QVERIFY2((kind == Kind::Error) == !p.error().isEmpty(), qPrintable(context));
        switch (kind) {
        case Kind::Book:
            for (const BookEntry &e : p.bookEntries())
                QVERIFY2(!e.symbol.empty(), qPrintable(context));
            break;
        case Kind::Ticker:
            for (const TickerEvent &t : p.tickers())
                QVERIFY2(!t.symbol.isEmpty(), qPrintable(context));
            break;
        case Kind::Trade:
            for (const TradeEvent &t : p.trades())
                QVERIFY2(!t.symbol.isEmpty(), qPrintable(context));
            break;
        case Kind::Ohlc:
            for (const OhlcEvent &c : p.candles())
                QVERIFY2(!c.symbol.isEmpty(), qPrintable(context));
            break;
        case Kind::Instrument:
            for (const InstrumentPairInfo &i : p.instruments().pairs)
                QVERIFY2(!i.symbol.isEmpty(), qPrintable(context));
            break;
        case Kind::Error:
        case Kind::Unknown:
        case Kind::Method:
        case Kind::Heartbeat:
        case Kind::Status:
            break;
        }
    }
    // Both outcomes occurred: the mutations were neither all fatal nor all harmless.
    QVERIFY(counts[static_cast<int>(Kind::Error)] > 0);
    QVERIFY(counts[static_cast<int>(Kind::Book)] > 0);
    qInfo("outcomes: error %d, unknown %d, method %d, heartbeat %d, status %d, book %d, "
          "ticker %d, trade %d, ohlc %d, instrument %d",
          counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7],
          counts[8], counts[9]);

    // And the parser is still sound afterwards.
    EXPECT_KIND(p, fixture("book_snapshot.json"), Kind::Book);
    QCOMPARE(p.bookEntries().front().checksum, 3310070434u);
}

QTEST_GUILESS_MAIN(TestWsParser)
#include "tst_wsparser.moc"
