// FillsModel and FillsFilterModel under QAbstractItemModelTester: newest first, one
// insertion per batch, trades already shown (or repeated within a batch) dropped, history
// pages appended at the bottom, symbol filter, and numeric sorting of the Decimal columns.

#include "model/fillsfiltermodel.h"
#include "model/fillsmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using model::FillRecord;
using model::FillsFilterModel;
using model::FillsModel;

namespace {

using modeltest::column;
using modeltest::dec;

FillRecord fill(int n, const char *price = "95000.1") {
    FillRecord f;
    f.tradeId = u"T"_s + QString::number(n);
    f.orderId = u"O1"_s;
    f.clOrdId = u"cl-1"_s;
    f.symbol = u"BTC/USD"_s;
    f.side = n % 2 ? model::OrderSide::Sell : model::OrderSide::Buy;
    f.price = dec(price);
    f.qty = dec("0.1");
    f.cost = dec("9500.01");
    f.fee = dec("15.2");
    f.feeAsset = u"USD"_s;
    f.maker = n % 2 == 0;
    f.timeMs = 1714564800000 + n * 1000;
    return f;
}

QList<FillRecord> fills(int from, int to) {
    return modeltest::records(from, to, [](int n) { return fill(n); });
}

} // namespace

class TestFillsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newestFirstOneInsertPerBatch();
    void deduplicatesByTradeId();
    void olderPageGoesToTheBottom();
    void interleavedBatchStaysSorted();
    void displayAndPrecision();
    void filterAndNumericSort();
};

void TestFillsModel::newestFirstOneInsertPerBatch() {
    FillsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    // A batch in any order comes out newest first.
    QCOMPARE(m.addFills({fill(2), fill(1), fill(3)}), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(column(m, FillsModel::TradeId), (QStringList{u"T3"_s, u"T2"_s, u"T1"_s}));
    QCOMPARE(m.addFills(fills(4, 8)), 5);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 0);
    QCOMPARE(inserted.at(1).at(2).toInt(), 4);
    QCOMPARE(m.rowCount(), 8);
    QCOMPARE(m.index(0, FillsModel::TradeId).data().toString(), u"T8"_s);
    QCOMPARE(reset.count(), 0);
}

void TestFillsModel::deduplicatesByTradeId() {
    FillsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addFills(fills(1, 3));
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    // The same trades again (a REST reload after the WebSocket reported them): nothing.
    QCOMPARE(m.addFills(fills(1, 3)), 0);
    QCOMPARE(inserted.count(), 0);
    // Known ones mixed with one new one, which is itself repeated in the batch.
    QCOMPARE(m.addFills({fill(2), fill(4), fill(3), fill(4)}), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(m.rowCount(), 4);
    QVERIFY(m.contains(u"T4"_s));
    QCOMPARE(column(m, FillsModel::TradeId), (QStringList{u"T4"_s, u"T3"_s, u"T2"_s, u"T1"_s}));
    m.resetFills({fill(1), fill(1), fill(2)});
    QCOMPARE(m.rowCount(), 2);
    QVERIFY(!m.contains(u"T4"_s));
}

void TestFillsModel::olderPageGoesToTheBottom() {
    FillsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addFills(fills(10, 12));
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    m.addFills(fills(1, 3));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(column(m, FillsModel::TradeId),
             (QStringList{u"T12"_s, u"T11"_s, u"T10"_s, u"T3"_s, u"T2"_s, u"T1"_s}));
}

void TestFillsModel::interleavedBatchStaysSorted() {
    FillsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addFills({fill(1), fill(5)});
    m.addFills({fill(3), fill(7)});
    QCOMPARE(column(m, FillsModel::TradeId), (QStringList{u"T7"_s, u"T5"_s, u"T3"_s, u"T1"_s}));
}

void TestFillsModel::displayAndPrecision() {
    FillsModel m;
    m.addFills({fill(1), fill(2)});
    QCOMPARE(m.index(1, FillsModel::Side).data().toString(), u"Sell"_s);
    QCOMPARE(m.index(1, FillsModel::Liquidity).data().toString(), u"Taker"_s);
    QCOMPARE(m.index(0, FillsModel::Liquidity).data().toString(), u"Maker"_s);
    QCOMPARE(m.index(0, FillsModel::Price).data().toString(), u"95000.1"_s);
    QCOMPARE(m.index(0, FillsModel::Cost).data().toString(), u"9500.01"_s);
    QCOMPARE(m.index(0, FillsModel::Fee).data().toString(), u"15.2"_s);
    QCOMPARE(m.index(0, FillsModel::FeeAsset).data().toString(), u"USD"_s);
    QCOMPARE(m.index(0, FillsModel::OrderId).data().toString(), u"O1"_s);
    QCOMPARE(m.index(0, 0).data(FillsModel::RecordRole).value<FillRecord>().tradeId, u"T2"_s);
    QVERIFY(m.index(0, 0).data(FillsModel::BuyRole).toBool());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setPrecisions({{u"BTC/USD"_s, {2, 8}}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.index(0, FillsModel::Price).data().toString(), u"95000.10"_s);
    QCOMPARE(m.index(0, FillsModel::Qty).data().toString(), u"0.10000000"_s);
}

void TestFillsModel::filterAndNumericSort() {
    FillsModel m;
    FillRecord eth = fill(5, "0.05");
    eth.symbol = u"ETH/BTC"_s;
    m.addFills({fill(1, "10.25"), fill(2, "9.5"), fill(3, "100"), fill(4, "9.49"), eth});
    FillsFilterModel f;
    QAbstractItemModelTester tester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.setSourceModel(&m);
    f.setSymbol(u"BTC/USD"_s);
    QCOMPARE(f.rowCount(), 4);
    f.sort(FillsModel::Price, Qt::AscendingOrder);
    QCOMPARE(column(f, FillsModel::Price),
             (QStringList{u"9.49"_s, u"9.5"_s, u"10.25"_s, u"100"_s}));
    f.setSymbol(QString());
    QCOMPARE(column(f, FillsModel::Price),
             (QStringList{u"0.05"_s, u"9.49"_s, u"9.5"_s, u"10.25"_s, u"100"_s}));
    f.sort(FillsModel::Time, Qt::AscendingOrder);
    QCOMPARE(column(f, FillsModel::TradeId),
             (QStringList{u"T1"_s, u"T2"_s, u"T3"_s, u"T4"_s, u"T5"_s}));
}

QTEST_GUILESS_MAIN(TestFillsModel)
#include "tst_fillsmodel.moc"
