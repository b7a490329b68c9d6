// PositionsPanel offscreen: the empty state while flat, the Close action (tool button and
// context menu) asking first and emitting the symbol and the exact signed size only on yes,
// the action following the selection, numeric sorting through the panel's proxy, and the
// PnL columns coloured by sign.

#include "model/positionsmodel.h"
#include "ui/positionspanel.h"
#include "ui/signcolourdelegate.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::PositionRecord;
using model::PositionsModel;

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

PositionRecord position(const char *symbol, const char *size, const char *pnl,
                        const char *currency) {
    PositionRecord p;
    p.symbol = QString::fromLatin1(symbol);
    p.size = dec(size);
    p.entryPrice = dec("50000");
    p.markPrice = dec("50100");
    p.unrealizedPnl = dec(pnl);
    p.pnlCurrency = QString::fromLatin1(currency);
    return p;
}

void selectSymbol(QTableView *view, const QString &symbol) {
    const QAbstractItemModel *m = view->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, 0).data(PositionsModel::SymbolRole).toString() == symbol) {
            view->selectRow(row);
            return;
        }
    }
    QFAIL(qPrintable(u"no row for "_s + symbol));
}

} // namespace

class TestPositionsPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyStateWhileFlat();
    void closeAsksThenEmitsSignedSize();
    void cancelEmitsNothing();
    void sortsAndColours();
};

void TestPositionsPanel::emptyStateWhileFlat() {
    PositionsModel model;
    ui::PositionsPanel panel(&model);
    panel.resize(800, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.isShowingEmptyState());
    QVERIFY(panel.emptyLabel()->isVisible());
    QCOMPARE(panel.emptyLabel()->text(), u"No open positions"_s);
    QVERIFY(!panel.closeAction()->isEnabled());

    model.setPositions({position("PF_XBTUSD", "0.5", "50", "USD")});
    QVERIFY(!panel.isShowingEmptyState());
    QVERIFY(panel.view()->isVisible());
    QVERIFY(!panel.closeAction()->isEnabled()); // nothing selected yet
    selectSymbol(panel.view(), u"PF_XBTUSD"_s);
    QVERIFY(panel.closeAction()->isEnabled());

    // Closed: flat again.
    model.setPositions({});
    QVERIFY(panel.isShowingEmptyState());
    QVERIFY(!panel.closeAction()->isEnabled());
}

void TestPositionsPanel::closeAsksThenEmitsSignedSize() {
    PositionsModel model;
    model.setPositions({position("PF_XBTUSD", "0.5", "50", "USD"),
                        position("PI_XBTUSD", "-1000", "-0.0001", "XBT")});
    ui::PositionsPanel panel(&model);
    QString asked;
    panel.setConfirmer([&](const QString &q) {
        asked = q;
        return true;
    });
    QSignalSpy close(&panel, &ui::PositionsPanel::closePositionRequested);
    // The same action is in the view's context menu.
    QVERIFY(panel.view()->actions().contains(panel.closeAction()));
    QCOMPARE(panel.view()->contextMenuPolicy(), Qt::ActionsContextMenu);

    selectSymbol(panel.view(), u"PI_XBTUSD"_s);
    panel.closeAction()->trigger();
    QCOMPARE(asked, u"Close the short position of 1000 PI_XBTUSD at market? This sends a "
                    u"reduce-only market buy of 1000 contracts."_s);
    QCOMPARE(close.count(), 1);
    QCOMPARE(close.at(0).at(0).toString(), u"PI_XBTUSD"_s);
    QCOMPARE(close.at(0).at(1).value<Decimal>().toString(), u"-1000"_s);

    selectSymbol(panel.view(), u"PF_XBTUSD"_s);
    panel.closeSelected();
    QCOMPARE(asked, u"Close the long position of 0.5 PF_XBTUSD at market? This sends a "
                    u"reduce-only market sell of 0.5 contracts."_s);
    QCOMPARE(close.count(), 2);
    QCOMPARE(close.at(1).at(0).toString(), u"PF_XBTUSD"_s);
    QCOMPARE(close.at(1).at(1).value<Decimal>().toString(), u"0.5"_s);
}

void TestPositionsPanel::cancelEmitsNothing() {
    PositionsModel model;
    model.setPositions({position("PF_ETHUSD", "-2.75", "3", "USD")});
    ui::PositionsPanel panel(&model);
    int asked = 0;
    panel.setConfirmer([&](const QString &) {
        ++asked;
        return false;
    });
    QSignalSpy close(&panel, &ui::PositionsPanel::closePositionRequested);
    selectSymbol(panel.view(), u"PF_ETHUSD"_s);
    panel.closeAction()->trigger();
    QCOMPARE(asked, 1);
    QCOMPARE(close.count(), 0);
    // Without a selection nothing is asked at all.
    panel.view()->clearSelection();
    panel.closeSelected();
    QCOMPARE(asked, 1);
    QCOMPARE(close.count(), 0);
}

void TestPositionsPanel::sortsAndColours() {
    PositionsModel model;
    model.setPositions({position("A", "9.5", "100", "USD"), position("B", "-10.25", "12.5", "USD"),
                        position("C", "1", "-5", "USD")});
    ui::PositionsPanel panel(&model);
    panel.view()->sortByColumn(PositionsModel::UnrealizedPnl, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < panel.proxy()->rowCount(); ++row)
        order << panel.proxy()->index(row, PositionsModel::UnrealizedPnl).data().toString();
    QCOMPARE(order, (QStringList{u"-5 USD"_s, u"12.5 USD"_s, u"100 USD"_s}));
    for (int column :
         {PositionsModel::UnrealizedPnl, PositionsModel::Funding, PositionsModel::Side})
        QVERIFY(
            qobject_cast<ui::SignColourDelegate *>(panel.view()->itemDelegateForColumn(column)));
}

QTEST_MAIN(TestPositionsPanel)
#include "tst_positionspanel.moc"
