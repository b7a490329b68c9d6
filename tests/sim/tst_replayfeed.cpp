// ReplayFeed through the whole paper exchange: a capture written here by hand (both line
// shapes, acks, skipped channels, an unknown symbol) replayed at speed 0, then read back over
// a raw public WebSocket - the served book equals the capture's (depth truncation included)
// and its checksum verifies with an OrderBook; the trade channel has the capture's trades and
// nothing of the random walk; a user's order fills against the replayed book through the
// matching engine, and a replayed level crossing a resting user order fills it. Malformed
// captures fail with the line named.

#include "kraken/book/orderbook.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/sim/replayfeed.h"
#include "kraken/sim/simconfig.h"
#include "rawws.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

// BTC/USD at depth 10: prices at 1 decimal, quantities at 8, as Kraken writes them.
const char Capture[] =
    R"({"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD","warnings":[]},"success":true,"time_in":"2024-05-01T10:00:00.000000Z","time_out":"2024-05-01T10:00:00.000100Z"}
{"recv":1714557600000000000,"msg":{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":1,"system":"online","version":"2.0.10"}]}}
{"recv":1714557600001000000,"msg":{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[]}}}
{"recv":1714557600002000000,"msg":{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":50000.0,"qty":0.10000000},{"price":49999.0,"qty":0.20000000},{"price":49998.0,"qty":0.30000000},{"price":49997.0,"qty":0.40000000},{"price":49996.0,"qty":0.50000000},{"price":49995.0,"qty":0.60000000},{"price":49994.0,"qty":0.70000000},{"price":49993.0,"qty":0.80000000},{"price":49992.0,"qty":0.90000000},{"price":49991.0,"qty":1.00000000}],"asks":[{"price":50001.0,"qty":0.10000000},{"price":50002.0,"qty":0.20000000},{"price":50003.0,"qty":0.30000000},{"price":50004.0,"qty":0.40000000},{"price":50005.0,"qty":0.50000000},{"price":50006.0,"qty":0.60000000},{"price":50007.0,"qty":0.70000000},{"price":50008.0,"qty":0.80000000},{"price":50009.0,"qty":0.90000000},{"price":50010.0,"qty":1.00000000}],"checksum":1234}]}}
{"recv":1714557600003000000,"msg":{"channel":"trade","type":"snapshot","data":[{"symbol":"BTC/USD","side":"buy","price":1.0,"qty":5.00000000,"ord_type":"limit","trade_id":7,"timestamp":"2024-05-01T09:59:00.000000Z"}]}}
{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":50000.0,"qty":0.15000000},{"price":49995.0,"qty":0},{"price":49990.0,"qty":1.10000000}],"asks":[{"price":50000.5,"qty":0.33000000}],"checksum":1,"timestamp":"2024-05-01T10:00:00.004000Z"}]}
{"recv":1714557600005000000,"msg":{"channel":"book","type":"update","data":[{"symbol":"FOO/USD","bids":[{"price":1.0,"qty":1.0}],"asks":[],"checksum":1,"timestamp":"2024-05-01T10:00:00.005000Z"}]}}
{"channel":"heartbeat"}
{"recv":1714557600006000000,"msg":{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":50001.0,"qty":0},{"price":50011.0,"qty":2.50000000}],"checksum":2,"timestamp":"2024-05-01T10:00:00.006000Z"}]}}
{"recv":1714557600007000000,"msg":{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":50000.5,"qty":0.01000000,"ord_type":"market","trade_id":8,"timestamp":"2024-05-01T10:00:00.007000Z"},{"symbol":"BTC/USD","side":"sell","price":50000.0,"qty":0.02000000,"ord_type":"limit","trade_id":9,"timestamp":"2024-05-01T10:00:00.007000Z"}]}}
)";

// The book after the last update, as a depth-10 subscriber holds it: 49995.0 deleted and
// 49990.0 come into view; 50000.5 inserted pushed 50010.0 out of view, so when 50001.0 is
// deleted the new tenth level is 50011.0 and 50010.0 must not come back.
const char *const ExpectedBids[][2] = {{"50000.0", "0.15000000"}, {"49999.0", "0.20000000"},
                                       {"49998.0", "0.30000000"}, {"49997.0", "0.40000000"},
                                       {"49996.0", "0.50000000"}, {"49994.0", "0.70000000"},
                                       {"49993.0", "0.80000000"}, {"49992.0", "0.90000000"},
                                       {"49991.0", "1.00000000"}, {"49990.0", "1.10000000"}};
const char *const ExpectedAsks[][2] = {{"50000.5", "0.33000000"}, {"50002.0", "0.20000000"},
                                       {"50003.0", "0.30000000"}, {"50004.0", "0.40000000"},
                                       {"50005.0", "0.50000000"}, {"50006.0", "0.60000000"},
                                       {"50007.0", "0.70000000"}, {"50008.0", "0.80000000"},
                                       {"50009.0", "0.90000000"}, {"50011.0", "2.50000000"}};

const char BadPriceCapture[] =
    R"({"recv":1,"msg":{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":50000.0,"qty":1.0}],"asks":[]}]}}

{"recv":2,"msg":{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":"50000.0","qty":1.0}],"asks":[]}]}}
)";
const char NotJsonCapture[] =
    R"({"recv":1,"msg":{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]}}
{"recv":2,"msg":
)";
const char NothingUsableCapture[] =
    R"({"channel":"heartbeat"}
{"recv":2,"msg":{"channel":"book","type":"snapshot","data":[{"symbol":"FOO/USD","bids":[],"asks":[]}]}}
)";

// The one frame of a capture whose recv is an hour after the snapshot's.
const char SlowCapture[] =
    R"({"recv":1000000000,"msg":{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":50000.0,"qty":1.0}],"asks":[{"price":50001.0,"qty":1.0}]}]}}
{"recv":3600000000000,"msg":{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":50000.0,"qty":2.0}],"asks":[]}]}}
)";

Decimal dec(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

// A WS v2 number re-read at the instrument's precision (what a Decimal-precise client does).
Decimal atPrecision(const QJsonValue &v, int precision) {
    return *Decimal::fromString(QString::number(v.toDouble(), 'f', precision));
}

using RawClient = testsupport::RawWsClient;

auto isChannel(const QString &channel, const QString &type) {
    return [channel, type](const QJsonObject &o) {
        return o.value(u"channel"_s).toString() == channel && o.value(u"type"_s).toString() == type;
    };
}

QString writeCapture(const QTemporaryDir &dir, const QString &name, const char *text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return path;
}

OrderParams limitOrder(Side side, const char *qty, const char *price) {
    OrderParams p;
    p.symbol = u"BTC/USD"_s;
    p.side = side;
    p.type = OrderType::Limit;
    p.qty = dec(qty);
    p.limit = PriceSpec{dec(price)};
    return p;
}

} // namespace

class TestReplayFeed : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PaperExchange> m_exchange;

    // An exchange that has replayed Capture once, to the end.
    bool replayed() {
        m_exchange = std::make_unique<PaperExchange>(SimConfig::builtIn());
        m_exchange->setStepInterval(0);
        QString error;
        if (!m_exchange->start(0, 0, 0, &error))
            return false;
        const QString path = writeCapture(m_dir, u"capture.jsonl"_s, Capture);
        if (!m_exchange->startReplay(path, 0, &error, false)) {
            qWarning() << error;
            return false;
        }
        QSignalSpy done(m_exchange->replay(), &ReplayFeed::finished);
        return done.wait(10000);
    }

private Q_SLOTS:
    void cleanup() { m_exchange.reset(); }

    void loadsAndCounts() {
        QVERIFY(replayed());
        const ReplayFeed *feed = m_exchange->replay();
        QCOMPARE(feed->symbols(), QStringList{u"BTC/USD"_s});
        QCOMPARE(feed->depth(u"BTC/USD"_s), 10);
        // snapshot, two updates, two trades
        QCOMPARE(feed->framesApplied(), 5);
        QCOMPARE(feed->skippedUnknownSymbol(), 1);
        // status, instrument, trade snapshot, heartbeat
        QCOMPARE(feed->skippedOther(), 4);
        QCOMPARE(feed->passes(), 1);
        QVERIFY(!feed->isRunning());
        // Pairs the capture does not hold keep their own market.
        QVERIFY(!m_exchange->market(u"ETH/USD"_s)->externalFeed());
        QVERIFY(m_exchange->market(u"BTC/USD"_s)->externalFeed());
    }

    void servedBookIsTheCapturesBook() {
        QVERIFY(replayed());
        MarketSim *btc = m_exchange->market(u"BTC/USD"_s);
        QCOMPARE(btc->pricePrecision(), 1);
        QCOMPARE(btc->qtyPrecision(), 8);
        // The random walk no longer moves it.
        btc->step();
        QCOMPARE(*btc->bestBid(), dec("50000.0"));

        for (const int depth : {10, 25}) {
            RawClient c;
            QVERIFY(c.open(m_exchange->wsUrl()));
            c.send(u"{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
                   "[\"BTC/USD\"],\"depth\":%1},\"req_id\":1}"_s.arg(depth)
                       .toUtf8());
            const auto snap = c.next(isChannel(u"book"_s, u"snapshot"_s));
            QVERIFY(snap);
            const QJsonObject data = snap->first[u"data"_s][0].toObject();
            QCOMPARE(data[u"symbol"_s].toString(), u"BTC/USD"_s);
            const QJsonArray bids = data[u"bids"_s].toArray();
            const QJsonArray asks = data[u"asks"_s].toArray();
            // Depth 25 gets no more than the capture holds: nothing synthetic is left.
            QCOMPARE(bids.size(), 10);
            QCOMPARE(asks.size(), 10);
            std::vector<book::LevelUpdate> b, a;
            for (int i = 0; i < 10; ++i) {
                const QJsonObject bl = bids[i].toObject(), al = asks[i].toObject();
                b.push_back({atPrecision(bl[u"price"_s], 1), atPrecision(bl[u"qty"_s], 8)});
                a.push_back({atPrecision(al[u"price"_s], 1), atPrecision(al[u"qty"_s], 8)});
                QCOMPARE(b.back().price, dec(ExpectedBids[i][0]));
                QCOMPARE(b.back().qty, dec(ExpectedBids[i][1]));
                QCOMPARE(a.back().price, dec(ExpectedAsks[i][0]));
                QCOMPARE(a.back().qty, dec(ExpectedAsks[i][1]));
            }
            book::OrderBook ob(u"BTC/USD"_s, depth, 1, 8);
            QCOMPARE(ob.applySnapshot(b, a), book::ApplyStatus::Ok);
            QCOMPARE(qint64(ob.checksum()), data[u"checksum"_s].toInteger());
        }
    }

    void tradesAreTheCapturesTrades() {
        QVERIFY(replayed());
        RawClient c;
        QVERIFY(c.open(m_exchange->wsUrl()));
        c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":"
               "[\"BTC/USD\"]},\"req_id\":2}");
        const auto snap = c.next(isChannel(u"trade"_s, u"snapshot"_s));
        QVERIFY(snap);
        // Only the replayed trades: not the walk's generated history, not the capture's
        // own trade snapshot (from before it began).
        const QJsonArray trades = snap->first[u"data"_s].toArray();
        QCOMPARE(trades.size(), 2);
        QCOMPARE(trades[0][u"side"_s].toString(), u"buy"_s);
        QCOMPARE(atPrecision(trades[0][u"price"_s], 1), dec("50000.5"));
        QCOMPARE(atPrecision(trades[0][u"qty"_s], 8), dec("0.01"));
        QCOMPARE(trades[0][u"ord_type"_s].toString(), u"market"_s);
        QCOMPARE(trades[1][u"side"_s].toString(), u"sell"_s);
        QCOMPARE(atPrecision(trades[1][u"price"_s], 1), dec("50000.0"));
        QCOMPARE(atPrecision(trades[1][u"qty"_s], 8), dec("0.02"));
        QCOMPARE(trades[1][u"ord_type"_s].toString(), u"limit"_s);
        QVERIFY(trades[1][u"trade_id"_s].toInteger() > trades[0][u"trade_id"_s].toInteger());
        const TickerStats t = m_exchange->market(u"BTC/USD"_s)->ticker();
        QCOMPARE(t.last, dec("50000.0"));
        QCOMPARE(t.volume, dec("0.03000000"));
        QCOMPARE(t.trades, 2);
    }

    void userOrderFillsAgainstTheReplayedAsk() {
        QVERIFY(replayed());
        MatchingEngine &engine = m_exchange->engine();
        const auto r = engine.addOrder(u"paper"_s, limitOrder(Side::Buy, "0.1", "50002.0"));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const SimOrder *o = engine.order(r.orderId);
        QCOMPARE(o->status, OrderStatus::Filled);
        QCOMPARE(o->filled, dec("0.1"));
        const auto trades = engine.trades(u"paper"_s);
        QCOMPARE(trades.size(), std::size_t(1));
        QCOMPARE(trades[0].price, dec("50000.5"));
        QVERIFY(!trades[0].maker);
        const MarketSim *btc = m_exchange->market(u"BTC/USD"_s);
        QCOMPARE(btc->levels(Side::Sell, 1).at(0), (SimLevel{dec("50000.5"), dec("0.23")}));
    }

    // A replayed level through a resting user order is the arriving order filling it.
    void replayedLevelFillsARestingUserOrder() {
        QVERIFY(replayed());
        MatchingEngine &engine = m_exchange->engine();
        const auto r = engine.addOrder(u"paper"_s, limitOrder(Side::Buy, "0.05", "50000.2"));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        MarketSim *btc = m_exchange->market(u"BTC/USD"_s);
        QCOMPARE(*btc->bestBid(), dec("50000.2"));
        btc->applyExternalBook(Side::Sell, {{dec("50000.1"), dec("0.5")}}, false);
        const SimOrder *o = engine.order(r.orderId);
        QCOMPARE(o->status, OrderStatus::Filled);
        const auto trades = engine.trades(u"paper"_s);
        QCOMPARE(trades.size(), std::size_t(1));
        QCOMPARE(trades[0].price, dec("50000.2")); // the resting order's price
        QVERIFY(trades[0].maker);
        // The rest is shown, and the book is not crossed.
        QCOMPARE(btc->levels(Side::Sell, 1).at(0), (SimLevel{dec("50000.1"), dec("0.45")}));
        QCOMPARE(*btc->bestBid(), dec("50000.0"));
        QCOMPARE(btc->recentTrades().back().price, dec("50000.2"));
        QCOMPARE(btc->recentTrades().back().takerSide, Side::Sell);
    }

    void loopsWithTheSnapshotReapplied() {
        PaperExchange exchange(SimConfig::builtIn());
        exchange.setStepInterval(0);
        const QString path = writeCapture(m_dir, u"loop.jsonl"_s, Capture);
        QString error;
        QVERIFY2(exchange.startReplay(path, 0, &error), qPrintable(error));
        QSignalSpy passes(exchange.replay(), &ReplayFeed::passFinished);
        QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 3, 10000);
        QVERIFY(exchange.replay()->isRunning());
        exchange.replay()->stop();
        // Stopped between passes or within one: the book is the capture's either way.
        const auto asks = exchange.market(u"BTC/USD"_s)->levels(Side::Sell, 0);
        QVERIFY(asks.size() == 10);
        QCOMPARE(passes.last().at(0).toInt(), exchange.replay()->passes());
    }

    void pacedByRecvTimes() {
        PaperExchange exchange(SimConfig::builtIn());
        exchange.setStepInterval(0);
        const QString path = writeCapture(m_dir, u"slow.jsonl"_s, SlowCapture);
        QString error;
        QVERIFY2(exchange.startReplay(path, 1, &error, false), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(exchange.replay()->framesApplied(), 1, 10000);
        for (int i = 0; i < 20; ++i)
            QCoreApplication::processEvents();
        // The update is an hour away at 1x.
        QCOMPARE(exchange.replay()->framesApplied(), 1);
        QCOMPARE(exchange.market(u"BTC/USD"_s)->levels(Side::Buy, 1).at(0).qty, dec("1.0"));
        QVERIFY(exchange.replay()->isRunning());
    }

    void malformedCapturesNameTheLine() {
        PaperExchange exchange(SimConfig::builtIn());
        QString error;
        QVERIFY(
            !exchange.startReplay(writeCapture(m_dir, u"bad.jsonl"_s, BadPriceCapture), 0, &error));
        QVERIFY2(error.endsWith(u"bad.jsonl: line 3: a price in \"bids\" is not a number "
                                "Decimal holds"_s),
                 qPrintable(error));
        QVERIFY(!exchange.replay());
        QVERIFY(
            !exchange.startReplay(writeCapture(m_dir, u"cut.jsonl"_s, NotJsonCapture), 0, &error));
        QVERIFY2(error.contains(u"line 2: "_s), qPrintable(error));
        QVERIFY(!exchange.startReplay(writeCapture(m_dir, u"none.jsonl"_s, NothingUsableCapture), 0,
                                      &error));
        QVERIFY2(error.endsWith(u"no book or trade data for any of the exchange's pairs"_s),
                 qPrintable(error));
        QVERIFY(!exchange.startReplay(m_dir.filePath(u"missing.jsonl"_s), 0, &error));
        QVERIFY2(error.startsWith(u"cannot read "_s), qPrintable(error));
        QVERIFY(!exchange.market(u"BTC/USD"_s)->externalFeed());
    }
};

QTEST_GUILESS_MAIN(TestReplayFeed)
#include "tst_replayfeed.moc"
