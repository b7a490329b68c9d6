// AccountSummaryPanel offscreen: the alert line names a margin account whose level is low
// (below AccountSummaryModel::LowMarginLevelPct) or critical (below CriticalMarginLevelPct) in
// the warning or error colour and disappears when the level recovers; empty Spot balances hide on
// request while Futures accounts always show; sorting on Venue keeps Spot above Futures.

#include "model/accountsummarymodel.h"
#include "ui/accountsummarypanel.h"
#include "ui/orderconfirmdialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::AccountSummaryModel;
using model::BalanceRecord;
using model::MarginRecord;

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

MarginRecord flex(const char *portfolio, const char *maintenance) {
    MarginRecord m;
    m.account = u"flex"_s;
    m.currency = u"USD"_s;
    m.balance = dec("10000");
    m.portfolioValue = dec(portfolio);
    m.availableMargin = dec("100");
    m.initialMargin = dec("2000");
    m.maintenanceMargin = dec(maintenance);
    m.unrealizedPnl = dec("-50");
    return m;
}

QStringList columnText(const QAbstractItemModel *m, int column) {
    QStringList out;
    for (int row = 0; row < m->rowCount(); ++row)
        out << m->index(row, column).data().toString();
    return out;
}

} // namespace

class TestAccountSummaryPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void alertFollowsMarginLevel();
    void hidesZeroSpotBalancesAndKeepsGroups();
};

void TestAccountSummaryPanel::alertFollowsMarginLevel() {
    AccountSummaryModel model;
    ui::AccountSummaryPanel panel(&model);
    panel.resize(900, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    model.setFuturesMargin({flex("3000", "1000")}); // 300%
    QVERIFY(!panel.alertLabel()->isVisible());

    model.setFuturesMargin({flex("1400", "1000")}); // 140%: low
    QVERIFY(panel.alertLabel()->isVisible());
    QCOMPARE(panel.alertLabel()->text(), u"\u26A0 flex margin level 140.00% (low: below 150%)"_s);
    QCOMPARE(panel.alertLabel()->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::warningColour(panel.palette()));
    const QModelIndex level = panel.proxy()->index(0, AccountSummaryModel::MarginLevel);
    QCOMPARE(level.data().toString(), u"140.00%"_s);
    QVERIFY(panel.view()->itemDelegateForColumn(AccountSummaryModel::MarginLevel));

    model.setFuturesMargin({flex("1050.5", "1000")}); // 105.05%: critical
    QCOMPARE(panel.alertLabel()->text(),
             u"\u26A0 flex margin level 105.05% (near liquidation: below 110%)"_s);
    QCOMPARE(panel.alertLabel()->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::errorColour(panel.palette()));

    model.setFuturesMargin({flex("2000", "1000")}); // recovered
    QVERIFY(!panel.alertLabel()->isVisible());
    QVERIFY(panel.alertLabel()->text().isEmpty());
}

void TestAccountSummaryPanel::hidesZeroSpotBalancesAndKeepsGroups() {
    AccountSummaryModel model;
    model.setFuturesMargin({flex("3000", "1000")});
    model.setSpotBalances({BalanceRecord{u"USD"_s, dec("250.5"), dec("0")},
                           BalanceRecord{u"DOT"_s, dec("0"), dec("0")},
                           BalanceRecord{u"BTC"_s, dec("0.1"), dec("0")}});
    ui::AccountSummaryPanel panel(&model);
    QVERIFY(panel.hideZeroBox()->isChecked());
    QCOMPARE(columnText(panel.proxy(), AccountSummaryModel::Currency),
             (QStringList{u"BTC"_s, u"USD"_s, u"USD"_s}));
    QCOMPARE(columnText(panel.proxy(), AccountSummaryModel::Venue),
             (QStringList{u"Spot"_s, u"Spot"_s, u"Futures"_s}));
    panel.hideZeroBox()->click();
    QCOMPARE(columnText(panel.proxy(), AccountSummaryModel::Currency),
             (QStringList{u"BTC"_s, u"DOT"_s, u"USD"_s, u"USD"_s}));
    // Sorted by balance the groups mix; by venue they come back.
    panel.view()->sortByColumn(AccountSummaryModel::Balance, Qt::DescendingOrder);
    QCOMPARE(columnText(panel.proxy(), AccountSummaryModel::Balance),
             (QStringList{u"10000"_s, u"250.5"_s, u"0.1"_s, u"0"_s}));
    panel.view()->sortByColumn(AccountSummaryModel::Venue, Qt::AscendingOrder);
    QCOMPARE(columnText(panel.proxy(), AccountSummaryModel::Venue),
             (QStringList{u"Spot"_s, u"Spot"_s, u"Spot"_s, u"Futures"_s}));
}

QTEST_MAIN(TestAccountSummaryPanel)
#include "tst_accountsummarypanel.moc"
