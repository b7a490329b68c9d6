// LadderPanel over a LadderModel fed a known book: the view shows asks (highest first), the
// spread row and bids in order with their sizes and totals; changing the grouping combo
// changes what the view shows (buckets of 5 and 10 ticks, sizes summed); the view keeps the
// spread row in sight and stops following when the user scrolls; the delegate paints.
// Ladder trading: locked by default (clicks, keys and drags emit nothing but a hint);
// unlocked, a click on a bid row's Size/Total asks to buy at the row's exact price (the
// bucket edge when grouped), on an ask row to sell; the Price column only selects; dragging
// an order tag to another row of its side asks to amend to that price, Esc aborts, across
// the spread is refused; Delete cancels the selected row's orders; B / S / Ctrl+Shift+X;
// locking again silences everything.

#include "model/laddermodel.h"
#include "tests/model/modeltestsupport.h"
#include "ui/ladderpanel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {

using modeltest::dec;

// BTC/USD-like: price 1 decimal, qty 8; tick 0.1.
model::BookPtr knownBook() {
    auto b = std::make_shared<kraken::book::BookSnapshot>();
    b->symbol = u"BTC/USD"_s;
    b->pricePrecision = 1;
    b->qtyPrecision = 8;
    // asks 100.1 .. 100.8 (qty 1..8), bids 100.0 down to 99.3 (qty 0.5 each)
    for (int i = 0; i < 8; ++i)
        b->asks.push_back({1001 + i, std::int64_t(i + 1) * 100000000});
    for (int i = 0; i < 8; ++i)
        b->bids.push_back({1000 - i, 50000000});
    return b;
}

QStringList column(const QTableView *view, int col, int from, int to) {
    QStringList out;
    for (int r = from; r <= to; ++r)
        out << view->model()->index(r, col).data().toString();
    return out;
}

QPoint centre(const QTableView *view, int row, int col) {
    return view->visualRect(view->model()->index(row, col)).center();
}

void click(QTableView *view, int row, int col) {
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre(view, row, col));
}

// Press on one cell, move in steps to another, release there.
void drag(QTableView *view, int fromRow, int toRow, bool escapeBeforeRelease = false) {
    const QPoint from = centre(view, fromRow, model::LadderModel::Price);
    const QPoint to = centre(view, toRow, model::LadderModel::Price);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view->viewport(), from + QPoint(0, (to.y() - from.y()) / 2));
    QTest::mouseMove(view->viewport(), to);
    if (escapeBeforeRelease)
        QTest::keyClick(view, Qt::Key_Escape);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
}

QString sideName(const QVariant &v) {
    return v.value<kraken::spot::Side>() == kraken::spot::Side::Buy ? u"buy"_s : u"sell"_s;
}

QString decimalText(const QVariant &v) {
    return v.value<kraken::Decimal>().toString();
}

// A panel over a 5-level model of knownBook(), shown and active. Rows: 0..4 asks 100.5 down
// to 100.1, 5 the spread, 6..10 bids 100.0 down to 99.6.
struct Fixture {
    model::LadderModel model{5};
    ui::LadderPanel panel{&model};
    Fixture() {
        model.setTickSize(dec("0.1"));
        model.setBook(knownBook());
        panel.resize(360, 500);
        panel.show();
    }
    bool ready() {
        if (!QTest::qWaitForWindowActive(&panel))
            return false;
        panel.view()->setFocus();
        return true;
    }
};

} // namespace

class TestLadderPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsLevelsInOrder();
    void groupingChangesWhatItShows();
    void followsSpreadUntilUserScrolls();
    void lockedByDefault();
    void unlockedClickPlacesOrders();
    void groupedClickUsesBucketEdge();
    void dragAmendsPrice();
    void dragAbortedOrRefused();
    void deleteCancelsSelectedRow();
    void shortcuts();
    void lockingAgainSilencesEverything();
};

