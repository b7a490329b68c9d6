// LadderModel under QAbstractItemModelTester: a known book's levels in fixed rows (asks highest
// first, the spread row, bids), cumulative sizes from the spread outwards, size fractions,
// grouping by 5 ticks (bids down, asks up, sizes summed), one dataChanged per book covering
// only the rows that changed, flashes that start on a change and go out by themselves.
// Own orders: working limit orders land on the row whose bucket holds their price (grouping
// 1 and 5), buys and sells apart, with their cl_ord_ids; non-working, trigger and market
// orders stay off; one dataChanged per setOwnOrders, over the rows whose markers changed.

#include "model/laddermodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using model::LadderModel;

namespace {

using modeltest::dec;

kraken::book::Level level(const char *price, const char *qty) {
    // BTC/USD precisions: price 1 decimal, qty 8.
    return {dec(price).rescaled(1)->mantissa(), dec(qty).rescaled(8)->mantissa()};
}

// Best first on both sides, as OrderBook::snapshot() gives them.
model::BookPtr book(const char *ask0qty = "1") {
    auto b = std::make_shared<kraken::book::BookSnapshot>();
    b->symbol = u"BTC/USD"_s;
    b->pricePrecision = 1;
    b->qtyPrecision = 8;
    b->asks = {level("100.1", ask0qty), level("100.2", "2"), level("100.3", "3"),
               level("100.7", "0.5"), level("101.2", "4")};
    b->bids = {level("99.9", "1.5"), level("99.8", "2.5"), level("99.5", "1"), level("99.4", "3"),
               level("98.8", "2")};
    return b;
}

QString cell(const LadderModel &m, int row, int column) {
    return m.index(row, column).data().toString();
}

double fraction(const LadderModel &m, int row) {
    return m.index(row, LadderModel::Size).data(LadderModel::SizeFractionRole).toDouble();
}

model::OrderRecord buy(const char *id, const char *price, const char *qty,
                       const char *filled = "0") {
    return modeltest::limitOrder(id, model::OrderSide::Buy, price, qty, filled);
}

model::OrderRecord sell(const char *id, const char *price, const char *qty) {
    return modeltest::limitOrder(id, model::OrderSide::Sell, price, qty);
}

QString role(const LadderModel &m, int row, int r) {
    return m.index(row, LadderModel::Price).data(r).toString();
}

QStringList ids(const LadderModel &m, int row, int r = LadderModel::OwnClOrdIdsRole) {
    return m.index(row, LadderModel::Price).data(r).toStringList();
}

bool flashing(const LadderModel &m, int row) {
    return m.index(row, LadderModel::Price).data(LadderModel::FlashRole).toBool();
}

} // namespace

class TestLadderModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levelsInOrder();
    void groupingByFiveTicks();
    void oneDataChangedPerBook();
    void flashOnChangeThenOff();
    void shallowBookLeavesOuterRowsEmpty();
    void ownOrders();
    void ownOrdersAtSingleTicks();
    void ownOrdersGroupedByFive();
    void ownOrdersOneDataChanged();
    void ownOrdersPreferTheirSideWhereBucketsOverlap();
    void rowPricesAndBestPrices();
};

