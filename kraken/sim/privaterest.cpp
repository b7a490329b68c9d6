#include "privaterest.h"

#include "faults.h"
#include "matchingengine.h"
#include "simjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr int PageSize = 50; // ClosedOrders, TradesHistory, Ledgers

QJsonValue epoch(qint64 ms) {
    return QJsonValue(double(ms) / 1000.0);
}

const SimPair &pairFor(const MatchingEngine &e, const QString &symbol) {
    static const SimPair none;
    const SimPair *p = e.config().pairBySymbol(symbol);
    return p ? *p : none;
}

QString restAssetCode(const MatchingEngine &e, const QString &display) {
    const SimAsset *a = e.config().assetByDisplay(display);
    return a ? a->code : display;
}

int assetDecimals(const MatchingEngine &e, const QString &display) {
    const SimAsset *a = e.config().assetByDisplay(display);
    return a ? a->decimals : 8;
}

// "+50.0", "-1.5%", "37500.0": a price as Kraken echoes it in descr.
QString specText(const PriceSpec &s, std::optional<Decimal> resolved, int pd) {
    if (s.type == PriceType::Static)
        return resolved ? resolved->toString(pd) : s.value.toString(pd);
    const QString sign = s.autoSign ? u"#"_s : (s.value.isNegative() ? u"-"_s : u"+"_s);
    if (s.type == PriceType::Pct)
        return sign % s.value.abs().normalized().toString() % u'%';
    return sign % s.value.abs().toString(pd);
}

QString priceText(const SimOrder &o, int pd) {
    if (hasTrigger(o.type))
        return o.triggerSpec ? specText(*o.triggerSpec,
                                        isTrailing(o.type) ? std::nullopt : o.triggerPrice, pd)
                             : u"0"_s;
    if (o.limitPrice)
        return o.limitPrice->toString(pd);
    return u"0"_s;
}

QString price2Text(const SimOrder &o, int pd) {
    if (!hasTrigger(o.type) || !o.limitSpec)
        return u"0"_s;
    if (o.type == OrderType::TrailingStopLimit) {
        PriceSpec s = *o.limitSpec;
        if (s.type == PriceType::Static)
            s.type = PriceType::Quote;
        return specText(s, std::nullopt, pd);
    }
    return specText(*o.limitSpec, o.limitPrice, pd);
}

QString oflags(const SimOrder &o) {
    QStringList f{o.feeInBase ? u"fcib"_s : u"fciq"_s};
    if (o.postOnly)
        f.append(u"post"_s);
    if (o.cashQty)
        f.append(u"viqc"_s);
    return f.join(u',');
}

// Kraken's "now or a time" forms: 0, <unix seconds>, +<seconds from now>.
std::optional<qint64> parseTimeParam(const QString &text, qint64 nowMs) {
    const QString t = text.trimmed();
    if (t.isEmpty() || t == u"0"_s)
        return qint64(0);
    bool ok = false;
    if (t.startsWith(u'+')) {
        const double s = t.mid(1).toDouble(&ok);
        return ok ? std::optional<qint64>(nowMs + qint64(s * 1000)) : std::nullopt;
    }
    const double s = t.toDouble(&ok);
    return ok ? std::optional<qint64>(qint64(s * 1000)) : std::nullopt;
}

// The `deadline` parameter: RFC 3339, at most 60 s ahead; an elapsed one rejects the call.
QString checkDeadline(const QJsonObject &params, qint64 nowMs) {
    const QString d = stringParam(params, u"deadline"_s);
    if (d.isEmpty())
        return {};
    const QDateTime t = QDateTime::fromString(d, Qt::ISODateWithMs);
    if (!t.isValid() || t.toMSecsSinceEpoch() > nowMs + 60000)
        return u"EGeneral:Invalid arguments:deadline"_s;
    if (t.toMSecsSinceEpoch() < nowMs)
        return u"EService:Deadline elapsed"_s;
    return {};
}

// A time filter (start/end) in unix seconds or an order/trade/ledger id.
std::optional<qint64> boundParam(const MatchingEngine &e, const QJsonObject &params,
                                 const QString &name) {
    const QString v = stringParam(params, name).trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double s = v.toDouble(&ok);
    if (ok)
        return qint64(s * 1000);
    if (const SimOrder *o = e.order(v))
        return o->openMs;
    if (const SimTrade *t = e.trade(v))
        return t->timeMs;
    if (const SimLedgerEntry *l = e.ledger(v))
        return l->timeMs;
    return std::nullopt;
}

// Kraken errors for order calls under a fault.
std::optional<RestResponse> orderFault(MatchingEngine &e) {
    if (e.faults() && e.faults()->takeOrderRateLimit())
        return RestResponse::error(u"EOrder:Rate limit exceeded"_s);
    return std::nullopt;
}

RestResponse withLostAck(MatchingEngine &e, RestResponse r) {
    if (r.errors.isEmpty() && e.faults() && e.faults()->takeLostOrderAck())
        r.loseAnswer = true;
    return r;
}