void TestLadderPanel::showsLevelsInOrder() {
    model::LadderModel model(5);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.resize(360, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView *view = panel.view();
    QCOMPARE(view->model()->rowCount(), 11);
    // Asks, highest of the 5 nearest first, then the spread, then bids from the best down.
    QCOMPARE(column(view, 0, 0, 4),
             QStringList({u"100.5"_s, u"100.4"_s, u"100.3"_s, u"100.2"_s, u"100.1"_s}));
    QCOMPARE(view->model()->index(5, 0).data().toString(), u"0.1"_s);
    QCOMPARE(column(view, 0, 6, 10),
             QStringList({u"100.0"_s, u"99.9"_s, u"99.8"_s, u"99.7"_s, u"99.6"_s}));
    QCOMPARE(column(view, 1, 0, 4), QStringList({u"5.00000000"_s, u"4.00000000"_s, u"3.00000000"_s,
                                                 u"2.00000000"_s, u"1.00000000"_s}));
    QCOMPARE(column(view, 2, 6, 7), QStringList({u"0.50000000"_s, u"1.00000000"_s}));
    // The rows the view actually paints: every level row is laid out top to bottom in order.
    int lastY = -1;
    for (int r = 0; r < 11; ++r) {
        const int y = view->rowViewportPosition(r);
        QVERIFY2(y > lastY, qPrintable(QString::number(r)));
        lastY = y;
    }
    // The delegate paints (size bars, flash, spread row) without trouble.
    const QImage img = panel.grab().toImage();
    QVERIFY(!img.isNull());
}

void TestLadderPanel::groupingChangesWhatItShows() {
    model::LadderModel model(3);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QComboBox *combo = panel.groupingCombo();
    QCOMPARE(combo->count(), 5);
    QList<int> values;
    for (int i = 0; i < combo->count(); ++i)
        values << combo->itemData(i).toInt();
    QCOMPARE(values, QList<int>({1, 5, 10, 25, 100}));

    QCOMPARE(column(panel.view(), 0, 0, 2), QStringList({u"100.3"_s, u"100.2"_s, u"100.1"_s}));
    combo->setCurrentIndex(1); // 5 ticks = 0.5
    QCOMPARE(model.grouping(), 5);
    // Asks round up to 100.5 (100.1..100.5: 1+2+3+4+5) and 101.0 (100.6..100.8: 6+7+8);
    // bids round down to 100.0 (100.0: 0.5) and 99.5 (99.9..99.5: 2.5), 99.0 (99.4, 99.3).
    QCOMPARE(column(panel.view(), 0, 1, 2), QStringList({u"101.0"_s, u"100.5"_s}));
    QCOMPARE(column(panel.view(), 1, 1, 2), QStringList({u"21.00000000"_s, u"15.00000000"_s}));
    QCOMPARE(column(panel.view(), 0, 4, 6), QStringList({u"100.0"_s, u"99.5"_s, u"99.0"_s}));
    QCOMPARE(column(panel.view(), 1, 4, 6),
             QStringList({u"0.50000000"_s, u"2.50000000"_s, u"1.00000000"_s}));
    QVERIFY(panel.view()->model()->index(0, 0).data().toString().isEmpty()); // only 2 ask buckets

    combo->setCurrentIndex(2); // 10 ticks = 1.0
    QCOMPARE(column(panel.view(), 0, 2, 2), QStringList({u"101.0"_s}));
    QCOMPARE(column(panel.view(), 1, 2, 2), QStringList({u"36.00000000"_s}));
    combo->setCurrentIndex(0);
    QCOMPARE(column(panel.view(), 0, 0, 2), QStringList({u"100.3"_s, u"100.2"_s, u"100.1"_s}));
}

void TestLadderPanel::followsSpreadUntilUserScrolls() {
    model::LadderModel model(20);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.resize(360, 260); // far fewer rows than 41 fit
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView *view = panel.view();
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
    const auto spreadVisible = [&] {
        const int y = view->rowViewportPosition(model.spreadRow());
        return y >= 0 && y + view->rowHeight(model.spreadRow()) <= view->viewport()->height();
    };
    QTRY_VERIFY(spreadVisible());
    QVERIFY(panel.isFollowingSpread());
    view->verticalScrollBar()->setValue(0); // the user scrolls to the top
    QVERIFY(!panel.isFollowingSpread());
    QVERIFY(!spreadVisible());
    model.setBook(knownBook());
    QCOMPARE(view->verticalScrollBar()->value(), 0); // left where the user put it
    panel.recentre();
    QVERIFY(panel.isFollowingSpread());
    QVERIFY(spreadVisible());
}

void TestLadderPanel::lockedByDefault() {
    Fixture f;
    QVERIFY(f.ready());
    QToolButton *lock = f.panel.lockButton();
    QVERIFY(f.panel.isLocked());
    QVERIFY(lock->isCheckable());
    QVERIFY(!lock->isChecked());
    QCOMPARE(lock->text(), u"Locked"_s);
    QVERIFY(!lock->accessibleName().isEmpty());
    QVERIFY(!lock->toolTip().isEmpty());
    f.model.setOwnOrders(
        {modeltest::limitOrder("b1", model::OrderSide::Buy, "99.8", "0.5")}); // row 8

    QSignalSpy place(&f.panel, &ui::LadderPanel::placeOrderRequested);
    QSignalSpy amend(&f.panel, &ui::LadderPanel::amendPriceRequested);
    QSignalSpy cancel(&f.panel, &ui::LadderPanel::cancelRequested);
    QSignalSpy cancelAll(&f.panel, &ui::LadderPanel::cancelAllRequested);
    QSignalSpy prepare(&f.panel, &ui::LadderPanel::prepareTicketRequested);
    QSignalSpy hints(&f.panel, &ui::LadderPanel::statusHint);
    QTableView *view = f.panel.view();
    click(view, 7, model::LadderModel::Size);
    click(view, 2, model::LadderModel::Cumulative);
    QCOMPARE(hints.count(), 2);
    QVERIFY(hints.at(0).at(0).toString().startsWith(u"Ladder is locked"_s));
    drag(view, 8, 10);
    click(view, 8, model::LadderModel::Price); // selects the row with the order
    QTest::keyClick(view, Qt::Key_Delete);
    QTest::keyClick(view, Qt::Key_B);
    QTest::keyClick(view, Qt::Key_S);
    QTest::keyClick(view, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(place.count(), 0);
    QCOMPARE(amend.count(), 0);
    QCOMPARE(cancel.count(), 0);
    QCOMPARE(cancelAll.count(), 0);
    QCOMPARE(prepare.count(), 0);
    QVERIFY(hints.count() >= 6);
    // A new panel is locked again whatever the last one did.
    f.panel.setLocked(false);
    ui::LadderPanel second(&f.model);
    QVERIFY(second.isLocked());
}

void TestLadderPanel::unlockedClickPlacesOrders() {
    Fixture f;
    QVERIFY(f.ready());
    QSignalSpy locked(&f.panel, &ui::LadderPanel::lockedChanged);
    f.panel.lockButton()->click();
    QVERIFY(!f.panel.isLocked());
    QCOMPARE(f.panel.lockButton()->text(), u"Trading"_s);
    QCOMPARE(locked.count(), 1);
    QCOMPARE(locked.at(0).at(0).toBool(), false);

    QSignalSpy place(&f.panel, &ui::LadderPanel::placeOrderRequested);
    QTableView *view = f.panel.view();
    click(view, 7, model::LadderModel::Size); // bid 99.9
    QCOMPARE(place.count(), 1);
    QCOMPARE(sideName(place.at(0).at(0)), u"buy"_s);
    QCOMPARE(decimalText(place.at(0).at(1)), u"99.9"_s);
    click(view, 3, model::LadderModel::Cumulative); // ask 100.2
    QCOMPARE(place.count(), 2);
    QCOMPARE(sideName(place.at(1).at(0)), u"sell"_s);
    QCOMPARE(decimalText(place.at(1).at(1)), u"100.2"_s);
    click(view, 6, model::LadderModel::Size); // the best bid itself
    QCOMPARE(place.count(), 3);
    QCOMPARE(sideName(place.at(2).at(0)), u"buy"_s);
    QCOMPARE(decimalText(place.at(2).at(1)), u"100.0"_s);
    // The Price column only selects; the spread row is not a price.
    click(view, 9, model::LadderModel::Price);
    click(view, 5, model::LadderModel::Size);
    QCOMPARE(place.count(), 3);
    // Pressed on one row, released on another: not a click.
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, centre(view, 8, 1));
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, centre(view, 9, 1));
    QCOMPARE(place.count(), 3);
    // The paint of the unlocked ladder works.
    QVERIFY(!f.panel.grab().toImage().isNull());
}

