// Kraken Futures end to end in the terminal's own composition (TerminalSession, as krakenterm
// runs it) on the in-process paper exchange: PF_XBTUSD is in the watchlist and, once linked,
// fills the ladder, chart and tape from the Futures feeds while the Spot ticket keeps its pair;
// the Futures ticket places a resting limit through the confirmation dialog and the Futures
// blotter shows it open (and the Spot blotter does not); cancelling from the blotter closes
// it; a market buy fills, opens a position with a mark and PnL and moves the margin in the
// account summary; Close on the positions panel flattens it.

#include "app/gui/futuresdesk.h"
#include "app/gui/terminalsession.h"
#include "kraken/sim/futuresengine.h"
#include "kraken/sim/paperexchange.h"
#include "model/accountsummarymodel.h"
#include "model/candlemodel.h"
#include "model/fillsmodel.h"
#include "model/laddermodel.h"
#include "model/ordersmodel.h"
#include "model/positionsmodel.h"
#include "model/tradesmodel.h"
#include "model/tradingtypes.h"
#include "model/watchlistmodel.h"
#include "ui/futuresticket.h"
#include "ui/linkhub.h"
#include "ui/mainwindow.h"
#include "ui/orderconfirmdialog.h"
#include "ui/orderspanel.h"
#include "ui/orderticket.h"
#include "ui/positionspanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using model::OrderState;

namespace {

constexpr int Bound = 30'000;
const QString Contract = u"PF_XBTUSD"_s;

void confirmNextDialog() {
    QTimer::singleShot(0, [] {
        QTRY_VERIFY_WITH_TIMEOUT(
            qobject_cast<ui::OrderConfirmDialog *>(QApplication::activeModalWidget()) != nullptr,
            Bound);
        auto *dialog = qobject_cast<ui::OrderConfirmDialog *>(QApplication::activeModalWidget());
        if (dialog->understandBox())
            dialog->understandBox()->setChecked(true);
        dialog->confirmButton()->click();
    });
}

QLineEdit *field(ui::FuturesTicket *t, const char *name) {
    return t->findChild<QLineEdit *>(QString::fromLatin1(name));
}

void setType(ui::FuturesTicket *t, kraken::futures::FuturesOrderType wanted) {
    auto *type = t->findChild<QComboBox *>(u"orderType"_s);
    const int i = type->findData(int(wanted));
    QVERIFY(i >= 0);
    type->setCurrentIndex(i);
}

model::OrderRecord orderAt(const model::OrdersModel *m, int row) {
    return m->index(row, 0).data(model::OrdersModel::RecordRole).value<model::OrderRecord>();
}

int rowOfState(const model::OrdersModel *m, OrderState state) {
    for (int r = 0; r < m->rowCount(); ++r) {
        if (orderAt(m, r).state == state)
            return r;
    }
    return -1;
}

kraken::Decimal dec(const char *text) {
    return *kraken::Decimal::fromString(std::string_view(text));
}

} // namespace

class TestFuturesPaper : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void watchTradeAndFlatten();
    void restartAgainstAPersistentFuturesVenue();
};

