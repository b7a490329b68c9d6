// FuturesRestClient over real HTTP to FakeFutures: the documented Authent vector through the
// client's own prepare(), every private request's Authent verified by the server without our
// signer, strictly increasing nonces, typed answers with exact Decimal text, and the error
// paths (result:error codes, sendStatus rejections, HTML 502, malformed JSON, timeouts).

#include "fakefutures.h"
#include "kraken/futures/futuresrestclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::futures;
using namespace futurestest;

namespace {

const QByteArray Secret =
    "rttp4AzwRfYEdQ7R7X8Z/04Y4TZPa97pqCypi3xXxAqftygftnI6H9yGV+OcUOOJeFtZkr8mVwbAndU3Kz4Q+eG";
const QString V3 = u"/derivatives/api/v3/"_s;

const char *const TickersJson = R"({"result":"success","serverTime":"2024-01-15T10:30:45.123Z",
 "tickers":[{"symbol":"PF_XBTUSD","last":42001.50,"lastTime":"2024-01-15T10:30:44.000Z",
  "tag":"perpetual","pair":"XBT:USD","markPrice":42000.10,"bid":42000.0,"bidSize":0.1500,
  "ask":42001.5,"askSize":2,"vol24h":1234.5670,"openInterest":98.7,"fundingRate":-1.2e-7,
  "suspended":false,"postOnly":false}]})";
const char *const BookJson = R"({"result":"success","serverTime":"2024-01-15T10:30:45.123Z",
 "orderBook":{"bids":[[42000.0,0.1500],[41999.5,3]],"asks":[[42001.5,2.0000]]}})";
const char *const AccountsJson = R"({"result":"success","serverTime":"2024-01-15T10:30:45.123Z",
 "accounts":{
  "cash":{"type":"cashAccount","balances":{"xbt":0.10000000,"usd":100.00}},
  "fi_xbtusd":{"type":"marginAccount","currency":"xbt","balances":{"FI_XBTUSD_240628":5000,"xbt":1.2500},
   "auxiliary":{"af":1.20,"pnl":0.0500,"pv":1.30},"marginRequirements":{"im":0.01,"mm":0.005}},
  "flex":{"type":"multiCollateralMarginAccount","currencies":{"USD":{"quantity":1000.00,"value":1000.00,
   "collateral":1000.00,"available":900.50}},"initialMargin":99.50,"availableMargin":900.50,
   "portfolioValue":1000.00,"balanceValue":1000.00,"pnl":0.0,"unrealizedFunding":-0.0001}}})";
const char *const PositionsJson = R"({"result":"success","openPositions":[
 {"side":"short","symbol":"PI_XBTUSD","price":42000.5,"fillTime":"2024-01-15T09:00:00.000Z",
  "size":5000,"unrealizedFunding":0.00000120},
 {"side":"long","symbol":"PF_XBTUSD","price":41000.0,"fillTime":"2024-01-15T09:30:00.000Z",
  "size":0.0100,"pnlCurrency":"USD","maxFixedLeverage":10.0}]})";
const char *const OpenOrdersJson = R"({"result":"success","openOrders":[
 {"order_id":"59302619-41d2-4f0b-941f-7e7914760ad3","cliOrdId":"my-1","symbol":"PF_XBTUSD",
  "side":"buy","orderType":"lmt","limitPrice":40000.50,"unfilledSize":0.0100,"filledSize":0,
  "receivedTime":"2024-01-15T10:00:00.000Z","lastUpdateTime":"2024-01-15T10:00:00.000Z",
  "status":"untouched","reduceOnly":false}]})";
const char *const SendPlacedJson = R"({"result":"success","serverTime":"2024-01-15T10:30:45.123Z",
 "sendStatus":{"order_id":"179f9af8-e45e-469d-b3e9-2fd4675cb7d0","cli_ord_id":"my-2","status":"placed",
  "receivedTime":"2024-01-15T10:30:45.100Z","orderEvents":[{"type":"PLACE","order":{
   "orderId":"179f9af8-e45e-469d-b3e9-2fd4675cb7d0","cliOrdId":"my-2","type":"lmt",
   "symbol":"PF_XBTUSD","side":"buy","quantity":0.0100,"filled":0,"limitPrice":40000.50,
   "reduceOnly":false,"timestamp":"2024-01-15T10:30:45.100Z"}}]}})";