void TestLadderModel::levelsInOrder() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m.rowCount(), 7);
    QCOMPARE(m.columnCount(), 3);
    QCOMPARE(m.spreadRow(), 3);
    m.setTickSize(dec("0.1"));
    m.setBook(book());

    // Asks highest first down to the best ask, the spread, then bids best first.
    const QStringList prices{u"100.3"_s, u"100.2"_s, u"100.1"_s, u"0.2"_s,
                             u"99.9"_s,  u"99.8"_s,  u"99.5"_s};
    const QStringList sizes{u"3.00000000"_s, u"2.00000000"_s, u"1.00000000"_s, QString(),
                            u"1.50000000"_s, u"2.50000000"_s, u"1.00000000"_s};
    const QStringList totals{u"6.00000000"_s, u"3.00000000"_s, u"1.00000000"_s, QString(),
                             u"1.50000000"_s, u"4.00000000"_s, u"5.00000000"_s};
    for (int row = 0; row < 7; ++row) {
        QCOMPARE(cell(m, row, LadderModel::Price), prices.at(row));
        QCOMPARE(cell(m, row, LadderModel::Size), sizes.at(row));
        QCOMPARE(cell(m, row, LadderModel::Cumulative), totals.at(row));
    }
    QCOMPARE(m.index(0, 0).data(LadderModel::SideRole).toInt(), 1);
    QCOMPARE(m.index(3, 0).data(LadderModel::SideRole).toInt(), 0);
    QCOMPARE(m.index(6, 0).data(LadderModel::SideRole).toInt(), -1);
    QCOMPARE(m.index(2, 0).data(LadderModel::PriceRole).toString(), u"100.1"_s);
    QCOMPARE(m.index(3, 0).data(LadderModel::PriceRole).toString(), QString());
    // The largest visible size is 3 (100.3).
    QCOMPARE(fraction(m, 0), 1.0);
    QCOMPARE(fraction(m, 1), 2.0 / 3.0);
    QCOMPARE(fraction(m, 2), 1.0 / 3.0);
    QCOMPARE(fraction(m, 3), 0.0);
    QCOMPARE(fraction(m, 4), 0.5);
    QCOMPARE(fraction(m, 5), 2.5 / 3.0);
    QVERIFY(m.index(0, LadderModel::Size).data(Qt::TextAlignmentRole).value<Qt::Alignment>() &
            Qt::AlignRight);
    // A first book does not flash.
    for (int row = 0; row < 7; ++row)
        QVERIFY(!flashing(m, row));
}

void TestLadderModel::groupingByFiveTicks() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setTickSize(dec("0.1"));
    m.setBook(book());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.setGrouping(5); // buckets of 0.5
    QCOMPARE(m.grouping(), 5);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 0);

    // Asks round up: 100.1 + 100.2 + 100.3 -> 100.5 (6), 100.7 -> 101.0 (0.5), 101.2 -> 101.5.
    // Bids round down: 99.9 + 99.8 + 99.5 -> 99.5 (5), 99.4 -> 99.0 (3), 98.8 -> 98.5 (2).
    const QStringList prices{u"101.5"_s, u"101.0"_s, u"100.5"_s, u"0.2"_s,
                             u"99.5"_s,  u"99.0"_s,  u"98.5"_s};
    const QStringList sizes{u"4.00000000"_s, u"0.50000000"_s, u"6.00000000"_s, QString(),
                            u"5.00000000"_s, u"3.00000000"_s, u"2.00000000"_s};
    const QStringList totals{u"10.50000000"_s, u"6.50000000"_s, u"6.00000000"_s, QString(),
                             u"5.00000000"_s,  u"8.00000000"_s, u"10.00000000"_s};
    for (int row = 0; row < 7; ++row) {
        QCOMPARE(cell(m, row, LadderModel::Price), prices.at(row));
        QCOMPARE(cell(m, row, LadderModel::Size), sizes.at(row));
        QCOMPARE(cell(m, row, LadderModel::Cumulative), totals.at(row));
        QVERIFY(!flashing(m, row)); // regrouping is not a market change
    }
    QCOMPARE(fraction(m, 2), 1.0);
    QCOMPARE(fraction(m, 4), 5.0 / 6.0);
    QCOMPARE(fraction(m, 0), 4.0 / 6.0);

    // Back to single ticks: the raw levels again.
    m.setGrouping(1);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(cell(m, 0, LadderModel::Price), u"100.3"_s);
    QCOMPARE(cell(m, 6, LadderModel::Price), u"99.5"_s);
    // The same grouping again changes nothing.
    m.setGrouping(1);
    QCOMPARE(changed.count(), 2);
}

