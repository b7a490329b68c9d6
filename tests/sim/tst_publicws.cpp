// PublicWsServer over real loopback sockets: the status message, ping/pong, heartbeats, acks
// and errors checked against hand-written Kraken JSON, book snapshots and updates whose
// checksums verify with an OrderBook fed from the wire, and our WsClient end to end: zero
// resyncs normally, exactly one symbol resynced after a bad checksum or a dropped update.

#include "kraken/book/orderbook.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/publicwsserver.h"
#include "kraken/sim/simconfig.h"
#include "kraken/spot/wsclient.h"
#include "rawws.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

// Kraken's documented shapes, written by hand (time_in/time_out removed before comparing).
const char PongExpected[] = R"({"method":"pong","req_id":7})";
const char TickerAckExpected[] =
    R"({"method":"subscribe","req_id":11,"success":true,
        "result":{"channel":"ticker","event_trigger":"trades","snapshot":true,
                  "symbol":"BTC/USD","warnings":[]}})";
const char UnknownPairExpected[] =
    R"({"error":"Currency pair not supported NOPE/USD","method":"subscribe","req_id":11,
        "success":false,"symbol":"NOPE/USD"})";
const char BookAckExpected[] =
    R"({"method":"subscribe","req_id":12,"success":true,
        "result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD",
                  "warnings":[]}})";
const char BookUnsubAckExpected[] =
    R"({"method":"unsubscribe","req_id":13,"success":true,
        "result":{"channel":"book","depth":10,"symbol":"BTC/USD"}})";
const char Rfc3339Micro[] = R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$)";

QJsonObject parse(const char *json) {
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonObject withoutTimes(QJsonObject o) {
    o.remove(u"time_in"_s);
    o.remove(u"time_out"_s);
    return o;
}

bool isRfc3339Micro(const QJsonValue &v) {
    static const QRegularExpression re(QString::fromLatin1(Rfc3339Micro));
    return re.match(v.toString()).hasMatch();
}

using RawClient = testsupport::RawWsClient;

auto isMethod(const QString &method, qint64 reqId) {
    return [method, reqId](const QJsonObject &o) {
        return o.value(u"method"_s).toString() == method &&
               o.value(u"req_id"_s).toInteger() == reqId;
    };
}

auto isChannel(const QString &channel, const QString &type = {}) {
    return [channel, type](const QJsonObject &o) {
        return o.value(u"channel"_s).toString() == channel &&
               (type.isEmpty() || o.value(u"type"_s).toString() == type);
    };
}

// The precision-safe reading of a WS v2 number: re-printed at the instrument's precision.
Decimal atPrecision(const QJsonValue &v, int precision) {
    return *Decimal::fromString(QString::number(v.toDouble(), 'f', precision));
}

std::vector<book::LevelUpdate> levelsOf(const QJsonArray &a, int pp, int qp) {
    std::vector<book::LevelUpdate> out;
    for (const QJsonValue &l : a)
        out.push_back({atPrecision(l[u"price"_s], pp), atPrecision(l[u"qty"_s], qp)});
    return out;
}

} // namespace

class TestPublicWs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void statusOnOpen();
    void pingPongAndHeartbeat();
    void subscribeAcksAndErrors();
    void instrumentSnapshot();
    void bookChecksumsVerify_data();
    void bookChecksumsVerify();
    void wsClientEndToEnd();
    void badChecksumResyncsOneSymbol();
    void droppedUpdateResyncsOneSymbol();
    void slowClientIsDisconnected();
    void dropWsNowClosesConnections();

private:
    void stepAll(int times);
    MarketSim *market(const char *symbol) const;
    std::unique_ptr<spot::WsClient> startClient();

    SimConfig m_config;
    std::vector<std::unique_ptr<MarketSim>> m_markets;
    std::unique_ptr<Faults> m_faults;
    std::unique_ptr<PublicWsServer> m_server;
};

