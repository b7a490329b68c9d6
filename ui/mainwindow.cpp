#include "mainwindow.h"

#include "accountsummarypanel.h"
#include "balancespanel.h"
#include "candlechart.h"
#include "depthchart.h"
#include "fillspanel.h"
#include "futuresticket.h"
#include "ladderpanel.h"
#include "layoutstore.h"
#include "linkbutton.h"
#include "linkhub.h"
#include "orderspanel.h"
#include "orderticket.h"
#include "positionspanel.h"
#include "statusbar.h"
#include "tapepanel.h"
#include "theme.h"
#include "tradingbar.h"
#include "watchlistpanel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ui {

MainWindow::MainWindow(model::WatchlistModel *watchlist, model::LadderModel *ladder,
                       model::TradesModel *trades, model::CandleModel *candles, QSettings *settings,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_layouts(std::make_unique<LayoutStore>(settings))
    , m_hub(new LinkHub(this))
    , m_watchlist(new WatchlistPanel(watchlist))
    , m_ladder(new LadderPanel(ladder))
    , m_tape(new TapePanel(trades))
    , m_depth(new DepthChart)
    , m_chart(new CandleChart(candles))
    , m_status(new StatusBar(this))
    , m_banner(new QWidget(this))
    , m_bannerText(new QLabel(m_banner))
    , m_bannerAction(new QPushButton(m_banner)) {
    setObjectName(u"KrakenTermMainWindow"_s);
    setWindowTitle(u"KrakenTerm"_s);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks);
    // The right column (ladder above tape) runs the full height; the depth chart sits
    // under the candles only.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);

    // Banner above the chart: visible only when something needs the user.
    m_banner->setObjectName(u"banner"_s);
    m_banner->setAutoFillBackground(true);
    QPalette bp = m_banner->palette();
    bp.setColor(QPalette::Window, QColor(0x7a, 0x1f, 0x2b));
    bp.setColor(QPalette::WindowText, Qt::white);
    m_banner->setPalette(bp);
    m_bannerText->setWordWrap(true);
    m_bannerText->setAccessibleName(u"Problem"_s);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bannerAction->setAccessibleName(u"Banner action"_s);
    auto *dismiss = new QToolButton(m_banner);
    dismiss->setText(u"✕"_s);
    dismiss->setAccessibleName(u"Dismiss"_s);
    dismiss->setAutoRaise(true);
    connect(dismiss, &QToolButton::clicked, this, &MainWindow::hideBanner);
    connect(m_bannerAction, &QPushButton::clicked, this, &MainWindow::bannerActionTriggered);
    auto *bl = new QHBoxLayout(m_banner);
    bl->setContentsMargins(10, 6, 6, 6);
    bl->addWidget(m_bannerText, 1);
    bl->addWidget(m_bannerAction);
    bl->addWidget(dismiss);
    m_banner->hide();

    auto *central = new QWidget(this);
    auto *cl = new QVBoxLayout(central);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->setSpacing(0);
    cl->addWidget(m_banner);
    cl->addWidget(m_chart, 1);
    setCentralWidget(central);

    addPanel(u"watchlistDock"_s, u"Watchlist"_s, m_watchlist);
    addPanel(u"ladderDock"_s, u"Depth ladder"_s, m_ladder);
    addPanel(u"tapeDock"_s, u"Trades"_s, m_tape);
    addPanel(u"depthDock"_s, u"Depth chart"_s, m_depth);
    setStatusBar(m_status);

    for (LinkButton *b : {m_watchlist->linkButton(), m_ladder->linkButton(), m_tape->linkButton(),
                          m_depth->linkButton(), m_chart->linkButton()}) {
        // A panel that joins a group shows that group's symbol at once.
        connect(b, &LinkButton::groupChanged, this, [this](int group) {
            const QString s = m_hub->symbol(group);
            if (!s.isEmpty())
                followLinks(group, s);
        });
    }
    connect(m_hub, &LinkHub::symbolChanged, this, &MainWindow::followLinks);
    connect(m_watchlist, &WatchlistPanel::symbolActivated, this, [this](const QString &symbol) {
        m_hub->setSymbol(m_watchlist->linkButton()->group(), symbol);
    });

    buildMenus();
    applyDefaultLayout();
    resize(1560, 940);
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addPanel(const QString &objectName, const QString &title, QWidget *panel) {
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    dock->setAccessibleName(title);
    dock->setFocusProxy(panel);
    m_docks.append(dock);
    return dock;
}

QList<QDockWidget *> MainWindow::docks() const {
    return m_docks;
}

QDockWidget *MainWindow::dock(const QString &objectName) const {
    for (QDockWidget *d : m_docks) {
        if (d->objectName() == objectName)
            return d;
    }
    return nullptr;
}

void MainWindow::applyDefaultLayout() {
    QDockWidget *watch = dock(u"watchlistDock"_s);
    QDockWidget *ladder = dock(u"ladderDock"_s);
    QDockWidget *tape = dock(u"tapeDock"_s);
    QDockWidget *depth = dock(u"depthDock"_s);
    for (QDockWidget *d : m_docks) {
        d->setFloating(false);
        removeDockWidget(d);
    }
    addDockWidget(Qt::LeftDockWidgetArea, watch);
    addDockWidget(Qt::RightDockWidgetArea, ladder);
    splitDockWidget(ladder, tape, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, depth);
    QDockWidget *ticket = dock(u"ticketDock"_s);
    QDockWidget *orders = dock(u"ordersDock"_s);
    if (ticket && orders) {
        // Trading: the ticket under the watchlist, the blotters as tabs beside the depth chart.
        splitDockWidget(watch, ticket, Qt::Vertical);
        splitDockWidget(depth, orders, Qt::Horizontal);
        tabifyDockWidget(orders, dock(u"fillsDock"_s));
        tabifyDockWidget(orders, dock(u"balancesDock"_s));
        // Futures beside Spot: the ticket as a tab of the Spot ticket, the rest as tabs of
        // the blotters, positions first (what a Futures trader watches).
        if (QDockWidget *fticket = dock(u"futuresTicketDock"_s))
            tabifyDockWidget(ticket, fticket);
        for (const QString &name : {u"positionsDock"_s, u"futuresOrdersDock"_s,
                                    u"futuresFillsDock"_s, u"accountDock"_s}) {
            if (QDockWidget *d = dock(name))
                tabifyDockWidget(orders, d);
        }
    }
    for (QDockWidget *d : m_docks)
        d->show();
    if (orders)
        orders->raise();
    if (ticket)
        ticket->raise();
    resizeDocks({watch}, {400}, Qt::Horizontal);
    resizeDocks({ladder}, {360}, Qt::Horizontal);
    resizeDocks({ladder, tape}, {560, 300}, Qt::Vertical);
    resizeDocks({depth}, {200}, Qt::Vertical);
    if (ticket && orders) {
        resizeDocks({watch, ticket}, {420, 480}, Qt::Vertical);
        resizeDocks({depth, orders}, {500, 700}, Qt::Horizontal);
        resizeDocks({depth}, {240}, Qt::Vertical);
    }
}

void MainWindow::addTradingPanels(const TradingPanels &panels) {
    m_trading = panels;
    if (auto *central = qobject_cast<QVBoxLayout *>(centralWidget()->layout()))
        central->insertWidget(1, panels.bar); // under the banner, above the chart
    const QList<QDockWidget *> added{
        addPanel(u"ticketDock"_s, u"Order ticket"_s, panels.ticket),
        addPanel(u"ordersDock"_s, u"Orders"_s, panels.orders),
        addPanel(u"fillsDock"_s, u"Fills"_s, panels.fills),
        addPanel(u"balancesDock"_s, u"Balances"_s, panels.balances),
    };
    QAction *before = m_viewMenu->actions().value(m_docks.size() - added.size());
    for (QDockWidget *d : added)
        m_viewMenu->insertAction(before, d->toggleViewAction());

    addGoToAction(u"Order t&icket"_s, panels.ticket, added[0], u"Ctrl+6"_s);
    addGoToAction(u"&Orders"_s, panels.orders, added[1], u"Ctrl+7"_s);
    addGoToAction(u"&Fills"_s, panels.fills, added[2], u"Ctrl+8"_s);
    addGoToAction(u"&Balances"_s, panels.balances, added[3], u"Ctrl+9"_s);

    // Before Help, so the menu order reads File, View, Trading, Help.
    QMenu *trading = new QMenu(u"&Trading"_s, this);
    menuBar()->insertMenu(menuBar()->actions().constLast(), trading);
    auto focusTicket = [this, d = added[0]] {
        d->show();
        d->raise();
    };
    QAction *buy = trading->addAction(u"&Buy…"_s);
    buy->setShortcut(QKeySequence(u"Ctrl+Alt+B"_s));
    connect(buy, &QAction::triggered, this, [this, focusTicket] {
        focusTicket();
        m_trading.ticket->prepareBuy();
    });
    QAction *sell = trading->addAction(u"&Sell…"_s);
    sell->setShortcut(QKeySequence(u"Ctrl+Alt+S"_s));
    connect(sell, &QAction::triggered, this, [this, focusTicket] {
        focusTicket();
        m_trading.ticket->prepareSell();
    });
    trading->addSeparator();
    QAction *cancelAll = trading->addAction(u"&Cancel all orders…"_s);
    cancelAll->setShortcut(QKeySequence(u"Ctrl+Alt+X"_s));
    // Through the blotter's own action, so the same confirmation guards both paths.
    connect(cancelAll, &QAction::triggered, panels.orders->cancelAllAction(), &QAction::trigger);
    trading->addSeparator();
    connect(trading->addAction(u"Order &guards and confirmation…"_s), &QAction::triggered, this,
            &MainWindow::guardSettingsRequested);
    QAction *keys = trading->addAction(u"API &keys…"_s);
    keys->setShortcut(QKeySequence(u"Ctrl+Alt+K"_s));
    connect(keys, &QAction::triggered, this, &MainWindow::credentialsRequested);
    applyDefaultLayout();
}

void MainWindow::addFuturesPanels(const FuturesPanels &panels) {
    m_futures = panels;
    const QList<QDockWidget *> added{
        addPanel(u"futuresTicketDock"_s, u"Futures ticket"_s, panels.ticket),
        addPanel(u"positionsDock"_s, u"Positions"_s, panels.positions),
        addPanel(u"futuresOrdersDock"_s, u"Futures orders"_s, panels.orders),
        addPanel(u"futuresFillsDock"_s, u"Futures fills"_s, panels.fills),
        addPanel(u"accountDock"_s, u"Account"_s, panels.account),
    };
    QAction *before = m_viewMenu->actions().value(m_docks.size() - added.size());
    for (QDockWidget *d : added)
        m_viewMenu->insertAction(before, d->toggleViewAction());
    addGoToAction(u"F&utures ticket"_s, panels.ticket, added[0], u"Ctrl+Shift+6"_s);
    addGoToAction(u"&Positions"_s, panels.positions, added[1], u"Ctrl+0"_s);
    addGoToAction(u"Futures o&rders"_s, panels.orders, added[2], u"Ctrl+Shift+7"_s);
    addGoToAction(u"Futures fi&lls"_s, panels.fills, added[3], u"Ctrl+Shift+8"_s);
    addGoToAction(u"&Account"_s, panels.account, added[4], u"Ctrl+Shift+9"_s);

    // The Futures section of the Trading menu, above the settings entries.
    QMenu *trading = nullptr;
    for (QAction *a : menuBar()->actions()) {
        if (a->menu() && a->text() == u"&Trading"_s)
            trading = a->menu();
    }
    if (trading) {
        QAction *settings = trading->actions().value(trading->actions().size() - 3);
        auto focusTicket = [d = added[0]] {
            d->show();
            d->raise();
        };
        QAction *buy = new QAction(u"Futures b&uy…"_s, trading);
        buy->setShortcut(QKeySequence(u"Ctrl+Alt+Shift+B"_s));
        connect(buy, &QAction::triggered, this, [this, focusTicket] {
            focusTicket();
            m_futures.ticket->prepareBuy();
        });
        QAction *sell = new QAction(u"Futures s&ell…"_s, trading);
        sell->setShortcut(QKeySequence(u"Ctrl+Alt+Shift+S"_s));
        connect(sell, &QAction::triggered, this, [this, focusTicket] {
            focusTicket();
            m_futures.ticket->prepareSell();
        });
        QAction *cancelAll = new QAction(u"Cancel all &Futures orders…"_s, trading);
        cancelAll->setShortcut(QKeySequence(u"Ctrl+Alt+Shift+X"_s));
        connect(cancelAll, &QAction::triggered, panels.orders->cancelAllAction(),
                &QAction::trigger);
        trading->insertActions(settings, {buy, sell, cancelAll});
        trading->insertSeparator(settings);
    }
    applyDefaultLayout();
}

void MainWindow::buildMenus() {
    QMenu *file = menuBar()->addMenu(u"&File"_s);
    QAction *paper = file->addAction(u"Switch to &Paper exchange"_s);
    connect(paper, &QAction::triggered, this, &MainWindow::switchToPaperRequested);
    file->addSeparator();
    QAction *quit = file->addAction(u"&Quit"_s);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(u"&View"_s);
    m_viewMenu = view;
    for (QDockWidget *d : std::as_const(m_docks))
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    // Keyboard: jump straight to a panel (showing it if it was closed).
    QMenu *go = view->addMenu(u"&Go to panel"_s);
    m_goMenu = go;
    addGoToAction(u"&Watchlist"_s, m_watchlist, dock(u"watchlistDock"_s), u"Ctrl+1"_s);
    addGoToAction(u"&Chart"_s, m_chart, nullptr, u"Ctrl+2"_s);
    addGoToAction(u"&Ladder"_s, m_ladder, dock(u"ladderDock"_s), u"Ctrl+3"_s);
    addGoToAction(u"&Trades"_s, m_tape, dock(u"tapeDock"_s), u"Ctrl+4"_s);
    addGoToAction(u"&Depth chart"_s, m_depth, dock(u"depthDock"_s), u"Ctrl+5"_s);
    QAction *search = go->addAction(u"&Search pairs"_s);
    search->setShortcut(QKeySequence::Find);
    connect(search, &QAction::triggered, this, [this] {
        dock(u"watchlistDock"_s)->show();
        m_watchlist->searchField()->setFocus(Qt::ShortcutFocusReason);
        m_watchlist->searchField()->selectAll();
    });
    view->addSeparator();
    m_darkAction = view->addAction(u"&Dark theme"_s);
    m_darkAction->setCheckable(true);
    m_darkAction->setChecked(Theme::current() == Theme::Mode::Dark);
    m_darkAction->setShortcut(QKeySequence(u"Ctrl+Shift+T"_s));
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setDarkTheme);
    view->addSeparator();
    m_layoutMenu = view->addMenu(u"&Layouts"_s);
    connect(m_layoutMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildLayoutMenu);
    rebuildLayoutMenu();

    QMenu *help = menuBar()->addMenu(u"&Help"_s);
    connect(help->addAction(u"&About KrakenTerm"_s), &QAction::triggered, this, [this] {
        QMessageBox::about(this, u"About KrakenTerm"_s,
                           u"KrakenTerm: a native trading terminal for Kraken.\n"
                           "Market data is checksum-verified; prices are exact decimals."_s);
    });
}

