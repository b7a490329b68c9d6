#pragma once

// CandleChart: candles of one symbol and interval from a CandleModel, with a volume pane
// below (a second chart sharing the x range, plot areas pinned so the bars line up), an
// SMA(20) overlay, the forming bar drawn hollow in the accent colour, a crosshair with an
// OHLCV readout, wheel zoom and drag pan (double-click resets), and an interval selector for
// every Kraken interval. The x axis is the bar index (bars are evenly spaced, gaps and all,
// as traders expect); time labels are drawn on the volume pane. A new bar or a new
// symbol/interval rebuilds the series; the forming bar's ticks update it in place. GUI thread.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QCandlestickSeries;
class QCategoryAxis;
class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QStackedBarSeries;
class QBarSet;
class QValueAxis;

namespace model {
class CandleModel;
}

namespace ui {

class ChartView;
class LinkButton;

class CandleChart : public QWidget {
    Q_OBJECT
public:
    static QList<int> intervals() { return {1, 5, 15, 30, 60, 240, 1440, 10080, 21600}; }
    static QString intervalLabel(int minutes); // 1m 5m 15m 30m 1h 4h 1d 1w 15d
    static constexpr int SmaLength = 20;
    static constexpr int TickHz = 10; // forming-bar redraws per second at most

    explicit CandleChart(model::CandleModel *model, QWidget *parent = nullptr);

    int intervalMinutes() const;
    // Selects the interval (emits intervalChanged if it changed).
    void setIntervalMinutes(int minutes);
    void setSymbol(const QString &symbol);

    // Zoom by `factor` (< 1 in) keeping `anchor` (a bar index) still; pan by `bars`.
    void zoom(double factor, double anchor);
    void pan(double bars);
    // Shows the latest bars and follows new ones again.
    void resetView();
    QPair<double, double> visibleRange() const { return {m_first, m_last}; }
    // The series hold bars [firstShownBar(), firstShownBar() + candleSeries()->count()).
    int firstShownBar() const { return m_sliceFrom; }
    // The readout for bar `index` (the forming bar if out of range).
    void showReadout(int index);

    QCandlestickSeries *candleSeries() const { return m_candles; }
    QStackedBarSeries *volumeSeries() const { return m_volume; }
    QLineSeries *smaSeries() const { return m_sma; }
    QComboBox *intervalCombo() const { return m_interval; }
    QLabel *readout() const { return m_readout; }
    ChartView *priceView() const { return m_priceView; }
    ChartView *volumeView() const { return m_volumeView; }
    LinkButton *linkButton() const { return m_link; }

Q_SIGNALS:
    void intervalChanged(int minutes);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Bar {
        double open, high, low, close, volume;
    };
    void onCandlesChanged();
    void rebuild();
    void appendBars();
    void fillSlice();
    int sliceEnd() const; // one past the last bar in the series
    void updateBar(int index);
    void styleSet(int index);
    double smaAt(int index) const;
    void applyRange();
    void relabelTime();
    void applyTheme();

    model::CandleModel *m_model;
    QChart *m_priceChart;
    QChart *m_volumeChart;
    ChartView *m_priceView;
    ChartView *m_volumeView;
    QCandlestickSeries *m_candles;
    QLineSeries *m_sma;
    QStackedBarSeries *m_volume;
    QBarSet *m_volUp;
    QBarSet *m_volDown;
    QBarSet *m_volForming; // the forming bar's volume, in the accent colour
    QValueAxis *m_x;
    QValueAxis *m_y;
    QCategoryAxis *m_vx;
    QValueAxis *m_vy;
    QComboBox *m_interval;
    QLabel *m_title;
    QLabel *m_readout;
    LinkButton *m_link;

    QList<Bar> m_bars;              // doubles for drawing only; the readout formats the Decimals
    qint64 m_firstBegin = -1;       // of the bars shown, to tell an in-place update from a new bar
    double m_first = 0, m_last = 0; // visible x range (bar index)
    bool m_follow = true;           // keep the latest bar in view as bars arrive
    int m_hover = -1;
    int m_sliceFrom = 0;       // index of the series' first bar
    QElapsedTimer m_tickClock; // last in-place tick drawn
    QTimer m_tickTimer;        // draws the last tick of a burst
    QElapsedTimer m_smaClock;  // last move of the forming bar's SMA point
    bool m_labelsDirty = true; // time labels need rebuilding (bars or width changed)
};

} // namespace ui
