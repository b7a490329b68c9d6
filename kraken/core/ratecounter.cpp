#include "ratecounter.h"

#include <QElapsedTimer>

#include <algorithm>

namespace kraken {

MonotonicClock steadyClock() {
    return [] {
        static QElapsedTimer timer = [] {
            QElapsedTimer t;
            t.start();
            return t;
        }();
        return std::int64_t(timer.elapsed());
    };
}

RateCounter::RateCounter(int maxCounter, int decayMilliPerSecond)
    : m_max(std::max(1, maxCounter))
    , m_decayMilliPerSec(std::max(1, decayMilliPerSecond)) {}

std::int64_t RateCounter::levelAt(std::int64_t t) const {
    if (t <= m_at)
        return m_level; // calls booked for the future still count
    const std::int64_t decayed = (t - m_at) * m_decayMilliPerSec / 1000;
    return std::max<std::int64_t>(0, m_level - decayed);
}

double RateCounter::value(std::int64_t nowMs) const {
    return double(levelAt(nowMs)) / 1000.0;
}

std::int64_t RateCounter::delayFor(int cost, std::int64_t nowMs) const {
    const std::int64_t base = std::max(nowMs, m_at);
    const std::int64_t level = levelAt(base);
    const std::int64_t need = std::int64_t(std::min(cost, m_max)) * 1000;
    const std::int64_t excess = level + need - std::int64_t(m_max) * 1000;
    std::int64_t sendAt = base;
    if (excess > 0)
        sendAt += (excess * 1000 + m_decayMilliPerSec - 1) / m_decayMilliPerSec;
    // The caller's queue is FIFO: never earlier than the last booked call.
    return std::max<std::int64_t>(0, sendAt - nowMs);
}

std::int64_t RateCounter::reserve(int cost, std::int64_t nowMs) {
    const std::int64_t delay = delayFor(cost, nowMs);
    const std::int64_t sendAt = nowMs + delay;
    m_level = levelAt(sendAt) + std::int64_t(std::max(0, cost)) * 1000;
    m_at = sendAt;
    return delay;
}

void RateCounter::markFull(std::int64_t nowMs) {
    const std::int64_t at = std::max(nowMs, m_at);
    m_level = std::max(levelAt(at), std::int64_t(m_max) * 1000);
    m_at = at;
}

} // namespace kraken
