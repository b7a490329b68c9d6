// CandleChart over a CandleModel: N bars give N candles and N volume bars (the forming one in
// its own accent set), the forming bar updates in place and is drawn distinctly from closed
// ones, a new bar closes the old one, the SMA(20) overlay matches a hand computation, every
// Kraken interval is offered, zoom/pan change the visible range and the readout shows OHLCV.

#include "model/candlemodel.h"
#include "ui/candlechart.h"
#include "ui/theme.h"

#include <QBarSet>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

kraken::Decimal dec(const QString &s) {
    return *kraken::Decimal::fromString(QStringView(s));
}

const qint64 T0 = 1700000000000LL - (1700000000000LL % 60000);

model::Candle bar(int i, bool closed) {
    model::Candle c;
    c.beginMs = T0 + qint64(i) * 60000;
    c.intervalMinutes = 1;
    // open 100+i, close 100+i+0.5 (rising) for even i, 100+i-0.5 (falling) for odd i.
    const QString base = QString::number(100 + i);
    c.open = dec(base + u".0"_s);
    c.close = dec(QString::number(100 + i + (i % 2 ? -0.5 : 0.5), 'f', 1));
    c.high = dec(QString::number(100 + i + 1) + u".0"_s);
    c.low = dec(QString::number(100 + i - 1) + u".0"_s);
    c.volume = dec(QString::number(i + 1) + u".25"_s);
    c.closed = closed;
    return c;
}

QList<model::Candle> bars(int n) {
    QList<model::Candle> out;
    for (int i = 0; i < n; ++i)
        out << bar(i, i < n - 1);
    return out;
}

} // namespace

class TestCandleChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ui::Theme::apply(ui::Theme::Mode::Dark); }
    void nBarsGiveNCandles();
    void formingBarUpdatesInPlace();
    void newBarClosesTheFormingOne();
    void smaOverlay();
    void intervalsZoomPanReadout();
    void longHistoryIsSliced();
};

void TestCandleChart::nBarsGiveNCandles() {
    model::CandleModel model;
    ui::CandleChart chart(&model);
    chart.resize(900, 600);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.candleSeries()->count(), 0);
    model.reset(u"BTC/USD"_s, 1, bars(50));
    QCOMPARE(chart.candleSeries()->count(), 50);
    const auto sets = chart.candleSeries()->sets();
    QCOMPARE(sets.at(0)->open(), 100.0);
    QCOMPARE(sets.at(0)->close(), 100.5);
    QCOMPARE(sets.at(1)->close(), 100.5);
    QCOMPARE(sets.at(49)->high(), 150.0);
    QCOMPARE(sets.at(49)->timestamp(), 49.0);
    // Volume: three stacked sets (up, down, forming), each one value per bar.
    const auto volSets = chart.volumeSeries()->barSets();
    QCOMPARE(volSets.size(), 3);
    for (QBarSet *s : volSets)
        QCOMPARE(s->count(), 50);
    QCOMPARE(volSets.at(0)->at(0), 1.25); // bar 0 rose
    QCOMPARE(volSets.at(1)->at(0), 0.0);
    QCOMPARE(volSets.at(1)->at(1), 2.25);   // bar 1 fell
    QCOMPARE(volSets.at(2)->at(49), 50.25); // the forming bar's volume in the forming set
    QCOMPARE(volSets.at(0)->at(49) + volSets.at(1)->at(49), 0.0);

    // Forming bar distinct: the accent pen, unlike a closed bar's side colour.
    const QColor accent = ui::Theme::accentColour(chart.palette());
    QCOMPARE(sets.at(49)->pen().color(), accent);
    QVERIFY(sets.at(48)->pen().color() != accent);
    QCOMPARE(sets.at(48)->brush().style(), Qt::SolidPattern);
    QVERIFY(sets.at(49)->brush().style() != Qt::SolidPattern);
    QVERIFY(!chart.grab().isNull());

    model.reset(u"BTC/USD"_s, 1, bars(7));
    QCOMPARE(chart.candleSeries()->count(), 7);
    model.reset(u"ETH/USD"_s, 5, {});
    QCOMPARE(chart.candleSeries()->count(), 0);
}

void TestCandleChart::formingBarUpdatesInPlace() {
    model::CandleModel model;
    ui::CandleChart chart(&model);
    model.reset(u"BTC/USD"_s, 1, bars(30));
    QCandlestickSet *forming = chart.candleSeries()->sets().at(29);
    model::Candle tick = bar(29, false);
    tick.close = dec(u"140.0"_s);
    tick.high = dec(u"140.0"_s);
    tick.volume = dec(u"99.5"_s);
    model.update(u"BTC/USD"_s, 1, {tick});
    QCOMPARE(chart.candleSeries()->count(), 30);
    QCOMPARE(chart.candleSeries()->sets().at(29), forming); // the same set, updated
    QCOMPARE(forming->close(), 140.0);
    QCOMPARE(forming->high(), 140.0);
    QCOMPARE(chart.volumeSeries()->barSets().at(2)->at(29), 99.5);
    QVERIFY(chart.readout()->text().contains(u"C 140.0"_s));
    QVERIFY(chart.readout()->text().contains(u"(forming)"_s));
    // An update for another interval is not ours.
    tick.close = dec(u"1.0"_s);
    model.update(u"BTC/USD"_s, 5, {tick});
    QCOMPARE(chart.candleSeries()->sets().at(29)->close(), 140.0);
}

