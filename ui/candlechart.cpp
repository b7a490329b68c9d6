#include "candlechart.h"

#include "chartview.h"
#include "linkbutton.h"
#include "model/candlemodel.h"
#include "theme.h"

#include <QBarSet>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QResizeEvent>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

constexpr int DefaultVisibleBars = 120;
constexpr double RightPadBars = 3; // room right of the forming bar
const QMargins PriceMargins(6, 6, 78, 4);
const QMargins VolumeMargins(6, 2, 78, 22);

// Drawing coordinates only: prices stay Decimal everywhere else.
double toDouble(const kraken::Decimal &d) {
    return double(d.mantissa()) / std::pow(10.0, d.scale());
}

} // namespace

QString CandleChart::intervalLabel(int minutes) {
    if (minutes % 1440 == 0) {
        const int days = minutes / 1440;
        return days == 7 ? u"1w"_s : QString(QString::number(days) + u"d"_s);
    }
    if (minutes % 60 == 0)
        return QString(QString::number(minutes / 60) + u"h"_s);
    return QString(QString::number(minutes) + u"m"_s);
}

CandleChart::CandleChart(model::CandleModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_priceChart(new QChart)
    , m_volumeChart(new QChart)
    , m_priceView(new ChartView(m_priceChart, this))
    , m_volumeView(new ChartView(m_volumeChart, this))
    , m_candles(new QCandlestickSeries)
    , m_sma(new QLineSeries)
    , m_volume(new QStackedBarSeries)
    , m_volUp(new QBarSet(u"Volume up"_s))
    , m_volDown(new QBarSet(u"Volume down"_s))
    , m_volForming(new QBarSet(u"Volume forming"_s))
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
    , m_vx(new QCategoryAxis)
    , m_vy(new QValueAxis)
    , m_interval(new QComboBox(this))
    , m_title(new QLabel(this))
    , m_readout(new QLabel(this))
    , m_link(new LinkButton(this)) {
    for (int m : intervals())
        m_interval->addItem(intervalLabel(m), m);
    m_interval->setAccessibleName(u"Candle interval"_s);
    m_interval->setToolTip(u"Candle interval"_s);
    connect(m_interval, &QComboBox::currentIndexChanged, this,
            [this](int i) { Q_EMIT intervalChanged(m_interval->itemData(i).toInt()); });

    m_candles->setName(u"Candles"_s);
    m_candles->setBodyWidth(0.7);
    m_candles->setCapsVisible(false);
    m_sma->setName(QString(u"SMA("_s + QString::number(SmaLength) + u")"_s));
    m_volume->append(m_volUp);
    m_volume->append(m_volDown);
    m_volume->append(m_volForming);
    m_volume->setBarWidth(0.7);

    for (QChart *c : {m_priceChart, m_volumeChart}) {
        c->legend()->hide();
        c->setMargins(QMargins(0, 0, 0, 0));
        c->setBackgroundRoundness(0);
        c->setAnimationOptions(QChart::NoAnimation);
    }
    m_priceChart->addSeries(m_candles);
    m_priceChart->addSeries(m_sma);
    m_priceChart->addAxis(m_x, Qt::AlignBottom);
    m_priceChart->addAxis(m_y, Qt::AlignRight);
    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(m_candles), static_cast<QAbstractSeries *>(m_sma)}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    m_x->setLabelsVisible(false);
    m_x->setTickCount(2);
    m_y->setLabelFormat(u"%.6g"_s);
    m_y->setTickCount(7);

    m_volumeChart->addSeries(m_volume);
    m_volumeChart->addAxis(m_vx, Qt::AlignBottom);
    m_volumeChart->addAxis(m_vy, Qt::AlignRight);
    m_volume->attachAxis(m_vx);
    m_volume->attachAxis(m_vy);
    m_vx->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_vy->setLabelFormat(u"%.4g"_s);
    m_vy->setTickCount(3);

    m_priceView->setPlotMargins(PriceMargins);
    m_volumeView->setPlotMargins(VolumeMargins);
    m_priceView->setAccessibleName(u"Candle chart"_s);
    m_volumeView->setAccessibleName(u"Volume chart"_s);
    m_priceView->setMinimumHeight(120);
    m_volumeView->setMinimumHeight(60);

    // The price chart's x is the bar index; the volume chart's is the index within the slice
    // (QBarSet positions bars from 0), so its values are shifted by m_sliceFrom.
    for (ChartView *v : {m_priceView, m_volumeView}) {
        const bool local = v == m_volumeView;
        connect(v, &ChartView::zoomRequested, this, [this, local](double f, double anchor) {
            zoom(f, std::isnan(anchor) ? m_last : anchor + (local ? m_sliceFrom : 0));
        });
        connect(v, &ChartView::panRequested, this,
                [this](double widths) { pan(-widths * (m_last - m_first)); });
        connect(v, &ChartView::resetRequested, this, &CandleChart::resetView);
        connect(v, &ChartView::hoverLeft, this, [this] {
            m_priceView->setCrosshair(std::nullopt);
            m_volumeView->setCrosshair(std::nullopt);
            m_hover = -1;
            showReadout(-1);
        });
        connect(v, &ChartView::hovered, this, [this, local](QPointF value) {
            const int i = int(std::lround(value.x())) + (local ? m_sliceFrom : 0);
            m_priceView->setCrosshair(double(i), local ? std::nullopt : std::optional(value.y()));
            m_volumeView->setCrosshair(double(i - m_sliceFrom),
                                       local ? std::optional(value.y()) : std::nullopt);
            m_hover = i;
            showReadout(i);
        });
    }

    m_title->setAccessibleName(u"Chart symbol"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_readout->setAccessibleName(u"OHLCV readout"_s);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont mono = m_readout->font();
    mono.setFamilies({u"DejaVu Sans Mono"_s, u"Monospace"_s});
    mono.setStyleHint(QFont::Monospace);
    m_readout->setFont(mono);

    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_title);
    header->addWidget(m_interval);
    header->addWidget(m_readout, 1);
    header->addWidget(m_link);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_priceView, 4);
    layout->addWidget(m_volumeView, 1);
    setFocusProxy(m_interval);

    connect(model, &model::CandleModel::candlesChanged, this, &CandleChart::onCandlesChanged);
    m_tickTimer.setSingleShot(true);
    connect(&m_tickTimer, &QTimer::timeout, this, &CandleChart::onCandlesChanged);
    applyTheme();
    rebuild();
}

