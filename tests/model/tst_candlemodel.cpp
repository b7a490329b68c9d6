// CandleModel under QAbstractItemModelTester: reset from history, the forming bar replaced in
// place (one dataChanged), a new bar appended (one insertion) with the previous one closed,
// updates for another symbol or interval ignored.

#include "model/candlemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::Candle;
using model::CandleModel;

namespace {

constexpr qint64 T0 = 1714564800000; // 2024-05-01 12:00 UTC
constexpr qint64 Minute = 60000;

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

Candle bar(int i, const char *o, const char *h, const char *l, const char *c, const char *v,
           bool closed) {
    return Candle{T0 + i * Minute, 1, dec(o), dec(h), dec(l), dec(c), dec(v), closed};
}

QList<Candle> history() {
    return {bar(0, "100.0", "101.0", "99.5", "100.5", "2.5", true),
            bar(1, "100.5", "102.0", "100.1", "101.9", "3.0", true),
            bar(2, "101.9", "102.2", "101.5", "102.0", "0.4", false)};
}

} // namespace

class TestCandleModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resetFromHistory();
    void formingBarReplacedInPlace();
    void newBarAppendedAndPreviousClosed();
    void otherSymbolOrIntervalIgnored();
};

void TestCandleModel::resetFromHistory() {
    CandleModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&m, &CandleModel::candlesChanged);
    m.reset(u"BTC/USD"_s, 1, history());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.columnCount(), 6);
    QCOMPARE(m.symbol(), u"BTC/USD"_s);
    QCOMPARE(m.intervalMinutes(), 1);
    QCOMPARE(m.index(1, CandleModel::High).data().toString(), u"102.0"_s);
    QCOMPARE(m.index(1, CandleModel::Volume).data().toString(), u"3.0"_s);
    QCOMPARE(m.index(2, 0).data(CandleModel::BeginMsRole).toLongLong(), T0 + 2 * Minute);
    QCOMPARE(m.index(1, 0).data(CandleModel::ClosedRole).toBool(), true);
    QCOMPARE(m.index(2, 0).data(CandleModel::ClosedRole).toBool(), false);
    m.setPrecision(2, 4);
    QCOMPARE(m.index(1, CandleModel::High).data().toString(), u"102.00"_s);
    QCOMPARE(m.index(1, CandleModel::Volume).data().toString(), u"3.0000"_s);
    QVERIFY(m.index(1, CandleModel::Close).data(Qt::TextAlignmentRole).value<Qt::Alignment>() &
            Qt::AlignRight);

    // History out of order is sorted; a new reset replaces everything.
    QList<Candle> shuffled = history();
    std::swap(shuffled[0], shuffled[2]);
    m.reset(u"ETH/USD"_s, 5, shuffled);
    QCOMPARE(reset.count(), 2);
    QCOMPARE(m.symbol(), u"ETH/USD"_s);
    QCOMPARE(m.candles().first().beginMs, T0);
    QCOMPARE(m.candles().last().beginMs, T0 + 2 * Minute);
}

void TestCandleModel::formingBarReplacedInPlace() {
    CandleModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.reset(u"BTC/USD"_s, 1, history());
    QSignalSpy dataChanged(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&m, &CandleModel::candlesChanged);
    m.update(u"BTC/USD"_s, 1, {bar(2, "101.9", "102.8", "101.5", "102.7", "0.9", false)});
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(dataChanged.at(0).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(dataChanged.at(0).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.index(2, CandleModel::High).data().toString(), u"102.8"_s);
    QCOMPARE(m.index(2, CandleModel::Close).data().toString(), u"102.7"_s);
    QCOMPARE(m.index(2, CandleModel::Volume).data().toString(), u"0.9"_s);

    // The same bar again: nothing changed, nothing emitted.
    m.update(u"BTC/USD"_s, 1, {bar(2, "101.9", "102.8", "101.5", "102.7", "0.9", false)});
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(changed.count(), 1);
}

void TestCandleModel::newBarAppendedAndPreviousClosed() {
    CandleModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.reset(u"BTC/USD"_s, 1, history());
    QSignalSpy dataChanged(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&m, &CandleModel::candlesChanged);
    // One batch: the forming bar's final values, then the next one, as the feed sends them.
    m.update(u"BTC/USD"_s, 1,
             {bar(2, "101.9", "103.0", "101.5", "102.9", "1.1", true),
              bar(3, "102.9", "103.1", "102.9", "103.0", "0.2", false)});
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(dataChanged.at(0).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.rowCount(), 4);
    QCOMPARE(m.index(2, CandleModel::Close).data().toString(), u"102.9"_s);
    QCOMPARE(m.index(2, 0).data(CandleModel::ClosedRole).toBool(), true);
    QCOMPARE(m.index(3, 0).data(CandleModel::ClosedRole).toBool(), false);

    // A later bar alone also closes the one before it, even if nobody said so; two new bars
    // in one batch are one insertion, and only the newest is forming.
    m.update(u"BTC/USD"_s, 1,
             {bar(4, "103.0", "103.0", "102.0", "102.5", "1", false),
              bar(5, "102.5", "102.6", "102.4", "102.6", "0.1", false)});
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 4);
    QCOMPARE(inserted.at(1).at(2).toInt(), 5);
    QCOMPARE(m.rowCount(), 6);
    QCOMPARE(m.index(3, 0).data(CandleModel::ClosedRole).toBool(), true);
    QCOMPARE(m.index(4, 0).data(CandleModel::ClosedRole).toBool(), true);
    QCOMPARE(m.index(5, 0).data(CandleModel::ClosedRole).toBool(), false);
    QCOMPARE(m.index(5, 0).data(CandleModel::BeginMsRole).toLongLong(), T0 + 5 * Minute);
}

void TestCandleModel::otherSymbolOrIntervalIgnored() {
    CandleModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.reset(u"BTC/USD"_s, 1, history());
    QSignalSpy changed(&m, &CandleModel::candlesChanged);
    m.update(u"ETH/USD"_s, 1, {bar(3, "1", "1", "1", "1", "1", false)});
    m.update(u"BTC/USD"_s, 5, {bar(3, "1", "1", "1", "1", "1", false)});
    // A bar older than history that the model does not hold is not inserted in the middle.
    m.update(u"BTC/USD"_s, 1, {bar(-5, "1", "1", "1", "1", "1", true)});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m.rowCount(), 3);
}

QTEST_GUILESS_MAIN(TestCandleModel)
#include "tst_candlemodel.moc"
