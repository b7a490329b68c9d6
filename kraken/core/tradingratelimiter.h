#pragma once

// TradingRateLimiter: Kraken's per-pair trading counter, shared by REST and WebSocket order
// entry. It remembers when each order it saw was placed or last amended, because cancelling
// or amending a young order costs more. An order it never saw was placed before this
// process started (or by another program), so its age is taken as at least the limiter's
// own uptime: a lower bound, which errs on the side of waiting. Not thread-safe: owned by
// the thread that sends orders.

#include "ratecounter.h"
#include "ratelimits.h"

#include <QHash>
#include <QString>

#include <map>

namespace kraken {

class TradingRateLimiter {
public:
    explicit TradingRateLimiter(VerificationTier tier = VerificationTier::Starter,
                                MonotonicClock clock = steadyClock());

    // Books `action` on `pair`'s counter; returns the delay in ms before it may be sent.
    // For Amend/Edit/Cancel, `orderId` (txid or cl_ord_id) selects the age penalty.
    std::int64_t reserve(TradingAction action, const QString &pair, const QString &orderId = {});
    std::int64_t reserveCost(const QString &pair, int cost);
    int costOf(TradingAction action, const QString &orderId) const;

    void noteOrderPlaced(const QString &orderId, const QString &pair);
    void noteOrderAmended(const QString &orderId);
    void noteOrderClosed(const QString &orderId);
    // The pair an order was placed on, if this limiter saw it placed.
    QString pairOfOrder(const QString &orderId) const;

    double counter(const QString &pair) const;
    int maxCounter() const { return m_limits.maxCounter; }

private:
    RateCounter &counterFor(const QString &pair);

    CounterLimits m_limits;
    MonotonicClock m_clock;
    std::int64_t m_startedAt;
    std::map<QString, RateCounter> m_counters;
    struct OrderSeen {
        QString pair;
        std::int64_t since;
    };
    QHash<QString, OrderSeen> m_orders;
};

} // namespace kraken