int CandleChart::intervalMinutes() const {
    return m_interval->currentData().toInt();
}

void CandleChart::setIntervalMinutes(int minutes) {
    const int i = m_interval->findData(minutes);
    if (i >= 0)
        m_interval->setCurrentIndex(i);
}

void CandleChart::setSymbol(const QString &symbol) {
    m_title->setText(symbol);
}

void CandleChart::onCandlesChanged() {
    const auto &candles = m_model->candles();
    const bool sameBars = !candles.isEmpty() && candles.size() == m_bars.size() &&
                          candles.constFirst().beginMs == m_firstBegin;
    const bool appended = !candles.isEmpty() && !m_bars.isEmpty() &&
                          candles.constFirst().beginMs == m_firstBegin &&
                          candles.size() > m_bars.size() && candles.size() - m_bars.size() <= 8;
    if (appended) {
        appendBars();
        return;
    }
    if (!sameBars) {
        rebuild();
        return;
    }
    // A tick of the forming bar (and at most the bar before it, closing): in place, and at
    // most TickHz times a second (the last tick of a burst is drawn by the timer). A candle
    // redrawn 30 times a second tells a trader nothing more than 10 times, and the chart is
    // the most expensive widget to repaint.
    if (m_tickClock.isValid() && m_tickClock.elapsed() < 1000 / TickHz) {
        if (!m_tickTimer.isActive())
            m_tickTimer.start(int(1000 / TickHz - m_tickClock.elapsed()));
        return;
    }
    m_tickClock.start();
    const int n = int(candles.size());
    for (int i = qMax(0, n - 2); i < n; ++i)
        updateBar(i);
    applyRange();
    if (m_hover < 0)
        showReadout(-1);
}

void CandleChart::rebuild() {
    m_tickTimer.stop();
    const auto &candles = m_model->candles();
    const bool newSeries = candles.isEmpty() || candles.constFirst().beginMs != m_firstBegin;
    m_bars.clear();
    m_bars.reserve(candles.size());
    for (const model::Candle &c : candles) {
        m_bars.append(Bar{toDouble(c.open), toDouble(c.high), toDouble(c.low), toDouble(c.close),
                          toDouble(c.volume)});
    }
    m_firstBegin = candles.isEmpty() ? -1 : candles.constFirst().beginMs;
    const int n = int(m_bars.size());
    if (newSeries || m_follow) {
        const double width = newSeries ? DefaultVisibleBars + RightPadBars : m_last - m_first;
        m_last = n - 1 + RightPadBars;
        m_first = m_last - width;
        m_follow = true;
    }
    // Otherwise the user is looking at history: the view stays where it is.
    fillSlice();
    applyRange();
    showReadout(m_hover);
}

