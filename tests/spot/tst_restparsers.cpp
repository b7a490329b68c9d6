// The Spot REST result parsers (restparsers.h) on fixtures in Kraken's documented shapes
// (tests/data/spot/*.json, whole envelopes; the parsers get their `result`), and on malformed
// variants: every bad input must give a Parse error that names the field at fault.

#include "kraken/spot/restparsers.h"
#include "spottestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using spottest::dec;

namespace {

QJsonValue parseJson(const QByteArray &text) {
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &e);
    if (e.error != QJsonParseError::NoError)
        QTest::qFail(qPrintable(u"test JSON does not parse: "_s + e.errorString()), __FILE__,
                     __LINE__);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

template<class T> const T *findBy(const QList<T> &list, QString T::*member, const QString &key) {
    for (const T &item : list) {
        if (item.*member == key)
            return &item;
    }
    return nullptr;
}

} // namespace

// Loads the fixture's `result` into `var`, failing the test when the file is unusable.
#define LOAD_RESULT(var, file)                                                                     \
    QJsonObject var##Envelope_;                                                                    \
    {                                                                                              \
        QString error_;                                                                            \
        var##Envelope_ = spottest::readJsonObject(spottest::fixturePath(file), &error_);           \
        QVERIFY2(error_.isEmpty(), qPrintable(error_));                                            \
    }                                                                                              \
    QJsonValue var = var##Envelope_.value(u"result"_s);                                            \
    QVERIFY2(var.isObject(), file " has no result object")

// Expects a Parse error whose text contains every phrase given.
#define EXPECT_PARSE_ERROR(res, ...)                                                               \
    do {                                                                                           \
        const auto &r_ = (res);                                                                    \
        QVERIFY2(!r_.ok(), "bad input was accepted");                                              \
        QCOMPARE(r_.error().category(), Error::Category::Parse);                                   \
        for (const QString &phrase_ : QStringList{__VA_ARGS__})                                    \
            QVERIFY2(r_.error().toString().contains(phrase_),                                      \
                     qPrintable(u"'"_s + phrase_ + u"' not in: "_s + r_.error().toString()));      \
    } while (false)

class TestRestParsers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void serverTime();
    void serverTimeBad();
    void systemStatus();
    void ticker();
    void tickerMissingArray();
    void tickerBadValues();
    void ohlc();
    void ohlcShortRow();
    void ohlcWithoutPair();
    void ohlcBadCursor();
    void depth();
    void depthBadLevel();
    void trades();
    void tradesBadSide();
    void spread();
    void pairlessAnswersSaySo();
    void assetPairs();
    void assetPairsSkipsBadEntries();
    void assetPairsAllBad();
    void balance();
    void balanceRejectsNonDecimals_data();
    void balanceRejectsNonDecimals();
    void balanceEx();
    void openOrders();
    void queryOrders();
    void closedOrdersCount();
    void orderMissingFields();
    void tradesHistory();
    void ledgers();
    void addOrder();
    void addOrderValidateOnly();
    void addOrderBatch();
    void amendOrder();
    void cancel();
    void cancelAllOrdersAfter();
    void webSocketsToken();
    void tradeBalance();
    void notAnObject();
};

void TestRestParsers::serverTime() {
    const auto t = parse::serverTime(
        parseJson(R"({"unixtime":1700000000,"rfc1123":"Tue, 14 Nov 23 22:13:20 +0000"})"));
    KT_VERIFY_OK(t);
    QCOMPARE(t->unixTime, 1700000000);
    QCOMPARE(t->rfc1123, u"Tue, 14 Nov 23 22:13:20 +0000"_s);
}

void TestRestParsers::serverTimeBad() {
    EXPECT_PARSE_ERROR(parse::serverTime(parseJson(R"({"unixtime":"soon"})")), u"unixtime"_s);
}

