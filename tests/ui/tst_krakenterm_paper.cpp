// End to end: the terminal's own composition (TerminalSession, as krakenterm runs it) on the
// in-process paper exchange over real loopback sockets: within generous bounds the
// watchlist, ladder, candle chart and tape hold live data, consistent with each other and
// drawn by the widgets; activating another symbol and another interval re-focuses the feed;
// Kraken unreachable shows a plain banner whose "Switch to Paper" brings live paper data;
// and the krakenterm binary itself reaches live data with --paper --quit-after-live.

#include "app/gui/terminalsession.h"
#include "model/candlemodel.h"
#include "model/laddermodel.h"
#include "model/tradesmodel.h"
#include "model/watchlistmodel.h"
#include "ui/candlechart.h"
#include "ui/depthchart.h"
#include "ui/ladderpanel.h"
#include "ui/mainwindow.h"
#include "ui/statusbar.h"
#include "ui/tapepanel.h"
#include "ui/watchlistpanel.h"

#include <QAreaSeries>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int LiveBoundMs = 20000;

kraken::Decimal dec(const QString &s) {
    const auto d = kraken::Decimal::fromString(QStringView(s));
    return d ? *d : kraken::Decimal();
}

app::TerminalOptions paperOptions(const QTemporaryDir &dir) {
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Paper;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    return o;
}

// Every ladder invariant a trader relies on, read from the view's model.
void checkLadder(const QAbstractItemModel *m, int spreadRow) {
    QList<kraken::Decimal> asks, bids;
    for (int r = 0; r < spreadRow; ++r) {
        const QString p = m->index(r, 0).data().toString();
        if (!p.isEmpty())
            asks << dec(p);
    }
    for (int r = spreadRow + 1; r < m->rowCount(); ++r) {
        const QString p = m->index(r, 0).data().toString();
        if (!p.isEmpty())
            bids << dec(p);
    }
    QVERIFY(asks.size() >= 5);
    QVERIFY(bids.size() >= 5);
    for (int i = 1; i < asks.size(); ++i)
        QVERIFY(asks.at(i - 1) > asks.at(i)); // highest first, down to the best ask
    for (int i = 1; i < bids.size(); ++i)
        QVERIFY(bids.at(i - 1) > bids.at(i));      // best bid first, then lower
    QVERIFY(bids.constFirst() < asks.constLast()); // not crossed
    const auto spread = asks.constLast().minus(bids.constFirst());
    QCOMPARE(m->index(spreadRow, 0).data().toString(), spread->toString());
}

} // namespace

class TestKrakentermPaper : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void liveDataInEveryPanel();
    void unreachableOffersPaper();
    void binaryQuitAfterLive();
};

void TestKrakentermPaper::liveDataInEveryPanel() {
    QTemporaryDir dir;
    app::TerminalSession session(paperOptions(dir));
    ui::MainWindow *w = session.window();
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), LiveBoundMs);
    QVERIFY(session.paperRestUrl().host() == u"127.0.0.1"_s);
    QCOMPARE(w->windowTitle(), u"KrakenTerm — Paper"_s);
    QCOMPARE(session.focusSymbol(), u"BTC/USD"_s);

    // Watchlist: every built-in pair and every tradeable paper Futures contract (PF_XBTUSD,
    // PF_ETHUSD, PI_XBTUSD and the month's FI_XBTUSD), BTC/USD priced.
    QTableView *watch = w->watchlistPanel()->view();
    QCOMPARE(watch->model()->rowCount(), 7 + 4);
    QVERIFY(session.watchlistModel()->rowOf(u"PF_XBTUSD"_s) >= 0);
    const int btcRow = session.watchlistModel()->rowOf(u"BTC/USD"_s);
    const QString last =
        session.watchlistModel()->index(btcRow, model::WatchlistModel::Last).data().toString();
    QVERIFY(dec(last) > dec(u"1000"_s));

    // Ladder: ordered levels either side of a positive spread, around the last price.
    QTableView *ladder = w->ladderPanel()->view();
    checkLadder(ladder->model(), session.ladderModel()->spreadRow());
    if (QTest::currentTestFailed())
        return;

    // Chart: one candle per bar of the model, the last one the forming bar's values.
    auto *series = w->candleChart()->candleSeries();
    // (The series hold the bars around the view: from firstShownBar() to the latest.)
    QTRY_VERIFY_WITH_TIMEOUT(series->count() == session.candleModel()->rowCount() -
                                                    w->candleChart()->firstShownBar(),
                             5000);
    QVERIFY(series->count() >= 20);
    QCOMPARE(series->sets().constLast()->timestamp(), session.candleModel()->rowCount() - 1.0);
    const model::Candle lastBar = session.candleModel()->candles().constLast();
    QVERIFY(!lastBar.closed);
    QTRY_COMPARE_WITH_TIMEOUT(
        series->sets().constLast()->close(),
        session.candleModel()->candles().constLast().close.toString().toDouble(), 5000);
    QVERIFY(!w->candleChart()->readout()->text().isEmpty());

    // Tape: trades with sides and prices near the book.
    QTableView *tape = w->tapePanel()->view();
    QVERIFY(tape->model()->rowCount() > 0);
    const QString side = tape->model()->index(0, model::TradesModel::Side).data().toString();
    QVERIFY2(side == u"Buy"_s || side == u"Sell"_s || side == u"buy"_s || side == u"sell"_s,
             qPrintable(side));
    // Depth chart drawn from the same book.
    QTRY_VERIFY_WITH_TIMEOUT(w->depthChart()->bidSeries()->upperSeries()->count() > 2, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(w->depthChart()->askSeries()->upperSeries()->count() > 2, 5000);
    // Status bar: the market connection is live.
    QTRY_COMPARE_WITH_TIMEOUT(w->feedStatusBar()->connectionText(u"market"_s), u"market: live"_s,
                              5000);

    // Live means moving: new trades arrive.
    const QString newest = tape->model()->index(0, 0).data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(tape->model()->index(0, 0).data().toString() != newest, 10000);

    // Activate ETH/USD in the watchlist (the search field's Enter): everything follows.
    QTest::keyClicks(w->watchlistPanel()->searchField(), u"ETH/USD"_s);
    QCOMPARE(w->watchlistPanel()->proxy()->rowCount(), 1);
    QTest::keyClick(w->watchlistPanel()->searchField(), Qt::Key_Return);
    QCOMPARE(session.focusSymbol(), u"ETH/USD"_s);
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), LiveBoundMs);
    QCOMPARE(session.candleModel()->symbol(), u"ETH/USD"_s);
    const QString ethBid =
        ladder->model()->index(session.ladderModel()->spreadRow() + 1, 0).data().toString();
    const int ethRow = session.watchlistModel()->rowOf(u"ETH/USD"_s);
    const kraken::Decimal ethLast =
        dec(session.watchlistModel()->index(ethRow, model::WatchlistModel::Last).data().toString());
    // The ladder now shows ETH's book: within 5 % of ETH's last price, far from BTC's.
    QVERIFY(dec(ethBid) > *ethLast.times(dec(u"0.95"_s), 8));
    QVERIFY(dec(ethBid) < *ethLast.times(dec(u"1.05"_s), 8));
    checkLadder(ladder->model(), session.ladderModel()->spreadRow());
    if (QTest::currentTestFailed())
        return;

    // Another interval: 5-minute bars from REST history, then live.
    w->candleChart()->intervalCombo()->setCurrentIndex(1);
    QCOMPARE(session.intervalMinutes(), 5);
    QTRY_VERIFY_WITH_TIMEOUT(session.candleModel()->intervalMinutes() == 5 &&
                                 session.candleModel()->rowCount() > 20,
                             LiveBoundMs);
    const auto &bars = session.candleModel()->candles();
    QCOMPARE(bars.at(1).beginMs - bars.at(0).beginMs, 5 * 60000);
    QTRY_COMPARE_WITH_TIMEOUT(series->count(),
                              session.candleModel()->rowCount() - w->candleChart()->firstShownBar(),
                              5000);

    session.shutdown();
    QVERIFY(!session.feedThread());
}

