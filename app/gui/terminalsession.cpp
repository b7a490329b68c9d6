#include "terminalsession.h"

#include "futuresdesk.h"
#include "kraken/futures/futuresendpoints.h"
#include "kraken/keychain/credentialresolver.h"
#include "kraken/keychain/credentialstore.h"
#include "kraken/sim/simconfig.h"
#include "kraken/spot/orderrequest.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/tradingwsclient.h"
#include "model/balancesmodel.h"
#include "model/candlemodel.h"
#include "model/fillsmodel.h"
#include "model/futurestradingservice.h"
#include "model/laddermodel.h"
#include "model/marketfeed.h"
#include "model/ordersmodel.h"
#include "model/tradesmodel.h"
#include "model/tradingservice.h"
#include "model/watchlistmodel.h"
#include "paperhost.h"
#include "ui/balancespanel.h"
#include "ui/candlechart.h"
#include "ui/credentialsdialog.h"
#include "ui/depthchart.h"
#include "ui/fillnotifier.h"
#include "ui/fillspanel.h"
#include "ui/guardsettingsdialog.h"
#include "ui/guardsettingsstore.h"
#include "ui/ladderpanel.h"
#include "ui/linkhub.h"
#include "ui/mainwindow.h"
#include "ui/orderspanel.h"
#include "ui/orderticket.h"
#include "ui/statusbar.h"
#include "ui/tapepanel.h"
#include "ui/theme.h"
#include "ui/tradingbar.h"
#include "ui/watchlistpanel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace app {

