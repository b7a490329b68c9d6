// Private Spot REST of the paper exchange: end to end through our own RestClient, and raw
// signed HTTP checked against hand-written Kraken JSON, so the shapes are Kraken's and not
// merely what our client happens to read.

#include "kraken/core/credentials.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "rawhttp.h"
#include "tests/spot/spottestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

namespace {

// One HTTP/1.1 request written by hand (rawhttp.h), with the event loop running so that
// the in-process server can answer.
testsupport::RawResponse rawPost(const QUrl &base, const QByteArray &path, const QByteArray &body,
                                 const QList<QPair<QByteArray, QByteArray>> &headers) {
    return testsupport::RawHttp(base).send("POST", path, body, headers);
}

Decimal d(const char *s) {
    return *Decimal::fromString(std::string_view(s));
}

const QRegularExpression OrderId(u"^O[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$"_s);

// What Kraken answers for Balance on the built-in paper account (hand-written).
const char *const ExpectedBalance =
    R"({"error":[],"result":{"XXBT":"2.0000000000","ZUSD":"100000.0000","ZEUR":"50000.0000",
    "XETH":"25.0000000000","SOL":"200.0000000000","XXRP":"10000.00000000",
    "XXDG":"50000.00000000"}})";
const char *const ExpectedCancel = R"({"error":[],"result":{"count":1,"pending":false}})";
const char *const ExpectedUnknownOrder = R"({"error":["EOrder:Unknown order"]})";

QJsonObject parse(const QByteArray &text) {
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestPrivateRest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void rawBalanceAddOpenCancel();
    void clientEndToEnd();
    void clientOrderFamily();
    void errorsAndFaults();

private:
    testsupport::RawResponse post(const QByteArray &method, const QByteArray &params);
    std::unique_ptr<PaperExchange> m_ex;
    std::unique_ptr<spot::RestClient> m_client;
    quint64 m_nonce = 1700000000000000ULL;
};

void TestPrivateRest::init() {
    m_ex = std::make_unique<PaperExchange>(SimConfig::builtIn());
    m_ex->setStepInterval(0); // the market stands still unless a test steps it
    QString error;
    QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    const SimAccount &a = m_ex->config().accounts.front();
    spot::RestClientConfig c = spottest::testConfig(m_ex->restUrl());
    c.tier = VerificationTier::Intermediate;
    m_client = std::make_unique<spot::RestClient>(c);
    m_client->setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
}

void TestPrivateRest::cleanup() {
    m_client.reset();
    m_ex.reset();
}

testsupport::RawResponse TestPrivateRest::post(const QByteArray &method, const QByteArray &params) {
    const SimAccount &a = m_ex->config().accounts.front();
    const QByteArray nonce = QByteArray::number(++m_nonce);
    const QByteArray body = "nonce=" + nonce + (params.isEmpty() ? QByteArray() : "&" + params);
    const QByteArray path = "/0/private/" + method;
    const QByteArray sign = spottest::independentApiSign(path, nonce, body, a.secret.toLatin1());
    return rawPost(m_ex->restUrl(), path, body,
                   {{"API-Key", a.apiKey.toLatin1()},
                    {"API-Sign", sign},
                    {"User-Agent", "tst_privaterest"},
                    {"Content-Type", "application/x-www-form-urlencoded"}});
}

