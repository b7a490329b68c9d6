#pragma once

// The value types the Futures REST client hands back: tickers, books, trades, candles,
// accounts, positions, orders, fills and the order-entry statuses. Prices and sizes are exact
// Decimals from the JSON token text; times are UTC QDateTimes (Kraken sends ISO 8601 strings
// or epoch milliseconds). Plain values; any thread.

#include "kraken/core/decimal.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace kraken::futures {

struct FuturesTicker {
    QString symbol, tag, pair;
    std::optional<Decimal> last, lastSize, markPrice, bid, bidSize, ask, askSize, vol24h,
        volumeQuote, openInterest, open24h, high24h, low24h, indexPrice, fundingRate,
        fundingRatePrediction, change24h;
    QDateTime lastTime;
    bool suspended = false;
    bool postOnly = false;
};

struct FuturesBookLevel {
    Decimal price;
    Decimal size;
};

struct FuturesOrderBook {
    QString symbol;
    QDateTime serverTime;
    QList<FuturesBookLevel> bids; // best (highest) first
    QList<FuturesBookLevel> asks; // best (lowest) first
};

struct FuturesPublicTrade {
    QDateTime time;
    qint64 tradeId = 0;
    QString uid;
    Decimal price, size;
    QString side; // buy, sell
    QString type; // fill, liquidation, ...
};

struct FuturesCandle {
    qint64 timeMs = 0; // interval start, epoch ms
    Decimal open, high, low, close, volume;
};

struct FuturesCandlePage {
    QList<FuturesCandle> candles;
    bool moreCandles = false; // ask again from the last candle's time
};

struct FuturesFlexCurrency {
    QString currency; // "XBT", "USD", ...
    std::optional<Decimal> quantity, value, collateral, available;
};

// One entry of /accounts: "cash" (cashAccount), a coin margin account per inverse market
// ("fi_xbtusd": marginAccount) or "flex" (multiCollateralMarginAccount).
struct FuturesAccount {
    QString name; // the key: cash, fi_xbtusd, flex
    QString type; // cashAccount, marginAccount, multiCollateralMarginAccount
    QString currency;
    QMap<QString, Decimal> balances;           // cash and margin accounts
    QMap<QString, Decimal> auxiliary;          // af, pnl, pv, funding, usd
    QMap<QString, Decimal> marginRequirements; // im, mm, lt, tt
    QMap<QString, Decimal> triggerEstimates;   // im, mm, lt, tt
    QList<FuturesFlexCurrency> currencies;     // flex only
    // Every other top-level number (flex: balanceValue, portfolioValue, availableMargin,
    // initialMargin, maintenanceMargin, pnl, unrealizedFunding, ...).
    QMap<QString, Decimal> values;

    std::optional<Decimal> value(const QString &key) const {
        const auto it = values.constFind(key);
        return it == values.cend() ? std::nullopt : std::optional<Decimal>(*it);
    }
};

struct FuturesAccounts {
    QList<FuturesAccount> accounts;
    QDateTime serverTime;
    const FuturesAccount *find(const QString &name) const {
        for (const FuturesAccount &a : accounts) {
            if (a.name.compare(name, Qt::CaseInsensitive) == 0)
                return &a;
        }
        return nullptr;
    }
};

struct FuturesPosition {
    QString symbol;
    QString side; // long, short
    Decimal price, size;
    QDateTime fillTime;
    std::optional<Decimal> unrealizedFunding, maxFixedLeverage;
    QString pnlCurrency;
};

struct FuturesOpenOrder {
    QString orderId, cliOrdId, symbol, side, orderType, status, triggerSignal;
    std::optional<Decimal> limitPrice, stopPrice;
    Decimal unfilledSize, filledSize;
    QDateTime receivedTime, lastUpdateTime;
    bool reduceOnly = false;
};

struct FuturesFill {
    QString fillId, symbol, side, orderId, cliOrdId, fillType;
    Decimal size, price;
    QDateTime fillTime;
};

// One of the orderEvents that come with an order-entry status (PLACE, EXECUTION, CANCEL,
// EDIT, REJECT, ...), flattened to what a blotter needs.
struct FuturesOrderEvent {
    QString type;
    QString orderId, cliOrdId, symbol, side, orderType, reason;
    std::optional<Decimal> quantity, filled, limitPrice, stopPrice;
    std::optional<Decimal> executionPrice, executionAmount; // EXECUTION
    QString executionId;
};

// sendorder's sendStatus, editorder's editStatus, cancelorder's cancelStatus, and each
// batchorder entry.
struct FuturesOrderStatus {
    QString status; // placed, edited, cancelled, filled, or a rejection code
    QString orderId, cliOrdId;
    QString orderTag; // batch entries only
    QDateTime receivedTime;
    QList<FuturesOrderEvent> events;
};

struct FuturesCancelAllStatus {
    QString status;                                     // cancelled, noOrdersToCancel
    QList<std::pair<QString, QString>> cancelledOrders; // order_id, cliOrdId
    QDateTime receivedTime;
};

struct FuturesDeadManSwitch {
    QDateTime currentTime;
    QDateTime triggerTime; // invalid when disarmed
};

// One element of the history API's order events (/api/history/v2/orders).
struct FuturesOrderHistoryEvent {
    QString uid;
    qint64 timestampMs = 0;
    QString eventType; // OrderPlaced, OrderUpdated, OrderCancelled, OrderRejected, ...
    QString orderId, cliOrdId, symbol, direction, orderType, reason;
    std::optional<Decimal> quantity, filled, limitPrice, stopPrice;
};

struct FuturesOrderHistoryPage {
    QList<FuturesOrderHistoryEvent> events;
    QString continuationToken; // empty: no more
};

} // namespace kraken::futures
