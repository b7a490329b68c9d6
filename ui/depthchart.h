#pragma once

// DepthChart: the market depth picture: cumulative bid and ask quantity as two step-shaped
// areas meeting at the mid (QtCharts QAreaSeries). It shows the same price distance on both
// sides of the mid (the nearer of the two sides' deepest levels, capped by a zoom factor the
// wheel changes), so the picture is not lopsided when one side is deeper. GUI thread.

#include "model/marketdata.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace ui {

class LinkButton;

class DepthChart : public QWidget {
    Q_OBJECT
public:
    static constexpr int MaxHz = 20; // redraws per second at most

    explicit DepthChart(QWidget *parent = nullptr);

    void setBook(const model::BookPtr &book);
    void setSymbol(const QString &symbol);
    // Fraction of the available depth shown each side of the mid (0.02 .. 1).
    void setSpan(double fraction);
    double span() const { return m_span; }

    QChart *chart() const { return m_chart; }
    QAreaSeries *bidSeries() const { return m_bidArea; }
    QAreaSeries *askSeries() const { return m_askArea; }
    LinkButton *linkButton() const { return m_link; }

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void redraw();
    void applyTheme();

    model::BookPtr m_book;
    double m_span = 0.5;
    QChart *m_chart;
    QChartView *m_view;
    QLineSeries *m_bidLine;
    QLineSeries *m_askLine;
    QAreaSeries *m_bidArea;
    QAreaSeries *m_askArea;
    QValueAxis *m_x;
    QValueAxis *m_y;
    QLabel *m_title;
    QLabel *m_info;
    LinkButton *m_link;
    QTimer m_throttle;
    QElapsedTimer m_sinceDraw;
};

} // namespace ui
