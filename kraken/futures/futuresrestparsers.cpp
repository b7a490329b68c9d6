#include "futuresrestparsers.h"

using namespace Qt::StringLiterals;

namespace kraken::futures::parse {
namespace {

Error bad(const QString &what) {
    return Error(Error::Category::Parse, u"Kraken Futures answer: "_s + what);
}

const JsonNode *arrayAt(const JsonNode &root, QStringView key) {
    const JsonNode *n = root.find(key);
    return n && n->isArray() ? n : nullptr;
}

// Required decimal member: nullopt and a named error when absent.
bool need(const JsonNode &o, QStringView key, Decimal &out, QString &missing) {
    const auto d = o.decimal(key);
    if (!d) {
        if (missing.isEmpty())
            missing = key.toString();
        return false;
    }
    out = *d;
    return true;
}

QString firstOf(const JsonNode &o, QStringView a, QStringView b) {
    const QString s = o.string(a);
    return s.isEmpty() ? o.string(b) : s;
}

QMap<QString, Decimal> numberMap(const JsonNode *n) {
    QMap<QString, Decimal> out;
    if (!n)
        return out;
    for (const auto &[k, v] : n->members()) {
        if (const auto d = v.decimal())
            out.insert(k, *d);
    }
    return out;
}

QList<FuturesOrderEvent> orderEvents(const JsonNode &status) {
    QList<FuturesOrderEvent> out;
    const JsonNode *events = status.find(u"orderEvents");
    if (!events)
        return out;
    for (const JsonNode &e : events->elements()) {
        FuturesOrderEvent ev;
        ev.type = e.string(u"type");
        ev.reason = e.string(u"reason");
        // PLACE/CANCEL/REJECT carry "order"; EDIT "new"; EXECUTION "orderPriorExecution".
        const JsonNode *order = e.find(u"order");
        if (!order)
            order = e.find(u"new");
        if (!order)
            order = e.find(u"orderPriorExecution");
        if (!order)
            order = e.find(u"orderTrigger");
        if (order) {
            ev.orderId = firstOf(*order, u"orderId", u"uid");
            ev.cliOrdId = order->string(u"cliOrdId");
            ev.symbol = order->string(u"symbol");
            ev.side = order->string(u"side");
            ev.orderType = firstOf(*order, u"type", u"orderType");
            ev.quantity = order->decimal(u"quantity");
            ev.filled = order->decimal(u"filled");
            ev.limitPrice = order->decimal(u"limitPrice");
            ev.stopPrice = order->decimal(u"stopPrice");
        }
        if (ev.type == u"EXECUTION"_s) {
            ev.executionId = e.string(u"executionId");
            ev.executionPrice = e.decimal(u"price");
            ev.executionAmount = e.decimal(u"amount");
        }
        out.append(ev);
    }
    return out;
}

FuturesOrderStatus orderStatusOf(const JsonNode &s) {
    FuturesOrderStatus st;
    st.status = s.string(u"status");
    st.orderId = firstOf(s, u"order_id", u"orderId");
    st.cliOrdId = firstOf(s, u"cliOrdId", u"cli_ord_id");
    st.orderTag = s.string(u"order_tag");
    st.receivedTime = timeOf(s.find(u"receivedTime"));
    st.events = orderEvents(s);
    return st;
}

// A status object that came with result "success" but says the order was refused.
Result<FuturesOrderStatus> acceptStatus(const JsonNode &root, QStringView key,
                                        std::initializer_list<const char16_t *> accepted) {
    const JsonNode *s = root.find(key);
    if (!s || !s->isObject())
        return bad(u"no %1 object"_s.arg(key));
    FuturesOrderStatus st = orderStatusOf(*s);
    if (st.status.isEmpty())
        return bad(u"%1 has no status"_s.arg(key));
    for (const char16_t *ok : accepted) {
        if (st.status == QStringView(ok))
            return st;
    }
    Error e = Error::fromKrakenFutures(st.status);
    // A REJECT event names the reason more precisely (e.g. POST_WOULD_EXECUTE).
    for (const FuturesOrderEvent &ev : std::as_const(st.events)) {
        if (ev.type == u"REJECT"_s && !ev.reason.isEmpty())
            return Error(e.category(), e.message(), st.status + u", "_s + ev.reason);
    }
    return e;
}

} // namespace

QDateTime timeOf(const JsonNode *n) {
    if (!n)
        return {};
    if (n->isNumber()) {
        const auto ms = n->integer();
        return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC) : QDateTime();
    }
    return parseFuturesTime(n->text());
}