void TestPublicWs::init() {
    m_config = SimConfig::builtIn();
    m_markets.clear();
    std::vector<MarketSim *> raw;
    for (const SimPair &p : m_config.pairs) {
        m_markets.push_back(std::make_unique<MarketSim>(p, 99));
        raw.push_back(m_markets.back().get());
    }
    m_faults = std::make_unique<Faults>();
    m_server = std::make_unique<PublicWsServer>(m_config, raw, m_faults.get());
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QCOMPARE(m_server->url().scheme(), u"ws"_s);
    QCOMPARE(m_server->url().path(), u"/v2"_s);
}

void TestPublicWs::cleanup() {
    m_server.reset();
    m_faults.reset();
    m_markets.clear();
}

void TestPublicWs::stepAll(int times) {
    for (int i = 0; i < times; ++i) {
        for (auto &m : m_markets) {
            m->step();
            m->publishNow();
        }
    }
}

MarketSim *TestPublicWs::market(const char *symbol) const {
    for (const auto &m : m_markets)
        if (m->symbol() == QLatin1StringView(symbol))
            return m.get();
    return nullptr;
}

void TestPublicWs::statusOnOpen() {
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    const auto status = c.next(isChannel(u"status"_s, u"update"_s));
    QVERIFY(status);
    QVERIFY(status->second.startsWith(
        R"({"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":)"));
    const QJsonObject data = status->first[u"data"_s].toArray().at(0).toObject();
    QCOMPARE(data[u"system"_s].toString(), u"online"_s);
    QCOMPARE(data[u"api_version"_s].toString(), u"v2"_s);
    QVERIFY(data[u"connection_id"_s].isDouble());
    QVERIFY(!data[u"version"_s].toString().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 1, 10000);
}

void TestPublicWs::pingPongAndHeartbeat() {
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    c.send(R"({"method":"ping","req_id":7})"_ba);
    const auto pong = c.next(isMethod(u"pong"_s, 7));
    QVERIFY(pong);
    QCOMPARE(withoutTimes(pong->first), parse(PongExpected));
    QVERIFY(isRfc3339Micro(pong->first[u"time_in"_s]));
    QVERIFY(isRfc3339Micro(pong->first[u"time_out"_s]));

    // Subscribed and otherwise idle (no trades without steps): heartbeats, about one a second.
    c.send(
        R"({"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"]},"req_id":8})"_ba);
    QVERIFY(c.next(isMethod(u"subscribe"_s, 8)));
    const auto hb = c.next(isChannel(u"heartbeat"_s));
    QVERIFY(hb);
    QCOMPARE(hb->second, R"({"channel":"heartbeat"})"_ba);
}

