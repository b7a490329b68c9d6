// The blotter panels offscreen: OrdersPanel asks to cancel the selection on Delete and on
// its action (only orders that can still be cancelled), confirms Cancel all, turns an
// inline price edit into amendRequested with the exact Decimal while the row stays as the
// manager last reported it, switches open/history/all and symbols, and exports what it
// shows; FillsPanel filters and exports; BalancesPanel hides zero balances; FillNotifier
// falls back to a status message without a tray.

#include "model/balancesmodel.h"
#include "model/fillsfiltermodel.h"
#include "model/fillsmodel.h"
#include "model/ordersfiltermodel.h"
#include "model/ordersmodel.h"
#include "ui/balancespanel.h"
#include "ui/fillnotifier.h"
#include "ui/fillspanel.h"
#include "ui/orderspanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::OrderRecord;
using model::OrdersModel;
using model::OrderState;

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

OrderRecord order(int n, OrderState state = OrderState::Open,
                  const QString &symbol = u"BTC/USD"_s) {
    OrderRecord o;
    o.clOrdId = u"cl-"_s + QString::number(n);
    o.orderId = u"O"_s + QString::number(n);
    o.symbol = symbol;
    o.orderType = u"limit"_s;
    o.timeInForce = u"GTC"_s;
    o.qty = dec("0.5");
    o.limitPrice = dec("95000.1");
    o.state = state;
    o.createdMs = 1714564800000 + n * 1000;
    return o;
}

model::FillRecord fill(int n, const QString &symbol) {
    model::FillRecord f;
    f.tradeId = u"T"_s + QString::number(n);
    f.orderId = u"O1"_s;
    f.symbol = symbol;
    f.side = n % 2 ? model::OrderSide::Sell : model::OrderSide::Buy;
    f.price = dec("95000.1");
    f.qty = dec("0.1");
    f.cost = dec("9500.01");
    f.fee = dec("1.5");
    f.feeAsset = u"USD"_s;
    f.timeMs = 1714564800000 + n * 1000;
    return f;
}

// The proxy row showing `clOrdId`, or -1.
int rowOf(const QAbstractItemModel *m, const QString &clOrdId) {
    for (int row = 0; row < m->rowCount(); ++row)
        if (m->index(row, 0).data(OrdersModel::ClOrdIdRole).toString() == clOrdId)
            return row;
    return -1;
}

