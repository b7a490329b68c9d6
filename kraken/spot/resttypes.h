#pragma once

// Typed results of the Spot REST calls the terminal uses. Prices, quantities and times in
// epoch seconds with fractions are Decimals taken from Kraken's strings, never doubles. Each
// record keeps `raw`, the object Kraken sent, for fields not modelled here. Value types.

#include "kraken/core/decimal.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace kraken::spot {

struct ServerTime {
    qint64 unixTime = 0;
    QString rfc1123;
};

struct SystemStatus {
    QString status; // online, maintenance, cancel_only, post_only
    QString timestamp;
};

struct AssetInfo {
    QString code;    // "XXBT"
    QString altname; // "XBT"
    QString aclass;
    int decimals = 0;
    int displayDecimals = 0;
    QString status;
};

struct TickerInfo {
    QString pair; // Kraken's key, e.g. "XXBTZUSD"
    Decimal ask, askWholeLotVolume, askLotVolume;
    Decimal bid, bidWholeLotVolume, bidLotVolume;
    Decimal last, lastVolume;
    Decimal volumeToday, volume24h, vwapToday, vwap24h;
    qint64 tradesToday = 0, trades24h = 0;
    Decimal lowToday, low24h, highToday, high24h;
    Decimal open;
};

struct OhlcBar {
    qint64 time = 0; // interval start, epoch seconds
    Decimal open, high, low, close, vwap, volume;
    qint64 count = 0;
};

struct OhlcPage {
    QString pair;
    QList<OhlcBar> bars; // oldest first; the last one is still forming
    qint64 last = 0;     // pass as `since` for the next poll
};

struct BookLevel {
    Decimal price, volume;
    qint64 timestamp = 0;
};

struct DepthSnapshot {
    QString pair;
    QList<BookLevel> asks; // ascending
    QList<BookLevel> bids; // descending
};

struct PublicTrade {
    Decimal price, volume;
    Decimal time;    // epoch seconds with fraction
    QChar side;      // 'b' or 's'
    QChar orderType; // 'm' or 'l'
    QString misc;
    qint64 tradeId = 0;
};

struct TradesPage {
    QString pair;
    QList<PublicTrade> trades;
    QString last; // opaque nanosecond cursor
};

struct SpreadEntry {
    qint64 time = 0;
    Decimal bid, ask;
};

struct SpreadPage {
    QString pair;
    QList<SpreadEntry> entries;
    qint64 last = 0;
};

using Balances = QMap<QString, Decimal>; // Kraken asset code -> balance

struct ExtendedBalance {
    Decimal balance, holdTrade, credit, creditUsed;
    // balance + credit - credit_used - hold_trade, as Kraken documents it.
    Decimal available() const;
};
using ExtendedBalances = QMap<QString, ExtendedBalance>;

struct TradeBalance {
    Decimal equivalentBalance, tradeBalance, margin, unrealizedNet, costBasis, valuation, equity,
        freeMargin;
    std::optional<Decimal> marginLevel, unexecutedValue;
};

struct OrderDescription {
    QString pair, type, orderType, price, price2, leverage, order, close;
};

struct OrderInfo {
    QString txid, refid, clOrdId, status, reason, misc, oflags;
    qint64 userref = 0;
    Decimal openTime, startTime, expireTime, closeTime;
    OrderDescription descr;
    Decimal volume, volumeExecuted, cost, fee, averagePrice, stopPrice, limitPrice;
    QStringList trades;
    QJsonObject raw;
};

struct OrdersPage {
    QList<OrderInfo> orders;
    qint64 count = 0; // total across pages as Kraken counts them
};

struct TradeInfo {
    QString txid, orderTxid, posTxid, pair, type, orderType, misc;
    Decimal time, price, cost, fee, volume, margin;
    qint64 tradeId = 0;
    bool maker = false;
    QJsonObject raw;
};

struct TradesHistoryPage {
    QList<TradeInfo> trades;
    qint64 count = 0;
};

struct LedgerEntry {
    QString id, refid, type, subtype, aclass, asset;
    Decimal time, amount, fee, balance;
    QJsonObject raw;
};

struct LedgerPage {
    QList<LedgerEntry> entries;
    qint64 count = 0;
};

struct PositionInfo {
    QString positionId, orderTxid, pair, type, orderType, misc, oflags;
    Decimal time, cost, fee, volume, volumeClosed, margin;
    std::optional<Decimal> value, net;
    QJsonObject raw;
};

struct AddOrderResult {
    QString descrOrder, descrClose;
    QStringList txids; // empty for validate-only
};

struct BatchOrderEntry {
    QString txid; // empty when this entry failed
    QString descrOrder;
    QString error;
};

struct AmendResult {
    QString amendId;
};

struct EditOrderResult {
    QString txid, originalTxid, status, descrOrder;
    qint64 ordersCancelled = 0;
};

struct CancelResult {
    qint64 count = 0;
    bool pending = false;
};

struct DeadManSwitchStatus {
    QString currentTime, triggerTime;
};

struct WebSocketToken {
    QString token;
    qint64 expiresSeconds = 0;
};

} // namespace kraken::spot