// AddOrder's parameters (also one AddOrderBatch entry, with the batch's pair).
QString parseAddOrder(const MatchingEngine &e, const QJsonObject &p, const QString &pairName,
                      OrderParams &out) {
    const SimPair *pair = e.config().pairByAnyName(pairName);
    if (pairName.isEmpty())
        return u"EGeneral:Invalid arguments:pair"_s;
    if (!pair)
        return u"EQuery:Unknown asset pair"_s;
    out.symbol = pair->instrument.symbol();
    const auto side = sideFromName(stringParam(p, u"type"_s));
    if (!side)
        return u"EGeneral:Invalid arguments:type"_s;
    out.side = *side;
    const auto ot = orderTypeFromName(stringParam(p, u"ordertype"_s));
    if (!ot)
        return u"EGeneral:Invalid arguments:ordertype"_s;
    out.type = *ot;
    const auto volume = decimalParam(p, u"volume"_s);
    if (!volume)
        return u"EGeneral:Invalid arguments:volume"_s;
    const QStringList flags = listParam(p, u"oflags"_s);
    for (const QString &f : flags) {
        if (f == u"post"_s)
            out.postOnly = true;
        else if (f == u"fcib"_s)
            out.feeInBase = true;
        else if (f == u"viqc"_s)
            out.cashQty = *volume;
        else if (f != u"fciq"_s && f != u"nompp"_s)
            return u"EGeneral:Invalid arguments:oflags"_s;
    }
    out.qty = *volume;
    if (p.contains(u"displayvol"_s)) {
        const auto dv = decimalParam(p, u"displayvol"_s);
        if (!dv)
            return u"EGeneral:Invalid arguments:displayvol"_s;
        out.displayQty = *dv;
    }
    const QString price = stringParam(p, u"price"_s), price2 = stringParam(p, u"price2"_s);
    std::optional<PriceSpec> ps, ps2;
    if (!price.isEmpty() && !(ps = parseRestPrice(price)))
        return u"EGeneral:Invalid arguments:price"_s;
    if (!price2.isEmpty() && !(ps2 = parseRestPrice(price2)))
        return u"EGeneral:Invalid arguments:price2"_s;
    if (hasTrigger(out.type)) {
        out.trigger = ps;
        out.limit = ps2;
        if (isTrailing(out.type) && ps &&
            (ps->type == PriceType::Static || ps->autoSign || ps->value.isNegative()))
            return u"EGeneral:Invalid arguments:price"_s; // trailing distances take "+"
    } else if (out.type != OrderType::Market) {
        out.limit = ps;
    }
    const QString trigger = stringParam(p, u"trigger"_s);
    if (!trigger.isEmpty() && trigger != u"last"_s && trigger != u"index"_s)
        return u"EGeneral:Invalid arguments:trigger"_s;
    const QString leverage = stringParam(p, u"leverage"_s);
    if (!leverage.isEmpty() && leverage != u"none"_s)
        return u"EGeneral:Invalid arguments:leverage"_s; // the paper exchange has no margin
    if (p.contains(u"close"_s) || p.contains(u"close[ordertype]"_s))
        return u"EGeneral:Invalid arguments:close"_s; // conditional close not simulated
    out.reduceOnly = boolParam(p, u"reduce_only"_s).value_or(false);
    const auto tif = timeInForceFromName(stringParam(p, u"timeinforce"_s));
    if (!tif)
        return u"EGeneral:Invalid arguments:timeinforce"_s;
    out.tif = *tif;
    const qint64 now = e.now();
    const auto start = parseTimeParam(stringParam(p, u"starttm"_s), now);
    if (!start || *start > now + 1000)
        return u"EGeneral:Invalid arguments:starttm"_s; // scheduled starts not simulated
    const auto expire = parseTimeParam(stringParam(p, u"expiretm"_s), now);
    if (!expire)
        return u"EGeneral:Invalid arguments:expiretm"_s;
    if (*expire > 0) {
        if (out.tif == TimeInForce::IOC)
            return u"EGeneral:Invalid arguments:expiretm"_s;
        out.tif = TimeInForce::GTD;
        out.expireMs = *expire;
    } else if (out.tif == TimeInForce::GTD) {
        return u"EGeneral:Invalid arguments:expiretm"_s;
    }
    if (p.contains(u"userref"_s)) {
        const auto ur = intParam(p, u"userref"_s);
        if (!ur || *ur < std::numeric_limits<qint32>::min() ||
            *ur > std::numeric_limits<qint32>::max())
            return u"EGeneral:Invalid arguments:userref"_s;
        out.userref = *ur;
    }
    out.clOrdId = stringParam(p, u"cl_ord_id"_s);
    if (out.clOrdId.size() > 36)
        return u"EGeneral:Invalid arguments:cl_ord_id"_s;
    out.validateOnly = boolParam(p, u"validate"_s).value_or(false);
    return {};
}

QJsonObject descrJson(const MatchingEngine &e, const SimOrder &o) {
    return QJsonObject{{u"order"_s, orderDescription(e, o)}};
}