void CandleChart::fillSlice() {
    // QtCharts lays out and re-creates items for every set of a series on each change, so
    // the series hold only the bars around the view (half a view width either side), not
    // the whole history: the cost of a tick and of a new bar stays that of ~2 screens.
    const int n = int(m_bars.size());
    const double width = m_last - m_first;
    const int from = qBound(0, int(std::floor(m_first - width / 2)), qMax(0, n - 1));
    const int to = qMin(n - 1, int(std::ceil(m_last + width / 2)));
    m_sliceFrom = from;
    QList<QCandlestickSet *> sets;
    QList<qreal> up, down, formingVol;
    QList<QPointF> sma;
    for (int i = from; i <= to; ++i) {
        const Bar &b = m_bars.at(i);
        sets.append(new QCandlestickSet(b.open, b.high, b.low, b.close, i));
        const bool forming = !m_model->candles().at(i).closed;
        up.append(!forming && b.close >= b.open ? b.volume : 0);
        down.append(!forming && b.close < b.open ? b.volume : 0);
        formingVol.append(forming ? b.volume : 0);
        if (i >= SmaLength - 1)
            sma.append(QPointF(i, smaAt(i)));
    }
    m_candles->clear();
    m_candles->append(sets);
    for (QBarSet *bs : {m_volUp, m_volDown, m_volForming})
        bs->remove(0, bs->count());
    m_volUp->append(up);
    m_volDown->append(down);
    m_volForming->append(formingVol);
    m_sma->replace(sma);
    for (int i = qMax(from, n - 2); i <= to; ++i)
        styleSet(i);
    m_labelsDirty = true;
}

int CandleChart::sliceEnd() const {
    return m_sliceFrom + int(m_candles->count());
}

void CandleChart::appendBars() {
    // A bar closed and the next one began: append (a full rebuild of hundreds of sets would
    // stall the GUI thread once per interval), then settle the bars before the new ones.
    m_tickTimer.stop();
    const auto &candles = m_model->candles();
    const int old = int(m_bars.size());
    const int n = int(candles.size());
    const double width = m_last - m_first;
    // The slice grows with the new bars if it reaches the latest one (the usual case).
    const bool extend = sliceEnd() == old;
    for (int i = old; i < n; ++i) {
        const model::Candle &c = candles.at(i);
        const Bar b{toDouble(c.open), toDouble(c.high), toDouble(c.low), toDouble(c.close),
                    toDouble(c.volume)};
        m_bars.append(b);
        if (!extend)
            continue;
        m_candles->append(new QCandlestickSet(b.open, b.high, b.low, b.close, i));
        m_volUp->append(0);
        m_volDown->append(0);
        m_volForming->append(0);
        if (i >= SmaLength - 1)
            m_sma->append(QPointF(i, smaAt(i)));
    }
    for (int i = qMax(0, old - 1); i < n; ++i)
        updateBar(i);
    if (m_follow) {
        m_last = n - 1 + RightPadBars;
        m_first = m_last - width;
    }
    m_labelsDirty = true;
    applyRange();
    showReadout(m_hover);
}

void CandleChart::updateBar(int i) {
    const model::Candle &c = m_model->candles().at(i);
    Bar &b = m_bars[i];
    b = Bar{toDouble(c.open), toDouble(c.high), toDouble(c.low), toDouble(c.close),
            toDouble(c.volume)};
    if (i < m_sliceFrom || i >= sliceEnd())
        return;
    const int local = i - m_sliceFrom;
    QCandlestickSet *set = m_candles->sets().at(local);
    if (set->open() != b.open)
        set->setOpen(b.open);
    if (set->high() != b.high)
        set->setHigh(b.high);
    if (set->low() != b.low)
        set->setLow(b.low);
    if (set->close() != b.close)
        set->setClose(b.close);
    const bool forming = !c.closed;
    const qreal upVol = !forming && b.close >= b.open ? b.volume : 0;
    const qreal downVol = !forming && b.close < b.open ? b.volume : 0;
    const qreal formingVol = forming ? b.volume : 0;
    if (m_volUp->at(local) != upVol)
        m_volUp->replace(local, upVol);
    if (m_volDown->at(local) != downVol)
        m_volDown->replace(local, downVol);
    if (m_volForming->at(local) != formingVol)
        m_volForming->replace(local, formingVol);
    // Moving one SMA point rebuilds the whole line's path and its hit-test outline in
    // QtCharts, so the forming bar's point follows at most twice a second; a closing bar's
    // point is always set (the readout shows the exact current SMA).
    const int smaIndex = i - qMax(m_sliceFrom, SmaLength - 1);
    const bool closing = c.closed;
    if (smaIndex >= 0 && smaIndex < m_sma->count() &&
        (closing || !m_smaClock.isValid() || m_smaClock.elapsed() >= 500)) {
        m_sma->replace(smaIndex, QPointF(i, smaAt(i)));
        if (!closing)
            m_smaClock.start();
    }
    styleSet(i);
}