Result<FuturesInstrumentRegistry> instruments(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"instruments");
    if (!list)
        return bad(u"no instruments array"_s);
    FuturesInstrumentRegistry reg;
    for (const JsonNode &e : list->elements()) {
        auto in = FuturesInstrument::fromJson(e);
        if (!in)
            return in.error();
        reg.insert(in.value());
    }
    return reg;
}

Result<QList<FuturesTicker>> tickers(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"tickers");
    QList<const JsonNode *> entries;
    if (list) {
        for (const JsonNode &e : list->elements())
            entries.append(&e);
    } else if (const JsonNode *one = root.find(u"ticker")) { // /tickers/{symbol}
        entries.append(one);
    } else {
        return bad(u"no tickers array"_s);
    }
    QList<FuturesTicker> out;
    for (const JsonNode *e : std::as_const(entries)) {
        FuturesTicker t;
        t.symbol = e->string(u"symbol");
        if (t.symbol.isEmpty())
            return bad(u"ticker without symbol"_s);
        t.tag = e->string(u"tag");
        t.pair = e->string(u"pair");
        t.last = e->decimal(u"last");
        t.lastSize = e->decimal(u"lastSize");
        t.lastTime = timeOf(e->find(u"lastTime"));
        t.markPrice = e->decimal(u"markPrice");
        t.bid = e->decimal(u"bid");
        t.bidSize = e->decimal(u"bidSize");
        t.ask = e->decimal(u"ask");
        t.askSize = e->decimal(u"askSize");
        t.vol24h = e->decimal(u"vol24h");
        t.volumeQuote = e->decimal(u"volumeQuote");
        t.openInterest = e->decimal(u"openInterest");
        t.open24h = e->decimal(u"open24h");
        t.high24h = e->decimal(u"high24h");
        t.low24h = e->decimal(u"low24h");
        t.indexPrice = e->decimal(u"indexPrice");
        t.fundingRate = e->decimal(u"fundingRate");
        t.fundingRatePrediction = e->decimal(u"fundingRatePrediction");
        t.change24h = e->decimal(u"change24h");
        t.suspended = e->boolean(u"suspended");
        t.postOnly = e->boolean(u"postOnly");
        out.append(t);
    }
    return out;
}

Result<FuturesOrderBook> orderBook(const JsonNode &root) {
    const JsonNode *book = root.find(u"orderBook");
    if (!book || !book->isObject())
        return bad(u"no orderBook object"_s);
    FuturesOrderBook b;
    b.serverTime = timeOf(root.find(u"serverTime"));
    auto side = [&](QStringView key, QList<FuturesBookLevel> &out) -> bool {
        const JsonNode *levels = book->find(key);
        if (!levels)
            return true;
        for (const JsonNode &l : levels->elements()) {
            const auto &pair = l.elements();
            const auto price = pair.size() == 2 ? pair[0].decimal() : std::nullopt;
            const auto size = pair.size() == 2 ? pair[1].decimal() : std::nullopt;
            if (!price || !size)
                return false;
            out.append({*price, *size});
        }
        return true;
    };
    if (!side(u"bids", b.bids) || !side(u"asks", b.asks))
        return bad(u"an orderBook level is not [price, size]"_s);
    return b;
}

Result<QList<FuturesPublicTrade>> history(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"history");
    if (!list)
        return bad(u"no history array"_s);
    QList<FuturesPublicTrade> out;
    for (const JsonNode &e : list->elements()) {
        FuturesPublicTrade t;
        QString missing;
        need(e, u"price", t.price, missing);
        need(e, u"size", t.size, missing);
        if (!missing.isEmpty())
            return bad(u"trade without "_s + missing);
        t.time = timeOf(e.find(u"time"));
        t.tradeId = e.integer(u"trade_id").value_or(0);
        t.uid = e.string(u"uid");
        t.side = e.string(u"side");
        t.type = e.string(u"type");
        out.append(t);
    }
    return out;
}