TerminalSession::TerminalSession(TerminalOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_profile(m_options.profile)
    , m_settings(m_options.settingsPath.isEmpty()
                     ? std::make_unique<QSettings>()
                     : std::make_unique<QSettings>(m_options.settingsPath, QSettings::IniFormat))
    , m_watchlist(new model::WatchlistModel(this))
    , m_ladder(new model::LadderModel(20, this))
    , m_trades(new model::TradesModel(1000, this))
    , m_candles(new model::CandleModel(this))
    , m_interval(m_options.intervalMinutes)
    , m_liveCheck(new QTimer(this)) {
    m_orders = new model::OrdersModel(this);
    m_fills = new model::FillsModel(this);
    m_balances = new model::BalancesModel(this);
    model::TradingService::registerMetaTypes();
    qRegisterMetaType<model::TickerRow>();
    qRegisterMetaType<model::TradeRow>();
    qRegisterMetaType<model::Candle>();
    qRegisterMetaType<model::FeedStatus>();
    qRegisterMetaType<model::BookPtr>();

    const bool dark = m_settings->value(u"ui/theme"_s, u"dark"_s).toString() != u"light"_s;
    ui::Theme::apply(dark ? ui::Theme::Mode::Dark : ui::Theme::Mode::Light);
    m_window = std::make_unique<ui::MainWindow>(m_watchlist, m_ladder, m_trades, m_candles,
                                                m_settings.get());
    buildTrading();
    m_window->restoreLayout(m_options.layout);
    m_window->candleChart()->setIntervalMinutes(m_interval);

    connect(m_window->linkHub(), &ui::LinkHub::symbolChanged, this,
            [this](int group, const QString &symbol) {
                if (group == FeedGroup)
                    focus(symbol);
            });
    connect(m_window->candleChart(), &ui::CandleChart::intervalChanged, this, [this](int minutes) {
        if (minutes == m_interval)
            return;
        m_interval = minutes;
        requestFocus();
    });
    connect(m_window.get(), &ui::MainWindow::bannerActionTriggered, this,
            &TerminalSession::switchToPaper);
    connect(m_window.get(), &ui::MainWindow::switchToPaperRequested, this,
            &TerminalSession::switchToPaper);

    m_liveCheck->setInterval(100);
    connect(m_liveCheck, &QTimer::timeout, this, &TerminalSession::checkLive);
}

TerminalSession::~TerminalSession() {
    shutdown();
}

void TerminalSession::start() {
    m_clock.start();
    m_live = false;
    m_liveCheck->start();
    m_window->setProfileName(m_profile == TerminalOptions::Profile::Paper
                                 ? TerminalOptions::profileName(m_profile)
                                 : m_options.venueName());
    if (m_profile == TerminalOptions::Profile::Paper) {
        startPaper();
        return;
    }
    model::MarketFeedConfig config;
    if (!m_options.mainnetRestUrl.isEmpty())
        config.restUrl = m_options.mainnetRestUrl;
    if (!m_options.mainnetWsUrl.isEmpty())
        config.wsUrl = m_options.mainnetWsUrl;
    config.bookDepth = m_options.bookDepth;
    config.refreshHz = m_options.refreshHz;
    config.startTimeoutMs = m_options.startTimeoutMs;
    if (const auto futures = mainnetFuturesEndpoints()) {
        config.futuresRestUrl = futures->rest;
        config.futuresWsUrl = futures->ws;
        config.futuresChartsUrl = futures->charts;
    }
    startFeed(config);
    startMainnetTrading();
    startMainnetFuturesTrading();
}

std::optional<kraken::futures::FuturesEndpoints> TerminalSession::mainnetFuturesEndpoints() const {
    using kraken::futures::FuturesEndpoints;
    if (!m_options.futuresRestUrl.isEmpty())
        return FuturesEndpoints::at(m_options.futuresRestUrl, m_options.futuresWsUrl);
    if (!m_options.mainnetRestUrl.isEmpty() && !m_options.futuresDemo)
        return std::nullopt; // Spot points at a stand-in venue: no real Futures beside it
    return FuturesEndpoints::of(m_options.futuresDemo ? kraken::FuturesEnvironment::Demo
                                                      : kraken::FuturesEnvironment::Mainnet);
}

void TerminalSession::startPaper() {
    m_window->setProfileName(TerminalOptions::profileName(TerminalOptions::Profile::Paper));
    kraken::sim::SimConfig config = kraken::sim::SimConfig::builtIn();
    config.seed = m_options.paperSeed;
    m_paperThread = new QThread(this);
    m_paperThread->setObjectName(u"paper-exchange"_s);
    m_paper = new PaperHost(config);
    m_paper->moveToThread(m_paperThread);
    connect(m_paperThread, &QThread::finished, m_paper, &QObject::deleteLater);
    connect(
        m_paper, &PaperHost::started, this,
        [this](const PaperEndpoints &e) {
            const QUrl &rest = e.rest;
            m_paperRest = rest;
            // The built-in paper account trades; its journal lives for this run only, as the
            // paper exchange starts afresh every time.
            const kraken::sim::SimAccount account =
                kraken::sim::SimConfig::builtIn().accounts.front();
            m_paperJournalDir = std::make_unique<QTemporaryDir>();
            startTrading(rest, e.wsAuth,
                         kraken::Credentials(account.apiKey, account.secret.toLatin1()),
                         m_options.journalPath.isEmpty()
                             ? m_paperJournalDir->filePath(u"paper-journal.sqlite"_s)
                             : m_options.journalPath,
                         true);
            // The paper account's Futures keys: a journal of its own, next to the Spot one.
            startFuturesTrading(
                e.futuresRest, e.futuresWs,
                kraken::Credentials(account.futuresApiKey, account.futuresSecret.toLatin1()),
                m_paperJournalDir->filePath(u"paper-futures-journal.sqlite"_s), true);
            Q_EMIT paperStarted(rest);
            model::MarketFeedConfig config;
            config.restUrl = rest;
            config.wsUrl = e.ws;
            config.futuresRestUrl = e.futuresRest;
            config.futuresWsUrl = e.futuresWs;
            config.futuresChartsUrl = e.futuresCharts;
            config.limitPublicCalls = false;
            config.bookDepth = m_options.bookDepth;
            config.refreshHz = m_options.refreshHz;
            config.startTimeoutMs = m_options.startTimeoutMs;
            startFeed(config);
        },
        Qt::QueuedConnection);
    connect(
        m_paper, &PaperHost::failed, this,
        [this](const QString &error) {
            m_window->showBanner(QString(u"The paper exchange could not start: "_s + error));
        },
        Qt::QueuedConnection);
    m_paperThread->start();
    if (m_options.paperStepMs > 0)
        setPaperStepInterval(m_options.paperStepMs);
    QMetaObject::invokeMethod(m_paper, &PaperHost::start, Qt::QueuedConnection);
}

void TerminalSession::setPaperStepInterval(int ms) {
    m_options.paperStepMs = ms;
    if (m_paper)
        QMetaObject::invokeMethod(
            m_paper, [p = m_paper, ms] { p->setStepInterval(ms); }, Qt::QueuedConnection);
}

void TerminalSession::startFeed(const model::MarketFeedConfig &config) {
    m_feedThread = new QThread(this);
    m_feedThread->setObjectName(u"market-feed"_s);
    m_feed = new model::MarketFeed(config);
    m_feed->moveToThread(m_feedThread);
    connect(m_feedThread, &QThread::finished, m_feed, &QObject::deleteLater);

    using model::MarketFeed;
    const auto q = Qt::QueuedConnection;
    connect(m_feed, &MarketFeed::instrumentsReady, this, &TerminalSession::onInstruments, q);
    connect(
        m_feed, &MarketFeed::tickersChanged, this,
        [this](const QList<model::TickerRow> &rows) {
            m_watchlist->applyTickers(rows);
            Q_EMIT modelsRefreshed();
        },
        q);
    connect(m_feed, &MarketFeed::bookChanged, this, &TerminalSession::onBook, q);
    connect(m_feed, &MarketFeed::tradesAdded, this, &TerminalSession::onTrades, q);
    connect(m_feed, &MarketFeed::candlesReset, this, &TerminalSession::onCandlesReset, q);
    connect(m_feed, &MarketFeed::candlesUpdated, this, &TerminalSession::onCandlesUpdated, q);
    connect(m_feed, &MarketFeed::statusChanged, m_window->feedStatusBar(),
            &ui::StatusBar::setStatus, q);
    connect(m_feed, &MarketFeed::unreachable, this, &TerminalSession::onUnreachable, q);

    m_feedThread->start();
    QMetaObject::invokeMethod(m_feed, &MarketFeed::start, q);
}

void TerminalSession::stopFeed() {
    if (!m_feed)
        return;
    // stop() closes the sockets on the feed thread; the feed itself is deleted there when
    // the thread finishes (deleteLater on finished).
    QMetaObject::invokeMethod(m_feed, &model::MarketFeed::stop, Qt::BlockingQueuedConnection);
    disconnect(m_feed, nullptr, this, nullptr);
    disconnect(m_feed, nullptr, m_window->feedStatusBar(), nullptr);
    m_feedThread->quit();
    m_feedThread->wait();
    delete m_feedThread;
    m_feedThread = nullptr;
    m_feed = nullptr;
}

void TerminalSession::stopPaper() {
    if (!m_paper)
        return;
    QMetaObject::invokeMethod(m_paper, &PaperHost::stop, Qt::BlockingQueuedConnection);
    disconnect(m_paper, nullptr, this, nullptr);
    m_paperThread->quit();
    m_paperThread->wait();
    delete m_paperThread;
    m_paperThread = nullptr;
    m_paper = nullptr;
}

void TerminalSession::shutdown() {
    m_liveCheck->stop();
    if (m_futuresDesk)
        m_futuresDesk->stop();
    stopTrading();
    stopFeed();
    stopPaper();
}

void TerminalSession::switchToPaper() {
    if (m_profile == TerminalOptions::Profile::Paper && m_paper)
        return;
    m_window->hideBanner();
    m_futuresDesk->stop();
    stopTrading();
    stopFeed();
    clearModels();
    m_profile = TerminalOptions::Profile::Paper;
    applyGuardSettings();
    m_clock.restart();
    m_live = false;
    m_liveCheck->start();
    startPaper();
}

void TerminalSession::clearModels() {
    m_instruments.clear();
    m_watchlist->setInstruments({});
    m_ladder->setBook({});
    m_haveBook = false;
    m_trades->clear();
    m_candles->reset(QString(), m_interval, {});
    m_window->depthChart()->setBook({});
    m_window->feedStatusBar()->clearConnections();
}

void TerminalSession::onInstruments(const QList<kraken::Instrument> &instruments) {
    m_instruments = instruments;
    m_watchlist->setInstruments(instruments);
    m_orders->setInstruments(instruments);
    m_fills->setInstruments(instruments);
    m_futuresDesk->setInstruments(instruments);
    if (instruments.isEmpty())
        return;
    QString symbol = m_window->linkHub()->symbol(FeedGroup);
    if (symbol.isEmpty())
        symbol = m_options.symbol;
    const bool listed =
        std::any_of(instruments.cbegin(), instruments.cend(),
                    [&](const kraken::Instrument &i) { return i.symbol() == symbol; });
    if (!listed)
        symbol = instruments.constFirst().symbol();
    if (m_window->linkHub()->symbol(FeedGroup) == symbol)
        focus(symbol); // same symbol on a new venue: the hub would not signal
    else
        m_window->linkHub()->setSymbol(FeedGroup, symbol);
}

void TerminalSession::focus(const QString &symbol) {
    m_symbol = symbol;
    for (const kraken::Instrument &i : std::as_const(m_instruments)) {
        if (i.symbol() == symbol) {
            // Each venue's ticket keeps its own market: a contract never lands on the Spot
            // ticket, nor a pair on the Futures one.
            if (i.isFutures())
                m_futuresDesk->focus(symbol);
            else
                m_window->tradingPanels().ticket->setInstrument(i);
            // The two tickets share a tab by default: bring forward the one that trades the
            // new symbol, unless the trader closed it.
            QDockWidget *ticket =
                m_window->dock(i.isFutures() ? u"futuresTicketDock"_s : u"ticketDock"_s);
            if (ticket && ticket->isVisible())
                ticket->raise();
            refreshOwnOrders();
            m_ladder->setTickSize(i.tickSize());
            m_trades->setPrecision(i.pairDecimals(), i.lotDecimals());
            m_candles->setPrecision(i.pairDecimals(), i.lotDecimals());
            break;
        }
    }
    requestFocus();
}

void TerminalSession::requestFocus() {
    if (m_symbol.isEmpty())
        return;
    m_ladder->setBook({});
    m_haveBook = false;
    m_window->depthChart()->setBook({});
    m_trades->clear();
    m_candles->reset(m_symbol, m_interval, {});
    if (m_feed) {
        QMetaObject::invokeMethod(
            m_feed, [f = m_feed, s = m_symbol, i = m_interval] { f->setFocus(s, i); },
            Qt::QueuedConnection);
    }
}

void TerminalSession::onBook(const model::BookPtr &book) {
    if (!book || book->symbol != m_symbol)
        return;
    m_ladder->setBook(book);
    m_haveBook = !book->bids.empty() && !book->asks.empty();
    const auto bid =
        book->bids.empty() ? std::nullopt : std::optional(book->price(book->bids.front()));
    const auto ask =
        book->asks.empty() ? std::nullopt : std::optional(book->price(book->asks.front()));
    if (focusIsFutures())
        m_futuresDesk->setTouch(bid, ask);
    else
        m_window->tradingPanels().ticket->setMarket(bid, ask);
    m_window->depthChart()->setBook(book);
    Q_EMIT modelsRefreshed();
}

void TerminalSession::onTrades(const QList<model::TradeRow> &trades) {
    QList<model::TradeRow> mine;
    mine.reserve(trades.size());
    for (const model::TradeRow &t : trades) {
        if (t.symbol == m_symbol)
            mine.append(t);
    }
    if (!mine.isEmpty())
        m_trades->addTrades(mine);
    Q_EMIT modelsRefreshed();
}

void TerminalSession::onCandlesReset(const QString &symbol, int interval,
                                     const QList<model::Candle> &candles) {
    if (symbol != m_symbol || interval != m_interval)
        return;
    m_candles->reset(symbol, interval, candles);
    Q_EMIT modelsRefreshed();
}

void TerminalSession::onCandlesUpdated(const QString &symbol, int interval,
                                       const QList<model::Candle> &bars) {
    m_candles->update(symbol, interval, bars);
    Q_EMIT modelsRefreshed();
}

void TerminalSession::onUnreachable(const QString &reason) {
    Q_EMIT feedUnreachable(reason);
    m_window->showBanner(
        QString(u"Kraken cannot be reached: "_s + reason +
                u". Market data is unavailable. You can keep waiting (the feed retries) or "
                "switch to the built-in paper exchange, which needs no network."_s),
        u"Switch to Paper"_s);
}

bool TerminalSession::hasLiveData() const {
    if (m_symbol.isEmpty() || !m_haveBook || m_candles->rowCount() == 0 ||
        m_trades->rowCount() == 0 || m_candles->symbol() != m_symbol)
        return false;
    const int row = m_watchlist->rowOf(m_symbol);
    if (row < 0)
        return false;
    return !m_watchlist->index(row, model::WatchlistModel::Last).data().toString().isEmpty();
}

QString TerminalSession::liveSummary() const {
    const int spread = m_ladder->spreadRow();
    const QString bid = m_ladder->index(spread + 1, model::LadderModel::Price).data().toString();
    const QString ask = m_ladder->index(spread - 1, model::LadderModel::Price).data().toString();
    const int row = m_watchlist->rowOf(m_symbol);
    const QString last =
        row < 0 ? QString()
                : m_watchlist->index(row, model::WatchlistModel::Last).data().toString();
    const auto contracts = std::count_if(m_instruments.cbegin(), m_instruments.cend(),
                                         [](const kraken::Instrument &i) { return i.isFutures(); });
    const QString futures = contracts == 0
                                ? QString()
                                : QString(u", "_s + QString::number(contracts) + u" contracts"_s);
    return QString(QString::number(m_instruments.size() - contracts) + u" pairs"_s + futures +
                   u"; "_s + m_symbol + u" last "_s + last + u", ladder bid "_s + bid + u" ask "_s +
                   ask + u", "_s + QString::number(m_candles->rowCount()) + u" candles ("_s +
                   QString::number(m_interval) + u"m), "_s + QString::number(m_trades->rowCount()) +
                   u" trades"_s);
}

void TerminalSession::checkLive() {
    if (m_live || !hasLiveData())
        return;
    m_live = true;
    m_liveCheck->stop();
    Q_EMIT liveDataReady();
}

// ---------------------------------------------------------------------------------------------
// Trading

void TerminalSession::buildTrading() {
    ui::TradingPanels p;
    p.ticket = new ui::OrderTicket();
    p.orders = new ui::OrdersPanel(m_orders);
    p.fills = new ui::FillsPanel(m_fills);
    p.balances = new ui::BalancesPanel(m_balances);
    p.bar = new ui::TradingBar();
    m_window->addTradingPanels(p);
    m_notifier = new ui::FillNotifier(this);
    // A desktop notification per fill where the desktop has a tray; the status bar otherwise.
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        auto *tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        tray->setToolTip(u"KrakenTerm"_s);
        tray->show();
        m_notifier->setTrayIcon(tray);
    }
    connect(m_notifier, &ui::FillNotifier::statusMessage, m_window.get(),
            [this](const QString &text, int ms) { m_window->statusBar()->showMessage(text, ms); });
    m_futuresDesk = new FuturesDesk(m_window.get(), m_notifier, this);
    connect(m_futuresDesk, &FuturesDesk::ordersChanged, this, &TerminalSession::refreshOwnOrders);

    connect(p.ticket, &ui::OrderTicket::submitRequested, this,
            [this](const kraken::spot::OrderRequest &order) {
                onTradingThread([order](model::TradingService *t) { t->submit(order); });
            });
    connect(p.orders, &ui::OrdersPanel::cancelRequested, this, [this](const QStringList &ids) {
        onTradingThread([ids](model::TradingService *t) { t->cancel(ids); });
    });
    connect(p.orders, &ui::OrdersPanel::cancelAllRequested, this,
            [this] { onTradingThread([](model::TradingService *t) { t->cancelAll(); }); });
    connect(p.orders, &ui::OrdersPanel::amendRequested, this,
            [this](const QString &cl, std::optional<kraken::Decimal> qty,
                   std::optional<kraken::Decimal> price) {
                onTradingThread(
                    [cl, qty, price](model::TradingService *t) { t->amend(cl, qty, price); });
            });
    connect(p.bar, &ui::TradingBar::deadMansSwitchRequested, this, [this](int seconds) {
        onTradingThread([seconds](model::TradingService *t) { t->setDeadMansSwitch(seconds); });
        m_futuresDesk->setDeadMansSwitch(seconds);
    });
    connect(m_window.get(), &ui::MainWindow::credentialsRequested, this,
            &TerminalSession::showCredentialsDialog);
    connect(m_window.get(), &ui::MainWindow::guardSettingsRequested, this, [this] {
        model::GuardSettings guards;
        model::FeeRates fees;
        if (ui::GuardSettingsDialog::edit(m_settings.get(), guardProfile(), m_window.get(), &guards,
                                          &fees)) {
            m_window->tradingPanels().ticket->setGuardSettings(guards);
            m_window->tradingPanels().ticket->setFeeRates(fees);
            m_futuresDesk->setGuardSettings(guards);
        }
    });
    applyGuardSettings();

    // Ladder trading: the panel says where and what; the ticket validates and confirms, the
    // order manager sends. A click uses the ticket's quantity.
    ui::LadderPanel *ladder = m_window->ladderPanel();
    connect(ladder, &ui::LadderPanel::placeOrderRequested, this,
            [this, t = p.ticket](kraken::spot::Side side, const kraken::Decimal &price) {
                if (focusIsFutures()) {
                    m_futuresDesk->placeLimit(side == kraken::spot::Side::Buy, price, false);
                    return;
                }
                m_window->tradingPanels().ticket->prepareLimit(side, price);
                t->submit();
            });
    connect(ladder, &ui::LadderPanel::prepareTicketRequested, this,
            [this, t = p.ticket](kraken::spot::Side side, const kraken::Decimal &price) {
                if (focusIsFutures())
                    m_futuresDesk->placeLimit(side == kraken::spot::Side::Buy, price, true);
                else
                    t->prepareLimit(side, price);
            });
    connect(ladder, &ui::LadderPanel::amendPriceRequested, this,
            [this](const QStringList &ids, const kraken::Decimal &price) {
                if (focusIsFutures()) {
                    m_futuresDesk->amendPrice(ids, price);
                    return;
                }
                onTradingThread([ids, price](model::TradingService *t) {
                    for (const QString &cl : ids)
                        t->amend(cl, std::nullopt, price);
                });
            });
    connect(ladder, &ui::LadderPanel::cancelRequested, this, [this](const QStringList &ids) {
        if (focusIsFutures())
            m_futuresDesk->cancel(ids);
        else
            onTradingThread([ids](model::TradingService *t) { t->cancel(ids); });
    });
    // From the ladder, cancel-all means this symbol's orders: the trader is looking at one
    // market (the Trading menu's Cancel all covers every symbol).
    connect(ladder, &ui::LadderPanel::cancelAllRequested, this, [this] {
        const QStringList ids = workingOrders(m_symbol);
        if (focusIsFutures()) {
            m_futuresDesk->cancel(ids);
            return;
        }
        if (!ids.isEmpty())
            onTradingThread([ids](model::TradingService *t) { t->cancel(ids); });
    });
    connect(ladder, &ui::LadderPanel::statusHint, this,
            [this](const QString &hint) { m_window->statusBar()->showMessage(hint, 5000); });
    connect(m_orders, &QAbstractItemModel::modelReset, this, &TerminalSession::refreshOwnOrders);
    connect(m_orders, &QAbstractItemModel::dataChanged, this, &TerminalSession::refreshOwnOrders);
    connect(m_orders, &QAbstractItemModel::rowsInserted, this, &TerminalSession::refreshOwnOrders);

    m_keyStore = new kraken::keychain::CredentialStore(this);
    m_keyResolver = new kraken::keychain::CredentialResolver(m_keyStore, this);
}

