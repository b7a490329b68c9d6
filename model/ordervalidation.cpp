#include "ordervalidation.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace model {

using kraken::Instrument;
using kraken::Rounding;
using kraken::spot::OrderRequest;
using kraken::spot::Side;

namespace {

const QString kMarket = u"market"_s;
const QString kLimit = u"limit"_s;
const QString kIceberg = u"iceberg"_s;
const QString kStopLoss = u"stop-loss"_s;
const QString kTakeProfit = u"take-profit"_s;
const QString kStopLossLimit = u"stop-loss-limit"_s;
const QString kTakeProfitLimit = u"take-profit-limit"_s;
const QString kTrailingStop = u"trailing-stop"_s;
const QString kTrailingStopLimit = u"trailing-stop-limit"_s;

// Kraken's "fits the instrument" rule: no more places than the pair allows. Trailing zeros
// do not count ("1.50" fits one place).
bool fitsPlaces(const Decimal &d, int places) {
    return d.normalized().scale() <= places;
}

QString placesText(int places) {
    return places == 1 ? u"1 decimal"_s : u"%1 decimals"_s.arg(places);
}

// Order types Kraken turns into a market order once triggered: refused in limit_only mode.
bool marketLike(const QString &type) {
    return type == kMarket || type == kStopLoss || type == kTakeProfit || type == kTrailingStop;
}

bool crosses(Side side, const Decimal &price, const MarketQuote &q) {
    if (side == Side::Buy)
        return q.bestAsk && price >= *q.bestAsk;
    return q.bestBid && price <= *q.bestBid;
}

// The price a market order would take: the far side, or whatever side there is.
std::optional<Decimal> takingPrice(Side side, const MarketQuote &q) {
    if (side == Side::Buy)
        return q.bestAsk ? q.bestAsk : q.bestBid;
    return q.bestBid ? q.bestBid : q.bestAsk;
}

// A relative price as Kraken writes it: "+50", "-1.5%", "#10".
struct Offset {
    QChar sign;
    Decimal value;
    bool percent = false;
};

std::optional<Offset> parseOffset(const QString &text) {
    QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    Offset o;
    if (t.front() == u'+' || t.front() == u'-' || t.front() == u'#') {
        o.sign = t.front();
        t.remove(0, 1);
    }
    if (t.endsWith(u'%')) {
        o.percent = true;
        t.chop(1);
    }
    const auto v = Decimal::fromString(QStringView(t));
    if (!v || v->isNegative())
        return std::nullopt;
    o.value = *v;
    return o;
}

// expiretm in any of Kraken's forms: "+<seconds>", "<unix seconds>", or an RFC 3339 time.
std::optional<qint64> expiryMs(const QString &text, qint64 nowMs) {
    const QString t = text.trimmed();
    bool ok = false;
    if (t.startsWith(u'+')) {
        const qint64 s = t.mid(1).toLongLong(&ok);
        return ok ? std::optional<qint64>(nowMs + s * 1000) : std::nullopt;
    }
    const qint64 s = t.toLongLong(&ok);
    if (ok)
        return s * 1000;
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (dt.isValid())
        return dt.toMSecsSinceEpoch();
    return std::nullopt;
}

// One validation pass over one order: collects issues into `result` in field order.
class Checker {
public:
    Checker(const OrderRequest &o, const Instrument &i, const ValidationContext &c,
            ValidationResult &r)
        : order(o)
        , ins(i)
        , ctx(c)
        , result(r) {}

    void error(OrderField f, const QString &message) {
        result.issues.append({f, Severity::Error, message});
    }
    void warning(OrderField f, const QString &message) {
        result.issues.append({f, Severity::Warning, message});
    }

    QString quoteAmount(const Decimal &d) const { return d.toString() + u' ' + ins.quote(); }

    // A fixed price: positive, within the pair's decimals, on the tick.
    void checkPrice(OrderField f, const QString &what, const Decimal &p) {
        if (p.signum() <= 0) {
            error(f, u"The %1 must be greater than zero."_s.arg(what));
            return;
        }
        if (!fitsPlaces(p, ins.pairDecimals())) {
            error(f, u"%1 prices have at most %2."_s.arg(ins.symbol(),
                                                         placesText(ins.pairDecimals())));
            return;
        }
        checkTick(f, what, p);
    }

