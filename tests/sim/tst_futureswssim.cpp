// Kraken Futures WebSocket v1 and the Futures charts API on the paper exchange: the terminal's
// own FuturesWsClient and FuturesRestClient against PaperExchange over loopback, plus raw
// sockets for the exact frames (errors, seq, the challenge signed here with Qt's primitives).

#include "kraken/futures/futuresendpoints.h"
#include "kraken/futures/futuresorderrequest.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/futures/futureswsclient.h"
#include "kraken/sim/futuresengine.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/paperexchange.h"
#include "rawhttp.h"
#include "rawws.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;
using kraken::futures::FuturesWsClient;
using testsupport::RawHttp;
using testsupport::RawWsClient;

namespace {

Decimal d(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

// base64(HMAC-SHA512(base64decode(secret), SHA256(challenge))), as Kraken documents it.
QByteArray signChallenge(const QString &challenge, const QString &secret) {
    const QByteArray digest =
        QCryptographicHash::hash(challenge.toUtf8(), QCryptographicHash::Sha256);
    return QMessageAuthenticationCode::hash(digest, QByteArray::fromBase64(secret.toLatin1()),
                                            QCryptographicHash::Sha512)
        .toBase64();
}

futures::FuturesWsClientConfig wsConfig(const QUrl &url) {
    futures::FuturesWsClientConfig c;
    c.url = url;
    c.jitterSeed = 7;
    c.subscribeHeartbeat = true;
    return c;
}

template<class T> Result<T> await(const futures::FuturesCall<T> &call, QObject *context) {
    std::optional<Result<T>> out;
    call.then(context, [&out](Result<T> r) { out.emplace(std::move(r)); });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 20000); }();
    if (!out)
        return Error(Error::Category::Timeout, u"test: no result"_s);
    return std::move(*out);
}

template<class T> T lastArg(const QSignalSpy &spy) {
    return spy.last().at(0).value<T>();
}

// Expected frames and requests, outside the class (moc cannot read raw strings in it).
const QByteArray InfoEvent = QByteArrayLiteral(R"({"event":"info","version":1})");
const QByteArray SubHeartbeat = QByteArrayLiteral(R"({"event":"subscribe","feed":"heartbeat"})");
const QByteArray AckHeartbeat = QByteArrayLiteral(R"({"event":"subscribed","feed":"heartbeat"})");
const QByteArray SubBookXbt =
    QByteArrayLiteral(R"({"event":"subscribe","feed":"book","product_ids":["PF_XBTUSD"]})");
const QByteArray AckBookXbt =
    QByteArrayLiteral(R"({"event":"subscribed","feed":"book","product_ids":["PF_XBTUSD"]})");
const QByteArray SubBookUnknown =
    QByteArrayLiteral(R"({"event":"subscribe","feed":"book","product_ids":["PF_NOPEUSD"]})");
const QByteArray ErrProduct =
    QByteArrayLiteral(R"({"event":"error","message":"Invalid product id"})");
const QByteArray SubUnknownFeed =
    QByteArrayLiteral(R"({"event":"subscribe","feed":"candles","product_ids":["PF_XBTUSD"]})");
const QByteArray ErrFeed = QByteArrayLiteral(R"({"event":"error","message":"Invalid feed"})");
const QByteArray ErrJson = QByteArrayLiteral(R"({"event":"error","message":"Json Error"})");
const QByteArray UnsubBookXbt =
    QByteArrayLiteral(R"({"event":"unsubscribe","feed":"book","product_ids":["PF_XBTUSD"]})");
const QByteArray UnackBookXbt =
    QByteArrayLiteral(R"({"event":"unsubscribed","feed":"book","product_ids":["PF_XBTUSD"]})");
const QByteArray ChallengeNoKey = QByteArrayLiteral(R"({"event":"challenge"})");
const QByteArray AlertAuth =
    QByteArrayLiteral(R"({"event":"alert","message":"Failed to subscribe to authenticated feed"})");
const QByteArray AckOpenOrders =
    QByteArrayLiteral(R"({"event":"subscribed","feed":"open_orders"})");
const QByteArray PlacedTail =
    QByteArrayLiteral(R"("is_cancel":false,"reason":"new_placed_order_by_user"})");