QStringList TerminalSession::workingOrders(const QString &symbol) const {
    QStringList ids;
    if (m_futuresDesk->isFuturesSymbol(symbol)) {
        for (const model::OrderRecord &o : m_futuresDesk->workingOrders(symbol))
            ids << o.clOrdId;
        return ids;
    }
    for (int r = 0; r < m_orders->rowCount(); ++r) {
        const model::OrderRecord &o = m_orders->record(r);
        if (o.symbol == symbol && model::isWorking(o.state))
            ids << o.clOrdId;
    }
    return ids;
}

bool TerminalSession::focusIsFutures() const {
    return m_futuresDesk->isFuturesSymbol(m_symbol);
}

void TerminalSession::refreshOwnOrders() {
    if (focusIsFutures()) {
        m_ladder->setOwnOrders(m_futuresDesk->workingOrders(m_symbol));
        return;
    }
    QList<model::OrderRecord> mine;
    for (int r = 0; r < m_orders->rowCount(); ++r) {
        const model::OrderRecord &o = m_orders->record(r);
        if (o.symbol == m_symbol && model::isWorking(o.state))
            mine.append(o);
    }
    m_ladder->setOwnOrders(mine);
}

QString TerminalSession::guardProfile() const {
    if (m_profile == TerminalOptions::Profile::Paper)
        return u"paper"_s;
    return m_options.keysProfile.isEmpty() ? u"default"_s : m_options.keysProfile;
}

