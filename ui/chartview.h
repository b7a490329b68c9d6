#pragma once

// ChartView: a QChartView that turns the mouse into chart gestures for its owner: hover
// (value under the pointer), wheel (zoom around a point), left-drag (pan), double-click
// (reset), and paints a crosshair over the plot. Its plot area can be pinned to fixed margins
// so two stacked charts (price above volume) keep their x axes aligned. GUI thread.

#include <QChartView>

#include <optional>

namespace ui {

class ChartView : public QChartView {
    Q_OBJECT
public:
    explicit ChartView(QChart *chart, QWidget *parent = nullptr);

    // Margins between the view's edge and the plot area; axis labels live in them.
    void setPlotMargins(const QMargins &margins);
    // Crosshair at x (and y if given), in the value space of the chart's first series.
    void setCrosshair(std::optional<double> x, std::optional<double> y = std::nullopt);

Q_SIGNALS:
    void hovered(QPointF value);
    void hoverLeft();
    void zoomRequested(double factor, double anchorX); // factor < 1 zooms in
    void panRequested(double plotWidths);              // > 0: content moves right
    void resetRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void applyPlotArea();
    std::optional<QPointF> valueAt(const QPointF &viewPos) const;

    std::optional<QMargins> m_margins;
    std::optional<double> m_crossX, m_crossY;
    std::optional<QPointF> m_dragFrom;
};

} // namespace ui
