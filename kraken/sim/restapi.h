#pragma once

// The contract between the paper exchange's REST server (routing, authentication, nonces,
// rate limits, faults, Kraken's envelope) and the handlers that implement each method.
// Handlers run on the exchange thread and return at once.

#include "kraken/core/decimal.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace kraken::sim {

struct RestRequest {
    QString method;     // "AddOrder", "Ticker"
    QJsonObject params; // query (public) or body (private), form or JSON. Form values stay
                        // strings; bracketed form keys ("orders[0][type]") become nested
                        // arrays/objects. `nonce` and `otp` are removed.
    QString accountId;  // the authenticated SimAccount::id; empty for public calls
    QString apiKey;     // the key used, empty for public calls
};

struct RestResponse {
    QJsonValue result;       // serialised as "result" unless errors is non-empty
    QStringList errors;      // Kraken's "EClass:Text" strings
    bool loseAnswer = false; // carried out, but the connection is closed instead of answering

    static RestResponse ok(QJsonValue result) { return {std::move(result), {}, false}; }
    static RestResponse error(QString krakenError) {
        return {QJsonValue(), {std::move(krakenError)}, false};
    }
};

using RestHandler = std::function<RestResponse(const RestRequest &)>;

// Where handlers register. Implemented by RestServer.
class RestRouter {
public:
    virtual ~RestRouter() = default;
    virtual void addPublic(const QString &method, RestHandler handler) = 0;
    // Private methods are authenticated, nonce-checked and charged to the key's REST counter
    // (order methods are not: their handlers charge the trading counter themselves).
    virtual void addPrivate(const QString &method, RestHandler handler) = 0;
};

// Parameter helpers: Kraken takes numbers as strings; JSON bodies may carry JSON numbers,
// which are read back through their shortest round-trip text.
std::optional<Decimal> decimalParam(const QJsonObject &params, const QString &name);
std::optional<qint64> intParam(const QJsonObject &params, const QString &name);
// "true"/"false"/"1"/"0" or a JSON bool.
std::optional<bool> boolParam(const QJsonObject &params, const QString &name);
QString stringParam(const QJsonObject &params, const QString &name);
// A comma-separated string or a JSON array, as Kraken accepts lists (txid, pair, asset).
QStringList listParam(const QJsonObject &params, const QString &name);

} // namespace kraken::sim