void TestCandleChart::newBarClosesTheFormingOne() {
    model::CandleModel model;
    ui::CandleChart chart(&model);
    model.reset(u"BTC/USD"_s, 1, bars(30));
    const QColor accent = ui::Theme::accentColour(chart.palette());
    model.update(u"BTC/USD"_s, 1, {bar(29, true), bar(30, false)});
    QCOMPARE(chart.candleSeries()->count(), 31);
    QVERIFY(chart.candleSeries()->sets().at(29)->pen().color() != accent);
    QCOMPARE(chart.candleSeries()->sets().at(30)->pen().color(), accent);
    QCOMPARE(chart.candleSeries()->sets().at(30)->open(), 130.0);
    QCOMPARE(chart.volumeSeries()->barSets().at(2)->at(29), 0.0);
    QCOMPARE(chart.volumeSeries()->barSets().at(1)->at(29), 30.25); // bar 29 fell
    // Following the latest bar: the view's right edge moved with it.
    QVERIFY(chart.visibleRange().second >= 30.0);
}

void TestCandleChart::smaOverlay() {
    model::CandleModel model;
    ui::CandleChart chart(&model);
    model.reset(u"BTC/USD"_s, 1, bars(25));
    // SMA(20) from bar 19 on: 6 points. Closes: 100+i+0.5 (even i), 100+i-0.5 (odd i).
    QCOMPARE(chart.smaSeries()->count(), 6);
    auto close = [](int i) { return 100 + i + (i % 2 ? -0.5 : 0.5); };
    double sum = 0;
    for (int i = 0; i < 20; ++i)
        sum += close(i);
    QCOMPARE(chart.smaSeries()->at(0), QPointF(19, sum / 20));
    sum = 0;
    for (int i = 5; i < 25; ++i)
        sum += close(i);
    QCOMPARE(chart.smaSeries()->at(5), QPointF(24, sum / 20));
}

void TestCandleChart::intervalsZoomPanReadout() {
    model::CandleModel model;
    ui::CandleChart chart(&model);
    chart.resize(900, 600);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QStringList labels;
    for (int i = 0; i < chart.intervalCombo()->count(); ++i)
        labels << chart.intervalCombo()->itemText(i);
    QCOMPARE(labels, QStringList({u"1m"_s, u"5m"_s, u"15m"_s, u"30m"_s, u"1h"_s, u"4h"_s, u"1d"_s,
                                  u"1w"_s, u"15d"_s}));
    QSignalSpy spy(&chart, &ui::CandleChart::intervalChanged);
    chart.setIntervalMinutes(240);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 240);
    QCOMPARE(chart.intervalMinutes(), 240);

    model.reset(u"BTC/USD"_s, 1, bars(300));
    const auto before = chart.visibleRange();
    QVERIFY(before.second >= 299);
    chart.zoom(0.5, before.second);
    const auto zoomed = chart.visibleRange();
    QVERIFY(zoomed.second - zoomed.first < (before.second - before.first) * 0.6);
    chart.pan(-50);
    const auto panned = chart.visibleRange();
    QCOMPARE(panned.second, zoomed.second - 50);
    // Looking at history: a new bar does not move the view.
    model.update(u"BTC/USD"_s, 1, {bar(299, true), bar(300, false)});
    QCOMPARE(chart.visibleRange(), panned);
    chart.resetView();
    QVERIFY(chart.visibleRange().second >= 300);

    chart.showReadout(10);
    const QString text = chart.readout()->text();
    QVERIFY2(text.contains(u"O 110.0  H 111.0  L 109.0  C 110.5  V 11.25"_s), qPrintable(text));
    QVERIFY(!chart.grab().isNull());
}

void TestCandleChart::longHistoryIsSliced() {
    // 720 bars (a REST history): the series hold the bars around the view, in bar-index
    // coordinates, and follow the view when it pans into history.
    model::CandleModel model;
    ui::CandleChart chart(&model);
    model.reset(u"BTC/USD"_s, 1, bars(720));
    auto *series = chart.candleSeries();
    const auto range = chart.visibleRange();
    const int from = chart.firstShownBar();
    QVERIFY(from > 0);
    QVERIFY(from <= range.first);
    QCOMPARE(from + series->count(), 720); // through the forming bar
    QCOMPARE(series->sets().at(0)->timestamp(), double(from));
    QCOMPARE(series->sets().at(0)->open(), 100.0 + from);
    QCOMPARE(chart.volumeSeries()->barSets().at(0)->count(), series->count());
    QCOMPARE(chart.smaSeries()->at(0).x(), double(from));

    chart.pan(-500); // back in history
    const auto back = chart.visibleRange();
    const int from2 = chart.firstShownBar();
    QVERIFY(from2 <= back.first);
    QVERIFY(from2 + series->count() - 1 >= back.second);
    QCOMPARE(series->sets().at(0)->timestamp(), double(from2));
    QCOMPARE(series->sets().at(0)->close(), 100 + from2 + (from2 % 2 ? -0.5 : 0.5));
    // The forming bar updates off screen, then shows when the view returns.
    model::Candle tick = bar(719, false);
    tick.close = dec(u"900.0"_s);
    tick.high = dec(u"900.0"_s);
    model.update(u"BTC/USD"_s, 1, {tick});
    chart.resetView();
    QCOMPARE(series->sets().constLast()->timestamp(), 719.0);
    QCOMPARE(series->sets().constLast()->close(), 900.0);
}

QTEST_MAIN(TestCandleChart)
#include "tst_candlechart.moc"
