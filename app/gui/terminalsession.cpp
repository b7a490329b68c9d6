#include "terminalsession.h"

#include "kraken/sim/simconfig.h"
#include "model/candlemodel.h"
#include "model/laddermodel.h"
#include "model/marketfeed.h"
#include "model/tradesmodel.h"
#include "model/watchlistmodel.h"
#include "paperhost.h"
#include "ui/candlechart.h"
#include "ui/depthchart.h"
#include "ui/ladderpanel.h"
#include "ui/linkhub.h"
#include "ui/mainwindow.h"
#include "ui/statusbar.h"
#include "ui/tapepanel.h"
#include "ui/theme.h"
#include "ui/watchlistpanel.h"

#include <QSettings>
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
    qRegisterMetaType<model::TickerRow>();
    qRegisterMetaType<model::TradeRow>();
    qRegisterMetaType<model::Candle>();
    qRegisterMetaType<model::FeedStatus>();
    qRegisterMetaType<model::BookPtr>();

    const bool dark = m_settings->value(u"ui/theme"_s, u"dark"_s).toString() != u"light"_s;
    ui::Theme::apply(dark ? ui::Theme::Mode::Dark : ui::Theme::Mode::Light);
    m_window = std::make_unique<ui::MainWindow>(m_watchlist, m_ladder, m_trades, m_candles,
                                                m_settings.get());
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
    m_window->setProfileName(TerminalOptions::profileName(m_profile));
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
    startFeed(config);
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
        [this](const QUrl &rest, const QUrl &ws, const QUrl &) {
            m_paperRest = rest;
            Q_EMIT paperStarted(rest);
            model::MarketFeedConfig config;
            config.restUrl = rest;
            config.wsUrl = ws;
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
    stopFeed();
    stopPaper();
}

void TerminalSession::switchToPaper() {
    if (m_profile == TerminalOptions::Profile::Paper && m_paper)
        return;
    m_window->hideBanner();
    stopFeed();
    clearModels();
    m_profile = TerminalOptions::Profile::Paper;
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
    return QString(QString::number(m_watchlist->rowCount()) + u" pairs; "_s + m_symbol +
                   u" last "_s + last + u", ladder bid "_s + bid + u" ask "_s + ask + u", "_s +
                   QString::number(m_candles->rowCount()) + u" candles ("_s +
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

} // namespace app
