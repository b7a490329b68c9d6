#include "ratelimits.h"

#include <QString>

#include <array>

using namespace Qt::StringLiterals;

namespace kraken {

CounterLimits restLimits(VerificationTier tier) {
    switch (tier) {
    case VerificationTier::Starter:
        return {15, 330};
    case VerificationTier::Intermediate:
        return {20, 500};
    case VerificationTier::Pro:
        return {20, 1000};
    }
    return {15, 330};
}

CounterLimits tradingLimits(VerificationTier tier) {
    switch (tier) {
    case VerificationTier::Starter:
        return {60, 1000};
    case VerificationTier::Intermediate:
        return {125, 2340};
    case VerificationTier::Pro:
        return {180, 3750};
    }
    return {60, 1000};
}

bool isTradingMethod(QStringView method) {
    static const std::array<QStringView, 9> trading = {
        u"AddOrder",        u"AddOrderBatch",        u"AmendOrder",
        u"EditOrder",       u"CancelOrder",          u"CancelAll",
        u"CancelAllOrders", u"CancelAllOrdersAfter", u"CancelOrderBatch"};
    for (QStringView m : trading) {
        if (m == method)
            return true;
    }
    return false;
}

int restCallCost(QStringView method) {
    if (method == u"Ledgers" || method == u"QueryLedgers" || method == u"TradesHistory" ||
        method == u"QueryTrades")
        return 2;
    if (isTradingMethod(method))
        return 0;
    return 1;
}

int tradingCost(TradingAction action, std::int64_t ageMs) {
    const std::int64_t s = ageMs < 0 ? 0 : ageMs;
    switch (action) {
    case TradingAction::Add:
        return 1;
    case TradingAction::Amend:
        return 1 + (s < 5000 ? 3 : s < 10000 ? 2 : s < 15000 ? 1 : 0);
    case TradingAction::Edit:
        return 1 + (s < 5000    ? 6
                    : s < 10000 ? 5
                    : s < 15000 ? 4
                    : s < 45000 ? 2
                    : s < 90000 ? 1
                                : 0);
    case TradingAction::Cancel:
        return s < 5000     ? 8
               : s < 10000  ? 6
               : s < 15000  ? 5
               : s < 45000  ? 4
               : s < 90000  ? 2
               : s < 300000 ? 1
                            : 0;
    }
    return 1;
}

int batchAddCost(int orders) {
    return orders <= 0 ? 0 : (orders + 1) / 2;
}

std::optional<VerificationTier> tierFromString(QStringView name) {
    if (name.compare(u"starter", Qt::CaseInsensitive) == 0)
        return VerificationTier::Starter;
    if (name.compare(u"intermediate", Qt::CaseInsensitive) == 0)
        return VerificationTier::Intermediate;
    if (name.compare(u"pro", Qt::CaseInsensitive) == 0)
        return VerificationTier::Pro;
    return std::nullopt;
}

} // namespace kraken