const char *const CancelJson = R"({"result":"success","cancelStatus":{"status":"cancelled",
 "order_id":"179f9af8-e45e-469d-b3e9-2fd4675cb7d0","receivedTime":"2024-01-15T10:31:00.000Z",
 "orderEvents":[{"type":"CANCEL","uid":"179f9af8-e45e-469d-b3e9-2fd4675cb7d0"}]}})";
const char *const HtmlPage = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                             "<body>cloudflare</body></html>";

QByteArray sendStatus(const char *status) {
    return QByteArray(R"({"result":"success","sendStatus":{"status":")") + status +
           R"(","receivedTime":"2024-01-15T10:30:45.100Z","orderEvents":[]}})";
}

QByteArray resultError(const char *code) {
    return QByteArray(R"({"result":"error","serverTime":"2024-01-15T10:30:45.123Z","error":")") +
           code + "\"}";
}

FuturesOrderRequest limitBuy() {
    FuturesOrderRequest o;
    o.orderType = FuturesOrderType::Limit;
    o.symbol = u"PF_XBTUSD"_s;
    o.side = FuturesSide::Buy;
    o.size = *Decimal::fromString("0.0100");
    o.limitPrice = *Decimal::fromString("40000.50");
    o.cliOrdId = u"my+2"_s;
    return o;
}

template<class T> Result<T> await(const FuturesCall<T> &call, QObject *context) {
    std::optional<Result<T>> out;
    call.then(context, [&out](Result<T> r) { out.emplace(std::move(r)); });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 20000); }();
    if (!out)
        return Error(Error::Category::Timeout, u"test: no result"_s);
    return std::move(*out);
}

} // namespace

class TestFuturesRest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void documentedAuthentVector();
    void publicCalls();
    void privateCallsAreSignedWithIncreasingNonces();
    void sendOrderRejectionsComeAsErrors();
    void resultErrorCodesMapToCategories();
    void nonceRejectionRetriedOnceWithFreshNonce();
    void htmlAndMalformedAnswers();
    void sendOrderTimeoutIsOutcomeUnknown();
    void publicCallRetriedAfter502();
    void fillsSinceFilterAndCharts();
    void localValidation();

private:
    std::unique_ptr<FakeFutures> m_fake;
    std::unique_ptr<FuturesRestClient> m_client;
    FuturesRestClient *client(int maxRetries = 2, int timeoutMs = 10000);
};

void TestFuturesRest::init() {
    m_fake = std::make_unique<FakeFutures>();
    QVERIFY(m_fake->isListening());
    m_fake->setSecret(Secret);
}

void TestFuturesRest::cleanup() {
    m_client.reset();
    m_fake.reset();
}

FuturesRestClient *TestFuturesRest::client(int maxRetries, int timeoutMs) {
    FuturesRestConfig c;
    c.baseUrl = m_fake->baseUrl();
    c.chartsUrl = m_fake->chartsUrl();
    c.historyUrl = m_fake->historyUrl();
    c.persistNonce = false;
    c.maxRetries = maxRetries;
    c.retryDelayMs = 10;
    c.timeoutMs = timeoutMs;
    m_client = std::make_unique<FuturesRestClient>(c);
    m_client->setCredentials(Credentials(u"test-public-key"_s, Secret));
    return m_client.get();
}

