#pragma once

// Parsers from Kraken's REST `result` JSON to the typed records of resttypes.h. Unknown
// fields are ignored; a missing or malformed field that the record needs gives a Parse error
// naming it. Pure functions, any thread.

#include "kraken/core/instrumentregistry.h"
#include "kraken/core/result.h"
#include "resttypes.h"

#include <QJsonValue>

namespace kraken::spot::parse {

Result<ServerTime> serverTime(const QJsonValue &result);
Result<SystemStatus> systemStatus(const QJsonValue &result);
Result<QList<AssetInfo>> assets(const QJsonValue &result);
Result<InstrumentRegistry> assetPairs(const QJsonValue &result);
Result<QList<TickerInfo>> ticker(const QJsonValue &result);
Result<OhlcPage> ohlc(const QJsonValue &result);
Result<DepthSnapshot> depth(const QJsonValue &result);
Result<TradesPage> trades(const QJsonValue &result);
Result<SpreadPage> spread(const QJsonValue &result);
Result<Balances> balance(const QJsonValue &result);
Result<ExtendedBalances> balanceEx(const QJsonValue &result);
Result<TradeBalance> tradeBalance(const QJsonValue &result);
Result<OrdersPage> openOrders(const QJsonValue &result);
Result<OrdersPage> closedOrders(const QJsonValue &result);
Result<QList<OrderInfo>> queryOrders(const QJsonValue &result);
Result<TradesHistoryPage> tradesHistory(const QJsonValue &result);
Result<QList<PositionInfo>> openPositions(const QJsonValue &result);
Result<LedgerPage> ledgers(const QJsonValue &result);
Result<WebSocketToken> webSocketsToken(const QJsonValue &result);
Result<AddOrderResult> addOrder(const QJsonValue &result);
Result<QList<BatchOrderEntry>> addOrderBatch(const QJsonValue &result);
Result<AmendResult> amendOrder(const QJsonValue &result);
Result<EditOrderResult> editOrder(const QJsonValue &result);
Result<CancelResult> cancel(const QJsonValue &result);
Result<DeadManSwitchStatus> cancelAllOrdersAfter(const QJsonValue &result);

} // namespace kraken::spot::parse
