#pragma once

// FuturesInstrument: one Kraken Futures contract as /derivatives/api/v3/instruments describes
// it: its kind (from the symbol's prefix), contract terms, price and size increments, margin
// tiers and funding parameters. Symbols keep Kraken's XBT naming (PF_XBTUSD); displayName()
// offers the BTC spelling. Every number is an exact Decimal from the JSON token's text.
// An immutable value type; share freely across threads.

#include "jsonnode.h"
#include "kraken/core/decimal.h"
#include "kraken/core/instrument.h"
#include "kraken/core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace kraken::futures {

// One margin tier: from `threshold` (contracts, or base units for flex contracts: Kraken calls
// it numNonContractUnits) upward these fractions apply.
struct FuturesMarginLevel {
    Decimal threshold;
    bool inNonContractUnits = false;
    Decimal initialMargin;
    Decimal maintenanceMargin;
};

class FuturesInstrument {
public:
    enum class Kind {
        Unknown,
        PerpetualLinear,  // PF_: multi-collateral ("flex") perpetual, size in base units
        PerpetualInverse, // PI_: coin-margined perpetual, size in USD contracts
        FixedInverse,     // FI_: coin-margined, expires (YYMMDD in the symbol)
        FixedLinear,      // FF_: flex-margined, expires
        Index,            // IN_/RR_: index or reference rate, never tradeable
    };

    FuturesInstrument() = default;
    // From one /instruments entry; a missing or malformed required field gives an error
    // naming it.
    static Result<FuturesInstrument> fromJson(const JsonNode &entry);
    static Kind kindOfSymbol(QStringView symbol);

    QString symbol() const { return m_symbol; } // "PF_XBTUSD" as Kraken spells it
    // "PF_BTCUSD": the symbol with XBT spelt BTC, for display only.
    QString displayName() const;
    Kind kind() const { return m_kind; }
    QString type() const { return m_type; } // flexible_futures, futures_inverse, futures_vanilla
    QString tag() const { return m_tag; }   // perpetual, month, quarter, ...
    QString pair() const { return m_pair; } // "XBT:USD" or "BTC:USD"
    QString underlying() const { return m_underlying; }
    QString base() const { return m_base; }
    QString quote() const { return m_quote; }
    QString isin() const { return m_isin; }
    bool isPerpetual() const;
    bool isInverse() const;
    bool isLinear() const;

    Decimal contractSize() const { return m_contractSize; }
    Decimal tickSize() const { return m_tickSize; }
    // Allowed size decimals; negative: sizes are multiples of 10^-n. nullopt when not sent
    // (inverse contracts: whole contracts).
    std::optional<int> contractValuePrecision() const { return m_contractValuePrecision; }
    // The smallest size step the precision allows (1 for inverse contracts).
    Decimal sizeIncrement() const;
    std::optional<Decimal> impactMidSize() const { return m_impactMidSize; }
    std::optional<Decimal> maxPositionSize() const { return m_maxPositionSize; }
    QDateTime openingDate() const { return m_openingDate; }
    // Maturity of fixed contracts; invalid for perpetuals.
    QDateTime lastTradingTime() const { return m_lastTradingTime; }
    bool isTradeable() const { return m_tradeable; }
    bool isPostOnly() const { return m_postOnly; }
    QList<FuturesMarginLevel> marginLevels() const { return m_marginLevels; }
    std::optional<Decimal> fundingRateCoefficient() const { return m_fundingRateCoefficient; }
    std::optional<Decimal> maxRelativeFundingRate() const { return m_maxRelativeFundingRate; }

    // Decimal places of the tick size (0.5 -> 1, 1e-10 -> 10).
    int priceDecimals() const;
    QString formatPrice(const Decimal &price) const { return price.toString(priceDecimals()); }
    bool isValidPrice(const Decimal &price) const;
    bool isValidSize(const Decimal &size) const;

private:
    QString m_symbol, m_type, m_tag, m_pair, m_underlying, m_base, m_quote, m_isin;
    Kind m_kind = Kind::Unknown;
    Decimal m_contractSize, m_tickSize;
    std::optional<int> m_contractValuePrecision;
    std::optional<Decimal> m_impactMidSize, m_maxPositionSize;
    QDateTime m_openingDate, m_lastTradingTime;
    bool m_tradeable = false;
    bool m_postOnly = false;
    QList<FuturesMarginLevel> m_marginLevels;
    std::optional<Decimal> m_fundingRateCoefficient, m_maxRelativeFundingRate;
};

// The contract as the terminal's market panels see it (kraken::Instrument::forFutures): tick size,
// size step (sizeIncrement), base/quote ("BTC"/"USD", from base/quote, else pair, else the
// symbol) and status (online, post_only, or cancel_only when not tradeable). Index entries and
// contracts without trading terms give an error.
Result<Instrument> toInstrument(const FuturesInstrument &instrument);

// ISO 8601 with or without milliseconds ("2022-09-30T15:00:00.000Z"); invalid when empty.
QDateTime parseFuturesTime(const QString &text);

} // namespace kraken::futures
