#pragma once

// Kraken Spot's published rate-limit parameters (shared/kraken-protocol.md §3), in one place.

#include <QStringView>

#include <cstdint>
#include <optional>

namespace kraken {

enum class VerificationTier { Starter, Intermediate, Pro };

struct CounterLimits {
    int maxCounter;
    int decayMilliPerSecond;
};

// REST call counter (non-trading private endpoints): Starter 15 / -0.33 s, Intermediate
// 20 / -0.5 s, Pro 20 / -1 s.
CounterLimits restLimits(VerificationTier tier);
// Per-pair trading counter: Starter 60 / -1 s, Intermediate 125 / -2.34 s, Pro 180 / -3.75 s.
CounterLimits tradingLimits(VerificationTier tier);

// Cost of a private REST call on the REST counter: ledger and trade history +2, order entry 0
// (it uses the trading counter), every other private call +1.
int restCallCost(QStringView method);
// True for AddOrder, AmendOrder, CancelOrder and the other order-entry methods: never retried
// blindly, and charged on the trading counter.
bool isTradingMethod(QStringView method);

enum class TradingAction { Add, Amend, Edit, Cancel };
// Fixed cost plus the penalty for acting on an order that rested less than `orderAgeMs`.
int tradingCost(TradingAction action, std::int64_t orderAgeMs);
// AddOrderBatch of n orders costs about n/2 (rounded up).
int batchAddCost(int orders);

std::optional<VerificationTier> tierFromString(QStringView name);

} // namespace kraken
