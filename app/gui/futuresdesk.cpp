#include "futuresdesk.h"

#include "kraken/futures/futuresorderrequest.h"
#include "model/accountsummarymodel.h"
#include "model/fillsmodel.h"
#include "model/futurestradingservice.h"
#include "model/ordersmodel.h"
#include "model/positionsmodel.h"
#include "ui/accountsummarypanel.h"
#include "ui/fillnotifier.h"
#include "ui/fillspanel.h"
#include "ui/futuresticket.h"
#include "ui/mainwindow.h"
#include "ui/orderspanel.h"
#include "ui/positionspanel.h"
#include "ui/statusbar.h"

#include <QStatusBar>
#include <QThread>

using namespace Qt::StringLiterals;
namespace futures = kraken::futures;

namespace app {

FuturesDesk::FuturesDesk(ui::MainWindow *window, ui::FillNotifier *notifier, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_notifier(notifier)
    , m_orders(new model::OrdersModel(this))
    , m_fills(new model::FillsModel(this))
    , m_positions(new model::PositionsModel(this))
    , m_account(new model::AccountSummaryModel(this))
    , m_connection(u"not connected"_s) {
    model::FuturesTradingService::registerMetaTypes();
    ui::FuturesPanels p;
    p.ticket = new ui::FuturesTicket();
    p.orders = new ui::OrdersPanel(m_orders);
    p.fills = new ui::FillsPanel(m_fills);
    p.positions = new ui::PositionsPanel(m_positions);
    p.account = new ui::AccountSummaryPanel(m_account);
    m_window->addFuturesPanels(p);

    connect(p.ticket, &ui::FuturesTicket::submitRequested, this,
            [this](const futures::FuturesOrderRequest &order) {
                onService([order](model::FuturesTradingService *s) { s->submit(order); });
            });
    connect(p.orders, &ui::OrdersPanel::cancelRequested, this, &FuturesDesk::cancel);
    connect(p.orders, &ui::OrdersPanel::cancelAllRequested, this,
            [this] { onService([](model::FuturesTradingService *s) { s->cancelAll(); }); });
    // The blotter edits a resting order's size or limit price: Kraken's editorder.
    connect(p.orders, &ui::OrdersPanel::amendRequested, this,
            [this](const QString &cl, std::optional<kraken::Decimal> qty,
                   std::optional<kraken::Decimal> price) {
                onService([cl, qty, price](model::FuturesTradingService *s) {
                    s->edit(cl, qty, price, std::nullopt);
                });
            });
    connect(p.positions, &ui::PositionsPanel::closePositionRequested, this,
            [this](const QString &symbol, const kraken::Decimal &signedSize) {
                onService([symbol, signedSize](model::FuturesTradingService *s) {
                    s->closePosition(symbol, signedSize);
                });
            });
    connect(m_orders, &QAbstractItemModel::modelReset, this, &FuturesDesk::ordersChanged);
    connect(m_orders, &QAbstractItemModel::rowsInserted, this, &FuturesDesk::ordersChanged);
    connect(m_orders, &QAbstractItemModel::dataChanged, this, &FuturesDesk::ordersChanged);
}

FuturesDesk::~FuturesDesk() {
    stop();
}

void FuturesDesk::start(const model::FuturesTradingServiceConfig &config) {
    stop();
    m_thread = new QThread(this);
    m_thread->setObjectName(u"futures-trading"_s);
    m_service = new model::FuturesTradingService(config);
    m_service->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_service, &QObject::deleteLater);

    using model::FuturesTradingService;
    const auto q = Qt::QueuedConnection;
    connect(m_service, &FuturesTradingService::ordersReset, m_orders,
            &model::OrdersModel::resetOrders, q);
    connect(m_service, &FuturesTradingService::ordersChanged, m_orders,
            &model::OrdersModel::applyOrders, q);
    connect(m_service, &FuturesTradingService::fillsReset, m_fills, &model::FillsModel::resetFills,
            q);
    connect(
        m_service, &FuturesTradingService::fillsAdded, this,
        [this](const QList<model::FillRecord> &fills) {
            m_fills->addFills(fills);
            m_notifier->notify(fills);
        },
        q);
    connect(m_service, &FuturesTradingService::positionsChanged, this, &FuturesDesk::onPositions,
            q);
    connect(
        m_service, &FuturesTradingService::marginsChanged, this,
        [this](const QList<model::MarginRecord> &margins) {
            m_account->setFuturesMargin(margins);
            m_window->futuresPanels().ticket->setMarginAccounts(margins);
        },
        q);
    connect(m_service, &FuturesTradingService::instrumentsLoaded, this,
            &FuturesDesk::onInstrumentsLoaded, q);
    connect(
        m_service, &FuturesTradingService::connectionChanged, this,
        [this](const QString &state, bool live) {
            m_connection = state;
            model::FeedStatus s;
            s.connection = u"futures orders"_s;
            s.state = live ? u"live"_s : state;
            s.reason = state;
            m_window->feedStatusBar()->setStatus(s);
            Q_EMIT connectionChanged(state, live);
        },
        q);
    connect(
        m_service, &FuturesTradingService::errorOccurred, this,
        [this](const QString &, const QString &message) {
            status(QString(u"Futures: "_s + message), 10'000);
        },
        q);
    connect(
        m_service, &FuturesTradingService::failed, this,
        [this](const QString &reason) { setUnavailable(reason); }, q);
    connect(
        m_service, &FuturesTradingService::reconciled, this,
        [this](const QString &summary) {
            status(QString(u"Futures reconciled with Kraken: "_s + summary), 5000);
            if (!m_ready) {
                m_ready = true;
                Q_EMIT ready();
            }
        },
        q);
    m_thread->start();
    QMetaObject::invokeMethod(m_service, &FuturesTradingService::start, q);
}

void FuturesDesk::stop() {
    if (!m_service)
        return;
    QMetaObject::invokeMethod(m_service, &model::FuturesTradingService::stop,
                              Qt::BlockingQueuedConnection);
    disconnect(m_service, nullptr, this, nullptr);
    disconnect(m_service, nullptr, m_orders, nullptr);
    disconnect(m_service, nullptr, m_fills, nullptr);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_service = nullptr;
    m_ready = false;
    m_orders->resetOrders({});
    m_fills->resetFills({});
    m_positions->setPositions({});
    m_account->setFuturesMargin({});
    m_marks.clear();
    m_connection = u"not connected"_s;
}

void FuturesDesk::setUnavailable(const QString &reason) {
    m_connection = reason;
    model::FeedStatus s;
    s.connection = u"futures orders"_s;
    s.state = u"off"_s;
    s.reason = reason;
    m_window->feedStatusBar()->setStatus(s);
    Q_EMIT connectionChanged(reason, false);
}

void FuturesDesk::setInstruments(const QList<kraken::Instrument> &instruments) {
    QList<kraken::Instrument> contracts;
    m_futuresSymbols.clear();
    for (const kraken::Instrument &i : instruments) {
        if (i.isFutures()) {
            contracts.append(i);
            m_futuresSymbols.insert(i.symbol());
        }
    }
    m_orders->setInstruments(contracts);
    m_fills->setInstruments(contracts);
}

void FuturesDesk::onInstrumentsLoaded(const QList<futures::FuturesInstrument> &instruments) {
    QHash<QString, int> decimals;
    for (const futures::FuturesInstrument &f : instruments) {
        m_contracts.insert(f.symbol(), f);
        decimals.insert(f.symbol(), f.priceDecimals());
    }
    m_positions->setPriceDecimals(decimals);
    if (!m_symbol.isEmpty())
        focus(m_symbol);
}

void FuturesDesk::focus(const QString &symbol) {
    const auto it = m_contracts.constFind(symbol);
    if (it == m_contracts.cend() && !m_futuresSymbols.contains(symbol))
        return; // a Spot pair: the Futures ticket keeps its contract
    ui::FuturesTicket *ticket = m_window->futuresPanels().ticket;
    if (symbol != m_symbol) {
        m_bid.reset();
        m_ask.reset();
    }
    m_symbol = symbol;
    if (it != m_contracts.cend())
        ticket->setInstrument(*it);
    else
        ticket->setSymbol(symbol);
    applyTicketContext();
}

void FuturesDesk::setTouch(const std::optional<kraken::Decimal> &bid,
                           const std::optional<kraken::Decimal> &ask) {
    m_bid = bid;
    m_ask = ask;
    applyTicketContext();
}

void FuturesDesk::applyTicketContext() {
    if (m_symbol.isEmpty())
        return;
    const auto mark = m_marks.constFind(m_symbol);
    m_window->futuresPanels().ticket->setMarketContext(
        mark == m_marks.cend() ? std::nullopt : std::optional(*mark), m_bid, m_ask);
}

void FuturesDesk::onPositions(const QList<model::PositionRecord> &positions) {
    m_positions->setPositions(positions);
    for (const model::PositionRecord &p : positions) {
        if (p.markPrice)
            m_marks.insert(p.symbol, *p.markPrice);
    }
    applyTicketContext();
}

void FuturesDesk::setGuardSettings(const model::GuardSettings &guards) {
    m_window->futuresPanels().ticket->setGuardSettings(guards);
}

void FuturesDesk::setSpotBalances(const QList<model::BalanceRecord> &balances) {
    m_account->setSpotBalances(balances);
}

void FuturesDesk::setDeadMansSwitch(int timeoutSeconds) {
    if (m_service)
        onService([timeoutSeconds](model::FuturesTradingService *s) {
            s->setDeadMansSwitch(timeoutSeconds);
        });
}

void FuturesDesk::placeLimit(bool buy, const kraken::Decimal &price, bool confirmOnly) {
    ui::FuturesTicket *ticket = m_window->futuresPanels().ticket;
    ticket->prepareLimit(buy ? futures::FuturesSide::Buy : futures::FuturesSide::Sell, price);
    if (!confirmOnly)
        ticket->submit();
}

void FuturesDesk::cancel(const QStringList &clOrdIds) {
    if (clOrdIds.isEmpty())
        return;
    onService([clOrdIds](model::FuturesTradingService *s) { s->cancel(clOrdIds); });
}

void FuturesDesk::amendPrice(const QStringList &clOrdIds, const kraken::Decimal &price) {
    onService([clOrdIds, price](model::FuturesTradingService *s) {
        for (const QString &cl : clOrdIds)
            s->edit(cl, std::nullopt, price, std::nullopt);
    });
}

QList<model::OrderRecord> FuturesDesk::workingOrders(const QString &symbol) const {
    QList<model::OrderRecord> mine;
    for (int r = 0; r < m_orders->rowCount(); ++r) {
        const model::OrderRecord &o = m_orders->record(r);
        if (o.symbol == symbol && model::isWorking(o.state))
            mine.append(o);
    }
    return mine;
}

void FuturesDesk::onService(std::function<void(model::FuturesTradingService *)> fn) {
    if (!m_service) {
        status(QString(u"Futures trading is not connected: nothing was sent ("_s + m_connection +
                       u")."_s),
               8000);
        return;
    }
    QMetaObject::invokeMethod(
        m_service, [s = m_service, fn = std::move(fn)] { fn(s); }, Qt::QueuedConnection);
}

void FuturesDesk::status(const QString &text, int ms) {
    m_window->statusBar()->showMessage(text, ms);
}

} // namespace app
