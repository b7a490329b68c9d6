// AccountSummaryModel under QAbstractItemModelTester: Spot balances and Futures margin
// accounts in one table, grouped by venue whichever arrives first; exact display text; the
// margin level (portfolio value / maintenance margin) exact and rounded down, with its
// alert at the named thresholds; one batch per set (removed, inserted into its own group, one
// dataChanged, nothing for an unchanged set); numeric sorting through a proxy, the Venue
// column keeping the groups together.

#include "model/accountsummarymodel.h"
#include "tests/model/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using model::AccountSummaryModel;
using model::BalanceRecord;
using model::MarginRecord;
using Alert = AccountSummaryModel::MarginAlert;

namespace {

using modeltest::column;
using modeltest::dec;

BalanceRecord bal(const char *asset, const char *total, const char *held) {
    return BalanceRecord{QString::fromLatin1(asset), dec(total), dec(held)};
}

MarginRecord margin(const char *account, const char *currency, const char *balance,
                    const char *portfolio, const char *available, const char *im, const char *mm,
                    const char *pnl) {
    MarginRecord m;
    m.account = QString::fromLatin1(account);
    m.currency = QString::fromLatin1(currency);
    m.balance = dec(balance);
    m.portfolioValue = dec(portfolio);
    m.availableMargin = dec(available);
    m.initialMargin = dec(im);
    m.maintenanceMargin = dec(mm);
    m.unrealizedPnl = dec(pnl);
    return m;
}

MarginRecord flex(const char *portfolio = "12345.6789", const char *mm = "5000") {
    return margin("flex", "USD", "12000", portfolio, "2345.6789", "10000", mm, "345.6789");
}

MarginRecord fiXbt() {
    return margin("fi_xbtusd", "XBT", "0.5", "0.5", "0.4", "0.0006", "0.0003", "-0.0001");
}

} // namespace

class TestAccountSummaryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void groupsAndExactText();
    void marginLevelIsExactAndRoundedDown_data();
    void marginLevelIsExactAndRoundedDown();
    void batchIsOneDataChanged();
    void rowsComeAndGoWithinTheirGroup();
    void sortsNumericallyAndKeepsGroups();
};

