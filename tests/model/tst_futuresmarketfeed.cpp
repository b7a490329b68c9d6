// MarketFeed with Kraken Futures, on a real QThread against an in-process PaperExchange over
// real sockets (Futures REST v3, WebSocket v1 and the charts API): Futures instruments next
// to Spot with their exact tick sizes and size steps, Futures tickers, a Futures focus (book,
// trades oldest first, history from the charts API, live bars built from the trades with
// exact volume arithmetic), 12h and 15-day intervals, bad intervals ignored, a focus switch
// back to Spot that stops the Futures book, and Spot carrying on when Futures is down.
// Also the Instrument a Futures contract becomes (Instrument::forFutures, toInstrument).

#include "kraken/futures/futuresinstrument.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/sim/simconfig.h"
#include "model/marketfeed.h"

#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace model;

namespace {

kraken::Decimal dec(const char *text) {
    return *kraken::Decimal::fromString(std::string_view(text));
}

// The Instrument a /instruments entry becomes; an error when the entry does not parse.
kraken::Result<kraken::Instrument> fromEntry(const char *json) {
    const auto node = kraken::futures::JsonNode::parse(QByteArray(json));
    if (!node)
        return kraken::Error(kraken::Error::Category::Parse, u"test JSON does not parse"_s);
    const auto in = kraken::futures::FuturesInstrument::fromJson(*node);
    if (!in.ok())
        return in.error();
    return kraken::futures::toInstrument(*in);
}

// Instruments as Kraken's /instruments lists them (trimmed to the fields that matter here).
const char *const InverseJson =
    R"({"symbol":"PI_XBTUSD","type":"futures_inverse","tag":"perpetual","pair":"XBT:USD",
        "underlying":"rr_xbtusd","tickSize":0.5,"contractSize":1,"tradeable":true,
        "postOnly":false})";
const char *const FlexJson =
    R"({"symbol":"PF_SOLUSD","type":"flexible_futures","tag":"perpetual","pair":"SOL:USD",
        "base":"SOL","quote":"USD","tickSize":0.001,"contractSize":1,"tradeable":true,
        "postOnly":true,"contractValueTradePrecision":2})";
const char *const CoarseJson =
    R"({"symbol":"PF_SHIBUSD","type":"flexible_futures","tag":"perpetual","tickSize":1e-8,
        "contractSize":1,"tradeable":false,"contractValueTradePrecision":-3})";
const char *const IndexJson = R"({"symbol":"in_xbtusd","tradeable":false})";

struct Event {
    enum Kind { Reset, Update } kind;
    QString symbol;
    int interval = 0;
    QList<Candle> candles;
    qsizetype tradesBefore = 0; // trades received before this event
};

struct Received {
    QList<QList<kraken::Instrument>> instruments;
    QList<BookPtr> books;
    QList<TradeRow> trades;
    QList<TickerRow> tickers;
    QList<Event> candleEvents;
    QList<FeedStatus> statuses;
    QStringList unreachable;

    bool sawState(const QString &connection, const QString &state) const {
        return std::any_of(statuses.begin(), statuses.end(), [&](const FeedStatus &s) {
            return s.connection == connection && s.state == state;
        });
    }
    qsizetype resets(const QString &symbol, int interval) const {
        return std::count_if(candleEvents.begin(), candleEvents.end(), [&](const Event &e) {
            return e.kind == Event::Reset && e.symbol == symbol && e.interval == interval;
        });
    }
    const Event *lastReset() const {
        for (auto it = candleEvents.crbegin(); it != candleEvents.crend(); ++it)
            if (it->kind == Event::Reset)
                return &*it;
        return nullptr;
    }
};

const kraken::Instrument *findInstrument(const QList<kraken::Instrument> &list,
                                         const QString &symbol) {
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const kraken::Instrument &i) { return i.symbol() == symbol; });
    return it == list.end() ? nullptr : &*it;
}

} // namespace

class TestFuturesMarketFeed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void instrumentForFutures();
    void instrumentForFuturesRejectsBadTerms();
    void toInstrumentFromKrakenEntries();
    void futuresFocusFromPaperExchange();
    void futuresDownLeavesSpot();
    void cleanup() { stopFeed(); }

