#pragma once

// The Futures account as the Futures order manager keeps it and the panels show it: open
// positions and margin accounts. Futures orders and fills reuse OrderRecord and FillRecord
// (symbol = Kraken's product id "PF_XBTUSD", orderType = the wire name "lmt", "stp", ...,
// qty in contracts, triggerPrice = stopPrice, triggerReference = mark/index/last). Value
// types, copied across threads by queued signals.

#include "kraken/core/decimal.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace model {

using kraken::Decimal;

struct PositionRecord {
    QString symbol;                            // "PF_XBTUSD"
    Decimal size;                              // signed contracts: > 0 long, < 0 short
    Decimal entryPrice;                        // average entry
    std::optional<Decimal> markPrice;          // latest mark (ticker feed / REST tickers)
    std::optional<Decimal> unrealizedPnl;      // at mark, in pnlCurrency
    QString pnlCurrency;                       // "USD" for PF_, "XBT"/"BTC" for PI_/FI_
    std::optional<Decimal> unrealizedFunding;  // accrued, not yet realised
    std::optional<Decimal> liquidationPrice;   // estimate: other positions held still
    std::optional<Decimal> maxFixedLeverage;
    qint64 fillTimeMs = 0;

    bool isLong() const { return !size.isNegative() && !size.isZero(); }
};

// One margin account of /accounts: "flex" (multi-collateral, USD), "fi_xbtusd" (one inverse
// market, in its coin) or "cash".
struct MarginRecord {
    QString account;  // flex, fi_xbtusd, cash
    QString currency; // USD, XBT, ...
    Decimal balance;  // collateral (flex: balanceValue)
    std::optional<Decimal> portfolioValue, availableMargin, initialMargin, maintenanceMargin,
        unrealizedPnl, unrealizedFunding;
};

} // namespace model

Q_DECLARE_METATYPE(model::PositionRecord)
Q_DECLARE_METATYPE(model::MarginRecord)
