#include "simorder.h"

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

struct TypeName {
    OrderType type;
    const char16_t *name;
};

constexpr TypeName TypeNames[] = {
    {OrderType::Market, u"market"},
    {OrderType::Limit, u"limit"},
    {OrderType::Iceberg, u"iceberg"},
    {OrderType::StopLoss, u"stop-loss"},
    {OrderType::TakeProfit, u"take-profit"},
    {OrderType::StopLossLimit, u"stop-loss-limit"},
    {OrderType::TakeProfitLimit, u"take-profit-limit"},
    {OrderType::TrailingStop, u"trailing-stop"},
    {OrderType::TrailingStopLimit, u"trailing-stop-limit"},
};

} // namespace

QString orderTypeName(OrderType t) {
    for (const TypeName &n : TypeNames) {
        if (n.type == t)
            return QString::fromUtf16(n.name);
    }
    return {};
}

std::optional<OrderType> orderTypeFromName(const QString &name) {
    for (const TypeName &n : TypeNames) {
        if (name == QStringView(n.name))
            return n.type;
    }
    return std::nullopt;
}

bool hasTrigger(OrderType t) {
    return t == OrderType::StopLoss || t == OrderType::TakeProfit ||
           t == OrderType::StopLossLimit || t == OrderType::TakeProfitLimit || isTrailing(t);
}

bool isTrailing(OrderType t) {
    return t == OrderType::TrailingStop || t == OrderType::TrailingStopLimit;
}

bool hasLimitPrice(OrderType t) {
    return t == OrderType::Limit || t == OrderType::Iceberg || t == OrderType::StopLossLimit ||
           t == OrderType::TakeProfitLimit || t == OrderType::TrailingStopLimit;
}

QString wsStatusName(OrderStatus s) {
    switch (s) {
    case OrderStatus::PendingNew:
        return u"pending_new"_s;
    case OrderStatus::New:
        return u"new"_s;
    case OrderStatus::PartiallyFilled:
        return u"partially_filled"_s;
    case OrderStatus::Filled:
        return u"filled"_s;
    case OrderStatus::Canceled:
        return u"canceled"_s;
    case OrderStatus::Expired:
        return u"expired"_s;
    }
    return {};
}

QString restStatusName(OrderStatus s) {
    switch (s) {
    case OrderStatus::PendingNew:
        return u"pending"_s;
    case OrderStatus::New:
    case OrderStatus::PartiallyFilled:
        return u"open"_s;
    case OrderStatus::Filled:
        return u"closed"_s;
    case OrderStatus::Canceled:
        return u"canceled"_s;
    case OrderStatus::Expired:
        return u"expired"_s;
    }
    return {};
}

std::optional<TimeInForce> timeInForceFromName(const QString &name) {
    const QString n = name.toUpper();
    if (n.isEmpty() || n == u"GTC"_s)
        return TimeInForce::GTC;
    if (n == u"IOC"_s)
        return TimeInForce::IOC;
    if (n == u"GTD"_s)
        return TimeInForce::GTD;
    return std::nullopt;
}

bool isOpen(OrderStatus s) {
    return s == OrderStatus::PendingNew || s == OrderStatus::New ||
           s == OrderStatus::PartiallyFilled;
}

Decimal SimOrder::remaining() const {
    return qty.minus(filled).value_or(Decimal());
}

std::optional<Decimal> SimOrder::avgPrice(int decimals) const {
    if (filled.isZero())
        return std::nullopt;
    return cost.dividedBy(filled, decimals);
}

} // namespace kraken::sim