RestResponse addOrder(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    if (QString d = checkDeadline(req.params, e.now()); !d.isEmpty())
        return RestResponse::error(d);
    OrderParams p;
    if (QString err = parseAddOrder(e, req.params, stringParam(req.params, u"pair"_s), p);
        !err.isEmpty())
        return RestResponse::error(err);
    const auto r = e.addOrder(req.accountId, p);
    if (!r.error.isEmpty())
        return RestResponse::error(r.error);
    QJsonObject result{{u"descr"_s, descrJson(e, r.order)}};
    if (!r.orderId.isEmpty())
        result.insert(u"txid"_s, QJsonArray{r.orderId});
    return withLostAck(e, RestResponse::ok(result));
}

RestResponse addOrderBatch(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    if (QString d = checkDeadline(req.params, e.now()); !d.isEmpty())
        return RestResponse::error(d);
    const QString pairName = stringParam(req.params, u"pair"_s);
    QJsonValue ordersValue = req.params.value(u"orders"_s);
    QJsonArray entries;
    if (ordersValue.isArray()) {
        entries = ordersValue.toArray();
    } else if (ordersValue.isObject()) { // form keys orders[0][...] may arrive as an object
        const QJsonObject o = ordersValue.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            entries.append(it.value());
    }
    if (entries.size() < 2 || entries.size() > 15)
        return RestResponse::error(u"EGeneral:Invalid arguments:orders"_s);
    const bool validate = boolParam(req.params, u"validate"_s).value_or(false);
    std::vector<OrderParams> params;
    std::vector<QString> parseErrors;
    for (const QJsonValue &v : entries) {
        OrderParams p;
        QString err = parseAddOrder(e, v.toObject(), pairName, p);
        if (err == u"EQuery:Unknown asset pair"_s || err == u"EGeneral:Invalid arguments:pair"_s)
            return RestResponse::error(err);
        p.validateOnly = validate;
        params.push_back(p);
        parseErrors.push_back(err);
    }
    // Entries that failed to parse are still sent to the engine as placeholders, so the
    // answer keeps the request's order; their result is replaced by the parse error.
    std::vector<OrderParams> toPlace;
    for (size_t i = 0; i < params.size(); ++i) {
        if (parseErrors[i].isEmpty()) {
            toPlace.push_back(params[i]);
        }
    }
    std::vector<MatchingEngine::AddResult> placed;
    if (toPlace.size() >= 2) {
        QString err;
        placed = e.addOrderBatch(req.accountId, toPlace, &err);
        if (!err.isEmpty())
            return RestResponse::error(err);
    } else {
        for (const OrderParams &p : toPlace)
            placed.push_back(e.addOrder(req.accountId, p));
    }
    QJsonArray out;
    size_t next = 0;
    for (size_t i = 0; i < params.size(); ++i) {
        if (!parseErrors[i].isEmpty()) {
            out.append(QJsonObject{{u"error"_s, parseErrors[i]}});
            continue;
        }
        const auto &r = placed[next++];
        if (!r.error.isEmpty()) {
            out.append(QJsonObject{{u"error"_s, r.error}});
            continue;
        }
        QJsonObject entry{{u"descr"_s, descrJson(e, r.order)}};
        if (!r.orderId.isEmpty())
            entry.insert(u"txid"_s, r.orderId);
        out.append(entry);
    }
    return withLostAck(e, RestResponse::ok(QJsonObject{{u"orders"_s, out}}));
}

RestResponse amendOrder(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    const QJsonObject &p = req.params;
    if (QString d = checkDeadline(p, e.now()); !d.isEmpty())
        return RestResponse::error(d);
    MatchingEngine::AmendParams a;
    a.orderId = stringParam(p, u"txid"_s);
    a.clOrdId = stringParam(p, u"cl_ord_id"_s);
    if (a.orderId.isEmpty() == a.clOrdId.isEmpty())
        return RestResponse::error(u"EGeneral:Invalid arguments:txid or cl_ord_id required"_s);
    auto dec = [&](const QString &name, std::optional<Decimal> &out) {
        if (!p.contains(name))
            return true;
        out = decimalParam(p, name);
        return out.has_value();
    };
    if (!dec(u"order_qty"_s, a.qty))
        return RestResponse::error(u"EGeneral:Invalid arguments:order_qty"_s);
    if (!dec(u"display_qty"_s, a.displayQty))
        return RestResponse::error(u"EGeneral:Invalid arguments:display_qty"_s);
    if (p.contains(u"limit_price"_s)) {
        a.limit = parseRestPrice(stringParam(p, u"limit_price"_s));
        if (!a.limit)
            return RestResponse::error(u"EGeneral:Invalid arguments:limit_price"_s);
    }
    if (p.contains(u"trigger_price"_s)) {
        a.trigger = parseRestPrice(stringParam(p, u"trigger_price"_s));
        if (!a.trigger)
            return RestResponse::error(u"EGeneral:Invalid arguments:trigger_price"_s);
    }
    if (p.contains(u"post_only"_s))
        a.postOnly = boolParam(p, u"post_only"_s);
    if (!a.qty && !a.displayQty && !a.limit && !a.trigger)
        return RestResponse::error(u"EGeneral:Invalid arguments:nothing to amend"_s);
    const auto r = e.amendOrder(req.accountId, a);
    if (!r.error.isEmpty())
        return RestResponse::error(r.error);
    return withLostAck(e, RestResponse::ok(QJsonObject{{u"amend_id"_s, r.amendId}}));
}

