// Pages::All for ClosedOrders, TradesHistory and Ledgers against a server that holds more rows
// than one page and serves 50 at a time, honouring `ofs` and reporting `count` as Kraken does.

#include "fakekraken.h"
#include "kraken/spot/restclient.h"
#include "spottestsupport.h"

#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::spot;
using namespace spottest;

namespace {

constexpr int PageSize = 50;

QJsonObject closedOrder(int i) {
    return QJsonObject{
        {u"refid"_s, QJsonValue(QJsonValue::Null)},
        {u"userref"_s, 0},
        {u"status"_s, u"closed"_s},
        {u"opentm"_s, 1688000000.0 + i},
        {u"closetm"_s, 1688000030.0 + i},
        {u"starttm"_s, 0},
        {u"expiretm"_s, 0},
        {u"descr"_s, QJsonObject{{u"pair"_s, u"XBTUSD"_s},
                                 {u"type"_s, u"buy"_s},
                                 {u"ordertype"_s, u"limit"_s},
                                 {u"price"_s, u"30000.0"_s},
                                 {u"price2"_s, u"0"_s},
                                 {u"leverage"_s, u"none"_s},
                                 {u"order"_s, u"buy 0.01000000 XBTUSD @ limit 30000.0"_s},
                                 {u"close"_s, u""_s}}},
        {u"vol"_s, u"0.01000000"_s},
        {u"vol_exec"_s, u"0.01000000"_s},
        {u"cost"_s, u"300.0"_s},
        {u"fee"_s, u"0.78"_s},
        {u"price"_s, QString(QString::number(30000 + i) + u".0"_s)},
        {u"misc"_s, u""_s},
        {u"oflags"_s, u"fciq"_s},
    };
}

QJsonObject trade(int i) {
    return QJsonObject{{u"ordertxid"_s, u"O%1"_s.arg(i, 5, 10, QLatin1Char('0'))},
                       {u"postxid"_s, u"TKH2SE-M7IF5-CFI7LT"_s},
                       {u"pair"_s, u"XXBTZUSD"_s},
                       {u"time"_s, 1688000000.5 + i},
                       {u"type"_s, u"sell"_s},
                       {u"ordertype"_s, u"market"_s},
                       {u"price"_s, u"30000.0"_s},
                       {u"cost"_s, u"300.0"_s},
                       {u"fee"_s, u"0.78"_s},
                       {u"vol"_s, u"0.01000000"_s},
                       {u"margin"_s, u"0.0"_s},
                       {u"misc"_s, u""_s},
                       {u"trade_id"_s, 1000 + i},
                       {u"maker"_s, i % 2 == 0}};
}

QJsonObject ledgerEntry(int i) {
    return QJsonObject{{u"refid"_s, u"R%1"_s.arg(i)},
                       {u"time"_s, 1688000000.25 + i},
                       {u"type"_s, u"trade"_s},
                       {u"subtype"_s, u""_s},
                       {u"aclass"_s, u"currency"_s},
                       {u"asset"_s, u"ZUSD"_s},
                       {u"amount"_s, u"-1.0000"_s},
                       {u"fee"_s, u"0.0000"_s},
                       {u"balance"_s, QString(QString::number(1000 - i) + u".0000"_s)}};
}

// A page server for `listKey` holding `total` rows; the keys sort in row order.
// withCount=false leaves `count` out, as Ledgers does when asked `without_count`.
FakeKraken::Handler pagedHandler(const QString &listKey, const QString &idPrefix, int total,
                                 QJsonObject (*row)(int), bool withCount = true,
                                 bool honourOfs = true) {
    return [=](const ReceivedRequest &r) {
        const int ofs = honourOfs ? r.param(u"ofs"_s).toInt() : 0;
        QJsonObject rows;
        for (int i = ofs; i < std::min(total, ofs + PageSize); ++i)
            rows.insert(idPrefix + u"%1"_s.arg(i, 5, 10, QLatin1Char('0')), row(i));
        QJsonObject result{{listKey, rows}};
        if (withCount)
            result.insert(u"count"_s, total);
        return krakenResult(result);
    };
}

// The `ofs` each request carried, "-" when it carried none; fails on a repeated `ofs`.
QStringList offsetsSeen(const QList<ReceivedRequest> &requests) {
    QStringList out;
    for (const ReceivedRequest &r : requests) {
        const QList<QString> all = r.form().allQueryItemValues(u"ofs"_s);
        if (all.size() > 1)
            return {u"ofs sent %1 times"_s.arg(all.size())};
        out.append(all.isEmpty() ? u"-"_s : all.first());
    }
    return out;
}

} // namespace