void TestRestParsers::systemStatus() {
    const auto s = parse::systemStatus(
        parseJson(R"({"status":"cancel_only","timestamp":"2023-07-06T18:52:00Z"})"));
    KT_VERIFY_OK(s);
    QCOMPARE(s->status, u"cancel_only"_s);
    QCOMPARE(s->timestamp, u"2023-07-06T18:52:00Z"_s);
    EXPECT_PARSE_ERROR(parse::systemStatus(parseJson(R"({"timestamp":"x"})")), u"status"_s);
}

void TestRestParsers::ticker() {
    LOAD_RESULT(result, "ticker.json");
    const auto r = parse::ticker(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    const TickerInfo *t = findBy(*r, &TickerInfo::pair, u"XXBTZUSD"_s);
    QVERIFY(t);
    QCOMPARE(t->ask, dec("30300.1"));
    QCOMPARE(t->ask.toString(), u"30300.10000"_s); // Kraken's scale survives
    QCOMPARE(t->askWholeLotVolume, dec("1"));
    QCOMPARE(t->askLotVolume.toString(), u"1.000"_s);
    QCOMPARE(t->bid, dec("30300.00000"));
    QCOMPARE(t->last, dec("30303.2"));
    QCOMPARE(t->lastVolume.toString(), u"0.00067643"_s);
    QCOMPARE(t->volumeToday.toString(), u"4083.67001100"_s);
    QCOMPARE(t->volume24h, dec("4412.73601799"));
    QCOMPARE(t->vwapToday, dec("30706.77771"));
    QCOMPARE(t->vwap24h, dec("30689.13205"));
    QCOMPARE(t->tradesToday, 34619);
    QCOMPARE(t->trades24h, 38907);
    QCOMPARE(t->lowToday, dec("29868.3"));
    QCOMPARE(t->high24h, dec("31631"));
    QCOMPARE(t->open, dec("30502.8"));

    const TickerInfo *eth = findBy(*r, &TickerInfo::pair, u"XETHZUSD"_s);
    QVERIFY(eth);
    QCOMPARE(eth->bid, dec("1843.09"));
    QCOMPARE(eth->lastVolume.toString(), u"0.01000000"_s);
}

void TestRestParsers::tickerMissingArray() {
    LOAD_RESULT(result, "ticker.json");
    QJsonObject all = result.toObject();
    QJsonObject btc = all.value(u"XXBTZUSD"_s).toObject();
    btc.remove(u"a"_s);
    all.insert(u"XXBTZUSD"_s, btc);
    EXPECT_PARSE_ERROR(parse::ticker(all), u"'a'"_s, u"Ticker"_s);
}

void TestRestParsers::tickerBadValues() {
    LOAD_RESULT(result, "ticker.json");
    QJsonObject all = result.toObject();
    QJsonObject btc = all.value(u"XXBTZUSD"_s).toObject();

    QJsonObject badPrice = btc;
    badPrice.insert(u"b"_s, QJsonArray{u"30300,0"_s, u"1"_s, u"1.000"_s});
    all.insert(u"XXBTZUSD"_s, badPrice);
    EXPECT_PARSE_ERROR(parse::ticker(all), u"b[0]"_s);

    QJsonObject shortArray = btc;
    shortArray.insert(u"c"_s, QJsonArray{u"30303.2"_s});
    all.insert(u"XXBTZUSD"_s, shortArray);
    EXPECT_PARSE_ERROR(parse::ticker(all), u"c[1]"_s);

    QJsonObject badCount = btc;
    badCount.insert(u"t"_s, QJsonArray{u"many"_s, 5});
    all.insert(u"XXBTZUSD"_s, badCount);
    EXPECT_PARSE_ERROR(parse::ticker(all), u"t[0]"_s);

    QJsonObject noOpen = btc;
    noOpen.remove(u"o"_s);
    all.insert(u"XXBTZUSD"_s, noOpen);
    EXPECT_PARSE_ERROR(parse::ticker(all), u"'o'"_s);
}

void TestRestParsers::ohlc() {
    LOAD_RESULT(result, "ohlc.json");
    const auto r = parse::ohlc(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->pair, u"XXBTZUSD"_s); // not "last"
    QCOMPARE(r->last, 1688671260);
    QCOMPARE(r->bars.size(), 3);
    const OhlcBar &b = r->bars.at(1);
    QCOMPARE(b.time, 1688671260);
    QCOMPARE(b.open, dec("30304.5"));
    QCOMPARE(b.high, dec("30304.5"));
    QCOMPARE(b.low, dec("30300.0"));
    QCOMPARE(b.close.toString(), u"30300.0"_s);
    QCOMPARE(b.vwap, dec("30300"));
    QCOMPARE(b.volume.toString(), u"4.42996871"_s);
    QCOMPARE(b.count, 18);
    QCOMPARE(r->bars.first().time, 1688671200); // oldest first
    QCOMPARE(r->bars.last().count, 25);
}

void TestRestParsers::ohlcShortRow() {
    const auto r = parse::ohlc(parseJson(
        R"({"XXBTZUSD":[[1688671200,"30306.1","30306.2","30305.7","30305.7"]],"last":1688671200})"));
    EXPECT_PARSE_ERROR(r, u"row 0"_s, u"5 fields"_s, u"expected 8"_s);
}

void TestRestParsers::ohlcWithoutPair() {
    EXPECT_PARSE_ERROR(parse::ohlc(parseJson(R"({"last":1688671200})")), u"no pair"_s);
}

void TestRestParsers::ohlcBadCursor() {
    EXPECT_PARSE_ERROR(parse::ohlc(parseJson(R"({"XXBTZUSD":[],"last":"later"})")), u"'last'"_s);
}

void TestRestParsers::depth() {
    LOAD_RESULT(result, "depth.json");
    const auto r = parse::depth(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->pair, u"XXBTZUSD"_s);
    QCOMPARE(r->asks.size(), 3);
    QCOMPARE(r->bids.size(), 3);
    QCOMPARE(r->asks.at(0).price.toString(), u"30384.10000"_s);
    QCOMPARE(r->asks.at(0).volume.toString(), u"2.059"_s);
    QCOMPARE(r->asks.at(0).timestamp, 1688671659);
    QVERIFY(r->asks.at(0).price < r->asks.at(2).price); // ascending as sent
    QCOMPARE(r->bids.at(0).price, dec("30297"));
    QCOMPARE(r->bids.at(1).volume, dec("0.002"));
    QVERIFY(r->bids.at(0).price > r->bids.at(2).price); // descending as sent
}

void TestRestParsers::depthBadLevel() {
    EXPECT_PARSE_ERROR(parse::depth(parseJson(
                           R"({"XXBTZUSD":{"asks":[["30384.1","lots",1688671659]],"bids":[]}})")),
                       u"'volume'"_s);
    EXPECT_PARSE_ERROR(parse::depth(parseJson(R"({"XXBTZUSD":{"asks":[]}})")), u"'bids'"_s);
}

void TestRestParsers::trades() {
    LOAD_RESULT(result, "trades.json");
    const auto r = parse::trades(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->pair, u"XXBTZUSD"_s);
    QCOMPARE(r->last, u"1688671969993150842"_s); // opaque string cursor, not a double
    QCOMPARE(r->trades.size(), 3);
    const PublicTrade &t = r->trades.at(0);
    QCOMPARE(t.price.toString(), u"30243.40000"_s);
    QCOMPARE(t.volume.toString(), u"0.34507431"_s);
    QCOMPARE(t.time, dec("1688669597.827737")); // float seconds kept to the microsecond
    QCOMPARE(t.side, QChar(u'b'));
    QCOMPARE(t.orderType, QChar(u'm'));
    QCOMPARE(t.tradeId, 61044952);
    QCOMPARE(r->trades.at(1).side, QChar(u's'));
    QCOMPARE(r->trades.at(1).orderType, QChar(u'l'));
    QCOMPARE(r->trades.at(2).time, dec("1688669599.1234"));
    QCOMPARE(r->trades.at(2).volume.toString(), u"0.10000000"_s);
}

void TestRestParsers::tradesBadSide() {
    EXPECT_PARSE_ERROR(parse::trades(parseJson(
                           R"({"XXBTZUSD":[["1.0","2.0",1688669597.5,"x","m","",1]],"last":"1"})")),
                       u"side"_s);
}

void TestRestParsers::spread() {
    const auto r = parse::spread(parseJson(
        R"({"XXBTZUSD":[[1688671834,"30292.10000","30297.50000"],[1688671836,"30292.10000","30296.70000"]],
            "last":1688672106})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->pair, u"XXBTZUSD"_s);
    QCOMPARE(r->last, 1688672106);
    QCOMPARE(r->entries.size(), 2);
    QCOMPARE(r->entries.at(1).time, 1688671836);
    QCOMPARE(r->entries.at(1).bid.toString(), u"30292.10000"_s);
    QCOMPARE(r->entries.at(1).ask, dec("30296.7"));
    EXPECT_PARSE_ERROR(parse::spread(parseJson(R"({"XXBTZUSD":[[1688671834,"x","1"]],"last":1})")),
                       u"'bid'"_s);
}

