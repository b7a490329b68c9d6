#pragma once

// The typed messages of Kraken Futures WebSocket v1 (wss://futures.kraken.com/ws/v1), as
// FuturesWsParser produces them and FuturesWsClient emits them. Prices, sizes, balances and
// rates are exact Decimals taken from the JSON token text; times are epoch milliseconds, as
// Futures sends them. Fields Kraken may omit are optional (or empty / 0, said per field).
// Value types; any thread.

#include "kraken/book/orderbook.h"
#include "kraken/core/decimal.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace kraken::futures::ws {

// {"event": "info" | "subscribed" | "unsubscribed" | "subscribed_failed" | "error" | "alert" ...}
struct ControlEvent {
    QString event;
    QString feed; // empty for info, challenge, error
    QStringList productIds;
    QString message; // error / alert text, or the challenge uuid
    int version = 0; // info
};

struct TickerEvent {
    QString productId;
    qint64 timeMs = 0;
    bool lite = false; // from ticker_lite: only bid, ask, change, premium, volume, ...
    std::optional<Decimal> bid, ask, bidSize, askSize, last, volume, volumeQuote, indexPrice,
        markPrice, premium, change, open, high, low, fundingRate, fundingRatePrediction,
        relativeFundingRate, relativeFundingRatePrediction, openInterest;
    qint64 nextFundingRateTimeMs = 0; // 0: not sent (fixed maturities)
    qint64 maturityTimeMs = 0;        // 0 for perpetuals
    qint64 dtm = 0;                   // days to maturity
    QString tag;                      // perpetual, month, quarter
    QString pair;                     // "XBT:USD"
    QString leverage;                 // "50x"
    bool suspended = false;
    bool postOnly = false;
};

struct TradeEvent {
    QString productId;
    QString uid;
    bool buy = false; // side "buy" / "sell" (the taker's side)
    QString type;     // fill, liquidation, termination, block
    qint64 seq = 0;
    qint64 timeMs = 0;
    Decimal qty;
    Decimal price;
    bool fromSnapshot = false; // part of a trade_snapshot
};

struct BookSnapshotEvent {
    QString productId;
    qint64 timestampMs = 0;
    qint64 seq = 0;
    std::optional<Decimal> tickSize; // Kraken sends null for most products
    std::vector<book::LevelUpdate> bids;
    std::vector<book::LevelUpdate> asks;
    // The most decimals any price / qty of the snapshot was written with.
    int priceDecimals = 0;
    int qtyDecimals = 0;
};

struct BookDeltaEvent {
    QString productId;
    bool buy = false; // side "buy": a bid level; "sell": an ask level
    qint64 seq = 0;
    Decimal price;
    Decimal qty; // 0 removes the level
    qint64 timestampMs = 0;
};

struct OpenOrder {
    QString instrument;
    qint64 timeMs = 0;
    qint64 lastUpdateTimeMs = 0;
    Decimal qty;
    Decimal filled;
    std::optional<Decimal> limitPrice;
    std::optional<Decimal> stopPrice;
    QString type; // limit, stop, take_profit, ...
    QString orderId;
    QString cliOrdId; // empty when the order has none
    bool buy = true;  // direction 0 = buy, 1 = sell
    bool reduceOnly = false;
    QString triggerSignal; // mark, index, last; empty for non-trigger orders
};

// open_orders_snapshot (snapshot, every open order) or open_orders (one change). A cancel
// names only the order id, with isCancel set.
struct OpenOrdersEvent {
    bool snapshot = false;
    QList<OpenOrder> orders; // snapshot: all; update: the changed order (none for a cancel)
    bool isCancel = false;
    QString orderId; // the order the update is about
    QString reason;  // new_placed_order_by_user, cancelled_by_user, full_fill, ...
};

struct FillEvent {
    QString instrument;
    qint64 timeMs = 0;
    Decimal price;
    qint64 seq = 0;
    bool buy = false;
    Decimal qty;
    std::optional<Decimal> remainingOrderQty;
    QString orderId;
    QString cliOrdId;
    QString fillId;
    QString fillType; // maker, taker, liquidation, ...
    std::optional<Decimal> feePaid;
    QString feeCurrency;
    QString takerOrderType;
    QString orderType;
};

struct FillsEvent {
    bool snapshot = false;
    QList<FillEvent> fills;
};

struct Position {
    QString instrument;
    Decimal balance; // signed size: negative is short
    std::optional<Decimal> pnl, entryPrice, markPrice, indexPrice, liquidationThreshold,
        effectiveLeverage, returnOnEquity, initialMargin, initialMarginWithOrders,
        maintenanceMargin;
    QString pnlCurrency;
};

// open_positions: the full set of open positions each time.
struct PositionsEvent {
    QString account;
    QList<Position> positions;
    qint64 seq = 0;
    qint64 timestampMs = 0;
};

// A margin account of the (single-collateral) futures wallets.
struct MarginAccount {
    QString name; // "F-XBT:USD"
    QString pair;
    QString unit;
    std::optional<Decimal> portfolioValue, balance, maintenanceMargin, initialMargin, available,
        unrealizedFunding, pnl;
};

struct FlexCurrency {
    std::optional<Decimal> quantity, value, collateralValue, available, haircut, conversionSpread;
};

struct FlexFutures {
    QMap<QString, FlexCurrency> currencies;
    std::optional<Decimal> balanceValue, portfolioValue, collateralValue, initialMargin,
        initialMarginWithoutOrders, maintenanceMargin, pnl, unrealizedFunding, totalUnrealized,
        totalUnrealizedAsMargin, marginEquity, availableMargin;
};

struct BalancesEvent {
    bool snapshot = false;
    QMap<QString, Decimal> holding; // cash wallet per currency
    QMap<QString, MarginAccount> futures;
    std::optional<FlexFutures> flexFutures;
    qint64 seq = 0;
    qint64 timestampMs = 0;
};

struct Notification {
    qint64 id = 0;
    QString type;     // market, general, new_feature, bug_fix, maintenance, settlement
    QString priority; // low, medium, high
    QString note;
    qint64 effectiveTimeMs = 0;
};

struct NotificationsEvent {
    QList<Notification> notifications;
};

} // namespace kraken::futures::ws

Q_DECLARE_METATYPE(kraken::futures::ws::TickerEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::TradeEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::OpenOrdersEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::FillsEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::PositionsEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::BalancesEvent)
Q_DECLARE_METATYPE(kraken::futures::ws::NotificationsEvent)