void MainWindow::addGoToAction(const QString &label, QWidget *target, QDockWidget *dock,
                               const QString &key) {
    QAction *a = m_goMenu->addAction(label);
    a->setShortcut(QKeySequence(key));
    connect(a, &QAction::triggered, this, [target, dock] {
        if (dock) {
            dock->show();
            dock->raise();
        }
        target->setFocus(Qt::ShortcutFocusReason);
    });
}

void MainWindow::rebuildLayoutMenu() {
    m_layoutMenu->clear();
    QAction *save = m_layoutMenu->addAction(u"&Save layout as…"_s);
    save->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));
    connect(save, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, u"Save layout"_s, u"Layout name:"_s,
                                                   QLineEdit::Normal, QString(), &ok)
                                 .trimmed();
        if (ok && !name.isEmpty())
            saveLayout(name);
    });
    connect(m_layoutMenu->addAction(u"Restore &default layout"_s), &QAction::triggered, this,
            &MainWindow::applyDefaultLayout);
    const QStringList names = m_layouts->names();
    if (names.isEmpty())
        return;
    m_layoutMenu->addSeparator();
    for (const QString &name : names) {
        connect(m_layoutMenu->addAction(name), &QAction::triggered, this,
                [this, name] { restoreLayout(name); });
    }
    QMenu *del = m_layoutMenu->addMenu(u"De&lete layout"_s);
    for (const QString &name : names) {
        connect(del->addAction(name), &QAction::triggered, this,
                [this, name] { m_layouts->remove(name); });
    }
}

