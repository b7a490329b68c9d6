#include "depthchart.h"

#include "linkbutton.h"
#include "theme.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ui {

DepthChart::DepthChart(QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart, this))
    , m_bidLine(new QLineSeries(this))
    , m_askLine(new QLineSeries(this))
    , m_bidArea(new QAreaSeries(m_bidLine))
    , m_askArea(new QAreaSeries(m_askLine))
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
    , m_title(new QLabel(this))
    , m_info(new QLabel(this))
    , m_link(new LinkButton(this)) {
    m_bidArea->setName(u"Bids"_s);
    m_askArea->setName(u"Asks"_s);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->addSeries(m_bidArea);
    m_chart->addSeries(m_askArea);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignRight);
    for (QAreaSeries *a : {m_bidArea, m_askArea}) {
        a->attachAxis(m_x);
        a->attachAxis(m_y);
    }
    m_x->setLabelFormat(u"%.8g"_s);
    m_x->setTickCount(5);
    m_y->setLabelFormat(u"%.4g"_s);
    m_y->setTickCount(4);
    // Steps are axis-aligned: no antialiasing needed, and the stroker is skipped.
    m_view->setRenderHint(QPainter::Antialiasing, false);
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &DepthChart::redraw);
    m_view->setAccessibleName(u"Depth chart"_s);
    m_view->setToolTip(u"Cumulative depth around the mid; wheel to widen or narrow"_s);
    m_view->viewport()->installEventFilter(this);

    m_title->setAccessibleName(u"Depth chart symbol"_s);
    m_info->setAccessibleName(u"Depth chart summary"_s);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_title);
    header->addWidget(m_info, 1);
    header->addWidget(m_link);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);
    applyTheme();
}

void DepthChart::setSymbol(const QString &symbol) {
    m_title->setText(symbol);
}

void DepthChart::setSpan(double fraction) {
    m_span = qBound(0.02, fraction, 1.0);
    redraw();
}

void DepthChart::setBook(const model::BookPtr &book) {
    m_book = book;
    // Hidden (closed or a background tab): keep the latest book, draw when shown.
    if (!isVisible() || m_throttle.isActive())
        return;
    // At most MaxHz: a depth picture changing faster is noise to the eye and costs the GUI
    // thread; the last book of a burst is always drawn.
    const qint64 since = m_sinceDraw.isValid() ? m_sinceDraw.elapsed() : 1000;
    if (since < 1000 / MaxHz && book) {
        m_throttle.start(int(1000 / MaxHz - since));
        return;
    }
    redraw();
}

bool DepthChart::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view->viewport() && event->type() == QEvent::Wheel) {
        const double steps = static_cast<QWheelEvent *>(event)->angleDelta().y() / 120.0;
        setSpan(m_span * std::pow(0.8, steps));
        return true;
    }
    if (watched == m_view->viewport() && event->type() == QEvent::Show)
        redraw();
    return QWidget::eventFilter(watched, event);
}

void DepthChart::redraw() {
    m_sinceDraw.start();
    if (!m_book || m_book->bids.empty() || m_book->asks.empty()) {
        m_bidLine->clear();
        m_askLine->clear();
        m_info->clear();
        return;
    }
    const auto &b = *m_book;
    // Chart coordinates only; the book itself stays in exact mantissas.
    const double scale = std::pow(10.0, b.pricePrecision);
    const double qscale = std::pow(10.0, b.qtyPrecision);
    const double bestBid = b.bids.front().price / scale;
    const double bestAsk = b.asks.front().price / scale;
    const double mid = (bestBid + bestAsk) / 2;
    const double bidReach = mid - b.bids.back().price / scale;
    const double askReach = b.asks.back().price / scale - mid;
    const double half = qMax(std::min(bidReach, askReach) * m_span, (bestAsk - bestBid));

    QList<QPointF> bids, asks;
    bids.reserve(int(b.bids.size()) * 2 + 2);
    asks.reserve(int(b.asks.size()) * 2 + 2);
    // Levels closer than a couple of pixels are merged into one step: at depth 1000 that is
    // what keeps a redraw cheap, and it draws the same picture.
    const double bin = 2 * half / qMax(100, m_view->width() / 2);
    auto build = [&](const std::vector<kraken::book::Level> &levels, double best, int dir,
                     QList<QPointF> &pts) {
        double cum = 0;
        double stepAt = 0;
        pts.append(QPointF(best, 0));
        for (const auto &l : levels) {
            const double p = l.price / scale;
            if ((p - mid) * dir > half * (1 + 1e-9))
                break;
            cum += l.qty / qscale;
            if (pts.size() > 1 && std::abs(p - stepAt) < bin) {
                pts.last().setY(cum);
                continue;
            }
            pts.append(QPointF(p, pts.last().y()));
            pts.append(QPointF(p, cum));
            stepAt = p;
        }
        pts.append(QPointF(mid + dir * half, cum));
        return cum;
    };
    const double bidTotal = build(b.bids, bestBid, -1, bids);
    const double askTotal = build(b.asks, bestAsk, 1, asks);
    m_bidLine->replace(bids);
    m_askLine->replace(asks);
    m_x->setRange(mid - half, mid + half);
    m_y->setRange(0, qMax(bidTotal, askTotal) * 1.08 + 1e-12);
    const kraken::Decimal bid = b.price(b.bids.front());
    const kraken::Decimal ask = b.price(b.asks.front());
    const auto spread = ask.minus(bid);
    m_info->setText(QString(u"  bid "_s + bid.toString(b.pricePrecision) + u"  ask "_s +
                            ask.toString(b.pricePrecision) + u"  spread "_s +
                            (spread ? spread->toString(b.pricePrecision) : QString())));
}

void DepthChart::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void DepthChart::applyTheme() {
    const QPalette &pal = palette();
    const QColor fg = pal.color(QPalette::Text);
    QColor grid = fg;
    grid.setAlpha(Theme::isDark(pal) ? 28 : 40);
    m_chart->setBackgroundBrush(pal.color(QPalette::Base));
    m_chart->setPlotAreaBackgroundVisible(false);
    for (QValueAxis *a : {m_x, m_y}) {
        a->setLabelsColor(fg);
        a->setGridLineColor(grid);
        a->setLinePenColor(grid);
    }
    const QColor bid = Theme::bidColour(pal), ask = Theme::askColour(pal);
    QColor bidFill = bid, askFill = ask;
    bidFill.setAlpha(70);
    askFill.setAlpha(70);
    QPen bidPen(bid, 1), askPen(ask, 1);
    bidPen.setCosmetic(true);
    askPen.setCosmetic(true);
    m_bidArea->setPen(bidPen);
    m_bidArea->setBrush(bidFill);
    m_askArea->setPen(askPen);
    m_askArea->setBrush(askFill);
}

} // namespace ui
