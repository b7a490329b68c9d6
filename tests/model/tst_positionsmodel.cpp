// PositionsModel under QAbstractItemModelTester: exact display text (prices at the symbol's
// decimals, PnL with its currency, cross or fixed leverage), the symbol / signed size / sign
// roles, one batch per setPositions (closed positions removed, opened ones inserted, the rest
// one dataChanged, nothing for an unchanged set), zero size counted as closed, and numeric
// sorting through a proxy on SortRole.

#include "model/positionsmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using model::PositionRecord;
using model::PositionsModel;

namespace {

using modeltest::column;
using modeltest::dec;

PositionRecord position(const QString &symbol, const char *size, const char *entry,
                        const char *mark, const char *pnl, const QString &currency) {
    PositionRecord p;
    p.symbol = symbol;
    p.size = dec(size);
    p.entryPrice = dec(entry);
    p.markPrice = dec(mark);
    p.unrealizedPnl = dec(pnl);
    p.pnlCurrency = currency;
    return p;
}

PositionRecord pf(const char *size = "0.5", const char *mark = "61000",
                  const char *pnl = "499.75") {
    PositionRecord p = position(u"PF_XBTUSD"_s, size, "60000.5", mark, pnl, u"USD"_s);
    p.unrealizedFunding = dec("-0.12");
    p.liquidationPrice = dec("30000");
    return p;
}

PositionRecord pi(const char *size = "-1000", const char *pnl = "0.0002286") {
    PositionRecord p = position(u"PI_XBTUSD"_s, size, "47000", "46500.5", pnl, u"XBT"_s);
    p.maxFixedLeverage = dec("10");
    return p;
}

} // namespace

class TestPositionsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void displayTextIsExact();
    void rolesCarrySymbolAndSignedSize();
    void openAndCloseAreInsertsAndRemoves();
    void aTickIsOneDataChanged();
    void zeroSizeIsClosed();
    void sortsNumericallyThroughProxy();
};

void TestPositionsModel::displayTextIsExact() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setPositions({pf(), pi()});
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(column(m, PositionsModel::Symbol), (QStringList{u"PF_XBTUSD"_s, u"PI_XBTUSD"_s}));
    QCOMPARE(column(m, PositionsModel::Side), (QStringList{u"Long"_s, u"Short"_s}));
    QCOMPARE(column(m, PositionsModel::Size), (QStringList{u"0.5"_s, u"1000"_s}));
    QCOMPARE(column(m, PositionsModel::Entry), (QStringList{u"60000.5"_s, u"47000"_s}));
    QCOMPARE(column(m, PositionsModel::Mark), (QStringList{u"61000"_s, u"46500.5"_s}));
    QCOMPARE(column(m, PositionsModel::UnrealizedPnl),
             (QStringList{u"499.75 USD"_s, u"0.0002286 XBT"_s}));
    QCOMPARE(column(m, PositionsModel::Funding), (QStringList{u"-0.12 USD"_s, u"\u2014"_s}));
    QCOMPARE(column(m, PositionsModel::Liquidation), (QStringList{u"30000"_s, u"\u2014"_s}));
    QCOMPARE(column(m, PositionsModel::Leverage), (QStringList{u"cross"_s, u"10x"_s}));
    QCOMPARE(m.headerData(PositionsModel::UnrealizedPnl, Qt::Horizontal).toString(),
             u"Unrealised PnL"_s);
    QCOMPARE(m.headerData(PositionsModel::Liquidation, Qt::Horizontal).toString(),
             u"Liquidation"_s);

    // At the instruments' tick decimals (0.5 -> 1 place): one dataChanged over the prices.
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setPriceDecimals({{u"PF_XBTUSD"_s, 1}, {u"PI_XBTUSD"_s, 1}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(column(m, PositionsModel::Entry), (QStringList{u"60000.5"_s, u"47000.0"_s}));
    QCOMPARE(column(m, PositionsModel::Mark), (QStringList{u"61000.0"_s, u"46500.5"_s}));
    QCOMPARE(column(m, PositionsModel::Liquidation), (QStringList{u"30000.0"_s, u"\u2014"_s}));
    // Sizes and PnL keep their own text.
    QCOMPARE(column(m, PositionsModel::Size), (QStringList{u"0.5"_s, u"1000"_s}));
}

void TestPositionsModel::rolesCarrySymbolAndSignedSize() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setPositions({pf(), pi("-1000", "-0.0001")});
    QCOMPARE(column(m, 0, PositionsModel::SymbolRole),
             (QStringList{u"PF_XBTUSD"_s, u"PI_XBTUSD"_s}));
    QCOMPARE(column(m, 0, PositionsModel::SignedSizeRole), (QStringList{u"0.5"_s, u"-1000"_s}));
    QCOMPARE(m.index(1, PositionsModel::UnrealizedPnl).data(PositionsModel::SignRole).toInt(), -1);
    QCOMPARE(m.index(0, PositionsModel::UnrealizedPnl).data(PositionsModel::SignRole).toInt(), 1);
    QCOMPARE(m.index(0, PositionsModel::Funding).data(PositionsModel::SignRole).toInt(), -1);
    QCOMPARE(m.index(1, PositionsModel::Side).data(PositionsModel::SignRole).toInt(), -1);
    const auto rec = m.index(1, 0).data(PositionsModel::RecordRole).value<PositionRecord>();
    QCOMPARE(rec.size.toString(), u"-1000"_s);
    QCOMPARE(rec.maxFixedLeverage->toString(), u"10"_s);
    QCOMPARE(m.rowOf(u"PI_XBTUSD"_s), 1);
    QCOMPARE(m.rowOf(u"PF_ETHUSD"_s), -1);
}

