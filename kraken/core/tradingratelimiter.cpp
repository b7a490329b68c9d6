#include "tradingratelimiter.h"

namespace kraken {

TradingRateLimiter::TradingRateLimiter(VerificationTier tier, MonotonicClock clock)
    : m_limits(tradingLimits(tier))
    , m_clock(std::move(clock))
    , m_startedAt(m_clock()) {}

RateCounter &TradingRateLimiter::counterFor(const QString &pair) {
    auto it = m_counters.find(pair);
    if (it == m_counters.end())
        it =
            m_counters.emplace(pair, RateCounter(m_limits.maxCounter, m_limits.decayMilliPerSecond))
                .first;
    return it->second;
}

int TradingRateLimiter::costOf(TradingAction action, const QString &orderId) const {
    const std::int64_t now = m_clock();
    const auto it = m_orders.constFind(orderId);
    const std::int64_t age = it != m_orders.cend() ? now - it->since : now - m_startedAt;
    return tradingCost(action, age);
}

std::int64_t TradingRateLimiter::reserve(TradingAction action, const QString &pair,
                                         const QString &orderId) {
    return reserveCost(pair, costOf(action, orderId));
}

std::int64_t TradingRateLimiter::reserveCost(const QString &pair, int cost) {
    return counterFor(pair).reserve(cost, m_clock());
}

void TradingRateLimiter::noteOrderPlaced(const QString &orderId, const QString &pair) {
    if (!orderId.isEmpty())
        m_orders.insert(orderId, {pair, m_clock()});
}

void TradingRateLimiter::noteOrderAmended(const QString &orderId) {
    auto it = m_orders.find(orderId);
    if (it != m_orders.end())
        it->since = m_clock();
}

void TradingRateLimiter::noteOrderClosed(const QString &orderId) {
    m_orders.remove(orderId);
}

QString TradingRateLimiter::pairOfOrder(const QString &orderId) const {
    return m_orders.value(orderId).pair;
}

double TradingRateLimiter::counter(const QString &pair) const {
    const auto it = m_counters.find(pair);
    return it == m_counters.end() ? 0.0 : it->second.value(m_clock());
}

} // namespace kraken
