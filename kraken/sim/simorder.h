#pragma once

// The paper exchange's order book records: what a user asked for (OrderParams), the order the
// matching engine keeps (SimOrder), its fills (SimTrade), the ledger rows those fills post
// (SimLedgerEntry), and the execution reports the engine emits (ExecReport). REST and
// WebSocket render the same records, so both views agree at every moment. Value types.

#include "kraken/core/decimal.h"
#include "marketsim.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace kraken::sim {

enum class OrderType {
    Market,
    Limit,
    Iceberg,
    StopLoss,
    TakeProfit,
    StopLossLimit,
    TakeProfitLimit,
    TrailingStop,
    TrailingStopLimit
};

// Kraken's names: "stop-loss-limit" etc. (REST ordertype and WS order_type are the same).
QString orderTypeName(OrderType t);
std::optional<OrderType> orderTypeFromName(const QString &name);
bool hasTrigger(OrderType t);    // stop, take-profit, trailing
bool isTrailing(OrderType t);    // trailing-stop(-limit)
bool hasLimitPrice(OrderType t); // limit, iceberg, *-limit

enum class PriceType { Static, Quote, Pct }; // absolute, offset in quote units, offset in %

// A price as the user gave it: absolute, or an offset from a reference price ("+150",
// "-1.5%"; `autoSign` for Kraken's "#" prefix, where side and order type pick the sign).
struct PriceSpec {
    Decimal value;
    PriceType type = PriceType::Static;
    bool autoSign = false;
};

enum class TimeInForce { GTC, IOC, GTD };
// GTC / IOC / GTD in any case (REST writes them upper, WS lower); empty means GTC.
std::optional<TimeInForce> timeInForceFromName(const QString &name);

enum class OrderStatus { PendingNew, New, PartiallyFilled, Filled, Canceled, Expired };
QString wsStatusName(OrderStatus s);   // pending_new, new, partially_filled, ...
QString restStatusName(OrderStatus s); // pending, open, closed, canceled, expired
bool isOpen(OrderStatus s);

struct OrderParams {
    QString symbol; // WS v2 symbol, "BTC/USD"
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    Decimal qty;
    std::optional<Decimal> cashQty;    // market buy by quote (viqc / cash_order_qty)
    std::optional<Decimal> displayQty; // iceberg
    std::optional<PriceSpec> limit;    // limit price; trailing-stop-limit: offset from trigger
    std::optional<PriceSpec> trigger;  // trigger price; trailing: the trailing distance
    TimeInForce tif = TimeInForce::GTC;
    qint64 expireMs = 0; // GTD
    bool postOnly = false;
    bool reduceOnly = false;
    bool feeInBase = false;
    QString clOrdId;
    std::optional<qint64> userref;
    bool validateOnly = false;
};

struct SimOrder {
    QString id; // "OUF4EM-FRGI2-MQMWZD"
    QString accountId;
    QString symbol;
    QString clOrdId;
    std::optional<qint64> userref;
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    Decimal qty;
    std::optional<Decimal> cashQty;
    std::optional<Decimal> displayQty;
    std::optional<PriceSpec> limitSpec;   // as given
    std::optional<PriceSpec> triggerSpec; // as given
    std::optional<Decimal> limitPrice;    // resolved absolute limit (once known)
    std::optional<Decimal> triggerPrice;  // resolved trigger (trailing: moves with the peak)
    std::optional<Decimal> peakPrice;     // trailing: best last price since placement
    bool triggered = false;
    TimeInForce tif = TimeInForce::GTC;
    qint64 expireMs = 0;
    bool postOnly = false;
    bool reduceOnly = false;
    bool feeInBase = false;
    OrderStatus status = OrderStatus::PendingNew;
    QString reason; // why it closed: "User requested", "Post only order", ...
    Decimal filled, cost, fee;
    qint64 openMs = 0, closeMs = 0, lastActionMs = 0; // lastAction: placed or last amended
    bool amended = false;
    Decimal displayed; // quantity currently shown in the public book
    Decimal hold;      // quote (buy) or base (sell) held for this order
    QStringList tradeIds;

    Decimal remaining() const;
    std::optional<Decimal> avgPrice(int decimals) const; // cost / filled
    bool isResting() const { return displayed.signum() > 0; }
};

struct SimTrade {
    QString id; // "TCCCTY-WE2O6-P3NB37"
    QString orderId;
    QString accountId;
    QString symbol;
    Side side = Side::Buy;
    OrderType orderType = OrderType::Limit;
    Decimal price, qty, cost, fee;
    bool maker = false;
    qint64 timeMs = 0;
    qint64 publicTradeId = 0; // the market's trade_id
    QStringList ledgerIds;
};

struct SimLedgerEntry {
    QString id;    // "L4UESK-KG3EQ-UFO4T5"
    QString refId; // the trade id
    QString accountId;
    QString type = QStringLiteral("trade");
    QString asset; // display id, "USD"
    Decimal amount, fee, balance;
    qint64 timeMs = 0;
};

// One execution event: the order as it is after the event, and the trade for exec_type trade.
struct ExecReport {
    QString execType; // pending_new, new, trade, filled, iceberg_refill, canceled, expired,
                      // amended, restated, status
    QString execId;
    SimOrder order;
    std::optional<SimTrade> trade;
    QString reason;
    qint64 timeMs = 0;
};

} // namespace kraken::sim