private:
    MarketFeed *startFeed(const MarketFeedConfig &config, Received *r);
    void focus(const QString &symbol, int interval);
    void stopFeed();
    QThread *m_thread = nullptr;
    MarketFeed *m_feed = nullptr;
    QObject *m_sink = nullptr;
};

MarketFeed *TestFuturesMarketFeed::startFeed(const MarketFeedConfig &config, Received *r) {
    m_thread = new QThread(this);
    m_feed = new MarketFeed(config);
    // Signals queued before the feed dies still carry r; deleting their receiver drops them.
    m_sink = new QObject(this);
    m_feed->moveToThread(m_thread);
    connect(m_feed, &MarketFeed::instrumentsReady, m_sink,
            [r](const QList<kraken::Instrument> &list) { r->instruments.append(list); });
    connect(m_feed, &MarketFeed::bookChanged, m_sink,
            [r](const BookPtr &b) { r->books.append(b); });
    connect(m_feed, &MarketFeed::tradesAdded, m_sink,
            [r](const QList<TradeRow> &t) { r->trades.append(t); });
    connect(m_feed, &MarketFeed::tickersChanged, m_sink,
            [r](const QList<TickerRow> &t) { r->tickers.append(t); });
    connect(m_feed, &MarketFeed::candlesReset, m_sink,
            [r](const QString &s, int i, const QList<Candle> &c) {
                r->candleEvents.append({Event::Reset, s, i, c, r->trades.size()});
            });
    connect(m_feed, &MarketFeed::candlesUpdated, m_sink,
            [r](const QString &s, int i, const QList<Candle> &c) {
                r->candleEvents.append({Event::Update, s, i, c, r->trades.size()});
            });
    connect(m_feed, &MarketFeed::statusChanged, m_sink,
            [r](const FeedStatus &s) { r->statuses.append(s); });
    connect(m_feed, &MarketFeed::unreachable, m_sink,
            [r](const QString &why) { r->unreachable.append(why); });
    m_thread->start();
    QMetaObject::invokeMethod(m_feed, &MarketFeed::start, Qt::QueuedConnection);
    return m_feed;
}

void TestFuturesMarketFeed::focus(const QString &symbol, int interval) {
    MarketFeed *feed = m_feed;
    QMetaObject::invokeMethod(
        feed, [feed, symbol, interval] { feed->setFocus(symbol, interval); }, Qt::QueuedConnection);
}

