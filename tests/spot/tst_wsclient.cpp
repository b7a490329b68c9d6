// WsClient against a Kraken-shaped WebSocket v2 server on 127.0.0.1: subscriptions and acks,
// checksum-verified books (the documented BTC/USD example), one symbol resyncing while
// another streams, reconnect with resubscription after a drop or silence, candles closing
// when the next interval begins, and bad input that must not take the client down.

#include "kraken/book/orderbook.h"
#include "kraken/spot/wsclient.h"
#include "spottestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;

namespace {

struct VectorBook {
    QList<std::pair<QByteArray, QByteArray>> asks, bids; // decimal text at precision
    quint32 checksum = 0;
};

VectorBook loadVectorBook() {
    QString error;
    const QJsonObject v =
        spottest::readJsonObject(spottest::vectorPath("spot_ws_v2_book_checksum.json"), &error);
    VectorBook b;
    for (const QJsonValue &l : v.value(u"asks_ascending"_s).toArray())
        b.asks.append({l[0].toString().toUtf8(), l[1].toString().toUtf8()});
    for (const QJsonValue &l : v.value(u"bids_descending"_s).toArray())
        b.bids.append({l[0].toString().toUtf8(), l[1].toString().toUtf8()});
    b.checksum = quint32(v.value(u"expected"_s)[u"crc32_unsigned"_s].toInteger());
    return b;
}

// Levels as Kraken writes them: JSON numbers with their trailing zeros.
QByteArray levelsJson(const QList<std::pair<QByteArray, QByteArray>> &levels) {
    QByteArray out = "[";
    for (qsizetype i = 0; i < levels.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"price\":" + levels[i].first + ",\"qty\":" + levels[i].second + '}';
    }
    return out + ']';
}

QByteArray bookFrame(const char *type, const QByteArray &symbol,
                     const QList<std::pair<QByteArray, QByteArray>> &bids,
                     const QList<std::pair<QByteArray, QByteArray>> &asks, quint32 checksum) {
    return "{\"channel\":\"book\",\"type\":\"" + QByteArray(type) + "\",\"data\":[{\"symbol\":\"" +
           symbol + "\",\"bids\":" + levelsJson(bids) + ",\"asks\":" + levelsJson(asks) +
           ",\"checksum\":" + QByteArray::number(checksum) +
           ",\"timestamp\":\"2024-05-01T10:00:00.123456Z\"}]}";
}

// The checksum an independent book would have after these levels, computed with the engine
// whose checksum tst_orderbook verifies against Kraken's documented vectors.
quint32 checksumOf(const QList<std::pair<QByteArray, QByteArray>> &bids,
                   const QList<std::pair<QByteArray, QByteArray>> &asks, int pp, int qp) {
    auto convert = [](const QList<std::pair<QByteArray, QByteArray>> &in) {
        std::vector<book::LevelUpdate> out;
        for (const auto &[p, q] : in)
            out.push_back(
                {*Decimal::fromString(p.toStdString()), *Decimal::fromString(q.toStdString())});
        return out;
    };
    book::OrderBook b(u"X"_s, 10, pp, qp);
    const auto bu = convert(bids), au = convert(asks);
    b.applySnapshot(bu, au);
    return b.checksum();
}

const QByteArray InstrumentSnapshot =
    R"({"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[)"
    R"({"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":1,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,"tick_size":0.1,"price_increment":0.1,"qty_min":0.0001},)"
    R"({"symbol":"ETH/USD","base":"ETH","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":2,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,"tick_size":0.01,"price_increment":0.01,"qty_min":0.001}]}})";

const QList<std::pair<QByteArray, QByteArray>> EthBids{{"3000.10", "1.50000000"},
                                                       {"3000.00", "2.00000000"}};
const QList<std::pair<QByteArray, QByteArray>> EthAsks{{"3000.20", "0.50000000"},
                                                       {"3001.00", "4.25000000"}};

// A Kraken-shaped public WS v2 endpoint.
class FakeKrakenWs : public QObject {
public:
    FakeKrakenWs()
        : server(u"fake-kraken"_s, QWebSocketServer::NonSecureMode) {
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = server.nextPendingConnection()) {
                ++connections;
                clients.append(s);
                connect(s, &QWebSocket::textMessageReceived, this,
                        [this, s](const QString &m) { onRequest(s, m); });
                connect(s, &QWebSocket::disconnected, this, [this, s] {
                    clients.removeOne(s);
                    s->deleteLater();
                });
                s->sendTextMessage(QString::fromLatin1(
                    R"({"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":42,"system":"online","version":"2.0.10"}]})"));
            }
        });
        listening = server.listen(QHostAddress::LocalHost, 0);
    }

    // The sockets are the server's children and outlive `clients`: detach them first.
    ~FakeKrakenWs() override {
        for (QWebSocket *s : std::as_const(clients)) {
            s->disconnect(this);
            s->abort();
        }
        clients.clear();
        server.close();
    }

    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/v2"_s.arg(server.serverPort())); }

    void broadcast(const QByteArray &frame) {
        for (QWebSocket *s : std::as_const(clients))
            s->sendTextMessage(QString::fromUtf8(frame));
    }
    void dropAll() {
        for (QWebSocket *s : std::as_const(clients))
            s->abort();
    }
    // Requests seen, as "method channel symbol" lines.
    QStringList requestsMatching(const QString &prefix) const {
        QStringList out;
        for (const QString &r : requests)
            if (r.startsWith(prefix))
                out.append(r);
        return out;
    }

    QWebSocketServer server;
    bool listening = false;
    int connections = 0;
    QList<QWebSocket *> clients;
    QStringList requests;
    bool answerPings = true;
    QSet<QString> refuse; // symbols whose subscribe is refused
    VectorBook btc = loadVectorBook();