Result<FuturesCandlePage> candles(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"candles");
    if (!list)
        return bad(u"no candles array"_s);
    FuturesCandlePage page;
    page.moreCandles = root.boolean(u"more_candles");
    for (const JsonNode &e : list->elements()) {
        FuturesCandle c;
        QString missing;
        need(e, u"open", c.open, missing);
        need(e, u"high", c.high, missing);
        need(e, u"low", c.low, missing);
        need(e, u"close", c.close, missing);
        need(e, u"volume", c.volume, missing);
        const auto t = e.integer(u"time");
        if (!t)
            missing = u"time"_s;
        if (!missing.isEmpty())
            return bad(u"candle without "_s + missing);
        c.timeMs = *t;
        page.candles.append(c);
    }
    return page;
}

Result<FuturesAccounts> accounts(const JsonNode &root) {
    const JsonNode *accounts = root.find(u"accounts");
    if (!accounts || !accounts->isObject())
        return bad(u"no accounts object"_s);
    FuturesAccounts out;
    out.serverTime = timeOf(root.find(u"serverTime"));
    for (const auto &[name, a] : accounts->members()) {
        FuturesAccount acc;
        acc.name = name;
        acc.type = a.string(u"type");
        acc.currency = a.string(u"currency");
        acc.balances = numberMap(a.find(u"balances"));
        acc.auxiliary = numberMap(a.find(u"auxiliary"));
        acc.marginRequirements = numberMap(a.find(u"marginRequirements"));
        acc.triggerEstimates = numberMap(a.find(u"triggerEstimates"));
        if (const JsonNode *cur = a.find(u"currencies")) {
            for (const auto &[code, c] : cur->members()) {
                FuturesFlexCurrency fc;
                fc.currency = code;
                fc.quantity = c.decimal(u"quantity");
                fc.value = c.decimal(u"value");
                fc.collateral = c.decimal(u"collateral");
                fc.available = c.decimal(u"available");
                acc.currencies.append(fc);
            }
        }
        for (const auto &[k, v] : a.members()) {
            if (v.isNumber()) {
                if (const auto d = v.decimal())
                    acc.values.insert(k, *d);
            }
        }
        out.accounts.append(acc);
    }
    return out;
}

Result<QList<FuturesPosition>> openPositions(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"openPositions");
    if (!list)
        return bad(u"no openPositions array"_s);
    QList<FuturesPosition> out;
    for (const JsonNode &e : list->elements()) {
        FuturesPosition p;
        p.symbol = e.string(u"symbol");
        p.side = e.string(u"side");
        QString missing;
        need(e, u"price", p.price, missing);
        need(e, u"size", p.size, missing);
        if (p.symbol.isEmpty())
            missing = u"symbol"_s;
        if (!missing.isEmpty())
            return bad(u"position without "_s + missing);
        p.fillTime = timeOf(e.find(u"fillTime"));
        p.unrealizedFunding = e.decimal(u"unrealizedFunding");
        p.maxFixedLeverage = e.decimal(u"maxFixedLeverage");
        p.pnlCurrency = e.string(u"pnlCurrency");
        out.append(p);
    }
    return out;
}

Result<QList<FuturesOpenOrder>> openOrders(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"openOrders");
    if (!list)
        return bad(u"no openOrders array"_s);
    QList<FuturesOpenOrder> out;
    for (const JsonNode &e : list->elements()) {
        FuturesOpenOrder o;
        o.orderId = e.string(u"order_id");
        if (o.orderId.isEmpty())
            return bad(u"open order without order_id"_s);
        o.cliOrdId = e.string(u"cliOrdId");
        o.symbol = e.string(u"symbol");
        o.side = e.string(u"side");
        o.orderType = e.string(u"orderType");
        o.status = e.string(u"status");
        o.triggerSignal = e.string(u"triggerSignal");
        o.limitPrice = e.decimal(u"limitPrice");
        o.stopPrice = e.decimal(u"stopPrice");
        o.unfilledSize = e.decimal(u"unfilledSize").value_or(Decimal());
        o.filledSize = e.decimal(u"filledSize").value_or(Decimal());
        o.receivedTime = timeOf(e.find(u"receivedTime"));
        o.lastUpdateTime = timeOf(e.find(u"lastUpdateTime"));
        o.reduceOnly = e.boolean(u"reduceOnly");
        out.append(o);
    }
    return out;
}