void TestKrakentermPaper::unreachableOffersPaper() {
    // A port that refuses: "Kraken" cannot be reached.
    QTcpServer reserve;
    QVERIFY(reserve.listen(QHostAddress::LocalHost, 0));
    const quint16 port = reserve.serverPort();
    reserve.close();

    QTemporaryDir dir;
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Mainnet;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    o.mainnetRestUrl = QUrl(QString(u"http://127.0.0.1:"_s + QString::number(port)));
    o.mainnetWsUrl = QUrl(QString(u"ws://127.0.0.1:"_s + QString::number(port) + u"/v2"_s));
    o.startTimeoutMs = 3000;
    app::TerminalSession session(o);
    ui::MainWindow *w = session.window();
    w->show();
    session.start();
    // The title names the endpoint, so a trader never mistakes it for Kraken itself.
    QCOMPARE(w->windowTitle(),
             QString(u"KrakenTerm — Kraken API at 127.0.0.1:"_s + QString::number(port)));
    QTRY_VERIFY_WITH_TIMEOUT(w->isBannerVisible(), LiveBoundMs);
    QVERIFY2(w->bannerText().startsWith(u"Kraken cannot be reached: "_s),
             qPrintable(w->bannerText()));
    QPushButton *toPaper = nullptr;
    for (QPushButton *b : w->findChildren<QPushButton *>()) {
        if (b->text() == u"Switch to Paper"_s && b->isVisible())
            toPaper = b;
    }
    QVERIFY(toPaper);
    toPaper->click();
    QVERIFY(!w->isBannerVisible());
    QCOMPARE(session.profile(), app::TerminalOptions::Profile::Paper);
    QCOMPARE(w->windowTitle(), u"KrakenTerm — Paper"_s);
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), LiveBoundMs);
    QCOMPARE(session.watchlistModel()->rowCount(), 7 + 4);
}

void TestKrakentermPaper::binaryQuitAfterLive() {
    QTemporaryDir dir;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    p.start(QString::fromUtf8(KRAKENTERM_BIN), {u"--paper"_s, u"--quit-after-live"_s, u"30"_s,
                                                u"--settings"_s, dir.filePath(u"kt.ini"_s)});
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
             qPrintable(QString::fromUtf8(p.readAllStandardError())));
    QVERIFY2(out.startsWith(u"krakenterm: live after "_s), qPrintable(out));
    QVERIFY2(out.contains(u"7 pairs, 4 contracts; BTC/USD last "_s), qPrintable(out));
    QVERIFY2(out.contains(u" trades"_s), qPrintable(out));

    // Bad arguments: exit 2 with a message, no window.
    QProcess bad;
    bad.setProcessEnvironment(env);
    bad.start(QString::fromUtf8(KRAKENTERM_BIN), {u"--profile"_s, u"futures-moon"_s});
    QVERIFY(bad.waitForFinished(30000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains(u"unknown profile"_s));
}

QTEST_MAIN(TestKrakentermPaper)
#include "tst_krakenterm_paper.moc"