void TestLadderPanel::groupedClickUsesBucketEdge() {
    Fixture f;
    QVERIFY(f.ready());
    f.panel.setLocked(false);
    f.panel.groupingCombo()->setCurrentIndex(1); // 5 ticks = 0.5
    QSignalSpy place(&f.panel, &ui::LadderPanel::placeOrderRequested);
    QTableView *view = f.panel.view();
    // Bids: 100.0, 99.5 (99.9..99.5), 99.0; asks (rows 3, 4): 101.0, 100.5.
    click(view, 7, model::LadderModel::Size);
    QCOMPARE(place.count(), 1);
    QCOMPARE(sideName(place.at(0).at(0)), u"buy"_s);
    QCOMPARE(decimalText(place.at(0).at(1)), u"99.5"_s); // the bucket's lowest price
    click(view, 4, model::LadderModel::Size);
    QCOMPARE(place.count(), 2);
    QCOMPARE(sideName(place.at(1).at(0)), u"sell"_s);
    QCOMPARE(decimalText(place.at(1).at(1)), u"100.5"_s); // the bucket's highest price
    click(view, 0, model::LadderModel::Size);             // empty row: no price
    QCOMPARE(place.count(), 2);
}

void TestLadderPanel::dragAmendsPrice() {
    Fixture f;
    QVERIFY(f.ready());
    f.panel.setLocked(false);
    f.model.setOwnOrders({modeltest::limitOrder("b1", model::OrderSide::Buy, "99.8", "0.5"),
                          modeltest::limitOrder("b2", model::OrderSide::Buy, "99.8", "0.25"),
                          modeltest::limitOrder("s1", model::OrderSide::Sell, "100.4", "1")});
    QTableView *view = f.panel.view();
    QCOMPARE(view->model()->index(8, 0).data(model::LadderModel::OwnBuyQtyRole).toString(),
             u"0.75000000"_s);
    QSignalSpy amend(&f.panel, &ui::LadderPanel::amendPriceRequested);
    QSignalSpy place(&f.panel, &ui::LadderPanel::placeOrderRequested);

    // Mid-drag the panel is dragging and the preview is painted.
    const QPoint from = centre(view, 8, model::LadderModel::Price);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view->viewport(), centre(view, 10, model::LadderModel::Price));
    QVERIFY(f.panel.isDragging());
    QVERIFY(!f.panel.grab().toImage().isNull());
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {},
                        centre(view, 10, model::LadderModel::Price));
    QVERIFY(!f.panel.isDragging());
    QCOMPARE(amend.count(), 1);
    QCOMPARE(amend.at(0).at(0).toStringList(), QStringList({u"b1"_s, u"b2"_s}));
    QCOMPARE(decimalText(amend.at(0).at(1)), u"99.6"_s);

    // The sell on the ask side moves up to 100.5 (row 0).
    drag(view, 1, 0);
    QCOMPARE(amend.count(), 2);
    QCOMPARE(amend.at(1).at(0).toStringList(), QStringList({u"s1"_s}));
    QCOMPARE(decimalText(amend.at(1).at(1)), u"100.5"_s);
    // Dropped back on its own row: no amend.
    drag(view, 8, 8);
    QCOMPARE(amend.count(), 2);
    QCOMPARE(place.count(), 0); // a drag is never a click
}