const QByteArray TickTypes = QByteArrayLiteral(R"(["spot","mark","trade"])");

} // namespace

class TestFuturesWsSim : public QObject {
    Q_OBJECT
    std::unique_ptr<PaperExchange> m_ex;

    const SimAccount &account() const { return m_ex->config().accounts.first(); }
    Credentials paperKeys() const {
        return Credentials(account().futuresApiKey, account().futuresSecret.toLatin1());
    }
    futures::FuturesRestConfig restConfig() const {
        futures::FuturesRestConfig c;
        const auto endpoints =
            futures::FuturesEndpoints::at(m_ex->futuresRestUrl(), m_ex->futuresWsUrl());
        c.baseUrl = endpoints.rest;
        c.chartsUrl = endpoints.charts;
        c.timeoutMs = 10'000;
        c.maxRetries = 0;
        c.persistNonce = false;
        return c;
    }
    // Steps the markets and lets the servers publish.
    void steps(int n) {
        for (int i = 0; i < n; ++i) {
            m_ex->stepAll();
            QCoreApplication::processEvents();
        }
    }
    // Opens a raw socket and reads the info greeting.
    bool openRaw(RawWsClient &raw) {
        if (!raw.open(m_ex->futuresWsUrl()))
            return false;
        const auto info = raw.next([](const QJsonObject &o) { return o.contains(u"event"_s); });
        return info && info->second == InfoEvent;
    }
    std::optional<QByteArray> nextEvent(RawWsClient &raw) {
        const auto e = raw.next([](const QJsonObject &o) { return o.contains(u"event"_s); });
        return e ? std::optional(e->second) : std::nullopt;
    }

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<PaperExchange>(SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QVERIFY(m_ex->start());
        QCOMPARE(m_ex->futuresWsUrl().path(), u"/ws/v1"_s);
        QCOMPARE(m_ex->futuresWsUrl().host(), u"127.0.0.1"_s);
    }
    void cleanup() { m_ex.reset(); }

