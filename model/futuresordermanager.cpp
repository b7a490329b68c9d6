#include "futuresordermanager.h"

#include "kraken/futures/futuresorderrequest.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/futures/futureswsclient.h"

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
namespace futures = kraken::futures;
namespace fws = kraken::futures::ws;

Q_LOGGING_CATEGORY(lcFuturesOrders, "kraken.futures.orders")

namespace model {

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

QString newClOrdId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Decimal add(const Decimal &a, const Decimal &b) {
    return a.plus(b).value_or(a);
}

qint64 msOf(const QDateTime &t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

// Kraken names order types differently per endpoint (openorders "lmt"/"stop", the WebSocket
// "limit"/"stop"); the blotter shows sendorder's names.
QString wireType(const QString &reported) {
    const QString t = reported.toLower();
    if (t == u"limit"_s || t == u"lmt"_s)
        return u"lmt"_s;
    if (t == u"stop"_s || t == u"stp"_s || t == u"stop_loss"_s)
        return u"stp"_s;
    if (t == u"market"_s)
        return u"mkt"_s;
    if (t == u"takeprofit"_s || t == u"take_profit"_s)
        return u"take_profit"_s;
    if (t == u"trailing_stop"_s || t == u"trailingstop"_s)
        return u"trailing_stop"_s;
    return t;
}

// REST and the feed say "mark_price", "last_price", "spot_price"; sendorder takes "mark",
// "last", "index".
QString signalFromReport(const QString &reported) {
    const QString t = reported.toLower();
    if (t.startsWith(u"mark"_s))
        return u"mark"_s;
    if (t.startsWith(u"last"_s))
        return u"last"_s;
    if (t.startsWith(u"index"_s) || t.startsWith(u"spot"_s))
        return u"index"_s;
    return t;
}

bool isTriggerType(const QString &wire) {
    return wire == u"stp"_s || wire == u"take_profit"_s || wire == u"trailing_stop"_s;
}

QString signalName(futures::FuturesTriggerSignal s) {
    switch (s) {
    case futures::FuturesTriggerSignal::Mark:
        return u"mark"_s;
    case futures::FuturesTriggerSignal::Index:
        return u"index"_s;
    case futures::FuturesTriggerSignal::Last:
        return u"last"_s;
    case futures::FuturesTriggerSignal::None:
        break;
    }
    return {};
}

// The client may finish a request after the manager is gone: such an answer has nobody to tell.
template<class F> auto guarded(QObject *owner, F fn) {
    return [owner = QPointer<QObject>(owner), fn = std::move(fn)](auto &&...args) mutable {
        if (owner)
            fn(std::forward<decltype(args)>(args)...);
    };
}

} // namespace

// What Kraken says about one order, from REST openorders or the open_orders feed.
struct FuturesOrderManager::ExchangeOrder {
    QString orderId, cliOrdId, symbol, type, triggerSignal;
    bool buy = true;
    bool reduceOnly = false;
    Decimal qty, filled;
    std::optional<Decimal> limitPrice, stopPrice;
    qint64 timeMs = 0;
};

struct FuturesOrderManager::Private {
    futures::FuturesRestClient *rest = nullptr;
    QPointer<futures::FuturesWsClient> ws;
    Journal *journal = nullptr;
    FuturesOrderManagerConfig config;
    futures::FuturesInstrumentRegistry instruments;

    QHash<QString, OrderRecord> orders; // clOrdId -> record
    QStringList order;                  // clOrdIds, oldest first
    QHash<QString, QString> clByOrderId;
    QSet<QString> fillIds;
    QList<FillRecord> fills;
    QMap<QString, PositionRecord> positions; // by symbol
    QMap<QString, MarginRecord> margins;     // by "account/currency"
    QHash<QString, Decimal> marks;           // REST tickers, when no feed has them

    QHash<QString, int> inFlight;
    QHash<QString, int> unknownAttempts;

    QSet<QString> changed;
    QList<FillRecord> newFills;
    bool flushScheduled = false;