void TestPositionsModel::openAndCloseAreInsertsAndRemoves() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const PositionRecord eth = position(u"PF_ETHUSD"_s, "3", "3000.1", "3010.1", "30", u"USD"_s);
    m.setPositions({pf(), pi(), eth});
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);

    // PI closes, PF's mark moves, SOL opens, ETH is as it was.
    const PositionRecord sol = position(u"PF_SOLUSD"_s, "-20", "150.01", "149.5", "10.2", u"USD"_s);
    m.setPositions({eth, pf("0.5", "61500", "749.75"), sol});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1); // the PI row
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0); // PF only
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(column(m, PositionsModel::Symbol),
             (QStringList{u"PF_XBTUSD"_s, u"PF_ETHUSD"_s, u"PF_SOLUSD"_s}));
    QCOMPARE(m.index(0, PositionsModel::Mark).data().toString(), u"61500"_s);
    QCOMPARE(m.index(2, PositionsModel::Side).data().toString(), u"Short"_s);

    // Two rows apart close in the same batch: one removal per run, the survivor in place.
    removed.clear();
    m.setPositions({eth});
    QCOMPARE(removed.count(), 2);
    QCOMPARE(column(m, PositionsModel::Symbol), (QStringList{u"PF_ETHUSD"_s}));

    // Flat.
    m.setPositions({});
    QCOMPARE(m.rowCount(), 0);
}

void TestPositionsModel::aTickIsOneDataChanged() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const PositionRecord eth = position(u"PF_ETHUSD"_s, "3", "3000.1", "3010.1", "30", u"USD"_s);
    m.setPositions({pf(), eth, pi()});
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    // The first and the last change, in another order than the rows.
    m.setPositions({pi("-1000", "0.0003"), eth, pf("0.5", "61000.5", "500.25")});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().column(), PositionsModel::ColumnCount - 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(column(m, PositionsModel::UnrealizedPnl),
             (QStringList{u"500.25 USD"_s, u"30 USD"_s, u"0.0003 XBT"_s}));
    // The same again: no signal at all. A new scale of the same value is a change of text.
    m.setPositions({pi("-1000", "0.0003"), eth, pf("0.5", "61000.5", "500.25")});
    QCOMPARE(changed.count(), 1);
    m.setPositions({pi("-1000", "0.00030"), eth, pf("0.5", "61000.5", "500.25")});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(m.index(2, PositionsModel::UnrealizedPnl).data().toString(), u"0.00030 XBT"_s);
}

void TestPositionsModel::zeroSizeIsClosed() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setPositions({pf(), pi()});
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    m.setPositions({pf("0"), pi()});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(column(m, PositionsModel::Symbol), (QStringList{u"PI_XBTUSD"_s}));
    // A zero-size position never opens a row; an empty symbol is ignored.
    PositionRecord blank = pf();
    blank.symbol.clear();
    m.setPositions({pi(), pf("0"), blank});
    QCOMPARE(m.rowCount(), 1);
    // The last report of a symbol in one batch wins.
    m.setPositions({pi("-1000"), pi("-2000")});
    QCOMPARE(m.index(0, PositionsModel::Size).data().toString(), u"2000"_s);
}

void TestPositionsModel::sortsNumericallyThroughProxy() {
    PositionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setSortRole(PositionsModel::SortRole);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    // As text these would sort "-5", "100", "12.5" and "10.25", "9.5".
    m.setPositions({position(u"A"_s, "9.5", "100", "101", "100", u"USD"_s),
                    position(u"B"_s, "-10.25", "100", "99", "12.5", u"USD"_s),
                    position(u"C"_s, "1", "100", "95", "-5", u"USD"_s)});
    proxy.sort(PositionsModel::UnrealizedPnl, Qt::AscendingOrder);
    QCOMPARE(column(proxy, PositionsModel::Symbol), (QStringList{u"C"_s, u"B"_s, u"A"_s}));
    proxy.sort(PositionsModel::Size, Qt::DescendingOrder);
    QCOMPARE(column(proxy, PositionsModel::Size), (QStringList{u"10.25"_s, u"9.5"_s, u"1"_s}));
    proxy.sort(PositionsModel::Mark, Qt::AscendingOrder);
    QCOMPARE(column(proxy, PositionsModel::Mark), (QStringList{u"95"_s, u"99"_s, u"101"_s}));
}

QTEST_GUILESS_MAIN(TestPositionsModel)
#include "tst_positionsmodel.moc"
