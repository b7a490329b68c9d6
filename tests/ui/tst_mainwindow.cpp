// MainWindow and the smaller panels, offscreen: the default dock arrangement and the View
// menu, named layouts saved and restored through LayoutStore (an INI file), the theme
// toggle, the banner, link groups, the watchlist's search and activation (double-click and
// Enter), the tape's minimum-size filter, and the status bar's connection texts.

#include "kraken/sim/simconfig.h"
#include "model/candlemodel.h"
#include "model/laddermodel.h"
#include "model/tradesmodel.h"
#include "model/watchlistmodel.h"
#include "ui/candlechart.h"
#include "ui/depthchart.h"
#include "ui/ladderpanel.h"
#include "ui/layoutstore.h"
#include "ui/linkbutton.h"
#include "ui/linkhub.h"
#include "ui/mainwindow.h"
#include "ui/statusbar.h"
#include "ui/tapepanel.h"
#include "ui/theme.h"
#include "ui/watchlistpanel.h"

#include <QAreaSeries>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

kraken::Decimal dec(const char *s) {
    return *kraken::Decimal::fromString(std::string_view(s));
}

QList<kraken::Instrument> instruments() {
    QList<kraken::Instrument> out;
    for (const auto &p : kraken::sim::SimConfig::builtIn().pairs)
        out << p.instrument;
    return out;
}

model::TradeRow trade(qint64 t, bool buy, const char *price, const char *qty) {
    model::TradeRow r;
    r.symbol = u"BTC/USD"_s;
    r.timeMs = t;
    r.buy = buy;
    r.price = dec(price);
    r.qty = dec(qty);
    return r;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void defaultLayoutAndViewMenu();
    void namedLayoutsRoundTrip();
    void themeBannerAndLinks();
    void watchlistSearchAndActivation();
    void tapeMinimumSize();
    void statusBarTexts();
    void depthChartAreas();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    model::WatchlistModel m_watch;
    model::LadderModel m_ladder{10};
    model::TradesModel m_trades;
    model::CandleModel m_candles;
};

void TestMainWindow::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"kt.ini"_s), QSettings::IniFormat);
    ui::Theme::apply(ui::Theme::Mode::Dark);
}

void TestMainWindow::defaultLayoutAndViewMenu() {
    ui::MainWindow w(&m_watch, &m_ladder, &m_trades, &m_candles, m_settings.get());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.docks().size(), 4);
    QCOMPARE(w.dockWidgetArea(w.dock(u"watchlistDock"_s)), Qt::LeftDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(w.dock(u"ladderDock"_s)), Qt::RightDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(w.dock(u"tapeDock"_s)), Qt::RightDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(w.dock(u"depthDock"_s)), Qt::BottomDockWidgetArea);
    // Tape under the ladder, chart in the centre.
    QVERIFY(w.dock(u"tapeDock"_s)->geometry().top() > w.dock(u"ladderDock"_s)->geometry().top());
    QCOMPARE(w.centralWidget()->isAncestorOf(w.candleChart()), true);
    for (QDockWidget *d : w.docks()) {
        QVERIFY(d->features() & QDockWidget::DockWidgetMovable);
        QVERIFY(d->features() & QDockWidget::DockWidgetFloatable);
        QVERIFY(!d->accessibleName().isEmpty());
    }
    // View menu: one checkable action per dock that hides and shows it.
    QMenu *view = nullptr;
    for (QAction *a : w.menuBar()->actions()) {
        if (a->text() == u"&View"_s)
            view = a->menu();
    }
    QVERIFY(view);
    QAction *ladderToggle = w.dock(u"ladderDock"_s)->toggleViewAction();
    QVERIFY(view->actions().contains(ladderToggle));
    ladderToggle->trigger();
    QVERIFY(w.dock(u"ladderDock"_s)->isHidden());
    ladderToggle->trigger();
    QVERIFY(!w.dock(u"ladderDock"_s)->isHidden());
}

