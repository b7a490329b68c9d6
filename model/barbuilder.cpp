#include "barbuilder.h"

#include <algorithm>

namespace model {
namespace {

constexpr qint64 MsPerMinute = 60'000;

kraken::Decimal padded(const kraken::Decimal &d, int scale) {
    if (scale < 0 || d.scale() >= scale)
        return d;
    return d.rescaled(scale).value_or(d);
}

} // namespace

BarBuilder::BarBuilder(int intervalMinutes)
    : m_minutes(std::max(1, intervalMinutes)) {}

void BarBuilder::setPrecision(int priceDecimals, int qtyDecimals) {
    m_priceDecimals = priceDecimals;
    m_qtyDecimals = qtyDecimals;
}

qint64 BarBuilder::intervalBegin(qint64 timeMs, int intervalMinutes, qint64 anchorMs) {
    const qint64 len = qint64(std::max(1, intervalMinutes)) * MsPerMinute;
    const qint64 offset = ((anchorMs % len) + len) % len;
    const qint64 t = timeMs - offset;
    // Floor division, so times before the anchor land in the interval below, not above.
    const qint64 q = t / len - ((t % len) < 0 ? 1 : 0);
    return q * len + offset;
}

void BarBuilder::reset(int intervalMinutes, const QList<Candle> &history) {
    m_minutes = std::max(1, intervalMinutes);
    m_changed.clear();
    m_forming.reset();
    m_anchorMs = 0;
    if (!history.isEmpty()) {
        Candle last = history.constLast();
        last.intervalMinutes = m_minutes;
        last.closed = false;
        m_anchorMs = last.beginMs;
        m_forming = last;
        // History says nothing about when its open and close traded: any live trade in the
        // bar is newer than its close, none older than its open.
        m_openTimeMs = m_closeTimeMs = last.beginMs;
    }
}

BarBuilder::Outcome BarBuilder::addTrade(qint64 timeMs, const kraken::Decimal &price,
                                         const kraken::Decimal &size) {
    if (price.signum() <= 0 || size.signum() <= 0) {
        ++m_rejected;
        return Outcome::Rejected;
    }
    const qint64 begin = intervalBegin(timeMs, m_minutes, m_anchorMs);
    if (m_forming && begin < m_forming->beginMs) {
        ++m_late;
        return Outcome::Late;
    }
    if (m_forming && begin == m_forming->beginMs) {
        Candle &bar = *m_forming;
        const auto volume = bar.volume.plus(size);
        if (!volume) {
            ++m_rejected;
            return Outcome::Rejected;
        }
        bar.volume = *volume;
        bar.high = std::max(bar.high, price);
        bar.low = std::min(bar.low, price);
        if (timeMs < m_openTimeMs) {
            bar.open = price;
            m_openTimeMs = timeMs;
        }
        if (timeMs >= m_closeTimeMs) {
            bar.close = price;
            m_closeTimeMs = timeMs;
        }
        m_changed.insert(bar.beginMs, output(bar));
        return Outcome::Updated;
    }
    if (m_forming) {
        Candle done = *m_forming;
        done.closed = true;
        m_changed.insert(done.beginMs, output(done));
    }
    Candle bar;
    bar.beginMs = begin;
    bar.intervalMinutes = m_minutes;
    bar.open = bar.high = bar.low = bar.close = price;
    bar.volume = size;
    bar.closed = false;
    m_forming = bar;
    m_openTimeMs = m_closeTimeMs = timeMs;
    m_changed.insert(begin, output(bar));
    return Outcome::Opened;
}

QList<Candle> BarBuilder::merged(const QList<Candle> &bars, int intervalMinutes) {
    QList<Candle> out;
    for (const Candle &b : bars) {
        const qint64 begin = intervalBegin(b.beginMs, intervalMinutes);
        if (out.isEmpty() || out.constLast().beginMs != begin) {
            Candle m = b;
            m.beginMs = begin;
            m.intervalMinutes = std::max(1, intervalMinutes);
            m.closed = false;
            out.append(m);
            continue;
        }
        Candle &m = out.last();
        m.high = std::max(m.high, b.high);
        m.low = std::min(m.low, b.low);
        m.close = b.close;
        m.volume = m.volume.plus(b.volume).value_or(m.volume);
    }
    return out;
}

QList<Candle> BarBuilder::takeChanged() {
    QList<Candle> out = m_changed.values();
    m_changed.clear();
    return out;
}

std::optional<Candle> BarBuilder::forming() const {
    if (!m_forming)
        return std::nullopt;
    return output(*m_forming);
}

Candle BarBuilder::output(const Candle &bar) const {
    Candle c = bar;
    c.open = padded(c.open, m_priceDecimals);
    c.high = padded(c.high, m_priceDecimals);
    c.low = padded(c.low, m_priceDecimals);
    c.close = padded(c.close, m_priceDecimals);
    c.volume = padded(c.volume, m_qtyDecimals);
    return c;
}

} // namespace model