void TestFuturesRest::documentedAuthentVector() {
    QFile f(QStringLiteral(KT_VECTORS_DIR "/futures_rest_authent.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject v = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject in = v.value(u"inputs"_s).toObject();
    FuturesRestConfig c;
    c.persistNonce = false; // production base: https://futures.kraken.com/derivatives/api/v3
    FuturesRestClient cl(c);
    cl.setCredentials(
        Credentials(u"key"_s, in.value(u"api_secret_b64_as_documented"_s).toString().toLatin1()));
    const auto req = cl.prepare("GET", u"orderbook"_s, {{u"symbol"_s, u"fi_xbtusd_180615"_s}}, true,
                                in.value(u"nonce"_s).toString().toULongLong());
    QVERIFY2(req, qPrintable(req.error().toString()));
    QCOMPARE(req->url.toString(),
             u"https://futures.kraken.com/derivatives/api/v3/orderbook?symbol=fi_xbtusd_180615"_s);
    QByteArray authent, nonce, key;
    for (const auto &[name, value] : req->headers) {
        if (name == "Authent")
            authent = value;
        if (name == "Nonce")
            nonce = value;
        if (name == "APIKey")
            key = value;
    }
    QCOMPARE(nonce, QByteArray("1415957147987"));
    QCOMPARE(key, QByteArray("key"));
    QCOMPARE(
        authent,
        v.value(u"expected"_s).toObject().value(u"authent_with_nonce"_s).toString().toLatin1());
    // POST: the body is what is signed, byte for byte ('+' stays %2B).
    const auto post = cl.prepare("POST", u"/sendorder"_s, limitBuy().toParams(), true, 42);
    QVERIFY(post);
    QCOMPARE(post->body, QByteArray("orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.0100&"
                                    "limitPrice=40000.50&cliOrdId=my%2B2"));
    QVERIFY(post->toHttpMessage().contains(QByteArray(
        "Authent: " + independentAuthent(post->body, "42", "/api/v3/sendorder", Secret))));
    QVERIFY(!post->toHttpMessage().contains(Secret));
}

void TestFuturesRest::publicCalls() {
    m_fake->on(V3 + u"tickers"_s, json(TickersJson));
    m_fake->on(V3 + u"orderbook"_s, json(BookJson));
    auto *c = client();
    const auto t = await(c->tickers(), this);
    QVERIFY2(t, qPrintable(t.error().toString()));
    QCOMPARE(t->size(), 1);
    const FuturesTicker &pf = t->first();
    QCOMPARE(pf.symbol, u"PF_XBTUSD"_s);
    QCOMPARE(pf.last->toString(), u"42001.50"_s);
    QCOMPARE(pf.markPrice->toString(), u"42000.10"_s);
    QCOMPARE(pf.bidSize->toString(), u"0.1500"_s);
    QCOMPARE(pf.vol24h->toString(), u"1234.5670"_s);
    QCOMPARE(pf.fundingRate->toString(), u"-0.00000012"_s);
    QCOMPARE(pf.lastTime, QDateTime(QDate(2024, 1, 15), QTime(10, 30, 44), Qt::UTC));

    const auto b = await(c->orderBook(u"pf_xbtusd"_s), this);
    QVERIFY2(b, qPrintable(b.error().toString()));
    QCOMPARE(b->symbol, u"PF_XBTUSD"_s);
    QCOMPARE(b->bids.size(), 2);
    QCOMPARE(b->bids[0].price.toString(), u"42000.0"_s);
    QCOMPARE(b->bids[0].size.toString(), u"0.1500"_s);
    QCOMPARE(b->asks[0].size.toString(), u"2.0000"_s);
    const auto r = m_fake->requests(V3 + u"orderbook"_s);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].query, QByteArray("symbol=pf_xbtusd"));
    QVERIFY(r[0].header("Authent").isEmpty()); // public calls are not signed
}

