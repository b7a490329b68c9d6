// LadderPanel over a LadderModel fed a known book: the view shows asks (highest first), the
// spread row and bids in order with their sizes and totals; changing the grouping combo
// changes what the view shows (buckets of 5 and 10 ticks, sizes summed); the view keeps the
// spread row in sight and stops following when the user scrolls; the delegate paints.

#include "model/laddermodel.h"
#include "ui/ladderpanel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

kraken::Decimal dec(const char *s) {
    return *kraken::Decimal::fromString(std::string_view(s));
}

// BTC/USD-like: price 1 decimal, qty 8; tick 0.1.
model::BookPtr knownBook() {
    auto b = std::make_shared<kraken::book::BookSnapshot>();
    b->symbol = u"BTC/USD"_s;
    b->pricePrecision = 1;
    b->qtyPrecision = 8;
    // asks 100.1 .. 100.8 (qty 1..8), bids 100.0 down to 99.3 (qty 0.5 each)
    for (int i = 0; i < 8; ++i)
        b->asks.push_back({1001 + i, std::int64_t(i + 1) * 100000000});
    for (int i = 0; i < 8; ++i)
        b->bids.push_back({1000 - i, 50000000});
    return b;
}

QStringList column(const QTableView *view, int col, int from, int to) {
    QStringList out;
    for (int r = from; r <= to; ++r)
        out << view->model()->index(r, col).data().toString();
    return out;
}

} // namespace

class TestLadderPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsLevelsInOrder();
    void groupingChangesWhatItShows();
    void followsSpreadUntilUserScrolls();
};

void TestLadderPanel::showsLevelsInOrder() {
    model::LadderModel model(5);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.resize(360, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView *view = panel.view();
    QCOMPARE(view->model()->rowCount(), 11);
    // Asks, highest of the 5 nearest first, then the spread, then bids from the best down.
    QCOMPARE(column(view, 0, 0, 4),
             QStringList({u"100.5"_s, u"100.4"_s, u"100.3"_s, u"100.2"_s, u"100.1"_s}));
    QCOMPARE(view->model()->index(5, 0).data().toString(), u"0.1"_s);
    QCOMPARE(column(view, 0, 6, 10),
             QStringList({u"100.0"_s, u"99.9"_s, u"99.8"_s, u"99.7"_s, u"99.6"_s}));
    QCOMPARE(column(view, 1, 0, 4), QStringList({u"5.00000000"_s, u"4.00000000"_s, u"3.00000000"_s,
                                                 u"2.00000000"_s, u"1.00000000"_s}));
    QCOMPARE(column(view, 2, 6, 7), QStringList({u"0.50000000"_s, u"1.00000000"_s}));
    // The rows the view actually paints: every level row is laid out top to bottom in order.
    int lastY = -1;
    for (int r = 0; r < 11; ++r) {
        const int y = view->rowViewportPosition(r);
        QVERIFY2(y > lastY, qPrintable(QString::number(r)));
        lastY = y;
    }
    // The delegate paints (size bars, flash, spread row) without trouble.
    const QImage img = panel.grab().toImage();
    QVERIFY(!img.isNull());
}

void TestLadderPanel::groupingChangesWhatItShows() {
    model::LadderModel model(3);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QComboBox *combo = panel.groupingCombo();
    QCOMPARE(combo->count(), 5);
    QList<int> values;
    for (int i = 0; i < combo->count(); ++i)
        values << combo->itemData(i).toInt();
    QCOMPARE(values, QList<int>({1, 5, 10, 25, 100}));

    QCOMPARE(column(panel.view(), 0, 0, 2), QStringList({u"100.3"_s, u"100.2"_s, u"100.1"_s}));
    combo->setCurrentIndex(1); // 5 ticks = 0.5
    QCOMPARE(model.grouping(), 5);
    // Asks round up to 100.5 (100.1..100.5: 1+2+3+4+5) and 101.0 (100.6..100.8: 6+7+8);
    // bids round down to 100.0 (100.0: 0.5) and 99.5 (99.9..99.5: 2.5), 99.0 (99.4, 99.3).
    QCOMPARE(column(panel.view(), 0, 1, 2), QStringList({u"101.0"_s, u"100.5"_s}));
    QCOMPARE(column(panel.view(), 1, 1, 2), QStringList({u"21.00000000"_s, u"15.00000000"_s}));
    QCOMPARE(column(panel.view(), 0, 4, 6), QStringList({u"100.0"_s, u"99.5"_s, u"99.0"_s}));
    QCOMPARE(column(panel.view(), 1, 4, 6),
             QStringList({u"0.50000000"_s, u"2.50000000"_s, u"1.00000000"_s}));
    QVERIFY(panel.view()->model()->index(0, 0).data().toString().isEmpty()); // only 2 ask buckets

    combo->setCurrentIndex(2); // 10 ticks = 1.0
    QCOMPARE(column(panel.view(), 0, 2, 2), QStringList({u"101.0"_s}));
    QCOMPARE(column(panel.view(), 1, 2, 2), QStringList({u"36.00000000"_s}));
    combo->setCurrentIndex(0);
    QCOMPARE(column(panel.view(), 0, 0, 2), QStringList({u"100.3"_s, u"100.2"_s, u"100.1"_s}));
}

void TestLadderPanel::followsSpreadUntilUserScrolls() {
    model::LadderModel model(20);
    model.setTickSize(dec("0.1"));
    model.setBook(knownBook());
    ui::LadderPanel panel(&model);
    panel.resize(360, 260); // far fewer rows than 41 fit
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView *view = panel.view();
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
    const auto spreadVisible = [&] {
        const int y = view->rowViewportPosition(model.spreadRow());
        return y >= 0 && y + view->rowHeight(model.spreadRow()) <= view->viewport()->height();
    };
    QTRY_VERIFY(spreadVisible());
    QVERIFY(panel.isFollowingSpread());
    view->verticalScrollBar()->setValue(0); // the user scrolls to the top
    QVERIFY(!panel.isFollowingSpread());
    QVERIFY(!spreadVisible());
    model.setBook(knownBook());
    QCOMPARE(view->verticalScrollBar()->value(), 0); // left where the user put it
    panel.recentre();
    QVERIFY(panel.isFollowingSpread());
    QVERIFY(spreadVisible());
}

QTEST_MAIN(TestLadderPanel)
#include "tst_ladderpanel.moc"
