#include "tradingtypes.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace model {

namespace {

// The journal stores these names, so they are part of the on-disk format: never rename one.
const std::array<std::pair<OrderState, QStringView>, 10> &stateNames() {
    static const std::array<std::pair<OrderState, QStringView>, 10> names{{
        {OrderState::PendingNew, u"pending-new"},
        {OrderState::Open, u"open"},
        {OrderState::PartiallyFilled, u"partially-filled"},
        {OrderState::Filled, u"filled"},
        {OrderState::PendingCancel, u"pending-cancel"},
        {OrderState::Cancelled, u"cancelled"},
        {OrderState::PendingAmend, u"pending-amend"},
        {OrderState::Rejected, u"rejected"},
        {OrderState::Expired, u"expired"},
        {OrderState::Unknown, u"unknown"},
    }};
    return names;
}

} // namespace

QString orderStateName(OrderState state) {
    for (const auto &[s, name] : stateNames())
        if (s == state)
            return name.toString();
    return u"unknown"_s;
}

std::optional<OrderState> orderStateFromName(const QString &name) {
    for (const auto &[s, n] : stateNames())
        if (n == name)
            return s;
    return std::nullopt;
}

bool isTerminal(OrderState state) {
    switch (state) {
    case OrderState::Filled:
    case OrderState::Cancelled:
    case OrderState::Rejected:
    case OrderState::Expired:
        return true;
    default:
        return false;
    }
}

bool isWorking(OrderState state) {
    switch (state) {
    case OrderState::PendingNew:
    case OrderState::Open:
    case OrderState::PartiallyFilled:
    case OrderState::PendingCancel:
    case OrderState::PendingAmend:
        return true;
    default:
        return false;
    }
}

Decimal BalanceRecord::available() const {
    if (auto d = total.minus(held))
        return *d;
    // The common scale overflowed (a huge total at a fine scale): the hold never needs more
    // places than the balance it is part of, so bring it to the balance's scale and retry.
    if (auto h = held.rescaled(total.scale(), kraken::Rounding::Up))
        if (auto d = total.minus(*h))
            return *d;
    return total;
}

} // namespace model
