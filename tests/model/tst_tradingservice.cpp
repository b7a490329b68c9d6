// TradingService, the trading stack on its own thread: a journal that cannot be opened stops
// it with a message before anything reaches Kraken; a healthy one places an order on the
// paper exchange from a queued call and reports it back by value signals.

#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/orderrequest.h"
#include "model/tradingservice.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace kraken;

class TestTradingService : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<sim::PaperExchange> m_ex;
    QTemporaryDir m_dir;

    model::TradingServiceConfig config(const QString &journal) const {
        const sim::SimAccount &a = m_ex->config().accounts.front();
        model::TradingServiceConfig c;
        c.restUrl = m_ex->restUrl();
        c.wsAuthUrl = m_ex->wsAuthUrl();
        c.credentials = Credentials(a.apiKey, a.secret.toLatin1());
        c.journalPath = journal;
        c.limitPublicCalls = false;
        c.persistNonce = false;
        return c;
    }

    spot::OrderRequest restingBuy() const {
        spot::OrderRequest o;
        o.pair = u"BTC/USD"_s;
        o.side = spot::Side::Buy;
        o.orderType = u"limit"_s;
        o.volume = *Decimal::fromString(std::string_view("0.25"));
        o.price = *m_ex->market(u"BTC/USD")->bestBid()->minus(*Decimal::fromString("1000"));
        return o;
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_ex = std::make_unique<sim::PaperExchange>(sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }
    void cleanup() { m_ex.reset(); }

    // The journal's folder is a file: start() fails with a message naming the journal, and an
    // order submitted afterwards is refused locally; Kraken never hears of it.
    void unopenableJournalFailsBeforeSending() {
        const QString blocker = m_dir.filePath(u"not-a-folder"_s);
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        model::TradingService service(config(blocker + u"/journal.sqlite"_s));
        QSignalSpy failed(&service, &model::TradingService::failed);
        QSignalSpy errors(&service, &model::TradingService::errorOccurred);
        QSignalSpy started(&service, &model::TradingService::started);
        service.start();
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.at(0).at(0).toString().startsWith(u"The order journal cannot be opened"_s),
                 qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(started.size(), 0);
        service.submit(restingBuy());
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.at(0).at(1).toString().contains(u"not sent"_s));
        QTest::qWait(0);
        QVERIFY(m_ex->engine().openOrders(u"paper"_s).empty());
    }

    // On a thread of its own, driven by queued calls as the GUI drives it.
    void placesAnOrderFromAnotherThread() {
        model::TradingService::registerMetaTypes();
        QThread thread;
        auto *service = new model::TradingService(config(m_dir.filePath(u"j.sqlite"_s)));
        service->moveToThread(&thread);
        connect(&thread, &QThread::finished, service, &QObject::deleteLater);
        QSignalSpy reconciled(service, &model::TradingService::reconciled);
        QSignalSpy changed(service, &model::TradingService::ordersChanged);
        thread.start();
        QMetaObject::invokeMethod(service, &model::TradingService::start, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(reconciled.size() >= 1, 20'000);
        const spot::OrderRequest order = restingBuy();
        QMetaObject::invokeMethod(
            service, [service, order] { service->submit(order); }, Qt::QueuedConnection);
        const auto openRecord = [&]() -> std::optional<model::OrderRecord> {
            for (const QList<QVariant> &args : std::as_const(changed))
                for (const model::OrderRecord &r : args.at(0).value<QList<model::OrderRecord>>())
                    if (r.state == model::OrderState::Open)
                        return r;
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(openRecord().has_value(), 20'000);
        QCOMPARE(openRecord()->qty.toString(), u"0.25000000"_s); // as Kraken writes it back
        QCOMPARE(int(m_ex->engine().openOrders(u"paper"_s).size()), 1);
        QMetaObject::invokeMethod(service, &model::TradingService::stop,
                                  Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(20'000));
    }
};

QTEST_GUILESS_MAIN(TestTradingService)
#include "tst_tradingservice.moc"