void TestLadderModel::oneDataChangedPerBook() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.setBook(book());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 6);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), 2);

    // The same book again: nothing to repaint, no signal.
    m.setBook(book());
    QCOMPARE(changed.count(), 1);

    // Only the best ask's size moves (1 -> 1.2): the ask rows change (their totals move too),
    // the spread row and the bids do not.
    changed.clear();
    m.setBook(book("1.2"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(cell(m, 2, LadderModel::Size), u"1.20000000"_s);
    QCOMPARE(cell(m, 0, LadderModel::Cumulative), u"6.20000000"_s);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m.rowCount(), 7);

    // No book: every row blank, still one signal.
    changed.clear();
    m.setBook(nullptr);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(cell(m, 2, LadderModel::Price), QString());
    QCOMPARE(cell(m, 3, LadderModel::Price), QString());
}

void TestLadderModel::flashOnChangeThenOff() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBook(book());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setBook(book("1.2"));
    QVERIFY(flashing(m, 2));
    for (int row : {0, 1, 3, 4, 5, 6})
        QVERIFY2(!flashing(m, row), qPrintable(QString::number(row)));
    // The flash goes out by itself (a dataChanged for FlashRole), with no further book.
    QTRY_VERIFY_WITH_TIMEOUT(!flashing(m, 2), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    const auto roles = changed.at(1).at(2).value<QList<int>>();
    QCOMPARE(roles, QList<int>{LadderModel::FlashRole});
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 2);
}

void TestLadderModel::shallowBookLeavesOuterRowsEmpty() {
    LadderModel m(8);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBook(book());
    QCOMPARE(m.rowCount(), 17);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(cell(m, row, LadderModel::Price), QString());
    QCOMPARE(cell(m, 3, LadderModel::Price), u"101.2"_s);
    QCOMPARE(cell(m, 7, LadderModel::Price), u"100.1"_s);
    QCOMPARE(cell(m, 8, LadderModel::Price), u"0.2"_s);
    QCOMPARE(cell(m, 9, LadderModel::Price), u"99.9"_s);
    QCOMPARE(cell(m, 13, LadderModel::Price), u"98.8"_s);
    QCOMPARE(cell(m, 14, LadderModel::Price), QString());
    // Largest visible size is now 4 (101.2).
    QCOMPARE(fraction(m, 3), 1.0);
    QCOMPARE(fraction(m, 13), 0.5);
}

void TestLadderModel::ownOrders() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBook(book());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setOwnOrders({sell("s1", "100.2", "0.5"), buy("b1", "99.5", "0.25")});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.index(1, 0).data(LadderModel::OwnOrderRole).toString(), u"0.50000000"_s);
    QCOMPARE(m.index(6, 0).data(LadderModel::OwnOrderRole).toString(), u"0.25000000"_s);
    QCOMPARE(m.index(0, 0).data(LadderModel::OwnOrderRole).toString(), QString());
    QCOMPARE(m.index(3, 0).data(LadderModel::OwnOrderRole).toString(), QString());
}

