#pragma once

// RateCounter: Kraken's rate-limit model, a counter that each call raises by its cost and
// that decays continuously at a fixed rate. Instead of refusing a call that would push the
// counter past its maximum, reserve() says when the call may go out, and books it at that
// time; calls reserved back to back are therefore queued in order. Kept in milli-units so
// fractional decay (0.33/s) stays exact. Not thread-safe: owned by one client.

#include <cstdint>
#include <functional>

namespace kraken {

using MonotonicClock = std::function<std::int64_t()>; // milliseconds, any fixed origin
MonotonicClock steadyClock();

class RateCounter {
public:
    RateCounter(int maxCounter, int decayMilliPerSecond);

    // Current level in counter units, counting calls already booked for later.
    double value(std::int64_t nowMs) const;
    int maxCounter() const { return m_max; }
    double decayPerSecond() const { return m_decayMilliPerSec / 1000.0; }

    // Books a call of `cost` units; returns the delay in ms (0 = send now). A cost above the
    // maximum is let through once the counter is empty, so nothing waits forever.
    std::int64_t reserve(int cost, std::int64_t nowMs);
    // The delay reserve() would give, without booking.
    std::int64_t delayFor(int cost, std::int64_t nowMs) const;
    // Kraken said the counter is full although ours was not (shared key, another program):
    // assume it is full now.
    void markFull(std::int64_t nowMs);

private:
    std::int64_t levelAt(std::int64_t t) const;

    int m_max;
    std::int64_t m_decayMilliPerSec;
    std::int64_t m_level = 0; // milli-units at time m_at
    std::int64_t m_at = 0;
};

} // namespace kraken
