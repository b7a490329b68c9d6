#pragma once

// The paper exchange's private Spot REST methods (account data and trading), in Kraken's
// request and answer shapes, over the MatchingEngine's state. Order-entry handlers charge the
// per-pair trading counter (in the engine) and honour the order faults. Handlers run on the
// exchange thread.

#include "restapi.h"
#include "simorder.h"

#include <QJsonObject>

namespace kraken::sim {

class MatchingEngine;

void registerPrivateRest(RestRouter &router, MatchingEngine &engine);

// Shared with the WebSocket server: Kraken's REST rendering of one order and one trade, and
// the parsing of a REST price ("37500", "+150", "-1.5%", "#2").
QJsonObject restOrderJson(const MatchingEngine &engine, const SimOrder &order, bool withTrades);
QJsonObject restTradeJson(const MatchingEngine &engine, const SimTrade &trade, bool withLedgers);
std::optional<PriceSpec> parseRestPrice(const QString &text);
// "buy 1.25000000 XBTUSD @ limit 37500.0"
QString orderDescription(const MatchingEngine &engine, const SimOrder &order);

} // namespace kraken::sim