void TestLadderModel::ownOrdersAtSingleTicks() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setTickSize(dec("0.1"));
    m.setBook(book());
    model::OrderRecord cancelled = buy("gone", "99.9", "1");
    cancelled.state = model::OrderState::Cancelled;
    model::OrderRecord stop = sell("stop", "100.1", "1");
    stop.orderType = u"stop-loss-limit"_s;
    stop.triggerPrice = dec("100.3");
    model::OrderRecord market = buy("mkt", "99.9", "1");
    market.orderType = u"market"_s;
    market.limitPrice.reset();
    model::OrderRecord pendingAmend = sell("s2", "100.2", "0.25");
    pendingAmend.state = model::OrderState::PendingAmend;
    m.setOwnOrders({buy("b1", "99.5", "0.25"), buy("b2", "99.5", "0.5", "0.25"),
                    sell("s1", "100.2", "0.5"), pendingAmend, cancelled, stop, market,
                    sell("far", "105.0", "1"), buy("done", "99.8", "1", "1")});

    // 99.5 (row 6): two buys, the second half filled: 0.25 + 0.25 left.
    QCOMPARE(role(m, 6, LadderModel::OwnBuyQtyRole), u"0.50000000"_s);
    QCOMPARE(role(m, 6, LadderModel::OwnSellQtyRole), QString());
    QCOMPARE(ids(m, 6), QStringList({u"b1"_s, u"b2"_s}));
    QCOMPARE(ids(m, 6, LadderModel::OwnBuyClOrdIdsRole), QStringList({u"b1"_s, u"b2"_s}));
    QCOMPARE(ids(m, 6, LadderModel::OwnSellClOrdIdsRole), QStringList());
    QCOMPARE(role(m, 6, LadderModel::PriceRole), u"99.5"_s);
    // 100.2 (row 1): the sells, one of them pending an amend (still working).
    QCOMPARE(role(m, 1, LadderModel::OwnSellQtyRole), u"0.75000000"_s);
    QCOMPARE(role(m, 1, LadderModel::OwnBuyQtyRole), QString());
    QCOMPARE(ids(m, 1), QStringList({u"s1"_s, u"s2"_s}));
    // Cancelled, trigger, market, fully filled and out-of-view orders show nowhere.
    for (int row : {0, 2, 3, 4, 5}) {
        QVERIFY2(ids(m, row).isEmpty(), qPrintable(QString::number(row)));
        QCOMPARE(role(m, row, LadderModel::OwnOrderRole), QString());
    }
    QVERIFY(m.index(6, LadderModel::Size)
                .data(Qt::AccessibleTextRole)
                .toString()
                .contains(u"own buy 0.50000000"_s));

    // The markers follow the book: a new book where 99.5 moved to row 5 takes them along.
    auto b = std::make_shared<kraken::book::BookSnapshot>(*book());
    b->bids.erase(b->bids.begin()); // 99.9 gone: 99.8, 99.5, 99.4
    m.setBook(b);
    QCOMPARE(ids(m, 5), QStringList({u"b1"_s, u"b2"_s}));
    QVERIFY(ids(m, 6).isEmpty());
}

void TestLadderModel::ownOrdersGroupedByFive() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setTickSize(dec("0.1"));
    m.setBook(book());
    m.setOwnOrders({buy("b1", "99.7", "0.1"), buy("b2", "99.5", "0.2"), buy("b3", "99.4", "0.3"),
                    sell("s1", "100.3", "0.4"), sell("s2", "100.7", "0.5"),
                    sell("s3", "100.1", "0.6")});
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setGrouping(5);
    QCOMPARE(changed.count(), 1); // regrouping moves markers in the same single signal
    // Rows: 101.5, 101.0, 100.5 | spread | 99.5, 99.0, 98.5. Bids cover [p, p+0.5), asks
    // (p-0.5, p].
    QCOMPARE(ids(m, 4), QStringList({u"b1"_s, u"b2"_s}));
    QCOMPARE(role(m, 4, LadderModel::OwnBuyQtyRole), u"0.30000000"_s);
    QCOMPARE(ids(m, 5), QStringList({u"b3"_s}));
    QCOMPARE(ids(m, 2), QStringList({u"s1"_s, u"s3"_s}));
    QCOMPARE(role(m, 2, LadderModel::OwnSellQtyRole), u"1.00000000"_s);
    QCOMPARE(ids(m, 1), QStringList({u"s2"_s}));
    QVERIFY(ids(m, 0).isEmpty());
    QVERIFY(ids(m, 6).isEmpty());
    // The row's exact price is the bucket edge, on the tick.
    QCOMPARE(role(m, 4, LadderModel::PriceRole), u"99.5"_s);
    QCOMPARE(role(m, 2, LadderModel::PriceRole), u"100.5"_s);

    // Back to single ticks: 99.7 has no row of its own in this book, so b1 is not shown.
    m.setGrouping(1);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(ids(m, 6), QStringList({u"b2"_s}));
    QCOMPARE(ids(m, 2), QStringList({u"s3"_s}));
    QCOMPARE(ids(m, 0), QStringList({u"s1"_s}));
}