RestResponse editOrder(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    const QJsonObject &p = req.params;
    if (QString d = checkDeadline(p, e.now()); !d.isEmpty())
        return RestResponse::error(d);
    MatchingEngine::EditParams ep;
    ep.orderId = stringParam(p, u"txid"_s);
    const QString pairName = stringParam(p, u"pair"_s);
    if (ep.orderId.isEmpty() || pairName.isEmpty())
        return RestResponse::error(u"EGeneral:Invalid arguments"_s);
    const SimPair *pair = e.config().pairByAnyName(pairName);
    if (!pair)
        return RestResponse::error(u"EQuery:Unknown asset pair"_s);
    ep.symbol = pair->instrument.symbol();
    const SimOrder *orig = e.order(ep.orderId);
    if (p.contains(u"volume"_s)) {
        ep.qty = decimalParam(p, u"volume"_s);
        if (!ep.qty)
            return RestResponse::error(u"EGeneral:Invalid arguments:volume"_s);
    }
    if (p.contains(u"displayvol"_s)) {
        ep.displayQty = decimalParam(p, u"displayvol"_s);
        if (!ep.displayQty)
            return RestResponse::error(u"EGeneral:Invalid arguments:displayvol"_s);
    }
    const bool triggered = orig && hasTrigger(orig->type);
    if (p.contains(u"price"_s)) {
        const auto s = parseRestPrice(stringParam(p, u"price"_s));
        if (!s)
            return RestResponse::error(u"EGeneral:Invalid arguments:price"_s);
        (triggered ? ep.trigger : ep.limit) = s;
    }
    if (p.contains(u"price2"_s)) {
        const auto s = parseRestPrice(stringParam(p, u"price2"_s));
        if (!s)
            return RestResponse::error(u"EGeneral:Invalid arguments:price2"_s);
        ep.limit = s;
    }
    if (p.contains(u"oflags"_s))
        ep.postOnly = listParam(p, u"oflags"_s).contains(u"post"_s);
    if (p.contains(u"userref"_s))
        ep.userref = intParam(p, u"userref"_s);
    ep.validateOnly = boolParam(p, u"validate"_s).value_or(false);
    const auto r = e.editOrder(req.accountId, ep);
    if (!r.error.isEmpty())
        return RestResponse::error(r.error);
    const int pd = pair->instrument.pairDecimals();
    QJsonObject result{{u"descr"_s, descrJson(e, r.newOrder)},
                       {u"originaltxid"_s, r.originalOrderId},
                       {u"volume"_s, r.newOrder.qty.toString(pair->instrument.lotDecimals())},
                       {u"price"_s, priceText(r.newOrder, pd)},
                       {u"price2"_s, price2Text(r.newOrder, pd)},
                       {u"orders_cancelled"_s, ep.validateOnly ? 0 : 1},
                       {u"status"_s, u"ok"_s}};
    if (!r.newOrderId.isEmpty())
        result.insert(u"txid"_s, r.newOrderId);
    return withLostAck(e, RestResponse::ok(result));
}

RestResponse cancelOrder(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    QStringList refs = listParam(req.params, u"txid"_s);
    refs += listParam(req.params, u"cl_ord_id"_s);
    if (refs.isEmpty())
        return RestResponse::error(u"EGeneral:Invalid arguments:txid"_s);
    const auto r = e.cancelOrders(req.accountId, refs);
    if (!r.error.isEmpty())
        return RestResponse::error(r.error);
    return withLostAck(e, RestResponse::ok(QJsonObject{{u"count"_s, int(r.orderIds.size())},
                                                       {u"pending"_s, false}}));
}

RestResponse cancelAll(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    const int n = e.cancelAll(req.accountId);
    return withLostAck(e, RestResponse::ok(QJsonObject{{u"count"_s, n}}));
}

QString isoSeconds(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODate);
}

RestResponse cancelAllAfter(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    const auto timeout = intParam(req.params, u"timeout"_s);
    if (!timeout || *timeout < 0 || *timeout > 86400)
        return RestResponse::error(u"EGeneral:Invalid arguments:timeout"_s);
    const qint64 trigger = e.cancelAllOrdersAfter(req.accountId, int(*timeout));
    return RestResponse::ok(
        QJsonObject{{u"currentTime"_s, isoSeconds(e.now())},
                    {u"triggerTime"_s, trigger > 0 ? isoSeconds(trigger) : u"0"_s}});
}