void TerminalSession::applyGuardSettings() {
    const ui::GuardSettingsStore store(m_settings.get());
    m_window->tradingPanels().ticket->setGuardSettings(store.load(guardProfile()));
    m_window->tradingPanels().ticket->setFeeRates(store.loadFees(guardProfile()));
    m_futuresDesk->setGuardSettings(store.load(guardProfile()));
}

void TerminalSession::onTradingThread(std::function<void(model::TradingService *)> fn) {
    if (!m_trading) {
        m_window->statusBar()->showMessage(
            u"Trading is not connected: nothing was sent. Add API keys under Trading → API keys."_s,
            8000);
        return;
    }
    QMetaObject::invokeMethod(
        m_trading, [t = m_trading, fn = std::move(fn)] { fn(t); }, Qt::QueuedConnection);
}

void TerminalSession::startMainnetTrading() {
    const bool named = !m_options.keysProfile.isEmpty();
    const QString profile = named ? m_options.keysProfile : u"default"_s;
    // Only the unnamed default may borrow the environment's keys: a profile the trader picked
    // by name must not silently trade another account.
    m_keyResolver->setEnvironmentFallback(!named);
    m_window->tradingPanels().bar->setConnectionState(u"looking for API keys…"_s, false);
    m_keyResolver->resolve(
        profile, kraken::keychain::Venue::Spot, this,
        [this, profile](const kraken::keychain::CredentialResolver::Resolution &r) {
            if (m_profile != TerminalOptions::Profile::Mainnet || m_trading)
                return;
            if (!r.credentials) {
                m_window->tradingPanels().bar->setConnectionState(
                    QString(u"no API keys for profile \""_s + profile +
                            u"\" (Trading → API keys…); "_s + r.status.message),
                    false);
                return;
            }
            QString journal = m_options.journalPath;
            if (journal.isEmpty()) {
                const QString dir =
                    QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
                QDir().mkpath(dir);
                journal = dir + u"/journal-"_s + profile + u".sqlite"_s;
            }
            const QUrl wsAuth = m_options.mainnetWsAuthUrl.isEmpty()
                                    ? kraken::spot::TradingWsClientConfig().url
                                    : m_options.mainnetWsAuthUrl;
            startTrading(mainnetRestUrl(), wsAuth, *r.credentials, journal, false);
        });
}