void CandleChart::styleSet(int i) {
    if (i < m_sliceFrom || i >= sliceEnd())
        return;
    QCandlestickSet *set = m_candles->sets().at(i - m_sliceFrom);
    const bool forming = !m_model->candles().at(i).closed;
    const QPalette &pal = palette();
    const bool rising = m_bars.at(i).close >= m_bars.at(i).open;
    const QColor sideColour = rising ? Theme::bidColour(pal) : Theme::askColour(pal);
    QPen pen(sideColour, 1);
    QBrush brush(sideColour);
    if (forming) {
        // Not final yet: a hatched body (QtCharts colours bodies by trend itself, but takes
        // the brush style and the pen from the set) with an accent outline.
        pen = QPen(Theme::accentColour(pal), 1.5);
        brush = QBrush(sideColour, Qt::Dense4Pattern);
    }
    // Each change relayouts the series: only when the style really changes.
    if (set->pen() != pen)
        set->setPen(pen);
    if (set->brush() != brush)
        set->setBrush(brush);
}

double CandleChart::smaAt(int i) const {
    double sum = 0;
    for (int k = i - SmaLength + 1; k <= i; ++k)
        sum += m_bars.at(k).close;
    return sum / SmaLength;
}

void CandleChart::zoom(double factor, double anchor) {
    const double width = m_last - m_first;
    const double newWidth = qBound(10.0, width * factor, qMax(10.0, m_bars.size() + 20.0));
    const double t = width > 0 ? (anchor - m_first) / width : 1.0;
    m_first = anchor - t * newWidth;
    m_last = m_first + newWidth;
    m_follow = m_last >= m_bars.size() - 1;
    applyRange();
}

void CandleChart::pan(double bars) {
    const double width = m_last - m_first;
    const double maxLast = m_bars.size() - 1 + width * 0.5;
    const double minLast = width * 0.5;
    m_last = qBound(minLast, m_last + bars, qMax(minLast, maxLast));
    m_first = m_last - width;
    m_follow = m_last >= m_bars.size() - 1;
    applyRange();
}

void CandleChart::resetView() {
    m_last = m_bars.size() - 1 + RightPadBars;
    m_first = m_last - (DefaultVisibleBars + RightPadBars);
    m_follow = true;
    applyRange();
}

void CandleChart::applyRange() {
    // Axis changes relayout and re-shape every label, the most expensive part of a tick, so
    // ranges change only when the view moved or the data left (or shrank well inside) them.
    const int n = int(m_bars.size());
    const double width = m_last - m_first;
    const bool leftOut = m_sliceFrom > 0 && m_first < m_sliceFrom;
    const bool rightOut = sliceEnd() < n && m_last > sliceEnd() - 1;
    const bool tooWide = m_candles->count() > 4 * width + 10;
    if (leftOut || rightOut || tooWide)
        fillSlice();
    const bool xMoved =
        m_x->min() != m_first || m_x->max() != m_last || m_vx->min() != m_first - m_sliceFrom;
    if (xMoved)
        m_x->setRange(m_first, m_last);
    double lo = 0, hi = 0, vmax = 0;
    bool any = false;
    const int from = qMax(0, int(std::floor(m_first)));
    const int to = qMin(int(m_bars.size()) - 1, int(std::ceil(m_last)));
    for (int i = from; i <= to; ++i) {
        const Bar &b = m_bars.at(i);
        if (!any) {
            lo = b.low;
            hi = b.high;
            any = true;
        }
        lo = qMin(lo, b.low);
        hi = qMax(hi, b.high);
        vmax = qMax(vmax, b.volume);
    }
    if (!any) {
        lo = 0;
        hi = 1;
    }
    const double span = qMax(hi - lo, std::abs(hi) * 1e-6);
    const double curSpan = m_y->max() - m_y->min();
    const bool yFits = lo >= m_y->min() && hi <= m_y->max() && span >= curSpan * 0.75;
    if (!yFits)
        m_y->setRange(lo - span * 0.06, hi + span * 0.06);
    const double vTop = vmax > 0 ? vmax : 1;
    if (!(vTop <= m_vy->max() && vTop * 1.4 >= m_vy->max()))
        m_vy->setRange(0, vTop * 1.15);
    if (xMoved || m_labelsDirty)
        relabelTime();
}

void CandleChart::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    m_labelsDirty = true;
    applyRange();
}

