#pragma once

// Futures REST answers (already accepted by the envelope check) -> value types. One function
// per endpoint; a missing required field gives a Parse error naming it. Order-entry statuses
// that are rejections (sendStatus.status "invalidSize", ...) arrive with result "success" and
// are turned into Kraken errors here. Pure functions; any thread.

#include "futuresinstrumentregistry.h"
#include "futuresresttypes.h"
#include "jsonnode.h"
#include "kraken/core/result.h"

namespace kraken::futures::parse {

Result<FuturesInstrumentRegistry> instruments(const JsonNode &root);
Result<QList<FuturesTicker>> tickers(const JsonNode &root);
Result<FuturesOrderBook> orderBook(const JsonNode &root);
Result<QList<FuturesPublicTrade>> history(const JsonNode &root);
Result<FuturesCandlePage> candles(const JsonNode &root);
Result<FuturesAccounts> accounts(const JsonNode &root);
Result<QList<FuturesPosition>> openPositions(const JsonNode &root);
Result<QList<FuturesOpenOrder>> openOrders(const JsonNode &root);
Result<QList<FuturesFill>> fills(const JsonNode &root);
Result<FuturesOrderStatus> sendOrder(const JsonNode &root);
Result<FuturesOrderStatus> editOrder(const JsonNode &root);
Result<FuturesOrderStatus> cancelOrder(const JsonNode &root);
Result<FuturesCancelAllStatus> cancelAllOrders(const JsonNode &root);
Result<FuturesDeadManSwitch> cancelAllOrdersAfter(const JsonNode &root);
// Per-instruction statuses, rejections included (see FuturesOrderStatus::status).
Result<QList<FuturesOrderStatus>> batchOrder(const JsonNode &root);
Result<FuturesOrderHistoryPage> orderHistory(const JsonNode &root);

// Epoch ms (number) or ISO 8601 (string) -> UTC time.
QDateTime timeOf(const JsonNode *node);

} // namespace kraken::futures::parse
