#pragma once

// FuturesRestClient: Kraken Futures REST (derivatives API v3, plus the charts and order
// history APIs), public and private, asynchronous. Every typed call returns a FuturesCall<T>
// (call.then(context, fn)); request() reaches any other v3 endpoint.
//
// Signing: APIKey, Nonce and Authent headers, Authent computed over the exact URL-encoded
// postData that goes on the wire (the query for GET, the form body for POST) and the path
// without "/derivatives". Nonces come from a NonceSource (strictly increasing across calls and
// restarts); private calls go out one at a time so Kraken sees them in nonce order, and are
// queued against a local model of the 500-per-10-s cost budget.
//
// Retries: public and read-only calls are retried with jittered backoff on network errors,
// timeouts, 5xx and "Unavailable"; nonceBelowThreshold/nonceDuplicate (a definite rejection)
// is retried once with a fresh nonce. Order entry (sendorder, editorder, cancelorder,
// cancelallorders, batchorder) is never retried blindly: a failure after the request may have
// reached Kraken is reported with Error::outcomeUnknown().
//
// Thread: lives on the thread that created it; call it from there.

#include "futurescall.h"
#include "futuresinstrumentregistry.h"
#include "futuresorderrequest.h"
#include "futuresresttypes.h"
#include "kraken/core/credentials.h"
#include "kraken/core/preparedrequest.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace kraken::futures {

struct FuturesRestConfig {
    // Any Kraken-Futures-compatible venue: production, the demo
    // (https://demo-futures.kraken.com/derivatives/api/v3) or the paper exchange.
    QUrl baseUrl = QUrl(QStringLiteral("https://futures.kraken.com/derivatives/api/v3"));
    QUrl chartsUrl = QUrl(QStringLiteral("https://futures.kraken.com/api/charts/v1"));
    QUrl historyUrl = QUrl(QStringLiteral("https://futures.kraken.com/api/history/v2"));
    int timeoutMs = 30'000; // per attempt
    int maxRetries = 2;     // extra attempts for idempotent calls
    int retryDelayMs = 500; // first backoff; doubles per attempt, jittered, capped at 30 s
    QString nonceStateFile; // empty: NonceSource::defaultStateFile(apiKey)
    bool persistNonce = true;
    QByteArray userAgent = QByteArrayLiteral("KrakenTerm/0.1");
};

// Which Futures API an endpoint belongs to (each has its own base URL).
enum class FuturesApi { Derivatives, Charts, History };

class FuturesRestClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool hasCredentials READ hasCredentials NOTIFY credentialsChanged)
public:
    explicit FuturesRestClient(FuturesRestConfig config = {}, QObject *parent = nullptr);
    ~FuturesRestClient() override;

    const FuturesRestConfig &config() const;
    void setCredentials(std::optional<Credentials> credentials);
    bool hasCredentials() const;
    // Lets sendOrder check tick size and size steps before sending.
    void setInstruments(FuturesInstrumentRegistry instruments);

    // What would go on the wire for one attempt, without sending. `endpoint` is relative to
    // the API's base ("sendorder", "/orderbook"). Signs when `authenticated` (with `nonce` if
    // given, else the next one).
    Result<PreparedRequest> prepare(const QByteArray &verb, const QString &endpoint,
                                    const Params &params, bool authenticated,
                                    std::optional<quint64> nonce = {},
                                    FuturesApi api = FuturesApi::Derivatives);

    // Any v3 endpoint; `authenticated` for private ones.
    FuturesReply *request(const QByteArray &verb, const QString &endpoint, const Params &params,
                          bool authenticated);

    // Public market data.
    FuturesCall<FuturesInstrumentRegistry> instruments();
    FuturesCall<QList<FuturesTicker>> tickers();
    FuturesCall<FuturesOrderBook> orderBook(const QString &symbol);
    FuturesCall<QList<FuturesPublicTrade>> history(const QString &symbol,
                                                   const QDateTime &lastTime = {});
    // tickType trade, mark or spot; resolution 1m 5m 15m 30m 1h 4h 12h 1d 1w; from/to epoch s.
    FuturesCall<FuturesCandlePage> candles(const QString &tickType, const QString &symbol,
                                           const QString &resolution,
                                           std::optional<qint64> fromSeconds = {},
                                           std::optional<qint64> toSeconds = {});

    // Account data.
    FuturesCall<FuturesAccounts> accounts();
    FuturesCall<QList<FuturesPosition>> openPositions();
    FuturesCall<QList<FuturesOpenOrder>> openOrders();
    // The last 100 fills, before lastFillTime if given. Kraken has no other time filter:
    // `since` drops older fills client-side.
    FuturesCall<QList<FuturesFill>> fills(const QDateTime &lastFillTime = {},
                                          const QDateTime &since = {});
    // History API order events (needs its own key permission); continuationToken pages on.
    FuturesCall<FuturesOrderHistoryPage> orderHistory(std::optional<qint64> sinceMs = {},
                                                      std::optional<qint64> beforeMs = {},
                                                      const QString &continuationToken = {},
                                                      int count = 0);

    // Order entry: never retried blindly.
    FuturesCall<FuturesOrderStatus> sendOrder(const FuturesOrderRequest &order);
    FuturesCall<FuturesOrderStatus> editOrder(const FuturesEditRequest &edit);
    FuturesCall<FuturesOrderStatus> cancelOrder(const QString &orderId,
                                                const QString &cliOrdId = {});
    FuturesCall<FuturesCancelAllStatus> cancelAllOrders(const QString &symbol = {});
    // Dead man's switch: cancel everything unless called again within timeoutSeconds; 0 disarms.
    FuturesCall<FuturesDeadManSwitch> cancelAllOrdersAfter(int timeoutSeconds);
    FuturesCall<QList<FuturesOrderStatus>>
    batchOrder(const QList<FuturesBatchInstruction> &instructions);

Q_SIGNALS:
    void credentialsChanged();
    // A call waits in the local queue so that Kraken's cost budget is not exceeded.
    void throttled(const QString &endpoint, qint64 delayMs);
    // Every failed call, once, after retries: for a status bar.
    void callFailed(const QString &endpoint, const kraken::Error &error);

private:
    struct Job;
    std::shared_ptr<Job> makeJob(const QByteArray &verb, const QString &endpoint,
                                 const Params &params, bool authenticated,
                                 FuturesApi api = FuturesApi::Derivatives);
    FuturesReply *start(const std::shared_ptr<Job> &job);
    FuturesReply *rejectLocally(const QString &endpoint, Error error);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kraken::futures