void MainWindow::saveLayout(const QString &name) {
    m_layouts->save(name, *this);
}

bool MainWindow::restoreLayout(const QString &name) {
    const QString which = name.isEmpty() ? LayoutStore::autosaveName() : name;
    if (m_layouts->restore(which, *this))
        return true;
    applyDefaultLayout();
    return false;
}

void MainWindow::setDarkTheme(bool dark) {
    Theme::apply(dark ? Theme::Mode::Dark : Theme::Mode::Light);
    m_settings->setValue(u"ui/theme"_s, dark ? u"dark"_s : u"light"_s);
    if (m_darkAction && m_darkAction->isChecked() != dark)
        m_darkAction->setChecked(dark);
}

void MainWindow::setProfileName(const QString &profile) {
    setWindowTitle(QString(u"KrakenTerm — "_s + profile));
    m_status->setProfile(profile);
}

void MainWindow::showBanner(const QString &text, const QString &actionText) {
    m_bannerText->setText(text);
    m_bannerAction->setText(actionText);
    m_bannerAction->setVisible(!actionText.isEmpty());
    m_banner->show();
    if (!actionText.isEmpty())
        m_bannerAction->setFocus();
}

void MainWindow::hideBanner() {
    m_banner->hide();
}
QString MainWindow::bannerText() const {
    return m_bannerText->text();
}
bool MainWindow::isBannerVisible() const {
    return !m_banner->isHidden();
}

int MainWindow::linkGroupOf(const QWidget *panel) const {
    if (panel == m_watchlist)
        return m_watchlist->linkButton()->group();
    if (panel == m_ladder)
        return m_ladder->linkButton()->group();
    if (panel == m_tape)
        return m_tape->linkButton()->group();
    if (panel == m_depth)
        return m_depth->linkButton()->group();
    if (panel == m_chart)
        return m_chart->linkButton()->group();
    return -1;
}

void MainWindow::followLinks(int group, const QString &symbol) {
    if (m_ladder->linkButton()->group() == group)
        m_ladder->setSymbol(symbol);
    if (m_tape->linkButton()->group() == group)
        m_tape->setSymbol(symbol);
    if (m_depth->linkButton()->group() == group)
        m_depth->setSymbol(symbol);
    if (m_chart->linkButton()->group() == group)
        m_chart->setSymbol(symbol);
    if (m_watchlist->linkButton()->group() == group)
        m_watchlist->setCurrentSymbol(symbol);
}

void MainWindow::closeEvent(QCloseEvent *event) {
    m_layouts->save(LayoutStore::autosaveName(), *this);
    QMainWindow::closeEvent(event);
}

} // namespace ui
