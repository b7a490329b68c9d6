// OrderRequest (parameters of AddOrder and AddOrderBatch entries), its local validation, and
// encodeForm (the body bytes that are signed and sent). No network.

#include "kraken/spot/orderrequest.h"
#include "kraken/spot/preparedrequest.h"
#include "spottestsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using spottest::dec;

namespace {

OrderRequest limitBuy() {
    OrderRequest o;
    o.pair = u"XBTUSD"_s;
    o.side = Side::Buy;
    o.orderType = u"limit"_s;
    o.volume = dec("1.25000000");
    o.price = dec("37500.0");
    return o;
}

QStringList keys(const Params &p) {
    QStringList out;
    for (const auto &kv : p)
        out.append(kv.first);
    return out;
}

QString value(const Params &p, const QString &key) {
    for (const auto &kv : p) {
        if (kv.first == key)
            return kv.second;
    }
    return u"<absent>"_s;
}

} // namespace

class TestRestOrderRequest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void limitOrderParams();
    void decimalsKeepTheirScale();
    void sellAndOptionalFields();
    void relativePriceExpressionsWinAndSurviveEncoding();
    void conditionalClose();
    void batchEntry();
    void validation_data();
    void validation();
    void encodeFormIsRfc3986();
    void encodeFormKeepsOrder();
    void httpMessageShowsWhatIsSent();
};

void TestRestOrderRequest::limitOrderParams() {
    const Params p = limitBuy().toParams();
    QCOMPARE(keys(p), (QStringList{u"pair"_s, u"type"_s, u"ordertype"_s, u"volume"_s, u"price"_s}));
    QCOMPARE(value(p, u"pair"_s), u"XBTUSD"_s);
    QCOMPARE(value(p, u"type"_s), u"buy"_s);
    QCOMPARE(value(p, u"ordertype"_s), u"limit"_s);
    QCOMPARE(value(p, u"volume"_s), u"1.25000000"_s);
    QCOMPARE(value(p, u"price"_s), u"37500.0"_s);
}

void TestRestOrderRequest::decimalsKeepTheirScale() {
    OrderRequest o = limitBuy();
    o.volume = dec("0.10000000");
    o.price = dec("0.00001000");
    const Params p = o.toParams();
    QCOMPARE(value(p, u"volume"_s), u"0.10000000"_s);
    QCOMPARE(value(p, u"price"_s), u"0.00001000"_s); // never "1e-05"
}

void TestRestOrderRequest::sellAndOptionalFields() {
    OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = Side::Sell;
    o.orderType = u"stop-loss-limit"_s;
    o.volume = dec("2");
    o.price = dec("29000");
    o.price2 = dec("28950.5");
    o.trigger = u"index"_s;
    o.oflags = {u"post"_s, u"fciq"_s};
    o.timeInForce = u"GTD"_s;
    o.expireTime = u"+3600"_s;
    o.userref = -7;
    o.deadline = u"2024-01-01T00:00:00Z"_s;
    o.validateOnly = true;
    o.reduceOnly = true;
    o.stpType = u"cancel-both"_s;
    const Params p = o.toParams();
    QCOMPARE(value(p, u"type"_s), u"sell"_s);
    QCOMPARE(value(p, u"price2"_s), u"28950.5"_s);
    QCOMPARE(value(p, u"trigger"_s), u"index"_s);
    QCOMPARE(value(p, u"oflags"_s), u"post,fciq"_s);
    QCOMPARE(value(p, u"timeinforce"_s), u"GTD"_s);
    QCOMPARE(value(p, u"expiretm"_s), u"+3600"_s);
    QCOMPARE(value(p, u"userref"_s), u"-7"_s);
    QCOMPARE(value(p, u"deadline"_s), u"2024-01-01T00:00:00Z"_s);
    QCOMPARE(value(p, u"validate"_s), u"true"_s);
    QCOMPARE(value(p, u"reduce_only"_s), u"true"_s);
    QCOMPARE(value(p, u"stptype"_s), u"cancel-both"_s);
    QCOMPARE(value(p, u"cl_ord_id"_s), u"<absent>"_s);
    QCOMPARE(value(p, u"leverage"_s), u"<absent>"_s);
    QVERIFY(o.validationError().isEmpty());
}

void TestRestOrderRequest::relativePriceExpressionsWinAndSurviveEncoding() {
    OrderRequest o = limitBuy();
    o.orderType = u"trailing-stop-limit"_s;
    o.priceExpression = u"+150"_s;
    o.price2Expression = u"-1.5%"_s;
    const Params p = o.toParams();
    QCOMPARE(value(p, u"price"_s), u"+150"_s); // the expression, not the Decimal price
    QCOMPARE(value(p, u"price2"_s), u"-1.5%"_s);
    const QByteArray body = encodeForm(p);
    // '+' would read as a space on the server side: it must be escaped.
    QVERIFY2(body.contains("price=%2B150"), body.constData());
    QVERIFY2(body.contains("price2=-1.5%25"), body.constData());
    QVERIFY(o.validationError().isEmpty());
}

void TestRestOrderRequest::conditionalClose() {
    OrderRequest o = limitBuy();
    o.closeOrderType = u"stop-loss-limit"_s;
    o.closePrice = dec("36000.0");
    o.closePrice2 = dec("35900.0");
    const Params p = o.toParams();
    QCOMPARE(value(p, u"close[ordertype]"_s), u"stop-loss-limit"_s);
    QCOMPARE(value(p, u"close[price]"_s), u"36000.0"_s);
    QCOMPARE(value(p, u"close[price2]"_s), u"35900.0"_s);
    const QByteArray body = encodeForm(p);
    QVERIFY2(body.contains("close%5Bordertype%5D=stop-loss-limit"), body.constData());

    // Without a close order type the prices are not sent on their own.
    OrderRequest bare = limitBuy();
    bare.closePrice = dec("1");
    QCOMPARE(value(bare.toParams(), u"close[price]"_s), u"<absent>"_s);
}