void TestLadderPanel::dragAbortedOrRefused() {
    Fixture f;
    QVERIFY(f.ready());
    f.panel.setLocked(false);
    f.model.setOwnOrders({modeltest::limitOrder("b1", model::OrderSide::Buy, "99.8", "0.5")});
    QTableView *view = f.panel.view();
    QSignalSpy amend(&f.panel, &ui::LadderPanel::amendPriceRequested);
    QSignalSpy hints(&f.panel, &ui::LadderPanel::statusHint);
    drag(view, 8, 10, true); // Esc before the drop
    QVERIFY(!f.panel.isDragging());
    QCOMPARE(amend.count(), 0);
    QCOMPARE(hints.count(), 1);
    QCOMPARE(hints.at(0).at(0).toString(), u"Drag cancelled"_s);
    // Across the spread (a buy dropped on an ask row) is refused with a hint.
    hints.clear();
    drag(view, 8, 2);
    QCOMPARE(amend.count(), 0);
    QCOMPARE(hints.count(), 1);
    // A row without own orders has nothing to drag.
    drag(view, 9, 10);
    QCOMPARE(amend.count(), 0);
    // Still works after all that.
    drag(view, 8, 9);
    QCOMPARE(amend.count(), 1);
    QCOMPARE(decimalText(amend.at(0).at(1)), u"99.7"_s);
}

