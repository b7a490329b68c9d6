#pragma once

// The messages of Kraken's authenticated WebSocket v2 channels (`executions`, `balances`), as
// typed values. Execution reports are partial, as Kraken sends them: every optional field is
// empty unless that message carried it, so a consumer merges them into its order by order_id.
// Numbers are Decimals from the JSON token's own text. Value types, safe across threads.

#include "kraken/core/decimal.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>

namespace kraken::spot::ws {

struct FeeEntry {
    QString asset;
    Decimal qty;
};

struct ExecutionReport {
    QString execType; // pending_new, new, trade, filled, iceberg_refill, canceled, expired,
                      // amended, restated, status
    QString orderId;  // Kraken's txid ("OABC12-DEF34-GHI567")
    QString clOrdId;  // empty when the order has none / the message did not carry it
    std::optional<qint64> orderUserref;
    QString execId;      // on trades: the trade's txid ("T1XYZ2-..."), the de-duplication key
    QString orderStatus; // pending_new, new, partially_filled, filled, canceled, expired
    QString symbol, side, orderType, timeInForce, reason;
    std::optional<Decimal> orderQty, limitPrice, triggerPrice, displayQty, cashOrderQty;
    // limit_price_type / triggers.price_type: "static", or "pct" / "quote" when the price is
    // an offset (trailing stops); triggers.actual_price: the trigger price it resolved to.
    QString limitPriceType, triggerPriceType;
    std::optional<Decimal> triggerActualPrice;
    std::optional<Decimal> cumQty, cumCost, avgPrice;
    std::optional<bool> postOnly, reduceOnly, amended;
    // trade fields (exec_type "trade")
    std::optional<qint64> tradeId;
    std::optional<Decimal> lastQty, lastPrice, cost, feeUsdEquiv;
    QList<FeeEntry> fees;
    QString liquidityInd; // "t" or "m"
    std::int64_t timestampNs = 0;
    std::int64_t expireTimeNs = 0; // 0 when absent
};

struct ExecutionsMessage {
    bool snapshot = false;
    std::optional<qint64> sequence;
    QList<ExecutionReport> reports;
};

// A balances snapshot entry has asset + balance; an update entry is one ledger movement.
struct BalanceEntry {
    QString asset; // "BTC", "USD" (WS v2 names)
    Decimal balance;
    QString ledgerId, refId, type; // updates only
    std::optional<Decimal> amount, fee;
    std::int64_t timestampNs = 0;
};

struct BalancesMessage {
    bool snapshot = false;
    std::optional<qint64> sequence;
    QList<BalanceEntry> entries;
};

} // namespace kraken::spot::ws

Q_DECLARE_METATYPE(kraken::spot::ws::ExecutionsMessage)
Q_DECLARE_METATYPE(kraken::spot::ws::BalancesMessage)