void TestRestParsers::pairlessAnswersSaySo() {
    // Only the cursor came back: the message must say the pair is missing, not complain
    // about a field with an empty name.
    const QJsonValue onlyLast = parseJson(R"({"last":"1688671969993150842"})");
    EXPECT_PARSE_ERROR(parse::trades(onlyLast), u"no pair"_s, u"Trades"_s);
    EXPECT_PARSE_ERROR(parse::depth(parseJson(R"({})")), u"no pair"_s, u"Depth"_s);
    EXPECT_PARSE_ERROR(parse::spread(parseJson(R"({"last":1688672106})")), u"no pair"_s);
}

void TestRestParsers::assetPairs() {
    LOAD_RESULT(result, "assetpairs.json");
    const auto r = parse::assetPairs(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    for (const QString &name :
         {u"BTC/USD"_s, u"XBTUSD"_s, u"XXBTZUSD"_s, u"XBT/USD"_s, u"xbtusd"_s}) {
        const Instrument *in = r->find(name);
        QVERIFY2(in, qPrintable(name));
        QCOMPARE(in->restKey(), u"XXBTZUSD"_s);
    }
    const Instrument *btc = r->find(u"BTC/USD"_s);
    QCOMPARE(btc->symbol(), u"BTC/USD"_s);
    QCOMPARE(btc->baseCode(), u"XXBT"_s);
    QCOMPARE(btc->pairDecimals(), 1);
    QCOMPARE(btc->lotDecimals(), 8);
    QCOMPARE(btc->tickSize(), dec("0.1"));
    QCOMPARE(btc->orderMin(), dec("0.0001"));
    QCOMPARE(btc->costMin(), dec("0.5"));
    const Instrument *eth = r->find(u"ETHUSD"_s);
    QVERIFY(eth);
    QCOMPARE(eth->symbol(), u"ETH/USD"_s);
    QCOMPARE(eth->status(), u"post_only"_s);
    QVERIFY(!r->find(u"XBTEUR"_s));
}

void TestRestParsers::assetPairsSkipsBadEntries() {
    LOAD_RESULT(result, "assetpairs.json");
    QJsonObject all = result.toObject();
    QJsonObject eth = all.value(u"XETHZUSD"_s).toObject();
    eth.remove(u"pair_decimals"_s);
    all.insert(u"XETHZUSD"_s, eth);
    const auto r = parse::assetPairs(all);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 1);
    QVERIFY(r->find(u"BTC/USD"_s));
    QVERIFY(!r->find(u"ETH/USD"_s));
}