    void checkTick(OrderField f, const QString &what, const Decimal &p) {
        const Decimal tick = ins.tickSize();
        if (tick.signum() <= 0 || p.isMultipleOf(tick))
            return;
        const auto steps = p.dividedBy(tick, 0, Rounding::Down);
        const auto below = steps ? steps->times(tick, tick.scale()) : std::nullopt;
        const auto above = below ? below->plus(tick) : std::nullopt;
        QString msg =
            u"The %1 must be a multiple of the tick size %2."_s.arg(what, quoteAmount(tick));
        if (below && above)
            msg += u" Nearest: %1 or %2."_s.arg(ins.formatPrice(*below), ins.formatPrice(*above));
        error(f, msg);
    }

    void checkOffset(OrderField f, const QString &what, const QString &text, bool trailing) {
        const auto off = parseOffset(text);
        if (!off) {
            error(f, u"The %1 is not a number: write it as 50 or 1.5%."_s.arg(what));
            return;
        }
        if (trailing && off->sign != u'+') {
            error(f, u"Kraken wants the trailing offset written with a plus sign, as +50 "
                     u"or +1.5%."_s);
            return;
        }
        if (!trailing && off->sign.isNull()) {
            error(f, u"The %1 needs a sign: +10 above or -10 below the trigger."_s.arg(what));
            return;
        }
        if (trailing && off->value.signum() <= 0) {
            error(f, u"The %1 must be greater than zero."_s.arg(what));
            return;
        }
        if (off->percent) {
            if (off->value > Decimal::fromInt(100))
                error(f, u"The %1 cannot exceed 100%."_s.arg(what));
            return;
        }
        if (!fitsPlaces(off->value, ins.pairDecimals())) {
            error(f, u"%1 price offsets have at most %2."_s.arg(ins.symbol(),
                                                                placesText(ins.pairDecimals())));
            return;
        }
        checkTick(f, what, off->value);
    }

    QString midText(const Decimal &mid) const {
        const Decimal n = mid.normalized();
        return n.scale() <= ins.pairDecimals() ? ins.formatPrice(n) : n.toString();
    }

    void checkDeviation(OrderField f, const QString &what, const Decimal &p, const Decimal &mid) {
        const Decimal band = ctx.guards.maxPriceDeviationPct;
        if (band.signum() <= 0 || mid.signum() <= 0 || p.signum() <= 0)
            return;
        const auto diff = p.minus(mid);
        if (!diff)
            return;
        const auto hundredfold = diff->abs().times(Decimal::fromInt(100), diff->scale());
        const auto pct = hundredfold ? hundredfold->dividedBy(mid, 6) : std::nullopt;
        if (!pct || *pct <= band)
            return;
        warning(f, u"The %1 %2 is %3% %4 the mid price %5 (your limit is %6%)."_s.arg(
                       what, ins.formatPrice(p), pct->toString(2, Rounding::HalfUp),
                       diff->signum() > 0 ? u"above"_s : u"below"_s, midText(mid),
                       band.normalized().toString()));
    }

    void run();