void TestRestOrderRequest::batchEntry() {
    OrderRequest o = limitBuy();
    o.userref = 42;
    o.reduceOnly = true;
    o.validateOnly = true;
    o.deadline = u"2024-01-01T00:00:00Z"_s;
    o.closeOrderType = u"limit"_s;
    o.closePrice = dec("39000.0");
    const QJsonObject e = o.toBatchEntry();
    QVERIFY(!e.contains(u"pair"_s));     // the batch names the pair once
    QVERIFY(!e.contains(u"validate"_s)); // and validate/deadline at top level
    QVERIFY(!e.contains(u"deadline"_s));
    QCOMPARE(e.value(u"type"_s).toString(), u"buy"_s);
    QCOMPARE(e.value(u"ordertype"_s).toString(), u"limit"_s);
    QCOMPARE(e.value(u"volume"_s).toString(), u"1.25000000"_s); // a string, scale kept
    QCOMPARE(e.value(u"price"_s).toString(), u"37500.0"_s);
    QVERIFY(e.value(u"userref"_s).isDouble());
    QCOMPARE(e.value(u"userref"_s).toInt(), 42);
    QCOMPARE(e.value(u"reduce_only"_s), QJsonValue(true));
    const QJsonObject close = e.value(u"close"_s).toObject();
    QCOMPARE(close.value(u"ordertype"_s).toString(), u"limit"_s);
    QCOMPARE(close.value(u"price"_s).toString(), u"39000.0"_s);
}

void TestRestOrderRequest::validation_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("phrase"); // empty: valid

    QTest::newRow("valid limit") << u""_s << u""_s;
    QTest::newRow("no pair") << u"pair"_s << u"no pair"_s;
    QTest::newRow("zero volume") << u"volume0"_s << u"volume must be positive"_s;
    QTest::newRow("negative volume") << u"volume-"_s << u"volume must be positive"_s;
    QTest::newRow("limit without price") << u"noprice"_s << u"needs a price"_s;
    QTest::newRow("market without price") << u"market"_s << u""_s;
    QTest::newRow("stop-loss-limit without price2") << u"sll"_s << u"price2"_s;
    QTest::newRow("userref with cl_ord_id") << u"both ids"_s << u"cannot be used together"_s;
    QTest::newRow("GTD without expiry") << u"gtd"_s << u"expiry"_s;
}

void TestRestOrderRequest::validation() {
    QFETCH(QString, field);
    QFETCH(QString, phrase);
    OrderRequest o = limitBuy();
    if (field == u"pair"_s)
        o.pair = u"  "_s;
    else if (field == u"volume0"_s)
        o.volume = dec("0");
    else if (field == u"volume-"_s)
        o.volume = dec("-1");
    else if (field == u"noprice"_s)
        o.price.reset();
    else if (field == u"market"_s) {
        o.orderType = u"market"_s;
        o.price.reset();
    } else if (field == u"sll"_s)
        o.orderType = u"stop-loss-limit"_s;
    else if (field == u"both ids"_s) {
        o.userref = 1;
        o.clOrdId = u"abc"_s;
    } else if (field == u"gtd"_s)
        o.timeInForce = u"GTD"_s;

    const QString why = o.validationError();
    if (phrase.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(phrase), qPrintable(u"'"_s + phrase + u"' not in: "_s + why));
}

void TestRestOrderRequest::encodeFormIsRfc3986() {
    const Params p{{u"a b"_s, u"x y&z=w"_s},
                   {u"safe"_s, u"AZaz09-._~"_s},
                   {u"pair"_s, u"BTC/USD"_s},
                   {u"unicode"_s, u"é"_s}};
    QCOMPARE(encodeForm(p),
             QByteArray("a%20b=x%20y%26z%3Dw&safe=AZaz09-._~&pair=BTC%2FUSD&unicode=%C3%A9"));
    QCOMPARE(encodeForm({}), QByteArray());
}

void TestRestOrderRequest::encodeFormKeepsOrder() {
    const Params p{{u"z"_s, u"1"_s}, {u"a"_s, u"2"_s}, {u"m"_s, u"3"_s}};
    QCOMPARE(encodeForm(p), QByteArray("z=1&a=2&m=3"));
}

void TestRestOrderRequest::httpMessageShowsWhatIsSent() {
    PreparedRequest r;
    r.verb = "POST";
    r.url = QUrl(u"https://api.kraken.com/0/private/Balance"_s);
    r.headers = {{"API-Key", "key"}, {"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = "nonce=1";
    const QByteArray msg = r.toHttpMessage();
    QVERIFY2(msg.startsWith("POST https://api.kraken.com/0/private/Balance HTTP/1.1\r\n"),
             msg.constData());
    QVERIFY2(msg.contains("\r\nHost: api.kraken.com\r\n"), msg.constData());
    QVERIFY2(msg.contains("\r\nAPI-Key: key\r\n"), msg.constData());
    QVERIFY2(msg.contains("\r\nContent-Length: 7\r\n"), msg.constData());
    QVERIFY2(msg.endsWith("\r\n\r\nnonce=1"), msg.constData());
}

QTEST_GUILESS_MAIN(TestRestOrderRequest)
#include "tst_restorderrequest.moc"