void TestRestParsers::assetPairsAllBad() {
    const auto r = parse::assetPairs(parseJson(R"({"XXBTZUSD":{"wsname":"XBT/USD"}})"));
    EXPECT_PARSE_ERROR(r, u"XXBTZUSD"_s, u"altname"_s);
}

void TestRestParsers::balance() {
    LOAD_RESULT(result, "balance.json");
    const auto r = parse::balance(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 5);
    QCOMPARE(r->value(u"ZUSD"_s), dec("171288.6158"));
    QCOMPARE(r->value(u"XXBT"_s).toString(), u"1011.1908877900"_s);
    QCOMPARE(r->value(u"XETH"_s), dec("818.55"));
    QCOMPARE(r->value(u"USDT"_s).toString(), u"0.10000000"_s);
    QCOMPARE(r->value(u"USDT"_s).scale(), 8);
}

void TestRestParsers::balanceRejectsNonDecimals_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("text") << QByteArray(R"({"ZUSD":"1.0","XXBT":"abc"})");
    QTest::newRow("fraction as JSON number") << QByteArray(R"({"ZUSD":"1.0","XXBT":1.5})");
    QTest::newRow("empty string") << QByteArray(R"({"ZUSD":"1.0","XXBT":""})");
    QTest::newRow("null") << QByteArray(R"({"ZUSD":"1.0","XXBT":null})");
    QTest::newRow("object") << QByteArray(R"({"ZUSD":"1.0","XXBT":{"balance":"1"}})");
}