    const OrderRequest &order;
    const Instrument &ins;
    const ValidationContext &ctx;
    ValidationResult &result;
};

void Checker::run() {
    const QString &type = order.orderType;
    const QString sym = ins.symbol();
    const bool post = order.oflags.contains(u"post"_s);
    const bool quoteSized = order.oflags.contains(u"viqc"_s);

    if (sym.isEmpty()) {
        error(OrderField::Order, u"Pick an instrument first."_s);
        return;
    }
    const QString pair = order.pair.trimmed();
    if (pair.isEmpty()) {
        error(OrderField::Order, u"The order names no pair."_s);
    } else if (pair != sym && pair != ins.altname() && pair != ins.restKey() &&
               pair != ins.wsname()) {
        error(OrderField::Order,
              u"The order is for %1 but the instrument checked is %2."_s.arg(pair, sym));
    }

    // The pair's trading status, as AssetPairs reports it.
    const QString status = ins.status();
    if (status == u"cancel_only"_s || status == u"maintenance"_s || status == u"delisted"_s) {
        error(OrderField::Order,
              u"%1 is in %2 mode: Kraken accepts cancellations only, no new orders."_s.arg(
                  sym, QString(status).replace(u'_', u'-')));
    } else if (status == u"post_only"_s) {
        if (!post || (type != kLimit && type != kIceberg))
            error(OrderField::PostOnly,
                  u"%1 is in post-only mode: only post-only limit orders are accepted."_s.arg(sym));
    } else if (status == u"limit_only"_s) {
        if (marketLike(type))
            error(OrderField::OrderType,
                  u"%1 is in limit-only mode: market, stop-loss, take-profit and trailing-stop "
                  u"orders are refused."_s.arg(sym));
    } else if (status == u"reduce_only"_s) {
        if (!order.reduceOnly)
            error(OrderField::ReduceOnly,
                  u"%1 is in reduce-only mode: only orders that reduce a margin position are "
                  u"accepted."_s.arg(sym));
    } else if (!status.isEmpty() && status != u"online"_s) {
        error(OrderField::Order, u"%1 is not tradable now (status %2)."_s.arg(sym, status));
    }

    if (!spotOrderTypes().contains(type)) {
        error(OrderField::OrderType, u"Unknown order type \"%1\"."_s.arg(type));
        return;
    }

    // Quantity: base on the lot decimals and at least ordermin; or, quote-sized, an amount
    // on the cost decimals and at least costmin.
    if (order.volume.signum() <= 0) {
        error(OrderField::Quantity, u"Enter a quantity greater than zero."_s);
    } else if (quoteSized) {
        if (type != kMarket || order.side != Side::Buy)
            error(OrderField::QuoteSize,
                  u"Kraken takes an amount in %1 only for market buys; enter this order's "
                  u"quantity in %2."_s.arg(ins.quote(), ins.base()));
        if (!fitsPlaces(order.volume, ins.costDecimals()))
            error(OrderField::Quantity, u"%1 amounts have at most %2."_s.arg(
                                            ins.quote(), placesText(ins.costDecimals())));
        else if (order.volume < ins.costMin())
            error(OrderField::Quantity,
                  u"The minimum order value on %1 is %2."_s.arg(sym, quoteAmount(ins.costMin())));
    } else {
        if (!fitsPlaces(order.volume, ins.lotDecimals()))
            error(OrderField::Quantity, u"%1 quantities have at most %2."_s.arg(
                                            ins.base(), placesText(ins.lotDecimals())));
        else if (order.volume < ins.orderMin())
            error(OrderField::Quantity, u"The minimum order size on %1 is %2 %3."_s.arg(
                                            sym, ins.orderMin().toString(), ins.base()));
    }

    // Iceberg: Kraken shows at least 1/15 of the order.
    if (type == kIceberg) {
        if (!order.displayVolume) {
            error(OrderField::DisplayQuantity, u"An iceberg order needs a display quantity."_s);
        } else {
            const Decimal &d = *order.displayVolume;
            const auto fifteenfold = d.times(Decimal::fromInt(15), d.scale());
            if (d.signum() <= 0)
                error(OrderField::DisplayQuantity,
                      u"The display quantity must be greater than zero."_s);
            else if (!fitsPlaces(d, ins.lotDecimals()))
                error(OrderField::DisplayQuantity, u"%1 quantities have at most %2."_s.arg(
                                                       ins.base(), placesText(ins.lotDecimals())));
            else if (d > order.volume)
                error(OrderField::DisplayQuantity,
                      u"The display quantity cannot exceed the order quantity."_s);
            else if (order.volume.signum() > 0 && fifteenfold && *fifteenfold < order.volume) {
                const auto min =
                    order.volume.dividedBy(Decimal::fromInt(15), ins.lotDecimals(), Rounding::Up);
                error(
                    OrderField::DisplayQuantity,
                    u"Kraken shows at least 1/15 of an iceberg order: display %1 %2 or more."_s.arg(
                        min ? min->normalized().toString() : QString(), ins.base()));
            }
        }
    } else if (order.displayVolume) {
        error(OrderField::DisplayQuantity, u"Only iceberg orders take a display quantity."_s);
    }

    // The prices each order type needs. Relative forms (priceExpression) other than the
    // trailing offsets are Kraken's to resolve, so they only count as present.
    const bool priceGiven = order.price || !order.priceExpression.isEmpty();
    const bool price2Given = order.price2 || !order.price2Expression.isEmpty();
    if (type == kMarket) {
        if (priceGiven)
            error(OrderField::LimitPrice, u"A market order takes no price."_s);
    } else if (type == kLimit || type == kIceberg) {
        if (!priceGiven)
            error(OrderField::LimitPrice, u"A %1 order needs a limit price."_s.arg(type));
        else if (order.price && order.priceExpression.isEmpty())
            checkPrice(OrderField::LimitPrice, u"limit price"_s, *order.price);
    } else if (hasTriggerPrice(type)) {
        if (!priceGiven)
            error(OrderField::TriggerPrice, u"A %1 order needs a trigger price."_s.arg(type));
        else if (order.price && order.priceExpression.isEmpty())
            checkPrice(OrderField::TriggerPrice, u"trigger price"_s, *order.price);
        if (hasLimitPrice(type)) {
            if (!price2Given)
                error(OrderField::LimitPrice,
                      u"A %1 order needs a limit price as well as the trigger."_s.arg(type));
            else if (order.price2 && order.price2Expression.isEmpty())
                checkPrice(OrderField::LimitPrice, u"limit price"_s, *order.price2);
        }
    } else if (isTrailing(type)) {
        if (order.priceExpression.isEmpty())
            error(OrderField::TrailingOffset,
                  u"A %1 order needs a trailing offset, such as +50 or +1.5%."_s.arg(type));
        else
            checkOffset(OrderField::TrailingOffset, u"trailing offset"_s, order.priceExpression,
                        true);
        if (type == kTrailingStopLimit) {
            if (order.price2Expression.isEmpty())
                error(OrderField::LimitOffset,
                      u"A trailing-stop-limit order needs a limit offset from the trigger, "
                      u"such as -10 or +0.5%."_s);
            else
                checkOffset(OrderField::LimitOffset, u"limit offset"_s, order.price2Expression,
                            false);
        }
    }
    if (!hasTriggerPrice(type) && !isTrailing(type)) {
        if (price2Given)
            error(OrderField::LimitPrice, u"A %1 order takes a single price."_s.arg(type));
        if (!order.trigger.isEmpty())
            error(OrderField::TriggerPrice,
                  u"Only stop, take-profit and trailing orders have a trigger reference."_s);
    }
    if (!order.trigger.isEmpty() && order.trigger != u"last"_s && order.trigger != u"index"_s)
        error(OrderField::TriggerPrice,
              u"The trigger reference is either the last trade price or the index price."_s);

    // Time in force.
    const QString &tif = order.timeInForce;
    if (!tif.isEmpty() && tif != u"GTC"_s && tif != u"IOC"_s && tif != u"GTD"_s)
        error(OrderField::TimeInForce, u"Unknown time in force \"%1\"."_s.arg(tif));
    const qint64 now = ctx.nowMs ? ctx.nowMs : QDateTime::currentMSecsSinceEpoch();
    if (tif == u"GTD"_s) {
        if (order.expireTime.isEmpty()) {
            error(OrderField::Expiry, u"Good-till-date needs an expiry time."_s);
        } else {
            const auto ms = expiryMs(order.expireTime, now);
            if (!ms)
                error(OrderField::Expiry, u"The expiry time is not a date and time."_s);
            else if (*ms <= now)
                error(OrderField::Expiry,
                      u"The expiry time has already passed: pick a time in the future."_s);
        }
    } else if (!order.expireTime.isEmpty()) {
        error(OrderField::Expiry, u"An expiry time needs time in force good-till-date."_s);
    }

    // Flags.
    if (post && type != kLimit && type != kIceberg)
        error(OrderField::PostOnly, u"Post-only applies to limit and iceberg orders only."_s);
    if (post && tif == u"IOC"_s)
        error(OrderField::PostOnly,
              u"Post-only and immediate-or-cancel contradict each other: a post-only order "
              u"rests on the book, an IOC order never does."_s);
    if (order.reduceOnly && order.leverage.isEmpty())
        error(OrderField::ReduceOnly,
              u"Reduce-only applies to margin orders only; this is a spot order."_s);

    result.estimate = estimateOrder(order, ins, ctx.quote, ctx.fees);
    const OrderEstimate &est = result.estimate;

    // Post-only that would cross is rejected by Kraken; the book may move, so only a warning.
    if (post && order.price && (type == kLimit || type == kIceberg) &&
        crosses(order.side, *order.price, ctx.quote)) {
        const bool buy = order.side == Side::Buy;
        warning(OrderField::PostOnly,
                u"At %1 this %2 would cross the best %3 %4: Kraken rejects post-only orders "
                u"that would take."_s.arg(
                    ins.formatPrice(*order.price), buy ? u"buy"_s : u"sell"_s,
                    buy ? u"ask"_s : u"bid"_s,
                    ins.formatPrice(buy ? *ctx.quote.bestAsk : *ctx.quote.bestBid)));
    }

    // costmin on the price the order would trade at.
    if (!quoteSized && est.notional && ins.costMin().signum() > 0 && *est.notional < ins.costMin())
        error(OrderField::Quantity,
              u"The order value %1 is below %2's minimum of %3."_s.arg(
                  quoteAmount(est.notional->normalized()), sym, quoteAmount(ins.costMin())));

    // Fat-finger guards: warnings the trader confirms, never refusals.
    const Decimal maxNotional = ctx.guards.maxNotional;
    if (maxNotional.signum() > 0) {
        if (est.notional && *est.notional > maxNotional)
            warning(OrderField::Quantity,
                    u"The order value %1 is above your limit of %2."_s.arg(
                        quoteAmount(*est.notional), quoteAmount(maxNotional.normalized())));
        else if (!est.notional && order.volume.signum() > 0)
            warning(OrderField::Quantity,
                    u"No market price yet: the order value cannot be checked against your "
                    u"limit of %1."_s.arg(quoteAmount(maxNotional.normalized())));
    }
    if (const auto mid = ctx.quote.mid()) {
        if (order.priceExpression.isEmpty() && order.price) {
            if (type == kLimit || type == kIceberg)
                checkDeviation(OrderField::LimitPrice, u"limit price"_s, *order.price, *mid);
            else if (hasTriggerPrice(type))
                checkDeviation(OrderField::TriggerPrice, u"trigger price"_s, *order.price, *mid);
        }
        if (hasTriggerPrice(type) && order.price2 && order.price2Expression.isEmpty())
            checkDeviation(OrderField::LimitPrice, u"limit price"_s, *order.price2, *mid);
    }
}

} // namespace