void TestAccountSummaryModel::groupsAndExactText() {
    AccountSummaryModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Futures first: the Spot rows still go above them.
    m.setFuturesMargin({fiXbt(), flex()});
    m.setSpotBalances({bal("USD", "10000.5", "2500.25"), bal("BTC", "1.50000000", "0.1")});
    QCOMPARE(column(m, AccountSummaryModel::Venue),
             (QStringList{u"Spot"_s, u"Spot"_s, u"Futures"_s, u"Futures"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Account),
             (QStringList{QString(), QString(), u"fi_xbtusd"_s, u"flex"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Currency),
             (QStringList{u"BTC"_s, u"USD"_s, u"XBT"_s, u"USD"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Balance),
             (QStringList{u"1.50000000"_s, u"10000.5"_s, u"0.5"_s, u"12000"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Available),
             (QStringList{u"1.40000000"_s, u"7500.25"_s, u"0.4"_s, u"2345.6789"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Held),
             (QStringList{u"0.1"_s, u"2500.25"_s, QString(), QString()}));
    QCOMPARE(column(m, AccountSummaryModel::PortfolioValue),
             (QStringList{QString(), QString(), u"0.5"_s, u"12345.6789"_s}));
    QCOMPARE(column(m, AccountSummaryModel::InitialMargin),
             (QStringList{QString(), QString(), u"0.0006"_s, u"10000"_s}));
    QCOMPARE(column(m, AccountSummaryModel::MaintenanceMargin),
             (QStringList{QString(), QString(), u"0.0003"_s, u"5000"_s}));
    QCOMPARE(column(m, AccountSummaryModel::UnrealizedPnl),
             (QStringList{QString(), QString(), u"-0.0001"_s, u"345.6789"_s}));
    // 0.5 / 0.0003 = 1666.66...x; 12345.6789 / 5000 = 2.46913578.
    QCOMPARE(column(m, AccountSummaryModel::MarginLevel),
             (QStringList{QString(), QString(), u"166666.66%"_s, u"246.91%"_s}));
    QCOMPARE(column(m, 0, AccountSummaryModel::MarginLevelRole),
             (QStringList{QString(), QString(), u"166666.66"_s, u"246.91"_s}));
    QCOMPARE(column(m, 0, AccountSummaryModel::KeyRole),
             (QStringList{u"BTC"_s, u"USD"_s, u"fi_xbtusd"_s, u"flex"_s}));
    QCOMPARE(
        m.index(2, AccountSummaryModel::UnrealizedPnl).data(AccountSummaryModel::SignRole).toInt(),
        -1);
    QCOMPARE(
        m.index(3, 0).data(AccountSummaryModel::MarginRecordRole).value<MarginRecord>().account,
        u"flex"_s);
    QCOMPARE(
        m.index(0, 0).data(AccountSummaryModel::BalanceRecordRole).value<BalanceRecord>().asset,
        u"BTC"_s);
    QCOMPARE(m.headerData(AccountSummaryModel::MarginLevel, Qt::Horizontal).toString(),
             u"Margin level"_s);
    QCOMPARE(m.rowOf(AccountSummaryModel::VenueKind::Futures, u"flex"_s), 3);
    QCOMPARE(m.rowOf(AccountSummaryModel::VenueKind::Spot, u"flex"_s), -1);

    // An account without positions has no maintenance margin: no level, no alert.
    MarginRecord idle = margin("fi_ethusd", "ETH", "2", "2", "2", "0", "0", "0");
    idle.maintenanceMargin.reset();
    m.setFuturesMargin({fiXbt(), flex(), idle});
    const int row = m.rowOf(AccountSummaryModel::VenueKind::Futures, u"fi_ethusd"_s);
    QCOMPARE(row, 4);
    QCOMPARE(m.index(row, AccountSummaryModel::MarginLevel).data().toString(), u"\u2014"_s);
    QCOMPARE(m.index(row, AccountSummaryModel::MaintenanceMargin).data().toString(), u"\u2014"_s);
    QCOMPARE(m.index(row, 0).data(AccountSummaryModel::MarginAlertRole).toInt(), int(Alert::None));
}

void TestAccountSummaryModel::marginLevelIsExactAndRoundedDown_data() {
    QTest::addColumn<QString>("portfolio");
    QTest::addColumn<QString>("maintenance");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("alert");
    // 2 / 3 = 66.666..%: down to 66.66, where rounding to nearest would say 66.67.
    QTest::newRow("two thirds") << u"2"_s << u"3"_s << u"66.66%"_s << int(Alert::Critical);
    QTest::newRow("exactly 150") << u"1500"_s << u"1000"_s << u"150.00%"_s << int(Alert::None);
    QTest::newRow("just under 150")
        << u"1499.999"_s << u"1000"_s << u"149.99%"_s << int(Alert::Low);
    QTest::newRow("exactly 110") << u"1100"_s << u"1000"_s << u"110.00%"_s << int(Alert::Low);
    QTest::newRow("just under 110")
        << u"1099.9999"_s << u"1000"_s << u"109.99%"_s << int(Alert::Critical);
    QTest::newRow("coin") << u"0.12345678"_s << u"0.00123456"_s << u"10000.06%"_s
                          << int(Alert::None);
    QTest::newRow("negative equity")
        << u"-50"_s << u"1000"_s << u"-5.00%"_s << int(Alert::Critical);
}

void TestAccountSummaryModel::marginLevelIsExactAndRoundedDown() {
    QFETCH(QString, portfolio);
    QFETCH(QString, maintenance);
    QFETCH(QString, text);
    QFETCH(int, alert);
    AccountSummaryModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MarginRecord a = flex();
    a.portfolioValue = dec(portfolio.toStdString());
    a.maintenanceMargin = dec(maintenance.toStdString());
    m.setFuturesMargin({a});
    QCOMPARE(m.index(0, AccountSummaryModel::MarginLevel).data().toString(), text);
    QCOMPARE(m.index(0, 0).data(AccountSummaryModel::MarginAlertRole).toInt(), alert);
    QCOMPARE(AccountSummaryModel::LowMarginLevelPct, 150);
    QCOMPARE(AccountSummaryModel::CriticalMarginLevelPct, 110);
}

void TestAccountSummaryModel::batchIsOneDataChanged() {
    AccountSummaryModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setSpotBalances({bal("BTC", "1", "0"), bal("ETH", "2", "0"), bal("USD", "4", "0")});
    m.setFuturesMargin({flex(), fiXbt()});
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);

    // Both Futures accounts move: one dataChanged over their two rows.
    MarginRecord x = fiXbt();
    x.unrealizedPnl = dec("0.0002");
    m.setFuturesMargin({flex("12400", "5000"), x});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 3);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 4);
    QCOMPARE(m.index(4, AccountSummaryModel::MarginLevel).data().toString(), u"248.00%"_s);

    // One Spot asset changes: one dataChanged over its row only.
    m.setSpotBalances({bal("USD", "4", "0"), bal("ETH", "2.5", "0.5"), bal("BTC", "1", "0")});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 1);
    QCOMPARE(m.index(1, AccountSummaryModel::Available).data().toString(), u"2.0"_s);

    // Nothing new: no signal.
    m.setSpotBalances({bal("USD", "4", "0"), bal("ETH", "2.5", "0.5"), bal("BTC", "1", "0")});
    m.setFuturesMargin({flex("12400", "5000"), x});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 0);
}