void TestRestParsers::balanceRejectsNonDecimals() {
    QFETCH(QByteArray, json);
    EXPECT_PARSE_ERROR(parse::balance(parseJson(json)), u"'XXBT'"_s, u"decimal"_s, u"Balance"_s);
}

void TestRestParsers::balanceEx() {
    LOAD_RESULT(result, "balanceex.json");
    const auto r = parse::balanceEx(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    const ExtendedBalance usd = r->value(u"ZUSD"_s);
    QCOMPARE(usd.balance, dec("25435.21"));
    QCOMPARE(usd.holdTrade, dec("8249.76"));
    QVERIFY(usd.credit.isZero());
    QCOMPARE(usd.available(), dec("17185.45"));
    const ExtendedBalance btc = r->value(u"XXBT"_s);
    QCOMPARE(btc.available(), dec("0.8012")); // 1.2435 + 0.5 - 0.1 - 0.8423

    EXPECT_PARSE_ERROR(parse::balanceEx(parseJson(R"({"ZUSD":{"balance":"1","hold_trade":"x"}})")),
                       u"'hold_trade'"_s);
    EXPECT_PARSE_ERROR(parse::balanceEx(parseJson(R"({"ZUSD":{"hold_trade":"1"}})")),
                       u"'balance'"_s);
}

void TestRestParsers::openOrders() {
    LOAD_RESULT(result, "openorders.json");
    const auto r = parse::openOrders(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->orders.size(), 2);
    QCOMPARE(r->count, 2); // no "count" key: the number of orders
    const OrderInfo *o = findBy(r->orders, &OrderInfo::txid, u"OQCLML-BW3P3-BUCMWZ"_s);
    QVERIFY(o);
    QCOMPARE(o->status, u"open"_s);
    QCOMPARE(o->descr.pair, u"XBTUSD"_s);
    QCOMPARE(o->descr.type, u"buy"_s);
    QCOMPARE(o->descr.orderType, u"limit"_s);
    QCOMPARE(o->descr.price, u"30010.0"_s);
    QCOMPARE(o->descr.order, u"buy 1.25000000 XBTUSD @ limit 30010.0"_s);
    QCOMPARE(o->volume.toString(), u"1.25000000"_s);
    QCOMPARE(o->volumeExecuted, dec("0.375"));
    QCOMPARE(o->cost, dec("11253.7"));
    QCOMPARE(o->averagePrice, dec("30010"));
    QCOMPARE(o->openTime, dec("1688666559.8974"));
    QVERIFY(o->startTime.isZero());
    QCOMPARE(o->oflags, u"fciq"_s);
    QCOMPARE(o->trades, QStringList{u"TCCCTY-WE2O6-P3NB37"_s});
    QVERIFY(o->clOrdId.isEmpty());
    QCOMPARE(o->raw.value(u"misc"_s).toString(), QString());

    const OrderInfo *p = findBy(r->orders, &OrderInfo::txid, u"OB5VMB-B4U2U-DK2WRW"_s);
    QVERIFY(p);
    QCOMPARE(p->clOrdId, u"my-order-7"_s);
    QCOMPARE(p->userref, 120);
    QCOMPARE(p->openTime, dec("1688665899.5699")); // a string time stays exact
    QCOMPARE(p->volume.toString(), u"0.10000000"_s);
    QVERIFY(p->trades.isEmpty());
}

void TestRestParsers::queryOrders() {
    LOAD_RESULT(result, "queryorders.json");
    const auto r = parse::queryOrders(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    const OrderInfo *closed = findBy(*r, &OrderInfo::txid, u"OBCMZD-JIEE7-77TH3F"_s);
    QVERIFY(closed);
    QCOMPARE(closed->status, u"closed"_s);
    QCOMPARE(closed->closeTime, dec("1688665499.1922"));
    QCOMPARE(closed->fee, dec("26.2"));
    QCOMPARE(closed->descr.orderType, u"stop-loss-limit"_s);
    QCOMPARE(closed->trades.size(), 2);
    const OrderInfo *canceled = findBy(*r, &OrderInfo::txid, u"OMMDB2-FSB6Z-7W3HPO"_s);
    QVERIFY(canceled);
    QCOMPARE(canceled->status, u"canceled"_s);
    QCOMPARE(canceled->reason, u"User requested"_s);
}

void TestRestParsers::closedOrdersCount() {
    LOAD_RESULT(result, "queryorders.json");
    QJsonObject page{{u"closed"_s, result}, {u"count"_s, 120}};
    const auto r = parse::closedOrders(page);
    KT_VERIFY_OK(r);
    QCOMPARE(r->orders.size(), 2);
    QCOMPARE(r->count, 120); // Kraken's total across pages, not this page's size

    page.insert(u"count"_s, u"many"_s);
    EXPECT_PARSE_ERROR(parse::closedOrders(page), u"'count'"_s);
    EXPECT_PARSE_ERROR(parse::closedOrders(QJsonObject{{u"count"_s, 1}}), u"'closed'"_s);
}

void TestRestParsers::orderMissingFields() {
    LOAD_RESULT(result, "openorders.json");
    const QJsonObject open = result.toObject().value(u"open"_s).toObject();
    const QJsonObject order = open.value(u"OQCLML-BW3P3-BUCMWZ"_s).toObject();

    QJsonObject noStatus = order;
    noStatus.remove(u"status"_s);
    EXPECT_PARSE_ERROR(parse::queryOrders(QJsonObject{{u"OQCLML-BW3P3-BUCMWZ"_s, noStatus}}),
                       u"'status'"_s);

    QJsonObject badVol = order;
    badVol.insert(u"vol_exec"_s, u"0,5"_s);
    EXPECT_PARSE_ERROR(parse::queryOrders(QJsonObject{{u"OQCLML-BW3P3-BUCMWZ"_s, badVol}}),
                       u"'vol_exec'"_s);

    QJsonObject noDescr = order;
    noDescr.remove(u"descr"_s);
    EXPECT_PARSE_ERROR(parse::openOrders(QJsonObject{
                           {u"open"_s, QJsonObject{{u"OQCLML-BW3P3-BUCMWZ"_s, noDescr}}}}),
                       u"'descr'"_s);
}

void TestRestParsers::tradesHistory() {
    LOAD_RESULT(result, "tradeshistory.json");
    const auto r = parse::tradesHistory(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->count, 2);
    QCOMPARE(r->trades.size(), 2);
    const TradeInfo *t = findBy(r->trades, &TradeInfo::txid, u"THVRQM-33VKH-UCI7BS"_s);
    QVERIFY(t);
    QCOMPARE(t->orderTxid, u"OQCLML-BW3P3-BUCMWZ"_s);
    QCOMPARE(t->pair, u"XXBTZUSD"_s);
    QCOMPARE(t->time, dec("1688667796.8802"));
    QCOMPARE(t->price.toString(), u"30010.00000"_s);
    QCOMPARE(t->cost, dec("600.2"));
    QCOMPARE(t->volume.toString(), u"0.02000000"_s);
    QCOMPARE(t->tradeId, 40274859);
    QVERIFY(t->maker);
    const TradeInfo *u = findBy(r->trades, &TradeInfo::txid, u"TCWJEG-FL4SZ-3FKGH6"_s);
    QVERIFY(u);
    QVERIFY(!u->maker);
    QCOMPARE(u->fee, dec("0.48016"));

    QJsonObject broken = result.toObject();
    QJsonObject trades = broken.value(u"trades"_s).toObject();
    QJsonObject one = trades.value(u"THVRQM-33VKH-UCI7BS"_s).toObject();
    one.remove(u"ordertxid"_s);
    trades.insert(u"THVRQM-33VKH-UCI7BS"_s, one);
    broken.insert(u"trades"_s, trades);
    EXPECT_PARSE_ERROR(parse::tradesHistory(broken), u"'ordertxid'"_s);
}

void TestRestParsers::ledgers() {
    LOAD_RESULT(result, "ledgers.json");
    const auto r = parse::ledgers(result);
    KT_VERIFY_OK(r);
    QCOMPARE(r->count, 2);
    QCOMPARE(r->entries.size(), 2);
    const LedgerEntry *e = findBy(r->entries, &LedgerEntry::id, u"L4UESK-KG3EQ-UFO4T5"_s);
    QVERIFY(e);
    QCOMPARE(e->refid, u"TJKLXX-PGMUI-4NTLXU"_s);
    QCOMPARE(e->asset, u"ZGBP"_s);
    QCOMPARE(e->amount, dec("-24.5"));
    QCOMPARE(e->amount.toString(), u"-24.5000"_s);
    QCOMPARE(e->fee, dec("0.049"));
    QCOMPARE(e->balance, dec("459567.9171"));
    QCOMPARE(e->time, dec("1688464484.1787"));

    EXPECT_PARSE_ERROR(
        parse::ledgers(parseJson(
            R"({"ledger":{"L1":{"asset":"ZUSD","amount":"1","fee":"0","balance":"?"}}})")),
        u"'balance'"_s);
}

void TestRestParsers::addOrder() {
    const auto r = parse::addOrder(parseJson(
        R"({"descr":{"order":"buy 1.25000000 XBTUSD @ limit 37500.0"},"txid":["OUF4EM-FRGI2-MQMWZD"]})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->txids, QStringList{u"OUF4EM-FRGI2-MQMWZD"_s});
    QCOMPARE(r->descrOrder, u"buy 1.25000000 XBTUSD @ limit 37500.0"_s);
}

void TestRestParsers::addOrderValidateOnly() {
    const auto r = parse::addOrder(
        parseJson(R"({"descr":{"order":"buy 1.25000000 XBTUSD @ limit 37500.0"}})"));
    KT_VERIFY_OK(r);
    QVERIFY(r->txids.isEmpty());
    QCOMPARE(r->descrOrder, u"buy 1.25000000 XBTUSD @ limit 37500.0"_s);
}

void TestRestParsers::addOrderBatch() {
    const auto r = parse::addOrderBatch(parseJson(
        R"({"orders":[{"txid":"O5OR23-ZSJ4L-7ACIHA","descr":{"order":"buy 1.00000000 XBTUSD @ limit 30000.0"}},
                      {"error":"EOrder:Insufficient funds"}]})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    QCOMPARE(r->at(0).txid, u"O5OR23-ZSJ4L-7ACIHA"_s); // a string here, unlike AddOrder
    QCOMPARE(r->at(0).descrOrder, u"buy 1.00000000 XBTUSD @ limit 30000.0"_s);
    QVERIFY(r->at(0).error.isEmpty());
    QVERIFY(r->at(1).txid.isEmpty());
    QCOMPARE(r->at(1).error, u"EOrder:Insufficient funds"_s);
    EXPECT_PARSE_ERROR(parse::addOrderBatch(parseJson(R"({"orders":{}})")), u"'orders'"_s);
}

void TestRestParsers::amendOrder() {
    const auto r = parse::amendOrder(parseJson(R"({"amend_id":"TJSMEH-AA67V-YUSQ6O"})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->amendId, u"TJSMEH-AA67V-YUSQ6O"_s);
    EXPECT_PARSE_ERROR(parse::amendOrder(parseJson(R"({})")), u"'amend_id'"_s);
}

void TestRestParsers::cancel() {
    const auto r = parse::cancel(parseJson(R"({"count":3,"pending":true})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->count, 3);
    QVERIFY(r->pending);
    const auto plain = parse::cancel(parseJson(R"({"count":1})"));
    KT_VERIFY_OK(plain);
    QVERIFY(!plain->pending);
    EXPECT_PARSE_ERROR(parse::cancel(parseJson(R"({"pending":false})")), u"'count'"_s);
}

void TestRestParsers::cancelAllOrdersAfter() {
    const auto r = parse::cancelAllOrdersAfter(parseJson(
        R"({"currentTime":"2023-03-24T17:41:56Z","triggerTime":"2023-03-24T17:42:56Z"})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->currentTime, u"2023-03-24T17:41:56Z"_s);
    QCOMPARE(r->triggerTime, u"2023-03-24T17:42:56Z"_s);
    EXPECT_PARSE_ERROR(parse::cancelAllOrdersAfter(parseJson(R"({"currentTime":"x"})")),
                       u"'triggerTime'"_s);
}

void TestRestParsers::webSocketsToken() {
    const auto r = parse::webSocketsToken(
        parseJson(R"({"token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw","expires":900})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->token, u"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw"_s);
    QCOMPARE(r->expiresSeconds, 900);
    EXPECT_PARSE_ERROR(parse::webSocketsToken(parseJson(R"({"expires":900})")), u"'token'"_s);
}

void TestRestParsers::tradeBalance() {
    const auto r = parse::tradeBalance(parseJson(
        R"({"eb":"1101.3425","tb":"392.2264","m":"7.0354","n":"-10.0232","c":"21.1063",
            "v":"31.1297","e":"382.2032","mf":"375.1678","ml":"5432.57"})"));
    KT_VERIFY_OK(r);
    QCOMPARE(r->equivalentBalance, dec("1101.3425"));
    QCOMPARE(r->unrealizedNet, dec("-10.0232"));
    QVERIFY(r->marginLevel.has_value());
    QCOMPARE(*r->marginLevel, dec("5432.57"));
    QVERIFY(!r->unexecutedValue.has_value());
    EXPECT_PARSE_ERROR(parse::tradeBalance(parseJson(R"({"eb":"1"})")), u"'tb'"_s);
}

void TestRestParsers::notAnObject() {
    const QJsonValue arr = QJsonArray{1, 2};
    EXPECT_PARSE_ERROR(parse::balance(arr), u"'result'"_s);
    EXPECT_PARSE_ERROR(parse::ticker(arr), u"'result'"_s);
    EXPECT_PARSE_ERROR(parse::openOrders(arr), u"'result'"_s);
    EXPECT_PARSE_ERROR(parse::assetPairs(arr), u"AssetPairs"_s);
}

QTEST_GUILESS_MAIN(TestRestParsers)
#include "tst_restparsers.moc"
