#pragma once

// Instrument: one Kraken Spot pair as AssetPairs describes it, with the names every API uses
// for it and the precisions and minimums that order validation needs. Display symbols use
// BTC, not XBT ("XBT/USD" -> "BTC/USD", "ETH/XBT" -> "ETH/BTC"), as WS v2 does.
// An immutable value type; share freely across threads.

#include "decimal.h"
#include "result.h"

#include <QJsonObject>
#include <QString>

namespace kraken {

class Instrument {
public:
    Instrument() = default;

    // Builds from one AssetPairs entry (`restKey` is its key, e.g. "XXBTZUSD"). Missing or
    // malformed required fields give an error naming the field.
    static Result<Instrument> fromAssetPair(const QString &restKey, const QJsonObject &pair);

    QString symbol() const { return m_symbol; }       // "BTC/USD" (also the WS v2 symbol)
    QString restKey() const { return m_restKey; }     // "XXBTZUSD"
    QString altname() const { return m_altname; }     // "XBTUSD"
    QString wsname() const { return m_wsname; }       // "XBT/USD" (WS v1 name)
    QString base() const { return m_base; }           // "BTC"
    QString quote() const { return m_quote; }         // "USD"
    QString baseCode() const { return m_baseCode; }   // "XXBT" as REST balances name it
    QString quoteCode() const { return m_quoteCode; } // "ZUSD"
    int pairDecimals() const { return m_pairDecimals; }
    int lotDecimals() const { return m_lotDecimals; }
    int costDecimals() const { return m_costDecimals; }
    Decimal tickSize() const { return m_tickSize; }
    Decimal orderMin() const { return m_orderMin; }
    Decimal costMin() const { return m_costMin; }
    QString status() const { return m_status; } // online, cancel_only, post_only, ...
    bool isTradable() const;

    QString formatPrice(const Decimal &price) const { return price.toString(m_pairDecimals); }
    QString formatQty(const Decimal &qty) const { return qty.toString(m_lotDecimals); }

private:
    QString m_symbol, m_restKey, m_altname, m_wsname, m_base, m_quote, m_baseCode, m_quoteCode;
    int m_pairDecimals = 0;
    int m_lotDecimals = 0;
    int m_costDecimals = 0;
    Decimal m_tickSize, m_orderMin, m_costMin;
    QString m_status;
};

} // namespace kraken
