#pragma once

// OrderRequest: the parameters of one Spot AddOrder (also the entries of AddOrderBatch),
// turned into Kraken's parameter names by toParams(). Price fields are Decimals; Kraken's
// relative forms ("+150", "-1.5%", "#") go in the *Expression fields instead. A value type.

#include "kraken/core/decimal.h"
#include "preparedrequest.h"

#include <QJsonObject>

#include <optional>

namespace kraken::spot {

enum class Side { Buy, Sell };

struct OrderRequest {
    QString pair; // any name Kraken accepts: XBTUSD, XXBTZUSD, BTC/USD
    Side side = Side::Buy;
    // market, limit, iceberg, stop-loss, take-profit, stop-loss-limit, take-profit-limit,
    // trailing-stop, trailing-stop-limit, settle-position
    QString orderType = QStringLiteral("limit");
    Decimal volume;
    std::optional<Decimal> displayVolume; // iceberg
    std::optional<Decimal> price;
    std::optional<Decimal> price2;
    QString priceExpression;  // overrides price: "+150", "-1.5%", "#..."
    QString price2Expression; // overrides price2
    QString trigger;          // "last" (Kraken's default) or "index"
    QString leverage;
    bool reduceOnly = false;
    QString stpType;
    QStringList oflags;  // post, fcib, fciq, nompp, viqc
    QString timeInForce; // GTC, IOC, GTD
    QString startTime, expireTime;
    std::optional<qint32> userref;
    QString clOrdId;
    QString closeOrderType;
    std::optional<Decimal> closePrice, closePrice2;
    QString deadline; // RFC 3339
    bool validateOnly = false;

    // Form parameters in a stable order (pair, type, ordertype, volume, ...).
    Params toParams() const;
    // One entry of AddOrderBatch's `orders` array (no pair, no validate).
    QJsonObject toBatchEntry() const;
    // Local sanity checks before anything is sent: empty pair, non-positive volume, a limit
    // order without a price, userref together with cl_ord_id. Empty when fine.
    QString validationError() const;
};

} // namespace kraken::spot
