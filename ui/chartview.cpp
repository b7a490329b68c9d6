#include "chartview.h"

#include "theme.h"

#include <QAbstractSeries>
#include <QChart>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace ui {

ChartView::ChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent) {
    setMouseTracking(true);
    // Candles, bars and grid are axis-aligned: crisp without antialiasing, and a tick of
    // the forming bar then repaints without the costly antialiased stroker.
    setRenderHint(QPainter::Antialiasing, false);
    setDragMode(QGraphicsView::NoDrag);
    setRubberBand(QChartView::NoRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    // The crosshair is painted in the foreground; redraw it without repainting the series.
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
}

void ChartView::setPlotMargins(const QMargins &margins) {
    m_margins = margins;
    applyPlotArea();
}

void ChartView::applyPlotArea() {
    if (!m_margins || !chart())
        return;
    const QRectF area = QRectF(QPointF(0, 0), size()).marginsRemoved(QMarginsF(*m_margins));
    if (area.width() > 10 && area.height() > 10)
        chart()->setPlotArea(area);
}

void ChartView::resizeEvent(QResizeEvent *event) {
    QChartView::resizeEvent(event);
    applyPlotArea();
}

void ChartView::setCrosshair(std::optional<double> x, std::optional<double> y) {
    if (m_crossX == x && m_crossY == y)
        return;
    m_crossX = x;
    m_crossY = y;
    // The foreground layer only; the chart items are cached.
    scene()->invalidate(scene()->sceneRect(), QGraphicsScene::ForegroundLayer);
}

std::optional<QPointF> ChartView::valueAt(const QPointF &viewPos) const {
    if (!chart() || chart()->series().isEmpty())
        return std::nullopt;
    const QPointF scenePos = mapToScene(viewPos.toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    if (!chart()->plotArea().contains(chartPos))
        return std::nullopt;
    return chart()->mapToValue(chartPos, chart()->series().constFirst());
}

void ChartView::mouseMoveEvent(QMouseEvent *event) {
    if (m_dragFrom && (event->buttons() & Qt::LeftButton)) {
        const double dx = event->position().x() - m_dragFrom->x();
        m_dragFrom = event->position();
        const double w = chart()->plotArea().width();
        if (w > 0 && dx != 0)
            Q_EMIT panRequested(dx / w);
    }
    if (const auto v = valueAt(event->position()))
        Q_EMIT hovered(*v);
    else
        Q_EMIT hoverLeft();
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent *event) {
    if (event->button() == Qt::LeftButton) {
        m_dragFrom = event->position();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent *event) {
    if (event->button() == Qt::LeftButton) {
        m_dragFrom.reset();
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event) {
    Q_EMIT resetRequested();
    event->accept();
}

void ChartView::wheelEvent(QWheelEvent *event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    const auto v = valueAt(event->position());
    const double anchor = v ? v->x() : std::nan("");
    Q_EMIT zoomRequested(std::pow(0.85, steps), anchor);
    event->accept();
}

void ChartView::leaveEvent(QEvent *event) {
    Q_EMIT hoverLeft();
    QChartView::leaveEvent(event);
}

void ChartView::drawForeground(QPainter *painter, const QRectF &rect) {
    QChartView::drawForeground(painter, rect);
    if (!m_crossX || !chart() || chart()->series().isEmpty())
        return;
    const QRectF plot = chart()->plotArea();
    QAbstractSeries *series = chart()->series().constFirst();
    const QPointF p = chart()->mapToPosition(QPointF(*m_crossX, m_crossY.value_or(0)), series);
    painter->save();
    QColor c = Theme::accentColour(palette());
    c.setAlpha(170);
    painter->setPen(QPen(c, 1, Qt::DashLine));
    const QPointF topLeft = chart()->mapToScene(plot.topLeft());
    const QPointF bottomRight = chart()->mapToScene(plot.bottomRight());
    const QPointF at = chart()->mapToScene(p);
    if (at.x() >= topLeft.x() && at.x() <= bottomRight.x())
        painter->drawLine(QPointF(at.x(), topLeft.y()), QPointF(at.x(), bottomRight.y()));
    if (m_crossY && at.y() >= topLeft.y() && at.y() <= bottomRight.y())
        painter->drawLine(QPointF(topLeft.x(), at.y()), QPointF(bottomRight.x(), at.y()));
    painter->restore();
}

} // namespace ui
