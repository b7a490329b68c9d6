#pragma once

// RestClient: Kraken Spot REST, public and private, asynchronous. Every typed call returns a
// Call<T> (continuation style: call.then(context, fn)); request()/requestJson() reach any
// other endpoint. The client signs with Kraken's API-Sign, draws nonces from a NonceSource
// that survives restarts, and queues calls against local models of Kraken's REST counter
// and per-pair trading counters rather than exceeding them.
//
// Retries: public and read-only private calls are retried with jittered exponential backoff
// on network errors, timeouts, 5xx and EService:Unavailable/Busy. Order entry (AddOrder,
// AmendOrder, EditOrder, Cancel*) is never retried blindly: a failure after the request may
// have reached Kraken is reported with Error::outcomeUnknown(). A definite rejection
// (EAPI:Invalid nonce) is retried once with a fresh nonce, for any call. Private calls are
// sent one at a time so that Kraken receives their nonces in increasing order.
//
// Thread: lives on the thread that created it (its QNetworkAccessManager's thread); call it
// from there.

#include "call.h"
#include "kraken/core/credentials.h"
#include "kraken/core/instrumentregistry.h"
#include "kraken/core/ratelimits.h"
#include "orderrequest.h"
#include "preparedrequest.h"
#include "resttypes.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace kraken::spot {

struct RestClientConfig {
    QUrl baseUrl = QUrl(QStringLiteral("https://api.kraken.com"));
    int timeoutMs = 30'000; // per attempt
    int maxRetries = 2;     // extra attempts for idempotent calls
    int retryDelayMs = 500; // first backoff; doubles per attempt, jittered, capped at 30 s
    VerificationTier tier = VerificationTier::Starter;
    bool limitPublicCalls = true; // public endpoints: about one call a second sustained
    // Where nonces persist across restarts. Empty: NonceSource::defaultStateFile(apiKey).
    QString nonceStateFile;
    bool persistNonce = true;
    int maxPages = 500; // safety bound for "all pages"
    QByteArray userAgent = QByteArrayLiteral("KrakenTerm/0.1");
};

enum class Pages { First, All };

struct AmendRequest {
    QString txid;    // either txid
    QString clOrdId; // or cl_ord_id
    std::optional<Decimal> orderQty, displayQty, limitPrice, triggerPrice;
    bool postOnly = false;
    QString deadline;
};

struct EditRequest {
    QString txid, pair;
    std::optional<Decimal> volume, displayVolume, price, price2;
    QStringList oflags;
    QString deadline;
    bool cancelResponse = false;
    bool validateOnly = false;
    std::optional<qint32> userref;
};

class RestClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(double restCounter READ restCounter NOTIFY rateCounterChanged)
    Q_PROPERTY(int restCounterMax READ restCounterMax CONSTANT)
    Q_PROPERTY(bool hasCredentials READ hasCredentials NOTIFY credentialsChanged)
public:
    explicit RestClient(RestClientConfig config = {}, QObject *parent = nullptr);
    ~RestClient() override;

    const RestClientConfig &config() const;
    void setCredentials(std::optional<Credentials> credentials);
    bool hasCredentials() const;
    // Lets the trading counters key pairs canonically (XBTUSD and BTC/USD share one counter).
    void setInstruments(InstrumentRegistry instruments);

    double restCounter() const;
    int restCounterMax() const;
    double tradingCounter(const QString &pair) const;

    // What would go on the wire for one attempt, without sending: signs private calls with
    // `nonce` if given, else with the next nonce. `path` is "/0/public/Time", "public/Time"
    // or "/0/private/Balance". For a JSON body pass the object's text in jsonBody; the nonce
    // is inserted as its first member.
    Result<PreparedRequest> prepare(const QByteArray &verb, const QString &path,
                                    const Params &params, std::optional<quint64> nonce = {},
                                    const QByteArray &jsonBody = {});

    // Any endpoint. verb "GET" or "POST" (empty: GET for public, POST for private).
    RestReply *request(const QByteArray &verb, const QString &path, const Params &params = {});
    RestReply *requestJson(const QString &path, const QByteArray &jsonObjectText);

    // Public market data.
    Call<ServerTime> serverTime();
    Call<SystemStatus> systemStatus();
    Call<QList<AssetInfo>> assets(const QStringList &assets = {});
    Call<InstrumentRegistry> assetPairs(const QStringList &pairs = {});
    Call<QList<TickerInfo>> ticker(const QStringList &pairs = {});
    Call<OhlcPage> ohlc(const QString &pair, int intervalMinutes = 1,
                        std::optional<qint64> since = {});
    Call<DepthSnapshot> depth(const QString &pair, int count = 100);
    Call<TradesPage> trades(const QString &pair, const QString &since = {}, int count = 0);
    Call<SpreadPage> spread(const QString &pair, std::optional<qint64> since = {});

    // Account data (REST counter).
    Call<Balances> balance();
    Call<ExtendedBalances> balanceEx();
    Call<TradeBalance> tradeBalance(const QString &asset = {});
    Call<OrdersPage> openOrders(const Params &filters = {});
    Call<OrdersPage> closedOrders(const Params &filters = {}, Pages pages = Pages::First);
    Call<QList<OrderInfo>> queryOrders(const QStringList &txids, const Params &filters = {});
    Call<TradesHistoryPage> tradesHistory(const Params &filters = {}, Pages pages = Pages::First);
    Call<QList<PositionInfo>> openPositions(const QStringList &txids = {}, bool doCalcs = true);
    Call<LedgerPage> ledgers(const Params &filters = {}, Pages pages = Pages::First);
    Call<WebSocketToken> webSocketsToken();

    // Order entry (trading counter; never retried blindly).
    Call<AddOrderResult> addOrder(const OrderRequest &order);
    Call<QList<BatchOrderEntry>> addOrderBatch(const QString &pair,
                                               const QList<OrderRequest> &orders,
                                               bool validateOnly = false,
                                               const QString &deadline = {});
    Call<AmendResult> amendOrder(const AmendRequest &amend);
    Call<EditOrderResult> editOrder(const EditRequest &edit);
    // txid, userref or cl_ord_id.
    Call<CancelResult> cancelOrder(const QString &orderId);
    Call<CancelResult> cancelAllOrders();
    // Dead man's switch: cancel everything unless called again within timeoutSeconds; 0 disarms.
    Call<DeadManSwitchStatus> cancelAllOrdersAfter(int timeoutSeconds);
    Call<CancelResult> cancelOrderBatch(const QStringList &orderIds,
                                        const QStringList &clOrdIds = {});

Q_SIGNALS:
    void rateCounterChanged(double value, int max);
    void tradingCounterChanged(const QString &pair, double value, int max);
    // A call waits in the local queue for `delayMs` so that Kraken's counter is not exceeded.
    void throttled(const QString &method, qint64 delayMs);
    void credentialsChanged();
    // Every failed call, once, after retries: for a status bar.
    void callFailed(const QString &method, const kraken::Error &error);

private:
    struct Job;
    RestReply *start(const std::shared_ptr<Job> &job);
    // A reply that fails at once, without touching the network (local validation).
    RestReply *rejectLocally(const QString &method, Error error);
    std::shared_ptr<Job> makeJob(const QByteArray &verb, const QString &path, const Params &params,
                                 const QByteArray &jsonBody = {});
    QString canonicalPair(const QString &pair) const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kraken::spot
