#pragma once

// FuturesOrderEstimate: what a Futures order would cost in margin before it is sent: the
// price it is valued at, its notional (linear: size x contract size x price in the quote
// currency; inverse: size x contract size / price in the coin), the margin tier that notional
// falls in, the initial and maintenance margin it needs, the leverage, and what is left of the
// account's available margin afterwards. The arithmetic and the rounding are the paper
// exchange's (kraken/sim/futuresengine.cpp: notional(), tier(), orderMargin()), so the
// estimate matches what the engine checks against. Pure functions over value types; any thread.

#include "futurestypes.h"
#include "kraken/futures/futuresinstrument.h"
#include "kraken/futures/futuresorderrequest.h"

#include <QString>

#include <optional>

namespace model {

// The prices the estimate may value an order at.
struct FuturesMarketContext {
    std::optional<Decimal> mark, bestBid, bestAsk;
};

struct FuturesOrderEstimate {
    // The price the order is valued at and where it came from: "limit", "stop", "mark",
    // "best ask" / "best bid" (a market or trailing order without a mark).
    std::optional<Decimal> price;
    QString priceSource;
    std::optional<Decimal> notional;      // in `currency`
    std::optional<Decimal> quoteNotional; // in the quote currency (inverse: the contracts' USD)
    QString currency;                     // the collateral currency: quote (linear), coin (inverse)
    QString quoteCurrency;
    int tierIndex = -1; // into the instrument's marginLevels(); -1: none (no levels sent)
    kraken::futures::FuturesMarginLevel tier;
    std::optional<Decimal> initialMargin, maintenanceMargin; // in `currency`; 0 when reduce-only
    std::optional<Decimal> maxLeverage;     // 1 / the tier's initial margin fraction
    std::optional<Decimal> accountLeverage; // notional / the account's portfolio value, 2 places
    std::optional<Decimal> availableMargin; // the account's, before the order
    std::optional<Decimal> availableAfter;  // availableMargin - initialMargin
    bool insufficientMargin = false;        // initialMargin > availableMargin

    bool isComplete() const { return notional.has_value() && initialMargin.has_value(); }
};

// The estimate for `order` on `instrument`; `margin` is the margin account the instrument
// trades in (see futuresMarginAccountOf), or nullptr when it is not known yet. Missing inputs
// leave the fields that need them empty.
FuturesOrderEstimate estimateFuturesOrder(const kraken::futures::FuturesOrderRequest &order,
                                          const kraken::futures::FuturesInstrument &instrument,
                                          const FuturesMarketContext &market,
                                          const MarginRecord *margin);

// The /accounts margin account an instrument trades in: "flex" for linear contracts
// (PF_, FF_), "fi_<coin><quote>" for inverse ones ("fi_xbtusd" for PI_XBTUSD and
// FI_XBTUSD_240628). Empty for an index or an unknown kind.
QString futuresMarginAccountOf(const kraken::futures::FuturesInstrument &instrument);

// The currency an instrument's margin and PnL are in: the quote for linear contracts, the
// coin for inverse ones ("XBT" for PI_XBTUSD).
QString futuresCollateralCurrencyOf(const kraken::futures::FuturesInstrument &instrument);

// The order in words for the confirmation: "Buy 2.5 PF_XBTUSD at 60000.5 limit, reduce-only".
QString describeFuturesOrder(const kraken::futures::FuturesOrderRequest &order);

} // namespace model