void TestPrivateRest::rawBalanceAddOpenCancel() {
    const testsupport::RawResponse bal = post("Balance", {});
    QCOMPARE(bal.status, 200);
    QCOMPARE(parse(bal.body), parse(QByteArray(ExpectedBalance)));

    // The documented AddOrder example, priced below the market so that it rests.
    const testsupport::RawResponse add =
        post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25");
    QCOMPARE(add.status, 200);
    const QJsonObject a = parse(add.body);
    QCOMPARE(a.value(u"error"_s).toArray(), QJsonArray());
    const QJsonObject result = a.value(u"result"_s).toObject();
    QCOMPARE(result.value(u"descr"_s).toObject(),
             parse(R"({"order":"buy 1.25000000 XBTUSD @ limit 37500.0"})"));
    const QJsonArray txid = result.value(u"txid"_s).toArray();
    QCOMPARE(txid.size(), 1);
    const QString id = txid.at(0).toString();
    QVERIFY2(OrderId.match(id).hasMatch(), qPrintable(id));
    QCOMPARE(result.keys(), (QStringList{u"descr"_s, u"txid"_s}));

    // OpenOrders: the order in Kraken's shape (times vary; everything else is fixed).
    const testsupport::RawResponse open = post("OpenOrders", {});
    QJsonObject o = parse(open.body)[u"result"_s][u"open"_s][id].toObject();
    QVERIFY(o.value(u"opentm"_s).isDouble());
    o.remove(u"opentm"_s);
    const QJsonObject expected = parse(R"({"refid":null,"userref":0,"status":"open",
        "starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit",
        "price":"37500.0","price2":"0","leverage":"none",
        "order":"buy 1.25000000 XBTUSD @ limit 37500.0","close":""},
        "vol":"1.25000000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000",
        "price":"0.0","stopprice":"0.0","limitprice":"0.0","misc":"","oflags":"fciq"})");
    QCOMPARE(o, expected);

    // BalanceEx shows the hold: 46875 + 0.40 % = 47062.5000.
    const testsupport::RawResponse ex = post("BalanceEx", {});
    QCOMPARE(parse(ex.body)[u"result"_s][u"ZUSD"_s].toObject(),
             parse(R"({"balance":"100000.0000","hold_trade":"47062.5000"})"));

    const testsupport::RawResponse cancel = post("CancelOrder", "txid=" + id.toLatin1());
    QCOMPARE(parse(cancel.body), parse(QByteArray(ExpectedCancel)));
    const testsupport::RawResponse again = post("CancelOrder", "txid=" + id.toLatin1());
    QCOMPARE(parse(again.body), parse(QByteArray(ExpectedUnknownOrder)));
    const testsupport::RawResponse closed = post("ClosedOrders", {});
    const QJsonObject c = parse(closed.body)[u"result"_s].toObject();
    QCOMPARE(c.value(u"count"_s).toInt(), 1);
    QCOMPARE(c[u"closed"_s][id][u"status"_s].toString(), u"canceled"_s);
    QCOMPARE(c[u"closed"_s][id][u"reason"_s].toString(), u"User requested"_s);
}

void TestPrivateRest::clientEndToEnd() {
    KT_AWAIT(bal, m_client->balance());
    KT_VERIFY_OK(bal.result);
    QCOMPARE(bal.result->value(u"ZUSD"_s), d("100000"));
    QCOMPARE(bal.result->value(u"XXBT"_s), d("2"));

    // A market buy through our client: filled at once, one trade, two ledger rows.
    spot::OrderRequest buy;
    buy.pair = u"BTC/USD"_s;
    buy.orderType = u"market"_s;
    buy.volume = d("0.01");
    buy.userref = 5;
    KT_AWAIT(added, m_client->addOrder(buy));
    KT_VERIFY_OK(added.result);
    QCOMPARE(added.result->txids.size(), 1);
    QCOMPARE(added.result->descrOrder, u"buy 0.01000000 XBTUSD @ market"_s);
    const QString txid = added.result->txids.front();

    KT_AWAIT(q, m_client->queryOrders({txid}, {{u"trades"_s, u"true"_s}}));
    KT_VERIFY_OK(q.result);
    QCOMPARE(q.result->size(), 1);
    const spot::OrderInfo &info = q.result->front();
    QCOMPARE(info.status, u"closed"_s);
    QCOMPARE(info.volumeExecuted, d("0.01"));
    QCOMPARE(info.userref, 5);
    QVERIFY(!info.trades.isEmpty()); // one trade per level the order walked
    const qsizetype n = info.trades.size();

    KT_AWAIT(th, m_client->tradesHistory());
    KT_VERIFY_OK(th.result);
    QCOMPARE(th.result->count, n);
    Decimal costSum, feeSum;
    for (const spot::TradeInfo &t : th.result->trades) {
        QCOMPARE(t.orderTxid, txid);
        QCOMPARE(t.pair, u"XXBTZUSD"_s);
        QVERIFY(!t.maker);
        QVERIFY(info.trades.contains(t.txid));
        // The engine and the REST view agree to the last digit.
        const SimTrade *st = m_ex->engine().trade(t.txid);
        QVERIFY(st);
        QCOMPARE(t.cost, st->cost);
        QCOMPARE(t.fee, st->fee);
        QCOMPARE(t.price, st->price);
        QCOMPARE(t.volume, st->qty);
        costSum = *costSum.plus(t.cost);
        feeSum = *feeSum.plus(t.fee);
    }
    QCOMPARE(info.cost, costSum);
    QCOMPARE(info.fee, feeSum);

    KT_AWAIT(led, m_client->ledgers());
    KT_VERIFY_OK(led.result);
    QCOMPARE(led.result->count, 2 * n);
    Decimal usdMoved, btcMoved;
    for (const spot::LedgerEntry &e : led.result->entries) {
        QVERIFY(info.trades.contains(e.refid));
        if (e.asset == u"ZUSD"_s) {
            usdMoved = *usdMoved.plus(*e.amount.minus(e.fee));
        } else {
            QCOMPARE(e.asset, u"XXBT"_s);
            btcMoved = *btcMoved.plus(e.amount);
        }
    }
    QCOMPARE(btcMoved, d("0.01"));
    QCOMPARE(usdMoved, costSum.plus(feeSum)->negated());
    KT_AWAIT(usdNow, m_client->balance());
    QCOMPARE(usdNow.result->value(u"ZUSD"_s), *d("100000").plus(usdMoved));
    KT_AWAIT(bal2, m_client->balance());
    QCOMPARE(bal2.result->value(u"XXBT"_s), d("2.01"));

    KT_AWAIT(tok, m_client->webSocketsToken());
    KT_VERIFY_OK(tok.result);
    QCOMPARE(tok.result->expiresSeconds, 900);
    QCOMPARE(m_ex->engine().accountOfToken(tok.result->token), u"paper"_s);

    KT_AWAIT(tb, m_client->tradeBalance());
    KT_VERIFY_OK(tb.result);
    QVERIFY(tb.result->equivalentBalance > d("100000"));
}