RestResponse cancelOrderBatch(MatchingEngine &e, const RestRequest &req) {
    if (auto f = orderFault(e))
        return *f;
    QStringList refs;
    const QJsonValue orders = req.params.value(u"orders"_s);
    auto take = [&refs](const QJsonValue &v) {
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            const QString id = stringParam(o, u"txid"_s);
            if (!id.isEmpty())
                refs.append(id);
            const QString cl = stringParam(o, u"cl_ord_id"_s);
            if (!cl.isEmpty())
                refs.append(cl);
        } else if (v.isString()) {
            refs.append(v.toString());
        } else if (v.isDouble()) {
            refs.append(QString::number(v.toInteger()));
        }
    };
    if (orders.isArray()) {
        for (const QJsonValue &v : orders.toArray())
            take(v);
    } else if (orders.isObject()) {
        const QJsonObject o = orders.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            take(it.value());
    }
    refs += listParam(req.params, u"cl_ord_ids"_s);
    if (refs.isEmpty() || refs.size() > 50)
        return RestResponse::error(u"EGeneral:Invalid arguments:orders"_s);
    const auto r = e.cancelOrders(req.accountId, refs);
    if (!r.error.isEmpty())
        return RestResponse::error(r.error);
    return withLostAck(e, RestResponse::ok(QJsonObject{{u"count"_s, int(r.orderIds.size())}}));
}

// ---- account data

RestResponse balance(MatchingEngine &e, const RestRequest &req) {
    QJsonObject out;
    for (const QString &asset : e.assetsOf(req.accountId))
        out.insert(restAssetCode(e, asset),
                   e.balance(req.accountId, asset).toString(assetDecimals(e, asset)));
    return RestResponse::ok(out);
}

RestResponse balanceEx(MatchingEngine &e, const RestRequest &req) {
    QJsonObject out;
    for (const QString &asset : e.assetsOf(req.accountId)) {
        const int d = assetDecimals(e, asset);
        out.insert(restAssetCode(e, asset),
                   QJsonObject{{u"balance"_s, e.balance(req.accountId, asset).toString(d)},
                               {u"hold_trade"_s, e.held(req.accountId, asset).toString(d)}});
    }
    return RestResponse::ok(out);
}

// Price of one `asset` in `target`, from the last trades of a direct pair either way.
std::optional<Decimal> valueIn(const MatchingEngine &e, const QString &asset, const Decimal &amount,
                               const QString &target, int decimals) {
    if (asset == target)
        return amount.rescaled(decimals);
    for (const SimPair &p : e.config().pairs) {
        MarketSim *m = e.market(p.instrument.symbol());
        if (!m)
            continue;
        const auto last = m->lastPrice();
        if (!last)
            continue;
        if (p.instrument.base() == asset && p.instrument.quote() == target)
            return amount.times(*last, decimals);
        if (p.instrument.base() == target && p.instrument.quote() == asset)
            return amount.dividedBy(*last, decimals);
    }
    return std::nullopt;
}

RestResponse tradeBalance(MatchingEngine &e, const RestRequest &req) {
    QString target = stringParam(req.params, u"asset"_s);
    if (target.isEmpty())
        target = u"ZUSD"_s;
    const SimAsset *ta = nullptr;
    for (const SimAsset &a : e.config().assets) {
        if (a.code == target || a.altname == target || a.display == target)
            ta = &a;
    }
    if (!ta)
        return RestResponse::error(u"EQuery:Unknown asset"_s);
    const int d = ta->decimals;
    Decimal eb;
    for (const QString &asset : e.assetsOf(req.accountId)) {
        if (const auto v = valueIn(e, asset, e.balance(req.accountId, asset), ta->display, d))
            eb = eb.plus(*v).value_or(eb);
    }
    const QString zero = Decimal().toString(d);
    return RestResponse::ok(QJsonObject{{u"eb"_s, eb.toString(d)},
                                        {u"tb"_s, eb.toString(d)},
                                        {u"m"_s, zero},
                                        {u"n"_s, zero},
                                        {u"c"_s, zero},
                                        {u"v"_s, zero},
                                        {u"e"_s, eb.toString(d)},
                                        {u"mf"_s, eb.toString(d)},
                                        {u"uv"_s, zero}});
}

bool matchesFilters(const SimOrder &o, const QJsonObject &p) {
    if (p.contains(u"userref"_s)) {
        const auto ur = intParam(p, u"userref"_s);
        if (!ur || o.userref != *ur)
            return false;
    }
    const QString cl = stringParam(p, u"cl_ord_id"_s);
    return cl.isEmpty() || o.clOrdId == cl;
}

RestResponse openOrders(MatchingEngine &e, const RestRequest &req) {
    const bool withTrades = boolParam(req.params, u"trades"_s).value_or(false);
    QJsonObject open;
    for (const SimOrder &o : e.openOrders(req.accountId)) {
        if (matchesFilters(o, req.params))
            open.insert(o.id, restOrderJson(e, o, withTrades));
    }
    return RestResponse::ok(QJsonObject{{u"open"_s, open}});
}

