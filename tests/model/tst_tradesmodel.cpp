// TradesModel and TradesFilterModel under QAbstractItemModelTester: newest first, one
// insertion at the top per batch, one removal at the bottom when over capacity, text at the
// instrument's precision, and the minimum-size filter.

#include "model/tradesmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::TradeRow;
using model::TradesFilterModel;
using model::TradesModel;

namespace {

using modeltest::column;
using modeltest::dec;

// Local wall-clock time, so the expected text does not depend on the machine's zone.
qint64 at(int h, int m, int s, int ms) {
    return QDateTime(QDate(2024, 5, 1), QTime(h, m, s, ms)).toMSecsSinceEpoch();
}

// Trade n: price 95000.n, qty n/10, buys on even n, one second apart.
TradeRow trade(int n) {
    return TradeRow{u"BTC/USD"_s, at(12, 0, n, 250), n % 2 == 0,
                    *Decimal::fromString(QString(u"95000."_s + QString::number(n))),
                    *Decimal::fromString(QString(u"0."_s + QString::number(n)))};
}

QList<TradeRow> trades(int from, int to) {
    return modeltest::records(from, to, trade);
}

} // namespace

class TestTradesModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newestFirstOneInsertPerBatch();
    void capacityBound();
    void displayText();
    void filterByMinimumSize();
};

void TestTradesModel::newestFirstOneInsertPerBatch() {
    TradesModel m(5);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.addTrades(trades(1, 3));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(column(m, TradesModel::Price),
             (QStringList{u"95000.3"_s, u"95000.2"_s, u"95000.1"_s}));

    m.addTrades(trades(4, 5));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(column(m, TradesModel::Price),
             (QStringList{u"95000.5"_s, u"95000.4"_s, u"95000.3"_s, u"95000.2"_s, u"95000.1"_s}));
    m.addTrades({});
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(reset.count(), 0);
}

void TestTradesModel::capacityBound() {
    TradesModel m(5);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m.capacity(), 5);
    m.addTrades(trades(1, 3));
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    // 3 + 4 = 7 > 5: the two oldest (rows 1 and 2 before the insert) leave, in one removal.
    m.addTrades(trades(4, 7));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 2);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(column(m, TradesModel::Price),
             (QStringList{u"95000.7"_s, u"95000.6"_s, u"95000.5"_s, u"95000.4"_s, u"95000.3"_s}));

    // A burst larger than the capacity: only its newest five are kept.
    m.addTrades(trades(10, 17));
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(
        column(m, TradesModel::Price),
        (QStringList{u"95000.17"_s, u"95000.16"_s, u"95000.15"_s, u"95000.14"_s, u"95000.13"_s}));
    m.clear();
    QCOMPARE(m.rowCount(), 0);
}

void TestTradesModel::displayText() {
    TradesModel m(10);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addTrades(trades(1, 2));
    QCOMPARE(m.index(0, TradesModel::Time).data().toString(), u"12:00:02.250"_s);
    QCOMPARE(m.index(0, TradesModel::Side).data().toString(), u"Buy"_s);
    QCOMPARE(m.index(1, TradesModel::Side).data().toString(), u"Sell"_s);
    QCOMPARE(m.index(0, 0).data(TradesModel::BuyRole).toBool(), true);
    QCOMPARE(m.index(1, 0).data(TradesModel::BuyRole).toBool(), false);
    QCOMPARE(m.index(0, TradesModel::Size).data().toString(), u"0.2"_s);
    QCOMPARE(m.index(0, 0).data(TradesModel::QtyRole).toString(), u"0.2"_s);

    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setPrecision(1, 8); // BTC/USD's pair_decimals and lot_decimals
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.index(0, TradesModel::Price).data().toString(), u"95000.2"_s);
    QCOMPARE(m.index(0, TradesModel::Size).data().toString(), u"0.20000000"_s);
    m.setPrecision(2, 4);
    QCOMPARE(m.index(1, TradesModel::Price).data().toString(), u"95000.10"_s);
    QCOMPARE(m.index(1, TradesModel::Size).data().toString(), u"0.1000"_s);
    QVERIFY(m.index(0, TradesModel::Price).data(Qt::TextAlignmentRole).value<Qt::Alignment>() &
            Qt::AlignRight);
    QCOMPARE(m.headerData(TradesModel::Size, Qt::Horizontal).toString(), u"Size"_s);
}

void TestTradesModel::filterByMinimumSize() {
    TradesModel m(20);
    TradesFilterModel f;
    f.setSourceModel(&m);
    QAbstractItemModelTester t1(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addTrades(trades(1, 9)); // sizes 0.1 .. 0.9
    QCOMPARE(f.rowCount(), 9);
    f.setMinimumSize(dec("0.5"));
    QCOMPARE(column(f, TradesModel::Size),
             (QStringList{u"0.9"_s, u"0.8"_s, u"0.7"_s, u"0.6"_s, u"0.5"_s}));
    // New trades pass through the filter as they arrive.
    m.addTrades({trade(3), trade(7)});
    QCOMPARE(column(f, TradesModel::Size),
             (QStringList{u"0.7"_s, u"0.9"_s, u"0.8"_s, u"0.7"_s, u"0.6"_s, u"0.5"_s}));
    f.setMinimumSize(dec("0.85"));
    QCOMPARE(column(f, TradesModel::Size), QStringList{u"0.9"_s});
    f.setMinimumSize(Decimal());
    QCOMPARE(f.rowCount(), 11);
}

QTEST_GUILESS_MAIN(TestTradesModel)
#include "tst_tradesmodel.moc"