void CandleChart::relabelTime() {
    m_labelsDirty = false;
    // Category axis labels at whole bars, about one per 110 px, as times of those bars.
    const QStringList old = m_vx->categoriesLabels();
    for (const QString &l : old)
        m_vx->remove(l);
    // The volume chart counts bars from the slice's first.
    const double off = m_sliceFrom;
    m_vx->setRange(m_first - off, m_last - off);
    m_vx->setStartValue(m_first - off - 1);
    const auto &candles = m_model->candles();
    const double width = m_last - m_first;
    const double px =
        qMax(100.0, double(m_volumeView->width() - VolumeMargins.left() - VolumeMargins.right()));
    if (candles.isEmpty() || width <= 0)
        return;
    static const int steps[] = {1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1000};
    int step = steps[std::size(steps) - 1];
    for (int s : steps) {
        if (width / s <= px / 110.0) {
            step = s;
            break;
        }
    }
    const bool daily = m_model->intervalMinutes() >= 1440;
    int from = int(std::ceil(qMax(0.0, m_first)));
    from = ((from + step - 1) / step) * step;
    const int to = qMin(int(candles.size()) - 1, int(std::floor(m_last)));
    QString prevDay;
    for (int i = from; i <= to; i += step) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(candles.at(i).beginMs, Qt::UTC);
        const QString day = t.toString(u"MMM d"_s);
        QString label;
        if (daily)
            label = t.toString(u"yyyy-MM-dd"_s);
        else if (day != prevDay)
            label = QString(day + u" "_s + t.toString(u"HH:mm"_s));
        else
            label = t.toString(u"HH:mm"_s);
        prevDay = day;
        if (!m_vx->categoriesLabels().contains(label))
            m_vx->append(label, i - off);
    }
}

void CandleChart::showReadout(int index) {
    const auto &candles = m_model->candles();
    if (candles.isEmpty()) {
        m_readout->clear();
        return;
    }
    if (index < 0 || index >= candles.size())
        index = int(candles.size()) - 1;
    const model::Candle &c = candles.at(index);
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(c.beginMs, Qt::UTC);
    QString text = QString(t.toString(u"yyyy-MM-dd HH:mm"_s) + u"  O "_s + c.open.toString() +
                           u"  H "_s + c.high.toString() + u"  L "_s + c.low.toString() +
                           u"  C "_s + c.close.toString() + u"  V "_s + c.volume.toString());
    if (index >= SmaLength - 1 && index < m_bars.size())
        text += QString(u"  SMA "_s + QString::number(smaAt(index), 'g', 8));
    if (!c.closed)
        text += u"  (forming)"_s;
    if (m_readout->text() != text)
        m_readout->setText(text);
}

void CandleChart::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void CandleChart::applyTheme() {
    const QPalette &pal = palette();
    const bool dark = Theme::isDark(pal);
    const QColor bg = pal.color(QPalette::Base);
    const QColor fg = pal.color(QPalette::Text);
    QColor grid = fg;
    grid.setAlpha(dark ? 28 : 40);
    for (QChart *c : {m_priceChart, m_volumeChart}) {
        c->setBackgroundBrush(bg);
        c->setPlotAreaBackgroundVisible(false);
    }
    for (QAbstractAxis *a :
         {static_cast<QAbstractAxis *>(m_x), static_cast<QAbstractAxis *>(m_y),
          static_cast<QAbstractAxis *>(m_vx), static_cast<QAbstractAxis *>(m_vy)}) {
        a->setLabelsColor(fg);
        a->setGridLineColor(grid);
        a->setLinePenColor(grid);
        a->setShadesVisible(false);
    }
    m_candles->setIncreasingColor(Theme::bidColour(pal));
    m_candles->setDecreasingColor(Theme::askColour(pal));
    QColor up = Theme::bidColour(pal), down = Theme::askColour(pal);
    up.setAlpha(150);
    down.setAlpha(150);
    m_volUp->setColor(up);
    m_volUp->setBorderColor(up);
    m_volDown->setColor(down);
    m_volDown->setBorderColor(down);
    QColor forming = Theme::accentColour(pal);
    forming.setAlpha(170);
    m_volForming->setColor(forming);
    m_volForming->setBorderColor(Theme::accentColour(pal));
    QPen smaPen(dark ? QColor(0x6e, 0xa8, 0xff) : QColor(0x1f, 0x5f, 0xc8), 1);
    smaPen.setCosmetic(true);
    m_sma->setPen(smaPen);
    for (int i = m_sliceFrom; i < sliceEnd(); ++i)
        styleSet(i);
}

} // namespace ui
