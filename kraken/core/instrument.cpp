#include "instrument.h"

#include "assetcodes.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace kraken {
namespace {

Error fieldError(const QString &key, const QString &field, const QString &why) {
    return Error(Error::Category::Parse,
                 u"AssetPairs entry %1: field '%2' %3"_s.arg(key, field, why));
}

} // namespace

Result<Instrument> Instrument::fromAssetPair(const QString &restKey, const QJsonObject &pair) {
    Instrument in;
    in.m_restKey = restKey;
    in.m_altname = pair.value(u"altname"_s).toString();
    in.m_wsname = pair.value(u"wsname"_s).toString();
    in.m_baseCode = pair.value(u"base"_s).toString();
    in.m_quoteCode = pair.value(u"quote"_s).toString();
    in.m_status = pair.value(u"status"_s).toString(u"online"_s);
    if (in.m_altname.isEmpty())
        return fieldError(restKey, u"altname"_s, u"is missing"_s);
    if (in.m_baseCode.isEmpty() || in.m_quoteCode.isEmpty())
        return fieldError(restKey, u"base/quote"_s, u"is missing"_s);

    // wsname already carries the short asset names ("XBT/USD"); fall back to base/quote.
    const QStringList parts = in.m_wsname.split(u'/');
    if (parts.size() == 2) {
        in.m_base = normaliseAsset(parts[0]);
        in.m_quote = normaliseAsset(parts[1]);
    } else {
        in.m_base = normaliseAsset(in.m_baseCode);
        in.m_quote = normaliseAsset(in.m_quoteCode);
    }
    in.m_symbol = in.m_base + u'/' + in.m_quote;

    auto intField = [&](const char16_t *name, int &out) -> std::optional<Error> {
        const QJsonValue v = pair.value(QStringView(name));
        // toInt() silently gives 0 for a non-integral number (1.5), so check that too.
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > Decimal::MaxScale ||
            v.toDouble() != double(v.toInt(-1)))
            return fieldError(restKey, QString::fromUtf16(name), u"is not a precision 0..18"_s);
        out = v.toInt();
        return std::nullopt;
    };
    if (auto e = intField(u"pair_decimals", in.m_pairDecimals))
        return *e;
    if (auto e = intField(u"lot_decimals", in.m_lotDecimals))
        return *e;
    // cost_decimals arrived later than the others; older captures lack it.
    if (pair.contains(u"cost_decimals"_s)) {
        if (auto e = intField(u"cost_decimals", in.m_costDecimals))
            return *e;
    } else {
        in.m_costDecimals = in.m_pairDecimals;
    }

    auto decimalField = [&](const char16_t *name, Decimal &out,
                            Decimal fallback) -> std::optional<Error> {
        const QJsonValue v = pair.value(QStringView(name));
        if (v.isUndefined() || v.isNull()) {
            out = fallback;
            return std::nullopt;
        }
        const auto d = Decimal::fromString(v.toString());
        if (!v.isString() || !d || d->isNegative())
            return fieldError(restKey, QString::fromUtf16(name), u"is not a decimal string"_s);
        out = *d;
        return std::nullopt;
    };
    const Decimal oneTick = *Decimal::fromParts(1, in.m_pairDecimals);
    if (auto e = decimalField(u"tick_size", in.m_tickSize, oneTick))
        return *e;
    if (auto e = decimalField(u"ordermin", in.m_orderMin, Decimal()))
        return *e;
    if (auto e = decimalField(u"costmin", in.m_costMin, Decimal()))
        return *e;
    if (in.m_tickSize.isZero())
        in.m_tickSize = oneTick;
    return in;
}

Result<Instrument> Instrument::forFutures(const QString &productId, const QString &base,
                                          const QString &quote, const Decimal &tickSize,
                                          const Decimal &sizeStep, const QString &status) {
    const auto bad = [&](const QString &what) {
        return Error(Error::Category::Parse, u"Futures instrument %1: %2"_s.arg(
                                                 productId.isEmpty() ? u"?"_s : productId, what));
    };
    if (productId.isEmpty())
        return bad(u"the product id is empty"_s);
    if (tickSize.signum() <= 0)
        return bad(u"the tick size is not positive"_s);
    if (sizeStep.signum() <= 0)
        return bad(u"the size step is not positive"_s);
    Instrument in;
    in.m_venue = Venue::Futures;
    in.m_symbol = in.m_restKey = in.m_altname = in.m_wsname = productId;
    in.m_base = in.m_baseCode = base;
    in.m_quote = in.m_quoteCode = quote;
    in.m_tickSize = tickSize;
    in.m_pairDecimals = tickSize.normalized().scale();
    in.m_costDecimals = in.m_pairDecimals;
    // A step of 10 (precision -1) has scale 0 after normalising: whole numbers, as wanted.
    in.m_lotDecimals = sizeStep.normalized().scale();
    in.m_orderMin = sizeStep;
    in.m_status = status;
    return in;
}

bool Instrument::isTradable() const {
    return m_status == u"online"_s || m_status == u"post_only"_s || m_status == u"limit_only"_s;
}

} // namespace kraken
