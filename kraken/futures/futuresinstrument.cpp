#include "futuresinstrument.h"

#include "kraken/core/assetcodes.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

Error missing(const QString &symbol, const QString &field) {
    return Error(Error::Category::Parse,
                 u"Futures instrument %1: field '%2' is missing or malformed"_s.arg(
                     symbol.isEmpty() ? u"?"_s : symbol, field));
}

std::optional<Decimal> pow10(int exponent) {
    if (exponent >= 0)
        return Decimal::fromParts(1, std::min(exponent, Decimal::MaxScale));
    std::int64_t m = 1;
    for (int i = 0; i < -exponent && i < 18; ++i)
        m *= 10;
    return Decimal::fromInt(m);
}

} // namespace

QDateTime parseFuturesTime(const QString &text) {
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}

FuturesInstrument::Kind FuturesInstrument::kindOfSymbol(QStringView symbol) {
    const QString prefix = symbol.left(3).toString().toUpper();
    if (prefix == u"PF_"_s)
        return Kind::PerpetualLinear;
    if (prefix == u"PI_"_s)
        return Kind::PerpetualInverse;
    if (prefix == u"FI_"_s)
        return Kind::FixedInverse;
    if (prefix == u"FF_"_s)
        return Kind::FixedLinear;
    if (prefix == u"IN_"_s || prefix == u"RR_"_s)
        return Kind::Index;
    return Kind::Unknown;
}

Result<FuturesInstrument> FuturesInstrument::fromJson(const JsonNode &e) {
    FuturesInstrument in;
    if (!e.isObject())
        return missing({}, u"(entry is not an object)"_s);
    in.m_symbol = e.string(u"symbol");
    if (in.m_symbol.isEmpty())
        return missing({}, u"symbol"_s);
    in.m_kind = kindOfSymbol(in.m_symbol);
    in.m_type = e.string(u"type");
    in.m_tag = e.string(u"tag");
    in.m_pair = e.string(u"pair");
    in.m_underlying = e.string(u"underlying");
    in.m_base = e.string(u"base");
    in.m_quote = e.string(u"quote");
    in.m_isin = e.string(u"isin");
    in.m_tradeable = e.boolean(u"tradeable");
    in.m_postOnly = e.boolean(u"postOnly");
    // Index entries (in_/rr_) carry no trading terms.
    if (in.m_kind == Kind::Index)
        return in;
    if (in.m_tradeable || e.contains(u"tickSize")) {
        const auto tick = e.decimal(u"tickSize");
        if (!tick || tick->signum() <= 0)
            return missing(in.m_symbol, u"tickSize"_s);
        in.m_tickSize = *tick;
        const auto contract = e.decimal(u"contractSize");
        if (!contract || contract->signum() <= 0)
            return missing(in.m_symbol, u"contractSize"_s);
        in.m_contractSize = *contract;
    }
    if (const JsonNode *p = e.find(u"contractValueTradePrecision")) {
        const auto v = p->integer();
        if (!v || *v < -18 || *v > 18)
            return missing(in.m_symbol, u"contractValueTradePrecision"_s);
        in.m_contractValuePrecision = int(*v);
    }
    in.m_impactMidSize = e.decimal(u"impactMidSize");
    in.m_maxPositionSize = e.decimal(u"maxPositionSize");
    in.m_openingDate = parseFuturesTime(e.string(u"openingDate"));
    in.m_lastTradingTime = parseFuturesTime(e.string(u"lastTradingTime"));
    in.m_fundingRateCoefficient = e.decimal(u"fundingRateCoefficient");
    in.m_maxRelativeFundingRate = e.decimal(u"maxRelativeFundingRate");
    if (const JsonNode *levels = e.find(u"marginLevels")) {
        for (const JsonNode &l : levels->elements()) {
            FuturesMarginLevel m;
            auto threshold = l.decimal(u"contracts");
            if (!threshold) {
                threshold = l.decimal(u"numNonContractUnits");
                m.inNonContractUnits = true;
            }
            const auto im = l.decimal(u"initialMargin");
            const auto mm = l.decimal(u"maintenanceMargin");
            if (!threshold || !im || !mm)
                return missing(in.m_symbol, u"marginLevels"_s);
            m.threshold = *threshold;
            m.initialMargin = *im;
            m.maintenanceMargin = *mm;
            in.m_marginLevels.append(m);
        }
    }
    return in;
}

QString FuturesInstrument::displayName() const {
    QString s = m_symbol;
    return s.replace(u"XBT"_s, u"BTC"_s, Qt::CaseInsensitive);
}

bool FuturesInstrument::isPerpetual() const {
    return m_kind == Kind::PerpetualLinear || m_kind == Kind::PerpetualInverse;
}

bool FuturesInstrument::isInverse() const {
    return m_kind == Kind::PerpetualInverse || m_kind == Kind::FixedInverse;
}

bool FuturesInstrument::isLinear() const {
    return m_kind == Kind::PerpetualLinear || m_kind == Kind::FixedLinear;
}

Decimal FuturesInstrument::sizeIncrement() const {
    return pow10(m_contractValuePrecision.value_or(0)).value_or(Decimal::fromInt(1));
}

int FuturesInstrument::priceDecimals() const {
    return m_tickSize.normalized().scale();
}

bool FuturesInstrument::isValidPrice(const Decimal &price) const {
    return price.signum() > 0 && (m_tickSize.isZero() || price.isMultipleOf(m_tickSize));
}

bool FuturesInstrument::isValidSize(const Decimal &size) const {
    if (size.signum() <= 0)
        return false;
    if (m_maxPositionSize && size > *m_maxPositionSize)
        return false;
    return size.isMultipleOf(sizeIncrement());
}

Result<Instrument> toInstrument(const FuturesInstrument &f) {
    if (f.kind() == FuturesInstrument::Kind::Index)
        return Error(Error::Category::Parse,
                     u"Futures instrument %1 is an index, not a contract"_s.arg(f.symbol()));
    QString base = f.base(), quote = f.quote();
    if (base.isEmpty() || quote.isEmpty()) {
        // Inverse contracts list only the pair ("XBT:USD"); failing that, the symbol's body
        // ("PI_XBTUSD", "FI_XBTUSD_241227") ends in a three-letter quote.
        const QStringList parts = f.pair().split(u':');
        if (parts.size() == 2) {
            base = parts.at(0);
            quote = parts.at(1);
        } else {
            const QString body = f.symbol().section(u'_', 1, 1);
            if (body.size() > 3) {
                base = body.left(body.size() - 3);
                quote = body.right(3);
            }
        }
    }
    const QString status = !f.isTradeable() ? u"cancel_only"_s
                           : f.isPostOnly() ? u"post_only"_s
                                            : u"online"_s;
    return Instrument::forFutures(f.symbol(), normaliseAsset(base), normaliseAsset(quote),
                                  f.tickSize(), f.sizeIncrement(), status);
}

} // namespace kraken::futures
