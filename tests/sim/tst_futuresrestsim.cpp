// Kraken Futures REST v3 on the paper exchange, over real loopback HTTP written by hand, with
// Authent computed here from the documentation (not through kraken/core/signing).

#include "kraken/sim/faults.h"
#include "kraken/sim/futuresengine.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/paperexchange.h"
#include "rawhttp.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;
using testsupport::RawHttp;
using testsupport::RawResponse;

namespace {

Decimal d(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

// Authent = base64(HMAC-SHA512(base64decode(secret), SHA256(postData + nonce + endpointPath)))
QByteArray authent(const QByteArray &postData, const QByteArray &nonce, const QByteArray &path,
                   const QByteArray &secret) {
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray(postData + nonce + path), QCryptographicHash::Sha256);
    return QMessageAuthenticationCode::hash(digest, QByteArray::fromBase64(secret),
                                            QCryptographicHash::Sha512)
        .toBase64();
}

} // namespace

class TestFuturesRestSim : public QObject {
    Q_OBJECT
    std::unique_ptr<PaperExchange> m_ex;
    QByteArray m_key, m_secret;
    quint64 m_nonce = 1'700'000'000'000;

    QJsonObject json(const RawResponse &r) { return QJsonDocument::fromJson(r.body).object(); }

    RawResponse publicGet(const QByteArray &endpointAndQuery) {
        RawHttp http(m_ex->restUrl());
        return http.send("GET", "/derivatives/api/v3/" + endpointAndQuery);
    }
    // A signed call: GET with the data as query, POST with it as the form body.
    RawResponse signedCall(const QByteArray &method, const QByteArray &endpoint,
                           const QByteArray &data = {}, std::optional<quint64> nonce = {},
                           QByteArray key = {}, QByteArray secret = {}) {
        const QByteArray n = QByteArray::number(nonce ? *nonce : ++m_nonce);
        const QByteArray sig =
            authent(data, n, "/api/v3/" + endpoint, secret.isEmpty() ? m_secret : secret);
        QList<QPair<QByteArray, QByteArray>> headers{
            {"APIKey", key.isEmpty() ? m_key : key}, {"Authent", sig}, {"Nonce", n}};
        RawHttp http(m_ex->restUrl());
        if (method == "GET")
            return http.send("GET",
                             "/derivatives/api/v3/" + endpoint +
                                 (data.isEmpty() ? QByteArray() : QByteArray("?" + data)),
                             {}, headers);
        headers.append(
            qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        return http.send("POST", "/derivatives/api/v3/" + endpoint, data, headers);
    }
    QJsonObject ok(const RawResponse &r) {
        const QJsonObject o = json(r);
        if (o.value(u"result"_s).toString() != u"success"_s)
            qWarning() << r.status << r.body;
        return o;
    }
    void book(const char *bid, const char *ask) {
        MarketSim *m = m_ex->futures().market(u"PF_XBTUSD"_s);
        m->setExternalFeed(true);
        m->applyExternalBook(Side::Buy, {{d(bid), d("5")}}, true);
        m->applyExternalBook(Side::Sell, {{d(ask), d("5")}}, true);
        m_ex->futures().setIndexOverride(u"PF_XBTUSD"_s, d(bid));
    }

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<PaperExchange>(SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QVERIFY(m_ex->start());
        const SimAccount &a = m_ex->config().accounts.first();
        m_key = a.futuresApiKey.toLatin1();
        m_secret = a.futuresSecret.toLatin1();
        QCOMPARE(m_ex->futuresRestUrl().path(), u"/derivatives/api/v3"_s);
    }
    void cleanup() { m_ex.reset(); }

    void instrumentsShape() {
        const RawResponse r = publicGet("instruments");
        QCOMPARE(r.status, 200);
        const QJsonObject o = ok(r);
        QCOMPARE(o.value(u"result"_s).toString(), u"success"_s);
        QVERIFY(o.value(u"serverTime"_s).toString().endsWith(u'Z'));
        QVERIFY(r.body.contains("\"tickSize\":1,")); // a JSON number, not a string
        QHash<QString, QJsonObject> by;
        for (const QJsonValue &v : o.value(u"instruments"_s).toArray())
            by.insert(v[u"symbol"_s].toString(), v.toObject());
        QVERIFY(by.contains(u"PF_XBTUSD"_s) && by.contains(u"PI_XBTUSD"_s) &&
                by.contains(u"PF_ETHUSD"_s));
        const QJsonObject pf = by.value(u"PF_XBTUSD"_s);
        QCOMPARE(pf[u"type"_s].toString(), u"flexible_futures"_s);
        QCOMPARE(pf[u"contractValueTradePrecision"_s].toInt(), 4);
        QCOMPARE(pf[u"marginLevels"_s][0][u"initialMargin"_s].toDouble(), 0.02);
        QVERIFY(pf[u"marginLevels"_s][1].toObject().contains(u"numNonContractUnits"_s));
        const QJsonObject pi = by.value(u"PI_XBTUSD"_s);
        QCOMPARE(pi[u"type"_s].toString(), u"futures_inverse"_s);
        QCOMPARE(pi[u"tickSize"_s].toDouble(), 0.5);
        QVERIFY(pi[u"marginLevels"_s][0].toObject().contains(u"contracts"_s));
        bool fixed = false;
        for (auto it = by.begin(); it != by.end(); ++it)
            if (it.key().startsWith(u"FI_XBTUSD_"_s))
                fixed = it->contains(u"lastTradingTime"_s) && (*it)[u"tag"_s] == u"month"_s;
        QVERIFY(fixed);
    }

    void marketData() {
        book("60000", "60010");
        QJsonObject t = ok(publicGet("tickers"));
        bool seen = false;
        for (const QJsonValue &v : t[u"tickers"_s].toArray())
            if (v[u"symbol"_s] == u"PF_XBTUSD"_s) {
                seen = true;
                QCOMPARE(v[u"bid"_s].toDouble(), 60000.0);
                QCOMPARE(v[u"ask"_s].toDouble(), 60010.0);
                QCOMPARE(v[u"indexPrice"_s].toDouble(), 60000.0);
                QVERIFY(v.toObject().contains(u"fundingRate"_s));
            }
        QVERIFY(seen);
        const QJsonObject b = ok(publicGet("orderbook?symbol=pf_xbtusd"));
        QCOMPARE(b[u"orderBook"_s][u"bids"_s][0][0].toDouble(), 60000.0);
        QCOMPARE(b[u"orderBook"_s][u"asks"_s][0][1].toDouble(), 5.0);
        QCOMPARE(json(publicGet("orderbook")).value(u"error"_s).toString(),
                 u"requiredArgumentMissing"_s);
        QVERIFY(ok(publicGet("history?symbol=PI_XBTUSD"))[u"history"_s].isArray());
    }

    void authenticationFailures() {
        QCOMPARE(ok(signedCall("GET", "accounts"))[u"result"_s].toString(), u"success"_s);
        const QByteArray spotKey = m_ex->config().accounts.first().apiKey.toLatin1();
        auto err = [this](const RawResponse &r) {
            const QJsonObject o = json(r);
            return o[u"result"_s].toString() == u"error"_s ? o[u"error"_s].toString() : QString();
        };
        QCOMPARE(err(signedCall("GET", "accounts", {}, {}, "nope")), u"authenticationError"_s);
        QCOMPARE(err(signedCall("GET", "accounts", {}, {}, spotKey)), u"authenticationError"_s);
        QCOMPARE(err(signedCall("GET", "accounts", {}, {}, {}, QByteArray(64, 'A').toBase64())),
                 u"authenticationError"_s);
        const quint64 used = ++m_nonce;
        QVERIFY(ok(signedCall("GET", "openorders", {}, used))[u"openOrders"_s].isArray());
        QCOMPARE(err(signedCall("GET", "openorders", {}, used)), u"nonceDuplicate"_s);
        QCOMPARE(err(signedCall("GET", "openorders", {}, used - 5)), u"nonceBelowThreshold"_s);
        // The signature covers the data as sent: tampering with it fails.
        RawHttp http(m_ex->restUrl());
        const QByteArray n = QByteArray::number(++m_nonce);
        const RawResponse tampered = http.send(
            "POST", "/derivatives/api/v3/cancelallorders", "symbol=PI_XBTUSD",
            {{"APIKey", m_key},
             {"Authent", authent("symbol=PF_XBTUSD", n, "/api/v3/cancelallorders", m_secret)},
             {"Nonce", n}});
        QCOMPARE(err(tampered), u"authenticationError"_s);
    }

    void ordersPositionsAccountsOverHttp() {
        book("60000", "60010");
        // A resting limit order, listed, then cancelled by cliOrdId.
        QJsonObject s = ok(signedCall(
            "POST", "sendorder",
            "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.5&limitPrice=55000&cliOrdId=a%2Bb"));
        QJsonObject st = s[u"sendStatus"_s].toObject();
        QCOMPARE(st[u"status"_s].toString(), u"placed"_s);
        const QString id = st[u"order_id"_s].toString();
        QCOMPARE(id.size(), 36);
        QCOMPARE(st[u"orderEvents"_s][0][u"type"_s].toString(), u"PLACE"_s);
        QCOMPARE(st[u"orderEvents"_s][0][u"order"_s][u"limitPrice"_s].toDouble(), 55000.0);
        const QJsonArray open = ok(signedCall("GET", "openorders"))[u"openOrders"_s].toArray();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open[0][u"cliOrdId"_s].toString(), u"a+b"_s);
        QCOMPARE(open[0][u"unfilledSize"_s].toDouble(), 0.5);
        QCOMPARE(open[0][u"status"_s].toString(), u"untouched"_s);
        QJsonObject c = ok(signedCall("POST", "cancelorder", "cliOrdId=a%2Bb"));
        QCOMPARE(c[u"cancelStatus"_s][u"status"_s].toString(), u"cancelled"_s);
        QCOMPARE(c[u"cancelStatus"_s][u"order_id"_s].toString(), id);

        // A market buy opens a long; positions, fills and accounts show it exactly.
        s = ok(signedCall("POST", "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=2"));
        st = s[u"sendStatus"_s].toObject();
        QCOMPARE(st[u"status"_s].toString(), u"placed"_s);
        QCOMPARE(st[u"orderEvents"_s][1][u"type"_s].toString(), u"EXECUTION"_s);
        QCOMPARE(st[u"orderEvents"_s][1][u"price"_s].toDouble(), 60010.0);
        const QJsonArray pos = ok(signedCall("GET", "openpositions"))[u"openPositions"_s].toArray();
        QCOMPARE(pos.size(), 1);
        QCOMPARE(pos[0][u"side"_s].toString(), u"long"_s);
        QCOMPARE(pos[0][u"size"_s].toDouble(), 2.0);
        QCOMPARE(pos[0][u"price"_s].toDouble(), 60010.0);
        const QJsonArray fills = ok(signedCall("GET", "fills"))[u"fills"_s].toArray();
        QCOMPARE(fills.size(), 1);
        QCOMPARE(fills[0][u"fillType"_s].toString(), u"taker"_s);
        const RawResponse acc = signedCall("GET", "accounts");
        const QJsonObject flex = ok(acc)[u"accounts"_s][u"flex"_s].toObject();
        QCOMPARE(flex[u"type"_s].toString(), u"multiCollateralMarginAccount"_s);
        // 50000 - 60.01 fee; pnl 2 * (60000 - 60010) = -20; im 2 * 60000 * 2 % = 2400.
        QVERIFY(acc.body.contains("\"balanceValue\":49939.99,"));
        QCOMPARE(flex[u"pnl"_s].toDouble(), -20.0);
        QCOMPARE(flex[u"initialMargin"_s].toDouble(), 2400.0);
        QVERIFY(acc.body.contains("\"availableMargin\":47519.99,"));
        QVERIFY(ok(acc)[u"accounts"_s].toObject().contains(u"fi_xbtusd"_s));

        // Reduce-only that would increase, and an order too big for the margin.
        s = ok(signedCall("POST", "sendorder",
                          "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=1&reduceOnly=true"));
        QCOMPARE(s[u"sendStatus"_s][u"status"_s].toString(), u"wouldNotReducePosition"_s);
        s = ok(signedCall("POST", "sendorder",
                          "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=50&limitPrice=59000"));
        QCOMPARE(s[u"sendStatus"_s][u"status"_s].toString(), u"insufficientAvailableFunds"_s);
        s = ok(signedCall("POST", "sendorder",
                          "orderType=post&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=60010"));
        QCOMPARE(s[u"sendStatus"_s][u"status"_s].toString(), u"postWouldExecute"_s);
        QCOMPARE(json(signedCall("POST", "sendorder", "orderType=lmt&symbol=PF_XBTUSD"))[u"error"_s]
                     .toString(),
                 u"requiredArgumentMissing"_s);

        // Edit, then a stop that triggers on the index.
        s = ok(signedCall("POST", "sendorder",
                          "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=50000"));
        const QString lmt = s[u"sendStatus"_s][u"order_id"_s].toString();
        const QJsonObject e = ok(signedCall(
            "POST", "editorder", QByteArray("orderId=" + lmt.toLatin1() + "&limitPrice=51000")));
        QCOMPARE(e[u"editStatus"_s][u"status"_s].toString(), u"edited"_s);
        QCOMPARE(m_ex->futures().order(lmt)->limitPrice, d("51000"));
        s = ok(signedCall("POST", "sendorder",
                          "orderType=stp&symbol=PF_XBTUSD&side=sell&size=2&stopPrice=58000&"
                          "triggerSignal=index&reduceOnly=true"));
        QCOMPARE(s[u"sendStatus"_s][u"orderEvents"_s][0][u"orderTrigger"_s][u"triggerSignal"_s]
                     .toString(),
                 u"spot_price"_s);
        QCOMPARE(ok(signedCall("GET", "openorders"))[u"openOrders"_s].toArray().size(), 2);
        m_ex->futures().setIndexOverride(u"PF_XBTUSD"_s, d("57900"));
        QTRY_VERIFY(ok(signedCall("GET", "openpositions"))[u"openPositions"_s].toArray().isEmpty());

        const QJsonObject all = ok(signedCall("POST", "cancelallorders", "symbol=PF_XBTUSD"));
        QCOMPARE(all[u"cancelStatus"_s][u"cancelledOrders"_s].toArray().size(), 1);
    }

