#include "futuresorderestimate.h"

using namespace Qt::StringLiterals;

namespace model {

using kraken::Rounding;
using kraken::futures::FuturesDeviationUnit;
using kraken::futures::FuturesInstrument;
using kraken::futures::FuturesOrderRequest;
using kraken::futures::FuturesOrderType;
using kraken::futures::FuturesSide;
using kraken::futures::FuturesTriggerSignal;

namespace {

// The paper engine's money scales: USD for linear contracts, the coin for inverse ones.
// Rounding at the same places is what makes the two agree to the last digit.
constexpr int QuoteScale = 8;
constexpr int CoinScale = 10;

// The exact product at the operands' own scales (normalised first, so "60000.00000000" does
// not eat the mantissa's range).
std::optional<Decimal> exactTimes(const Decimal &a, const Decimal &b) {
    const Decimal x = a.normalized(), y = b.normalized();
    if (x.scale() + y.scale() > Decimal::MaxScale)
        return x.times(y, Decimal::MaxScale);
    return x.times(y, x.scale() + y.scale());
}

std::optional<Decimal> normalized(const std::optional<Decimal> &d) {
    return d ? std::optional<Decimal>(d->normalized()) : std::nullopt;
}

// "XBTUSD" out of "PI_XBTUSD" or "FI_XBTUSD_240628".
QString marketCore(const QString &symbol) {
    return symbol.section(u'_', 1, 1);
}

QString signalText(FuturesTriggerSignal s) {
    switch (s) {
    case FuturesTriggerSignal::Mark:
        return u"mark"_s;
    case FuturesTriggerSignal::Index:
        return u"index"_s;
    case FuturesTriggerSignal::Last:
        return u"last"_s;
    case FuturesTriggerSignal::None:
        break;
    }
    return {};
}

} // namespace

QString futuresMarginAccountOf(const FuturesInstrument &instrument) {
    if (instrument.isLinear())
        return u"flex"_s;
    if (instrument.isInverse())
        return QString(u"fi_"_s + marketCore(instrument.symbol()).toLower());
    return {};
}

QString futuresCollateralCurrencyOf(const FuturesInstrument &instrument) {
    if (instrument.isLinear())
        return instrument.quote().isEmpty() ? u"USD"_s : instrument.quote();
    if (!instrument.base().isEmpty())
        return instrument.base();
    // Inverse entries often carry no base: the coin is the symbol's market less its quote.
    const QString core = marketCore(instrument.symbol());
    const QString quote = instrument.quote().isEmpty() ? u"USD"_s : instrument.quote();
    return core.endsWith(quote, Qt::CaseInsensitive) ? core.left(core.size() - quote.size()) : core;
}

FuturesOrderEstimate estimateFuturesOrder(const FuturesOrderRequest &order,
                                          const FuturesInstrument &instrument,
                                          const FuturesMarketContext &market,
                                          const MarginRecord *margin) {
    FuturesOrderEstimate e;
    e.currency = futuresCollateralCurrencyOf(instrument);
    e.quoteCurrency = instrument.quote().isEmpty() ? u"USD"_s : instrument.quote();
    if (margin)
        e.availableMargin = margin->availableMargin;

    // The price the engine values the order at: the limit for resting orders, the stop while
    // a stop waits for its trigger, the mark for orders without a price of their own.
    switch (order.orderType) {
    case FuturesOrderType::Limit:
    case FuturesOrderType::PostOnly:
    case FuturesOrderType::ImmediateOrCancel:
        e.price = order.limitPrice;
        e.priceSource = u"limit"_s;
        break;
    case FuturesOrderType::Stop:
    case FuturesOrderType::TakeProfit:
        e.price = order.stopPrice;
        e.priceSource = u"stop"_s;
        break;
    case FuturesOrderType::Market:
    case FuturesOrderType::TrailingStop:
        if (market.mark) {
            e.price = market.mark;
            e.priceSource = u"mark"_s;
        } else if (order.side == FuturesSide::Buy && market.bestAsk) {
            e.price = market.bestAsk;
            e.priceSource = u"best ask"_s;
        } else if (order.side == FuturesSide::Sell && market.bestBid) {
            e.price = market.bestBid;
            e.priceSource = u"best bid"_s;
        }
        break;
    }
    if (!e.price || e.price->signum() <= 0) {
        e.price.reset();
        return e;
    }
    if (order.size.signum() <= 0 || instrument.contractSize().signum() <= 0)
        return e;
    const Decimal price = *e.price;
    const auto contracts = exactTimes(order.size.abs(), instrument.contractSize());
    if (!contracts)
        return e;
    const bool inverse = instrument.isInverse();
    const int scale = inverse ? CoinScale : QuoteScale;
    const auto quoteValue =
        inverse ? std::optional<Decimal>(*contracts) : exactTimes(*contracts, price);
    if (!quoteValue)
        return e;
    // Inverse contracts are quote units; their value in the coin is a division, rounded once.
    const auto notional =
        inverse ? contracts->dividedBy(price, CoinScale) : quoteValue->rescaled(QuoteScale);
    if (!notional)
        return e;
    e.notional = notional->normalized();
    e.quoteNotional = quoteValue->normalized();

    // The tier: the last level whose threshold the order reaches, measured in contracts or,
    // for levels given in numNonContractUnits, in quote currency.
    const QList<kraken::futures::FuturesMarginLevel> levels = instrument.marginLevels();
    for (int i = 0; i < levels.size(); ++i) {
        const Decimal measure = levels[i].inNonContractUnits ? *quoteValue : order.size.abs();
        if (i == 0 || measure >= levels[i].threshold) {
            e.tierIndex = i;
            e.tier = levels[i];
        }
    }
    if (e.tierIndex < 0)
        return e;

    if (order.reduceOnly) {
        // The engine reserves nothing for an order that can only shrink a position.
        e.initialMargin = Decimal();
        e.maintenanceMargin = Decimal();
    } else {
        e.initialMargin = normalized(notional->times(e.tier.initialMargin, scale));
        e.maintenanceMargin = normalized(notional->times(e.tier.maintenanceMargin, scale));
    }
    if (e.tier.initialMargin.signum() > 0)
        e.maxLeverage = normalized(Decimal::fromInt(1).dividedBy(e.tier.initialMargin, 2));
    if (margin && margin->portfolioValue && margin->portfolioValue->signum() > 0)
        e.accountLeverage = notional->dividedBy(*margin->portfolioValue, 2);
    if (e.availableMargin && e.initialMargin) {
        e.availableAfter = normalized(e.availableMargin->minus(*e.initialMargin));
        e.insufficientMargin = *e.initialMargin > *e.availableMargin;
    }
    return e;
}

QString describeFuturesOrder(const FuturesOrderRequest &order) {
    QString s = QString((order.side == FuturesSide::Buy ? u"Buy "_s : u"Sell "_s) +
                        order.size.toString() + u' ' + order.symbol);
    const QString limit = order.limitPrice ? order.limitPrice->toString() : QString();
    const QString stop = order.stopPrice ? order.stopPrice->toString() : QString();
    const QString signal = signalText(order.triggerSignal);
    const QString on = signal.isEmpty() ? QString() : QString(u" ("_s + signal + u" price)"_s);
    switch (order.orderType) {
    case FuturesOrderType::Limit:
        s += u" at %1, limit"_s.arg(limit);
        break;
    case FuturesOrderType::PostOnly:
        s += u" at %1, post-only limit"_s.arg(limit);
        break;
    case FuturesOrderType::ImmediateOrCancel:
        s += u" at %1, immediate-or-cancel limit"_s.arg(limit);
        break;
    case FuturesOrderType::Market:
        s += u" at market"_s;
        break;
    case FuturesOrderType::Stop:
    case FuturesOrderType::TakeProfit:
        s += QString(
            (order.orderType == FuturesOrderType::Stop ? u", stop at "_s : u", take profit at "_s) +
            stop + on);
        s += limit.isEmpty() ? u", then at market"_s : QString(u", then limit "_s + limit);
        break;
    case FuturesOrderType::TrailingStop: {
        const QString dev =
            order.trailingStopMaxDeviation ? order.trailingStopMaxDeviation->toString() : u"?"_s;
        s += QString(u", trailing stop "_s + dev +
                     (order.trailingStopDeviationUnit == FuturesDeviationUnit::Percent
                          ? u"%"_s
                          : u" in quote currency"_s) +
                     u" behind"_s + on);
        break;
    }
    }
    if (order.reduceOnly)
        s += u", reduce-only"_s;
    return s;
}

} // namespace model
