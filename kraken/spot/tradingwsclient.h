#pragma once

// TradingWsClient: Kraken Spot's authenticated WebSocket v2 (wss://ws-auth.kraken.com/v2).
// Fetches a fresh token from REST GetWebSocketsToken for every (re)connect, subscribes to
// `executions` (with order and trade snapshots) and `balances`, and carries the trading
// methods (add_order, amend_order, edit_order, cancel_order, cancel_all,
// cancel_all_orders_after, batch_add, batch_cancel).
//
// Every request is matched to its answer by req_id and finishes exactly once through its
// callback:
//   - success: the method response;
//   - a definite failure (not connected, so nothing was sent; or Kraken's `success:false`):
//     an Error without outcomeUnknown;
//   - the socket dropped or no answer arrived within requestTimeoutMs after the frame was
//     sent: an Error with outcomeUnknown() set. The order may exist; the caller reconciles
//     (never re-sends).
//
// States: Disconnected -> Authenticating (token) -> Connecting -> Subscribing -> Live, then
// Reconnecting (capped exponential backoff with jitter) on a drop, silence or token failure,
// Closed after close(). gap() after every reconnect: private messages may have been missed and
// the consumer should reconcile over REST. A `sequence` that skips also raises gap().
//
// Thread: lives on one thread (with its RestClient); signals carry values.

#include "executions.h"
#include "kraken/core/error.h"
#include "kraken/core/result.h"
#include "orderrequest.h"
#include "restclient.h"
#include "wsmessages.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace kraken::spot {

struct TradingWsClientConfig {
    QUrl url = QUrl(QStringLiteral("wss://ws-auth.kraken.com/v2"));
    int connectTimeoutMs = 15'000;
    int silenceTimeoutMs = 15'000; // ping after this long without a frame
    int pongTimeoutMs = 5'000;
    int requestTimeoutMs = 10'000; // a trading request without an answer: outcome unknown
    int reconnectInitialMs = 500;
    int reconnectMaxMs = 30'000;
    quint32 jitterSeed = 0; // 0: seeded from the system
    bool snapTrades = true; // executions snapshot of the last 50 fills
};

class TradingWsClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Disconnected,
        Authenticating,
        Connecting,
        Subscribing,
        Live,
        Reconnecting,
        Closed
    };
    Q_ENUM(State)

    using Done = std::function<void(Result<ws::MethodResponse>)>;

    // `rest` supplies tokens and must outlive this client; it must hold credentials.
    TradingWsClient(RestClient *rest, TradingWsClientConfig config = {}, QObject *parent = nullptr);
    ~TradingWsClient() override;

    void open();
    void close(); // for good: no reconnect until open() again; pending requests finish unknown
    // Destroying the client also finishes pending requests (outcome unknown), exactly once.

    State state() const;
    static QString stateName(State state);
    bool isLive() const { return state() == State::Live; }

    // Trading methods. The request's fields map to WS names (order_qty, limit_price,
    // triggers{reference, price}, time_in_force lower-case, post_only, reduce_only,
    // cash_order_qty for viqc, display_qty, cl_ord_id, order_userref, validate, deadline).
    // Returns the req_id used (0 when refused before sending).
    qint64 addOrder(const OrderRequest &order, Done done);
    qint64 amendOrder(const AmendRequest &amend, Done done);
    // edit_order needs order_id and symbol: `edit.txid`, `edit.pair`.
    qint64 editOrder(const EditRequest &edit, Done done);
    // cancel_order by Kraken order ids and/or cl_ord_ids. Kraken answers once per identifier;
    // the callback runs once, after the last answer: resultArray holds every result, and any
    // refusal makes it a Kraken error (detail: how many were handled).
    qint64 cancelOrders(const QStringList &orderIds, const QStringList &clOrdIds, Done done);
    qint64 cancelAll(Done done);
    // Dead man's switch; 0 disarms. result has currentTime / triggerTime.
    qint64 cancelAllOrdersAfter(int timeoutSeconds, Done done);
    qint64 batchAdd(const QString &symbol, const QList<OrderRequest> &orders, bool validateOnly,
                    Done done);
    qint64 batchCancel(const QStringList &orderIds, const QStringList &clOrdIds, Done done);

Q_SIGNALS:
    void stateChanged(kraken::spot::TradingWsClient::State state, const QString &reason);
    void reconnectScheduled(qint64 delayMs, int attempt);
    // After a reconnect or a sequence gap: reconcile over REST.
    void gap(const QString &reason);
    void executions(const kraken::spot::ws::ExecutionsMessage &message);
    void balances(const kraken::spot::ws::BalancesMessage &message);
    // Token, subscription or frame problems; the client keeps going (or reconnects).
    void errorOccurred(const kraken::Error &error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// The WS v2 add_order params for `order` (without token), as Kraken spells them. Exposed for
// tests and for the paper exchange's interop checks. Decimal fields (order_qty, limit_price,
// display_qty, cash_order_qty, triggers.price, conditional prices) hold their exact text as
// JSON strings here; the client writes them onto the wire as JSON numbers, never via double.
// REST price expressions map to an offset with a type: "+150" -> 150 quote, "-1.5%" -> -1.5
// pct (trailing stops: always an unsigned offset). An unusable expression is left out here
// and refused by addOrder() with InvalidInput.
QJsonObject toWsAddOrderParams(const OrderRequest &order);

// Parsers for the private channels' frames, numbers taken from their token text (simdjson),
// never through double; a malformed frame gives a Parse error naming the field.
Result<ws::ExecutionsMessage> parseExecutions(QByteArrayView frame);
Result<ws::BalancesMessage> parseBalances(QByteArrayView frame);

} // namespace kraken::spot