    bool reconciling = false;
    QString reconcileAgain;
    int reconcileFailures = 0;
    QTimer *accountTimer = nullptr;
    QTimer *pollTimer = nullptr;
    QTimer *dmsTimer = nullptr;
    int dmsTimeout = 0;
    qint64 dmsTriggerAtMs = 0;
    bool positionsFromFeed = false; // open_positions has spoken on this connection
};

FuturesOrderManager::FuturesOrderManager(futures::FuturesRestClient *rest,
                                         futures::FuturesWsClient *ws, Journal *journal,
                                         FuturesOrderManagerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->rest = rest;
    d->ws = ws;
    d->journal = journal;
    d->config = config;
    d->accountTimer = new QTimer(this);
    d->accountTimer->setSingleShot(true);
    d->accountTimer->setInterval(config.accountRefreshMs);
    d->pollTimer = new QTimer(this);
    d->pollTimer->setInterval(config.accountPollMs);
    d->dmsTimer = new QTimer(this);
    connect(d->accountTimer, &QTimer::timeout, this, [this] { refreshAccount(); });
    connect(d->pollTimer, &QTimer::timeout, this, [this] {
        if (!wsLive())
            refreshAccount();
    });
    connect(d->dmsTimer, &QTimer::timeout, this, [this] { refreshDeadMansSwitch(); });
    if (ws) {
        using W = futures::FuturesWsClient;
        connect(ws, &W::openOrders, this, &FuturesOrderManager::onOpenOrders);
        connect(ws, &W::fills, this, &FuturesOrderManager::onFills);
        connect(ws, &W::positions, this, &FuturesOrderManager::onPositions);
        connect(ws, &W::balances, this, &FuturesOrderManager::onBalances);
        connect(ws, &W::gap, this, [this](const QString &why) {
            d->positionsFromFeed = false;
            reconcile(u"websocket: "_s + why);
        });
        for (const auto feed : {W::PrivateFeed::OpenOrders, W::PrivateFeed::Fills,
                                W::PrivateFeed::OpenPositions, W::PrivateFeed::Balances})
            ws->subscribe(feed);
    }
}

FuturesOrderManager::~FuturesOrderManager() = default;

void FuturesOrderManager::setInstruments(const futures::FuturesInstrumentRegistry &instruments) {
    d->instruments = instruments;
}

QList<OrderRecord> FuturesOrderManager::orders() const {
    QList<OrderRecord> out;
    out.reserve(d->order.size());
    for (const QString &cl : std::as_const(d->order))
        out.append(d->orders.value(cl));
    return out;
}

std::optional<OrderRecord> FuturesOrderManager::order(const QString &clOrdId) const {
    const auto it = d->orders.constFind(clOrdId);
    if (it == d->orders.constEnd())
        return std::nullopt;
    return *it;
}

QList<FillRecord> FuturesOrderManager::fills() const {
    return d->fills;
}
QList<PositionRecord> FuturesOrderManager::positions() const {
    return d->positions.values();
}
QList<MarginRecord> FuturesOrderManager::margins() const {
    return d->margins.values();
}
bool FuturesOrderManager::isReconciling() const {
    return d->reconciling;
}

bool FuturesOrderManager::wsLive() const {
    return d->ws && d->ws->state() == futures::FuturesWsClient::State::Live &&
           d->ws->isAuthenticated();
}

std::optional<Decimal> FuturesOrderManager::unrealizedPnl(const futures::FuturesInstrument &in,
                                                          const Decimal &size, const Decimal &entry,
                                                          const Decimal &mark) {
    const Decimal contract = in.contractSize().isZero() ? Decimal::fromInt(1) : in.contractSize();
    const auto units = size.times(contract, std::min(18, size.scale() + contract.scale()));
    if (!units)
        return std::nullopt;
    if (in.isInverse()) {
        // Inverse: the contract is worth `contract` quote units; PnL is in the coin.
        constexpr int places = 8;
        const auto one = Decimal::fromInt(1);
        const auto inverseEntry = one.dividedBy(entry, 16);
        const auto inverseMark = one.dividedBy(mark, 16);
        if (!inverseEntry || !inverseMark)
            return std::nullopt;
        const auto diff = inverseEntry->minus(*inverseMark);
        return diff ? units->times(*diff, places) : std::nullopt;
    }
    const auto diff = mark.minus(entry);
    if (!diff)
        return std::nullopt;
    return units->times(*diff, std::max(units->scale(), diff->scale()));
}

// ---------------------------------------------------------------------------------------------
// State bookkeeping

void FuturesOrderManager::store(OrderRecord &r, const QString &detail) {
    r.updatedMs = nowMs();
    const bool isNew = !d->orders.contains(r.clOrdId);
    if (const Error e = d->journal->writeOrder(r, detail))
        qCWarning(lcFuturesOrders) << "journal write failed for" << r.clOrdId << e.toString();
    if (isNew)
        d->order.append(r.clOrdId);
    if (!r.orderId.isEmpty())
        d->clByOrderId.insert(r.orderId, r.clOrdId);
    d->orders.insert(r.clOrdId, r);
    qCDebug(lcFuturesOrders) << r.clOrdId << orderStateName(r.state) << detail;
    d->changed.insert(r.clOrdId);
    scheduleFlush();
    // Orders move margin (and fills move positions): the account follows, debounced.
    if (!wsLive())
        d->accountTimer->start();
}

void FuturesOrderManager::scheduleFlush() {
    if (d->flushScheduled)
        return;
    d->flushScheduled = true;
    // One batch per event-loop turn: a burst of feed messages becomes one model update.
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

QString FuturesOrderManager::keyFor(const QString &cliOrdId, const QString &orderId) const {
    if (!cliOrdId.isEmpty() && d->orders.contains(cliOrdId))
        return cliOrdId;
    if (!orderId.isEmpty()) {
        if (d->orders.contains(u"ext:"_s + orderId))
            return u"ext:"_s + orderId;
        const QString cl = d->clByOrderId.value(orderId);
        if (!cl.isEmpty())
            return cl;
    }
    return {};
}

void FuturesOrderManager::addFill(const FillRecord &fill) {
    if (fill.tradeId.isEmpty() || d->fillIds.contains(fill.tradeId))
        return;
    if (const Error e = d->journal->appendFill(fill))
        qCWarning(lcFuturesOrders) << "journal fill write failed" << fill.tradeId << e.toString();
    d->fillIds.insert(fill.tradeId);
    d->fills.append(fill);
    d->newFills.append(fill);
    // Filled size and average price summed from fills seen once each: a fill reported by the
    // feed and again by REST never counts twice.
    const QString cl = keyFor(fill.clOrdId, fill.orderId);
    if (!cl.isEmpty()) {
        OrderRecord r = d->orders.value(cl);
        const Decimal filled = add(r.filledQty, fill.qty);
        const auto notional = fill.price.times(fill.qty, 12);
        r.cumCost = add(r.cumCost, notional.value_or(Decimal()));
        if (filled > r.filledQty)
            r.filledQty = filled;
        if (!r.filledQty.isZero()) {
            const int places = std::max(fill.price.scale(), 1) + 2;
            r.avgPrice =
                r.cumCost.dividedBy(r.filledQty, std::min(places, 12)).value_or(fill.price);
        }
        if (!fill.fee.isZero()) {
            r.fees = add(r.fees, fill.fee);
            r.feeAsset = fill.feeAsset;
        }
        if (!r.qty.isZero() && r.filledQty >= r.qty)
            r.state = OrderState::Filled;
        else if (r.state == OrderState::Open || r.state == OrderState::PendingNew ||
                 r.state == OrderState::Unknown)
            r.state = OrderState::PartiallyFilled;
        if (r.state == OrderState::Filled || r.state == OrderState::PartiallyFilled)
            r.reason.clear();
        store(r, u"fill "_s + fill.tradeId + u" "_s + fill.qty.toString() + u" @ "_s +
                     fill.price.toString());
    }
    scheduleFlush();
}

FillRecord FuturesOrderManager::fillFrom(const futures::FuturesFill &f) const {
    FillRecord r;
    r.tradeId = f.fillId;
    r.orderId = f.orderId;
    r.clOrdId = keyFor(f.cliOrdId, f.orderId);
    r.symbol = f.symbol.toUpper();
    r.side = f.side == u"sell"_s ? OrderSide::Sell : OrderSide::Buy;
    r.price = f.price;
    r.qty = f.size;
    r.cost = f.price.times(f.size, 12).value_or(Decimal());
    r.maker = f.fillType == u"maker"_s;
    r.timeMs = msOf(f.fillTime);
    return r;
}

FillRecord FuturesOrderManager::fillFrom(const fws::FillEvent &f) const {
    FillRecord r;
    r.tradeId = f.fillId;
    r.orderId = f.orderId;
    r.clOrdId = keyFor(f.cliOrdId, f.orderId);
    r.symbol = f.instrument.toUpper();
    r.side = f.buy ? OrderSide::Buy : OrderSide::Sell;
    r.price = f.price;
    r.qty = f.qty;
    r.cost = f.price.times(f.qty, 12).value_or(Decimal());
    r.fee = f.feePaid.value_or(Decimal());
    r.feeAsset = f.feeCurrency;
    r.maker = f.fillType == u"maker"_s;
    r.timeMs = f.timeMs ? f.timeMs : nowMs();
    return r;
}

// ---------------------------------------------------------------------------------------------
// Start and submission

void FuturesOrderManager::start() {
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
    d->pollTimer->start();
    reconcile(u"start-up"_s);
}

QString FuturesOrderManager::submit(const futures::FuturesOrderRequest &request) {
    OrderRecord r;
    r.clOrdId = newClOrdId();
    r.symbol = request.symbol.toUpper();
    r.side = request.side == futures::FuturesSide::Buy ? OrderSide::Buy : OrderSide::Sell;
    r.orderType = futures::wireName(request.orderType);
    r.timeInForce = (request.orderType == futures::FuturesOrderType::ImmediateOrCancel ||
                     request.orderType == futures::FuturesOrderType::Market)
                        ? u"IOC"_s
                        : u"GTC"_s;
    r.qty = request.size;
    r.limitPrice = request.limitPrice;
    r.triggerPrice = request.stopPrice;
    r.triggerReference = signalName(request.triggerSignal);
    if (r.triggerReference.isEmpty() && isTriggerType(r.orderType))
        r.triggerReference = u"last"_s; // Kraken's default trigger signal
    r.postOnly = request.orderType == futures::FuturesOrderType::PostOnly;
    r.reduceOnly = request.reduceOnly;
    r.state = OrderState::PendingNew;
    r.viaWebSocket = false; // Futures order entry is REST only
    r.createdMs = nowMs();
    r.updatedMs = r.createdMs;

    const QString local = request.validationError(d->instruments.find(r.symbol));
    const Error journalError =
        local.isEmpty() ? d->journal->writeOrder(r, u"submit (rest)"_s) : Error();
    if (!local.isEmpty() || journalError) {
        r.state = OrderState::Rejected;
        r.reason = !local.isEmpty() ? QString(u"Not sent: "_s + local)
                                    : QString(u"Not sent: the journal could not record it ("_s +
                                              journalError.message() + u")"_s);
        d->order.append(r.clOrdId);
        d->orders.insert(r.clOrdId, r);
        d->changed.insert(r.clOrdId);
        scheduleFlush();
        Q_EMIT errorOccurred(r.clOrdId, journalError ? journalError
                                                     : Error(Error::Category::InvalidInput, local));
        return r.clOrdId;
    }
    d->order.append(r.clOrdId);
    d->orders.insert(r.clOrdId, r);
    d->changed.insert(r.clOrdId);
    scheduleFlush();

    futures::FuturesOrderRequest req = request;
    req.cliOrdId = r.clOrdId;
    const QString cl = r.clOrdId;
    d->inFlight[cl]++;
    d->rest->sendOrder(req).then(this, [this, cl](Result<futures::FuturesOrderStatus> res) {
        d->inFlight[cl]--;
        if (res)
            onPlaced(cl, res.value());
        else
            onPlaceFailed(cl, res.error());
    });
    return cl;
}

void FuturesOrderManager::onPlaced(const QString &cl, const futures::FuturesOrderStatus &status) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (!status.orderId.isEmpty())
        r.orderId = status.orderId;
    // The feed may already have moved it further (a market order filled before its answer
    // arrived): an answer never moves an order back.
    if (r.state == OrderState::PendingNew || r.state == OrderState::Unknown) {
        r.state = OrderState::Open;
        r.reason.clear();
    }
    bool cancelled = false;
    bool executed = status.status == u"filled"_s || status.status == u"partiallyFilled"_s;
    QString cancelReason;
    for (const futures::FuturesOrderEvent &e : status.events) {
        if (e.type == u"EXECUTION"_s)
            executed = true;
        if (e.type == u"CANCEL"_s) {
            cancelled = true;
            cancelReason = e.reason;
        }
    }
    // An ioc or market order's rest is cancelled in the same answer.
    if (cancelled && !isTerminal(r.state)) {
        r.state = OrderState::Cancelled;
        r.reason = cancelReason.isEmpty() ? u"Cancelled by Kraken"_s
                                          : u"Cancelled by Kraken ("_s + cancelReason + u")"_s;
    }
    store(r, u"acknowledged "_s + status.status + u" "_s + r.orderId);
    // The fills say how much traded; without the feed they come from REST.
    if (executed && !wsLive())
        d->accountTimer->start();
}

void FuturesOrderManager::onPlaceFailed(const QString &cl, const Error &error) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (error.outcomeUnknown()) {
        if (r.state == OrderState::PendingNew) {
            r.state = OrderState::Unknown;
            r.reason = u"No answer from Kraken Futures ("_s + error.message() +
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
// Asking Kraken about one order: Futures has no per-order query, so the open orders and the
// recent fills answer.

void FuturesOrderManager::resolveOrder(const QString &cl, bool placementUnknown) {
    if (!d->orders.contains(cl))
        return;
    const int attempt = ++d->unknownAttempts[cl];
    const qint64 delay =
        std::min<qint64>(qint64(d->config.unknownRetryMs) << std::min(attempt - 1, 5), 30'000);
    QTimer::singleShot(delay, this,
                       [this, cl, placementUnknown] { queryOrder(cl, placementUnknown); });
}

void FuturesOrderManager::queryOrder(const QString &cl, bool placementUnknown) {
    if (!d->orders.contains(cl))
        return;
    auto failed = [this, cl, placementUnknown](const Error &e) {
        // Could not ask: an unreachable Kraken says nothing about the order. Ask again later.
        qCInfo(lcFuturesOrders) << "query for" << cl << "failed:" << e.toString();
        QTimer::singleShot(3000, this,
                           [this, cl, placementUnknown] { queryOrder(cl, placementUnknown); });
    };
    d->rest->openOrders().then(this, [this, cl, placementUnknown,
                                      failed](Result<QList<futures::FuturesOpenOrder>> open) {
        if (!open)
            return failed(open.error());
        const OrderRecord r = d->orders.value(cl);
        for (const futures::FuturesOpenOrder &o : open.value()) {
            if (o.cliOrdId == cl || (!r.orderId.isEmpty() && o.orderId == r.orderId)) {
                ExchangeOrder x;
                x.orderId = o.orderId;
                x.cliOrdId = o.cliOrdId;
                x.symbol = o.symbol;
                x.type = o.orderType;
                x.buy = o.side != u"sell"_s;
                x.qty = add(o.unfilledSize, o.filledSize);
                x.filled = o.filledSize;
                x.limitPrice = o.limitPrice;
                x.stopPrice = o.stopPrice;
                x.triggerSignal = o.triggerSignal;
                x.reduceOnly = o.reduceOnly;
                x.timeMs = msOf(o.receivedTime);
                applyOrder(x, u"resolved: open at Kraken"_s);
                d->unknownAttempts.remove(cl);
                return;
            }
        }
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(r.createdMs - 60'000, Qt::UTC);
        d->rest->fills({}, since).then(
            this, [this, cl, placementUnknown, failed](Result<QList<futures::FuturesFill>> fills) {
                if (!fills)
                    return failed(fills.error());
                OrderRecord cur = d->orders.value(cl);
                bool traded = false;
                for (const futures::FuturesFill &f : fills.value()) {
                    if (f.cliOrdId == cl || (!cur.orderId.isEmpty() && f.orderId == cur.orderId)) {
                        if (cur.orderId.isEmpty() && !f.orderId.isEmpty()) {
                            cur.orderId = f.orderId;
                            store(cur, u"resolved: traded at Kraken as "_s + f.orderId);
                        }
                        addFill(fillFrom(f));
                        traded = true;
                    }
                }
                if (traded || !placementUnknown) {
                    d->unknownAttempts.remove(cl);
                    settleClosed(cl, traded ? u"resolved: traded at Kraken"_s
                                            : u"resolved: no longer open at Kraken"_s);
                    return;
                }
                cur = d->orders.value(cl);
                if (cur.state != OrderState::Unknown && cur.state != OrderState::PendingNew) {
                    d->unknownAttempts.remove(cl);
                    return;
                }
                if (d->unknownAttempts.value(cl) >= d->config.unknownMaxAttempts) {
                    d->unknownAttempts.remove(cl);
                    cur.state = OrderState::Rejected;
                    cur.reason = u"Kraken Futures lists no open order and no fill with this "
                                 u"cliOrdId: it did not reach Kraken (or did not trade) and was "
                                 u"not sent again."_s;
                    store(cur, u"resolved: not found at Kraken"_s);
                    return;
                }
                resolveOrder(cl, true);
            });
    });
}

void FuturesOrderManager::settleClosed(const QString &cl, const QString &detail) {
    OrderRecord r = d->orders.value(cl);
    if (isTerminal(r.state))
        return;
    if (!r.qty.isZero() && r.filledQty >= r.qty) {
        r.state = OrderState::Filled;
        r.reason.clear();
    } else {
        r.state = OrderState::Cancelled;
        r.reason = r.filledQty.isZero()
                       ? u"No longer open at Kraken Futures, without fills (cancelled)"_s
                       : u"No longer open at Kraken Futures after %1 of %2 filled"_s.arg(
                             r.filledQty.toString(), r.qty.toString());
    }
    store(r, detail);
}

// ---------------------------------------------------------------------------------------------
// Applying what Kraken says

void FuturesOrderManager::applyOrder(const ExchangeOrder &x, const QString &detail) {
    const QString cl = keyFor(x.cliOrdId, x.orderId);
    const bool known = !cl.isEmpty();
    OrderRecord r;
    if (known) {
        r = d->orders.value(cl);
    } else {
        if (x.orderId.isEmpty())
            return;
        // Placed elsewhere (Kraken's web UI, another program): adopted under its own cliOrdId
        // when it has one, else under its order id.
        r.clOrdId = !x.cliOrdId.isEmpty() ? x.cliOrdId : u"ext:"_s + x.orderId;
        r.createdMs = x.timeMs ? x.timeMs : nowMs();
        r.timeInForce = u"GTC"_s;
        r.viaWebSocket = false;
        r.state = OrderState::Open;
        r.orderType = wireType(x.type);
        r.reduceOnly = x.reduceOnly;
    }
    const OrderRecord before = r;
    r.orderId = x.orderId;
    if (!x.symbol.isEmpty())
        r.symbol = x.symbol.toUpper();
    r.side = x.buy ? OrderSide::Buy : OrderSide::Sell;
    if (!x.qty.isZero())
        r.qty = x.qty;
    if (x.filled > r.filledQty)
        r.filledQty = x.filled;
    if (x.limitPrice)
        r.limitPrice = x.limitPrice;
    if (x.stopPrice)
        r.triggerPrice = x.stopPrice;
    if (!x.triggerSignal.isEmpty())
        r.triggerReference = signalFromReport(x.triggerSignal);
    const OrderState next = r.filledQty.isZero() ? OrderState::Open : OrderState::PartiallyFilled;
    const bool pending =
        r.state == OrderState::PendingCancel || r.state == OrderState::PendingAmend;
    // A request out for this order: the listing of the moment may predate it.
    if (!isTerminal(r.state) && !(pending && d->inFlight.value(r.clOrdId) > 0)) {
        r.state = next;
        if (before.state == OrderState::Unknown || pending)
            r.reason.clear();
    }
    if (!known || r.state != before.state || r.filledQty != before.filledQty ||
        r.orderId != before.orderId || r.qty != before.qty || r.limitPrice != before.limitPrice ||
        r.triggerPrice != before.triggerPrice)
        store(r, detail);
}

void FuturesOrderManager::onOpenOrders(const fws::OpenOrdersEvent &event) {
    auto toExchange = [](const fws::OpenOrder &o) {
        ExchangeOrder x;
        x.orderId = o.orderId;
        x.cliOrdId = o.cliOrdId;
        x.symbol = o.instrument;
        x.type = o.type;
        x.buy = o.buy;
        x.qty = o.qty;
        x.filled = o.filled;
        x.limitPrice = o.limitPrice;
        x.stopPrice = o.stopPrice;
        x.triggerSignal = o.triggerSignal;
        x.reduceOnly = o.reduceOnly;
        x.timeMs = o.timeMs;
        return x;
    };
    if (event.snapshot) {
        QSet<QString> open;
        for (const fws::OpenOrder &o : event.orders) {
            open.insert(o.orderId);
            applyOrder(toExchange(o), u"feed: open orders snapshot"_s);
        }
        // Every open order is listed: a working order of ours missing from it closed while we
        // were not listening. Ask how.
        for (const QString &cl : std::as_const(d->order)) {
            const OrderRecord &r = d->orders[cl];
            if (!r.orderId.isEmpty() && isWorking(r.state) && r.state != OrderState::PendingNew &&
                !open.contains(r.orderId) && d->inFlight.value(cl) == 0)
                queryOrder(cl, false);
        }
        return;
    }
    for (const fws::OpenOrder &o : event.orders)
        applyOrder(toExchange(o), u"feed: "_s + event.reason);
    if (!event.orders.isEmpty())
        return;
    // Only an order id: the order has left the book, fully filled or cancelled.
    const QString cl = keyFor({}, event.orderId);
    if (cl.isEmpty())
        return;
    OrderRecord r = d->orders.value(cl);
    if (isTerminal(r.state))
        return;
    if (event.reason == u"full_fill"_s) {
        r.state = OrderState::Filled;
        r.reason.clear();
    } else if (event.isCancel) {
        r.state = OrderState::Cancelled;
        r.reason = event.reason == u"cancelled_by_user"_s
                       ? QString()
                       : u"Cancelled by Kraken: "_s + event.reason;
    } else {
        return;
    }
    store(r, u"feed: "_s + event.reason);
}

void FuturesOrderManager::onFills(const fws::FillsEvent &event) {
    QList<fws::FillEvent> list = event.fills;
    std::sort(list.begin(), list.end(),
              [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; });
    for (const fws::FillEvent &f : std::as_const(list))
        addFill(fillFrom(f));
}

void FuturesOrderManager::onPositions(const fws::PositionsEvent &event) {
    d->positionsFromFeed = true;
    QMap<QString, PositionRecord> next;
    for (const fws::Position &p : event.positions) {
        if (p.balance.isZero())
            continue;
        const QString symbol = p.instrument.toUpper();
        // What the feed does not carry (funding, leverage, time) stays from REST.
        PositionRecord r = d->positions.value(symbol);
        r.symbol = symbol;
        r.size = p.balance;
        if (p.entryPrice)
            r.entryPrice = *p.entryPrice;
        if (p.markPrice)
            r.markPrice = p.markPrice;
        r.unrealizedPnl = p.pnl;
        if (!p.pnlCurrency.isEmpty())
            r.pnlCurrency = p.pnlCurrency;
        if (p.liquidationThreshold && !p.liquidationThreshold->isZero())
            r.liquidationPrice = p.liquidationThreshold;
        next.insert(symbol, r);
    }
    d->positions = next;
    Q_EMIT positionsChanged(d->positions.values());
}

void FuturesOrderManager::onBalances(const fws::BalancesEvent &event) {
    QMap<QString, MarginRecord> next = event.snapshot ? QMap<QString, MarginRecord>() : d->margins;
    for (auto it = event.holding.cbegin(); it != event.holding.cend(); ++it) {
        MarginRecord m;
        m.account = u"cash"_s;
        m.currency = it.key().toUpper();
        m.balance = it.value();
        next.insert(m.account + u'/' + m.currency, m);
    }
    for (auto it = event.futures.cbegin(); it != event.futures.cend(); ++it) {
        const fws::MarginAccount &a = it.value();
        MarginRecord m;
        // "F-XBT:USD" on the feed is "fi_xbtusd" in /accounts: one name for both.
        QString name = (a.name.isEmpty() ? it.key() : a.name).toLower();
        if (name.startsWith(u"f-"_s))
            name = u"fi_"_s + name.mid(2).remove(u':').remove(u'/');
        m.account = name;
        m.currency = a.unit.toUpper();
        m.balance = a.balance.value_or(Decimal());
        m.portfolioValue = a.portfolioValue;
        m.availableMargin = a.available;
        m.initialMargin = a.initialMargin;
        m.maintenanceMargin = a.maintenanceMargin;
        m.unrealizedPnl = a.pnl;
        m.unrealizedFunding = a.unrealizedFunding;
        next.insert(m.account + u'/' + m.currency, m);
    }
    if (event.flexFutures) {
        const fws::FlexFutures &f = *event.flexFutures;
        MarginRecord m;
        m.account = u"flex"_s;
        m.currency = u"USD"_s;
        m.balance = f.balanceValue.value_or(Decimal());
        m.portfolioValue = f.portfolioValue;
        m.availableMargin = f.availableMargin;
        m.initialMargin = f.initialMargin;
        m.maintenanceMargin = f.maintenanceMargin;
        m.unrealizedPnl = f.totalUnrealized ? f.totalUnrealized : f.pnl;
        m.unrealizedFunding = f.unrealizedFunding;
        next.insert(u"flex/USD"_s, m);
    }
    d->margins = next;
    Q_EMIT marginsChanged(d->margins.values());
}

void FuturesOrderManager::applyAccounts(const futures::FuturesAccounts &accounts) {
    QMap<QString, MarginRecord> next;
    for (const futures::FuturesAccount &a : accounts.accounts) {
        const QString name = a.name.toLower();
        if (a.type == u"multiCollateralMarginAccount"_s || name == u"flex"_s) {
            MarginRecord m;
            m.account = u"flex"_s;
            m.currency = u"USD"_s;
            m.balance = a.value(u"balanceValue"_s).value_or(Decimal());
            m.portfolioValue = a.value(u"portfolioValue"_s);
            m.availableMargin = a.value(u"availableMargin"_s);
            m.initialMargin = a.value(u"initialMargin"_s);
            m.maintenanceMargin = a.value(u"maintenanceMargin"_s);
            m.unrealizedPnl = a.value(u"totalUnrealized"_s);
            if (!m.unrealizedPnl)
                m.unrealizedPnl = a.value(u"pnl"_s);
            m.unrealizedFunding = a.value(u"unrealizedFunding"_s);
            next.insert(u"flex/USD"_s, m);
        } else if (a.type == u"marginAccount"_s) {
            MarginRecord m;
            m.account = name;
            m.currency = a.currency.toUpper();
            m.balance = a.balances.value(a.currency.toLower(),
                                         a.balances.isEmpty() ? Decimal() : a.balances.first());
            m.portfolioValue = a.auxiliary.contains(u"pv"_s)
                                   ? std::optional<Decimal>(a.auxiliary.value(u"pv"_s))
                                   : std::nullopt;
            if (a.auxiliary.contains(u"af"_s))
                m.availableMargin = a.auxiliary.value(u"af"_s);
            if (a.auxiliary.contains(u"pnl"_s))
                m.unrealizedPnl = a.auxiliary.value(u"pnl"_s);
            if (a.auxiliary.contains(u"funding"_s))
                m.unrealizedFunding = a.auxiliary.value(u"funding"_s);
            if (a.marginRequirements.contains(u"im"_s))
                m.initialMargin = a.marginRequirements.value(u"im"_s);
            if (a.marginRequirements.contains(u"mm"_s))
                m.maintenanceMargin = a.marginRequirements.value(u"mm"_s);
            next.insert(m.account + u'/' + m.currency, m);
        } else {
            for (auto it = a.balances.cbegin(); it != a.balances.cend(); ++it) {
                if (it.value().isZero())
                    continue;
                MarginRecord m;
                m.account = u"cash"_s;
                m.currency = it.key().toUpper();
                m.balance = it.value();
                next.insert(m.account + u'/' + m.currency, m);
            }
        }
    }
    d->margins = next;
    Q_EMIT marginsChanged(d->margins.values());
}

// Positions (with marks and PnL from the tickers) and margin over REST: at reconciliation and
// whenever the feeds are not there to push them.
void FuturesOrderManager::refreshAccount() {
    d->rest->accounts().then(this, [this](Result<futures::FuturesAccounts> res) {
        if (!res) {
            Q_EMIT errorOccurred({}, res.error());
            return;
        }
        applyAccounts(res.value());
    });
    if (!wsLive()) {
        // Fills the feed would have pushed; dedup makes asking again harmless.
        d->rest->fills().then(this, [this](Result<QList<futures::FuturesFill>> res) {
            if (!res)
                return;
            QList<futures::FuturesFill> list = res.value();
            std::sort(list.begin(), list.end(),
                      [](const auto &a, const auto &b) { return a.fillTime < b.fillTime; });
            for (const futures::FuturesFill &f : std::as_const(list))
                addFill(fillFrom(f));
        });
    }
    d->rest->openPositions().then(this, [this](Result<QList<futures::FuturesPosition>> res) {
        if (!res) {
            Q_EMIT errorOccurred({}, res.error());
            return;
        }
        const QList<futures::FuturesPosition> list = res.value();
        auto apply = [this, list] {
            QMap<QString, PositionRecord> next;
            for (const futures::FuturesPosition &p : list) {
                const QString symbol = p.symbol.toUpper();
                PositionRecord r = d->positions.value(symbol);
                r.symbol = symbol;
                r.size = p.side == u"short"_s ? p.size.abs().negated() : p.size.abs();
                r.entryPrice = p.price;
                r.unrealizedFunding = p.unrealizedFunding;
                r.maxFixedLeverage = p.maxFixedLeverage;
                r.fillTimeMs = msOf(p.fillTime);
                if (!p.pnlCurrency.isEmpty())
                    r.pnlCurrency = p.pnlCurrency.toUpper();
                const futures::FuturesInstrument *in = d->instruments.find(symbol);
                if (r.pnlCurrency.isEmpty() && in)
                    r.pnlCurrency = in->isInverse() ? in->base() : in->quote();
                // The feed's mark and PnL are fresher; REST's tickers stand in without it.
                if (!d->positionsFromFeed || !wsLive()) {
                    if (d->marks.contains(symbol))
                        r.markPrice = d->marks.value(symbol);
                    if (r.markPrice && in && !r.entryPrice.isZero())
                        r.unrealizedPnl = unrealizedPnl(*in, r.size, r.entryPrice, *r.markPrice);
                }
                if (!r.size.isZero())
                    next.insert(symbol, r);
            }
            d->positions = next;
            Q_EMIT positionsChanged(d->positions.values());
        };
        if (list.isEmpty() || (d->positionsFromFeed && wsLive()))
            return apply();
        d->rest->tickers().then(this, [this, apply](Result<QList<futures::FuturesTicker>> t) {
            if (t) {
                for (const futures::FuturesTicker &k : t.value()) {
                    if (k.markPrice)
                        d->marks.insert(k.symbol.toUpper(), *k.markPrice);
                }
            }
            apply();
        });
    });
}

// ---------------------------------------------------------------------------------------------
// Edit and cancel

void FuturesOrderManager::edit(const QString &cl, std::optional<Decimal> size,
                               std::optional<Decimal> limitPrice,
                               std::optional<Decimal> stopPrice) {
    if (!d->orders.contains(cl))
        return;
    OrderRecord r = d->orders.value(cl);
    if (r.state != OrderState::Open && r.state != OrderState::PartiallyFilled) {
        Q_EMIT errorOccurred(cl, Error(Error::Category::InvalidInput,
                                       u"Only an open order can be edited (this one is %1)"_s.arg(
                                           orderStateName(r.state))));
        return;
    }
    futures::FuturesEditRequest req;
    if (r.clOrdId.startsWith(u"ext:"_s))
        req.orderId = r.orderId;
    else
        req.cliOrdId = r.clOrdId;
    req.size = size;
    req.limitPrice = limitPrice;
    req.stopPrice = stopPrice;
    if (const QString why = req.validationError(); !why.isEmpty()) {
        Q_EMIT errorOccurred(cl, Error(Error::Category::InvalidInput, why));
        return;
    }
    const OrderState previous = r.state;
    r.state = OrderState::PendingAmend;
    QStringList what;
    if (size)
        what << u"size "_s + size->toString();
    if (limitPrice)
        what << u"price "_s + limitPrice->toString();
    if (stopPrice)
        what << u"stop "_s + stopPrice->toString();
    store(r, u"edit "_s + what.join(u", "_s));
    d->inFlight[cl]++;
    d->rest->editOrder(req).then(this, [this, cl, previous, size, limitPrice,
                                        stopPrice](Result<futures::FuturesOrderStatus> res) {
        d->inFlight[cl]--;
        OrderRecord cur = d->orders.value(cl);
        if (res) {
            if (cur.state == OrderState::PendingAmend) {
                if (size)
                    cur.qty = *size;
                if (limitPrice)
                    cur.limitPrice = limitPrice;
                if (stopPrice)
                    cur.triggerPrice = stopPrice;
                cur.state = cur.filledQty.isZero() ? OrderState::Open : OrderState::PartiallyFilled;
                cur.reason.clear();
                store(cur, u"edited"_s);
            }
            return;
        }
        Q_EMIT errorOccurred(cl, res.error());
        if (res.error().outcomeUnknown()) {
            queryOrder(cl, false);
            return;
        }
        if (cur.state == OrderState::PendingAmend) {
            cur.state = previous;
            cur.reason = u"Edit refused: "_s + res.error().message();
            store(cur, u"edit refused: "_s + res.error().toString());
        }
    });
}

void FuturesOrderManager::cancel(const QStringList &clOrdIds) {
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
        d->inFlight[cl]++;
        d->rest->cancelOrder(ext ? r.orderId : QString(), ext ? QString() : r.clOrdId)
            .then(this, [this, cl, previous](Result<futures::FuturesOrderStatus> res) {
                d->inFlight[cl]--;
                OrderRecord cur = d->orders.value(cl);
                if (res) {
                    if (cur.state == OrderState::PendingCancel) {
                        cur.state = OrderState::Cancelled;
                        cur.reason.clear();
                        store(cur, u"cancelled"_s);
                    }
                    return;
                }
                const Error &error = res.error();
                if (error.outcomeUnknown() || error.krakenErrors().contains(u"notFound"_s)) {
                    // Not found: most likely filled or cancelled meanwhile; ask.
                    queryOrder(cl, false);
                    if (!error.outcomeUnknown())
                        return;
                } else if (cur.state == OrderState::PendingCancel) {
                    cur.state = previous;
                    cur.reason = u"Cancel refused: "_s + error.message();
                    store(cur, u"cancel refused: "_s + error.toString());
                }
                Q_EMIT errorOccurred(cl, error);
            });
    }
}

void FuturesOrderManager::cancelAll(const QString &symbol) {
    for (const QString &cl : std::as_const(d->order)) {
        OrderRecord r = d->orders.value(cl);
        if (!symbol.isEmpty() && r.symbol.compare(symbol, Qt::CaseInsensitive) != 0)
            continue;
        if (r.state == OrderState::Open || r.state == OrderState::PartiallyFilled ||
            r.state == OrderState::PendingAmend) {
            r.state = OrderState::PendingCancel;
            store(r, u"cancel all"_s);
        }
    }
    d->rest->cancelAllOrders(symbol).then(this, [this](Result<futures::FuturesCancelAllStatus> r) {
        if (r) {
            for (const auto &[orderId, cliOrdId] : r->cancelledOrders) {
                const QString cl = keyFor(cliOrdId, orderId);
                OrderRecord cur = d->orders.value(cl);
                if (!cl.isEmpty() && !isTerminal(cur.state)) {
                    cur.state = OrderState::Cancelled;
                    cur.reason.clear();
                    store(cur, u"cancelled (cancel all)"_s);
                }
            }
        } else {
            Q_EMIT errorOccurred({}, r.error());
        }
        // Whatever the answer, Kraken's own lists say which orders are gone.
        reconcile(u"cancel all"_s);
    });
}

QString FuturesOrderManager::closePosition(const QString &symbol, const Decimal &signedSize) {
    if (signedSize.isZero())
        return {};
    futures::FuturesOrderRequest req;
    req.orderType = futures::FuturesOrderType::Market;
    req.symbol = symbol;
    req.side = signedSize.isNegative() ? futures::FuturesSide::Buy : futures::FuturesSide::Sell;
    req.size = signedSize.abs();
    // Reduce-only: if the position changed meanwhile, this can never open the other side.
    req.reduceOnly = true;
    return submit(req);
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

void FuturesOrderManager::reconcile(const QString &why) {
    if (d->reconciling) {
        d->reconcileAgain = why;
        return;
    }
    d->reconciling = true;
    Q_EMIT reconcileStarted(why);
    qCInfo(lcFuturesOrders) << "reconciling:" << why;

    const QString point = d->journal->meta(u"reconciled_until"_s);
    const qint64 startedAt = nowMs();
    // Kraken returns the last 100 fills without a time filter: older ones were seen before.
    const QDateTime since =
        point.isEmpty() ? QDateTime()
                        : QDateTime::fromMSecsSinceEpoch(point.toLongLong() - 120'000, Qt::UTC);
    struct Tally {
        int open = 0, closed = 0, fills = 0, adopted = 0;
    };
    auto tally = std::make_shared<Tally>();
    auto openIds = std::make_shared<QSet<QString>>();

    auto fail = [this](const Error &e) {
        Q_EMIT errorOccurred({}, e);
        d->reconciling = false;
        const int delay = std::min(60'000, 2'000 << std::min(d->reconcileFailures++, 5));
        QTimer::singleShot(delay, this, [this] { reconcile(u"retry"_s); });
    };
    auto finish = [this, tally, startedAt] {
        d->reconcileFailures = 0;
        d->journal->setMeta(u"reconciled_until"_s, QString::number(startedAt));
        d->reconciling = false;
        refreshAccount();
        Q_EMIT reconciled(u"%1 open, %2 closed, %3 new fills, %4 adopted"_s.arg(tally->open)
                              .arg(tally->closed)
                              .arg(tally->fills)
                              .arg(tally->adopted));
        if (!d->reconcileAgain.isEmpty())
            reconcile(std::exchange(d->reconcileAgain, {}));
    };
    auto fillsStep = [this, since, tally, openIds, finish, fail] {
        d->rest->fills({}, since).then(
            this, [this, tally, openIds, finish, fail](Result<QList<futures::FuturesFill>> res) {
                if (!res)
                    return fail(res.error());
                QList<futures::FuturesFill> list = res.value();
                std::sort(list.begin(), list.end(),
                          [](const auto &a, const auto &b) { return a.fillTime < b.fillTime; });
                for (const futures::FuturesFill &f : std::as_const(list)) {
                    if (d->fillIds.contains(f.fillId))
                        continue;
                    addFill(fillFrom(f));
                    ++tally->fills;
                }
                // Working orders Kraken no longer lists: their fills (just added) say filled,
                // else cancelled. Orders never acknowledged are asked about by cliOrdId.
                const QStringList ids = d->order;
                for (const QString &cl : ids) {
                    const OrderRecord r = d->orders.value(cl);
                    if (!isWorking(r.state) && r.state != OrderState::Unknown)
                        continue;
                    if (d->inFlight.value(cl) > 0)
                        continue;
                    if (r.orderId.isEmpty()) {
                        if (!d->unknownAttempts.contains(cl))
                            resolveOrder(cl, true);
                        continue;
                    }
                    if (!openIds->contains(r.orderId)) {
                        settleClosed(cl, u"reconcile: no longer open"_s);
                        ++tally->closed;
                    }
                }
                finish();
            });
    };
    d->rest->openOrders().then(this, [this, openIds, tally, fillsStep,
                                      fail](Result<QList<futures::FuturesOpenOrder>> res) {
        if (!res)
            return fail(res.error());
        QList<futures::FuturesOpenOrder> list = res.value();
        std::sort(list.begin(), list.end(),
                  [](const auto &a, const auto &b) { return a.receivedTime < b.receivedTime; });
        for (const futures::FuturesOpenOrder &o : std::as_const(list)) {
            openIds->insert(o.orderId);
            if (keyFor(o.cliOrdId, o.orderId).isEmpty())
                ++tally->adopted;
            ExchangeOrder x;
            x.orderId = o.orderId;
            x.cliOrdId = o.cliOrdId;
            x.symbol = o.symbol;
            x.type = o.orderType;
            x.buy = o.side != u"sell"_s;
            x.qty = add(o.unfilledSize, o.filledSize);
            x.filled = o.filledSize;
            x.limitPrice = o.limitPrice;
            x.stopPrice = o.stopPrice;
            x.triggerSignal = o.triggerSignal;
            x.reduceOnly = o.reduceOnly;
            x.timeMs = msOf(o.receivedTime);
            applyOrder(x, u"reconcile: open"_s);
        }
        tally->open = int(list.size());
        fillsStep();
    });
}

// ---------------------------------------------------------------------------------------------
// Dead man's switch

void FuturesOrderManager::setDeadMansSwitch(int timeoutSeconds) {
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

void FuturesOrderManager::refreshDeadMansSwitch() {
    if (d->dmsTimeout > 0)
        sendDeadMansSwitch(d->dmsTimeout);
}

void FuturesOrderManager::sendDeadMansSwitch(int timeout) {
    d->rest->cancelAllOrdersAfter(timeout).then(
        this, [this, timeout](Result<futures::FuturesDeadManSwitch> res) {
            if (timeout != d->dmsTimeout)
                return; // superseded by a later setting
            if (!res) {
                Q_EMIT deadMansSwitchChanged(timeout > 0, d->dmsTriggerAtMs,
                                             u"refresh failed: "_s + res.error().message());
                return;
            }
            if (timeout == 0) {
                Q_EMIT deadMansSwitchChanged(false, 0, u"off"_s);
                return;
            }
            const qint64 at = msOf(res->triggerTime);
            d->dmsTriggerAtMs = at ? at : nowMs() + qint64(timeout) * 1000;
            Q_EMIT deadMansSwitchChanged(true, d->dmsTriggerAtMs, u"refreshed"_s);
        });
}

} // namespace model