class TestRestClientPaging : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void closedOrdersAllPages();
    void closedOrdersFirstPage();
    void closedOrdersAllFromAnOffset();
    void tradesHistoryAllPages();
    void ledgersAllPages();
    void ledgersWithoutCount();
    void maxPagesBoundsTheLoop();
    void serverIgnoringOfsDoesNotLoop();
    void errorOnALaterPageFailsTheCall();

private:
    RestClient *newClient(const FakeKraken &server, RestClientConfig config = {});
    Credentials credentials() const { return Credentials(u"kt-test-key"_s, m_vector.secret); }

    SignVector m_vector;
    std::unique_ptr<RestClient> m_client;
};

void TestRestClientPaging::initTestCase() {
    QString error;
    m_vector = loadSignVector(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

RestClient *TestRestClientPaging::newClient(const FakeKraken &server, RestClientConfig config) {
    config.baseUrl = server.baseUrl();
    m_client = std::make_unique<RestClient>(config);
    m_client->setCredentials(credentials());
    return m_client.get();
}

void TestRestClientPaging::closedOrdersAllPages() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/ClosedOrders"_s,
              pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder));
    RestClient *client = newClient(server, testConfig({}));

    KT_AWAIT(done, client->closedOrders({{u"closetime"_s, u"close"_s}, {u"trades"_s, u"true"_s}},
                                        Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 120);
    QCOMPARE(done.result->count, 120);
    QSet<QString> txids;
    for (const OrderInfo &o : done.result->orders)
        txids.insert(o.txid);
    QCOMPARE(txids.size(), 120);
    QVERIFY(txids.contains(u"OCLOSE-00000"_s));
    QVERIFY(txids.contains(u"OCLOSE-00119"_s));
    QVERIFY(done.warnings.isEmpty());

    const auto reqs = server.requests();
    QCOMPARE(reqs.size(), 3);
    QCOMPARE(offsetsSeen(reqs), (QStringList{u"-"_s, u"50"_s, u"100"_s}));
    quint64 previousNonce = 0;
    for (const ReceivedRequest &r : reqs) {
        QCOMPARE(r.param(u"closetime"_s), u"close"_s); // the caller's filters on every page
        QCOMPARE(r.param(u"trades"_s), u"true"_s);
        QVERIFY(r.signatureValid);
        QVERIFY(r.nonce().toULongLong() > previousNonce);
        previousNonce = r.nonce().toULongLong();
    }
}

void TestRestClientPaging::closedOrdersFirstPage() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/ClosedOrders"_s,
              pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->closedOrders());
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 50);
    QCOMPARE(done.result->count, 120); // Kraken's total, so a UI can offer more
    QCOMPARE(server.count(), 1);
    QCOMPARE(offsetsSeen(server.requests()), QStringList{u"-"_s});
}

void TestRestClientPaging::closedOrdersAllFromAnOffset() {
    // "The rest, from row 50 on": pages continue from the caller's offset.
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/ClosedOrders"_s,
              pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->closedOrders({{u"ofs"_s, u"50"_s}}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 70);
    QSet<QString> txids;
    for (const OrderInfo &o : done.result->orders)
        txids.insert(o.txid);
    QCOMPARE(txids.size(), 70);
    QVERIFY(!txids.contains(u"OCLOSE-00049"_s));
    QVERIFY(txids.contains(u"OCLOSE-00050"_s));
    QVERIFY(txids.contains(u"OCLOSE-00119"_s));
    QCOMPARE(offsetsSeen(server.requests()), (QStringList{u"50"_s, u"100"_s}));
}