std::optional<Decimal> MarketQuote::mid() const {
    if (bestBid && bestAsk) {
        const auto sum = bestBid->plus(*bestAsk);
        if (!sum)
            return std::nullopt;
        // One extra place keeps the half exact: (100.1 + 100.2) / 2 = 100.15.
        return sum->dividedBy(Decimal::fromInt(2), std::min(sum->scale() + 1, Decimal::MaxScale));
    }
    return bestBid ? bestBid : bestAsk;
}

bool ValidationResult::hasErrors() const {
    return std::any_of(issues.begin(), issues.end(),
                       [](const ValidationIssue &i) { return i.severity == Severity::Error; });
}

bool ValidationResult::hasWarnings() const {
    return std::any_of(issues.begin(), issues.end(),
                       [](const ValidationIssue &i) { return i.severity == Severity::Warning; });
}

QList<ValidationIssue> ValidationResult::errors() const {
    QList<ValidationIssue> out;
    for (const auto &i : issues)
        if (i.severity == Severity::Error)
            out.append(i);
    return out;
}

QList<ValidationIssue> ValidationResult::warnings() const {
    QList<ValidationIssue> out;
    for (const auto &i : issues)
        if (i.severity == Severity::Warning)
            out.append(i);
    return out;
}

QList<ValidationIssue> ValidationResult::issuesFor(OrderField field) const {
    QList<ValidationIssue> out;
    for (const auto &i : issues)
        if (i.field == field)
            out.append(i);
    return out;
}