void TestFuturesMarketFeed::stopFeed() {
    if (!m_feed)
        return;
    MarketFeed *feed = m_feed;
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

void TestFuturesMarketFeed::instrumentForFutures() {
    auto in = kraken::Instrument::forFutures(u"PF_XBTUSD"_s, u"BTC"_s, u"USD"_s, dec("0.5"),
                                             dec("0.0001"));
    QVERIFY(in.ok());
    QVERIFY(in->isFutures());
    QCOMPARE(in->venue(), kraken::Instrument::Venue::Futures);
    QCOMPARE(in->symbol(), u"PF_XBTUSD"_s);
    QCOMPARE(in->altname(), u"PF_XBTUSD"_s);
    QCOMPARE(in->base(), u"BTC"_s);
    QCOMPARE(in->quote(), u"USD"_s);
    QCOMPARE(in->tickSize().toString(), u"0.5"_s);
    QCOMPARE(in->pairDecimals(), 1);
    QCOMPARE(in->lotDecimals(), 4);
    QCOMPARE(in->orderMin().toString(), u"0.0001"_s);
    QCOMPARE(in->status(), u"online"_s);
    QVERIFY(in->isTradable());
    QCOMPARE(in->formatPrice(dec("64000")), u"64000.0"_s);
    // Trailing zeros of the tick's text do not add places: 1.00 is a whole-number tick.
    auto whole = kraken::Instrument::forFutures(u"PF_X"_s, u"X"_s, u"USD"_s, dec("1.00"), dec("10"),
                                                u"post_only"_s);
    QVERIFY(whole.ok());
    QCOMPARE(whole->pairDecimals(), 0);
    QCOMPARE(whole->lotDecimals(), 0);
    QCOMPARE(whole->status(), u"post_only"_s);
    // Spot instruments stay Spot.
    QVERIFY(!kraken::Instrument().isFutures());
    QCOMPARE(kraken::Instrument().venue(), kraken::Instrument::Venue::Spot);
}

void TestFuturesMarketFeed::instrumentForFuturesRejectsBadTerms() {
    QVERIFY(!kraken::Instrument::forFutures({}, u"BTC"_s, u"USD"_s, dec("1"), dec("1")).ok());
    const auto zeroTick =
        kraken::Instrument::forFutures(u"PF_XBTUSD"_s, u"BTC"_s, u"USD"_s, dec("0"), dec("1"));
    QVERIFY(!zeroTick.ok());
    QVERIFY2(zeroTick.error().toString().contains(u"PF_XBTUSD"_s),
             qPrintable(zeroTick.error().toString()));
    QVERIFY(
        !kraken::Instrument::forFutures(u"PF_XBTUSD"_s, u"BTC"_s, u"USD"_s, dec("1"), dec("-0.1"))
             .ok());
}

void TestFuturesMarketFeed::toInstrumentFromKrakenEntries() {
    // Inverse: no base/quote fields, whole contracts; XBT shows as BTC, the symbol keeps XBT.
    auto pi = fromEntry(InverseJson);
    QVERIFY(pi.ok());
    QCOMPARE(pi->symbol(), u"PI_XBTUSD"_s);
    QCOMPARE(pi->base(), u"BTC"_s);
    QCOMPARE(pi->quote(), u"USD"_s);
    QCOMPARE(pi->tickSize().toString(), u"0.5"_s);
    QCOMPARE(pi->pairDecimals(), 1);
    QCOMPARE(pi->lotDecimals(), 0);
    QCOMPARE(pi->orderMin().toString(), u"1"_s);
    QCOMPARE(pi->status(), u"online"_s);

    auto pf = fromEntry(FlexJson);
    QVERIFY(pf.ok());
    QCOMPARE(pf->base(), u"SOL"_s);
    QCOMPARE(pf->tickSize().toString(), u"0.001"_s);
    QCOMPARE(pf->pairDecimals(), 3);
    QCOMPARE(pf->lotDecimals(), 2);
    QCOMPARE(pf->orderMin().toString(), u"0.01"_s);
    QCOMPARE(pf->status(), u"post_only"_s);

    // No pair, no base: from the symbol. Precision -3: sizes in thousands. Not tradeable.
    auto coarse = fromEntry(CoarseJson);
    QVERIFY(coarse.ok());
    QCOMPARE(coarse->base(), u"SHIB"_s);
    QCOMPARE(coarse->quote(), u"USD"_s);
    QCOMPARE(coarse->pairDecimals(), 8);
    QCOMPARE(coarse->lotDecimals(), 0);
    QCOMPARE(coarse->orderMin().toString(), u"1000"_s);
    QCOMPARE(coarse->status(), u"cancel_only"_s);
    QVERIFY(!coarse->isTradable());

    const auto index = fromEntry(IndexJson);
    QVERIFY(!index.ok());
    QVERIFY2(index.error().toString().contains(u"index"_s), qPrintable(index.error().toString()));
}

void TestFuturesMarketFeed::futuresFocusFromPaperExchange() {
    kraken::sim::PaperExchange exchange(kraken::sim::SimConfig::builtIn());
    QString error;
    QVERIFY2(exchange.start(0, 0, 0, &error), qPrintable(error));
    QVERIFY(!exchange.futuresWsUrl().isEmpty());
    // The market moves only when the test steps it.
    exchange.setStepInterval(0);

    MarketFeedConfig config;
    config.restUrl = exchange.restUrl();
    config.wsUrl = exchange.wsUrl();
    config.futuresRestUrl = exchange.futuresRestUrl();
    config.futuresWsUrl = exchange.futuresWsUrl();
    config.futuresChartsUrl = exchange.futuresChartsUrl();
    config.limitPublicCalls = false;
    config.refreshHz = 20;
    config.bookDepth = 25;
    config.historyBars = 30;
    Received r;
    startFeed(config, &r);

    // One list: Spot sorted, then the tradeable Futures contracts sorted.
    QTRY_COMPARE_WITH_TIMEOUT(r.instruments.size(), 1, 10000);
    const QList<kraken::Instrument> &all = r.instruments.at(0);
    QStringList symbols;
    for (const kraken::Instrument &in : all)
        symbols.append(in.symbol());
    QCOMPARE(symbols.size(), 11);
    QCOMPARE(symbols.mid(0, 7),
             (QStringList{u"BTC/EUR"_s, u"BTC/USD"_s, u"DOGE/USD"_s, u"ETH/BTC"_s, u"ETH/USD"_s,
                          u"SOL/USD"_s, u"XRP/USD"_s}));
    QVERIFY2(symbols.at(7).startsWith(u"FI_XBTUSD_"_s), qPrintable(symbols.at(7)));
    QCOMPARE(symbols.mid(8), (QStringList{u"PF_ETHUSD"_s, u"PF_XBTUSD"_s, u"PI_XBTUSD"_s}));
    const kraken::Instrument *pf = findInstrument(all, u"PF_XBTUSD"_s);
    QVERIFY(pf);
    QVERIFY(pf->isFutures());
    QCOMPARE(pf->tickSize().toString(), u"1"_s);
    QCOMPARE(pf->pairDecimals(), 0);
    QCOMPARE(pf->lotDecimals(), 4);
    QCOMPARE(pf->base(), u"BTC"_s);
    QCOMPARE(pf->quote(), u"USD"_s);
    const kraken::Instrument *pi = findInstrument(all, u"PI_XBTUSD"_s);
    QVERIFY(pi);
    QCOMPARE(pi->tickSize().toString(), u"0.5"_s);
    QCOMPARE(pi->lotDecimals(), 0);
    QCOMPARE(findInstrument(all, u"PF_ETHUSD"_s)->tickSize().toString(), u"0.1"_s);
    QVERIFY(!findInstrument(all, u"BTC/USD"_s)->isFutures());

    // Futures tickers reach the watchlist like Spot ones.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(r.tickers.cbegin(), r.tickers.cend(),
                    [](const TickerRow &t) { return t.symbol == u"PF_XBTUSD"_s; }),
        10000);
    for (const TickerRow &t : std::as_const(r.tickers)) {
        if (t.symbol != u"PF_XBTUSD"_s)
            continue;
        QVERIFY(t.bid < t.ask);
        QVERIFY(t.last.signum() > 0);
        QCOMPARE(t.bid.scale(), 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(r.sawState(u"futures"_s, u"live"_s), 10000);

    // A Futures focus: history from the charts API, book, trades, then bars from trades.
    focus(u"PF_XBTUSD"_s, 1);
    QTRY_COMPARE_WITH_TIMEOUT(r.resets(u"PF_XBTUSD"_s, 1), 1, 10000);
    const QList<Candle> history = r.lastReset()->candles;
    QVERIFY(!history.isEmpty());
    QVERIFY(history.size() <= 30);
    for (qsizetype i = 0; i < history.size(); ++i) {
        const Candle &c = history.at(i);
        QCOMPARE(c.beginMs % 60000, 0);
        QCOMPARE(c.intervalMinutes, 1);
        QCOMPARE(c.closed, i + 1 < history.size());
        QVERIFY(c.low <= c.open && c.low <= c.close && c.open <= c.high && c.close <= c.high);
        QCOMPARE(c.open.scale(), 0);
        QCOMPARE(c.volume.scale(), 4);
        if (i > 0)
            QVERIFY(c.beginMs > history.at(i - 1).beginMs);
    }

    QTRY_VERIFY_WITH_TIMEOUT((exchange.stepAll(), r.books.size() >= 3), 10000);
    for (const BookPtr &b : std::as_const(r.books)) {
        QCOMPARE(b->symbol, u"PF_XBTUSD"_s);
        QCOMPARE(b->pricePrecision, 0);
        QCOMPARE(b->qtyPrecision, 4);
        QVERIFY(!b->bids.empty() && !b->asks.empty());
        QVERIFY(b->bids.size() <= 25 && b->asks.size() <= 25);
        QVERIFY(b->bids.front().price < b->asks.front().price);
    }

    // Live bars: step until the forming bar has been updated by trades twice.
    auto updatesFor = [&r](const QString &symbol) {
        QList<const Event *> out;
        for (const Event &e : std::as_const(r.candleEvents))
            if (e.kind == Event::Update && e.symbol == symbol)
                out.append(&e);
        return out;
    };
    // The snapshot brings up to 100 trades; wait for live ones well beyond it.
    QTRY_VERIFY_WITH_TIMEOUT(
        (exchange.stepAll(), updatesFor(u"PF_XBTUSD"_s).size() >= 6 && r.trades.size() >= 130),
        15000);
    for (const TradeRow &t : std::as_const(r.trades)) {
        QCOMPARE(t.symbol, u"PF_XBTUSD"_s);
        QVERIFY(t.price.signum() > 0);
        QVERIFY(t.qty.signum() > 0);
        QCOMPARE(t.price.scale(), 0);
        QCOMPARE(t.qty.scale(), 4);
    }
    // Oldest first, the snapshot included.
    for (qsizetype i = 1; i < r.trades.size(); ++i)
        QVERIFY2(r.trades.at(i - 1).timeMs <= r.trades.at(i).timeMs,
                 qPrintable(QString::number(i)));

    // Between two updates of the same bar, its volume grew by exactly the trades' sizes in
    // its interval that arrived in between, and its close is the latest such trade.
    const QList<const Event *> updates = updatesFor(u"PF_XBTUSD"_s);
    int checked = 0;
    for (qsizetype k = 1; k < updates.size(); ++k) {
        const Event &a = *updates.at(k - 1);
        const Event &b = *updates.at(k);
        QCOMPARE(b.interval, 1);
        QVERIFY(!b.candles.isEmpty());
        QVERIFY(b.candles.last().beginMs >= history.last().beginMs);
        QCOMPARE(b.candles.last().closed, false);
        const Candle &before = a.candles.last();
        const Candle &after = b.candles.last();
        if (before.beginMs != after.beginMs || b.candles.size() != 1)
            continue; // a new bar opened in between
        kraken::Decimal sum;
        const TradeRow *latest = nullptr;
        for (qsizetype i = a.tradesBefore; i < b.tradesBefore; ++i) {
            const TradeRow &t = r.trades.at(i);
            if (t.timeMs < after.beginMs || t.timeMs >= after.beginMs + 60000)
                continue;
            sum = *sum.plus(t.qty);
            if (!latest || t.timeMs >= latest->timeMs)
                latest = &t;
        }
        QCOMPARE(after.volume.toString(), before.volume.plus(sum)->toString(4));
        if (latest) {
            QCOMPARE(after.close.toString(), latest->price.toString());
            QVERIFY(after.high >= latest->price && after.low <= latest->price);
            ++checked;
        }
    }
    QVERIFY2(checked >= 3, "too few updates of one bar with trades between them");
    qInfo("%d bar updates checked against %lld trades", checked, qlonglong(r.trades.size()));

    // The connection drops: the bars are fetched again, and the trade snapshot that comes
    // with resubscribing adds only what the tape lacks (a repeat would break time order).
    const qsizetype tradesBeforeDrop = r.trades.size();
    const qsizetype statusesBeforeDrop = r.statuses.size();
    Q_EMIT exchange.faults().dropWsNow();
    QTRY_COMPARE_WITH_TIMEOUT(r.resets(u"PF_XBTUSD"_s, 1), 2, 10000);
    // Reconnecting, then live again, on the "futures" status row.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            bool dropped = false;
            for (qsizetype i = statusesBeforeDrop; i < r.statuses.size(); ++i) {
                const FeedStatus &s = r.statuses.at(i);
                if (s.connection != u"futures"_s)
                    continue;
                dropped = dropped || s.state == u"reconnecting"_s;
                if (dropped && s.state == u"live"_s)
                    return true;
            }
            return false;
        }(),
        15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        (exchange.stepAll(), r.trades.size() > tradesBeforeDrop + 5 &&
                                 updatesFor(u"PF_XBTUSD"_s).size() > updates.size()),
        15000);
    for (qsizetype i = 1; i < r.trades.size(); ++i)
        QVERIFY2(r.trades.at(i - 1).timeMs <= r.trades.at(i).timeMs,
                 qPrintable(QString::number(i)));

    // 12h exists on Futures only; 15 days is merged from 1d and said so.
    focus(u"PF_XBTUSD"_s, 720);
    QTRY_COMPARE_WITH_TIMEOUT(r.resets(u"PF_XBTUSD"_s, 720), 1, 10000);
    for (const Candle &c : r.lastReset()->candles) {
        QCOMPARE(c.beginMs % (720 * 60000), 0);
        QCOMPARE(c.intervalMinutes, 720);
    }
    QVERIFY(!r.lastReset()->candles.isEmpty());
    focus(u"PF_XBTUSD"_s, 21600);
    QTRY_COMPARE_WITH_TIMEOUT(r.resets(u"PF_XBTUSD"_s, 21600), 1, 10000);
    for (const Candle &c : r.lastReset()->candles) {
        QCOMPARE(c.beginMs % (qint64(21600) * 60000), 0);
        QCOMPARE(c.intervalMinutes, 21600);
    }
    QVERIFY(std::any_of(r.statuses.cbegin(), r.statuses.cend(), [](const FeedStatus &s) {
        return s.connection == u"futures"_s && s.reason.contains(u"15-day"_s);
    }));
    // An interval no venue serves is ignored; 12h on a Spot pair too.
    const qsizetype resetsBefore = r.candleEvents.size();
    focus(u"PF_XBTUSD"_s, 2);
    focus(u"BTC/USD"_s, 720);

    // Back to Spot: its history, its book; the Futures book stops.
    focus(u"BTC/USD"_s, 1);
    QTRY_COMPARE_WITH_TIMEOUT(r.resets(u"BTC/USD"_s, 1), 1, 10000);
    QCOMPARE(r.resets(u"PF_XBTUSD"_s, 2), 0);
    QCOMPARE(r.resets(u"BTC/USD"_s, 720), 0);
    QVERIFY(r.candleEvents.size() > resetsBefore);
    QTRY_VERIFY_WITH_TIMEOUT((exchange.stepAll(), r.books.last()->symbol == u"BTC/USD"_s), 10000);
    r.books.clear();
    r.trades.clear();
    QTRY_VERIFY_WITH_TIMEOUT((exchange.stepAll(), r.books.size() >= 5 && !r.trades.isEmpty()),
                             10000);
    for (const BookPtr &b : std::as_const(r.books))
        QCOMPARE(b->symbol, u"BTC/USD"_s);
    for (const TradeRow &t : std::as_const(r.trades))
        QCOMPARE(t.symbol, u"BTC/USD"_s);
    QVERIFY(r.unreachable.isEmpty());
    stopFeed();
}