RestResponse closedOrders(MatchingEngine &e, const RestRequest &req) {
    const QJsonObject &p = req.params;
    const bool withTrades = boolParam(p, u"trades"_s).value_or(false);
    const auto start = boundParam(e, p, u"start"_s), end = boundParam(e, p, u"end"_s);
    const QString closetime = stringParam(p, u"closetime"_s);
    const qint64 ofs = intParam(p, u"ofs"_s).value_or(0);
    if (ofs < 0)
        return RestResponse::error(u"EGeneral:Invalid arguments:ofs"_s);
    std::vector<SimOrder> rows;
    for (const SimOrder &o : e.closedOrders(req.accountId)) {
        if (!matchesFilters(o, p))
            continue;
        auto inRange = [&](qint64 t) { return (!start || t > *start) && (!end || t <= *end); };
        const bool ok = closetime == u"open"_s    ? inRange(o.openMs)
                        : closetime == u"close"_s ? inRange(o.closeMs)
                                                  : inRange(o.openMs) || inRange(o.closeMs);
        if (ok)
            rows.push_back(o);
    }
    QJsonObject closed;
    for (qsizetype i = ofs; i < qsizetype(rows.size()) && i < ofs + PageSize; ++i)
        closed.insert(rows[i].id, restOrderJson(e, rows[i], withTrades));
    return RestResponse::ok(QJsonObject{{u"closed"_s, closed}, {u"count"_s, qint64(rows.size())}});
}

RestResponse queryOrders(MatchingEngine &e, const RestRequest &req) {
    const QStringList ids = listParam(req.params, u"txid"_s);
    if (ids.isEmpty() || ids.size() > 50)
        return RestResponse::error(u"EGeneral:Invalid arguments:txid"_s);
    const bool withTrades = boolParam(req.params, u"trades"_s).value_or(false);
    QJsonObject out;
    for (const QString &id : ids) {
        const SimOrder *o = e.order(id);
        if (!o || o->accountId != req.accountId)
            return RestResponse::error(u"EOrder:Invalid order"_s);
        if (matchesFilters(*o, req.params))
            out.insert(id, restOrderJson(e, *o, withTrades));
    }
    return RestResponse::ok(out);
}

RestResponse tradesHistory(MatchingEngine &e, const RestRequest &req) {
    const QJsonObject &p = req.params;
    const auto start = boundParam(e, p, u"start"_s), end = boundParam(e, p, u"end"_s);
    const qint64 ofs = intParam(p, u"ofs"_s).value_or(0);
    if (ofs < 0)
        return RestResponse::error(u"EGeneral:Invalid arguments:ofs"_s);
    const QString type = stringParam(p, u"type"_s);
    if (!type.isEmpty() && type != u"all"_s && type != u"any position"_s &&
        type != u"closed position"_s && type != u"closing position"_s && type != u"no position"_s)
        return RestResponse::error(u"EGeneral:Invalid arguments:type"_s);
    const bool positionsOnly =
        type == u"any position"_s || type == u"closed position"_s || type == u"closing position"_s;
    const bool withLedgers = boolParam(p, u"ledgers"_s).value_or(false);
    std::vector<SimTrade> rows;
    if (!positionsOnly) { // spot only: no trade opens or closes a position
        for (const SimTrade &t : e.trades(req.accountId)) {
            if ((!start || t.timeMs > *start) && (!end || t.timeMs <= *end))
                rows.push_back(t);
        }
    }
    QJsonObject trades;
    for (qsizetype i = ofs; i < qsizetype(rows.size()) && i < ofs + PageSize; ++i)
        trades.insert(rows[i].id, restTradeJson(e, rows[i], withLedgers));
    return RestResponse::ok(QJsonObject{{u"trades"_s, trades}, {u"count"_s, qint64(rows.size())}});
}

RestResponse queryTrades(MatchingEngine &e, const RestRequest &req) {
    const QStringList ids = listParam(req.params, u"txid"_s);
    if (ids.isEmpty() || ids.size() > 20)
        return RestResponse::error(u"EGeneral:Invalid arguments:txid"_s);
    QJsonObject out;
    for (const QString &id : ids) {
        const SimTrade *t = e.trade(id);
        if (!t || t->accountId != req.accountId)
            return RestResponse::error(u"EGeneral:Invalid arguments:txid"_s);
        out.insert(id, restTradeJson(e, *t, false));
    }
    return RestResponse::ok(out);
}

QJsonObject ledgerJson(const MatchingEngine &e, const SimLedgerEntry &l) {
    const int d = assetDecimals(e, l.asset);
    return QJsonObject{{u"refid"_s, l.refId},
                       {u"time"_s, epoch(l.timeMs)},
                       {u"type"_s, l.type},
                       {u"subtype"_s, QString()},
                       {u"aclass"_s, u"currency"_s},
                       {u"asset"_s, restAssetCode(e, l.asset)},
                       {u"amount"_s, l.amount.toString(d)},
                       {u"fee"_s, l.fee.toString(d)},
                       {u"balance"_s, l.balance.toString(d)}};
}

