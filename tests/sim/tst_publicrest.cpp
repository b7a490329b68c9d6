// The paper exchange's public REST methods: shapes checked by hand against Kraken's documented
// ones, values against the markets, every answer read back by our client's parsers, and the
// whole path end to end with kraken::spot::RestClient over a real RestServer.

#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/publicrest.h"
#include "kraken/sim/restserver.h"
#include "kraken/sim/simconfig.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/restparsers.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

const char Rfc1123[] =
    R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000$)";

class TinyRouter : public RestRouter {
public:
    QHash<QString, RestHandler> handlers;
    void addPublic(const QString &method, RestHandler handler) override {
        handlers.insert(method, std::move(handler));
    }
    void addPrivate(const QString &, RestHandler) override {}
    RestResponse call(const QString &method, const QJsonObject &params = {}) {
        return handlers.value(method)(RestRequest{method, params, {}, {}});
    }
};

QStringList keysOf(const QJsonObject &o) {
    QStringList k = o.keys();
    k.sort();
    return k;
}

int decimalsOf(const QString &s) {
    const qsizetype dot = s.indexOf(u'.');
    return dot < 0 ? 0 : int(s.size() - dot - 1);
}

} // namespace

class TestPublicRest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void timeAndStatus();
    void assetsAndPairs();
    void ticker();
    void depth();
    void ohlc();
    void trades();
    void spread();
    void unknownPair();
    void endToEndWithRestClient();

private:
    MarketSim *market(const char *symbol) const;
    SimConfig m_config;
    std::vector<std::unique_ptr<MarketSim>> m_markets;
    TinyRouter m_router;
};

void TestPublicRest::init() {
    m_config = SimConfig::builtIn();
    m_markets.clear();
    m_router.handlers.clear();
    std::vector<MarketSim *> raw;
    for (const SimPair &p : m_config.pairs) {
        m_markets.push_back(std::make_unique<MarketSim>(p, 17));
        raw.push_back(m_markets.back().get());
    }
    registerPublicRest(m_router, m_config, raw);
    const QStringList expected{u"AssetPairs"_s,   u"Assets"_s, u"Depth"_s, u"OHLC"_s,  u"Spread"_s,
                               u"SystemStatus"_s, u"Ticker"_s, u"Time"_s,  u"Trades"_s};
    QStringList methods = m_router.handlers.keys();
    methods.sort();
    QCOMPARE(methods, expected);
}

MarketSim *TestPublicRest::market(const char *symbol) const {
    for (const auto &m : m_markets)
        if (m->symbol() == QLatin1StringView(symbol))
            return m.get();
    return nullptr;
}

void TestPublicRest::timeAndStatus() {
    const RestResponse t = m_router.call(u"Time"_s);
    QVERIFY(t.errors.isEmpty());
    const QJsonObject o = t.result.toObject();
    QCOMPARE(keysOf(o), (QStringList{u"rfc1123"_s, u"unixtime"_s}));
    QVERIFY(o[u"unixtime"_s].isDouble());
    QVERIFY(qAbs(o[u"unixtime"_s].toInteger() - QDateTime::currentSecsSinceEpoch()) < 5);
    QVERIFY2(QRegularExpression(QString::fromLatin1(Rfc1123))
                 .match(o[u"rfc1123"_s].toString())
                 .hasMatch(),
             qPrintable(o[u"rfc1123"_s].toString()));
    QVERIFY(spot::parse::serverTime(t.result).ok());

    const RestResponse s = m_router.call(u"SystemStatus"_s);
    QCOMPARE(s.result[u"status"_s].toString(), u"online"_s);
    QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"_s)
                .match(s.result[u"timestamp"_s].toString())
                .hasMatch());
    QCOMPARE(spot::parse::systemStatus(s.result)->status, u"online"_s);
}