ValidationResult validateOrder(const OrderRequest &order, const Instrument &instrument,
                               const ValidationContext &context) {
    ValidationResult result;
    Checker(order, instrument, context, result).run();
    return result;
}

OrderEstimate estimateOrder(const OrderRequest &order, const Instrument &ins,
                            const MarketQuote &quote, const FeeRates &fees) {
    OrderEstimate est;
    est.feePct = fees.takerPct;
    const QString &type = order.orderType;
    const int cd = ins.costDecimals();
    if (order.volume.signum() <= 0)
        return est;

    if (order.oflags.contains(u"viqc"_s)) {
        // Sized in quote: the notional is what the trader typed; the base follows from the
        // price the order would take.
        est.notional = order.volume.rescaled(std::max(cd, order.volume.scale()));
        est.price = takingPrice(order.side, quote);
        if (est.price)
            est.quantity = baseForQuote(order.volume, *est.price, ins);
    } else {
        est.quantity = order.volume;
        if (type == kLimit || type == kIceberg) {
            est.price = order.priceExpression.isEmpty() ? order.price : std::nullopt;
            if (est.price) {
                // Post-only never takes; otherwise it rests unless it crosses. With no book to
                // compare against, assume the dearer taker rate.
                const bool knownSide =
                    order.side == Side::Buy ? bool(quote.bestAsk) : bool(quote.bestBid);
                est.maker = order.oflags.contains(u"post"_s) ||
                            (knownSide && !crosses(order.side, *est.price, quote));
            }
        } else if (type == kStopLoss || type == kTakeProfit) {
            est.price = order.priceExpression.isEmpty() ? order.price : std::nullopt;
        } else if (type == kStopLossLimit || type == kTakeProfitLimit) {
            est.price = order.price2Expression.isEmpty() ? order.price2 : std::nullopt;
        } else {
            // market and trailing orders: where the book is now.
            est.price = takingPrice(order.side, quote);
        }
        if (est.price && est.price->signum() > 0)
            est.notional = est.price->times(order.volume, cd);
    }
    if (est.maker)
        est.feePct = fees.makerPct;
    if (est.notional) {
        const auto raw =
            est.notional->times(est.feePct, est.notional->scale() + est.feePct.scale());
        if (raw)
            est.fee = raw->dividedBy(Decimal::fromInt(100), cd, Rounding::Up);
    }
    return est;
}