void TestPublicWs::subscribeAcksAndErrors() {
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    c.send(
        R"({"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD","ETH/USD","NOPE/USD"]},"req_id":11})"_ba);
    // One answer per symbol, in order, each with the req_id.
    const auto btc = c.next(isMethod(u"subscribe"_s, 11));
    QVERIFY(btc);
    QCOMPARE(withoutTimes(btc->first), parse(TickerAckExpected));
    QVERIFY(isRfc3339Micro(btc->first[u"time_in"_s]));
    const auto btcSnap = c.next(isChannel(u"ticker"_s, u"snapshot"_s));
    QVERIFY(btcSnap);
    const QJsonObject t = btcSnap->first[u"data"_s].toArray().at(0).toObject();
    QCOMPARE(t[u"symbol"_s].toString(), u"BTC/USD"_s);
    for (const char16_t *k : {u"bid", u"bid_qty", u"ask", u"ask_qty", u"last", u"volume", u"vwap",
                              u"low", u"high", u"change", u"change_pct"})
        QVERIFY2(t[QStringView(k)].isDouble(), qPrintable(QString::fromUtf16(k)));
    QCOMPARE(atPrecision(t[u"bid"_s], 1), *market("BTC/USD")->bestBid());
    const auto eth = c.next(isMethod(u"subscribe"_s, 11));
    QVERIFY(eth);
    QCOMPARE(eth->first[u"result"_s][u"symbol"_s].toString(), u"ETH/USD"_s);
    const auto nope = c.next(isMethod(u"subscribe"_s, 11));
    QVERIFY(nope);
    QCOMPARE(withoutTimes(nope->first), parse(UnknownPairExpected));

    // Errors: already subscribed, unknown channel, bad depth, bad interval, bad JSON, an
    // unsubscribe of nothing. The connection survives them all.
    struct Case {
        QByteArray request;
        const char16_t *errorStart;
    };
    const Case cases[] = {
        {R"({"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"]},"req_id":20})"_ba,
         u"Already subscribed"},
        {R"({"method":"subscribe","params":{"channel":"candles","symbol":["BTC/USD"]},"req_id":21})"_ba,
         u"Channel candles not supported"},
        {R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":11},"req_id":22})"_ba,
         u"Invalid depth"},
        {R"({"method":"subscribe","params":{"channel":"ohlc","symbol":["BTC/USD"],"interval":2},"req_id":23})"_ba,
         u"Invalid interval"},
        {R"({"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]},"req_id":24})"_ba,
         u"Subscription Not Found"},
        {R"({"method":"subscribe","params":{"channel":"trade"},"req_id":25})"_ba,
         u"Malformed request"},
    };
    for (const Case &k : cases) {
        c.send(k.request);
        const qint64 id = QJsonDocument::fromJson(k.request)[u"req_id"_s].toInteger();
        const auto reply = c.next([id](const QJsonObject &o) {
            return o.contains(u"method"_s) && o[u"req_id"_s].toInteger() == id;
        });
        QVERIFY2(reply, k.request.constData());
        QCOMPARE(reply->first[u"success"_s], QJsonValue(false));
        QVERIFY2(reply->first[u"error"_s].toString().startsWith(QStringView(k.errorStart)),
                 qPrintable(reply->first[u"error"_s].toString()));
        QVERIFY(!reply->first.contains(u"result"_s));
        QVERIFY(isRfc3339Micro(reply->first[u"time_out"_s]));
    }
    c.send("{not json"_ba);
    const auto malformed = c.next(
        [](const QJsonObject &o) { return o.contains(u"error"_s) && !o.contains(u"req_id"_s); });
    QVERIFY(malformed);
    QCOMPARE(malformed->first[u"success"_s], QJsonValue(false));
    c.send(R"({"method":"ping","req_id":30})"_ba);
    QVERIFY(c.next(isMethod(u"pong"_s, 30)));

    // A book: ack, then unsubscribe with the same depth.
    c.send(
        R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"]},"req_id":12})"_ba);
    const auto bookAck = c.next(isMethod(u"subscribe"_s, 12));
    QVERIFY(bookAck);
    QCOMPARE(withoutTimes(bookAck->first), parse(BookAckExpected));
    c.send(
        R"({"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":13})"_ba);
    const auto unsub = c.next(isMethod(u"unsubscribe"_s, 13));
    QVERIFY(unsub);
    QCOMPARE(withoutTimes(unsub->first), parse(BookUnsubAckExpected));
}

void TestPublicWs::instrumentSnapshot() {
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    c.send(R"({"method":"subscribe","params":{"channel":"instrument"},"req_id":1})"_ba);
    const auto ack = c.next(isMethod(u"subscribe"_s, 1));
    QVERIFY(ack);
    QCOMPARE(ack->first[u"result"_s][u"channel"_s].toString(), u"instrument"_s);
    const auto snap = c.next(isChannel(u"instrument"_s, u"snapshot"_s));
    QVERIFY(snap);
    const QJsonObject data = snap->first[u"data"_s].toObject();
    QCOMPARE(data[u"pairs"_s].toArray().size(), m_config.pairs.size());
    QCOMPARE(data[u"assets"_s].toArray().size(), m_config.assets.size());
    QJsonObject btc;
    for (const QJsonValue &p : data[u"pairs"_s].toArray())
        if (p[u"symbol"_s].toString() == u"BTC/USD"_s)
            btc = p.toObject();
    QCOMPARE(btc[u"base"_s].toString(), u"BTC"_s);
    QCOMPARE(btc[u"quote"_s].toString(), u"USD"_s);
    QCOMPARE(btc[u"price_precision"_s].toInt(), 1);
    QCOMPARE(btc[u"qty_precision"_s].toInt(), 8);
    QCOMPARE(btc[u"status"_s].toString(), u"online"_s);
    // The increments' text, as Kraken writes them (a double would print 1e-08).
    QVERIFY(snap->second.contains(R"("qty_increment":0.00000001,)"));
    QVERIFY(snap->second.contains(R"("price_increment":0.1,)"));
    QVERIFY(snap->second.contains(R"("price_increment":0.0000001,)")); // DOGE/USD
}

