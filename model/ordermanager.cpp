#include "ordermanager.h"

#include "kraken/core/assetcodes.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/tradingwsclient.h"

#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::Error;
using kraken::Result;
namespace spot = kraken::spot;

Q_LOGGING_CATEGORY(lcOrders, "kraken.orders")

namespace model {

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

QString newClOrdId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isLimitType(const QString &type) {
    return type == u"limit"_s || type == u"iceberg"_s || type == u"stop-loss-limit"_s ||
           type == u"take-profit-limit"_s || type == u"trailing-stop-limit"_s;
}
bool hasTrigger(const QString &type) {
    return type.startsWith(u"stop-loss"_s) || type.startsWith(u"take-profit"_s) ||
           type.startsWith(u"trailing-stop"_s);
}

// Kraken's ws order_status / exec_type -> our state.
std::optional<OrderState> stateFromWs(const QString &status) {
    if (status == u"pending_new"_s)
        return OrderState::PendingNew;
    if (status == u"new"_s)
        return OrderState::Open;
    if (status == u"partially_filled"_s)
        return OrderState::PartiallyFilled;
    if (status == u"filled"_s)
        return OrderState::Filled;
    if (status == u"canceled"_s)
        return OrderState::Cancelled;
    if (status == u"expired"_s)
        return OrderState::Expired;
    return std::nullopt;
}

// REST status: pending, open, closed, canceled, expired.
std::optional<OrderState> stateFromRest(const spot::OrderInfo &info) {
    const QString &s = info.status;
    if (s == u"pending"_s)
        return OrderState::PendingNew;
    if (s == u"open"_s)
        return info.volumeExecuted.isZero() ? OrderState::Open : OrderState::PartiallyFilled;
    if (s == u"closed"_s)
        return OrderState::Filled;
    if (s == u"canceled"_s)
        return OrderState::Cancelled;
    if (s == u"expired"_s)
        return OrderState::Expired;
    return std::nullopt;
}

qint64 secondsToMs(const Decimal &seconds) {
    const auto ms = seconds.times(Decimal::fromInt(1000), 0, kraken::Rounding::Down);
    return ms ? ms->mantissa() : 0;
}

qint64 rfc3339ToMs(const QString &text) {
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

Decimal add(const Decimal &a, const Decimal &b) {
    return a.plus(b).value_or(a);
}

// The WebSocket client may finish a request after the manager is gone (it fails every pending
// request on destruction): such an answer has nobody to tell.
template<class F> auto guarded(QObject *owner, F fn) {
    return [owner = QPointer<QObject>(owner), fn = std::move(fn)](auto &&...args) mutable {
        if (owner)
            fn(std::forward<decltype(args)>(args)...);
    };
}

} // namespace

struct OrderManager::Private {
    spot::RestClient *rest = nullptr;
    QPointer<spot::TradingWsClient> ws;
    Journal *journal = nullptr;
    OrderManagerConfig config;
    kraken::InstrumentRegistry instruments;

    QHash<QString, OrderRecord> orders; // clOrdId -> record
    QStringList order;                  // clOrdIds, oldest first
    QHash<QString, QString> clByOrderId;
    QSet<QString> fillIds;
    QList<FillRecord> fills;
    QMap<QString, BalanceRecord> balances;

    // Orders with a request out whose answer is not in: REST truth must not undo them.
    QHash<QString, int> inFlight;
    QHash<QString, int> unknownAttempts;
    QHash<QString, OrderState> stateBeforePending;

    QSet<QString> changed;
    QList<FillRecord> newFills;
    bool flushScheduled = false;

    bool reconciling = false;
    QString reconcileAgain;
    int reconcileFailures = 0;
    QTimer *balanceTimer = nullptr;
    QTimer *dmsTimer = nullptr;
    int dmsTimeout = 0;
    qint64 dmsTriggerAtMs = 0;

