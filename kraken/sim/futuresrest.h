#pragma once

// FuturesRest: Kraken Futures REST v3 over the FuturesEngine, served by RestServer under
// /derivatives/api/v3/. Does what Kraken does before any endpoint runs: the APIKey must be a
// known Futures key, Authent must verify over the data as sent (query or body) + Nonce + the
// path without /derivatives, and a Nonce must exceed the key's last one. Answers in Kraken's
// Futures envelope ({"result":"success","serverTime":...} / {"result":"error","error":...})
// with numbers as exact JSON numbers. One-shot faults that make sense here (service errors,
// rate limits, lost order acks) are taken from Faults. The public charts API
// (/api/charts/v1/{tick_type}/{symbol}/{resolution}) is answered here too, from the contract's
// bars (trade), the index's Spot market (spot) and that shifted by the premium (mark).
// Lives on the exchange thread.

#include "restserver.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <map>

class QHttpServerRequest;

namespace kraken::sim {

class FuturesEngine;
class Faults;
class MarketSim;

class FuturesRest {
public:
    FuturesRest(FuturesEngine *engine, Faults *faults);

    FuturesHttpAnswer handle(const QHttpServerRequest &request);

    // The path prefixes served: /derivatives/api/v3 and /api/charts/v1
    static QString prefix();
    static QString chartsPrefix();

    // The paper Spot market an index follows ("BTC/USD"), for spot and mark candles.
    void setSpotLookup(std::function<MarketSim *(const QString &spotSymbol)> lookup);

private:
    struct Call; // one request, parsed
    FuturesHttpAnswer dispatch(Call &call);
    QString authenticate(const QHttpServerRequest &request, Call &call);
    FuturesHttpAnswer charts(const QHttpServerRequest &request);

    FuturesEngine *m_engine;
    Faults *m_faults;
    std::map<QString, quint64> m_lastNonce; // by API key
    std::function<MarketSim *(const QString &)> m_spot;
};

} // namespace kraken::sim