void TestLadderPanel::deleteCancelsSelectedRow() {
    Fixture f;
    QVERIFY(f.ready());
    f.panel.setLocked(false);
    f.model.setOwnOrders({modeltest::limitOrder("b1", model::OrderSide::Buy, "99.8", "0.5"),
                          modeltest::limitOrder("s1", model::OrderSide::Sell, "100.3", "1")});
    QTableView *view = f.panel.view();
    QSignalSpy cancel(&f.panel, &ui::LadderPanel::cancelRequested);
    click(view, 8, model::LadderModel::Price);
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(cancel.count(), 1);
    QCOMPARE(cancel.at(0).at(0).toStringList(), QStringList({u"b1"_s}));
    click(view, 2, model::LadderModel::Price);
    QTest::keyClick(view, Qt::Key_Backspace);
    QCOMPARE(cancel.count(), 2);
    QCOMPARE(cancel.at(1).at(0).toStringList(), QStringList({u"s1"_s}));
    // A row without own orders: nothing to cancel.
    click(view, 9, model::LadderModel::Price);
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(cancel.count(), 2);
}

void TestLadderPanel::shortcuts() {
    Fixture f;
    QVERIFY(f.ready());
    f.panel.setLocked(false);
    QTableView *view = f.panel.view();
    QSignalSpy prepare(&f.panel, &ui::LadderPanel::prepareTicketRequested);
    QSignalSpy cancelAll(&f.panel, &ui::LadderPanel::cancelAllRequested);
    QTest::keyClick(view, Qt::Key_B);
    QCOMPARE(prepare.count(), 1);
    QCOMPARE(sideName(prepare.at(0).at(0)), u"buy"_s);
    QCOMPARE(decimalText(prepare.at(0).at(1)), u"100.0"_s);
    QTest::keyClick(view, Qt::Key_S);
    QCOMPARE(prepare.count(), 2);
    QCOMPARE(sideName(prepare.at(1).at(0)), u"sell"_s);
    QCOMPARE(decimalText(prepare.at(1).at(1)), u"100.1"_s);
    QTest::keyClick(view, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(cancelAll.count(), 1);
}

void TestLadderPanel::lockingAgainSilencesEverything() {
    Fixture f;
    QVERIFY(f.ready());
    f.model.setOwnOrders({modeltest::limitOrder("b1", model::OrderSide::Buy, "99.8", "0.5")});
    f.panel.setLocked(false);
    QTableView *view = f.panel.view();
    QSignalSpy place(&f.panel, &ui::LadderPanel::placeOrderRequested);
    QSignalSpy amend(&f.panel, &ui::LadderPanel::amendPriceRequested);
    QSignalSpy cancel(&f.panel, &ui::LadderPanel::cancelRequested);
    QSignalSpy cancelAll(&f.panel, &ui::LadderPanel::cancelAllRequested);
    click(view, 7, model::LadderModel::Size);
    QCOMPARE(place.count(), 1);

    // Locking in the middle of a drag aborts it.
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, centre(view, 8, 0));
    QTest::mouseMove(view->viewport(), centre(view, 10, 0));
    QVERIFY(f.panel.isDragging());
    f.panel.lockButton()->click();
    QVERIFY(f.panel.isLocked());
    QVERIFY(!f.panel.isDragging());
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, centre(view, 10, 0));
    QCOMPARE(f.panel.lockButton()->text(), u"Locked"_s);

    view->setFocus();
    click(view, 7, model::LadderModel::Size);
    drag(view, 8, 10);
    click(view, 8, model::LadderModel::Price);
    QTest::keyClick(view, Qt::Key_Delete);
    QTest::keyClick(view, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(place.count(), 1);
    QCOMPARE(amend.count(), 0);
    QCOMPARE(cancel.count(), 0);
    QCOMPARE(cancelAll.count(), 0);
}

QTEST_MAIN(TestLadderPanel)
#include "tst_ladderpanel.moc"