void TestFuturesRest::privateCallsAreSignedWithIncreasingNonces() {
    m_fake->on(V3 + u"accounts"_s, json(AccountsJson));
    m_fake->on(V3 + u"openpositions"_s, json(PositionsJson));
    m_fake->on(V3 + u"openorders"_s, json(OpenOrdersJson));
    m_fake->on(V3 + u"sendorder"_s, json(SendPlacedJson));
    m_fake->on(V3 + u"cancelorder"_s, json(CancelJson));
    auto *c = client();

    const auto acc = await(c->accounts(), this);
    QVERIFY2(acc, qPrintable(acc.error().toString()));
    QCOMPARE(acc->accounts.size(), 3);
    QCOMPARE(acc->find(u"cash"_s)->balances.value(u"xbt"_s).toString(), u"0.10000000"_s);
    const FuturesAccount *margin = acc->find(u"fi_xbtusd"_s);
    QCOMPARE(margin->type, u"marginAccount"_s);
    QCOMPARE(margin->balances.value(u"xbt"_s).toString(), u"1.2500"_s);
    QCOMPARE(margin->auxiliary.value(u"pnl"_s).toString(), u"0.0500"_s);
    const FuturesAccount *flex = acc->find(u"flex"_s);
    QCOMPARE(flex->type, u"multiCollateralMarginAccount"_s);
    QCOMPARE(flex->value(u"availableMargin"_s)->toString(), u"900.50"_s);
    QCOMPARE(flex->value(u"unrealizedFunding"_s)->toString(), u"-0.0001"_s);
    QCOMPARE(flex->currencies.size(), 1);
    QCOMPARE(flex->currencies[0].available->toString(), u"900.50"_s);

    const auto pos = await(c->openPositions(), this);
    QVERIFY2(pos, qPrintable(pos.error().toString()));
    QCOMPARE(pos->size(), 2);
    QCOMPARE((*pos)[0].side, u"short"_s);
    QCOMPARE((*pos)[0].size.toString(), u"5000"_s);
    QCOMPARE((*pos)[0].unrealizedFunding->toString(), u"0.00000120"_s);
    QCOMPARE((*pos)[1].size.toString(), u"0.0100"_s);
    QCOMPARE((*pos)[1].maxFixedLeverage->toString(), u"10.0"_s);

    const auto oo = await(c->openOrders(), this);
    QVERIFY2(oo, qPrintable(oo.error().toString()));
    QCOMPARE(oo->first().limitPrice->toString(), u"40000.50"_s);
    QCOMPARE(oo->first().unfilledSize.toString(), u"0.0100"_s);
    QCOMPARE(oo->first().cliOrdId, u"my-1"_s);

    const auto sent = await(c->sendOrder(limitBuy()), this);
    QVERIFY2(sent, qPrintable(sent.error().toString()));
    QCOMPARE(sent->status, u"placed"_s);
    QCOMPARE(sent->orderId, u"179f9af8-e45e-469d-b3e9-2fd4675cb7d0"_s);
    QCOMPARE(sent->cliOrdId, u"my-2"_s);
    QCOMPARE(sent->events.size(), 1);
    QCOMPARE(sent->events[0].limitPrice->toString(), u"40000.50"_s);
    QCOMPARE(sent->events[0].quantity->toString(), u"0.0100"_s);

    const auto cancelled = await(c->cancelOrder(sent->orderId), this);
    QVERIFY2(cancelled, qPrintable(cancelled.error().toString()));
    QCOMPARE(cancelled->status, u"cancelled"_s);

    const auto all = m_fake->requests();
    QCOMPARE(all.size(), 5);
    quint64 last = 0;
    for (const FuturesRequest &r : all) {
        QVERIFY2(r.authentChecked && r.authentValid, qPrintable(r.path));
        QCOMPARE(r.header("APIKey"), QByteArray("test-public-key"));
        QVERIFY(r.nonce() > last);
        last = r.nonce();
    }
    const FuturesRequest &send = all[3];
    QCOMPARE(send.method, QByteArray("POST"));
    QCOMPARE(send.param(u"cliOrdId"_s), u"my+2"_s);
    QCOMPARE(send.param(u"limitPrice"_s), u"40000.50"_s);
    QCOMPARE(all[4].param(u"order_id"_s), u"179f9af8-e45e-469d-b3e9-2fd4675cb7d0"_s);
}

