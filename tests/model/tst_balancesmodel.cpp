// BalancesModel under QAbstractItemModelTester: rows by asset, available = total - held,
// a tick with the same assets is one dataChanged over the changed rows (none if nothing
// changed), a new or vanished asset resets; the Decimal columns sort as numbers.

#include "model/balancesmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::BalanceRecord;
using model::BalancesModel;

namespace {

using modeltest::column;

BalanceRecord bal(const QString &asset, const QString &total, const QString &held) {
    return BalanceRecord{asset, *Decimal::fromString(QStringView(total)),
                         *Decimal::fromString(QStringView(held))};
}

} // namespace

class TestBalancesModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsAndAvailable();
    void sameAssetsIsOneDataChanged();
    void assetSetChangeResets();
    void sortsNumerically();
};

void TestBalancesModel::rowsAndAvailable() {
    BalancesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBalances(
        {bal(u"USD"_s, u"10000.5"_s, u"2500.25"_s), bal(u"BTC"_s, u"1.50000000"_s, u"0.1"_s)});
    QCOMPARE(column(m, BalancesModel::Asset), (QStringList{u"BTC"_s, u"USD"_s}));
    QCOMPARE(column(m, BalancesModel::Total), (QStringList{u"1.50000000"_s, u"10000.5"_s}));
    QCOMPARE(column(m, BalancesModel::Held), (QStringList{u"0.1"_s, u"2500.25"_s}));
    QCOMPARE(column(m, BalancesModel::Available), (QStringList{u"1.40000000"_s, u"7500.25"_s}));
    QCOMPARE(m.index(1, 0).data(BalancesModel::AssetRole).toString(), u"USD"_s);
    QCOMPARE(m.headerData(BalancesModel::Available, Qt::Horizontal).toString(), u"Available"_s);
}

void TestBalancesModel::sameAssetsIsOneDataChanged() {
    BalancesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBalances({bal(u"BTC"_s, u"1"_s, u"0"_s), bal(u"ETH"_s, u"2"_s, u"0"_s),
                   bal(u"SOL"_s, u"3"_s, u"0"_s), bal(u"USD"_s, u"4"_s, u"0"_s)});
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    // ETH and SOL change, in another order than the rows.
    m.setBalances({bal(u"USD"_s, u"4"_s, u"0"_s), bal(u"SOL"_s, u"3"_s, u"1"_s),
                   bal(u"BTC"_s, u"1"_s, u"0"_s), bal(u"ETH"_s, u"2.5"_s, u"0"_s)});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(m.index(2, BalancesModel::Available).data().toString(), u"2"_s);
    // The same values again: no signal at all.
    m.setBalances({bal(u"USD"_s, u"4"_s, u"0"_s), bal(u"SOL"_s, u"3"_s, u"1"_s),
                   bal(u"BTC"_s, u"1"_s, u"0"_s), bal(u"ETH"_s, u"2.5"_s, u"0"_s)});
    QCOMPARE(changed.count(), 1);
}

void TestBalancesModel::assetSetChangeResets() {
    BalancesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setBalances({bal(u"BTC"_s, u"1"_s, u"0"_s)});
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.setBalances({bal(u"BTC"_s, u"1"_s, u"0"_s), bal(u"ADA"_s, u"5"_s, u"0"_s)});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(column(m, BalancesModel::Asset), (QStringList{u"ADA"_s, u"BTC"_s}));
    m.setBalances({});
    QCOMPARE(reset.count(), 2);
    QCOMPARE(m.rowCount(), 0);
}

void TestBalancesModel::sortsNumerically() {
    BalancesModel m;
    m.setBalances({bal(u"A"_s, u"10.25"_s, u"0"_s), bal(u"B"_s, u"9.5"_s, u"0"_s),
                   bal(u"C"_s, u"100"_s, u"0"_s)});
    QSortFilterProxyModel p;
    QAbstractItemModelTester tester(&p, QAbstractItemModelTester::FailureReportingMode::QtTest);
    p.setSourceModel(&m);
    p.setSortRole(BalancesModel::SortRole);
    p.sort(BalancesModel::Total, Qt::AscendingOrder);
    QCOMPARE(column(p, BalancesModel::Total), (QStringList{u"9.5"_s, u"10.25"_s, u"100"_s}));
}

QTEST_GUILESS_MAIN(TestBalancesModel)
#include "tst_balancesmodel.moc"
