#include "futurestradingservice.h"

#include "journal.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/futures/futureswsclient.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
namespace futures = kraken::futures;

namespace model {

struct FuturesTradingService::Private {
    FuturesTradingServiceConfig config;
    std::unique_ptr<futures::FuturesRestClient> rest;
    std::unique_ptr<futures::FuturesWsClient> ws;
    std::unique_ptr<Journal> journal;
    std::unique_ptr<FuturesOrderManager> manager;
};

FuturesTradingService::FuturesTradingService(FuturesTradingServiceConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->config = std::move(config);
}

FuturesTradingService::~FuturesTradingService() {
    stop();
}

void FuturesTradingService::registerMetaTypes() {
    qRegisterMetaType<model::OrderRecord>();
    qRegisterMetaType<model::FillRecord>();
    qRegisterMetaType<model::PositionRecord>();
    qRegisterMetaType<model::MarginRecord>();
    qRegisterMetaType<QList<model::OrderRecord>>();
    qRegisterMetaType<QList<model::FillRecord>>();
    qRegisterMetaType<QList<model::PositionRecord>>();
    qRegisterMetaType<QList<model::MarginRecord>>();
    qRegisterMetaType<kraken::futures::FuturesOrderRequest>();
    qRegisterMetaType<QList<kraken::futures::FuturesInstrument>>();
}

void FuturesTradingService::start() {
    if (d->manager)
        return;
    kraken::Error error;
    d->journal = Journal::open(d->config.journalPath, &error);
    if (!d->journal) {
        Q_EMIT failed(u"The Futures order journal cannot be opened: "_s + error.message());
        return;
    }
    futures::FuturesRestConfig rc;
    rc.baseUrl = d->config.restUrl;
    rc.historyUrl = d->config.historyUrl;
    rc.persistNonce = d->config.persistNonce;
    d->rest = std::make_unique<futures::FuturesRestClient>(rc);
    d->rest->setCredentials(d->config.credentials);
    futures::FuturesWsClientConfig wc;
    wc.url = d->config.wsUrl;
    // Only the private feeds ride this connection; the market feed has its own.
    wc.subscribeHeartbeat = false;
    d->ws = std::make_unique<futures::FuturesWsClient>(wc);
    d->ws->setCredentials(d->config.credentials);
    d->manager = std::make_unique<FuturesOrderManager>(d->rest.get(), d->ws.get(), d->journal.get(),
                                                       d->config.manager);
    FuturesOrderManager *m = d->manager.get();
    using M = FuturesOrderManager;
    connect(m, &M::ordersReset, this, &FuturesTradingService::ordersReset);
    connect(m, &M::ordersChanged, this, &FuturesTradingService::ordersChanged);
    connect(m, &M::fillsReset, this, &FuturesTradingService::fillsReset);
    connect(m, &M::fillsAdded, this, &FuturesTradingService::fillsAdded);
    connect(m, &M::positionsChanged, this, &FuturesTradingService::positionsChanged);
    connect(m, &M::marginsChanged, this, &FuturesTradingService::marginsChanged);
    connect(m, &M::reconcileStarted, this, &FuturesTradingService::reconcileStarted);
    connect(m, &M::reconciled, this, &FuturesTradingService::reconciled);
    connect(m, &M::deadMansSwitchChanged, this, &FuturesTradingService::deadMansSwitchChanged);
    connect(m, &M::errorOccurred, this, [this](const QString &cl, const kraken::Error &e) {
        Q_EMIT errorOccurred(cl, e.message());
    });
    using W = futures::FuturesWsClient;
    connect(d->ws.get(), &W::stateChanged, this, [this](W::State state, const QString &reason) {
        QString text = W::stateName(state);
        if (!reason.isEmpty() && state != W::State::Live)
            text += u": "_s + reason;
        Q_EMIT connectionChanged(text, state == W::State::Live);
    });
    connect(d->ws.get(), &W::reconnectScheduled, this, [this](qint64 delayMs, int) {
        Q_EMIT connectionChanged(
            u"reconnecting in %1 s"_s.arg(std::max<qint64>(1, (delayMs + 999) / 1000)), false);
    });
    connect(d->ws.get(), &W::authenticationFailed, this, [this](const kraken::Error &e) {
        Q_EMIT errorOccurred({}, u"Futures private feeds: "_s + e.message());
    });

    // Instruments first: contract sizes and kinds are needed for PnL and local checks.
    d->rest->instruments().then(this, [this](kraken::Result<futures::FuturesInstrumentRegistry> r) {
        if (!d->manager)
            return;
        if (r) {
            d->rest->setInstruments(r.value());
            d->manager->setInstruments(r.value());
            Q_EMIT instrumentsLoaded(r->all());
        } else {
            Q_EMIT errorOccurred({}, u"Futures instruments could not be loaded: "_s +
                                         r.error().message());
        }
        d->manager->start();
        d->ws->open();
        Q_EMIT started();
    });
}

void FuturesTradingService::stop() {
    if (d->ws)
        d->ws->close();
    d->manager.reset();
    d->ws.reset();
    d->rest.reset();
    d->journal.reset();
}

void FuturesTradingService::submit(const futures::FuturesOrderRequest &order) {
    if (!d->manager) {
        Q_EMIT errorOccurred({},
                             u"Futures trading is not connected yet; the order was not sent."_s);
        return;
    }
    Q_EMIT submitted(d->manager->submit(order));
}

void FuturesTradingService::edit(const QString &clOrdId, std::optional<kraken::Decimal> size,
                                 std::optional<kraken::Decimal> limitPrice,
                                 std::optional<kraken::Decimal> stopPrice) {
    if (d->manager)
        d->manager->edit(clOrdId, size, limitPrice, stopPrice);
}

void FuturesTradingService::cancel(const QStringList &clOrdIds) {
    if (d->manager)
        d->manager->cancel(clOrdIds);
}

void FuturesTradingService::cancelAll() {
    if (d->manager)
        d->manager->cancelAll();
}

void FuturesTradingService::closePosition(const QString &symbol,
                                          const kraken::Decimal &signedSize) {
    if (!d->manager) {
        Q_EMIT errorOccurred({}, u"Futures trading is not connected yet; nothing was sent."_s);
        return;
    }
    const QString cl = d->manager->closePosition(symbol, signedSize);
    if (!cl.isEmpty())
        Q_EMIT submitted(cl);
}

void FuturesTradingService::setDeadMansSwitch(int timeoutSeconds) {
    if (d->manager)
        d->manager->setDeadMansSwitch(timeoutSeconds);
}

void FuturesTradingService::reconcile() {
    if (d->manager)
        d->manager->reconcile(u"requested"_s);
}

} // namespace model