RestResponse ledgers(MatchingEngine &e, const RestRequest &req) {
    const QJsonObject &p = req.params;
    const auto start = boundParam(e, p, u"start"_s), end = boundParam(e, p, u"end"_s);
    const qint64 ofs = intParam(p, u"ofs"_s).value_or(0);
    if (ofs < 0)
        return RestResponse::error(u"EGeneral:Invalid arguments:ofs"_s);
    QStringList assets = listParam(p, u"asset"_s);
    if (assets.size() == 1 && assets.front() == u"all"_s)
        assets.clear();
    const QString type = stringParam(p, u"type"_s);
    std::vector<SimLedgerEntry> rows;
    for (const SimLedgerEntry &l : e.ledgers(req.accountId)) {
        if (!assets.isEmpty()) {
            const SimAsset *a = e.config().assetByDisplay(l.asset);
            const bool match = assets.contains(l.asset) ||
                               (a && (assets.contains(a->code) || assets.contains(a->altname)));
            if (!match)
                continue;
        }
        if (!type.isEmpty() && type != u"all"_s && type != l.type)
            continue;
        if ((!start || l.timeMs > *start) && (!end || l.timeMs <= *end))
            rows.push_back(l);
    }
    QJsonObject ledger;
    for (qsizetype i = ofs; i < qsizetype(rows.size()) && i < ofs + PageSize; ++i)
        ledger.insert(rows[i].id, ledgerJson(e, rows[i]));
    QJsonObject result{{u"ledger"_s, ledger}};
    if (!boolParam(p, u"without_count"_s).value_or(false))
        result.insert(u"count"_s, qint64(rows.size()));
    return RestResponse::ok(result);
}

RestResponse queryLedgers(MatchingEngine &e, const RestRequest &req) {
    const QStringList ids = listParam(req.params, u"id"_s);
    if (ids.isEmpty() || ids.size() > 20)
        return RestResponse::error(u"EGeneral:Invalid arguments:id"_s);
    QJsonObject out;
    for (const QString &id : ids) {
        const SimLedgerEntry *l = e.ledger(id);
        if (!l || l->accountId != req.accountId)
            return RestResponse::error(u"EGeneral:Invalid arguments:id"_s);
        out.insert(id, ledgerJson(e, *l));
    }
    return RestResponse::ok(out);
}

RestResponse wsToken(MatchingEngine &e, const RestRequest &req) {
    return RestResponse::ok(
        QJsonObject{{u"token"_s, e.issueWsToken(req.accountId)}, {u"expires"_s, 900}});
}

} // namespace

std::optional<PriceSpec> parseRestPrice(const QString &text) {
    QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    PriceSpec s;
    bool relative = false;
    bool negative = false;
    if (t.startsWith(u'#')) {
        s.autoSign = true;
        relative = true;
        t = t.mid(1);
    } else if (t.startsWith(u'+') || t.startsWith(u'-')) {
        relative = true;
        negative = t.startsWith(u'-');
        t = t.mid(1);
    }
    if (t.endsWith(u'%')) {
        if (!relative)
            return std::nullopt;
        s.type = PriceType::Pct;
        t.chop(1);
    } else if (relative) {
        s.type = PriceType::Quote;
    }
    const auto v = Decimal::fromString(t);
    if (!v || v->isNegative())
        return std::nullopt;
    s.value = negative ? v->negated() : *v;
    return s;
}

QString orderDescription(const MatchingEngine &e, const SimOrder &o) {
    const SimPair &pair = pairFor(e, o.symbol);
    const Instrument &ins = pair.instrument;
    const int pd = ins.pairDecimals();
    const QString volume =
        o.cashQty ? o.cashQty->toString(ins.costDecimals()) : o.qty.toString(ins.lotDecimals());
    QString what;
    switch (o.type) {
    case OrderType::Market:
        what = u"market"_s;
        break;
    case OrderType::Limit:
    case OrderType::Iceberg:
        what = u"limit "_s % priceText(o, pd);
        break;
    case OrderType::StopLoss:
        what = u"stop loss "_s % priceText(o, pd);
        break;
    case OrderType::TakeProfit:
        what = u"take profit "_s % priceText(o, pd);
        break;
    case OrderType::StopLossLimit:
        what = u"stop loss "_s % priceText(o, pd) % u" -> limit "_s % price2Text(o, pd);
        break;
    case OrderType::TakeProfitLimit:
        what = u"take profit "_s % priceText(o, pd) % u" -> limit "_s % price2Text(o, pd);
        break;
    case OrderType::TrailingStop:
        what = u"trailing stop "_s % priceText(o, pd);
        break;
    case OrderType::TrailingStopLimit:
        what = u"trailing stop "_s % priceText(o, pd) % u" -> limit "_s % price2Text(o, pd);
        break;
    }
    return sideName(o.side) % u' ' % volume % u' ' % ins.altname() % u" @ "_s % what;
}

