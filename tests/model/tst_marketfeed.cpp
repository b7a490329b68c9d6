// MarketFeed on a real QThread against an in-process PaperExchange over real sockets: the
// instrument list, history then live candles, checksum-verified books (recomputed here with
// Kraken's documented algorithm, independently of OrderBook), trades and tickers, status
// reaching live, coalesced emission (fewer books out than book messages in), a focus switch,
// and unreachable() for a closed port, for REST and for the WebSocket alone.

#include "kraken/sim/paperexchange.h"
#include "kraken/sim/simconfig.h"
#include "model/marketfeed.h"

#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <string>

using namespace Qt::StringLiterals;
using namespace model;

namespace {

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit: written here so the test
// does not lean on the code under test or on the zlib it uses.
quint32 crc32(const std::string &bytes) {
    quint32 crc = 0xFFFFFFFFu;
    for (unsigned char c : bytes) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// Kraken's book checksum: the top 10 asks (ascending) then the top 10 bids (descending),
// price then qty, each printed at the pair's precision with the '.' removed and leading zeros
// stripped, concatenated.
std::string checksumField(std::int64_t mantissa, int precision) {
    const QString text = kraken::Decimal::fromParts(mantissa, precision)->toString(precision);
    std::string s = text.toStdString();
    s.erase(std::remove(s.begin(), s.end(), '.'), s.end());
    const auto nz = s.find_first_not_of('0');
    return nz == std::string::npos ? std::string() : s.substr(nz);
}

quint32 krakenChecksum(const kraken::book::BookSnapshot &b) {
    std::string input;
    for (std::size_t i = 0; i < std::min<std::size_t>(10, b.asks.size()); ++i)
        input += checksumField(b.asks[i].price, b.pricePrecision) +
                 checksumField(b.asks[i].qty, b.qtyPrecision);
    for (std::size_t i = 0; i < std::min<std::size_t>(10, b.bids.size()); ++i)
        input += checksumField(b.bids[i].price, b.pricePrecision) +
                 checksumField(b.bids[i].qty, b.qtyPrecision);
    return crc32(input);
}

// Everything the feed emits, received on the test's (GUI) thread through queued connections.
struct Received {
    QList<QList<kraken::Instrument>> instruments;
    QList<BookPtr> books;
    QList<TradeRow> trades;
    QList<TickerRow> tickers;
    int tickerBatches = 0;
    int tradeBatches = 0;
    QList<std::tuple<QString, int, QList<Candle>>> resets;
    QList<std::tuple<QString, int, QList<Candle>>> updates;
    QList<FeedStatus> statuses;
    QStringList unreachable;

    bool sawState(const QString &connection, const QString &state) const {
        return std::any_of(statuses.begin(), statuses.end(), [&](const FeedStatus &s) {
            return s.connection == connection && s.state == state;
        });
    }
};

} // namespace

class TestMarketFeed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crcMatchesTheStandardCheckValue();
    void liveDataFromPaperExchange();
    void unreachableWhenRestPortClosed();
    void unreachableWhenWebSocketPortClosed();

private:
    MarketFeed *startFeed(const MarketFeedConfig &config, Received *r);
    void stopFeed();
    QThread *m_thread = nullptr;
    MarketFeed *m_feed = nullptr;
    QObject *m_sink = nullptr;
};

