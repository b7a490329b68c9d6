#pragma once

// Instrument: one Kraken Spot pair as AssetPairs describes it, with the names every API uses
// for it and the precisions and minimums that order validation needs. Display symbols use
// BTC, not XBT ("XBT/USD" -> "BTC/USD", "ETH/XBT" -> "ETH/BTC"), as WS v2 does.
// A Futures contract can be described too (forFutures): its symbol is the product id with
// Kraken's XBT naming ("PF_XBTUSD"), so the watchlist and market panels take both venues.
// An immutable value type; share freely across threads.

#include "decimal.h"
#include "result.h"

#include <QJsonObject>
#include <QString>

namespace kraken {

class Instrument {
public:
    enum class Venue { Spot, Futures };

    Instrument() = default;

    // Builds from one AssetPairs entry (`restKey` is its key, e.g. "XXBTZUSD"). Missing or
    // malformed required fields give an error naming the field.
    static Result<Instrument> fromAssetPair(const QString &restKey, const QJsonObject &pair);
    // A Futures contract: symbol, restKey, altname and wsname are the product id as Kraken
    // spells it; price decimals come from the tick size (0.5 -> 1), qty decimals and orderMin
    // from the size step (0.0001 -> 4; 1 or 10 -> 0). base/quote as the terminal shows them
    // ("BTC", "USD"). A tick size or size step that is not positive gives an error.
    static Result<Instrument> forFutures(const QString &productId, const QString &base,
                                         const QString &quote, const Decimal &tickSize,
                                         const Decimal &sizeStep,
                                         const QString &status = QStringLiteral("online"));

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
    Venue venue() const { return m_venue; }
    bool isFutures() const { return m_venue == Venue::Futures; }

    QString formatPrice(const Decimal &price) const { return price.toString(m_pairDecimals); }
    QString formatQty(const Decimal &qty) const { return qty.toString(m_lotDecimals); }

private:
    QString m_symbol, m_restKey, m_altname, m_wsname, m_base, m_quote, m_baseCode, m_quoteCode;
    int m_pairDecimals = 0;
    int m_lotDecimals = 0;
    int m_costDecimals = 0;
    Decimal m_tickSize, m_orderMin, m_costMin;
    QString m_status;
    Venue m_venue = Venue::Spot;
};

} // namespace kraken