void TestPublicWs::bookChecksumsVerify_data() {
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<int>("depth");
    QTest::newRow("BTC/USD 10") << u"BTC/USD"_s << 10;
    QTest::newRow("ETH/USD 25") << u"ETH/USD"_s << 25;
    QTest::newRow("DOGE/USD 100") << u"DOGE/USD"_s << 100;
    QTest::newRow("BTC/USD 1000") << u"BTC/USD"_s << 1000;
}

void TestPublicWs::bookChecksumsVerify() {
    QFETCH(QString, symbol);
    QFETCH(int, depth);
    const SimPair &pair = *m_config.pairBySymbol(symbol);
    const int pp = pair.pricePrecision, qp = pair.qtyPrecision;
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    c.send(QJsonDocument(QJsonObject{{u"method"_s, u"subscribe"_s},
                                     {u"params"_s, QJsonObject{{u"channel"_s, u"book"_s},
                                                               {u"symbol"_s, QJsonArray{symbol}},
                                                               {u"depth"_s, depth}}},
                                     {u"req_id"_s, 5}})
               .toJson(QJsonDocument::Compact));
    const auto snap = c.next(isChannel(u"book"_s, u"snapshot"_s));
    QVERIFY(snap);
    // Numbers carry exactly the instrument's decimals.
    static const QRegularExpression priceRe(u"\"price\":(-?[0-9.]+)"_s);
    static const QRegularExpression qtyRe(u"\"qty\":(-?[0-9.]+)"_s);
    for (auto it = priceRe.globalMatch(QString::fromUtf8(snap->second)); it.hasNext();) {
        const QString n = it.next().captured(1);
        QCOMPARE(n.size() - n.indexOf(u'.') - 1, pp);
    }
    for (auto it = qtyRe.globalMatch(QString::fromUtf8(snap->second)); it.hasNext();) {
        const QString n = it.next().captured(1);
        QCOMPARE(n.size() - n.indexOf(u'.') - 1, qp);
    }

    book::OrderBook local(symbol, depth, pp, qp);
    const QJsonObject d0 = snap->first[u"data"_s].toArray().at(0).toObject();
    QCOMPARE(d0[u"bids"_s].toArray().size(), depth);
    QCOMPARE(d0[u"asks"_s].toArray().size(), depth);
    QCOMPARE(local.applySnapshot(levelsOf(d0[u"bids"_s].toArray(), pp, qp),
                                 levelsOf(d0[u"asks"_s].toArray(), pp, qp)),
             book::ApplyStatus::Ok);
    QCOMPARE(qint64(local.checksum()), d0[u"checksum"_s].toInteger());
    QVERIFY(isRfc3339Micro(d0[u"timestamp"_s]));

    MarketSim *m = market(qPrintable(symbol));
    int updates = 0;
    for (int round = 0; round < 300; ++round) {
        m->step();
        m->publishNow();
    }
    // Every update applies and verifies, in order, until the subscriber holds the market's
    // current top `depth`.
    const auto bids = m->levels(Side::Buy, depth), asks = m->levels(Side::Sell, depth);
    auto holdsMarket = [&] {
        if (local.bidCount() != bids.size() || local.askCount() != asks.size())
            return false;
        for (std::size_t i = 0; i < bids.size(); ++i)
            if (local.bid(i).price != bids[i].price.mantissa() ||
                local.bid(i).qty != bids[i].qty.mantissa())
                return false;
        for (std::size_t i = 0; i < asks.size(); ++i)
            if (local.ask(i).price != asks[i].price.mantissa() ||
                local.ask(i).qty != asks[i].qty.mantissa())
                return false;
        return true;
    };
    while (!holdsMarket()) {
        const auto u = c.next(isChannel(u"book"_s, u"update"_s));
        QVERIFY2(u, "the stream ended before the subscriber held the market's book");
        const QJsonObject d = u->first[u"data"_s].toArray().at(0).toObject();
        QCOMPARE(d[u"symbol"_s].toString(), symbol);
        QCOMPARE(local.applyUpdate(levelsOf(d[u"bids"_s].toArray(), pp, qp),
                                   levelsOf(d[u"asks"_s].toArray(), pp, qp)),
                 book::ApplyStatus::Ok);
        QCOMPARE(qint64(local.checksum()), d[u"checksum"_s].toInteger());
        ++updates;
    }
    QVERIFY2(updates > 250, qPrintable(QString::number(updates)));
}

