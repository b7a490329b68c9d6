// The composed paper exchange against our own clients when things go wrong: the periodic
// WebSocket drop (PaperExchange's timer) ends in a resubscribed, verified book; REST faults
// reach RestClient as the right error band; an order whose answer was lost is reported as
// "outcome unknown" by the client and is found on the exchange afterwards, placed once.

#include "kraken/core/credentials.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/wsclient.h"
#include "tests/spot/spottestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::sim;

class TestPaperExchange : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PaperExchange> m_ex;

    std::unique_ptr<spot::RestClient> privateClient(int maxRetries, int timeoutMs = 10000) {
        spot::RestClientConfig c = spottest::testConfig(m_ex->restUrl());
        c.maxRetries = maxRetries;
        c.timeoutMs = timeoutMs;
        auto client = std::make_unique<spot::RestClient>(c);
        const SimAccount &a = m_ex->config().accounts.first();
        client->setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
        return client;
    }

    void fault(const QString &setting) {
        QString why;
        QVERIFY2(m_ex->faults().apply(setting, &why), qPrintable(why));
    }

private Q_SLOTS:
    void init() {
        m_ex = std::make_unique<PaperExchange>(SimConfig::builtIn());
        m_ex->setStepInterval(20);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }
    void cleanup() { m_ex.reset(); }

    void periodicDropsEndInAVerifiedResubscribedBook() {
        spot::WsClientConfig c;
        c.url = m_ex->wsUrl();
        c.reconnectInitialMs = 50;
        c.jitterSeed = 7;
        spot::WsClient ws(c);
        QSignalSpy gaps(&ws, &spot::WsClient::gap);
        QSignalSpy books(&ws, &spot::WsClient::bookUpdated);
        QSignalSpy invalid(&ws, &spot::WsClient::bookInvalid);
        QSignalSpy protocolErrors(&ws, &spot::WsClient::protocolError);
        using Ch = spot::WsSubscription::Channel;
        ws.subscribe({Ch::Book, u"BTC/USD"_s, 25, 0});
        ws.subscribe({Ch::Book, u"ETH/USD"_s, 10, 0});
        ws.open();
        QTRY_VERIFY_WITH_TIMEOUT(books.size() > 10, 20000);

        fault(u"ws_drop_every_sec=1"_s);
        QTRY_VERIFY_WITH_TIMEOUT(gaps.size() >= 2, 30000);
        fault(u"ws_drop_every_sec=0"_s);
        // After the last drop: live again with both books, and updates flowing that verify.
        QTRY_COMPARE_WITH_TIMEOUT(ws.state(), spot::WsClient::State::Live, 30000);
        books.clear();
        QTRY_VERIFY_WITH_TIMEOUT(books.size() > 20, 30000);
        for (const QString &symbol : {u"BTC/USD"_s, u"ETH/USD"_s}) {
            const auto snap = ws.bookSnapshot(symbol);
            QVERIFY(snap);
            QVERIFY(!snap->bids.empty() && !snap->asks.empty());
            QVERIFY(snap->bids.front().price < snap->asks.front().price);
        }
        QCOMPARE(invalid.size(), 0); // a dropped connection is a gap, not a bad book
        QCOMPARE(protocolErrors.size(), 0);
    }

    void restFaultsArriveInTheirBands() {
        auto client = privateClient(0);
        fault(u"html_502=1"_s);
        KT_AWAIT(page, client->balance());
        QVERIFY(!page.result.ok());
        QCOMPARE(page.result.error().category(), Error::Category::Http);

        fault(u"rest_service_errors=1"_s);
        fault(u"rest_service_error=EService:Busy"_s);
        KT_AWAIT(busy, client->balance());
        QCOMPARE(busy.result.error().category(), Error::Category::Kraken);
        QVERIFY(busy.result.error().toString().contains(u"EService:Busy"_s));

        fault(u"rest_rate_limit_errors=1"_s);
        KT_AWAIT(limited, client->balance());
        QCOMPARE(limited.result.error().category(), Error::Category::RateLimited);

        KT_AWAIT(ok, client->balance()); // every one-shot fault is used up
        KT_VERIFY_OK(ok.result);
    }

    // The order reached the exchange; only the answer was lost. The client must not claim it
    // failed (nor send it again); asking the exchange finds it, once.
    void lostOrderAnswerIsUnknownAndTheOrderExistsOnce() {
        auto client = privateClient(2);
        spot::OrderRequest order;
        order.pair = u"BTC/USD"_s;
        order.side = spot::Side::Buy;
        order.orderType = u"limit"_s;
        order.volume = spottest::dec("0.02");
        order.price = spottest::dec("1000.0");
        order.clOrdId = u"6d1b345e-2821-40e2-ad83-4ecb18a06876"_s;
        fault(u"lose_order_ack=1"_s);
        KT_AWAIT(added, client->addOrder(order));
        QVERIFY(!added.result.ok());
        QVERIFY(added.result.error().outcomeUnknown());

        KT_AWAIT(open, client->openOrders());
        KT_VERIFY_OK(open.result);
        int found = 0;
        for (const spot::OrderInfo &o : open.result->orders)
            found += o.clOrdId == order.clOrdId ? 1 : 0;
        QCOMPARE(found, 1);
        QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(1));
    }

    void stalledOrderCallTimesOutWithUnknownOutcome() {
        auto client = privateClient(2, 1500);
        spot::OrderRequest order;
        order.pair = u"ETH/USD"_s;
        order.orderType = u"limit"_s;
        order.volume = spottest::dec("0.1");
        order.price = spottest::dec("100.00");
        fault(u"stall=1"_s);
        KT_AWAIT(added, client->addOrder(order));
        QCOMPARE(added.result.error().category(), Error::Category::Timeout);
        QVERIFY(added.result.error().outcomeUnknown());
        // A stalled request never reached the engine here, and the client did not resend it.
        QCOMPARE(m_ex->engine().openOrders(u"paper"_s).size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestPaperExchange)
#include "tst_paperexchange.moc"