void TestFuturesRest::sendOrderRejectionsComeAsErrors() {
    auto *c = client();
    const char *codes[] = {"invalidSize", "insufficientAvailableFunds", "postWouldExecute"};
    for (const char *code : codes) {
        m_fake->on(V3 + u"sendorder"_s, json(sendStatus(code)));
        const auto r = await(c->sendOrder(limitBuy()), this);
        QVERIFY(!r);
        QCOMPARE(r.error().category(), Error::Category::Kraken);
        QCOMPARE(r.error().krakenErrors(), QStringList{QString::fromLatin1(code)});
        QVERIFY(!r.error().outcomeUnknown()); // a definite answer
    }
    QCOMPARE(m_fake->count(V3 + u"sendorder"_s), 3); // never retried
}

void TestFuturesRest::resultErrorCodesMapToCategories() {
    auto *c = client(0);
    m_fake->on(V3 + u"accounts"_s, json(resultError("authenticationError")));
    auto r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Auth);
    QVERIFY(!r.error().toString().contains(QString::fromLatin1(Secret)));

    m_fake->on(V3 + u"accounts"_s, json(resultError("apiLimitExceeded")));
    r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::RateLimited);

    m_fake->on(V3 + u"accounts"_s,
               json(R"({"result":"error","errors":[{"code":"accountInactive","message":"x"}]})"));
    r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Auth);
    QCOMPARE(r.error().krakenErrors().value(0), u"accountInactive"_s);

    m_fake->on(V3 + u"accounts"_s, json(resultError("requiredArgumentMissing"), 400));
    r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Kraken);
    QCOMPARE(r.error().httpStatus(), 400);
}

void TestFuturesRest::nonceRejectionRetriedOnceWithFreshNonce() {
    auto *c = client(0);
    m_fake->on(V3 + u"openorders"_s, json(resultError("nonceBelowThreshold")));
    const auto r = await(c->openOrders(), this);
    QVERIFY(!r);
    QCOMPARE(r.error().category(), Error::Category::Auth);
    QVERIFY(r.error().message().contains(u"nonce"_s));
    const auto reqs = m_fake->requests(V3 + u"openorders"_s);
    QCOMPARE(reqs.size(), 2);
    QVERIFY(reqs[1].nonce() > reqs[0].nonce());
}

void TestFuturesRest::htmlAndMalformedAnswers() {
    auto *c = client(0);
    m_fake->on(V3 + u"accounts"_s, Canned{502, "text/html", HtmlPage});
    auto r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Http);
    QCOMPARE(r.error().httpStatus(), 502);
    QVERIFY(r.error().detail().contains(u"502 Bad Gateway"_s));

    m_fake->on(V3 + u"accounts"_s, Canned{200, "text/html", HtmlPage});
    r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Parse);
    QVERIFY(r.error().message().contains(u"HTML"_s));

    m_fake->on(V3 + u"accounts"_s, json(R"({"result":"success","accounts":{"cash":)"));
    r = await(c->accounts(), this);
    QCOMPARE(r.error().category(), Error::Category::Parse);

    m_fake->on(V3 + u"sendorder"_s, Canned{502, "text/html", HtmlPage});
    const auto s = await(c->sendOrder(limitBuy()), this);
    QCOMPARE(s.error().category(), Error::Category::Http);
    QVERIFY(s.error().outcomeUnknown()); // a 502 may have come after Kraken took the order

    m_fake->on(V3 + u"sendorder"_s, json(R"({"result":"success","sendStatus":{"status":"placed")"));
    const auto t = await(c->sendOrder(limitBuy()), this);
    QCOMPARE(t.error().category(), Error::Category::Parse);
    QVERIFY(t.error().outcomeUnknown());
}

