// OrdersModel and OrdersFilterModel under QAbstractItemModelTester: a batch of updates and
// new orders is one dataChanged and one insertion; text at the instrument's precision;
// Decimal columns sort as numbers; the open/history split follows the state; an edit of a
// working limit order's price or quantity is a request, never a change of the record.

#include "model/decimalsortkey.h"
#include "model/ordersfiltermodel.h"
#include "model/ordersmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::OrderRecord;
using model::OrdersFilterModel;
using model::OrdersModel;
using model::OrderState;

namespace {

using modeltest::column;
using modeltest::dec;

OrderRecord order(int n, OrderState state = OrderState::Open, const char *price = "95000.1") {
    OrderRecord o;
    o.clOrdId = u"cl-"_s + QString::number(n);
    o.orderId = u"O"_s + QString::number(n);
    o.symbol = u"BTC/USD"_s;
    o.side = n % 2 ? model::OrderSide::Sell : model::OrderSide::Buy;
    o.orderType = u"limit"_s;
    o.timeInForce = u"GTC"_s;
    o.qty = dec("0.5");
    o.limitPrice = dec(price);
    o.state = state;
    o.createdMs = 1714564800000 + n * 1000;
    o.updatedMs = o.createdMs;
    return o;
}

QList<OrderRecord> orders(int from, int to) {
    return modeltest::records(from, to, [](int n) { return order(n); });
}

} // namespace

class TestOrdersModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stateNames();
    void batchIsOneDataChangedAndOneInsert();
    void duplicateInBatchIsOneRow();
    void resetReplacesEverything();
    void roles();
    void precision();
    void sortKeyIsNumericOrder();
    void decimalColumnsSortNumerically();
    void openHistorySplitFollowsState();
    void symbolAndTextFilter();
    void editOfWorkingLimitOrderIsARequest();
    void nothingElseIsEditable();
};

void TestOrdersModel::stateNames() {
    for (int s = int(OrderState::PendingNew); s <= int(OrderState::Unknown); ++s) {
        const auto state = OrderState(s);
        QCOMPARE(model::orderStateFromName(model::orderStateName(state)), state);
        // Exactly one of: still working, finished, or unresolved.
        QCOMPARE(int(model::isWorking(state)) + int(model::isTerminal(state)) +
                     int(state == OrderState::Unknown),
                 1);
    }
    QCOMPARE(model::orderStateName(OrderState::PartiallyFilled), u"partially-filled"_s);
    QCOMPARE(model::orderStateFromName(u"bogus"_s), std::nullopt);
    model::BalanceRecord b{u"BTC"_s, dec("1.5"), dec("0.25000000")};
    QVERIFY(b.available().identical(dec("1.25000000")));
}

void TestOrdersModel::batchIsOneDataChangedAndOneInsert() {
    OrdersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.applyOrders(orders(1, 10));
    QCOMPARE(m.rowCount(), 10);

    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    // Updates to rows 2, 5 and 8 plus three new orders, interleaved.
    QList<OrderRecord> batch;
    for (int n : {3, 11, 6, 12, 9, 13}) {
        OrderRecord o = order(n, OrderState::PartiallyFilled);
        o.filledQty = dec("0.1");
        batch.append(o);
    }
    m.applyOrders(batch);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 8);
    QCOMPARE(changed.at(0).at(0).toModelIndex().column(), 0);
    QCOMPARE(changed.at(0).at(1).toModelIndex().column(), OrdersModel::ColumnCount - 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 10);
    QCOMPARE(inserted.at(0).at(2).toInt(), 12);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m.rowCount(), 13);
    QCOMPARE(m.index(5, OrdersModel::Filled).data().toString(), u"0.1"_s);
    QCOMPARE(m.index(5, OrdersModel::Status).data().toString(), u"Partially filled"_s);
    QCOMPARE(m.rowOf(u"cl-12"_s), 11);

    // Updates only: no insertion. New only: no dataChanged.
    m.applyOrders({order(1, OrderState::Cancelled)});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(inserted.count(), 1);
    m.applyOrders(orders(20, 24));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(inserted.count(), 2);
    m.applyOrders({});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(inserted.count(), 2);
}