void TestPublicRest::assetsAndPairs() {
    const RestResponse a = m_router.call(u"Assets"_s);
    QCOMPARE(a.result.toObject().size(), m_config.assets.size());
    const QJsonObject xbt = a.result[u"XXBT"_s].toObject();
    QCOMPARE(keysOf(xbt), (QStringList{u"aclass"_s, u"altname"_s, u"decimals"_s,
                                       u"display_decimals"_s, u"status"_s}));
    QCOMPARE(xbt[u"altname"_s].toString(), u"XBT"_s);
    QCOMPARE(xbt[u"aclass"_s].toString(), u"currency"_s);
    QVERIFY(spot::parse::assets(a.result).ok());
    const RestResponse one = m_router.call(u"Assets"_s, {{u"asset"_s, u"BTC,ZUSD"_s}});
    QCOMPARE(keysOf(one.result.toObject()), (QStringList{u"XXBT"_s, u"ZUSD"_s}));
    QCOMPARE(m_router.call(u"Assets"_s, {{u"asset"_s, u"NOPE"_s}}).errors,
             QStringList{u"EQuery:Unknown asset"_s});

    const RestResponse all = m_router.call(u"AssetPairs"_s);
    QCOMPARE(all.result.toObject().size(), m_config.pairs.size());
    QCOMPARE(all.result[u"XXBTZUSD"_s].toObject(), m_config.pairBySymbol(u"BTC/USD")->assetPair);
    const auto reg = spot::parse::assetPairs(all.result);
    QVERIFY(reg.ok());
    QCOMPARE(reg->size(), m_config.pairs.size());
    QCOMPARE(reg->find(u"BTC/USD"_s)->restKey(), u"XXBTZUSD"_s);

    // Any name selects a pair; the answer is keyed by the REST key.
    const RestResponse some =
        m_router.call(u"AssetPairs"_s, {{u"pair"_s, u"BTC/USD,XETHZUSD,XBTEUR"_s}});
    QCOMPARE(keysOf(some.result.toObject()),
             (QStringList{u"XETHZUSD"_s, u"XXBTZEUR"_s, u"XXBTZUSD"_s}));
    const RestResponse lev =
        m_router.call(u"AssetPairs"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"info"_s, u"leverage"_s}});
    QCOMPARE(keysOf(lev.result[u"XXBTZUSD"_s].toObject()),
             (QStringList{u"leverage_buy"_s, u"leverage_sell"_s}));
    QCOMPARE(m_router.call(u"AssetPairs"_s, {{u"pair"_s, u"XBTUSD,NOPE"_s}}).errors,
             QStringList{u"EQuery:Unknown asset pair"_s});
}

void TestPublicRest::ticker() {
    MarketSim *btc = market("BTC/USD");
    btc->step();
    const RestResponse r = m_router.call(u"Ticker"_s, {{u"pair"_s, u"XBTUSD"_s}});
    QVERIFY(r.errors.isEmpty());
    QCOMPARE(keysOf(r.result.toObject()), QStringList{u"XXBTZUSD"_s});
    const QJsonObject t = r.result[u"XXBTZUSD"_s].toObject();
    QCOMPARE(keysOf(t),
             (QStringList{u"a"_s, u"b"_s, u"c"_s, u"h"_s, u"l"_s, u"o"_s, u"p"_s, u"t"_s, u"v"_s}));
    QCOMPARE(t[u"a"_s].toArray().size(), 3);
    QCOMPARE(t[u"b"_s].toArray().size(), 3);
    QCOMPARE(t[u"c"_s].toArray().size(), 2);
    for (const char16_t *k : {u"v", u"p", u"t", u"l", u"h"})
        QCOMPARE(t[QStringView(k)].toArray().size(), 2);
    QCOMPARE(t[u"a"_s][0].toString(), btc->bestAsk()->toString(1));
    QCOMPARE(t[u"b"_s][0].toString(), btc->bestBid()->toString(1));
    QCOMPARE(t[u"a"_s][2].toString(), btc->levels(Side::Sell, 1)[0].qty.toString(8));
    QCOMPARE(t[u"c"_s][0].toString(), btc->lastPrice()->toString(1));
    QCOMPARE(decimalsOf(t[u"p"_s][1].toString()), 1);
    QCOMPARE(decimalsOf(t[u"v"_s][1].toString()), 8);
    QVERIFY(t[u"o"_s].isString());
    QVERIFY(t[u"t"_s][1].isDouble());
    QCOMPARE(t[u"t"_s][1].toInteger(), qint64(btc->ticker().trades));
    const auto parsed = spot::parse::ticker(r.result);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->first().ask, *btc->bestAsk());

    // No pair: every market.
    QCOMPARE(m_router.call(u"Ticker"_s).result.toObject().size(), m_config.pairs.size());
}

