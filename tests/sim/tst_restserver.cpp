// RestServer against the protocol itself: raw HTTP requests written by hand, the documented
// API-Sign vector, and Kraken's envelope and error strings as expected text.

#include "kraken/core/signing.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/restserver.h"
#include "rawhttp.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken::sim;
using testsupport::RawHttp;
using testsupport::RawResponse;

namespace {

QJsonObject vector() {
    QFile f(QStringLiteral(KT_VECTORS_DIR "/spot_rest_api_sign.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject json(const RawResponse &r) {
    return QJsonDocument::fromJson(r.body).object();
}

QStringList errors(const RawResponse &r) {
    QStringList out;
    const QJsonArray a = json(r).value(u"error"_s).toArray();
    for (const QJsonValue &v : a)
        out.append(v.toString());
    return out;
}

const char *const Json0 = R"({"nonce":"1616492377000","pair":"XBTUSD","volume":"0.5"})";
const char *const Json1 = R"({"error":[],"result":{"unixtime":1616492376}})";
const char *const Json2 = R"({"no_such_fault":1})";
const char *const Json3 = R"({"rest_service_errors":1})";
const char *const Json4 = R"({"html_502":1})";
const char *const Json5 = R"({"stall":1})";
const char *const VectorKey = "vector-key";

} // namespace

class TestRestServer : public QObject {
    Q_OBJECT

private:
    SimConfig m_config;
    Faults m_faults;
    std::unique_ptr<RestServer> m_server;
    QJsonObject m_vector;

    QList<QPair<QByteArray, QByteArray>> signedHeaders(const QByteArray &method,
                                                       const QByteArray &nonce,
                                                       const QByteArray &body,
                                                       const QByteArray &contentType) {
        const QByteArray secret = m_vector[u"inputs"_s][u"secret_b64"_s].toString().toLatin1();
        const auto sign =
            kraken::spotApiSign(QByteArray("/0/private/" + method), nonce, body, secret);
        return {{"API-Key", VectorKey},
                {"API-Sign", sign.value_or(QByteArray())},
                {"Content-Type", contentType}};
    }

    RawResponse post(const QByteArray &method, const QByteArray &nonce, const QByteArray &body,
                     const QByteArray &contentType = "application/x-www-form-urlencoded") {
        return RawHttp(m_server->url())
            .send("POST", "/0/private/" + method, body,
                  signedHeaders(method, nonce, body, contentType));
    }

private Q_SLOTS:
    void initTestCase() {
        m_vector = vector();
        QVERIFY2(!m_vector.isEmpty(), "shared/vectors/spot_rest_api_sign.json not readable");
        m_config = SimConfig::builtIn();
        SimAccount a = m_config.accounts.first();
        a.id = u"vector"_s;
        a.apiKey = QString::fromLatin1(VectorKey);
        a.secret = m_vector[u"inputs"_s][u"secret_b64"_s].toString();
        m_config.accounts.append(a);
        m_server = std::make_unique<RestServer>(m_config, &m_faults);
        auto echo = [](const RestRequest &r) {
            QJsonObject o = r.params;
            o.insert(u"_account"_s, r.accountId);
            return RestResponse::ok(o);
        };
        m_server->addPrivate(u"AddOrder"_s, echo);
        m_server->addPrivate(u"Balance"_s, echo);
        m_server->addPrivate(u"Ledgers"_s, echo);
        m_server->addPrivate(u"CancelOrder"_s, [](const RestRequest &) {
            RestResponse r = RestResponse::ok(QJsonObject{{u"count"_s, 1}});
            r.loseAnswer = true;
            return r;
        });
        m_server->addPublic(u"Time"_s, [](const RestRequest &) {
            return RestResponse::ok(QJsonObject{{u"unixtime"_s, 1616492376}});
        });
        m_server->addPublic(u"Echo"_s, echo);
        QVERIFY(m_server->listenOn(QHostAddress(QHostAddress::LocalHost), 0));
        QCOMPARE(m_server->url().host(), u"127.0.0.1"_s);
    }

    // The documented request, with the documented signature, is accepted as it stands.
    void documentedSignatureIsAccepted() {
        const QJsonObject in = m_vector[u"inputs"_s].toObject();
        const QByteArray body = in[u"postdata"_s].toString().toLatin1();
        const QByteArray sign = m_vector[u"expected"_s][u"api_sign"_s].toString().toLatin1();
        const QList<QPair<QByteArray, QByteArray>> headers{
            {"API-Key", VectorKey},
            {"API-Sign", sign},
            {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
        RawHttp http(m_server->url());
        const RawResponse r = http.send("POST", "/0/private/AddOrder", body, headers);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.headers.contains("Content-Type: application/json"), r.headers.constData());
        const QJsonObject result = json(r).value(u"result"_s).toObject();
        QCOMPARE(json(r).value(u"error"_s).toArray().size(), 0);
        QCOMPARE(result.value(u"ordertype"_s).toString(), u"limit"_s);
        QCOMPARE(result.value(u"pair"_s).toString(), u"XBTUSD"_s);
        QCOMPARE(result.value(u"price"_s).toString(), u"37500"_s);
        QCOMPARE(result.value(u"volume"_s).toString(), u"1.25"_s);
        QCOMPARE(result.value(u"_account"_s).toString(), u"vector"_s);
        QVERIFY(!result.contains(u"nonce"_s));

        // The very same request again: its nonce is no longer above the last one.
        const RawResponse again = http.send("POST", "/0/private/AddOrder", body, headers);
        QCOMPARE(errors(again), QStringList{u"EAPI:Invalid nonce"_s});
        QVERIFY(!json(again).contains(u"result"_s));
    }

    void authenticationFailures() {
        const QByteArray nonce = "1616492376600";
        const QByteArray body = "nonce=" + nonce + "&asset=ZUSD";
        auto headers = signedHeaders("Balance", nonce, body, "application/x-www-form-urlencoded");
        RawHttp http(m_server->url());

        auto tampered = headers;
        const QByteArray otherBody = "nonce=" + nonce + "&asset=XXBT";
        QCOMPARE(errors(http.send("POST", "/0/private/Balance", otherBody, tampered)),
                 QStringList{u"EAPI:Invalid signature"_s});

        auto unknownKey = headers;
        unknownKey[0].second = "no-such-key";
        QCOMPARE(errors(http.send("POST", "/0/private/Balance", body, unknownKey)),
                 QStringList{u"EAPI:Invalid key"_s});

        const QByteArray noNonce = "asset=ZUSD";
        QCOMPARE(errors(http.send("POST", "/0/private/Balance", noNonce,
                                  signedHeaders("Balance", "", noNonce, "x"))),
                 QStringList{u"EAPI:Invalid nonce"_s});

        QCOMPARE(errors(http.send("GET", "/0/private/Balance")),
                 QStringList{u"EGeneral:Invalid arguments"_s});

        // A rejected signature did not use up the nonce: the genuine request still passes.
        const RawResponse ok = http.send("POST", "/0/private/Balance", body, headers);
        QCOMPARE(errors(ok), QStringList{});
        QCOMPARE(json(ok)[u"result"_s][u"asset"_s].toString(), u"ZUSD"_s);
    }

    void jsonBodyAndNestedForms() {
        const QByteArray jsonBody = QByteArray(Json0);
        const RawResponse j = post("AddOrder", "1616492377000", jsonBody, "application/json");
        QCOMPARE(errors(j), QStringList{});
        QCOMPARE(json(j)[u"result"_s][u"volume"_s].toString(), u"0.5"_s);

        const QByteArray form = "nonce=1616492377001&orders%5B0%5D%5Bordertype%5D=limit"
                                "&orders[1][ordertype]=market&orders[1][volume]=2&userref=+7";
        const RawResponse f = post("AddOrder", "1616492377001", form);
        QCOMPARE(errors(f), QStringList{});
        const QJsonObject result = json(f)[u"result"_s].toObject();
        const QJsonArray orders = result[u"orders"_s].toArray();
        QCOMPARE(orders.size(), 2);
        QCOMPARE(orders[0][u"ordertype"_s].toString(), u"limit"_s);
        QCOMPARE(orders[1][u"ordertype"_s].toString(), u"market"_s);
        QCOMPARE(orders[1][u"volume"_s].toString(), u"2"_s);
        QCOMPARE(result[u"userref"_s].toString(), u" 7"_s); // '+' is a space in forms
    }

    // Intermediate tier: counter 20. Ledgers costs 2, so ten calls fill it; order entry
    // is not charged to it. A server of its own, so earlier calls have not used the counter.
    void restCounterIsEnforced() {
        RestServer server(m_config, &m_faults);
        auto echo = [](const RestRequest &r) { return RestResponse::ok(r.params); };
        server.addPrivate(u"Ledgers"_s, echo);
        server.addPrivate(u"AddOrder"_s, echo);
        QVERIFY(server.listenOn(QHostAddress(QHostAddress::LocalHost), 0));
        auto call = [&](const QByteArray &method, const QByteArray &body, const QByteArray &n) {
            return errors(
                RawHttp(server.url())
                    .send("POST", "/0/private/" + method, body,
                          signedHeaders(method, n, body, "application/x-www-form-urlencoded")));
        };
        qint64 nonce = 1616492378000;
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 30; ++i) {
            const QByteArray n = QByteArray::number(++nonce);
            const QStringList e = call("Ledgers", "nonce=" + n, n);
            if (e.isEmpty())
                ++ok;
            else if (e == QStringList{u"EAPI:Rate limit exceeded"_s})
                ++limited;
            if (i == 9)
                QCOMPARE(ok, 10);
        }
        QVERIFY2(limited >= 10, qPrintable(QString::number(limited)));
        const QByteArray n = QByteArray::number(++nonce);
        QCOMPARE(call("AddOrder", "nonce=" + n + "&pair=XBTUSD", n), QStringList{});
    }

    void publicCallsAndUnknowns() {
        RawHttp http(m_server->url());
        const RawResponse t = http.send("GET", "/0/public/Time");
        QCOMPARE(t.status, 200);
        QCOMPARE(t.body, QByteArray(QByteArray(Json1)));
        const RawResponse e = http.send("GET", "/0/public/Echo?pair=XBTUSD,ETHUSD&count=5");
        QCOMPARE(json(e)[u"result"_s][u"pair"_s].toString(), u"XBTUSD,ETHUSD"_s);
        QCOMPARE(errors(http.send("GET", "/0/public/NoSuchThing")),
                 QStringList{u"EGeneral:Unknown method"_s});
        QCOMPARE(http.send("GET", "/elsewhere").status, 404);
    }

    void faultsFromTheAdminEndpoint() {
        RawHttp http(m_server->url());
        const RawResponse bad = http.send("POST", "/admin/faults", QByteArray(Json2));
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.body.contains("unknown fault: no_such_fault"));

        QCOMPARE(http.send("POST", "/admin/faults", QByteArray(Json3)).status, 200);
        QCOMPARE(errors(http.send("GET", "/0/public/Time")),
                 QStringList{u"EService:Unavailable"_s});
        QCOMPARE(errors(http.send("GET", "/0/public/Time")), QStringList{}); // one-shot

        QCOMPARE(http.send("POST", "/admin/faults", QByteArray(Json4)).status, 200);
        const RawResponse page = http.send("GET", "/0/public/Time");
        QCOMPARE(page.status, 502);
        QVERIFY(page.headers.contains("Content-Type: text/html"));
        QVERIFY(page.body.startsWith("<html>"));

        QCOMPARE(http.send("POST", "/admin/faults", QByteArray(Json5)).status, 200);
        RawHttp stalled(m_server->url());
        stalled.sendNoWait("GET", "/0/public/Time");
        // A later request on another connection is answered while the stalled one is not.
        QTRY_COMPARE_WITH_TIMEOUT(errors(http.send("GET", "/0/public/Time")), QStringList{}, 10000);
        QCOMPARE(stalled.socket()->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(stalled.socket()->bytesAvailable(), 0);

        const QJsonObject state =
            QJsonDocument::fromJson(http.send("GET", "/admin/faults").body).object();
        QCOMPARE(state[u"stall"_s].toInt(), 0);
        QCOMPARE(state[u"rest_service_error"_s].toString(), u"EService:Unavailable"_s);
    }

    void lostAnswerClosesTheConnection() {
        const QByteArray n = "1616492390000";
        const RawResponse r = post("CancelOrder", n, "nonce=" + n + "&txid=OABCDE-FGHIJ-KLMNOP");
        QCOMPARE(r.status, 0);
        QVERIFY(r.closedWithoutAnswer);
    }
};

QTEST_GUILESS_MAIN(TestRestServer)
#include "tst_restserver.moc"