void selectOrders(QTableView *view, const QStringList &ids) {
    view->clearSelection();
    for (const QString &id : ids) {
        const int row = rowOf(view->model(), id);
        QVERIFY(row >= 0);
        view->selectionModel()->select(view->model()->index(row, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

QStringList readLines(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split(u"\r\n"_s);
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestBlotters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deleteCancelsSelection();
    void cancelActionCancelsSelection();
    void cancelAllAsksFirst();
    void inlinePriceEditRequestsAmend();
    void modesAndSymbols();
    void ordersExportWritesTheFile();
    void fillsPanelFiltersAndExports();
    void balancesPanelHidesZero();
    void notifierFallsBackToStatusBar();
};

void TestBlotters::deleteCancelsSelection() {
    OrdersModel model;
    model.applyOrders({order(1), order(2, OrderState::PartiallyFilled),
                       order(3, OrderState::Filled), order(4, OrderState::PendingCancel),
                       order(5)});
    ui::OrdersPanel panel(&model);
    panel.setMode(ui::OrdersPanel::Mode::All);
    panel.resize(900, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy cancel(&panel, &ui::OrdersPanel::cancelRequested);
    // Filled and already-cancelling orders are left out; view order is newest first.
    selectOrders(panel.view(), {u"cl-1"_s, u"cl-2"_s, u"cl-3"_s, u"cl-4"_s});
    panel.view()->setFocus();
    QTest::keyClick(panel.view(), Qt::Key_Delete);
    QCOMPARE(cancel.count(), 1);
    QCOMPARE(cancel.at(0).at(0).toStringList(), (QStringList{u"cl-2"_s, u"cl-1"_s}));

    // Nothing cancellable selected: no request.
    selectOrders(panel.view(), {u"cl-3"_s});
    QTest::keyClick(panel.view(), Qt::Key_Delete);
    QCOMPARE(cancel.count(), 1);
}

void TestBlotters::cancelActionCancelsSelection() {
    OrdersModel model;
    model.applyOrders({order(1), order(2), order(3)});
    ui::OrdersPanel panel(&model);
    QSignalSpy cancel(&panel, &ui::OrdersPanel::cancelRequested);
    QVERIFY(!panel.cancelAction()->isEnabled());
    selectOrders(panel.view(), {u"cl-3"_s, u"cl-1"_s});
    QVERIFY(panel.cancelAction()->isEnabled());
    panel.cancelAction()->trigger();
    QCOMPARE(cancel.count(), 1);
    QCOMPARE(cancel.at(0).at(0).toStringList(), (QStringList{u"cl-3"_s, u"cl-1"_s}));
    // Once the manager reports PendingCancel the action has nothing left to do.
    model.applyOrders({order(1, OrderState::PendingCancel), order(3, OrderState::PendingCancel)});
    QVERIFY(!panel.cancelAction()->isEnabled());
}

void TestBlotters::cancelAllAsksFirst() {
    OrdersModel model;
    model.applyOrders(
        {order(1), order(2, OrderState::Cancelled), order(3, OrderState::Open, u"ETH/USD"_s)});
    ui::OrdersPanel panel(&model);
    QSignalSpy all(&panel, &ui::OrdersPanel::cancelAllRequested);
    QString asked;
    bool answer = false;
    panel.setConfirmer([&](const QString &question) {
        asked = question;
        return answer;
    });
    panel.cancelAllAction()->trigger();
    QCOMPARE(asked, u"Cancel all 2 open orders, on every symbol?"_s);
    QCOMPARE(all.count(), 0);
    answer = true;
    panel.cancelAllAction()->trigger();
    QCOMPARE(all.count(), 1);
}

void TestBlotters::inlinePriceEditRequestsAmend() {
    OrdersModel model;
    model.setPrecisions({{u"BTC/USD"_s, {1, 8}}});
    model.applyOrders({order(1), order(2)});
    ui::OrdersPanel panel(&model);
    panel.resize(900, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy amend(&panel, &ui::OrdersPanel::amendRequested);

    QTableView *view = panel.view();
    const QModelIndex price =
        view->model()->index(rowOf(view->model(), u"cl-2"_s), OrdersModel::Price);
    QVERIFY(price.flags() & Qt::ItemIsEditable);
    view->setCurrentIndex(price);
    view->edit(price);
    auto *editor = qobject_cast<QLineEdit *>(view->indexWidget(price));
    QVERIFY(editor);
    QCOMPARE(editor->text(), u"95000.1"_s);
    editor->setText(u"94999.95"_s);
    QTest::keyClick(editor, Qt::Key_Return);

    // The delegate commits on Return through a queued call.
    QTRY_COMPARE(amend.count(), 1);
    QCOMPARE(amend.at(0).at(0).toString(), u"cl-2"_s);
    QVERIFY(!amend.at(0).at(1).value<std::optional<Decimal>>().has_value());
    const auto requested = amend.at(0).at(2).value<std::optional<Decimal>>();
    QVERIFY(requested && requested->identical(dec("94999.95")));
    // The row still shows what the manager last reported.
    QVERIFY(model.find(u"cl-2"_s)->limitPrice->identical(dec("95000.1")));
    QCOMPARE(price.data().toString(), u"95000.1"_s);

    // The amend action opens the same editor on the current order's price.
    view->setCurrentIndex(view->model()->index(rowOf(view->model(), u"cl-1"_s), 0));
    QVERIFY(panel.amendAction()->isEnabled());
    panel.amendAction()->trigger();
    QCOMPARE(view->currentIndex().column(), int(OrdersModel::Price));
    QVERIFY(qobject_cast<QLineEdit *>(view->indexWidget(view->currentIndex())));
}

void TestBlotters::modesAndSymbols() {
    OrdersModel model;
    model.applyOrders(
        {order(1), order(2, OrderState::Filled), order(3, OrderState::Open, u"ETH/USD"_s)});
    ui::OrdersPanel panel(&model);
    QCOMPARE(panel.mode(), ui::OrdersPanel::Mode::Open);
    QCOMPARE(panel.view()->model()->rowCount(), 2);
    panel.modeBar()->setCurrentIndex(1);
    QCOMPARE(panel.filter()->mode(), model::OrdersFilterModel::Mode::History);
    QCOMPARE(panel.view()->model()->rowCount(), 1);
    panel.setMode(ui::OrdersPanel::Mode::All);
    QCOMPARE(panel.view()->model()->rowCount(), 3);

    QComboBox *symbols = panel.symbolFilter();
    QCOMPARE(symbols->count(), 3); // All, BTC/USD, ETH/USD
    symbols->setCurrentIndex(symbols->findData(u"ETH/USD"_s));
    QCOMPARE(panel.view()->model()->rowCount(), 1);
    // A new symbol arrives: the choice stays.
    model.applyOrders({order(4, OrderState::Open, u"ADA/USD"_s)});
    QCOMPARE(symbols->count(), 4);
    QCOMPARE(symbols->currentData().toString(), u"ETH/USD"_s);
    // The symbol goes away in a reload: back to every symbol.
    model.resetOrders({order(1)});
    QCOMPARE(symbols->currentIndex(), 0);
    QCOMPARE(panel.filter()->symbol(), QString());
    QCOMPARE(panel.view()->model()->rowCount(), 1);

    panel.searchField()->setText(u"nothing matches"_s);
    QCOMPARE(panel.view()->model()->rowCount(), 0);
}

void TestBlotters::ordersExportWritesTheFile() {
    OrdersModel model;
    OrderRecord quoted = order(2);
    quoted.reason = u"a \"quoted\", reason"_s;
    model.applyOrders({order(1), quoted, order(3, OrderState::Filled)});
    ui::OrdersPanel panel(&model);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"orders.csv"_s);
    QVERIFY(panel.exportTo(path));
    const QStringList lines = readLines(path);
    QCOMPARE(lines.size(), 3); // header + the two open orders, hidden columns included
    QVERIFY(lines.at(0).startsWith(u"Time,Symbol,Side,Type,Price"_s));
    QVERIFY(lines.at(0).endsWith(u"Client order id,Order id"_s));
    QVERIFY(lines.at(1).endsWith(u",\"a \"\"quoted\"\", reason\",cl-2,O2"_s));
    QVERIFY(lines.at(2).endsWith(u",cl-1,O1"_s));
    QString error;
    QVERIFY(!panel.exportTo(dir.filePath(u"no/such/dir/orders.csv"_s), &error));
    QVERIFY(!error.isEmpty());
}

void TestBlotters::fillsPanelFiltersAndExports() {
    model::FillsModel model;
    model.addFills({fill(1, u"BTC/USD"_s), fill(2, u"ETH/USD"_s), fill(3, u"BTC/USD"_s)});
    ui::FillsPanel panel(&model);
    QCOMPARE(panel.view()->model()->rowCount(), 3);
    QCOMPARE(panel.view()->model()->index(0, model::FillsModel::TradeId).data().toString(),
             u"T3"_s);
    panel.symbolFilter()->setCurrentIndex(panel.symbolFilter()->findData(u"ETH/USD"_s));
    QCOMPARE(panel.view()->model()->rowCount(), 1);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"fills.csv"_s);
    QVERIFY(panel.exportTo(path));
    const QStringList lines = readLines(path);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(u"Time,Symbol,Side,Price,Qty,Cost,Fee,Fee asset"_s));
    QVERIFY(lines.at(1).endsWith(u",ETH/USD,Buy,95000.1,0.1,9500.01,1.5,USD,Taker,O1,T2"_s));
}

void TestBlotters::balancesPanelHidesZero() {
    model::BalancesModel model;
    model.setBalances({{u"BTC"_s, dec("1.5"), dec("0.5")},
                       {u"DOGE"_s, dec("0"), dec("0")},
                       {u"USD"_s, dec("100"), dec("0")}});
    ui::BalancesPanel panel(&model);
    QVERIFY(panel.hideZeroBox()->isChecked());
    QAbstractItemModel *shown = panel.view()->model();
    QCOMPARE(shown->rowCount(), 2);
    QCOMPARE(shown->index(0, model::BalancesModel::Available).data().toString(), u"1.0"_s);
    panel.hideZeroBox()->setChecked(false);
    QCOMPARE(shown->rowCount(), 3);
}

void TestBlotters::notifierFallsBackToStatusBar() {
    ui::FillNotifier notifier;
    QSignalSpy status(&notifier, &ui::FillNotifier::statusMessage);
    notifier.notify({fill(2, u"BTC/USD"_s)});
    QCOMPARE(status.count(), 1);
    QCOMPARE(status.at(0).at(0).toString(), u"Bought 0.1 BTC/USD @ 95000.1"_s);
    notifier.notify({fill(1, u"BTC/USD"_s), fill(2, u"ETH/USD"_s), fill(3, u"BTC/USD"_s),
                     fill(4, u"BTC/USD"_s)});
    QCOMPARE(status.at(1).at(0).toString(),
             u"4 fills: Sold 0.1 BTC/USD @ 95000.1; Bought 0.1 ETH/USD @ 95000.1; "
             u"Sold 0.1 BTC/USD @ 95000.1; …"_s);
    notifier.setEnabled(false);
    notifier.notify({fill(5, u"BTC/USD"_s)});
    QCOMPARE(status.count(), 2);
}

QTEST_MAIN(TestBlotters)
#include "tst_blotters.moc"