void TestRestClientPaging::tradesHistoryAllPages() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.setSecret(m_vector.secret);
    server.on(u"/0/private/TradesHistory"_s, pagedHandler(u"trades"_s, u"TRADE-"_s, 75, trade));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->tradesHistory({{u"type"_s, u"all"_s}}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->trades.size(), 75);
    QCOMPARE(done.result->count, 75);
    QSet<QString> ids;
    for (const TradeInfo &t : done.result->trades) {
        ids.insert(t.txid);
        if (t.txid == u"TRADE-00074"_s) {
            QCOMPARE(t.tradeId, 1074);
            QCOMPARE(t.time, dec("1688000074.5"));
            QCOMPARE(t.orderTxid, u"O00074"_s);
        }
    }
    QCOMPARE(ids.size(), 75);
    QCOMPARE(offsetsSeen(server.requests()), (QStringList{u"-"_s, u"50"_s}));
    for (const ReceivedRequest &r : server.requests()) {
        QCOMPARE(r.param(u"type"_s), u"all"_s);
        QVERIFY(r.signatureValid);
    }
}

void TestRestClientPaging::ledgersAllPages() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/Ledgers"_s, pagedHandler(u"ledger"_s, u"LEDGER-"_s, 101, ledgerEntry));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->ledgers({{u"asset"_s, u"ZUSD"_s}}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->entries.size(), 101);
    QCOMPARE(done.result->count, 101);
    QSet<QString> ids;
    for (const LedgerEntry &e : done.result->entries) {
        ids.insert(e.id);
        if (e.id == u"LEDGER-00100"_s)
            QCOMPARE(e.balance.toString(), u"900.0000"_s);
    }
    QCOMPARE(ids.size(), 101);
    QCOMPARE(offsetsSeen(server.requests()), (QStringList{u"-"_s, u"50"_s, u"100"_s}));
}

void TestRestClientPaging::ledgersWithoutCount() {
    // Kraken leaves `count` out when asked without_count=true; "all pages" must still mean
    // all of them: read on until a page comes back empty.
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/Ledgers"_s,
              pagedHandler(u"ledger"_s, u"LEDGER-"_s, 60, ledgerEntry, /*withCount=*/false));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->ledgers({{u"without_count"_s, u"true"_s}}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->entries.size(), 60);
    QCOMPARE(done.result->count, 60);
    QVERIFY(done.warnings.isEmpty());
    const QStringList offsets = offsetsSeen(server.requests());
    QVERIFY2(offsets.size() <= 3, qPrintable(offsets.join(u' ')));
    QCOMPARE(offsets.mid(0, 2), (QStringList{u"-"_s, u"50"_s}));
}

void TestRestClientPaging::maxPagesBoundsTheLoop() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/ClosedOrders"_s,
              pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder));
    RestClientConfig config = testConfig({});
    config.maxPages = 2;
    RestClient *client = newClient(server, config);
    KT_AWAIT(done, client->closedOrders({}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 100);
    QCOMPARE(done.result->count, 120);
    QCOMPARE(server.count(), 2);
    QCOMPARE(done.warnings.size(), 1);
    QVERIFY2(done.warnings.first().contains(u"stopped after 2 pages"_s),
             qPrintable(done.warnings.first()));
}

void TestRestClientPaging::serverIgnoringOfsDoesNotLoop() {
    FakeKraken server;
    QVERIFY(server.isListening());
    server.on(u"/0/private/ClosedOrders"_s,
              pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder, true, /*honourOfs=*/false));
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->closedOrders({}, Pages::All));
    KT_VERIFY_OK(done.result);
    QCOMPARE(done.result->orders.size(), 50); // no duplicates from the repeated page
    QCOMPARE(server.count(), 2);              // stopped as soon as a page brought nothing new
}

void TestRestClientPaging::errorOnALaterPageFailsTheCall() {
    FakeKraken server;
    QVERIFY(server.isListening());
    const auto pages = pagedHandler(u"closed"_s, u"OCLOSE-"_s, 120, closedOrder);
    server.on(u"/0/private/ClosedOrders"_s, [pages](const ReceivedRequest &r) {
        return r.hasParam(u"ofs"_s) ? krakenErrors({u"EGeneral:Permission denied"_s}) : pages(r);
    });
    RestClient *client = newClient(server, testConfig({}));
    KT_AWAIT(done, client->closedOrders({}, Pages::All));
    QVERIFY(!done.result.ok()); // never a silently partial list
    QCOMPARE(done.result.error().category(), Error::Category::Auth);
    QCOMPARE(done.result.error().krakenErrors(), QStringList{u"EGeneral:Permission denied"_s});
    QCOMPARE(server.count(), 2);
}

QTEST_GUILESS_MAIN(TestRestClientPaging)
#include "tst_restclient_paging.moc"