std::optional<Decimal> baseForQuote(const Decimal &quoteAmount, const Decimal &price,
                                    const Instrument &instrument) {
    if (price.signum() <= 0)
        return std::nullopt;
    return quoteAmount.dividedBy(price, instrument.lotDecimals(), Rounding::Down);
}

QString describeOrder(const OrderRequest &o, const Instrument &ins) {
    const QString quote = ins.quote();
    const QString base = ins.base();
    const QString side = o.side == Side::Buy ? u"Buy"_s : u"Sell"_s;
    const QString ref = o.trigger == u"index"_s ? u"index price"_s : u"last trade price"_s;
    auto px = [&](const std::optional<Decimal> &p, const QString &expr) {
        if (!expr.isEmpty())
            return expr;
        return p ? QString(p->toString() + u' ' + quote) : u"?"_s;
    };

    QString text;
    if (o.oflags.contains(u"viqc"_s))
        text = u"%1 %2 for %3 %4"_s.arg(side, base, o.volume.toString(), quote);
    else
        text = u"%1 %2 %3"_s.arg(side, o.volume.toString(), base);
    text += u" on "_s + ins.symbol();

    const QString &t = o.orderType;
    if (t == kMarket)
        text += u" at market"_s;
    else if (t == kLimit)
        text += u", limit "_s + px(o.price, o.priceExpression);
    else if (t == kIceberg)
        text += u", limit "_s + px(o.price, o.priceExpression) + u", iceberg showing "_s +
                (o.displayVolume ? o.displayVolume->toString() : u"?"_s) + u' ' + base;
    else if (t == kStopLoss || t == kTakeProfit)
        text +=
            u", %1: at market once the %2 reaches %3"_s.arg(t, ref, px(o.price, o.priceExpression));
    else if (t == kStopLossLimit || t == kTakeProfitLimit)
        text += u", %1: limit %2 once the %3 reaches %4"_s.arg(t, px(o.price2, o.price2Expression),
                                                               ref, px(o.price, o.priceExpression));
    else if (t == kTrailingStop)
        text += u", trailing stop %1 behind the %2, then at market"_s.arg(o.priceExpression, ref);
    else if (t == kTrailingStopLimit)
        text += u", trailing stop %1 behind the %2, then limit %3 from the trigger"_s.arg(
            o.priceExpression, ref, o.price2Expression);
    else
        text += u", "_s + t;

    if (o.timeInForce == u"IOC"_s) {
        text += u", immediate or cancel"_s;
    } else if (o.timeInForce == u"GTD"_s) {
        const auto ms = expiryMs(o.expireTime, QDateTime::currentMSecsSinceEpoch());
        text +=
            u", good till "_s +
            (ms ? QString(
                      QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm"_s) +
                      u" UTC"_s)
                : o.expireTime);
    } else {
        text += u", good till cancelled"_s;
    }
    if (o.oflags.contains(u"post"_s))
        text += u", post-only"_s;
    if (o.reduceOnly)
        text += u", reduce-only"_s;
    if (o.validateOnly)
        text += u" (validate only: Kraken checks it, nothing is placed)"_s;
    return text;
}

QStringList spotOrderTypes() {
    return {kMarket,        kLimit,           kIceberg,      kStopLoss,         kTakeProfit,
            kStopLossLimit, kTakeProfitLimit, kTrailingStop, kTrailingStopLimit};
}

bool hasLimitPrice(const QString &t) {
    return t == kLimit || t == kIceberg || t == kStopLossLimit || t == kTakeProfitLimit;
}

bool hasTriggerPrice(const QString &t) {
    return t == kStopLoss || t == kTakeProfit || t == kStopLossLimit || t == kTakeProfitLimit;
}

bool isTrailing(const QString &t) {
    return t == kTrailingStop || t == kTrailingStopLimit;
}

} // namespace model