void TestFuturesMarketFeed::futuresDownLeavesSpot() {
    kraken::sim::PaperExchange exchange(kraken::sim::SimConfig::builtIn());
    QString error;
    QVERIFY2(exchange.start(0, 0, 0, &error), qPrintable(error));
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    MarketFeedConfig config;
    config.restUrl = exchange.restUrl();
    config.wsUrl = exchange.wsUrl();
    config.futuresRestUrl = QUrl(u"http://127.0.0.1:%1/derivatives/api/v3"_s.arg(port));
    config.futuresWsUrl = QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(port));
    config.limitPublicCalls = false;
    config.startTimeoutMs = 3000;
    Received r;
    startFeed(config, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.instruments.size(), 1, 15000);
    QCOMPARE(r.instruments.at(0).size(), 7);
    QVERIFY(std::none_of(r.instruments.at(0).cbegin(), r.instruments.at(0).cend(),
                         [](const kraken::Instrument &i) { return i.isFutures(); }));
    QTRY_VERIFY_WITH_TIMEOUT(r.sawState(u"futures"_s, u"error"_s), 15000);
    const auto failed = std::find_if(r.statuses.cbegin(), r.statuses.cend(), [](const auto &s) {
        return s.connection == u"futures"_s && s.state == u"error"_s;
    });
    QVERIFY2(failed->reason.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(failed->reason));
    QTRY_VERIFY_WITH_TIMEOUT(r.sawState(u"market"_s, u"live"_s), 10000);
    QTest::qWait(300);
    QVERIFY(r.unreachable.isEmpty());
    QCOMPARE(r.instruments.size(), 1);
    stopFeed();
}

QTEST_GUILESS_MAIN(TestFuturesMarketFeed)
#include "tst_futuresmarketfeed.moc"