void TestPrivateRest::clientOrderFamily() {
    const Decimal bid = *m_ex->market(u"BTC/USD")->bestBid();
    const Decimal far = *bid.minus(d("1000"));
    spot::OrderRequest lim;
    lim.pair = u"XBTUSD"_s;
    lim.orderType = u"limit"_s;
    lim.volume = d("0.02");
    lim.price = far;
    lim.clOrdId = u"family-1"_s;
    KT_AWAIT(a, m_client->addOrder(lim));
    KT_VERIFY_OK(a.result);
    const QString txid = a.result->txids.front();

    spot::AmendRequest am;
    am.txid = txid;
    am.orderQty = d("0.01");
    KT_AWAIT(amended, m_client->amendOrder(am));
    KT_VERIFY_OK(amended.result);
    QVERIFY(!amended.result->amendId.isEmpty());
    QCOMPARE(m_ex->engine().order(txid)->qty, d("0.01"));

    spot::EditRequest ed;
    ed.txid = txid;
    ed.pair = u"XBTUSD"_s;
    ed.price = *far.minus(d("10"));
    KT_AWAIT(edited, m_client->editOrder(ed));
    KT_VERIFY_OK(edited.result);
    QCOMPARE(edited.result->originalTxid, txid);
    QVERIFY(OrderId.match(edited.result->txid).hasMatch());
    QCOMPARE(edited.result->status, u"ok"_s);
    QCOMPARE(edited.result->ordersCancelled, 1);

    KT_AWAIT(open, m_client->openOrders());
    KT_VERIFY_OK(open.result);
    QCOMPARE(open.result->orders.size(), 1);
    QCOMPARE(open.result->orders.front().txid, edited.result->txid);
    QCOMPARE(open.result->orders.front().descr.price, far.minus(d("10"))->toString(1));

    spot::OrderRequest b1 = lim, b2 = lim;
    b1.clOrdId = u"b1"_s;
    b2.clOrdId = u"b2"_s;
    b2.side = spot::Side::Sell;
    b2.price = *bid.plus(d("1000"));
    KT_AWAIT(batch, m_client->addOrderBatch(u"XBTUSD"_s, {b1, b2}));
    KT_VERIFY_OK(batch.result);
    QCOMPARE(batch.result->size(), 2);
    QVERIFY(batch.result->at(0).error.isEmpty());
    QVERIFY(OrderId.match(batch.result->at(1).txid).hasMatch());

    KT_AWAIT(cb, m_client->cancelOrderBatch({batch.result->at(0).txid}, {u"b2"_s}));
    KT_VERIFY_OK(cb.result);
    QCOMPARE(cb.result->count, 2);

    KT_AWAIT(dms, m_client->cancelAllOrdersAfter(60));
    KT_VERIFY_OK(dms.result);
    const QDateTime now = QDateTime::fromString(dms.result->currentTime, Qt::ISODate);
    const QDateTime trig = QDateTime::fromString(dms.result->triggerTime, Qt::ISODate);
    QVERIFY(now.isValid() && trig.isValid());
    QCOMPARE(now.secsTo(trig), 60);
    KT_AWAIT(off, m_client->cancelAllOrdersAfter(0));
    QCOMPARE(off.result->triggerTime, u"0"_s);

    KT_AWAIT(all, m_client->cancelAllOrders());
    KT_VERIFY_OK(all.result);
    QCOMPARE(all.result->count, 1);
}