MarketFeed *TestMarketFeed::startFeed(const MarketFeedConfig &config, Received *r) {
    m_thread = new QThread(this);
    m_feed = new MarketFeed(config);
    m_feed->moveToThread(m_thread);
    // Queued to the test's thread: the lists are only touched here. Signals still queued when
    // the feed dies carry r; deleting their receiver drops them before the next test's r.
    m_sink = new QObject(this);
    connect(m_feed, &MarketFeed::instrumentsReady, m_sink,
            [r](const QList<kraken::Instrument> &list) { r->instruments.append(list); });
    connect(m_feed, &MarketFeed::bookChanged, m_sink,
            [r](const BookPtr &b) { r->books.append(b); });
    connect(m_feed, &MarketFeed::tradesAdded, m_sink, [r](const QList<TradeRow> &t) {
        r->trades.append(t);
        ++r->tradeBatches;
    });
    connect(m_feed, &MarketFeed::tickersChanged, m_sink, [r](const QList<TickerRow> &t) {
        r->tickers.append(t);
        ++r->tickerBatches;
    });
    connect(m_feed, &MarketFeed::candlesReset, m_sink,
            [r](const QString &s, int i, const QList<Candle> &c) {
                r->resets.append({s, i, c});
            });
    connect(m_feed, &MarketFeed::candlesUpdated, m_sink,
            [r](const QString &s, int i, const QList<Candle> &c) {
                r->updates.append({s, i, c});
            });
    connect(m_feed, &MarketFeed::statusChanged, m_sink,
            [r](const FeedStatus &s) { r->statuses.append(s); });
    connect(m_feed, &MarketFeed::unreachable, m_sink,
            [r](const QString &why) { r->unreachable.append(why); });
    m_thread->start();
    QMetaObject::invokeMethod(m_feed, &MarketFeed::start, Qt::QueuedConnection);
    return m_feed;
}

