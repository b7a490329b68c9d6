#pragma once

// SimConfig: what the paper exchange serves: assets, pairs (as Kraken's AssetPairs entries, so
// the REST answer and our client's Instrument come from the same text), paper accounts with
// their API keys and starting balances, and the market seed. A plain value type.

#include "kraken/core/decimal.h"
#include "kraken/core/instrument.h"
#include "kraken/core/ratelimits.h"
#include "kraken/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace kraken::sim {

struct SimAsset {
    QString code;     // REST code: "XXBT", "ZUSD", "ETH"
    QString altname;  // "XBT", "USD"
    QString display;  // WS v2 / display id: "BTC", "USD"
    int decimals = 8; // "decimals" in Assets
    int displayDecimals = 5;
};

struct SimPair {
    QJsonObject assetPair;  // the AssetPairs entry, exactly as REST serves it
    QString restKey;        // its key: "XXBTZUSD"
    Instrument instrument;  // built from assetPair
    Decimal startPrice;     // where the random walk begins
    int pricePrecision = 1; // WS v2 price_precision (= pair_decimals)
    int qtyPrecision = 8;   // WS v2 qty_precision (= lot_decimals)
    Decimal priceIncrement; // tick
    Decimal qtyIncrement;   // lot step
};

struct SimAccount {
    QString id;     // "paper"
    QString apiKey; // public key, sent as API-Key
    QString secret; // base64 private key, as Kraken shows it
    VerificationTier tier = VerificationTier::Intermediate;
    QMap<QString, Decimal> balances; // by display id ("USD", "BTC")
    Decimal makerFeePct;             // e.g. 0.25 = 0.25 %
    Decimal takerFeePct;             // e.g. 0.40
    // Kraken Futures: keys are separate from Spot keys; empty = no futures account.
    QString futuresApiKey;
    QString futuresSecret;
    QMap<QString, Decimal> futuresFlex;    // flex collateral by currency ("USD")
    QMap<QString, Decimal> futuresInverse; // margin accounts by name ("fi_xbtusd": BTC)
    Decimal futuresMakerFeePct;            // e.g. 0.02
    Decimal futuresTakerFeePct;            // e.g. 0.05
};

// One Kraken Futures contract as /derivatives/api/v3/instruments lists it.
struct SimMarginLevel {
    Decimal threshold;         // "contracts" (inverse) or "numNonContractUnits" (flex, USD)
    Decimal initialMargin;     // fraction of notional, e.g. 0.02
    Decimal maintenanceMargin; // e.g. 0.01
};

struct SimFuturesInstrument {
    QString symbol;                      // "PF_XBTUSD"
    QString type;                        // "flexible_futures" | "futures_inverse"
    QString tag;                         // "perpetual" | "month" | "quarter"
    QString base, quote, pair;           // "BTC", "USD", "BTC:USD"
    QString underlying;                  // "rr_xbtusd" (inverse) or empty
    QString indexSpotSymbol;             // the paper Spot market the index follows: "BTC/USD"
    Decimal tickSize;                    // price increment
    Decimal contractSize;                // 1 (1 USD for inverse, 1 base unit for flex)
    int contractValueTradePrecision = 0; // size decimals
    int pricePrecision = 1;              // decimals of tickSize
    Decimal startPrice;                  // where the futures walk begins
    QList<SimMarginLevel> marginLevels;
    Decimal fundingRateCoefficient;
    Decimal maxRelativeFundingRate; // |relative funding rate| cap per interval
    Decimal maxPositionSize;
    QDateTime openingDate;
    QDateTime lastTradingTime; // fixed maturities only

    bool inverse() const { return type == QStringLiteral("futures_inverse"); }
    bool perpetual() const { return tag == QStringLiteral("perpetual"); }
    // The margin account Kraken books it in: "flex" or "fi_xbtusd".
    QString marginAccount() const;
    // The collateral currency of that account: "USD" (flex) or "BTC".
    QString collateral() const { return inverse() ? base : quote; }
};

struct SimConfig {
    quint64 seed = 1;
    QList<SimAsset> assets;
    QList<SimPair> pairs;
    QList<SimAccount> accounts;
    QList<SimFuturesInstrument> futures;
    int futuresFundingIntervalSec = 3600; // Kraken: hourly for PF_ perpetuals

    // One paper account with USD, EUR and some crypto; BTC/USD, ETH/USD, SOL/USD, ETH/BTC,
    // BTC/EUR, XRP/USD, DOGE/USD.
    static SimConfig builtIn();
    // The JSON config (see docs in simconfig.cpp); fields left out fall back to builtIn().
    static Result<SimConfig> fromJson(const QByteArray &json);

    const SimPair *pairBySymbol(QStringView symbol) const; // "BTC/USD"
    const SimPair *pairByAnyName(QStringView name) const;  // symbol, restKey, altname, wsname
    const SimAccount *accountByKey(QStringView apiKey) const;
    const SimAsset *assetByDisplay(QStringView display) const;
    const SimFuturesInstrument *futuresBySymbol(QStringView symbol) const; // case-insensitive
    const SimAccount *accountByFuturesKey(QStringView apiKey) const;
};

} // namespace kraken::sim