void TerminalSession::startTrading(const QUrl &restUrl, const QUrl &wsAuthUrl,
                                   const kraken::Credentials &credentials,
                                   const QString &journalPath, bool paper) {
    stopTrading();
    model::TradingServiceConfig config;
    config.restUrl = restUrl;
    config.wsAuthUrl = wsAuthUrl;
    config.credentials = credentials;
    config.journalPath = journalPath;
    config.limitPublicCalls = !paper;
    m_tradingThread = new QThread(this);
    m_tradingThread->setObjectName(u"trading"_s);
    m_trading = new model::TradingService(config);
    m_trading->moveToThread(m_tradingThread);
    connect(m_tradingThread, &QThread::finished, m_trading, &QObject::deleteLater);

    const auto q = Qt::QueuedConnection;
    using model::TradingService;
    const ui::TradingPanels &p = m_window->tradingPanels();
    connect(m_trading, &TradingService::ordersReset, m_orders, &model::OrdersModel::resetOrders, q);
    connect(m_trading, &TradingService::ordersChanged, m_orders, &model::OrdersModel::applyOrders,
            q);
    connect(m_trading, &TradingService::fillsReset, m_fills, &model::FillsModel::resetFills, q);
    connect(
        m_trading, &TradingService::fillsAdded, this,
        [this](const QList<model::FillRecord> &fills) {
            m_fills->addFills(fills);
            m_notifier->notify(fills);
        },
        q);
    connect(
        m_trading, &TradingService::balancesChanged, this,
        [this](const QList<model::BalanceRecord> &balances) {
            m_balances->setBalances(balances);
            m_futuresDesk->setSpotBalances(balances);
        },
        q);
    connect(m_trading, &TradingService::connectionChanged, p.bar,
            &ui::TradingBar::setConnectionState, q);
    connect(m_trading, &TradingService::deadMansSwitchChanged, p.bar,
            &ui::TradingBar::setDeadMansSwitch, q);
    connect(
        m_trading, &TradingService::errorOccurred, this,
        [this](const QString &, const QString &message) {
            m_window->statusBar()->showMessage(QString(u"Trading: "_s + message), 10'000);
        },
        q);
    connect(
        m_trading, &TradingService::failed, this,
        [this](const QString &reason) {
            m_window->tradingPanels().bar->setConnectionState(reason, false);
        },
        q);
    connect(
        m_trading, &TradingService::reconciled, this,
        [this](const QString &summary) {
            m_window->statusBar()->showMessage(QString(u"Reconciled with Kraken: "_s + summary),
                                               5000);
            if (!m_tradingReady) {
                m_tradingReady = true;
                Q_EMIT tradingReady();
            }
        },
        q);
    m_tradingThread->start();
    QMetaObject::invokeMethod(m_trading, &TradingService::start, q);
}

void TerminalSession::startFuturesTrading(const QUrl &restUrl, const QUrl &wsUrl,
                                          const kraken::Credentials &credentials,
                                          const QString &journalPath, bool paper) {
    model::FuturesTradingServiceConfig config;
    config.restUrl = restUrl;
    config.wsUrl = wsUrl;
    config.historyUrl = kraken::futures::FuturesEndpoints::at(restUrl, wsUrl).history;
    config.credentials = credentials;
    config.journalPath = journalPath;
    config.persistNonce = !paper;
    m_futuresDesk->start(config);
}

void TerminalSession::startMainnetFuturesTrading() {
    const auto endpoints = mainnetFuturesEndpoints();
    if (!endpoints) {
        m_futuresDesk->setUnavailable(u"Futures is off: --rest-url without --futures-url"_s);
        return;
    }
    const bool named = !m_options.keysProfile.isEmpty();
    const QString profile = named ? m_options.keysProfile : u"default"_s;
    const auto wanted = m_options.futuresDemo ? kraken::FuturesEnvironment::Demo
                                              : kraken::FuturesEnvironment::Mainnet;
    m_keyResolver->resolve(
        profile, kraken::keychain::Venue::Futures, this,
        [this, profile, wanted,
         endpoints = *endpoints](const kraken::keychain::CredentialResolver::Resolution &r) {
            if (m_profile != TerminalOptions::Profile::Mainnet || m_futuresDesk->isRunning())
                return;
            if (!r.credentials) {
                m_futuresDesk->setUnavailable(
                    QString(u"no Futures API keys for profile \""_s + profile + u"\""_s));
                return;
            }
            QString journal = m_options.journalPath;
            if (journal.isEmpty()) {
                const QString dir =
                    QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
                QDir().mkpath(dir);
                journal = dir + u"/futures-journal-"_s + profile + u".sqlite"_s;
            } else {
                journal += u".futures"_s; // never the Spot journal: another account
            }
            const kraken::Credentials credentials = *r.credentials;
            const bool venueGiven = !m_options.futuresRestUrl.isEmpty();
            if (r.source != kraken::keychain::CredentialResolver::Source::Keychain || venueGiven) {
                startFuturesTrading(endpoints.rest, endpoints.ws, credentials, journal, false);
                return;
            }
            // Keys from the keychain carry their environment: demo keys never work on
            // mainnet (nor the reverse), so a mismatch is said instead of failing to sign.
            m_keyStore->listProfiles(this, [this, profile, wanted, endpoints, credentials,
                                            journal](const kraken::keychain::KeychainStatus &,
                                                     const kraken::keychain::ProfileIndex &index) {
                if (m_futuresDesk->isRunning())
                    return;
                const auto env = index.futuresEnvironment(profile);
                if (env != wanted) {
                    m_futuresDesk->setUnavailable(
                        QString(u"the Futures keys of profile \""_s + profile + u"\" are for "_s +
                                kraken::futuresEnvironmentId(env) +
                                (env == kraken::FuturesEnvironment::Demo
                                     ? u": start with --futures-demo"_s
                                     : u": start without --futures-demo"_s)));
                    return;
                }
                startFuturesTrading(endpoints.rest, endpoints.ws, credentials, journal, false);
            });
        });
}

void TerminalSession::stopTrading() {
    if (!m_trading)
        return;
    QMetaObject::invokeMethod(m_trading, &model::TradingService::stop,
                              Qt::BlockingQueuedConnection);
    disconnect(m_trading, nullptr, this, nullptr);
    m_tradingThread->quit();
    m_tradingThread->wait();
    delete m_tradingThread;
    m_tradingThread = nullptr;
    m_trading = nullptr;
    m_tradingReady = false;
    m_orders->resetOrders({});
    m_fills->resetFills({});
    m_balances->setBalances({});
    m_futuresDesk->setSpotBalances({});
    m_window->tradingPanels().bar->setConnectionState(u"not connected"_s, false);
}

QUrl TerminalSession::mainnetRestUrl() const {
    // The client's own default is Kraken's address; one place says what it is.
    return m_options.mainnetRestUrl.isEmpty() ? kraken::spot::RestClientConfig().baseUrl
                                              : m_options.mainnetRestUrl;
}

void TerminalSession::showCredentialsDialog() {
    const QUrl rest = m_profile == TerminalOptions::Profile::Paper ? m_paperRest : mainnetRestUrl();
    auto *dialog = new ui::CredentialsDialog(m_keyStore, rest, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProfile(m_options.keysProfile.isEmpty() ? u"default"_s : m_options.keysProfile);
    connect(dialog, &ui::CredentialsDialog::sessionCredentials, this,
            [this](const QString &profile, kraken::keychain::Venue venue,
                   const kraken::Credentials &c) {
                m_keyResolver->setSessionCredentials(profile, venue, c);
            });
    // New keys for the mainnet profile take effect at once.
    auto restart = [this](const QString &) {
        if (m_profile == TerminalOptions::Profile::Mainnet) {
            stopTrading();
            startMainnetTrading();
            m_futuresDesk->stop();
            startMainnetFuturesTrading();
        }
    };
    connect(dialog, &ui::CredentialsDialog::saved, this, restart);
    connect(dialog, &ui::CredentialsDialog::sessionCredentials, this,
            [restart](const QString &profile, kraken::keychain::Venue,
                      const kraken::Credentials &) { restart(profile); });
    dialog->open();
}

} // namespace app