Result<QList<FuturesFill>> fills(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"fills");
    if (!list)
        return bad(u"no fills array"_s);
    QList<FuturesFill> out;
    for (const JsonNode &e : list->elements()) {
        FuturesFill f;
        f.fillId = e.string(u"fill_id");
        f.symbol = e.string(u"symbol");
        f.side = e.string(u"side");
        f.orderId = e.string(u"order_id");
        f.cliOrdId = e.string(u"cliOrdId");
        f.fillType = e.string(u"fillType");
        QString missing;
        need(e, u"size", f.size, missing);
        need(e, u"price", f.price, missing);
        if (f.fillId.isEmpty())
            missing = u"fill_id"_s;
        if (!missing.isEmpty())
            return bad(u"fill without "_s + missing);
        f.fillTime = timeOf(e.find(u"fillTime"));
        out.append(f);
    }
    return out;
}

Result<FuturesOrderStatus> sendOrder(const JsonNode &root) {
    return acceptStatus(root, u"sendStatus", {u"placed", u"filled", u"partiallyFilled"});
}

Result<FuturesOrderStatus> editOrder(const JsonNode &root) {
    return acceptStatus(root, u"editStatus", {u"edited"});
}

Result<FuturesOrderStatus> cancelOrder(const JsonNode &root) {
    return acceptStatus(root, u"cancelStatus", {u"cancelled"});
}

Result<FuturesCancelAllStatus> cancelAllOrders(const JsonNode &root) {
    const JsonNode *s = root.find(u"cancelStatus");
    if (!s || !s->isObject())
        return bad(u"no cancelStatus object"_s);
    FuturesCancelAllStatus out;
    out.status = s->string(u"status");
    out.receivedTime = timeOf(s->find(u"receivedTime"));
    if (const JsonNode *list = s->find(u"cancelledOrders")) {
        for (const JsonNode &o : list->elements())
            out.cancelledOrders.append({o.string(u"order_id"), o.string(u"cliOrdId")});
    }
    if (out.status != u"cancelled"_s && out.status != u"noOrdersToCancel"_s)
        return Error::fromKrakenFutures(out.status);
    return out;
}

Result<FuturesDeadManSwitch> cancelAllOrdersAfter(const JsonNode &root) {
    const JsonNode *s = root.find(u"status");
    if (!s || !s->isObject())
        return bad(u"no status object"_s);
    return FuturesDeadManSwitch{timeOf(s->find(u"currentTime")), timeOf(s->find(u"triggerTime"))};
}

Result<QList<FuturesOrderStatus>> batchOrder(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"batchStatus");
    if (!list)
        return bad(u"no batchStatus array"_s);
    QList<FuturesOrderStatus> out;
    for (const JsonNode &e : list->elements())
        out.append(orderStatusOf(e));
    return out;
}

Result<FuturesOrderHistoryPage> orderHistory(const JsonNode &root) {
    const JsonNode *list = arrayAt(root, u"elements");
    if (!list)
        return bad(u"no elements array"_s);
    FuturesOrderHistoryPage page;
    page.continuationToken = root.string(u"continuationToken");
    for (const JsonNode &e : list->elements()) {
        FuturesOrderHistoryEvent ev;
        ev.uid = e.string(u"uid");
        ev.timestampMs = e.integer(u"timestamp").value_or(0);
        // "event": {"OrderPlaced": {"order": {...}, "reason": "..."}}: one key names the kind.
        const JsonNode *event = e.find(u"event");
        if (event && !event->members().isEmpty()) {
            const auto &[kind, body] = event->members().first();
            ev.eventType = kind;
            ev.reason = body.string(u"reason");
            if (const JsonNode *o = body.find(u"order")) {
                ev.orderId = o->string(u"uid");
                ev.cliOrdId = o->string(u"clientId");
                ev.symbol = firstOf(*o, u"tradeable", u"symbol");
                ev.direction = o->string(u"direction");
                ev.orderType = o->string(u"orderType");
                ev.quantity = o->decimal(u"quantity");
                ev.filled = o->decimal(u"filled");
                ev.limitPrice = o->decimal(u"limitPrice");
                ev.stopPrice = o->decimal(u"stopPrice");
            }
        }
        page.events.append(ev);
    }
    return page;
}

} // namespace kraken::futures::parse