void TestAccountSummaryModel::rowsComeAndGoWithinTheirGroup() {
    AccountSummaryModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setSpotBalances({bal("BTC", "1", "0"), bal("USD", "4", "0")});
    m.setFuturesMargin({flex()});
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);

    // A new Spot asset joins the end of the Spot group, above the Futures rows; BTC goes.
    m.setSpotBalances({bal("USD", "4", "0"), bal("SOL", "12", "0"), bal("ADA", "5", "0")});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(column(m, AccountSummaryModel::Currency),
             (QStringList{u"USD"_s, u"ADA"_s, u"SOL"_s, u"USD"_s}));
    QCOMPARE(column(m, AccountSummaryModel::Venue),
             (QStringList{u"Spot"_s, u"Spot"_s, u"Spot"_s, u"Futures"_s}));

    // A new margin account joins the end; a vanished one goes; the Spot rows are untouched.
    inserted.clear();
    removed.clear();
    m.setFuturesMargin({fiXbt()});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(column(m, AccountSummaryModel::Account),
             (QStringList{QString(), QString(), QString(), u"fi_xbtusd"_s}));

    // Spot empties: only the Futures row is left.
    m.setSpotBalances({});
    QCOMPARE(column(m, AccountSummaryModel::Venue), (QStringList{u"Futures"_s}));
}

void TestAccountSummaryModel::sortsNumericallyAndKeepsGroups() {
    AccountSummaryModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setSortRole(AccountSummaryModel::SortRole);
    m.setSpotBalances({bal("USD", "10.25", "0"), bal("EUR", "9.5", "0"), bal("BTC", "100", "0")});
    m.setFuturesMargin({flex(), fiXbt()});
    // As text "10.25" < "100" < "9.5".
    proxy.sort(AccountSummaryModel::Balance, Qt::AscendingOrder);
    QCOMPARE(column(proxy, AccountSummaryModel::Balance),
             (QStringList{u"0.5"_s, u"9.5"_s, u"10.25"_s, u"100"_s, u"12000"_s}));
    proxy.sort(AccountSummaryModel::MarginLevel, Qt::DescendingOrder);
    QCOMPARE(column(proxy, AccountSummaryModel::MarginLevel).mid(0, 2),
             (QStringList{u"166666.66%"_s, u"246.91%"_s}));
    // Venue: Spot first, Futures after, each by name.
    proxy.sort(AccountSummaryModel::Venue, Qt::AscendingOrder);
    QCOMPARE(column(proxy, 0, AccountSummaryModel::KeyRole),
             (QStringList{u"BTC"_s, u"EUR"_s, u"USD"_s, u"fi_xbtusd"_s, u"flex"_s}));
}

QTEST_GUILESS_MAIN(TestAccountSummaryModel)
#include "tst_accountsummarymodel.moc"