void TestMarketFeed::stopFeed() {
    if (!m_feed)
        return;
    MarketFeed *feed = m_feed;
    // Destroyed on its own thread, where its sockets and timers live.
    QMetaObject::invokeMethod(
        feed, [feed] { delete feed; }, Qt::BlockingQueuedConnection);
    m_feed = nullptr;
    delete m_sink;
    m_sink = nullptr;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void TestMarketFeed::crcMatchesTheStandardCheckValue() {
    QCOMPARE(crc32("123456789"), 0xCBF43926u);
    // Kraken's formatting rule on concrete values: "0.05005" at 5 places -> "5005".
    QCOMPARE(checksumField(5005, 5), std::string("5005"));
    QCOMPARE(checksumField(4500010, 1), std::string("4500010"));
}

void TestMarketFeed::liveDataFromPaperExchange() {
    kraken::sim::PaperExchange exchange(kraken::sim::SimConfig::builtIn());
    QString error;
    QVERIFY2(exchange.start(0, 0, 0, &error), qPrintable(error));
    exchange.setStepInterval(20);

    MarketFeedConfig config;
    config.restUrl = exchange.restUrl();
    config.wsUrl = exchange.wsUrl();
    config.limitPublicCalls = false;
    config.refreshHz = 10; // far below the book message rate, so coalescing must show
    config.bookDepth = 25;
    config.historyBars = 50;
    Received r;
    MarketFeed *feed = startFeed(config, &r);

    QTRY_COMPARE_WITH_TIMEOUT(r.instruments.size(), 1, 10000);
    QStringList symbols;
    for (const kraken::Instrument &in : r.instruments.at(0))
        symbols.append(in.symbol());
    QCOMPARE(symbols, (QStringList{u"BTC/EUR"_s, u"BTC/USD"_s, u"DOGE/USD"_s, u"ETH/BTC"_s,
                                   u"ETH/USD"_s, u"SOL/USD"_s, u"XRP/USD"_s}));
    QCOMPARE(r.instruments.at(0).at(1).pairDecimals(), 1);

    QMetaObject::invokeMethod(
        feed, [feed] { feed->setFocus(u"BTC/USD"_s, 1); }, Qt::QueuedConnection);

    // History first: the last 50 one-minute bars, a minute apart, only the last forming.
    QTRY_COMPARE_WITH_TIMEOUT(r.resets.size(), 1, 10000);
    const auto &[resetSymbol, resetInterval, history] = r.resets.at(0);
    QCOMPARE(resetSymbol, u"BTC/USD"_s);
    QCOMPARE(resetInterval, 1);
    QCOMPARE(history.size(), 50);
    for (qsizetype i = 0; i < history.size(); ++i) {
        const Candle &c = history.at(i);
        QCOMPARE(c.beginMs % 60000, 0);
        if (i > 0)
            QCOMPARE(c.beginMs - history.at(i - 1).beginMs, 60000);
        QCOMPARE(c.closed, i + 1 < history.size());
        QVERIFY(c.low <= c.open && c.low <= c.close && c.open <= c.high && c.close <= c.high);
        QCOMPARE(c.open.scale(), 1);
        QCOMPARE(c.volume.scale(), 8);
    }

    QTRY_VERIFY_WITH_TIMEOUT(r.sawState(u"market"_s, u"live"_s), 10000);
    QVERIFY(r.sawState(u"rest"_s, u"live"_s));
    QTRY_VERIFY_WITH_TIMEOUT(r.books.size() >= 5, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!r.trades.isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!r.updates.isEmpty(), 10000);

    // Books: the focus symbol, at the subscribed depth, not crossed, checksum as Kraken's.
    for (const BookPtr &b : std::as_const(r.books)) {
        QVERIFY(b);
        QCOMPARE(b->symbol, u"BTC/USD"_s);
        QCOMPARE(b->pricePrecision, 1);
        QCOMPARE(b->qtyPrecision, 8);
        QCOMPARE(b->bids.size(), std::size_t(25));
        QCOMPARE(b->asks.size(), std::size_t(25));
        QVERIFY(b->bids.front().price < b->asks.front().price);
        for (std::size_t i = 1; i < b->asks.size(); ++i)
            QVERIFY(b->asks[i - 1].price < b->asks[i].price);
        for (std::size_t i = 1; i < b->bids.size(); ++i)
            QVERIFY(b->bids[i - 1].price > b->bids[i].price);
        QCOMPARE(b->checksum, krakenChecksum(*b));
    }
    // Trades: the focus only, real prices and sizes, oldest first within the tape.
    for (const TradeRow &t : std::as_const(r.trades)) {
        QCOMPARE(t.symbol, u"BTC/USD"_s);
        QVERIFY(t.price.signum() > 0);
        QVERIFY(t.qty.signum() > 0);
        QVERIFY(t.timeMs > 1600000000000);
        // At BTC/USD's pair_decimals and lot_decimals, whatever zeros the JSON number dropped.
        QCOMPARE(t.price.scale(), 1);
        QCOMPARE(t.qty.scale(), 8);
    }
    // Live candles follow on from the history.
    for (const auto &[symbol, interval, bars] : std::as_const(r.updates)) {
        QCOMPARE(symbol, u"BTC/USD"_s);
        QCOMPARE(interval, 1);
        QVERIFY(!bars.isEmpty());
        QVERIFY(bars.last().beginMs >= history.last().beginMs);
        QCOMPARE(bars.last().beginMs % 60000, 0);
        QCOMPARE(bars.last().close.scale(), 1);
    }
    // Tickers: every pair, in batches.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSet<QString> seen;
            for (const TickerRow &t : std::as_const(r.tickers))
                seen.insert(t.symbol);
            return seen.size() == 7;
        }(),
        10000);
    QVERIFY(r.tickerBatches < r.tickers.size());
    for (const TickerRow &t : std::as_const(r.tickers))
        QVERIFY(t.bid < t.ask);

    // Coalescing: at most one book per refresh tick, and fewer books than book messages.
    QTRY_VERIFY_WITH_TIMEOUT(feed->bookMessageCount() > 60, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(r.books.size() > 10, 10000);
    const qint64 booksOut = r.books.size();
    QVERIFY2(booksOut <= feed->refreshTickCount() + 1,
             qPrintable(u"%1 books, %2 ticks"_s.arg(booksOut).arg(feed->refreshTickCount())));
    QVERIFY2(booksOut < feed->bookMessageCount(),
             qPrintable(u"%1 books, %2 messages"_s.arg(booksOut).arg(feed->bookMessageCount())));
    QVERIFY(r.tradeBatches <= feed->refreshTickCount() + 1);
    qInfo("coalescing: %lld book messages, %lld refresh ticks, %lld books emitted",
          feed->bookMessageCount(), feed->refreshTickCount(), booksOut);
    const FeedStatus &lastMarket =
        *std::find_if(r.statuses.crbegin(), r.statuses.crend(),
                      [](const FeedStatus &s) { return s.connection == u"market"_s; });
    QCOMPARE(lastMarket.resyncs, 0);

    // A new focus: history for it, then its book and trades only.
    QMetaObject::invokeMethod(
        feed, [feed] { feed->setFocus(u"ETH/USD"_s, 5); }, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(r.resets.size(), 2, 10000);
    QCOMPARE(std::get<0>(r.resets.at(1)), u"ETH/USD"_s);
    QCOMPARE(std::get<1>(r.resets.at(1)), 5);
    QCOMPARE(std::get<2>(r.resets.at(1)).size(), 50);
    QCOMPARE(std::get<2>(r.resets.at(1)).at(1).beginMs - std::get<2>(r.resets.at(1)).at(0).beginMs,
             5 * 60000);
    QTRY_VERIFY_WITH_TIMEOUT(r.books.last()->symbol == u"ETH/USD"_s, 10000);
    r.books.clear();
    r.trades.clear();
    r.updates.clear();
    QTRY_VERIFY_WITH_TIMEOUT(r.books.size() >= 3 && !r.trades.isEmpty(), 10000);
    for (const BookPtr &b : std::as_const(r.books)) {
        QCOMPARE(b->symbol, u"ETH/USD"_s);
        QCOMPARE(b->checksum, krakenChecksum(*b));
    }
    for (const TradeRow &t : std::as_const(r.trades))
        QCOMPARE(t.symbol, u"ETH/USD"_s);
    for (const auto &[symbol, interval, bars] : std::as_const(r.updates)) {
        QCOMPARE(symbol, u"ETH/USD"_s);
        QCOMPARE(interval, 5);
    }
    QVERIFY(r.unreachable.isEmpty());
    stopFeed();
}

void TestMarketFeed::unreachableWhenRestPortClosed() {
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    MarketFeedConfig config;
    config.restUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    config.wsUrl = QUrl(u"ws://127.0.0.1:%1/v2"_s.arg(port));
    config.limitPublicCalls = false;
    config.startTimeoutMs = 5000;
    Received r;
    startFeed(config, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.unreachable.size(), 1, 20000);
    const QString why = r.unreachable.at(0);
    QVERIFY2(why.contains(u"REST"_s), qPrintable(why));
    QVERIFY2(why.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(why));
    QVERIFY(r.instruments.isEmpty());
    // Said once, and the feed stops rather than hanging on.
    QTRY_VERIFY_WITH_TIMEOUT(r.sawState(u"market"_s, u"closed"_s), 10000);
    QTest::qWait(200);
    QCOMPARE(r.unreachable.size(), 1);
    stopFeed();
}

void TestMarketFeed::unreachableWhenWebSocketPortClosed() {
    kraken::sim::PaperExchange exchange(kraken::sim::SimConfig::builtIn());
    QString error;
    QVERIFY2(exchange.start(0, 0, 0, &error), qPrintable(error));
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    MarketFeedConfig config;
    config.restUrl = exchange.restUrl();
    config.wsUrl = QUrl(u"ws://127.0.0.1:%1/v2"_s.arg(port));
    config.limitPublicCalls = false;
    config.startTimeoutMs = 2000;
    Received r;
    startFeed(config, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.unreachable.size(), 1, 20000);
    const QString why = r.unreachable.at(0);
    QVERIFY2(why.contains(u"WebSocket"_s), qPrintable(why));
    QVERIFY2(!why.contains(u"reconnecting in"_s), qPrintable(why));
    QVERIFY2(why.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(why));
    QCOMPARE(r.instruments.size(), 1); // REST answered
    QVERIFY(r.sawState(u"market"_s, u"reconnecting"_s));
    stopFeed();
}

QTEST_GUILESS_MAIN(TestMarketFeed)
#include "tst_marketfeed.moc"