void TestMainWindow::namedLayoutsRoundTrip() {
    {
        ui::MainWindow w(&m_watch, &m_ladder, &m_trades, &m_candles, m_settings.get());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.dock(u"tapeDock"_s)->hide();
        w.addDockWidget(Qt::LeftDockWidgetArea, w.dock(u"depthDock"_s));
        w.saveLayout(u"scalping/1"_s);
        QCOMPARE(w.layoutStore()->names(), QStringList({u"scalping/1"_s}));
        w.applyDefaultLayout();
        QCOMPARE(w.dockWidgetArea(w.dock(u"depthDock"_s)), Qt::BottomDockWidgetArea);
        QVERIFY(!w.dock(u"tapeDock"_s)->isHidden());
        QVERIFY(w.restoreLayout(u"scalping/1"_s));
        QCOMPARE(w.dockWidgetArea(w.dock(u"depthDock"_s)), Qt::LeftDockWidgetArea);
        QVERIFY(w.dock(u"tapeDock"_s)->isHidden());
        w.close(); // autosaves the session layout
    }
    // A new window (a restart) restores by name, and the last session without one.
    ui::MainWindow w2(&m_watch, &m_ladder, &m_trades, &m_candles, m_settings.get());
    QVERIFY(w2.layoutStore()->contains(ui::LayoutStore::autosaveName()));
    QCOMPARE(w2.layoutStore()->names(), QStringList({u"scalping/1"_s})); // autosave not listed
    QVERIFY(w2.restoreLayout(QString()));
    QCOMPARE(w2.dockWidgetArea(w2.dock(u"depthDock"_s)), Qt::LeftDockWidgetArea);
    QVERIFY(!w2.restoreLayout(u"no such layout"_s)); // falls back to the default
    QCOMPARE(w2.dockWidgetArea(w2.dock(u"depthDock"_s)), Qt::BottomDockWidgetArea);
    w2.layoutStore()->remove(u"scalping/1"_s);
    QVERIFY(w2.layoutStore()->names().isEmpty());
}

void TestMainWindow::themeBannerAndLinks() {
    ui::MainWindow w(&m_watch, &m_ladder, &m_trades, &m_candles, m_settings.get());
    w.setProfileName(u"Paper"_s);
    QCOMPARE(w.windowTitle(), u"KrakenTerm — Paper"_s);
    QVERIFY(ui::Theme::isDark(QApplication::palette()));
    w.setDarkTheme(false);
    QVERIFY(!ui::Theme::isDark(QApplication::palette()));
    QCOMPARE(m_settings->value(u"ui/theme"_s).toString(), u"light"_s);
    w.setDarkTheme(true);
    QVERIFY(ui::Theme::isDark(QApplication::palette()));

    QVERIFY(!w.isBannerVisible());
    QSignalSpy action(&w, &ui::MainWindow::bannerActionTriggered);
    w.showBanner(u"Kraken cannot be reached: timeout"_s, u"Switch to Paper"_s);
    QVERIFY(w.isBannerVisible());
    QCOMPARE(w.bannerText(), u"Kraken cannot be reached: timeout"_s);
    QPushButton *button = nullptr;
    for (QPushButton *b : w.findChildren<QPushButton *>()) {
        if (b->text() == u"Switch to Paper"_s)
            button = b;
    }
    QVERIFY(button);
    button->click();
    QCOMPARE(action.size(), 1);
    w.hideBanner();
    QVERIFY(!w.isBannerVisible());

    // Link groups: panels in the group follow its symbol; a panel elsewhere does not.
    w.tapePanel()->linkButton()->setGroup(1);
    QCOMPARE(w.linkGroupOf(w.tapePanel()), 1);
    QCOMPARE(w.linkGroupOf(w.ladderPanel()), 0);
    QSignalSpy linked(w.linkHub(), &ui::LinkHub::symbolChanged);
    w.linkHub()->setSymbol(0, u"ETH/USD"_s);
    QCOMPARE(linked.size(), 1);
    QLabel *ladderTitle = w.ladderPanel()->findChild<QLabel *>();
    QVERIFY(ladderTitle);
    QCOMPARE(ladderTitle->text(), u"ETH/USD"_s);
    QLabel *tapeTitle = w.tapePanel()->findChild<QLabel *>();
    QVERIFY(tapeTitle->text().isEmpty());
    w.tapePanel()->linkButton()->setGroup(0); // joins: shows the group's symbol at once
    QCOMPARE(tapeTitle->text(), u"ETH/USD"_s);
}

