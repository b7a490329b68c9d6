#pragma once

// SimConfig: what the paper exchange serves: assets, pairs (as Kraken's AssetPairs entries, so
// the REST answer and our client's Instrument come from the same text), paper accounts with
// their API keys and starting balances, and the market seed. A plain value type.

#include "kraken/core/decimal.h"
#include "kraken/core/instrument.h"
#include "kraken/core/ratelimits.h"
#include "kraken/core/result.h"

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
};

struct SimConfig {
    quint64 seed = 1;
    QList<SimAsset> assets;
    QList<SimPair> pairs;
    QList<SimAccount> accounts;

    // One paper account with USD, EUR and some crypto; BTC/USD, ETH/USD, SOL/USD, ETH/BTC,
    // BTC/EUR, XRP/USD, DOGE/USD.
    static SimConfig builtIn();
    // The JSON config (see docs in simconfig.cpp); fields left out fall back to builtIn().
    static Result<SimConfig> fromJson(const QByteArray &json);

    const SimPair *pairBySymbol(QStringView symbol) const; // "BTC/USD"
    const SimPair *pairByAnyName(QStringView name) const;  // symbol, restKey, altname, wsname
    const SimAccount *accountByKey(QStringView apiKey) const;
    const SimAsset *assetByDisplay(QStringView display) const;
};

} // namespace kraken::sim