void TestPublicRest::depth() {
    MarketSim *eth = market("ETH/USD");
    const RestResponse r =
        m_router.call(u"Depth"_s, {{u"pair"_s, u"ETHUSD"_s}, {u"count"_s, u"5"_s}});
    const QJsonObject book = r.result[u"XETHZUSD"_s].toObject();
    QCOMPARE(keysOf(book), (QStringList{u"asks"_s, u"bids"_s}));
    const QJsonArray asks = book[u"asks"_s].toArray(), bids = book[u"bids"_s].toArray();
    QCOMPARE(asks.size(), 5);
    QCOMPARE(bids.size(), 5);
    const auto marketAsks = eth->levels(Side::Sell, 5);
    for (int i = 0; i < 5; ++i) {
        const QJsonArray l = asks.at(i).toArray();
        QCOMPARE(l.size(), 3);
        QCOMPARE(l.at(0).toString(), marketAsks[std::size_t(i)].price.toString(2));
        QCOMPARE(l.at(1).toString(), marketAsks[std::size_t(i)].qty.toString(8));
        QVERIFY(l.at(2).isDouble());
    }
    const auto parsed = spot::parse::depth(r.result);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->pair, u"XETHZUSD"_s);
    QCOMPARE(parsed->bids.first().price, *eth->bestBid());
    // Default count is 100.
    const RestResponse def = m_router.call(u"Depth"_s, {{u"pair"_s, u"ETHUSD"_s}});
    QCOMPARE(def.result[u"XETHZUSD"_s][u"bids"_s].toArray().size(), 100);
}

void TestPublicRest::ohlc() {
    MarketSim *btc = market("BTC/USD");
    const RestResponse r =
        m_router.call(u"OHLC"_s, {{u"pair"_s, u"XXBTZUSD"_s}, {u"interval"_s, u"1"_s}});
    QVERIFY(r.errors.isEmpty());
    const QJsonObject o = r.result.toObject();
    QCOMPARE(keysOf(o), (QStringList{u"XXBTZUSD"_s, u"last"_s}));
    const QJsonArray rows = o[u"XXBTZUSD"_s].toArray();
    QCOMPARE(rows.size(), 720); // at most 720, and history has more
    for (const QJsonValue &v : rows) {
        const QJsonArray row = v.toArray();
        QCOMPARE(row.size(), 8);
        QVERIFY(row.at(0).isDouble());
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(decimalsOf(row.at(i).toString()), 1);
        QCOMPARE(decimalsOf(row.at(6).toString()), 8);
        QVERIFY(row.at(7).isDouble());
    }
    const auto bars = btc->bars(1);
    QCOMPARE(rows.last()[0].toInteger(), bars.back().begin.toSecsSinceEpoch());
    QCOMPARE(rows.last()[4].toString(), bars.back().close.toString(1));
    QCOMPARE(o[u"last"_s].toInteger(), bars[bars.size() - 2].begin.toSecsSinceEpoch());
    const auto parsed = spot::parse::ohlc(r.result);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->bars.size(), 720);

    // since = last: only what came after the last committed bar.
    const RestResponse later =
        m_router.call(u"OHLC"_s, {{u"pair"_s, u"XBTUSD"_s},
                                  {u"since"_s, QString::number(o[u"last"_s].toInteger())}});
    QCOMPARE(later.result[u"XXBTZUSD"_s].toArray().size(), 1);
    const RestResponse daily =
        m_router.call(u"OHLC"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"interval"_s, u"1440"_s}});
    QVERIFY(!daily.result[u"XXBTZUSD"_s].toArray().isEmpty());
    QCOMPARE(m_router.call(u"OHLC"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"interval"_s, u"2"_s}})
                 .errors.first()
                 .startsWith(u"EGeneral:Invalid arguments"_s),
             true);
}