void TestFuturesPaper::watchTradeAndFlatten() {
    QTemporaryDir dir;
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Paper;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    app::TerminalSession session(o);
    ui::MainWindow *w = session.window();
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), Bound);
    app::FuturesDesk *desk = session.futuresDesk();
    QTRY_VERIFY_WITH_TIMEOUT(desk->isReady(), Bound);
    QTRY_VERIFY_WITH_TIMEOUT(session.watchlistModel()->rowOf(Contract) >= 0, Bound);

    // Link the contract: the market panels follow it, the Spot ticket keeps its pair.
    w->linkHub()->setSymbol(app::TerminalSession::FeedGroup, Contract);
    QTRY_COMPARE_WITH_TIMEOUT(session.candleModel()->symbol(), Contract, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), Bound);
    QCOMPARE(w->tradingPanels().ticket->instrument().symbol(), u"BTC/USD"_s);
    ui::FuturesTicket *ticket = w->futuresPanels().ticket;
    QTRY_COMPARE_WITH_TIMEOUT(ticket->instrument().symbol(), Contract, Bound);
    QVERIFY(ticket->isVisible()); // raised over the Spot ticket it shares a tab with
    // The ladder shows the contract's book: whole-dollar prices (tick 1) around 64000.
    const int spread = session.ladderModel()->spreadRow();
    const QString bid =
        session.ladderModel()->index(spread + 1, model::LadderModel::Price).data().toString();
    QVERIFY2(!bid.isEmpty() && !bid.contains(u'.'), qPrintable(bid));

    // A resting buy limit through the Futures ticket and the confirmation dialog.
    ticket->prepareBuy();
    setType(ticket, kraken::futures::FuturesOrderType::Limit);
    field(ticket, "size")->setText(u"0.0100"_s);
    field(ticket, "limitPrice")->setText(u"50000"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!ticket->hasErrors(), Bound);
    confirmNextDialog();
    ticket->submit();
    model::OrdersModel *orders = desk->ordersModel();
    QTRY_COMPARE_WITH_TIMEOUT(orders->rowCount(), 1, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Open) == 0, Bound);
    const model::OrderRecord placed = orderAt(orders, 0);
    QCOMPARE(placed.symbol, Contract);
    QCOMPARE(placed.orderType, u"lmt"_s);
    QCOMPARE(*placed.limitPrice, dec("50000"));
    QVERIFY(!placed.orderId.isEmpty());
    QCOMPARE(session.ordersModel()->rowCount(), 0); // a separate account, a separate blotter
    QCOMPARE(desk->workingOrders(Contract).size(), 1);

    // Cancel from the Futures blotter.
    ui::OrdersPanel *blotter = w->futuresPanels().orders;
    blotter->setConfirmer([](const QString &) { return true; });
    blotter->setMode(ui::OrdersPanel::Mode::Open);
    blotter->view()->selectRow(0);
    QTRY_VERIFY(blotter->cancelAction()->isEnabled());
    blotter->cancelAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Cancelled) == 0, Bound);

    // A market buy fills: a Futures fill, a long position with a mark, margin in use.
    ticket->prepareBuy();
    setType(ticket, kraken::futures::FuturesOrderType::Market);
    field(ticket, "size")->setText(u"0.0100"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!ticket->hasErrors(), Bound);
    confirmNextDialog();
    ticket->submit();
    // The market moves on paper: the order may take more than one level, so more than one fill.
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Filled) >= 0, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(desk->fillsModel()->rowCount() >= 1, Bound);
    model::PositionsModel *positions = desk->positionsModel();
    QTRY_COMPARE_WITH_TIMEOUT(positions->rowCount(), 1, Bound);
    auto position = [positions] {
        return positions->index(0, 0)
            .data(model::PositionsModel::RecordRole)
            .value<model::PositionRecord>();
    };
    QTRY_VERIFY_WITH_TIMEOUT(position().size == dec("0.01") && position().markPrice.has_value(),
                             Bound);
    const model::PositionRecord pos = position();
    QCOMPARE(pos.symbol, Contract);
    QVERIFY(pos.entryPrice > dec("50000"));
    // The account summary holds the Futures flex account next to the Spot balances.
    model::AccountSummaryModel *account = desk->accountModel();
    auto hasRow = [account](int venue) {
        for (int r = 0; r < account->rowCount(); ++r) {
            if (account->index(r, 0).data(model::AccountSummaryModel::VenueRole).toInt() == venue)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasRow(int(model::AccountSummaryModel::VenueKind::Spot)), Bound);
    QTRY_VERIFY_WITH_TIMEOUT(hasRow(int(model::AccountSummaryModel::VenueKind::Futures)), Bound);

    const int fillsAfterBuy = desk->fillsModel()->rowCount();

    // Close from the positions panel: a reduce-only market sell of the whole size.
    ui::PositionsPanel *panel = w->futuresPanels().positions;
    panel->setConfirmer([](const QString &) { return true; });
    panel->findChild<QTableView *>()->selectRow(0);
    panel->closeSelected();
    QTRY_COMPARE_WITH_TIMEOUT(positions->rowCount(), 0, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(desk->fillsModel()->rowCount() > fillsAfterBuy, Bound);
    const model::OrderRecord close = orderAt(orders, orders->rowCount() - 1);
    QVERIFY(close.reduceOnly);
    QCOMPARE(close.side, model::OrderSide::Sell);
    QCOMPARE(close.qty, dec("0.01"));
}

void TestFuturesPaper::restartAgainstAPersistentFuturesVenue() {
    // A Kraken-Futures-compatible venue that outlives the terminal (the paper exchange in this
    // process, as `krakenterm-cli sim --state` would be) named by --futures-url, Futures keys
    // from the environment (no keychain here), and the same journal across two lives.
    kraken::sim::PaperExchange ex(kraken::sim::SimConfig::builtIn());
    ex.setStepInterval(0);
    QVERIFY(ex.start(0, 0, 0));
    const kraken::sim::SimAccount account = ex.config().accounts.front();
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kt-no-bus");
    qputenv("KRAKEN_SPOT_API_KEY", account.apiKey.toUtf8());
    qputenv("KRAKEN_SPOT_API_SECRET", account.secret.toUtf8());
    qputenv("KRAKEN_FUTURES_API_KEY", account.futuresApiKey.toUtf8());
    qputenv("KRAKEN_FUTURES_API_SECRET", account.futuresSecret.toUtf8());
    QTemporaryDir dir;
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Mainnet;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    o.journalPath = dir.filePath(u"journal.sqlite"_s);
    o.mainnetRestUrl = ex.restUrl();
    o.mainnetWsUrl = ex.wsUrl();
    o.mainnetWsAuthUrl = ex.wsAuthUrl();
    o.futuresRestUrl = ex.futuresRestUrl();
    o.futuresWsUrl = ex.futuresWsUrl();

    QString resting;
    {
        app::TerminalSession first(o);
        first.window()->show();
        first.start();
        app::FuturesDesk *desk = first.futuresDesk();
        QTRY_VERIFY_WITH_TIMEOUT(desk->isReady(), Bound);
        QTRY_VERIFY_WITH_TIMEOUT(first.watchlistModel()->rowOf(Contract) >= 0, Bound);
        first.window()->linkHub()->setSymbol(app::TerminalSession::FeedGroup, Contract);
        ui::FuturesTicket *ticket = first.window()->futuresPanels().ticket;
        QTRY_COMPARE_WITH_TIMEOUT(ticket->instrument().symbol(), Contract, Bound);
        ticket->prepareBuy();
        setType(ticket, kraken::futures::FuturesOrderType::Limit);
        field(ticket, "size")->setText(u"0.0200"_s);
        field(ticket, "limitPrice")->setText(u"50000"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!ticket->hasErrors(), Bound);
        confirmNextDialog();
        ticket->submit();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfState(desk->ordersModel(), OrderState::Open) == 0, Bound);
        resting = orderAt(desk->ordersModel(), 0).clOrdId;
        // The terminal goes away here.
    }
    QVERIFY(QFile::exists(o.journalPath + u".futures"_s)); // never the Spot journal
    // While it is gone: the resting order is cancelled on the web and another one placed.
    QCOMPARE(ex.futures().cancelOrder(account.id, {}, resting).status, u"cancelled"_s);
    kraken::sim::FuturesOrderParams web;
    web.orderType = u"lmt"_s;
    web.symbol = Contract;
    web.side = u"sell"_s;
    web.size = dec("0.03");
    web.limitPrice = dec("80000");
    const kraken::sim::FuturesResult placed = ex.futures().sendOrder(account.id, web);
    QCOMPARE(placed.status, u"placed"_s);

    app::TerminalSession second(o);
    second.window()->show();
    second.start();
    app::FuturesDesk *desk = second.futuresDesk();
    QTRY_VERIFY_WITH_TIMEOUT(desk->isReady(), Bound);
    model::OrdersModel *orders = desk->ordersModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        orders->find(resting) && orders->find(resting)->state == OrderState::Cancelled, Bound);
    const QString adopted = u"ext:"_s + placed.orderId;
    QTRY_VERIFY_WITH_TIMEOUT(
        orders->find(adopted) && orders->find(adopted)->state == OrderState::Open, Bound);
    QCOMPARE(orders->rowCount(), 2);
    QCOMPARE(second.ordersModel()->rowCount(), 0);
    // The adopted order is the trader's to cancel, by its Kraken order id.
    desk->cancel({adopted});
    QTRY_VERIFY_WITH_TIMEOUT(orders->find(adopted)->state == OrderState::Cancelled, Bound);
    QVERIFY(ex.futures().openOrders(account.id).empty());
    second.shutdown();
}

QTEST_MAIN(TestFuturesPaper)
#include "tst_futures_paper.moc"