void TestMainWindow::watchlistSearchAndActivation() {
    model::WatchlistModel model;
    model.setInstruments(instruments());
    ui::WatchlistPanel panel(&model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.proxy()->rowCount(), 7);
    QTest::keyClicks(panel.searchField(), u"eth"_s);
    QCOMPARE(panel.proxy()->rowCount(), 2); // ETH/USD, ETH/BTC
    QSignalSpy activated(&panel, &ui::WatchlistPanel::symbolActivated);
    // Down moves into the list, Enter activates the current row.
    QTest::keyClick(panel.searchField(), Qt::Key_Down);
    QVERIFY(panel.view()->hasFocus());
    QTest::keyClick(panel.view(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QVERIFY(activated.at(0).at(0).toString().startsWith(u"ETH/"_s));
    // Double-click activates the row under the pointer.
    const QModelIndex second = panel.proxy()->index(1, 0);
    const QRect r = panel.view()->visualRect(second);
    QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(panel.view()->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.at(1).at(0).toString(),
             second.data(model::WatchlistModel::SymbolRole).toString());

    // Sorting by last price numerically through SortRole.
    panel.searchField()->clear();
    model::TickerRow a, b;
    a.symbol = u"BTC/USD"_s;
    a.last = dec("9.5");
    a.bid = dec("9.4");
    a.ask = dec("9.6");
    b.symbol = u"SOL/USD"_s;
    b.last = dec("10.25");
    b.bid = dec("10.2");
    b.ask = dec("10.3");
    model.applyTickers({a, b});
    panel.view()->sortByColumn(model::WatchlistModel::Last, Qt::DescendingOrder);
    QCOMPARE(panel.proxy()->index(0, 0).data().toString(), u"SOL/USD"_s);
    QCOMPARE(panel.proxy()->index(1, 0).data().toString(), u"BTC/USD"_s);
}

void TestMainWindow::tapeMinimumSize() {
    model::TradesModel model;
    model.addTrades({trade(1000, true, "100.0", "0.5"), trade(2000, false, "99.9", "2.0"),
                     trade(3000, true, "100.1", "0.01")});
    ui::TapePanel panel(&model);
    panel.show();
    QCOMPARE(panel.view()->model()->rowCount(), 3);
    QTest::keyClicks(panel.minimumSizeField(), u"0.5"_s);
    QCOMPARE(panel.view()->model()->rowCount(), 2);
    panel.minimumSizeField()->setText(u"1"_s);
    QCOMPARE(panel.view()->model()->rowCount(), 1);
    QCOMPARE(
        panel.view()->model()->index(0, model::TradesModel::Side).data(model::TradesModel::BuyRole),
        QVariant(false));
    panel.minimumSizeField()->clear();
    QCOMPARE(panel.view()->model()->rowCount(), 3);
    QVERIFY(!panel.grab().isNull());
}

void TestMainWindow::statusBarTexts() {
    ui::StatusBar bar;
    model::FeedStatus s;
    s.connection = u"market"_s;
    s.state = u"reconnecting"_s;
    s.reconnectInMs = 3000;
    s.resyncs = 2;
    bar.setStatus(s);
    QCOMPARE(bar.connectionText(u"market"_s), u"market: reconnecting in 3 s"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bar.connectionText(u"market"_s), u"market: reconnecting in 2 s"_s,
                              5000);
    model::FeedStatus rest;
    rest.connection = u"rest"_s;
    rest.state = u"live"_s;
    rest.resyncs = 1;
    rest.latencyMs = 42;
    bar.setStatus(rest);
    QCOMPARE(bar.connectionText(u"rest"_s), u"rest: live"_s);
    QCOMPARE(bar.resyncText(), u"resyncs: 3"_s);
    QCOMPARE(bar.latencyText(), u"latency: 42 ms"_s);
    QCOMPARE(bar.restGaugeText(), u"REST –"_s); // no counter reported yet
    rest.restCounter = 3.4;
    rest.restCounterMax = 20;
    bar.setStatus(rest);
    QCOMPARE(bar.restGaugeText(), u"REST 3/20"_s);
    s.state = u"live"_s;
    bar.setStatus(s);
    QCOMPARE(bar.connectionText(u"market"_s), u"market: live"_s);
}

void TestMainWindow::depthChartAreas() {
    auto b = std::make_shared<kraken::book::BookSnapshot>();
    b->symbol = u"BTC/USD"_s;
    b->pricePrecision = 1;
    b->qtyPrecision = 8;
    for (int i = 0; i < 5; ++i) {
        b->asks.push_back({1001 + i, 100000000});
        b->bids.push_back({1000 - i, 200000000});
    }
    ui::DepthChart chart;
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setSpan(1.0);
    chart.setBook(b);
    // Mid 100.05; both sides cover 0.45 from the mid. Bids step up to 5 x 2.0 = 10,
    // asks to 5 x 1.0 = 5.
    const QLineSeries *bids = chart.bidSeries()->upperSeries();
    const QLineSeries *asks = chart.askSeries()->upperSeries();
    // Redraws are throttled (DepthChart::MaxHz): the book shows within one period.
    QTRY_VERIFY(bids->count() >= 10);
    QCOMPARE(bids->at(0), QPointF(100.0, 0));
    QCOMPARE(bids->at(2).y(), 2.0);
    QCOMPARE(bids->at(bids->count() - 1).y(), 10.0);
    QCOMPARE(asks->at(0), QPointF(100.1, 0));
    QCOMPARE(asks->at(asks->count() - 1).y(), 5.0);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
