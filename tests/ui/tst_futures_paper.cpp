// Kraken Futures end to end in the terminal's own composition (TerminalSession, as krakenterm
// runs it) on the in-process paper exchange: PF_XBTUSD is in the watchlist and, once linked,
// fills the ladder, chart and tape from the Futures feeds while the Spot ticket keeps its pair;
// the Futures ticket places a resting limit through the confirmation dialog and the Futures
// blotter shows it open (and the Spot blotter does not); cancelling from the blotter closes
// it; a market buy fills, opens a position with a mark and PnL and moves the margin in the
// account summary; Close on the positions panel flattens it.

#include "app/gui/futuresdesk.h"
#include "app/gui/terminalsession.h"
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
    QTRY_COMPARE_WITH_TIMEOUT(desk->fillsModel()->rowCount(), 1, Bound);
    model::PositionsModel *positions = desk->positionsModel();
    QTRY_COMPARE_WITH_TIMEOUT(positions->rowCount(), 1, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(positions->index(0, 0)
                                 .data(model::PositionsModel::RecordRole)
                                 .value<model::PositionRecord>()
                                 .markPrice.has_value(),
                             Bound);
    const model::PositionRecord pos = positions->index(0, 0)
                                          .data(model::PositionsModel::RecordRole)
                                          .value<model::PositionRecord>();
    QCOMPARE(pos.symbol, Contract);
    QCOMPARE(pos.size, dec("0.01"));
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

    // Close from the positions panel: a reduce-only market sell of the whole size.
    ui::PositionsPanel *panel = w->futuresPanels().positions;
    panel->setConfirmer([](const QString &) { return true; });
    panel->findChild<QTableView *>()->selectRow(0);
    panel->closeSelected();
    QTRY_COMPARE_WITH_TIMEOUT(positions->rowCount(), 0, Bound);
    QTRY_COMPARE_WITH_TIMEOUT(desk->fillsModel()->rowCount(), 2, Bound);
}

QTEST_MAIN(TestFuturesPaper)
#include "tst_futures_paper.moc"
