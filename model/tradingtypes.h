#pragma once

// The account's state as the order manager keeps it and the blotters show it: orders (one
// record per order, keyed by our cl_ord_id), fills (keyed by the trade id) and balances.
// Value types, copied across threads by queued signals.

#include "kraken/core/decimal.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace model {

using kraken::Decimal;

// The life of one order. Pending* are ours: a request is out and its answer not yet in.
// Unknown: the request may or may not have reached Kraken (timeout, dropped socket); it is
// resolved by asking the exchange, never by sending again.
enum class OrderState {
    PendingNew,
    Open,
    PartiallyFilled,
    Filled,
    PendingCancel,
    Cancelled,
    PendingAmend,
    Rejected,
    Expired,
    Unknown,
};

QString orderStateName(OrderState state);            // "pending-new", "partially-filled", ...
std::optional<OrderState> orderStateFromName(const QString &name);
bool isTerminal(OrderState state);                   // Filled, Cancelled, Rejected, Expired
bool isWorking(OrderState state);                    // may still trade: Open, PartiallyFilled,
                                                     // PendingCancel, PendingAmend, PendingNew

enum class OrderSide { Buy, Sell };

struct OrderRecord {
    QString clOrdId;  // the journal key; for orders placed elsewhere without one: "ext:<orderId>"
    QString orderId;  // Kraken's txid; empty until Kraken tells us
    QString symbol;   // "BTC/USD"
    OrderSide side = OrderSide::Buy;
    QString orderType;   // Kraken's names: limit, market, iceberg, stop-loss, ...
    QString timeInForce; // GTC, IOC, GTD
    Decimal qty;         // order quantity (base), or the quote amount when quoteQty
    bool quoteQty = false;
    std::optional<Decimal> limitPrice, triggerPrice, displayQty;
    QString triggerReference; // last, index
    bool postOnly = false, reduceOnly = false;
    qint64 expireTimeMs = 0; // GTD
    Decimal filledQty, cumCost, avgPrice, fees;
    QString feeAsset;
    OrderState state = OrderState::PendingNew;
    QString reason; // why rejected / cancelled / unknown, in words
    bool viaWebSocket = true;
    qint64 createdMs = 0, updatedMs = 0;
};

struct FillRecord {
    QString tradeId; // Kraken's trade txid (exec_id on WS, the TradesHistory key on REST)
    QString orderId, clOrdId, symbol;
    OrderSide side = OrderSide::Buy;
    Decimal price, qty, cost, fee;
    QString feeAsset;
    bool maker = false;
    qint64 timeMs = 0;
};

struct BalanceRecord {
    QString asset;    // "BTC", "USD"
    Decimal total;    // balance
    Decimal held;     // hold_trade: reserved by open orders
    Decimal available() const; // total - held
};

} // namespace model

Q_DECLARE_METATYPE(model::OrderRecord)
Q_DECLARE_METATYPE(model::FillRecord)
Q_DECLARE_METATYPE(model::BalanceRecord)