void TestFuturesRest::sendOrderTimeoutIsOutcomeUnknown() {
    HangingServer hang;
    FuturesRestConfig cfg;
    cfg.baseUrl = hang.baseUrl();
    cfg.persistNonce = false;
    cfg.timeoutMs = 300;
    cfg.retryDelayMs = 10;
    FuturesRestClient c(cfg);
    c.setCredentials(Credentials(u"k"_s, Secret));
    const auto r = await(c.sendOrder(limitBuy()), this);
    QVERIFY(!r);
    QCOMPARE(r.error().category(), Error::Category::Timeout);
    QVERIFY(r.error().outcomeUnknown());
    QCOMPARE(hang.requests(), 1); // sent once, never again
    // A public call that times out is retried (1 + maxRetries attempts).
    cfg.maxRetries = 1;
    FuturesRestClient p(cfg);
    const auto t = await(p.tickers(), this);
    QCOMPARE(t.error().category(), Error::Category::Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(hang.requests(), 3, 10000);
}

void TestFuturesRest::publicCallRetriedAfter502() {
    int calls = 0;
    m_fake->on(V3 + u"tickers"_s, [&calls](const FuturesRequest &) {
        return ++calls == 1 ? Canned{502, "text/html", HtmlPage} : json(TickersJson);
    });
    auto *c = client(2);
    const auto t = await(c->tickers(), this);
    QVERIFY2(t, qPrintable(t.error().toString()));
    QCOMPARE(calls, 2);
}

void TestFuturesRest::fillsSinceFilterAndCharts() {
    m_fake->on(V3 + u"fills"_s, json(R"({"result":"success","fills":[
        {"fill_id":"f1","symbol":"PF_XBTUSD","side":"buy","order_id":"o1","size":0.0100,
         "price":40000.5,"fillTime":"2024-01-15T10:00:00.000Z","fillType":"maker"},
        {"fill_id":"f0","symbol":"PF_XBTUSD","side":"buy","order_id":"o0","size":1,
         "price":39000,"fillTime":"2024-01-14T10:00:00.000Z","fillType":"taker"}]})"));
    m_fake->on(u"/api/charts/v1/trade/PF_XBTUSD/1h"_s, json(R"({"candles":[
        {"time":1705312800000,"open":"42000.5","high":"42100.0","low":"41900.25","close":"42050.0",
         "volume":12.5000}],"more_candles":true})"));
    auto *c = client();
    const auto f =
        await(c->fills(QDateTime(), QDateTime(QDate(2024, 1, 15), QTime(0, 0), Qt::UTC)), this);
    QVERIFY2(f, qPrintable(f.error().toString()));
    QCOMPARE(f->size(), 1);
    QCOMPARE(f->first().fillId, u"f1"_s);
    QCOMPARE(f->first().size.toString(), u"0.0100"_s);

    const auto k = await(c->candles(u"trade"_s, u"PF_XBTUSD"_s, u"1h"_s, 1705312800), this);
    QVERIFY2(k, qPrintable(k.error().toString()));
    QVERIFY(k->moreCandles);
    QCOMPARE(k->candles.first().timeMs, 1705312800000);
    QCOMPARE(k->candles.first().low.toString(), u"41900.25"_s);
    QCOMPARE(k->candles.first().volume.toString(), u"12.5000"_s);
    QCOMPARE(m_fake->requests(u"/api/charts/v1/trade/PF_XBTUSD/1h"_s).first().query,
             QByteArray("from=1705312800"));
}

void TestFuturesRest::localValidation() {
    auto *c = client();
    FuturesOrderRequest o = limitBuy();
    o.limitPrice.reset();
    const auto r = await(c->sendOrder(o), this);
    QCOMPARE(r.error().category(), Error::Category::InvalidInput);
    QVERIFY(!r.error().outcomeUnknown());
    const auto x = await(c->cancelOrder({}, {}), this);
    QCOMPARE(x.error().category(), Error::Category::InvalidInput);
    QCOMPARE(m_fake->count(), 0);
    // Batch JSON keeps the Decimal text as a JSON number.
    const QByteArray batch = batchOrderJson({FuturesBatchInstruction::placing(u"1"_s, limitBuy()),
                                             FuturesBatchInstruction::cancelling(u"abc"_s)});
    QVERIFY(batch.contains(R"("size":0.0100,"limit_price":40000.50)"));
    QVERIFY(batch.contains(R"({"order":"cancel","order_id":"abc"})"));
}

QTEST_GUILESS_MAIN(TestFuturesRest)
#include "tst_futuresrest.moc"