void TestOrdersModel::duplicateInBatchIsOneRow() {
    OrdersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    // PendingNew then Open for the same new order in one batch: one row, the later state.
    m.applyOrders({order(1, OrderState::PendingNew), order(2), order(1, OrderState::Open)});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.record(m.rowOf(u"cl-1"_s)).state, OrderState::Open);
}

void TestOrdersModel::resetReplacesEverything() {
    OrdersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.applyOrders(orders(1, 5));
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.resetOrders(orders(4, 6));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.rowOf(u"cl-1"_s), -1);
    QCOMPARE(m.rowOf(u"cl-6"_s), 2);
    // The index follows the reset: an update lands on the right row.
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.applyOrders({order(5, OrderState::Filled)});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
}

void TestOrdersModel::roles() {
    OrdersModel m;
    OrderRecord o = order(1);
    o.triggerPrice = dec("94000");
    o.reason = u"post only, would take"_s;
    m.applyOrders({o});
    const QModelIndex idx = m.index(0, OrdersModel::Symbol);
    QCOMPARE(idx.data(OrdersModel::ClOrdIdRole).toString(), u"cl-1"_s);
    QCOMPARE(idx.data(OrdersModel::SymbolRole).toString(), u"BTC/USD"_s);
    QCOMPARE(idx.data(OrdersModel::StateRole).toInt(), int(OrderState::Open));
    QCOMPARE(idx.data(OrdersModel::RecordRole).value<OrderRecord>().orderId, u"O1"_s);
    QCOMPARE(idx.data(OrdersModel::BuyRole).toBool(), false);
    QCOMPARE(m.index(0, OrdersModel::Side).data().toString(), u"Sell"_s);
    QCOMPARE(m.index(0, OrdersModel::Trigger).data().toString(), u"94000"_s);
    QCOMPARE(m.index(0, OrdersModel::AvgPrice).data().toString(), QString());
    QCOMPARE(m.index(0, OrdersModel::Reason).data().toString(), o.reason);
    QCOMPARE(m.index(0, OrdersModel::TimeInForce).data().toString(), u"GTC"_s);
    QCOMPARE(m.headerData(OrdersModel::ClOrdId, Qt::Horizontal).toString(), u"Client order id"_s);
}