    bool wsLive() const { return ws && ws->isLive(); }
};

OrderManager::OrderManager(spot::RestClient *rest, spot::TradingWsClient *ws, Journal *journal,
                           OrderManagerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->rest = rest;
    d->ws = ws;
    d->journal = journal;
    d->config = config;
    d->balanceTimer = new QTimer(this);
    d->balanceTimer->setSingleShot(true);
    d->balanceTimer->setInterval(config.balanceRefreshMs);
    d->dmsTimer = new QTimer(this);
    if (ws) {
        connect(ws, &spot::TradingWsClient::executions, this,
                [this](const spot::ws::ExecutionsMessage &m) { onExecutions(m); });
        connect(ws, &spot::TradingWsClient::balances, this,
                [this](const spot::ws::BalancesMessage &m) { onBalances(m); });
        connect(ws, &spot::TradingWsClient::gap, this,
                [this](const QString &why) { reconcile(u"websocket: "_s + why); });
    }
    connect(d->balanceTimer, &QTimer::timeout, this, [this] { refreshBalances(); });
    connect(d->dmsTimer, &QTimer::timeout, this, [this] { refreshDeadMansSwitch(); });
}

OrderManager::~OrderManager() = default;

void OrderManager::setInstruments(const kraken::InstrumentRegistry &instruments) {
    d->instruments = instruments;
}

QList<OrderRecord> OrderManager::orders() const {
    QList<OrderRecord> out;
    out.reserve(d->order.size());
    for (const QString &cl : std::as_const(d->order))
        out.append(d->orders.value(cl));
    return out;
}

std::optional<OrderRecord> OrderManager::order(const QString &clOrdId) const {
    const auto it = d->orders.constFind(clOrdId);
    if (it == d->orders.constEnd())
        return std::nullopt;
    return *it;
}

QList<FillRecord> OrderManager::fills() const {
    return d->fills;
}
QList<BalanceRecord> OrderManager::balances() const {
    return d->balances.values();
}
bool OrderManager::isReconciling() const {
    return d->reconciling;
}

// ---------------------------------------------------------------------------------------------
// State bookkeeping

QString OrderManager::symbolOf(const QString &pair) const {
    if (const kraken::Instrument *i = d->instruments.find(pair))
        return i->symbol();
    return pair;
}

void OrderManager::store(OrderRecord &r, const QString &detail) {
    r.updatedMs = nowMs();
    const bool isNew = !d->orders.contains(r.clOrdId);
    if (const Error e = d->journal->writeOrder(r, detail))
        qCWarning(lcOrders) << "journal write failed for" << r.clOrdId << e.toString();
    if (isNew)
        d->order.append(r.clOrdId);
    if (!r.orderId.isEmpty())
        d->clByOrderId.insert(r.orderId, r.clOrdId);
    d->orders.insert(r.clOrdId, r);
    qCDebug(lcOrders) << r.clOrdId << orderStateName(r.state) << detail;
    d->changed.insert(r.clOrdId);
    scheduleFlush();
    d->balanceTimer->start();
}

void OrderManager::scheduleFlush() {
    if (d->flushScheduled)
        return;
    d->flushScheduled = true;
    // One batch per event-loop turn: a burst of executions becomes one model update.
    QTimer::singleShot(0, this, [this] {
        d->flushScheduled = false;
        if (!d->changed.isEmpty()) {
            QList<OrderRecord> batch;
            for (const QString &cl : std::as_const(d->order)) {
                if (d->changed.contains(cl))
                    batch.append(d->orders.value(cl));
            }
            d->changed.clear();
            Q_EMIT ordersChanged(batch);
        }
        if (!d->newFills.isEmpty())
            Q_EMIT fillsAdded(std::exchange(d->newFills, {}));
    });
}

void OrderManager::addFill(const FillRecord &fill) {
    if (fill.tradeId.isEmpty() || d->fillIds.contains(fill.tradeId))
        return;
    bool inserted = false;
    if (const Error e = d->journal->appendFill(fill, &inserted))
        qCWarning(lcOrders) << "journal fill write failed" << fill.tradeId << e.toString();
    d->fillIds.insert(fill.tradeId);
    d->fills.append(fill);
    d->newFills.append(fill);
    // Fees summed from fills seen once each, so a fill reported twice never counts twice.
    const QString cl = !fill.clOrdId.isEmpty() ? fill.clOrdId : d->clByOrderId.value(fill.orderId);
    if (d->orders.contains(cl)) {
        OrderRecord r = d->orders.value(cl);
        r.fees = add(r.fees, fill.fee);
        if (r.feeAsset.isEmpty())
            r.feeAsset = fill.feeAsset;
        store(r, u"fill "_s + fill.tradeId + u" "_s + fill.qty.toString() + u" @ "_s +
                     fill.price.toString());
    }
    scheduleFlush();
}

QString OrderManager::keyFor(const QString &clOrdId, const QString &orderId) const {
    if (!clOrdId.isEmpty() && d->orders.contains(clOrdId))
        return clOrdId;
    if (!orderId.isEmpty()) {
        const QString cl = d->clByOrderId.value(orderId);
        if (!cl.isEmpty())
            return cl;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Start and submission

void OrderManager::start() {
    d->orders.clear();
    d->order.clear();
    d->clByOrderId.clear();
    for (const OrderRecord &r : d->journal->loadOrders()) {
        d->order.append(r.clOrdId);
        d->orders.insert(r.clOrdId, r);
        if (!r.orderId.isEmpty())
            d->clByOrderId.insert(r.orderId, r.clOrdId);
    }
    d->fills = d->journal->loadFills();
    d->fillIds.clear();
    for (const FillRecord &f : std::as_const(d->fills))
        d->fillIds.insert(f.tradeId);
    Q_EMIT ordersReset(orders());
    Q_EMIT fillsReset(d->fills);
    reconcile(u"start-up"_s);
}

QString OrderManager::submit(const spot::OrderRequest &request) {
    if (request.validateOnly) {
        const QString requestId = newClOrdId();
        spot::OrderRequest req = request;
        req.clOrdId.clear();
        auto answer = [this, requestId](const Error &e) {
            Q_EMIT validated(requestId, !e, e ? e.message() : u"Kraken accepts this order"_s);
        };
        if (d->wsLive()) {
            d->ws->addOrder(req, guarded(this, [answer](Result<spot::ws::MethodResponse> r) {
                                answer(r ? Error() : r.error());
                            }));
        } else {
            d->rest->addOrder(req).then(this, [answer](Result<spot::AddOrderResult> r) {
                answer(r ? Error() : r.error());
            });
        }
        return requestId;
    }

    OrderRecord r;
    r.clOrdId = newClOrdId();
    r.symbol = symbolOf(request.pair);
    r.side = request.side == spot::Side::Buy ? OrderSide::Buy : OrderSide::Sell;
    r.orderType = request.orderType;
    r.timeInForce = request.timeInForce.isEmpty() ? u"GTC"_s : request.timeInForce.toUpper();
    r.qty = request.volume;
    r.quoteQty = request.oflags.contains(u"viqc"_s);
    if (hasTrigger(request.orderType)) {
        r.triggerPrice = request.price;
        if (isLimitType(request.orderType))
            r.limitPrice = request.price2;
    } else if (request.orderType != u"market"_s) {
        r.limitPrice = request.price;
    }
    r.displayQty = request.displayVolume;
    r.triggerReference =
        request.trigger.isEmpty() && hasTrigger(request.orderType) ? u"last"_s : request.trigger;
    r.postOnly = request.oflags.contains(u"post"_s);
    r.reduceOnly = request.reduceOnly;
    r.expireTimeMs = rfc3339ToMs(request.expireTime);
    r.state = OrderState::PendingNew;
    r.viaWebSocket = d->wsLive();
    r.createdMs = nowMs();

    // The row is on disk before anything leaves: a crash after sending still knows the order.
    r.updatedMs = r.createdMs;
    if (const Error e = d->journal->writeOrder(r, r.viaWebSocket ? u"submit (websocket)"_s
                                                                 : u"submit (rest)"_s)) {
        r.state = OrderState::Rejected;
        r.reason = u"Not sent: the journal could not record it ("_s + e.message() + u")"_s;
        d->order.append(r.clOrdId);
        d->orders.insert(r.clOrdId, r);
        d->changed.insert(r.clOrdId);
        scheduleFlush();
        Q_EMIT errorOccurred(r.clOrdId, e);
        return r.clOrdId;
    }
    d->order.append(r.clOrdId);
    d->orders.insert(r.clOrdId, r);
    d->changed.insert(r.clOrdId);
    scheduleFlush();

    spot::OrderRequest req = request;
    req.clOrdId = r.clOrdId;
    req.userref.reset(); // Kraken refuses userref together with cl_ord_id
    const QString cl = r.clOrdId;
    d->inFlight[cl]++;
    if (r.viaWebSocket) {
        d->ws->addOrder(req, guarded(this, [this, cl](Result<spot::ws::MethodResponse> res) {
                            d->inFlight[cl]--;
                            if (res)
                                onPlaced(cl, res->result.value(u"order_id"_s).toString());
                            else
                                onPlaceFailed(cl, res.error());
                        }));
    } else {
        d->rest->addOrder(req).then(this, [this, cl](Result<spot::AddOrderResult> res) {
            d->inFlight[cl]--;
            if (res)
                onPlaced(cl, res->txids.value(0));
            else
                onPlaceFailed(cl, res.error());
        });
    }
    return cl;
}

void OrderManager::onPlaced(const QString &cl, const QString &orderId) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (!orderId.isEmpty())
        r.orderId = orderId;
    // The executions channel may already have moved it further (a market order filled before
    // its ack arrived): an ack never moves an order back.
    if (r.state == OrderState::PendingNew || r.state == OrderState::Unknown) {
        r.state = OrderState::Open;
        r.reason.clear();
    }
    store(r, u"acknowledged "_s + orderId);
}

void OrderManager::onPlaceFailed(const QString &cl, const Error &error) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (error.outcomeUnknown()) {
        if (r.state == OrderState::PendingNew) {
            r.state = OrderState::Unknown;
            r.reason = u"No answer from Kraken ("_s + error.message() +
                       u"); asking Kraken whether the order exists. It will not be sent again."_s;
            store(r, u"outcome unknown: "_s + error.toString());
        }
        resolveOrder(cl, true);
    } else if (r.state == OrderState::PendingNew || r.state == OrderState::Unknown) {
        r.state = OrderState::Rejected;
        r.reason = error.message();
        store(r, u"rejected: "_s + error.toString());
    }
    Q_EMIT errorOccurred(cl, error);
}

// ---------------------------------------------------------------------------------------------
// Asking Kraken about one order

void OrderManager::resolveOrder(const QString &cl, bool placementUnknown) {
    if (!d->orders.contains(cl))
        return;
    const int attempt = ++d->unknownAttempts[cl];
    const qint64 delay =
        std::min<qint64>(qint64(d->config.unknownRetryMs) << std::min(attempt - 1, 5), 30'000);
    QTimer::singleShot(attempt == 1 ? d->config.unknownRetryMs : delay, this,
                       [this, cl, placementUnknown] { queryOrder(cl, placementUnknown); });
}

void OrderManager::queryOrder(const QString &cl, bool placementUnknown) {
    if (!d->orders.contains(cl))
        return;
    const OrderRecord r = d->orders.value(cl);
    auto notFound = [this, cl, placementUnknown] {
        OrderRecord cur = d->orders.value(cl);
        if (!placementUnknown) {
            d->unknownAttempts.remove(cl);
            if (isWorking(cur.state)) {
                // Kraken has no such order (a reset paper exchange, a purged old order):
                // say so rather than show it working.
                cur.state = OrderState::Unknown;
                cur.reason = u"Kraken does not know this order any more"_s;
                store(cur, u"not found at Kraken"_s);
            }
            return;
        }
        if (cur.state != OrderState::Unknown && cur.state != OrderState::PendingNew) {
            d->unknownAttempts.remove(cl);
            return;
        }
        if (d->unknownAttempts.value(cl) >= d->config.unknownMaxAttempts) {
            d->unknownAttempts.remove(cl);
            cur.state = OrderState::Rejected;
            cur.reason = u"Kraken has no order with this cl_ord_id: it never reached Kraken and "
                         u"was not sent again."_s;
            store(cur, u"resolved: not found at Kraken"_s);
            return;
        }
        resolveOrder(cl, true);
    };
    auto failed = [this, cl, placementUnknown](const Error &e) {
        // Could not ask: keep the state and ask again later; an unreachable Kraken says
        // nothing about the order.
        qCInfo(lcOrders) << "query for" << cl << "failed:" << e.toString();
        QTimer::singleShot(3000, this,
                           [this, cl, placementUnknown] { queryOrder(cl, placementUnknown); });
    };
    if (!r.orderId.isEmpty()) {
        d->rest->queryOrders({r.orderId})
            .then(this, [this, cl, notFound, failed](Result<QList<spot::OrderInfo>> res) {
                if (!res)
                    return res.error().category() == Error::Category::Kraken ? notFound()
                                                                             : failed(res.error());
                for (const spot::OrderInfo &info : res.value())
                    applyOrderInfo(info, u"query"_s);
                d->unknownAttempts.remove(cl);
            });
        return;
    }
    if (r.clOrdId.startsWith(u"ext:"_s))
        return;
    const spot::Params byCl{{u"cl_ord_id"_s, cl}};
    d->rest->openOrders(byCl).then(
        this, [this, cl, r, notFound, failed](Result<spot::OrdersPage> open) {
            if (!open)
                return failed(open.error());
            if (!open->orders.isEmpty()) {
                for (const spot::OrderInfo &info : open->orders)
                    applyOrderInfo(info, u"resolved: open at Kraken"_s);
                d->unknownAttempts.remove(cl);
                return;
            }
            spot::Params closedParams = {{u"cl_ord_id"_s, cl},
                                         {u"start"_s, QString::number(r.createdMs / 1000 - 60)}};
            d->rest->closedOrders(closedParams)
                .then(this, [this, cl, notFound, failed](Result<spot::OrdersPage> closed) {
                    if (!closed)
                        return failed(closed.error());
                    if (closed->orders.isEmpty())
                        return notFound();
                    for (const spot::OrderInfo &info : closed->orders)
                        applyOrderInfo(info, u"resolved: closed at Kraken"_s);
                    d->unknownAttempts.remove(cl);
                });
        });
}

// ---------------------------------------------------------------------------------------------
// Applying what Kraken says

void OrderManager::applyOrderInfo(const spot::OrderInfo &info, const QString &detail) {
    QString cl = keyFor(info.clOrdId, info.txid);
    const bool known = !cl.isEmpty();
    OrderRecord r;
    if (known) {
        r = d->orders.value(cl);
    } else {
        r.clOrdId = !info.clOrdId.isEmpty() ? info.clOrdId : u"ext:"_s + info.txid;
        r.createdMs = secondsToMs(info.openTime);
        r.viaWebSocket = false;
    }
    const OrderRecord before = r;
    r.orderId = info.txid;
    r.symbol = symbolOf(info.descr.pair);
    r.side = info.descr.type == u"sell"_s ? OrderSide::Sell : OrderSide::Buy;
    if (!info.descr.orderType.isEmpty())
        r.orderType = info.descr.orderType;
    r.qty = info.volume;
    r.quoteQty = info.oflags.contains(u"viqc"_s);
    r.postOnly = info.oflags.contains(u"post"_s);
    r.filledQty = info.volumeExecuted;
    r.cumCost = info.cost;
    r.avgPrice = info.averagePrice;
    if (!known)
        r.fees = info.fee;
    const auto p1 = Decimal::fromString(info.descr.price);
    const auto p2 = Decimal::fromString(info.descr.price2);
    if (hasTrigger(r.orderType)) {
        if (p1 && !p1->isZero())
            r.triggerPrice = p1;
        if (isLimitType(r.orderType) && p2 && !p2->isZero())
            r.limitPrice = p2;
    } else if (r.orderType != u"market"_s && p1 && !p1->isZero()) {
        r.limitPrice = p1;
    }
    if (r.timeInForce.isEmpty())
        r.timeInForce = info.expireTime.isZero() ? u"GTC"_s : u"GTD"_s;
    if (const auto s = stateFromRest(info)) {
        const bool pending =
            r.state == OrderState::PendingCancel || r.state == OrderState::PendingAmend;
        // A request out for this order: REST's view of the moment may predate it.
        if (!(pending && d->inFlight.value(r.clOrdId) > 0 && !isTerminal(*s)))
            r.state = *s;
    }
    if (isTerminal(r.state) && !info.reason.isEmpty())
        r.reason = info.reason;
    else if (r.state != OrderState::Unknown && before.state == OrderState::Unknown)
        r.reason.clear();
    if (!known || r.state != before.state || r.filledQty != before.filledQty ||
        r.orderId != before.orderId || r.qty != before.qty || r.limitPrice != before.limitPrice ||
        r.triggerPrice != before.triggerPrice || r.cumCost != before.cumCost)
        store(r, detail);
}

void OrderManager::onExecutions(const spot::ws::ExecutionsMessage &message) {
    QSet<QString> seenOpen;
    for (const spot::ws::ExecutionReport &e : message.reports) {
        applyExecution(e);
        if (message.snapshot && e.execType != u"trade"_s)
            seenOpen.insert(e.orderId);
    }
    if (!message.snapshot)
        return;
    // The snapshot lists every open order: a working order of ours missing from it has closed
    // while we were not listening. Ask Kraken how.
    for (const QString &cl : std::as_const(d->order)) {
        const OrderRecord &r = d->orders[cl];
        if (!r.orderId.isEmpty() && isWorking(r.state) && r.state != OrderState::PendingNew &&
            !seenOpen.contains(r.orderId) && d->inFlight.value(cl) == 0)
            queryOrder(cl, false);
    }
}

void OrderManager::applyExecution(const spot::ws::ExecutionReport &e) {
    QString cl = keyFor(e.clOrdId, e.orderId);
    OrderRecord r;
    const bool known = !cl.isEmpty();
    if (known) {
        r = d->orders.value(cl);
    } else {
        if (e.orderId.isEmpty())
            return;
        r.clOrdId = !e.clOrdId.isEmpty() ? e.clOrdId : u"ext:"_s + e.orderId;
        r.createdMs = e.timestampNs ? e.timestampNs / 1'000'000 : nowMs();
        r.timeInForce = u"GTC"_s;
        r.state = OrderState::Open;
    }
    if (!e.orderId.isEmpty())
        r.orderId = e.orderId;
    if (!e.symbol.isEmpty())
        r.symbol = e.symbol;
    if (!e.side.isEmpty())
        r.side = e.side == u"sell"_s ? OrderSide::Sell : OrderSide::Buy;
    if (!e.orderType.isEmpty())
        r.orderType = e.orderType;
    if (!e.timeInForce.isEmpty())
        r.timeInForce = e.timeInForce.toUpper();
    if (e.orderQty)
        r.qty = *e.orderQty;
    else if (e.cashOrderQty) {
        r.qty = *e.cashOrderQty;
        r.quoteQty = true;
    }
    if (e.limitPrice)
        r.limitPrice = e.limitPrice;
    if (e.triggerPrice)
        r.triggerPrice = e.triggerPrice;
    if (e.displayQty)
        r.displayQty = e.displayQty;
    if (e.postOnly)
        r.postOnly = *e.postOnly;
    if (e.reduceOnly)
        r.reduceOnly = *e.reduceOnly;
    if (e.expireTimeNs)
        r.expireTimeMs = e.expireTimeNs / 1'000'000;
    if (e.cumQty)
        r.filledQty = *e.cumQty;
    if (e.cumCost)
        r.cumCost = *e.cumCost;
    if (e.avgPrice)
        r.avgPrice = *e.avgPrice;

    std::optional<OrderState> next = stateFromWs(e.orderStatus);
    if (e.execType == u"canceled"_s)
        next = OrderState::Cancelled;
    else if (e.execType == u"expired"_s)
        next = OrderState::Expired;
    else if (e.execType == u"filled"_s)
        next = OrderState::Filled;
    else if (!next && (e.execType == u"amended"_s || e.execType == u"restated"_s))
        next = r.filledQty.isZero() ? OrderState::Open : OrderState::PartiallyFilled;
    if (next) {
        const bool pending =
            r.state == OrderState::PendingCancel || r.state == OrderState::PendingAmend;
        const bool confirmsAmend = r.state == OrderState::PendingAmend &&
                                   (e.execType == u"amended"_s || e.execType == u"restated"_s);
        if (isTerminal(*next) || !pending || confirmsAmend || d->inFlight.value(r.clOrdId) == 0)
            r.state = *next;
    }
    if (!e.reason.isEmpty() && isTerminal(r.state))
        r.reason = e.reason;
    else if (r.state == OrderState::Open || r.state == OrderState::PartiallyFilled)
        r.reason.clear();
    store(r, u"exec "_s + e.execType + (e.execId.isEmpty() ? QString() : u" "_s + e.execId));

    if (e.execType == u"trade"_s && e.lastQty && e.lastPrice) {
        FillRecord f;
        f.tradeId = !e.execId.isEmpty()
                        ? e.execId
                        : (e.tradeId ? u"trade:"_s + QString::number(*e.tradeId) : QString());
        f.orderId = r.orderId;
        f.clOrdId = r.clOrdId;
        f.symbol = r.symbol;
        f.side = r.side;
        f.price = *e.lastPrice;
        f.qty = *e.lastQty;
        f.cost = e.cost.value_or(f.price.times(f.qty, 8).value_or(Decimal()));
        if (!e.fees.isEmpty()) {
            f.fee = e.fees.first().qty;
            f.feeAsset = e.fees.first().asset;
        }
        f.maker = e.liquidityInd == u"m"_s;
        f.timeMs = e.timestampNs ? e.timestampNs / 1'000'000 : nowMs();
        addFill(f);
    }
}

void OrderManager::onBalances(const spot::ws::BalancesMessage &message) {
    if (message.snapshot) {
        for (auto it = d->balances.begin(); it != d->balances.end(); ++it)
            it->total = Decimal();
    }
    for (const spot::ws::BalanceEntry &e : message.entries) {
        BalanceRecord &b = d->balances[e.asset];
        b.asset = e.asset;
        b.total = e.balance;
    }
    Q_EMIT balancesChanged(d->balances.values());
    // Holds are not on the channel: BalanceEx has them.
    d->balanceTimer->start();
}

void OrderManager::refreshBalances() {
    d->rest->balanceEx().then(this, [this](Result<spot::ExtendedBalances> res) {
        if (!res) {
            Q_EMIT errorOccurred({}, res.error());
            return;
        }
        QMap<QString, BalanceRecord> next;
        for (auto it = res->cbegin(); it != res->cend(); ++it) {
            BalanceRecord b;
            b.asset = kraken::normaliseAsset(it.key());
            b.total = it->balance;
            b.held = it->holdTrade;
            next.insert(b.asset, b);
        }
        d->balances = next;
        Q_EMIT balancesChanged(d->balances.values());
    });
}

// ---------------------------------------------------------------------------------------------
// Amend and cancel

void OrderManager::amend(const QString &cl, std::optional<Decimal> qty,
                         std::optional<Decimal> limitPrice, std::optional<Decimal> triggerPrice) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (r.state != OrderState::Open && r.state != OrderState::PartiallyFilled) {
        Q_EMIT errorOccurred(cl, Error(Error::Category::InvalidInput,
                                       u"Only an open order can be amended (this one is %1)"_s.arg(
                                           orderStateName(r.state))));
        return;
    }
    const OrderState previous = r.state;
    r.state = OrderState::PendingAmend;
    QStringList what;
    if (qty)
        what << u"qty "_s + qty->toString();
    if (limitPrice)
        what << u"price "_s + limitPrice->toString();
    if (triggerPrice)
        what << u"trigger "_s + triggerPrice->toString();
    store(r, u"amend "_s + what.join(u", "_s));

    spot::AmendRequest req;
    if (r.clOrdId.startsWith(u"ext:"_s))
        req.txid = r.orderId;
    else
        req.clOrdId = r.clOrdId;
    req.orderQty = qty;
    req.limitPrice = limitPrice;
    req.triggerPrice = triggerPrice;
    d->inFlight[cl]++;
    auto done = [this, cl, previous, qty, limitPrice, triggerPrice](const Error &error) {
        d->inFlight[cl]--;
        OrderRecord cur = d->orders.value(cl);
        if (!error) {
            if (cur.state == OrderState::PendingAmend) {
                if (qty)
                    cur.qty = *qty;
                if (limitPrice)
                    cur.limitPrice = limitPrice;
                if (triggerPrice)
                    cur.triggerPrice = triggerPrice;
                cur.state = cur.filledQty.isZero() ? OrderState::Open : OrderState::PartiallyFilled;
                store(cur, u"amended"_s);
            }
            return;
        }
        Q_EMIT errorOccurred(cl, error);
        if (error.outcomeUnknown()) {
            queryOrder(cl, false);
            return;
        }
        if (cur.state == OrderState::PendingAmend) {
            cur.state = previous;
            cur.reason = u"Amend refused: "_s + error.message();
            store(cur, u"amend refused: "_s + error.toString());
        }
    };
    if (d->wsLive()) {
        d->ws->amendOrder(req, guarded(this, [done](Result<spot::ws::MethodResponse> res) {
                              done(res ? Error() : res.error());
                          }));
    } else {
        d->rest->amendOrder(req).then(
            this, [done](Result<spot::AmendResult> res) { done(res ? Error() : res.error()); });
    }
}

void OrderManager::cancel(const QStringList &clOrdIds) {
    for (const QString &cl : clOrdIds) {
        if (!d->orders.contains(cl))
            continue;
        OrderRecord r = d->orders.value(cl);
        if (!isWorking(r.state) || r.state == OrderState::PendingCancel)
            continue;
        const OrderState previous = r.state;
        r.state = OrderState::PendingCancel;
        store(r, u"cancel requested"_s);
        const bool ext = r.clOrdId.startsWith(u"ext:"_s);
        const QString ref = ext ? r.orderId : r.clOrdId;
        d->inFlight[cl]++;
        auto done = [this, cl, previous](const Error &error, bool cancelledNow) {
            d->inFlight[cl]--;
            OrderRecord cur = d->orders.value(cl);
            if (!error) {
                // Over REST nobody else will say so; over WS the `canceled` execution may
                // already have arrived, and then this changes nothing.
                if (cancelledNow && cur.state == OrderState::PendingCancel) {
                    cur.state = OrderState::Cancelled;
                    store(cur, u"cancelled"_s);
                }
                return;
            }
            if (error.outcomeUnknown() ||
                error.krakenErrors().contains(u"EOrder:Unknown order"_s)) {
                // Unknown order: most likely filled or cancelled meanwhile; ask.
                queryOrder(cl, false);
                if (!error.outcomeUnknown())
                    return;
            } else if (cur.state == OrderState::PendingCancel) {
                cur.state = previous;
                cur.reason = u"Cancel refused: "_s + error.message();
                store(cur, u"cancel refused: "_s + error.toString());
            }
            Q_EMIT errorOccurred(cl, error);
        };
        if (d->wsLive()) {
            const QStringList ids = ext ? QStringList{ref} : QStringList{};
            const QStringList cls = ext ? QStringList{} : QStringList{ref};
            d->ws->cancelOrders(ids, cls,
                                guarded(this, [done](Result<spot::ws::MethodResponse> res) {
                                    done(res ? Error() : res.error(), false);
                                }));
        } else {
            d->rest->cancelOrder(ref).then(this, [done](Result<spot::CancelResult> res) {
                done(res ? Error() : res.error(), res && res->count > 0);
            });
        }
    }
}

void OrderManager::cancelAll() {
    for (const QString &cl : std::as_const(d->order)) {
        OrderRecord r = d->orders.value(cl);
        if (r.state == OrderState::Open || r.state == OrderState::PartiallyFilled ||
            r.state == OrderState::PendingAmend) {
            r.state = OrderState::PendingCancel;
            store(r, u"cancel all"_s);
        }
    }
    auto done = [this](const Error &error) {
        if (error)
            Q_EMIT errorOccurred({}, error);
        // Whatever the answer, Kraken's own lists say which orders are gone.
        reconcile(u"cancel all"_s);
    };
    if (d->wsLive())
        d->ws->cancelAll(guarded(this, [done](Result<spot::ws::MethodResponse> res) {
            done(res ? Error() : res.error());
        }));
    else
        d->rest->cancelAllOrders().then(
            this, [done](Result<spot::CancelResult> res) { done(res ? Error() : res.error()); });
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

void OrderManager::reconcile(const QString &why) {
    if (d->reconciling) {
        d->reconcileAgain = why;
        return;
    }
    d->reconciling = true;
    Q_EMIT reconcileStarted(why);
    qCInfo(lcOrders) << "reconciling:" << why;

    const QString point = d->journal->meta(u"reconciled_until"_s);
    const qint64 since =
        point.isEmpty() ? 0 : point.toLongLong() - d->config.reconcileOverlapSeconds;
    const qint64 startedAt = nowMs() / 1000;
    struct Tally {
        int open = 0, closed = 0, queried = 0, fills = 0;
    };
    auto tally = std::make_shared<Tally>();
    auto openIds = std::make_shared<QSet<QString>>();

    auto fail = [this](const Error &e) {
        Q_EMIT errorOccurred({}, e);
        d->reconciling = false;
        // Try again later; a WebSocket gap also starts one.
        const int delay = std::min(60'000, 2'000 << std::min(d->reconcileFailures++, 5));
        QTimer::singleShot(delay, this, [this] { reconcile(u"retry"_s); });
    };
    auto finish = [this, tally, startedAt] {
        d->reconcileFailures = 0;
        d->journal->setMeta(u"reconciled_until"_s, QString::number(startedAt));
        d->reconciling = false;
        // Through the debounce timer: the orders stored while reconciling already started it,
        // and one BalanceEx covers both.
        d->balanceTimer->start();
        Q_EMIT reconciled(u"%1 open, %2 closed, %3 queried, %4 new fills"_s.arg(tally->open)
                              .arg(tally->closed)
                              .arg(tally->queried)
                              .arg(tally->fills));
        if (!d->reconcileAgain.isEmpty())
            reconcile(std::exchange(d->reconcileAgain, {}));
    };
    auto trades = [this, since, tally, finish, fail] {
        spot::Params p;
        if (since > 0)
            p.append({u"start"_s, QString::number(since)});
        d->rest->tradesHistory(p, since > 0 ? spot::Pages::All : spot::Pages::First)
            .then(this, [this, tally, finish, fail](Result<spot::TradesHistoryPage> res) {
                if (!res)
                    return fail(res.error());
                QList<spot::TradeInfo> list = res->trades;
                std::sort(list.begin(), list.end(),
                          [](const auto &a, const auto &b) { return a.time < b.time; });
                for (const spot::TradeInfo &t : list) {
                    if (d->fillIds.contains(t.txid))
                        continue;
                    FillRecord f;
                    f.tradeId = t.txid;
                    f.orderId = t.orderTxid;
                    const QString cl = d->clByOrderId.value(t.orderTxid);
                    f.clOrdId = cl;
                    f.symbol = symbolOf(t.pair);
                    f.side = t.type == u"sell"_s ? OrderSide::Sell : OrderSide::Buy;
                    f.price = t.price;
                    f.qty = t.volume;
                    f.cost = t.cost;
                    f.fee = t.fee;
                    if (const kraken::Instrument *i = d->instruments.find(t.pair))
                        f.feeAsset = i->quote();
                    f.maker = t.maker;
                    f.timeMs = secondsToMs(t.time);
                    addFill(f);
                    ++tally->fills;
                }
                finish();
            });
    };
    auto stale = [this, openIds, tally, trades, fail] {
        // Working orders Kraken did not list as open and the closed list did not cover.
        QStringList txids;
        for (const QString &cl : std::as_const(d->order)) {
            const OrderRecord &r = d->orders[cl];
            if (!isWorking(r.state) && r.state != OrderState::Unknown)
                continue;
            if (r.orderId.isEmpty()) {
                if (d->inFlight.value(cl) == 0 && !d->unknownAttempts.contains(cl))
                    resolveOrder(cl, true);
                continue;
            }
            if (!openIds->contains(r.orderId) && d->inFlight.value(cl) == 0)
                txids << r.orderId;
        }
        if (txids.isEmpty())
            return trades();
        txids = txids.mid(0, 50);
        tally->queried = int(txids.size());
        d->rest->queryOrders(txids).then(
            this, [this, txids, trades, fail](Result<QList<spot::OrderInfo>> res) {
                if (!res && res.error().category() == Error::Category::Kraken) {
                    // One id Kraken does not know fails the whole batch: ask one by one.
                    for (const QString &txid : txids)
                        queryOrder(d->clByOrderId.value(txid), false);
                    return trades();
                }
                if (!res)
                    return fail(res.error());
                for (const spot::OrderInfo &info : res.value())
                    applyOrderInfo(info, u"reconcile: query"_s);
                trades();
            });
    };
    auto closed = [this, since, tally, stale, fail] {
        spot::Params p;
        if (since > 0)
            p.append({u"start"_s, QString::number(since)});
        d->rest->closedOrders(p, since > 0 ? spot::Pages::All : spot::Pages::First)
            .then(this, [this, tally, stale, fail](Result<spot::OrdersPage> res) {
                if (!res)
                    return fail(res.error());
                QList<spot::OrderInfo> list = res->orders;
                std::sort(list.begin(), list.end(),
                          [](const auto &a, const auto &b) { return a.openTime < b.openTime; });
                for (const spot::OrderInfo &info : list)
                    applyOrderInfo(info, u"reconcile: closed"_s);
                tally->closed = int(list.size());
                stale();
            });
    };
    d->rest->openOrders().then(
        this, [this, openIds, tally, closed, fail](Result<spot::OrdersPage> res) {
            if (!res)
                return fail(res.error());
            QList<spot::OrderInfo> list = res->orders;
            std::sort(list.begin(), list.end(),
                      [](const auto &a, const auto &b) { return a.openTime < b.openTime; });
            for (const spot::OrderInfo &info : list) {
                openIds->insert(info.txid);
                applyOrderInfo(info, u"reconcile: open"_s);
            }
            tally->open = int(list.size());
            closed();
        });
}

// ---------------------------------------------------------------------------------------------
// Dead man's switch

void OrderManager::setDeadMansSwitch(int timeoutSeconds) {
    d->dmsTimeout = std::max(0, timeoutSeconds);
    if (d->dmsTimeout == 0) {
        d->dmsTimer->stop();
        d->dmsTriggerAtMs = 0;
        sendDeadMansSwitch(0);
        return;
    }
    d->dmsTimer->setInterval(std::clamp(d->dmsTimeout * 1000 / 4, 1000, 15'000));
    d->dmsTimer->start();
    refreshDeadMansSwitch();
}

void OrderManager::refreshDeadMansSwitch() {
    if (d->dmsTimeout > 0)
        sendDeadMansSwitch(d->dmsTimeout);
}

void OrderManager::sendDeadMansSwitch(int timeout) {
    auto done = [this, timeout](const Error &error, const QString &triggerTime) {
        if (timeout != d->dmsTimeout)
            return; // superseded by a later setting
        if (error) {
            Q_EMIT deadMansSwitchChanged(timeout > 0, d->dmsTriggerAtMs,
                                         u"refresh failed: "_s + error.message());
            return;
        }
        if (timeout == 0) {
            Q_EMIT deadMansSwitchChanged(false, 0, u"off"_s);
            return;
        }
        const qint64 at = rfc3339ToMs(triggerTime);
        d->dmsTriggerAtMs = at ? at : nowMs() + qint64(timeout) * 1000;
        Q_EMIT deadMansSwitchChanged(true, d->dmsTriggerAtMs, u"refreshed"_s);
    };
    if (d->wsLive()) {
        d->ws->cancelAllOrdersAfter(
            timeout, guarded(this, [done](Result<spot::ws::MethodResponse> res) {
                done(res ? Error() : res.error(),
                     res ? res->result.value(u"triggerTime"_s).toString() : QString());
            }));
    } else {
        d->rest->cancelAllOrdersAfter(timeout).then(
            this, [done](Result<spot::DeadManSwitchStatus> res) {
                done(res ? Error() : res.error(), res ? res->triggerTime : QString());
            });
    }
}

} // namespace model