    void batchAndDeadMansSwitch() {
        book("60000", "60010");
        const QByteArray batch = QUrl::toPercentEncoding(QString::fromLatin1(
            "{\"batchOrder\":[{\"order\":\"send\",\"order_tag\":\"1\",\"orderType\":\"lmt\","
            "\"symbol\":\"PF_XBTUSD\",\"side\":\"buy\",\"size\":0.1,\"limit_price\":50000,"
            "\"cliOrdId\":\"b1\"},{\"order\":\"send\",\"order_tag\":\"2\",\"orderType\":"
            "\"lmt\",\"symbol\":\"PF_XBTUSD\",\"side\":\"buy\",\"size\":0.1,\"limit_price\":"
            "50001},{\"order\":\"cancel\",\"cliOrdId\":\"b1\"}]}"));
        const QJsonArray st =
            ok(signedCall("POST", "batchorder", "json=" + batch))[u"batchStatus"_s].toArray();
        QCOMPARE(st.size(), 3);
        QCOMPARE(st[0][u"status"_s].toString(), u"placed"_s);
        QCOMPARE(st[0][u"order_tag"_s].toString(), u"1"_s);
        QCOMPARE(st[1][u"status"_s].toString(), u"placed"_s);
        QCOMPARE(st[2][u"status"_s].toString(), u"cancelled"_s);
        QCOMPARE(m_ex->futures().openOrders(u"paper"_s).size(), size_t(1));

        qint64 clock = 1'800'000'000'000;
        m_ex->futures().setClock([&clock] { return clock; });
        const QJsonObject dms = ok(signedCall("POST", "cancelallordersafter", "timeout=30"));
        QCOMPARE(dms[u"status"_s][u"currentTime"_s].toString(), u"2027-01-15T08:00:00.000Z"_s);
        QCOMPARE(dms[u"status"_s][u"triggerTime"_s].toString(), u"2027-01-15T08:00:30.000Z"_s);
        clock += 30'000;
        m_ex->futures().tick();
        QVERIFY(m_ex->futures().openOrders(u"paper"_s).empty());
    }

    void faults() {
        QString why;
        QVERIFY(m_ex->faults().apply(u"html_502=1"_s, &why));
        RawResponse r = publicGet("instruments");
        QCOMPARE(r.status, 502);
        QVERIFY(r.body.contains("502 Bad Gateway"));
        QVERIFY(m_ex->faults().apply(u"rest_service_errors=1"_s, &why));
        QCOMPARE(json(signedCall("GET", "accounts"))[u"error"_s].toString(), u"Unavailable"_s);
        QVERIFY(m_ex->faults().apply(u"rest_rate_limit_errors=1"_s, &why));
        QCOMPARE(json(signedCall("GET", "accounts"))[u"error"_s].toString(), u"apiLimitExceeded"_s);
        // A lost acknowledgement: the order is placed, the answer never comes.
        book("60000", "60010");
        QVERIFY(m_ex->faults().apply(u"lose_order_ack=1"_s, &why));
        r = signedCall("POST", "sendorder",
                       "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.1&limitPrice=50000");
        QCOMPARE(r.status, 0);
        QCOMPARE(ok(signedCall("GET", "openorders"))[u"openOrders"_s].toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFuturesRestSim)
#include "tst_futuresrestsim.moc"
