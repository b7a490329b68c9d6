#include "tradingservice.h"

#include "journal.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/tradingwsclient.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
namespace spot = kraken::spot;

Q_DECLARE_LOGGING_CATEGORY(lcOrders)

namespace model {

struct TradingService::Private {
    TradingServiceConfig config;
    std::unique_ptr<spot::RestClient> rest;
    std::unique_ptr<spot::TradingWsClient> ws;
    std::unique_ptr<Journal> journal;
    std::unique_ptr<OrderManager> manager;
};

TradingService::TradingService(TradingServiceConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->config = std::move(config);
}

TradingService::~TradingService() {
    stop();
}

void TradingService::registerMetaTypes() {
    qRegisterMetaType<model::OrderRecord>();
    qRegisterMetaType<model::FillRecord>();
    qRegisterMetaType<model::BalanceRecord>();
    qRegisterMetaType<QList<model::OrderRecord>>();
    qRegisterMetaType<QList<model::FillRecord>>();
    qRegisterMetaType<QList<model::BalanceRecord>>();
}

void TradingService::start() {
    if (d->manager)
        return;
    kraken::Error error;
    d->journal = Journal::open(d->config.journalPath, &error);
    if (!d->journal) {
        Q_EMIT failed(u"The order journal cannot be opened: "_s + error.message());
        return;
    }
    spot::RestClientConfig rc;
    rc.baseUrl = d->config.restUrl;
    rc.limitPublicCalls = d->config.limitPublicCalls;
    rc.persistNonce = d->config.persistNonce;
    d->rest = std::make_unique<spot::RestClient>(rc);
    d->rest->setCredentials(d->config.credentials);
    spot::TradingWsClientConfig wc;
    wc.url = d->config.wsAuthUrl;
    d->ws = std::make_unique<spot::TradingWsClient>(d->rest.get(), wc);
    d->manager = std::make_unique<OrderManager>(d->rest.get(), d->ws.get(), d->journal.get(),
                                                d->config.manager);
    OrderManager *m = d->manager.get();
    connect(m, &OrderManager::ordersReset, this, &TradingService::ordersReset);
    connect(m, &OrderManager::ordersChanged, this, &TradingService::ordersChanged);
    connect(m, &OrderManager::fillsReset, this, &TradingService::fillsReset);
    connect(m, &OrderManager::fillsAdded, this, &TradingService::fillsAdded);
    connect(m, &OrderManager::balancesChanged, this, &TradingService::balancesChanged);
    connect(m, &OrderManager::validated, this, &TradingService::validated);
    connect(m, &OrderManager::reconcileStarted, this, &TradingService::reconcileStarted);
    connect(m, &OrderManager::reconciled, this, &TradingService::reconciled);
    connect(m, &OrderManager::deadMansSwitchChanged, this, &TradingService::deadMansSwitchChanged);
    connect(m, &OrderManager::errorOccurred, this,
            [this](const QString &cl, const kraken::Error &e) {
                Q_EMIT errorOccurred(cl, e.message());
            });
    connect(d->ws.get(), &spot::TradingWsClient::stateChanged, this,
            [this](spot::TradingWsClient::State state, const QString &reason) {
                QString text = spot::TradingWsClient::stateName(state);
                if (!reason.isEmpty() && state != spot::TradingWsClient::State::Live)
                    text += u": "_s + reason;
                Q_EMIT connectionChanged(text, state == spot::TradingWsClient::State::Live);
            });
    connect(
        d->ws.get(), &spot::TradingWsClient::reconnectScheduled, this, [this](qint64 delayMs, int) {
            Q_EMIT connectionChanged(
                u"reconnecting in %1 s"_s.arg(std::max<qint64>(1, (delayMs + 999) / 1000)), false);
        });

    // Instruments first, so REST pair names map to symbols before the first reconciliation.
    d->rest->assetPairs().then(this, [this](kraken::Result<kraken::InstrumentRegistry> r) {
        if (!d->manager)
            return;
        if (r) {
            d->rest->setInstruments(r.value());
            d->manager->setInstruments(r.value());
            Q_EMIT instrumentsLoaded(r->all());
        } else {
            Q_EMIT errorOccurred({}, u"Instruments could not be loaded: "_s + r.error().message());
        }
        d->manager->start();
        d->ws->open();
        Q_EMIT started();
    });
}

void TradingService::stop() {
    if (d->ws)
        d->ws->close();
    // The manager first: the socket fails its pending requests on destruction and nobody
    // should be told any more.
    d->manager.reset();
    d->ws.reset();
    d->rest.reset();
    d->journal.reset();
}

void TradingService::submit(const kraken::spot::OrderRequest &order) {
    if (!d->manager) {
        Q_EMIT errorOccurred({}, u"Trading is not connected yet; the order was not sent."_s);
        return;
    }
    Q_EMIT submitted(d->manager->submit(order));
}

void TradingService::amend(const QString &clOrdId, std::optional<kraken::Decimal> qty,
                           std::optional<kraken::Decimal> limitPrice) {
    if (d->manager)
        d->manager->amend(clOrdId, qty, limitPrice);
}

void TradingService::cancel(const QStringList &clOrdIds) {
    if (d->manager)
        d->manager->cancel(clOrdIds);
}

void TradingService::cancelAll() {
    if (d->manager)
        d->manager->cancelAll();
}

void TradingService::setDeadMansSwitch(int timeoutSeconds) {
    if (d->manager)
        d->manager->setDeadMansSwitch(timeoutSeconds);
}

void TradingService::reconcile() {
    if (d->manager)
        d->manager->reconcile(u"requested"_s);
}

} // namespace model