void TestOrdersModel::precision() {
    OrdersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    OrderRecord o = order(1);
    o.filledQty = dec("0.25");
    o.avgPrice = dec("95000.05");
    m.applyOrders({o});
    // Unknown instrument: each value's own text.
    QCOMPARE(m.index(0, OrdersModel::Price).data().toString(), u"95000.1"_s);
    QCOMPARE(m.index(0, OrdersModel::Qty).data().toString(), u"0.5"_s);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setPrecisions({{u"BTC/USD"_s, {2, 8}}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.index(0, OrdersModel::Price).data().toString(), u"95000.10"_s);
    QCOMPARE(m.index(0, OrdersModel::Qty).data().toString(), u"0.50000000"_s);
    QCOMPARE(m.index(0, OrdersModel::Filled).data().toString(), u"0.25000000"_s);
    QCOMPARE(m.index(0, OrdersModel::AvgPrice).data().toString(), u"95000.05"_s);
    // The editor starts from the exact value.
    QCOMPARE(m.index(0, OrdersModel::Price).data(Qt::EditRole).toString(), u"95000.1"_s);
}

void TestOrdersModel::sortKeyIsNumericOrder() {
    const QList<Decimal> ascending{dec("-100"),  dec("-9.5"),       dec("-0.000000000000000001"),
                                   dec("0"),     dec("0.00000001"), dec("9.5"),
                                   dec("10.25"), dec("95000.1"),    dec("9223372036854775807")};
    for (qsizetype i = 1; i < ascending.size(); ++i)
        QVERIFY2(model::decimalSortKey(ascending.at(i - 1)) <
                     model::decimalSortKey(ascending.at(i)),
                 qPrintable(ascending.at(i).toString()));
    // Same value, different scale: same key.
    QCOMPARE(model::decimalSortKey(dec("1.50")), model::decimalSortKey(dec("1.5")));
    QVERIFY(model::decimalSortKey(Decimal::fromParts(INT64_MIN, 0).value()) <
            model::decimalSortKey(dec("-100")));
}

void TestOrdersModel::decimalColumnsSortNumerically() {
    OrdersModel m;
    m.applyOrders({order(1, OrderState::Open, "10.25"), order(2, OrderState::Open, "9.5"),
                   order(3, OrderState::Open, "100"), order(4, OrderState::Open, "9.49")});
    OrdersFilterModel f;
    QAbstractItemModelTester tester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.setSourceModel(&m);
    f.sort(OrdersModel::Price, Qt::AscendingOrder);
    QCOMPARE(column(f, OrdersModel::Price),
             (QStringList{u"9.49"_s, u"9.5"_s, u"10.25"_s, u"100"_s}));
    f.sort(OrdersModel::Price, Qt::DescendingOrder);
    QCOMPARE(column(f, OrdersModel::Price),
             (QStringList{u"100"_s, u"10.25"_s, u"9.5"_s, u"9.49"_s}));
    // A price update re-sorts (dynamic sort): 9.49 -> 1000.
    m.applyOrders({order(4, OrderState::Open, "1000")});
    QCOMPARE(column(f, OrdersModel::Price),
             (QStringList{u"1000"_s, u"100"_s, u"10.25"_s, u"9.5"_s}));
    // Time sorts by the timestamp.
    f.sort(OrdersModel::Time, Qt::DescendingOrder);
    QCOMPARE(column(f, OrdersModel::ClOrdId),
             (QStringList{u"cl-4"_s, u"cl-3"_s, u"cl-2"_s, u"cl-1"_s}));
}

void TestOrdersModel::openHistorySplitFollowsState() {
    OrdersModel m;
    m.applyOrders({order(1, OrderState::PendingNew), order(2, OrderState::Open),
                   order(3, OrderState::PartiallyFilled), order(4, OrderState::PendingCancel),
                   order(5, OrderState::PendingAmend), order(6, OrderState::Filled),
                   order(7, OrderState::Cancelled), order(8, OrderState::Rejected),
                   order(9, OrderState::Expired), order(10, OrderState::Unknown)});
    OrdersFilterModel f;
    QAbstractItemModelTester tester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.setSourceModel(&m);
    f.sort(OrdersModel::Time, Qt::AscendingOrder);
    QCOMPARE(f.mode(), OrdersFilterModel::Mode::Open);
    QCOMPARE(column(f, OrdersModel::ClOrdId),
             (QStringList{u"cl-1"_s, u"cl-2"_s, u"cl-3"_s, u"cl-4"_s, u"cl-5"_s, u"cl-10"_s}));
    f.setMode(OrdersFilterModel::Mode::History);
    QCOMPARE(column(f, OrdersModel::ClOrdId),
             (QStringList{u"cl-6"_s, u"cl-7"_s, u"cl-8"_s, u"cl-9"_s}));
    f.setMode(OrdersFilterModel::Mode::All);
    QCOMPARE(f.rowCount(), 10);

    // A fill moves an order from open to history by itself.
    f.setMode(OrdersFilterModel::Mode::Open);
    m.applyOrders({order(2, OrderState::Filled)});
    QCOMPARE(f.rowCount(), 5);
    f.setMode(OrdersFilterModel::Mode::History);
    QCOMPARE(f.rowCount(), 5);
    QVERIFY(column(f, OrdersModel::ClOrdId).contains(u"cl-2"_s));
}

void TestOrdersModel::symbolAndTextFilter() {
    OrdersModel m;
    OrderRecord eth = order(3);
    eth.symbol = u"ETH/BTC"_s;
    OrderRecord rejected = order(4, OrderState::Rejected);
    rejected.reason = u"EOrder:Insufficient funds"_s;
    m.applyOrders({order(1), order(2), eth, rejected});
    QCOMPARE(m.symbols(), (QStringList{u"BTC/USD"_s, u"ETH/BTC"_s}));
    OrdersFilterModel f;
    QAbstractItemModelTester tester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.setSourceModel(&m);
    f.setMode(OrdersFilterModel::Mode::All);
    f.setSymbol(u"BTC"_s); // exact symbols only: "BTC" is not a symbol
    QCOMPARE(f.rowCount(), 0);
    f.setSymbol(u"ETH/BTC"_s);
    QCOMPARE(f.rowCount(), 1);
    f.setSymbol(QString());
    QCOMPARE(f.rowCount(), 4);
    f.setText(u"insufficient"_s);
    QCOMPARE(column(f, OrdersModel::ClOrdId), QStringList{u"cl-4"_s});
    f.setText(u" O2 "_s);
    QCOMPARE(column(f, OrdersModel::ClOrdId), QStringList{u"cl-2"_s});
    f.setText(QString());
    QCOMPARE(f.rowCount(), 4);
}

void TestOrdersModel::editOfWorkingLimitOrderIsARequest() {
    OrdersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.applyOrders({order(1)});
    QSignalSpy amend(&m, &OrdersModel::amendRequested);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    const QModelIndex price = m.index(0, OrdersModel::Price);
    QVERIFY(m.flags(price) & Qt::ItemIsEditable);
    QVERIFY(m.flags(m.index(0, OrdersModel::Qty)) & Qt::ItemIsEditable);

    QVERIFY(!m.setData(price, u"95123.45"_s));
    QCOMPARE(amend.count(), 1);
    QCOMPARE(amend.at(0).at(0).toString(), u"cl-1"_s);
    QVERIFY(!amend.at(0).at(1).value<std::optional<Decimal>>().has_value());
    QVERIFY(amend.at(0).at(2).value<std::optional<Decimal>>()->identical(dec("95123.45")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(price.data().toString(), u"95000.1"_s);
    QVERIFY(m.record(0).limitPrice->identical(dec("95000.1")));

    QVERIFY(!m.setData(m.index(0, OrdersModel::Qty), u"0.75"_s));
    QCOMPARE(amend.count(), 2);
    QVERIFY(amend.at(1).at(1).value<std::optional<Decimal>>()->identical(dec("0.75")));
    QVERIFY(!amend.at(1).at(2).value<std::optional<Decimal>>().has_value());

    // Garbage, zero, negative and the unchanged value request nothing.
    for (const QString &bad : {u"abc"_s, u"0"_s, u"-1"_s, u"95000.10"_s, QString()})
        QVERIFY(!m.setData(price, bad));
    QCOMPARE(amend.count(), 2);
}

void TestOrdersModel::nothingElseIsEditable() {
    OrdersModel m;
    OrderRecord market = order(2);
    market.orderType = u"market"_s;
    market.limitPrice.reset();
    OrderRecord quote = order(3);
    quote.quoteQty = true;
    m.applyOrders(
        {order(1, OrderState::Filled), market, quote, order(4, OrderState::PendingCancel)});
    QSignalSpy amend(&m, &OrdersModel::amendRequested);
    for (int row = 0; row < m.rowCount(); ++row) {
        for (int col = 0; col < OrdersModel::ColumnCount; ++col) {
            const bool expected = row == 2 && col == OrdersModel::Price; // quote qty: price only
            QCOMPARE(bool(m.flags(m.index(row, col)) & Qt::ItemIsEditable), expected);
        }
    }
    QVERIFY(!m.setData(m.index(0, OrdersModel::Price), u"1"_s));
    QVERIFY(!m.setData(m.index(2, OrdersModel::Qty), u"1"_s));
    QCOMPARE(amend.count(), 0);
}

QTEST_GUILESS_MAIN(TestOrdersModel)
#include "tst_ordersmodel.moc"