private:
    void onRequest(QWebSocket *s, const QString &text) {
        const QJsonObject req = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString method = req.value(u"method"_s).toString();
        const QJsonObject params = req.value(u"params"_s).toObject();
        const QString channel = params.value(u"channel"_s).toString();
        const QString symbol = params.value(u"symbol"_s).toArray().at(0).toString();
        const qint64 reqId = req.value(u"req_id"_s).toInteger();
        requests.append(QString(method + u' ' + channel + u' ' + symbol).trimmed());
        auto send = [s](const QByteArray &f) { s->sendTextMessage(QString::fromUtf8(f)); };
        if (method == u"ping"_s) {
            if (answerPings)
                send(
                    R"({"method":"pong","req_id":)" + QByteArray::number(reqId) +
                    R"(,"time_in":"2024-05-01T10:00:00.000001Z","time_out":"2024-05-01T10:00:00.000002Z"})");
            return;
        }
        if (refuse.contains(symbol)) {
            send(
                R"({"error":"Currency pair not supported )" + symbol.toUtf8() +
                R"(","method":"subscribe","req_id":)" + QByteArray::number(reqId) +
                R"(,"success":false,"symbol":")" + symbol.toUtf8() +
                R"(","time_in":"2024-05-01T10:00:00.000001Z","time_out":"2024-05-01T10:00:00.000002Z"})");
            return;
        }
        send(R"({"method":")" + method.toUtf8() + R"(","result":{"channel":")" + channel.toUtf8() +
             R"(","symbol":")" + symbol.toUtf8() + R"("},"success":true,"req_id":)" +
             QByteArray::number(reqId) + "}");
        if (method != u"subscribe"_s)
            return;
        if (channel == u"instrument"_s)
            send(InstrumentSnapshot);
        if (channel == u"book"_s && symbol == u"BTC/USD"_s)
            send(bookFrame("snapshot", "BTC/USD", btc.bids, btc.asks, btc.checksum));
        if (channel == u"book"_s && symbol == u"ETH/USD"_s)
            send(bookFrame("snapshot", "ETH/USD", EthBids, EthAsks,
                           checksumOf(EthBids, EthAsks, 2, 8)));
    }
};