    // The terminal's client: book, ticker and trades for PF_XBTUSD go Live and stay in sync.
    void publicFeedsThroughTheClient() {
        FuturesWsClient client(wsConfig(m_ex->futuresWsUrl()));
        QSignalSpy tickers(&client, &FuturesWsClient::ticker);
        QSignalSpy trades(&client, &FuturesWsClient::trade);
        QSignalSpy heartbeats(&client, &FuturesWsClient::heartbeat);
        client.subscribe(FuturesWsClient::PublicFeed::Book, u"PF_XBTUSD"_s);
        client.subscribe(FuturesWsClient::PublicFeed::Ticker, u"pf_xbtusd"_s);
        client.subscribe(FuturesWsClient::PublicFeed::Trade, u"PF_XBTUSD"_s);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"PF_XBTUSD"_s) != nullptr, 10000);
        auto book = client.bookSnapshot(u"PF_XBTUSD"_s);
        QVERIFY(!book->bids.empty() && !book->asks.empty());
        QVERIFY(book->price(book->bids.front()) < book->price(book->asks.front()));

        // The ticker came with the subscription, before any step: the engine's figures exactly.
        QTRY_VERIFY_WITH_TIMEOUT(!tickers.isEmpty(), 10000);
        const auto t = lastArg<futures::ws::TickerEvent>(tickers);
        QCOMPARE(t.productId, u"PF_XBTUSD"_s);
        FuturesEngine &e = m_ex->futures();
        QVERIFY(t.markPrice && t.indexPrice && t.fundingRate && t.relativeFundingRate);
        QCOMPARE(t.markPrice->toString(), e.markPrice(u"PF_XBTUSD"_s)->normalized().toString());
        QCOMPARE(t.indexPrice->toString(), e.indexPrice(u"PF_XBTUSD"_s)->normalized().toString());
        QCOMPARE(t.tag, u"perpetual"_s);
        QVERIFY(t.nextFundingRateTimeMs > 0);

        // The snapshot of trades, then live ones as the market steps.
        QTRY_VERIFY_WITH_TIMEOUT(!trades.isEmpty(), 10000);
        QVERIFY(trades.first().at(0).value<futures::ws::TradeEvent>().fromSnapshot);
        const qint64 seq0 = client.bookSeq(u"PF_XBTUSD"_s);
        const qsizetype tradesBefore = trades.size();
        for (int i = 0; i < 60; ++i)
            steps(1);
        QTRY_VERIFY_WITH_TIMEOUT(trades.size() > tradesBefore, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSeq(u"PF_XBTUSD"_s) > seq0 + 20, 10000);
        QCOMPARE(client.resyncCount(), 0);
        QCOMPARE(client.protocolErrorCount(), 0);
        QCOMPARE(client.state(), FuturesWsClient::State::Live);

        // Live trades are the market's tape, exactly.
        MarketSim *m = e.market(u"PF_XBTUSD"_s);
        const auto live = trades.last().at(0).value<futures::ws::TradeEvent>();
        QVERIFY(!live.fromSnapshot);
        bool found = false;
        for (const MarketTrade &mt : m->recentTrades())
            if (mt.tradeId == live.seq) {
                found = true;
                QCOMPARE(live.price.toString(), mt.price.toString());
                QCOMPARE(live.qty.toString(), mt.qty.toString());
                QCOMPARE(live.buy, mt.takerSide == Side::Buy);
            }
        QVERIFY(found);

        // The client's book is the market's book, level for level at the top, once the last
        // step's changes have been published and read.
        auto topText = [](const std::vector<std::pair<Decimal, Decimal>> &levels) {
            QStringList out;
            for (const auto &[price, qty] : levels)
                out.append(price.toString() + u'@' + qty.toString());
            return out.join(u' ');
        };
        auto clientTop = [&] {
            const auto b = client.bookSnapshot(u"PF_XBTUSD"_s, 10);
            std::vector<std::pair<Decimal, Decimal>> v;
            for (const auto &l : b->bids)
                v.emplace_back(b->price(l), b->qty(l));
            for (const auto &l : b->asks)
                v.emplace_back(b->price(l), b->qty(l));
            return topText(v);
        };
        auto marketTop = [&] {
            std::vector<std::pair<Decimal, Decimal>> v;
            for (const SimLevel &l : m->levels(Side::Buy, 10))
                v.emplace_back(l.price, l.qty);
            for (const SimLevel &l : m->levels(Side::Sell, 10))
                v.emplace_back(l.price, l.qty);
            return topText(v);
        };
        QTRY_COMPARE_WITH_TIMEOUT(clientTop(), marketTop(), 10000);
        QCOMPARE(client.resyncCount(), 0);
        QVERIFY(heartbeats.isEmpty() || lastArg<qint64>(heartbeats) > 0);
    }

    // Private feeds with the paper account's Futures keys: orders, fills, positions, balances.
    void privateFeedsThroughTheClient() {
        FuturesWsClient client(wsConfig(m_ex->futuresWsUrl()));
        client.setCredentials(paperKeys());
        QSignalSpy authed(&client, &FuturesWsClient::authenticated);
        QSignalSpy orders(&client, &FuturesWsClient::openOrders);
        QSignalSpy fills(&client, &FuturesWsClient::fills);
        QSignalSpy positions(&client, &FuturesWsClient::positions);
        QSignalSpy balances(&client, &FuturesWsClient::balances);
        QSignalSpy notes(&client, &FuturesWsClient::notifications);
        for (auto f :
             {FuturesWsClient::PrivateFeed::OpenOrders, FuturesWsClient::PrivateFeed::Fills,
              FuturesWsClient::PrivateFeed::OpenPositions, FuturesWsClient::PrivateFeed::Balances,
              FuturesWsClient::PrivateFeed::Notifications})
            client.subscribe(f);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(authed.size(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!orders.isEmpty() && !fills.isEmpty() && !positions.isEmpty() &&
                                     !balances.isEmpty() && !notes.isEmpty(),
                                 10000);
        QVERIFY(lastArg<futures::ws::OpenOrdersEvent>(orders).snapshot);
        QVERIFY(lastArg<futures::ws::OpenOrdersEvent>(orders).orders.isEmpty());
        QVERIFY(lastArg<futures::ws::FillsEvent>(fills).snapshot);
        QVERIFY(lastArg<futures::ws::PositionsEvent>(positions).positions.isEmpty());
        const auto bal = lastArg<futures::ws::BalancesEvent>(balances);
        QVERIFY(bal.snapshot && bal.flexFutures);
        QCOMPARE(bal.flexFutures->currencies.value(u"USD"_s).quantity->toString(), u"50000"_s);
        QCOMPARE(bal.flexFutures->portfolioValue->toString(), u"50000"_s);
        QVERIFY(bal.futures.contains(u"F-XBT:USD"_s));

        // A resting limit order through the terminal's REST client.
        futures::FuturesRestClient rest(restConfig());
        rest.setCredentials(paperKeys());
        FuturesEngine &e = m_ex->futures();
        const Decimal bid = *e.market(u"PF_XBTUSD"_s)->bestBid();
        const Decimal below = *bid.minus(d("2000"));
        futures::FuturesOrderRequest lmt;
        lmt.orderType = futures::FuturesOrderType::Limit;
        lmt.symbol = u"PF_XBTUSD"_s;
        lmt.side = futures::FuturesSide::Buy;
        lmt.size = d("0.0100");
        lmt.limitPrice = below;
        lmt.cliOrdId = u"ws-test-1"_s;
        const auto placed = await(rest.sendOrder(lmt), this);
        QVERIFY2(placed.ok(), qPrintable(placed.ok() ? QString() : placed.error().toString()));
        QCOMPARE(placed.value().status, u"placed"_s);
        QTRY_VERIFY_WITH_TIMEOUT(orders.size() >= 2, 10000);
        auto update = lastArg<futures::ws::OpenOrdersEvent>(orders);
        QVERIFY(!update.snapshot && !update.isCancel);
        QCOMPARE(update.reason, u"new_placed_order_by_user"_s);
        QCOMPARE(update.orders.size(), 1);
        QCOMPARE(update.orders[0].orderId, placed.value().orderId);
        QCOMPARE(update.orders[0].cliOrdId, u"ws-test-1"_s);
        QCOMPARE(update.orders[0].qty.toString(), u"0.01"_s);
        QCOMPARE(update.orders[0].filled.toString(), u"0"_s);
        QCOMPARE(update.orders[0].limitPrice->toString(), below.normalized().toString());
        QCOMPARE(update.orders[0].type, u"limit"_s);
        QVERIFY(update.orders[0].buy);

        // A marketable order: the fill's exact price and size, then the position.
        futures::FuturesOrderRequest mkt;
        mkt.orderType = futures::FuturesOrderType::Market;
        mkt.symbol = u"PF_XBTUSD"_s;
        mkt.side = futures::FuturesSide::Buy;
        mkt.size = d("0.0020");
        const qsizetype fillsBefore = fills.size();
        const auto taken = await(rest.sendOrder(mkt), this);
        QVERIFY(taken.ok());
        QTRY_VERIFY_WITH_TIMEOUT(fills.size() > fillsBefore, 10000);
        const auto engineFills = e.fills(account().id);
        QVERIFY(!engineFills.empty());
        Decimal filled;
        for (qsizetype i = fillsBefore; i < fills.size(); ++i) {
            for (const auto &f : fills.at(i).at(0).value<futures::ws::FillsEvent>().fills) {
                QCOMPARE(f.orderId, taken.value().orderId);
                QVERIFY(f.buy);
                QCOMPARE(f.fillType, u"taker"_s);
                filled = *filled.plus(f.qty);
            }
        }
        const auto lastFill = lastArg<futures::ws::FillsEvent>(fills).fills.last();
        QCOMPARE(lastFill.price.toString(), engineFills.back().price.normalized().toString());
        QCOMPARE(lastFill.qty.toString(), engineFills.back().size.normalized().toString());
        QCOMPARE(lastFill.feePaid->toString(), engineFills.back().fee.normalized().toString());
        QCOMPARE(filled.normalized().toString(), u"0.002"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            !lastArg<futures::ws::PositionsEvent>(positions).positions.isEmpty(), 10000);
        const auto pos = lastArg<futures::ws::PositionsEvent>(positions).positions.first();
        QCOMPARE(pos.instrument, u"PF_XBTUSD"_s);
        QCOMPARE(pos.balance.toString(), u"0.002"_s);
        QCOMPARE(pos.entryPrice->toString(),
                 e.position(account().id, u"PF_XBTUSD"_s)->entryPrice.normalized().toString());
        // Balances moved by the fee.
        QTRY_VERIFY_WITH_TIMEOUT(!lastArg<futures::ws::BalancesEvent>(balances).snapshot, 10000);
        const auto after = lastArg<futures::ws::BalancesEvent>(balances);
        QCOMPARE(after.flexFutures->balanceValue->toString(),
                 e.marginAccount(account().id, u"flex"_s).balance.normalized().toString());
        QVERIFY(*after.flexFutures->balanceValue < d("50000"));

        // A cancel names only the order.
        const qsizetype ordersBefore = orders.size();
        QCOMPARE(e.cancelOrder(account().id, placed.value().orderId, {}).status, u"cancelled"_s);
        QTRY_VERIFY_WITH_TIMEOUT(orders.size() > ordersBefore, 10000);
        update = lastArg<futures::ws::OpenOrdersEvent>(orders);
        QVERIFY(update.isCancel);
        QCOMPARE(update.orderId, placed.value().orderId);
        QCOMPARE(update.reason, u"cancelled_by_user"_s);
        QVERIFY(update.orders.isEmpty());
        QCOMPARE(client.protocolErrorCount(), 0);
    }

    // A wrong secret: Kraken's alert, and the connection still serves the public feeds.
    void wrongSecretKeepsPublicFeeds() {
        FuturesWsClient client(wsConfig(m_ex->futuresWsUrl()));
        client.setCredentials(Credentials(account().futuresApiKey,
                                          QByteArray("c29tZSBvdGhlciBzZWNyZXQgZW50aXJlbHk=")));
        QSignalSpy authFailed(&client, &FuturesWsClient::authenticationFailed);
        QSignalSpy refused(&client, &FuturesWsClient::subscriptionFailed);
        QSignalSpy gaps(&client, &FuturesWsClient::gap);
        client.subscribe(FuturesWsClient::PublicFeed::Book, u"PF_ETHUSD"_s);
        client.subscribe(FuturesWsClient::PrivateFeed::OpenOrders);
        client.open();
        // The alert names no feed: the client takes it as the refusal of the private
        // subscribe it was waiting for, says so, and goes Live with the public feeds.
        QTRY_VERIFY_WITH_TIMEOUT(!authFailed.isEmpty(), 20000);
        const Error e = authFailed.first().at(0).value<Error>();
        QCOMPARE(e.category(), Error::Category::Auth);
        QVERIFY2(e.message().contains(u"open_orders"_s), qPrintable(e.message()));
        QVERIFY2(e.message().contains(u"Failed to subscribe to authenticated feed"_s),
                 qPrintable(e.message()));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().at(0).toString(), u"open_orders"_s);
        QCOMPARE(client.protocolErrorCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), FuturesWsClient::State::Live, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSnapshot(u"PF_ETHUSD"_s) != nullptr, 10000);
        const qint64 seq0 = client.bookSeq(u"PF_ETHUSD"_s);
        steps(20);
        QTRY_VERIFY_WITH_TIMEOUT(client.bookSeq(u"PF_ETHUSD"_s) > seq0, 10000);
        QCOMPARE(gaps.size(), 0); // never disconnected
        QCOMPARE(client.resyncCount(), 0);
    }

    // Frame by frame: acks, the book's seq and text, errors in Kraken's words.
    void rawPublicFrames() {
        RawWsClient raw;
        QVERIFY(openRaw(raw));
        raw.send(SubHeartbeat);
        QCOMPARE(*nextEvent(raw), AckHeartbeat);
        raw.send(SubBookXbt);
        QCOMPARE(*nextEvent(raw), AckBookXbt);
        const auto snap =
            raw.next([](const QJsonObject &o) { return o.value(u"feed"_s) == u"book_snapshot"_s; });
        QVERIFY(snap);
        QVERIFY(snap->second.contains("\"tickSize\":null"));
        qint64 seq = snap->first.value(u"seq"_s).toInteger();
        QVERIFY(seq > 0);
        // PF_XBTUSD: tick 1, sizes at 4 decimals, written as exact numbers.
        const QJsonObject level = snap->first.value(u"bids"_s).toArray().first().toObject();
        QVERIFY(snap->second.contains(QByteArray(
            "{\"price\":" + QByteArray::number(qint64(level.value(u"price"_s).toDouble())) +
            ",\"qty\":")));
        steps(30);
        int deltas = 0;
        while (auto delta = raw.next(
                   [](const QJsonObject &o) { return o.value(u"feed"_s) == u"book"_s; }, 500)) {
            QCOMPARE(delta->first.value(u"seq"_s).toInteger(), ++seq);
            QCOMPARE(delta->first.value(u"product_id"_s).toString(), u"PF_XBTUSD"_s);
            QVERIFY(delta->second.contains("\"side\":\"buy\"") ||
                    delta->second.contains("\"side\":\"sell\""));
            QVERIFY(delta->first.value(u"timestamp"_s).toInteger() > 1'600'000'000'000);
            ++deltas;
        }
        QVERIFY(deltas > 10);

        raw.send(SubBookUnknown);
        QCOMPARE(*nextEvent(raw), ErrProduct);
        raw.send(SubUnknownFeed);
        QCOMPARE(*nextEvent(raw), ErrFeed);
        raw.send("{\"event\":\"subscribe\",");
        QCOMPARE(*nextEvent(raw), ErrJson);
        raw.send("[1,2,3]");
        QCOMPARE(*nextEvent(raw), ErrJson);
        raw.send(QByteArray(200 * 1024, 'x')); // huge: refused unread, connection kept
        QCOMPARE(*nextEvent(raw), ErrJson);
        raw.send(UnsubBookXbt);
        QCOMPARE(*nextEvent(raw), UnackBookXbt);
        QCOMPARE(raw.ws.state(), QAbstractSocket::ConnectedState);
    }

    // The challenge signed here, independently of the terminal's signer; a bad one is refused.
    void rawChallenge() {
        RawWsClient raw;
        QVERIFY(openRaw(raw));
        raw.send(ChallengeNoKey);
        QCOMPARE(*nextEvent(raw), ErrJson);
        const QString key = account().futuresApiKey;
        raw.send(QJsonDocument(QJsonObject{{u"event"_s, u"challenge"_s}, {u"api_key"_s, key}})
                     .toJson(QJsonDocument::Compact));
        const auto challenge =
            raw.next([](const QJsonObject &o) { return o.value(u"event"_s) == u"challenge"_s; });
        QVERIFY(challenge);
        const QString uuid = challenge->first.value(u"message"_s).toString();
        QVERIFY(QUuid::fromString(uuid).isNull() == false);

        auto subscribe = [&](const QString &feed, const QString &orig, const QByteArray &sig) {
            raw.send(QJsonDocument(QJsonObject{{u"event"_s, u"subscribe"_s},
                                               {u"feed"_s, feed},
                                               {u"api_key"_s, key},
                                               {u"original_challenge"_s, orig},
                                               {u"signed_challenge"_s, QString::fromLatin1(sig)}})
                         .toJson(QJsonDocument::Compact));
        };
        const QByteArray alert = AlertAuth;
        subscribe(u"open_orders"_s, uuid, signChallenge(uuid, u"AAAA"_s));
        QCOMPARE(*nextEvent(raw), alert);
        // A challenge this connection was never given does not pass, even signed right.
        const QString other = u"c100b894-1729-464d-ace1-52dbce11db42"_s;
        subscribe(u"open_orders"_s, other, signChallenge(other, account().futuresSecret));
        QCOMPARE(*nextEvent(raw), alert);
        subscribe(u"open_orders"_s, uuid, signChallenge(uuid, account().futuresSecret));
        QCOMPARE(*nextEvent(raw), AckOpenOrders);
        const auto snapshot = raw.next(
            [](const QJsonObject &o) { return o.value(u"feed"_s) == u"open_orders_snapshot"_s; });
        QVERIFY(snapshot);
        QCOMPARE(snapshot->first.value(u"orders"_s).toArray().size(), 0);

        // An order placed in the engine arrives with its exact text.
        FuturesOrderParams p;
        p.orderType = u"lmt"_s;
        p.symbol = u"PF_XBTUSD"_s;
        p.side = u"sell"_s;
        p.size = d("0.1250");
        p.limitPrice = d("999999");
        QCOMPARE(m_ex->futures().sendOrder(account().id, p).status, u"placed"_s);
        const auto update =
            raw.next([](const QJsonObject &o) { return o.value(u"feed"_s) == u"open_orders"_s; });
        QVERIFY(update);
        QVERIFY(update->second.contains("\"qty\":0.125,\"filled\":0,\"limit_price\":999999,"));
        QVERIFY(update->second.contains("\"direction\":1"));
        QVERIFY(update->second.endsWith(PlacedTail));
    }

    // Candles through the terminal's client, and the API's paging on the wire.
    void charts() {
        const auto endpoints =
            futures::FuturesEndpoints::at(m_ex->futuresRestUrl(), m_ex->futuresWsUrl());
        QCOMPARE(endpoints.charts, m_ex->futuresChartsUrl());
        QCOMPARE(m_ex->futuresChartsUrl().path(), u"/api/charts/v1"_s);
        steps(20);
        futures::FuturesRestClient rest(restConfig());
        const auto page = await(rest.candles(u"trade"_s, u"PF_XBTUSD"_s, u"1m"_s), this);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().toString()));
        const auto &candles = page.value().candles;
        QVERIFY(candles.size() > 100);
        QVERIFY(!page.value().moreCandles);
        for (const auto &c : candles) {
            QVERIFY(c.high >= c.open && c.high >= c.close);
            QVERIFY(c.low <= c.open && c.low <= c.close);
            QCOMPARE(c.timeMs % 60000, 0);
        }
        MarketSim *m = m_ex->futures().market(u"PF_XBTUSD"_s);
        const auto bars = m->bars(1);
        const OhlcBar &b = bars.back();
        const auto &c = candles.last();
        QCOMPARE(c.timeMs, b.begin.toMSecsSinceEpoch());
        QCOMPARE(c.open.toString(), b.open.toString());
        QCOMPARE(c.high.toString(), b.high.toString());
        QCOMPARE(c.low.toString(), b.low.toString());
        QCOMPARE(c.close.toString(), b.close.toString());
        QCOMPARE(c.volume.toString(), b.volume.normalized().toString());

        // 12h candles are built from the 4h bars.
        const auto half = await(rest.candles(u"trade"_s, u"PF_XBTUSD"_s, u"12h"_s), this);
        QVERIFY(half.ok() && !half.value().candles.isEmpty());
        QCOMPARE(half.value().candles.last().timeMs % (12 * 3600 * 1000), 0);
        QCOMPARE(half.value().candles.last().close.toString(), b.close.toString());

        // Paging: from + count gives the first candles and more_candles.
        RawHttp http(m_ex->restUrl());
        const qint64 from = bars.front().begin.toSecsSinceEpoch();
        const auto r =
            http.send("GET", "/api/charts/v1/trade/PF_XBTUSD/1m?from=" + QByteArray::number(from) +
                                 "&count=3");
        QCOMPARE(r.status, 200);
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(o.value(u"candles"_s).toArray().size(), 3);
        QCOMPARE(o.value(u"more_candles"_s).toBool(), true);
        QVERIFY(r.body.startsWith(QByteArray(
            "{\"candles\":[{\"time\":" + QByteArray::number(from * 1000) + ",\"open\":\"")));
        QCOMPARE(http.send("GET", "/api/charts/v1/trade/PF_NOPE/1m").status, 404);
        QCOMPARE(http.send("GET", "/api/charts/v1/trade/PF_XBTUSD/2m").status, 404);
        QCOMPARE(http.send("GET", "/api/charts/v1/trade/PF_XBTUSD/1m?from=abc").status, 400);
        QCOMPARE(http.send("GET", "/api/charts/v1/").body, QByteArray(TickTypes));

        // Mark candles: the index's Spot bars moved by the premium, with no volume.
        const auto mark = await(rest.candles(u"mark"_s, u"PF_XBTUSD"_s, u"1h"_s), this);
        QVERIFY(mark.ok() && !mark.value().candles.isEmpty());
        QCOMPARE(mark.value().candles.last().volume.toString(), u"0"_s);
    }
};

QTEST_MAIN(TestFuturesWsSim)
#include "tst_futureswssim.moc"