void TestPublicRest::trades() {
    MarketSim *btc = market("BTC/USD");
    const RestResponse r = m_router.call(u"Trades"_s, {{u"pair"_s, u"XBTUSD"_s}});
    const QJsonObject o = r.result.toObject();
    QCOMPARE(keysOf(o), (QStringList{u"XXBTZUSD"_s, u"last"_s}));
    QVERIFY(o[u"last"_s].isString());
    QCOMPARE(o[u"last"_s].toString(), QString::number(btc->recentTradeTimesNs().back()));
    const QJsonArray rows = o[u"XXBTZUSD"_s].toArray();
    QCOMPARE(rows.size(), 1000);
    const QJsonArray lastRow = rows.last().toArray();
    const MarketTrade &t = btc->recentTrades().back();
    QCOMPARE(lastRow.size(), 7);
    QCOMPARE(lastRow.at(0).toString(), t.price.toString(1));
    QCOMPARE(lastRow.at(1).toString(), t.qty.toString(8));
    QVERIFY(lastRow.at(2).isDouble());
    QVERIFY(qAbs(lastRow.at(2).toDouble() * 1000 - double(t.time.toMSecsSinceEpoch())) < 2);
    QCOMPARE(lastRow.at(3).toString(), t.takerSide == Side::Buy ? u"b"_s : u"s"_s);
    QCOMPARE(lastRow.at(4).toString(), t.marketOrder ? u"m"_s : u"l"_s);
    QCOMPARE(lastRow.at(5).toString(), QString());
    QCOMPARE(lastRow.at(6).toInteger(), t.tradeId);
    const auto parsed = spot::parse::trades(r.result);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->trades.size(), 1000);

    // Paging with the cursor: nothing new, then exactly the new trades.
    const QString cursor = o[u"last"_s].toString();
    const RestResponse none =
        m_router.call(u"Trades"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"since"_s, cursor}});
    QCOMPARE(none.result[u"XXBTZUSD"_s].toArray().size(), 0);
    QCOMPARE(none.result[u"last"_s].toString(), cursor);
    const qint64 before = t.tradeId;
    const auto fills = btc->take(Side::Sell, *Decimal::fromString("0.5"), std::nullopt, true);
    QVERIFY(!fills.empty());
    const RestResponse fresh =
        m_router.call(u"Trades"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"since"_s, cursor}});
    const QJsonArray newRows = fresh.result[u"XXBTZUSD"_s].toArray();
    QCOMPARE(newRows.size(), qsizetype(fills.size()));
    for (qsizetype i = 0; i < newRows.size(); ++i) {
        QCOMPARE(newRows.at(i)[6].toInteger(), before + 1 + i);
        QCOMPARE(newRows.at(i)[3].toString(), u"s"_s);
        QCOMPARE(newRows.at(i)[4].toString(), u"m"_s);
    }
    const RestResponse limited = m_router.call(
        u"Trades"_s, {{u"pair"_s, u"XBTUSD"_s}, {u"since"_s, cursor}, {u"count"_s, u"1"_s}});
    QCOMPARE(limited.result[u"XXBTZUSD"_s].toArray().size(), 1);
}

void TestPublicRest::spread() {
    MarketSim *sol = market("SOL/USD");
    sol->step();
    sol->publishNow();
    const RestResponse r = m_router.call(u"Spread"_s, {{u"pair"_s, u"SOLUSD"_s}});
    const QJsonArray rows = r.result[u"SOLUSD"_s].toArray();
    QVERIFY(!rows.isEmpty());
    const QJsonArray last = rows.last().toArray();
    QCOMPARE(last.size(), 3);
    QVERIFY(last.at(0).isDouble());
    QCOMPARE(last.at(1).toString(), sol->bestBid()->toString(2));
    QCOMPARE(last.at(2).toString(), sol->bestAsk()->toString(2));
    QCOMPARE(r.result[u"last"_s].toInteger(), last.at(0).toInteger());
    QVERIFY(spot::parse::spread(r.result).ok());
}