std::unique_ptr<spot::WsClient> TestPublicWs::startClient() {
    spot::WsClientConfig cfg;
    cfg.url = m_server->url();
    cfg.jitterSeed = 1;
    cfg.reconnectInitialMs = 50;
    auto client = std::make_unique<spot::WsClient>(cfg);
    return client;
}

void TestPublicWs::wsClientEndToEnd() {
    auto client = startClient();
    QSignalSpy instruments(client.get(), &spot::WsClient::instrumentsUpdated);
    QSignalSpy books(client.get(), &spot::WsClient::bookUpdated);
    QSignalSpy trades(client.get(), &spot::WsClient::trade);
    QSignalSpy tickers(client.get(), &spot::WsClient::ticker);
    QSignalSpy candles(client.get(), &spot::WsClient::candle);
    QSignalSpy failed(client.get(), &spot::WsClient::subscriptionFailed);
    using Ch = spot::WsSubscription::Channel;
    client->subscribe({Ch::Book, u"BTC/USD"_s, 10, 0});
    client->subscribe({Ch::Book, u"ETH/USD"_s, 1000, 0});
    client->subscribe({Ch::Book, u"DOGE/USD"_s, 25, 0});
    client->subscribe({Ch::Trade, u"BTC/USD"_s, 0, 0});
    client->subscribe({Ch::Ticker, u"BTC/USD"_s, 0, 0});
    client->subscribe({Ch::Ohlc, u"BTC/USD"_s, 0, 1});
    client->open();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), spot::WsClient::State::Live, 10000);
    QCOMPARE(instruments.count(), 1);
    const auto pairs = instruments.at(0).at(0).value<QList<spot::ws::InstrumentPairInfo>>();
    bool sawBtc = false;
    for (const auto &p : pairs) {
        if (p.symbol == u"BTC/USD"_s) {
            sawBtc = true;
            QCOMPARE(p.pricePrecision, 1);
            QCOMPARE(p.qtyPrecision, 8);
            QCOMPARE(p.priceIncrement, *Decimal::fromString("0.1"));
            QCOMPARE(p.qtyMin, *Decimal::fromString("0.00005"));
        }
    }
    QVERIFY(sawBtc);
    QTRY_VERIFY_WITH_TIMEOUT(client->bookSnapshot(u"ETH/USD"_s), 10000);

    for (int i = 0; i < 20; ++i) {
        stepAll(10);
        QTest::qWait(1);
    }
    QTRY_VERIFY_WITH_TIMEOUT(books.count() > 300, 10000);
    QVERIFY(trades.count() > 0);
    QVERIFY(tickers.count() > 0);
    QVERIFY(candles.count() > 0);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(client->resyncCount(), 0);
    QCOMPARE(client->protocolErrorCount(), 0);
    // Once the stream is drained, what the client holds is the market's book.
    for (const char *sym : {"BTC/USD", "ETH/USD", "DOGE/USD"}) {
        MarketSim *m = market(sym);
        const QString symbol = QString::fromLatin1(sym);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto snap = client->bookSnapshot(symbol);
                const auto bids = m->levels(Side::Buy, 10);
                return snap && !snap->bids.empty() &&
                       snap->bids[0].price == bids[0].price.mantissa() &&
                       snap->bids[9].qty == bids[9].qty.mantissa();
            }(),
            10000);
    }
    const auto eth = client->bookSnapshot(u"ETH/USD"_s);
    QCOMPARE(eth->bids.size(), std::size_t(1000));
    QCOMPARE(eth->asks.size(), std::size_t(1000));
}