void TestLadderModel::ownOrdersOneDataChanged() {
    LadderModel m(3);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setTickSize(dec("0.1"));
    m.setBook(book());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setOwnOrders({sell("s1", "100.2", "0.5"), buy("b1", "99.8", "1"), buy("b2", "99.5", "1")});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 6);
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(LadderModel::OwnClOrdIdsRole));
    QVERIFY(roles.contains(LadderModel::OwnBuyQtyRole));
    QVERIFY(!roles.contains(Qt::DisplayRole));

    // The same orders again: nothing moved, nothing to repaint.
    m.setOwnOrders({sell("s1", "100.2", "0.5"), buy("b1", "99.8", "1"), buy("b2", "99.5", "1")});
    QCOMPARE(changed.count(), 1);
    // One fill on b1: only its row.
    m.setOwnOrders(
        {sell("s1", "100.2", "0.5"), buy("b1", "99.8", "1", "0.4"), buy("b2", "99.5", "1")});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 5);
    QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 5);
    QCOMPARE(role(m, 5, LadderModel::OwnBuyQtyRole), u"0.60000000"_s);
    // All gone: one signal clears them.
    m.setOwnOrders({});
    QCOMPARE(changed.count(), 3);
    for (int row = 0; row < m.rowCount(); ++row)
        QVERIFY(ids(m, row).isEmpty());
}

void TestLadderModel::ownOrdersPreferTheirSideWhereBucketsOverlap() {
    // Best bid 99.2, best ask 99.7, buckets of 1.0: the bid row 99.0 covers [99.0, 100.0),
    // the ask row 100.0 covers (99.0, 100.0]. Each order goes to its own side's row.
    LadderModel m(2);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto b = std::make_shared<kraken::book::BookSnapshot>();
    b->symbol = u"BTC/USD"_s;
    b->pricePrecision = 1;
    b->qtyPrecision = 8;
    b->asks = {level("99.7", "1"), level("100.4", "1")};
    b->bids = {level("99.2", "1"), level("98.1", "1")};
    m.setTickSize(dec("0.1"));
    m.setGrouping(10);
    m.setBook(b);
    QCOMPARE(cell(m, 1, LadderModel::Price), u"100.0"_s);
    QCOMPARE(cell(m, 3, LadderModel::Price), u"99.0"_s);
    m.setOwnOrders({sell("s", "99.7", "1"), buy("b", "99.2", "1")});
    QCOMPARE(ids(m, 1), QStringList({u"s"_s}));
    QCOMPARE(ids(m, 3), QStringList({u"b"_s}));
}

void TestLadderModel::rowPricesAndBestPrices() {
    LadderModel m(3);
    QVERIFY(!m.bestBid());
    QVERIFY(!m.priceAt(0));
    m.setTickSize(dec("0.1"));
    m.setBook(book());
    QCOMPARE(m.bestBid()->toString(), u"99.9"_s);
    QCOMPARE(m.bestAsk()->toString(), u"100.1"_s);
    QCOMPARE(m.priceAt(0)->toString(), u"100.3"_s);
    QCOMPARE(m.priceAt(6)->toString(), u"99.5"_s);
    QVERIFY(!m.priceAt(3)); // the spread row has no price to trade at
    QVERIFY(!m.priceAt(7));
    m.setGrouping(5);
    QCOMPARE(m.priceAt(4)->toString(), u"99.5"_s);
    QCOMPARE(m.priceAt(2)->toString(), u"100.5"_s);
    QCOMPARE(m.bestBid()->toString(), u"99.9"_s); // raw, not grouped
}

QTEST_GUILESS_MAIN(TestLadderModel)
#include "tst_laddermodel.moc"