void TestPublicRest::unknownPair() {
    for (const QString &m : {u"Depth"_s, u"OHLC"_s, u"Trades"_s, u"Spread"_s, u"Ticker"_s}) {
        const RestResponse r = m_router.call(m, {{u"pair"_s, u"NOPEUSD"_s}});
        QCOMPARE(r.errors, QStringList{u"EQuery:Unknown asset pair"_s});
    }
    QCOMPARE(m_router.call(u"Depth"_s).errors, QStringList{u"EQuery:Unknown asset pair"_s});
}

void TestPublicRest::endToEndWithRestClient() {
    Faults faults;
    RestServer server(m_config, &faults);
    std::vector<MarketSim *> raw;
    for (const auto &m : m_markets)
        raw.push_back(m.get());
    registerPublicRest(server, m_config, raw);
    QVERIFY(server.listenOn(QHostAddress::LocalHost, 0));
    spot::RestClientConfig cfg;
    cfg.baseUrl = server.url();
    cfg.limitPublicCalls = false;
    cfg.persistNonce = false;
    spot::RestClient client(cfg);

    std::optional<Result<InstrumentRegistry>> pairs;
    client.assetPairs().then(&client, [&](Result<InstrumentRegistry> r) { pairs = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(pairs.has_value(), 10000);
    QVERIFY2(pairs->ok(), qPrintable(pairs->error().message()));
    QCOMPARE((*pairs)->size(), m_config.pairs.size());

    std::optional<Result<QList<spot::TickerInfo>>> ticker;
    client.ticker({u"BTC/USD"_s}).then(&client, [&](auto r) { ticker = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(ticker.has_value(), 10000);
    QVERIFY2(ticker->ok(), qPrintable(ticker->error().message()));
    QCOMPARE((*ticker)->first().pair, u"XXBTZUSD"_s);
    QCOMPARE((*ticker)->first().bid, *market("BTC/USD")->bestBid());

    std::optional<Result<spot::OhlcPage>> ohlc;
    client.ohlc(u"XBTUSD"_s, 5).then(&client, [&](auto r) { ohlc = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(ohlc.has_value(), 10000);
    QVERIFY2(ohlc->ok(), qPrintable(ohlc->error().message()));
    QVERIFY((*ohlc)->bars.size() > 200);

    std::optional<Result<spot::TradesPage>> trades;
    client.trades(u"ETH/USD"_s).then(&client, [&](auto r) { trades = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(trades.has_value(), 10000);
    QVERIFY2(trades->ok(), qPrintable(trades->error().message()));
    QCOMPARE((*trades)->trades.size(), 1000);
    QCOMPARE((*trades)->trades.last().tradeId, market("ETH/USD")->recentTrades().back().tradeId);

    std::optional<Result<spot::DepthSnapshot>> depth;
    client.depth(u"DOGE/USD"_s, 10).then(&client, [&](auto r) { depth = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(depth.has_value(), 10000);
    QVERIFY2(depth->ok(), qPrintable(depth->error().message()));
    QCOMPARE((*depth)->asks.size(), 10);
    QCOMPARE((*depth)->asks.first().price, *market("DOGE/USD")->bestAsk());

    std::optional<Result<spot::TradesPage>> bad;
    client.trades(u"NOPE/USD"_s).then(&client, [&](auto r) { bad = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(bad.has_value(), 10000);
    QVERIFY(!bad->ok());
    QCOMPARE(bad->error().krakenErrors(), QStringList{u"EQuery:Unknown asset pair"_s});
}

QTEST_GUILESS_MAIN(TestPublicRest)
#include "tst_publicrest.moc"
