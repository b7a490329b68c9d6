#pragma once

// Order validation: checks a Spot OrderRequest against its Instrument before anything is sent
// (tick, precisions, minimums, the fields each order type needs, flag combinations Kraken
// refuses, the pair's trading status), runs the fat-finger guards, and works out the live
// estimate (notional and fee). Hard errors block the order; guard warnings only ask the
// trader to confirm. Pure functions over value types, no widgets: any thread.

#include "kraken/core/decimal.h"
#include "kraken/core/instrument.h"
#include "kraken/spot/orderrequest.h"

#include <QList>
#include <QString>

#include <optional>

namespace model {

using kraken::Decimal;

// Fat-finger guards, set per profile. A zero limit switches that guard off.
struct GuardSettings {
    Decimal maxNotional = Decimal::fromInt(10000);      // quote currency of the pair
    Decimal maxPriceDeviationPct = Decimal::fromInt(5); // limit/trigger vs mid, percent
    bool confirmEveryOrder = true; // show the confirmation even without warnings

    friend bool operator==(const GuardSettings &, const GuardSettings &) = default;
};

// Fee rates in percent of notional. The defaults are Kraken's starter tier, the same the paper
// account charges (kraken/sim/simconfig.cpp), so the paper estimate matches the paper fills.
struct FeeRates {
    Decimal makerPct = *Decimal::fromParts(25, 2); // 0.25 %
    Decimal takerPct = *Decimal::fromParts(40, 2); // 0.40 %

    friend bool operator==(const FeeRates &, const FeeRates &) = default;
};

// The top of the book the estimate and the price guard measure against; either side may be
// missing (no data yet, empty side).
struct MarketQuote {
    std::optional<Decimal> bestBid, bestAsk;
    // (bid + ask) / 2, or the one side there is.
    std::optional<Decimal> mid() const;
};

enum class OrderField {
    Order, // the order as a whole: pair, status, order type
    Side,
    OrderType,
    Quantity,
    DisplayQuantity,
    LimitPrice,
    TriggerPrice,
    TrailingOffset,
    LimitOffset, // trailing-stop-limit: the limit relative to the trigger
    TimeInForce,
    Expiry,
    PostOnly,
    ReduceOnly,
    QuoteSize,
};

enum class Severity { Error, Warning };

struct ValidationIssue {
    OrderField field = OrderField::Order;
    Severity severity = Severity::Error;
    QString message; // a sentence a trader understands, naming the numbers involved
};

struct OrderEstimate {
    std::optional<Decimal> price;    // the price the estimate assumes
    std::optional<Decimal> quantity; // base quantity (for quote-sized orders: at `price`)
    std::optional<Decimal> notional; // price x quantity at the pair's cost decimals
    std::optional<Decimal> fee;      // at cost decimals, rounded up
    bool maker = false;              // a limit order that would rest rather than cross
    Decimal feePct;                  // the rate applied
};

struct ValidationResult {
    QList<ValidationIssue> issues;
    OrderEstimate estimate;

    bool hasErrors() const;
    bool hasWarnings() const;
    QList<ValidationIssue> errors() const;
    QList<ValidationIssue> warnings() const;
    QList<ValidationIssue> issuesFor(OrderField field) const;
};

struct ValidationContext {
    MarketQuote quote;
    GuardSettings guards;
    FeeRates fees;
    qint64 nowMs = 0; // wall clock for the GTD check; 0 means "now"
};

// The full check: hard errors, guard warnings and the estimate.
ValidationResult validateOrder(const kraken::spot::OrderRequest &order,
                               const kraken::Instrument &instrument,
                               const ValidationContext &context);

// The estimate alone (validateOrder includes it).
OrderEstimate estimateOrder(const kraken::spot::OrderRequest &order,
                            const kraken::Instrument &instrument, const MarketQuote &quote,
                            const FeeRates &fees);

// How much base a quote amount buys at `price`, rounded down to the lot decimals, so that the
// order never costs more than the trader typed. nullopt for a non-positive price.
std::optional<Decimal> baseForQuote(const Decimal &quoteAmount, const Decimal &price,
                                    const kraken::Instrument &instrument);

// The order in words for the confirmation: "Buy 0.50000000 BTC at 50000.0 USD limit, good
// till cancelled, post-only".
QString describeOrder(const kraken::spot::OrderRequest &order,
                      const kraken::Instrument &instrument);

// Order types the ticket offers, in Kraken's names.
QStringList spotOrderTypes();
bool hasLimitPrice(const QString &orderType);   // limit, iceberg, *-limit (not trailing)
bool hasTriggerPrice(const QString &orderType); // stop-loss, take-profit and their -limit
bool isTrailing(const QString &orderType);      // trailing-stop, trailing-stop-limit

} // namespace model