void TestPrivateRest::errorsAndFaults() {
    auto errors = [](const testsupport::RawResponse &r) {
        QStringList out;
        for (const QJsonValue &v : parse(r.body).value(u"error"_s).toArray())
            out.append(v.toString());
        return out;
    };
    QCOMPARE(errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=10")),
             QStringList{u"EOrder:Insufficient funds"_s});
    QCOMPARE(
        errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500.05&type=buy&volume=0.1")),
        QStringList{u"EOrder:Invalid price"_s});
    QCOMPARE(
        errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=0.00001")),
        QStringList{u"EOrder:Order minimum not met"_s});
    QCOMPARE(errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy")),
             QStringList{u"EGeneral:Invalid arguments:volume"_s});
    QCOMPARE(errors(post("AddOrder", "ordertype=limit&pair=NOPE&price=1&type=buy&volume=1")),
             QStringList{u"EQuery:Unknown asset pair"_s});
    const QByteArray ask = m_ex->market(u"BTC/USD")->bestAsk()->toString().toLatin1();
    QCOMPARE(errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&oflags=post&type=buy&volume=0.01"
                                     "&price=" +
                                         ask)),
             QStringList{u"EOrder:Post only order"_s});
    // validate=true: a descr and no txid.
    const QJsonObject v =
        parse(post("AddOrder",
                   "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=0.1&validate=true")
                  .body);
    QCOMPARE(
        v,
        parse(
            R"({"error":[],"result":{"descr":{"order":"buy 0.10000000 XBTUSD @ limit 37500.0"}}})"));

    // One-shot order rate limit fault.
    QString err;
    QVERIFY(m_ex->faults().apply(u"order_rate_limit_errors=1"_s, &err));
    QCOMPARE(
        errors(post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=0.1")),
        QStringList{u"EOrder:Rate limit exceeded"_s});
    // Lost acknowledgement: no answer, yet the order is placed.
    QVERIFY(m_ex->faults().apply(u"lose_order_ack=1"_s, &err));
    const testsupport::RawResponse lost =
        post("AddOrder", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=0.1&userref=9");
    QCOMPARE(lost.status, 0);
    const auto open = m_ex->engine().openOrders(u"paper"_s);
    QCOMPARE(open.size(), size_t(1));
    QCOMPARE(*open.front().userref, 9);
    // A sell stop-loss with a relative trigger, and a trailing stop that needs "+".
    QCOMPARE(errors(post("AddOrder",
                         "ordertype=trailing-stop&pair=XBTUSD&price=50&type=sell&volume=0.1")),
             QStringList{u"EGeneral:Invalid arguments:price"_s});
    const QJsonObject ts = parse(
        post("AddOrder", "ordertype=trailing-stop&pair=XBTUSD&price=%2B50&type=sell&volume=0.1")
            .body);
    QCOMPARE(ts[u"result"_s][u"descr"_s][u"order"_s].toString(),
             u"sell 0.10000000 XBTUSD @ trailing stop +50.0"_s);
}

QTEST_GUILESS_MAIN(TestPrivateRest)
#include "tst_privaterest.moc"