QJsonObject restOrderJson(const MatchingEngine &e, const SimOrder &o, bool withTrades) {
    const SimPair &pair = pairFor(e, o.symbol);
    const Instrument &ins = pair.instrument;
    const int pd = ins.pairDecimals(), ld = ins.lotDecimals(), cd = ins.costDecimals();
    QJsonObject descr{{u"pair"_s, ins.altname()},
                      {u"type"_s, sideName(o.side)},
                      {u"ordertype"_s, orderTypeName(o.type)},
                      {u"price"_s, priceText(o, pd)},
                      {u"price2"_s, price2Text(o, pd)},
                      {u"leverage"_s, u"none"_s},
                      {u"order"_s, orderDescription(e, o)},
                      {u"close"_s, QString()}};
    QJsonObject j{
        {u"refid"_s, QJsonValue()},
        {u"userref"_s, o.userref ? QJsonValue(*o.userref) : QJsonValue(0)},
        {u"status"_s, restStatusName(o.status)},
        {u"opentm"_s, epoch(o.openMs)},
        {u"starttm"_s, 0},
        {u"expiretm"_s, o.expireMs > 0 ? epoch(o.expireMs) : QJsonValue(0)},
        {u"descr"_s, descr},
        {u"vol"_s, o.qty.toString(ld)},
        {u"vol_exec"_s, o.filled.toString(ld)},
        {u"cost"_s, o.cost.toString(cd)},
        {u"fee"_s, o.fee.toString(cd)},
        {u"price"_s, o.avgPrice(pd).value_or(Decimal()).toString(pd)},
        {u"stopprice"_s, o.triggerPrice.value_or(Decimal()).toString(pd)},
        {u"limitprice"_s,
         (hasTrigger(o.type) ? o.limitPrice.value_or(Decimal()) : Decimal()).toString(pd)},
        {u"misc"_s, QString()},
        {u"oflags"_s, oflags(o)}};
    if (!o.clOrdId.isEmpty())
        j.insert(u"cl_ord_id"_s, o.clOrdId);
    if (hasTrigger(o.type))
        j.insert(u"trigger"_s, u"last"_s);
    if (o.displayQty)
        j.insert(u"display_volume"_s, o.displayQty->toString(ld));
    if (o.amended)
        j.insert(u"amended"_s, true);
    if (!isOpen(o.status)) {
        j.insert(u"closetm"_s, epoch(o.closeMs));
        j.insert(u"reason"_s, o.reason.isEmpty() ? QJsonValue() : QJsonValue(o.reason));
    }
    if (withTrades && !o.tradeIds.isEmpty())
        j.insert(u"trades"_s, QJsonArray::fromStringList(o.tradeIds));
    return j;
}

QJsonObject restTradeJson(const MatchingEngine &e, const SimTrade &t, bool withLedgers) {
    const SimPair &pair = pairFor(e, t.symbol);
    const Instrument &ins = pair.instrument;
    const int pd = ins.pairDecimals(), cd = ins.costDecimals();
    QJsonObject j{{u"ordertxid"_s, t.orderId},
                  {u"postxid"_s, u"TKH2SE-M7IF5-CFI7LT"_s},
                  {u"pair"_s, pair.restKey},
                  {u"time"_s, epoch(t.timeMs)},
                  {u"type"_s, sideName(t.side)},
                  {u"ordertype"_s, orderTypeName(t.orderType)},
                  {u"price"_s, t.price.toString(pd)},
                  {u"cost"_s, t.cost.toString(cd)},
                  {u"fee"_s, t.fee.toString(cd)},
                  {u"vol"_s, t.qty.toString(ins.lotDecimals())},
                  {u"margin"_s, Decimal().toString(cd)},
                  {u"leverage"_s, u"0"_s},
                  {u"misc"_s, QString()},
                  {u"trade_id"_s, t.publicTradeId},
                  {u"maker"_s, t.maker}};
    if (withLedgers)
        j.insert(u"ledgers"_s, QJsonArray::fromStringList(t.ledgerIds));
    return j;
}

void registerPrivateRest(RestRouter &router, MatchingEngine &engine) {
    MatchingEngine *e = &engine;
    auto add = [&router, e](const char16_t *name,
                            RestResponse (*fn)(MatchingEngine &, const RestRequest &)) {
        router.addPrivate(QString::fromUtf16(name),
                          [e, fn](const RestRequest &req) { return fn(*e, req); });
    };
    add(u"Balance", balance);
    add(u"BalanceEx", balanceEx);
    add(u"TradeBalance", tradeBalance);
    add(u"OpenOrders", openOrders);
    add(u"ClosedOrders", closedOrders);
    add(u"QueryOrders", queryOrders);
    add(u"TradesHistory", tradesHistory);
    add(u"QueryTrades", queryTrades);
    add(u"Ledgers", ledgers);
    add(u"QueryLedgers", queryLedgers);
    add(u"AddOrder", addOrder);
    add(u"AddOrderBatch", addOrderBatch);
    add(u"AmendOrder", amendOrder);
    add(u"EditOrder", editOrder);
    add(u"CancelOrder", cancelOrder);
    add(u"CancelAll", cancelAll); // Kraken's name
    add(u"CancelAllOrders", cancelAll);
    add(u"CancelAllOrdersAfter", cancelAllAfter);
    add(u"CancelOrderBatch", cancelOrderBatch);
    add(u"GetWebSocketsToken", wsToken);
}

} // namespace kraken::sim
