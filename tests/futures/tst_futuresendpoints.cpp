// Kraken Futures' base URLs per environment, and the sibling APIs of a compatible venue.

#include "kraken/futures/futuresendpoints.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::futures;

class TestFuturesEndpoints : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void environments() {
        const FuturesEndpoints main = FuturesEndpoints::of(FuturesEnvironment::Mainnet);
        QCOMPARE(main.rest.toString(), u"https://futures.kraken.com/derivatives/api/v3"_s);
        QCOMPARE(main.ws.toString(), u"wss://futures.kraken.com/ws/v1"_s);
        QCOMPARE(main.charts.toString(), u"https://futures.kraken.com/api/charts/v1"_s);
        QCOMPARE(main.history.toString(), u"https://futures.kraken.com/api/history/v2"_s);
        const FuturesEndpoints demo = FuturesEndpoints::of(FuturesEnvironment::Demo);
        QCOMPARE(demo.rest.toString(), u"https://demo-futures.kraken.com/derivatives/api/v3"_s);
        QCOMPARE(demo.ws.toString(), u"wss://demo-futures.kraken.com/ws/v1"_s);
        QCOMPARE(demo.charts.toString(), u"https://demo-futures.kraken.com/api/charts/v1"_s);
    }

    void environmentIds() {
        QCOMPARE(futuresEnvironmentId(FuturesEnvironment::Demo), u"demo"_s);
        QCOMPARE(futuresEnvironmentFromId(u"MAINNET"), FuturesEnvironment::Mainnet);
        QCOMPARE(futuresEnvironmentFromId(u"demo"), FuturesEnvironment::Demo);
        QVERIFY(!futuresEnvironmentFromId(u"testnet"));
    }

    // A venue behind a path prefix keeps the prefix for every API; a query is not carried over.
    void compatibleVenue() {
        const FuturesEndpoints p =
            FuturesEndpoints::at(QUrl(u"http://127.0.0.1:4321/derivatives/api/v3"_s),
                                 QUrl(u"ws://127.0.0.1:4322/ws/v1"_s));
        QCOMPARE(p.charts.toString(), u"http://127.0.0.1:4321/api/charts/v1"_s);
        QCOMPARE(p.history.toString(), u"http://127.0.0.1:4321/api/history/v2"_s);
        const FuturesEndpoints proxied = FuturesEndpoints::at(
            QUrl(u"https://proxy.example/kf/derivatives/api/v3?x=1"_s), QUrl());
        QCOMPARE(proxied.charts.toString(), u"https://proxy.example/kf/api/charts/v1"_s);
        QCOMPARE(proxied.history.toString(), u"https://proxy.example/kf/api/history/v2"_s);
    }
};

QTEST_GUILESS_MAIN(TestFuturesEndpoints)
#include "tst_futuresendpoints.moc"