void TestPublicWs::badChecksumResyncsOneSymbol() {
    auto client = startClient();
    QSignalSpy invalid(client.get(), &spot::WsClient::bookInvalid);
    using Ch = spot::WsSubscription::Channel;
    client->subscribe({Ch::Book, u"BTC/USD"_s, 10, 0});
    client->subscribe({Ch::Book, u"ETH/USD"_s, 10, 0});
    client->open();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), spot::WsClient::State::Live, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        client->bookSnapshot(u"ETH/USD"_s) && client->bookSnapshot(u"BTC/USD"_s), 10000);

    QString error;
    QVERIFY(m_faults->apply(u"bad_checksum_every_n=1"_s, &error));
    market("BTC/USD")->step();
    market("BTC/USD")->publishNow(); // this one message goes out with a wrong checksum
    QVERIFY(m_faults->apply(u"bad_checksum_every_n=0"_s, &error));
    QTRY_COMPARE_WITH_TIMEOUT(client->resyncCount(), 1, 10000);
    QCOMPARE(invalid.count(), 1);
    QCOMPARE(invalid.at(0).at(0).toString(), u"BTC/USD"_s);
    QVERIFY(client->bookSnapshot(u"ETH/USD"_s)); // the other symbol never stopped
    QTRY_VERIFY_WITH_TIMEOUT(client->bookSnapshot(u"BTC/USD"_s), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), spot::WsClient::State::Live, 10000);
    for (int i = 0; i < 10; ++i) {
        stepAll(5);
        QTest::qWait(5);
    }
    QTest::qWait(100);
    QCOMPARE(client->resyncCount(), 1);
}

void TestPublicWs::droppedUpdateResyncsOneSymbol() {
    auto client = startClient();
    QSignalSpy invalid(client.get(), &spot::WsClient::bookInvalid);
    using Ch = spot::WsSubscription::Channel;
    client->subscribe({Ch::Book, u"BTC/USD"_s, 10, 0});
    client->subscribe({Ch::Book, u"SOL/USD"_s, 10, 0});
    client->open();
    QTRY_VERIFY_WITH_TIMEOUT(
        client->bookSnapshot(u"SOL/USD"_s) && client->bookSnapshot(u"BTC/USD"_s), 10000);

    QString error;
    QVERIFY(m_faults->apply(u"drop_book_update_every_n=1"_s, &error));
    market("SOL/USD")->step();
    market("SOL/USD")->publishNow(); // never sent, but the server's mirror moved on
    QVERIFY(m_faults->apply(u"drop_book_update_every_n=0"_s, &error));
    for (int i = 0; i < 5 && client->resyncCount() == 0; ++i) {
        market("SOL/USD")->step();
        market("SOL/USD")->publishNow();
        QTest::qWait(50);
    }
    QTRY_COMPARE_WITH_TIMEOUT(client->resyncCount(), 1, 10000);
    QCOMPARE(invalid.at(0).at(0).toString(), u"SOL/USD"_s);
    QVERIFY(client->bookSnapshot(u"BTC/USD"_s));
    QTRY_VERIFY_WITH_TIMEOUT(client->bookSnapshot(u"SOL/USD"_s), 10000);
}

void TestPublicWs::slowClientIsDisconnected() {
    m_server->setMaxPendingBytes(20'000);
    RawClient c;
    QVERIFY(c.open(m_server->url()));
    QSignalSpy closed(&c.ws, &QWebSocket::disconnected);
    // A 1000-level snapshot is far more than 20 kB queued at once.
    c.send(
        R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":1000},"req_id":3})"_ba);
    QVERIFY(closed.wait(10000));
    QCOMPARE(c.ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 10000);
}

void TestPublicWs::dropWsNowClosesConnections() {
    RawClient a, b;
    QVERIFY(a.open(m_server->url()));
    QVERIFY(b.open(m_server->url()));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 2, 10000);
    QSignalSpy closedA(&a.ws, &QWebSocket::disconnected), closedB(&b.ws, &QWebSocket::disconnected);
    QString error;
    QVERIFY(m_faults->apply(u"drop_ws_now"_s, &error));
    QTRY_VERIFY_WITH_TIMEOUT(closedA.count() == 1 && closedB.count() == 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 10000);
}

QTEST_GUILESS_MAIN(TestPublicWs)
#include "tst_publicws.moc"