WsClientConfig testConfig(const QUrl &url) {
    WsClientConfig c;
    c.url = url;
    c.connectTimeoutMs = 10000;
    c.silenceTimeoutMs = 5000;
    c.pongTimeoutMs = 2000;
    c.pingIntervalMs = 60000;
    c.reconnectInitialMs = 50;
    c.reconnectMaxMs = 200;
    c.jitterSeed = 7;
    return c;
}

// Kept outside the test class: Qt 6.4's moc loses track of raw strings inside a class body.
QByteArray candleFrame(const char *begin, const char *close) {
    return QByteArray(
               R"({"channel":"ohlc","type":"update","data":[{"symbol":"BTC/USD","open":45000.0,"high":45100.0,"low":44900.0,"close":)") +
           close + R"(,"trades":12,"volume":1.50000000,"vwap":45010.5,"interval_begin":")" + begin +
           R"(","interval":1,"timestamp":"2024-05-01T10:00:30.000000Z"}]})";
}

WsSubscription bookSub(const QString &symbol, int depth = 10) {
    return {WsSubscription::Channel::Book, symbol, depth, 0};
}

} // namespace

class TestWsClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void booksGoLiveWithVerifiedChecksums() {
        FakeKrakenWs server;
        QVERIFY(server.listening);
        WsClient client(testConfig(server.url()));
        QSignalSpy updated(&client, &WsClient::bookUpdated);
        QSignalSpy status(&client, &WsClient::systemStatus);
        client.subscribe(bookSub(u"btc/usd"_s)); // normalised to upper case
        client.subscribe(bookSub(u"ETH/USD"_s));
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            client.bookSnapshot(u"BTC/USD"_s) && client.bookSnapshot(u"ETH/USD"_s), 20000);
        QCOMPARE(client.resyncCount(), 0);
        QVERIFY(!status.isEmpty());
        // The instrument channel comes first: precisions before books.
        QCOMPARE(server.requests.value(0), u"subscribe instrument"_s);
        const auto snap = client.bookSnapshot(u"BTC/USD"_s);
        QCOMPARE(snap->checksum, server.btc.checksum);
        QCOMPARE(snap->bids.size(), size_t(10));
        QCOMPARE(snap->price(snap->bids.front()).toString(), u"45283.5"_s);
        QCOMPARE(snap->qty(snap->asks.front()).toString(), u"0.00100000"_s);
    }

    void checksumMismatchResyncsOnlyThatSymbol() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.subscribe(bookSub(u"BTC/USD"_s));
        client.subscribe(bookSub(u"ETH/USD"_s));
        QSignalSpy invalid(&client, &WsClient::bookInvalid);
        QSignalSpy updated(&client, &WsClient::bookUpdated);
        client.open();
        QTRY_VERIFY_WITH_TIMEOUT(
            client.bookSnapshot(u"BTC/USD"_s) && client.bookSnapshot(u"ETH/USD"_s), 20000);

        // A BTC/USD update carrying a wrong checksum, then a good ETH/USD update.
        server.broadcast(bookFrame("update", "BTC/USD", {{"45283.5", "0.20000000"}}, {}, 12345));
        const QList<std::pair<QByteArray, QByteArray>> ethBids{{"3000.10", "1.75000000"},
                                                               {"3000.00", "2.00000000"}};
        server.broadcast(bookFrame("update", "ETH/USD", {{"3000.10", "1.75000000"}}, {},
                                   checksumOf(ethBids, EthAsks, 2, 8)));
        QTRY_COMPARE_WITH_TIMEOUT(invalid.size(), 1, 20000);
        QCOMPARE(invalid.at(0).at(0).toString(), u"BTC/USD"_s);
        QVERIFY2(invalid.at(0).at(1).toString().contains(u"checksum"_s),
                 qPrintable(invalid.at(0).at(1).toString()));
        QCOMPARE(client.resyncCount(), 1);
        // ETH/USD kept streaming: its update was applied.
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"ETH/USD"_s) &&
                                     client.bookSnapshot(u"ETH/USD"_s)
                                             ->qty(client.bookSnapshot(u"ETH/USD"_s)->bids.front())
                                             .toString() == u"1.75000000"_s,
                                 20000);
        // Only BTC/USD was resubscribed, and it is live again after its fresh snapshot.
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsMatching(u"unsubscribe"_s),
                                  QStringList{u"unsubscribe book BTC/USD"_s}, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsMatching(u"subscribe book BTC/USD"_s).size(), 2,
                                  20000);
        QCOMPARE(server.requestsMatching(u"subscribe book ETH/USD"_s).size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"BTC/USD"_s) != nullptr, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
    }

    void reconnectsAndResubscribesAfterDrop() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.subscribe(bookSub(u"BTC/USD"_s));
        client.subscribe({WsSubscription::Channel::Trade, u"ETH/USD"_s, 0, 0});
        QSignalSpy gaps(&client, &WsClient::gap);
        QSignalSpy reconnects(&client, &WsClient::reconnectScheduled);
        QSignalSpy states(&client, &WsClient::stateChanged);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        server.dropAll();
        QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 20000);
        QVERIFY(client.bookSnapshot(u"BTC/USD"_s) == nullptr); // the book is stale now
        QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        QVERIFY(reconnects.size() >= 1);
        QCOMPARE(server.requestsMatching(u"subscribe book BTC/USD"_s).size(), 2);
        QCOMPARE(server.requestsMatching(u"subscribe trade ETH/USD"_s).size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"BTC/USD"_s) != nullptr, 20000);
        bool sawReconnecting = false;
        for (const auto &s : states)
            sawReconnecting = sawReconnecting ||
                              s.at(0).value<WsClient::State>() == WsClient::State::Reconnecting;
        QVERIFY(sawReconnecting);
    }

    void silentServerIsDeclaredDead() {
        FakeKrakenWs server;
        WsClientConfig config = testConfig(server.url());
        config.silenceTimeoutMs = 300;
        config.pongTimeoutMs = 300;
        WsClient client(config);
        client.subscribe(bookSub(u"BTC/USD"_s));
        QSignalSpy gaps(&client, &WsClient::gap);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        server.answerPings = false; // and the fake sends no heartbeats
        QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 20000);
        QVERIFY2(gaps.at(0).at(0).toString().contains(u"pong"_s),
                 qPrintable(gaps.at(0).at(0).toString()));
        QVERIFY(server.requestsMatching(u"ping"_s).size() >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(server.connections >= 2, 20000);
    }

    void answeredPingsKeepTheConnection() {
        FakeKrakenWs server;
        WsClientConfig config = testConfig(server.url());
        config.silenceTimeoutMs = 200;
        config.pongTimeoutMs = 5000;
        WsClient client(config);
        QSignalSpy latency(&client, &WsClient::latencyMeasured);
        QSignalSpy gaps(&client, &WsClient::gap);
        client.open();
        QTRY_VERIFY_WITH_TIMEOUT(latency.size() >= 3, 20000);
        QCOMPARE(gaps.size(), 0);
        QCOMPARE(server.connections, 1);
        QVERIFY(client.latencyMs() >= 0);
    }

    void badFramesAreReportedAndSurvived() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.subscribe(bookSub(u"BTC/USD"_s));
        QSignalSpy errors(&client, &WsClient::protocolError);
        QSignalSpy gaps(&client, &WsClient::gap);
        client.open();
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"BTC/USD"_s) != nullptr, 20000);
        server.broadcast("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":");
        server.broadcast("<html><head><title>502 Bad Gateway</title></head></html>");
        server.broadcast(
            "{\"channel\":\"level9\",\"type\":\"update\",\"data\":[]}"); // unknown: ignored
        server.broadcast("[1,2,3]");
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 3, 20000);
        for (const auto &e : errors)
            QCOMPARE(e.at(0).value<Error>().category(), Error::Category::Parse);
        QCOMPARE(gaps.size(), 0);
        QCOMPARE(client.state(), WsClient::State::Live);
        QVERIFY(client.bookSnapshot(u"BTC/USD"_s) != nullptr); // the book is untouched
        QCOMPARE(client.protocolErrorCount(), 3);
    }

    void hugeFrameDropsTheConnectionAndRecovers() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.subscribe(bookSub(u"BTC/USD"_s));
        QSignalSpy gaps(&client, &WsClient::gap);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        const QByteArray huge =
            "{\"channel\":\"trade\",\"data\":\"" + QByteArray(10 * 1024 * 1024, 'x') + "\"}";
        server.broadcast(huge);
        QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 30000);
        QVERIFY(server.connections >= 2);
    }

    void refusedSubscriptionIsReported() {
        FakeKrakenWs server;
        server.refuse.insert(u"XBT/USDX"_s);
        WsClient client(testConfig(server.url()));
        QSignalSpy failed(&client, &WsClient::subscriptionFailed);
        client.subscribe(bookSub(u"XBT/USDX"_s));
        client.subscribe(bookSub(u"BTC/USD"_s, 7)); // not a depth Kraken offers: refused locally
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.at(0).at(1).toString().contains(u"depth"_s));
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20000);
        QVERIFY(failed.at(1).at(1).toString().contains(u"not supported"_s));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        QVERIFY(client.subscriptions().isEmpty());
    }

    void candleClosesWhenTheNextIntervalBegins() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.subscribe({WsSubscription::Channel::Ohlc, u"BTC/USD"_s, 0, 1});
        QSignalSpy forming(&client, &WsClient::candle);
        QSignalSpy closed(&client, &WsClient::candleClosed);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        server.broadcast(candleFrame("2024-05-01T10:00:00.000000000Z", "45050.0"));
        server.broadcast(candleFrame("2024-05-01T10:00:00.000000000Z", "45060.0"));
        QTRY_COMPARE_WITH_TIMEOUT(forming.size(), 2, 20000);
        QCOMPARE(closed.size(), 0); // Kraken never says a candle closed: still forming
        server.broadcast(candleFrame("2024-05-01T10:01:00.000000000Z", "45070.0"));
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 20000);
        const auto final = closed.at(0).at(0).value<ws::OhlcEvent>();
        QCOMPARE(final.close.toString(), u"45060.0"_s); // the last update of that minute
        QCOMPARE(forming.size(), 3);
        // A late re-send of the closed minute does not reopen it.
        server.broadcast(candleFrame("2024-05-01T10:00:00.000000000Z", "1.0"));
        server.broadcast(candleFrame("2024-05-01T10:01:00.000000000Z", "45080.0"));
        QTRY_COMPARE_WITH_TIMEOUT(forming.size(), 4, 20000);
        QCOMPARE(closed.size(), 1);
        QCOMPARE(forming.last().at(0).value<ws::OhlcEvent>().close.toString(), u"45080.0"_s);
    }

    void closeStopsReconnecting() {
        FakeKrakenWs server;
        WsClient client(testConfig(server.url()));
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), WsClient::State::Live, 20000);
        client.close();
        QCOMPARE(client.state(), WsClient::State::Closed);
        QTRY_VERIFY_WITH_TIMEOUT(server.clients.isEmpty(), 20000);
        QCOMPARE(server.connections, 1);
    }
};

QTEST_GUILESS_MAIN(TestWsClient)
#include "tst_wsclient.moc"
