#pragma once

// FuturesRest: Kraken Futures REST v3 over the FuturesEngine, served by RestServer under
// /derivatives/api/v3/. Does what Kraken does before any endpoint runs: the APIKey must be a
// known Futures key, Authent must verify over the data as sent (query or body) + Nonce + the
// path without /derivatives, and a Nonce must exceed the key's last one. Answers in Kraken's
// Futures envelope ({"result":"success","serverTime":...} / {"result":"error","error":...})
// with numbers as exact JSON numbers. One-shot faults that make sense here (service errors,
// rate limits, lost order acks) are taken from Faults. Lives on the exchange thread.

#include "restserver.h"

#include <QByteArray>
#include <QString>

#include <map>

class QHttpServerRequest;

namespace kraken::sim {

class FuturesEngine;
class Faults;

class FuturesRest {
public:
    FuturesRest(FuturesEngine *engine, Faults *faults);

    FuturesHttpAnswer handle(const QHttpServerRequest &request);

    // The path prefix served: /derivatives/api/v3
    static QString prefix();

private:
    struct Call; // one request, parsed
    FuturesHttpAnswer dispatch(Call &call);
    QString authenticate(const QHttpServerRequest &request, Call &call);

    FuturesEngine *m_engine;
    Faults *m_faults;
    std::map<QString, quint64> m_lastNonce; // by API key
};

} // namespace kraken::sim
