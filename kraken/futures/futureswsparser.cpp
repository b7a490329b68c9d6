#include "futureswsparser.h"

#include "jsonnode.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

// Reads fields of one message, remembering the first problem with the feed and field named.
struct Reader {
    QString what;  // "book message"
    QString where; // "bids[3]." while inside an array element
    QString error;

    bool fail(QStringView key, const QString &why) {
        if (error.isEmpty())
            error = what + u": "_s + where + key.toString() + u' ' + why;
        return false;
    }

    bool decimalOf(const JsonNode &n, QStringView key, Decimal &out) {
        if (!n.isNumber() && !n.isString())
            return fail(key, u"is not a number"_s);
        const std::optional<Decimal> d = n.decimal();
        if (!d)
            return fail(key, u"cannot be held exactly: "_s + n.text().left(40));
        out = *d;
        return true;
    }
    bool req(const JsonNode &o, QStringView key, Decimal &out) {
        const JsonNode *n = o.find(key);
        return n ? decimalOf(*n, key, out) : fail(key, u"is missing"_s);
    }
    bool opt(const JsonNode &o, QStringView key, std::optional<Decimal> &out) {
        out.reset();
        const JsonNode *n = o.find(key);
        if (!n || n->isNull())
            return true;
        Decimal d;
        if (!decimalOf(*n, key, d))
            return false;
        out = d;
        return true;
    }
    bool integerOf(const JsonNode &n, QStringView key, qint64 &out) {
        const std::optional<qint64> v = n.isNumber() || n.isString() ? n.integer() : std::nullopt;
        if (!v)
            return fail(key, u"is not an integer"_s);
        out = *v;
        return true;
    }
    bool req(const JsonNode &o, QStringView key, qint64 &out) {
        const JsonNode *n = o.find(key);
        return n ? integerOf(*n, key, out) : fail(key, u"is missing"_s);
    }
    bool opt(const JsonNode &o, QStringView key, qint64 &out) {
        out = 0;
        const JsonNode *n = o.find(key);
        return !n || n->isNull() || integerOf(*n, key, out);
    }
    bool req(const JsonNode &o, QStringView key, QString &out) {
        const JsonNode *n = o.find(key);
        if (!n)
            return fail(key, u"is missing"_s);
        if (!n->isString())
            return fail(key, u"is not a string"_s);
        out = n->text();
        return true;
    }
    bool opt(const JsonNode &o, QStringView key, QString &out) {
        out.clear();
        const JsonNode *n = o.find(key);
        if (!n || n->isNull())
            return true;
        if (!n->isString() && !n->isNumber())
            return fail(key, u"is not a string"_s);
        out = n->text();
        return true;
    }
    bool opt(const JsonNode &o, QStringView key, bool &out) {
        out = false;
        const JsonNode *n = o.find(key);
        if (!n || n->isNull())
            return true;
        const std::optional<bool> b = n->boolean();
        if (!b)
            return fail(key, u"is not a boolean"_s);
        out = *b;
        return true;
    }
    bool side(const JsonNode &o, QStringView key, bool &buy) {
        QString s;
        if (!req(o, key, s))
            return false;
        if (s != u"buy"_s && s != u"sell"_s)
            return fail(key, u"is neither buy nor sell: "_s + s.left(20));
        buy = s == u"buy"_s;
        return true;
    }
    const JsonNode *array(const JsonNode &o, QStringView key, bool required = true) {
        const JsonNode *n = o.find(key);
        if (!n || n->isNull()) {
            if (required)
                fail(key, u"is missing"_s);
            return nullptr;
        }
        if (!n->isArray()) {
            fail(key, u"is not an array"_s);
            return nullptr;
        }
        return n;
    }
    const JsonNode *object(const JsonNode &o, QStringView key) {
        const JsonNode *n = o.find(key);
        if (!n || n->isNull())
            return nullptr;
        if (!n->isObject()) {
            fail(key, u"is not an object"_s);
            return nullptr;
        }
        return n;
    }
    // Position inside an array, for messages naming the element ("fills[2].price").
    void enter(QStringView key, qsizetype index) {
        where = key.toString() + u'[' + QString::number(index) + u"]."_s;
    }
    void leave() { where.clear(); }
};

bool readLevels(Reader &r, const JsonNode &o, QStringView key, std::vector<book::LevelUpdate> &out,
                int &priceDecimals, int &qtyDecimals) {
    out.clear();
    const JsonNode *levels = r.array(o, key);
    if (!levels)
        return false;
    out.reserve(std::size_t(levels->elements().size()));
    for (qsizetype i = 0; i < levels->elements().size(); ++i) {
        const JsonNode &l = levels->elements()[i];
        r.enter(key, i);
        book::LevelUpdate u;
        if (!l.isObject())
            return r.fail(u"", u"is not an object"_s);
        if (!r.req(l, u"price", u.price) || !r.req(l, u"qty", u.qty))
            return false;
        priceDecimals = std::max(priceDecimals, u.price.scale());
        qtyDecimals = std::max(qtyDecimals, u.qty.scale());
        out.push_back(u);
    }
    r.leave();
    return true;
}

bool readTicker(Reader &r, const JsonNode &o, ws::TickerEvent &t, bool lite) {
    t = {};
    t.lite = lite;
    return r.req(o, u"product_id", t.productId) && r.opt(o, u"time", t.timeMs) &&
           r.opt(o, u"bid", t.bid) && r.opt(o, u"ask", t.ask) && r.opt(o, u"bid_size", t.bidSize) &&
           r.opt(o, u"ask_size", t.askSize) && r.opt(o, u"last", t.last) &&
           r.opt(o, u"volume", t.volume) && r.opt(o, u"volumeQuote", t.volumeQuote) &&
           r.opt(o, u"index", t.indexPrice) && r.opt(o, u"markPrice", t.markPrice) &&
           r.opt(o, u"premium", t.premium) && r.opt(o, u"change", t.change) &&
           r.opt(o, u"open", t.open) && r.opt(o, u"high", t.high) && r.opt(o, u"low", t.low) &&
           r.opt(o, u"funding_rate", t.fundingRate) &&
           r.opt(o, u"funding_rate_prediction", t.fundingRatePrediction) &&
           r.opt(o, u"relative_funding_rate", t.relativeFundingRate) &&
           r.opt(o, u"relative_funding_rate_prediction", t.relativeFundingRatePrediction) &&
           r.opt(o, u"openInterest", t.openInterest) &&
           r.opt(o, u"next_funding_rate_time", t.nextFundingRateTimeMs) &&
           r.opt(o, u"maturityTime", t.maturityTimeMs) && r.opt(o, u"dtm", t.dtm) &&
           r.opt(o, u"tag", t.tag) && r.opt(o, u"pair", t.pair) &&
           r.opt(o, u"leverage", t.leverage) && r.opt(o, u"suspended", t.suspended) &&
           r.opt(o, u"post_only", t.postOnly);
}

bool readTrade(Reader &r, const JsonNode &o, ws::TradeEvent &t, const QString &productId) {
    // Snapshot elements repeat product_id; fall back to the envelope's in case they do not.
    if (!r.opt(o, u"product_id", t.productId))
        return false;
    if (t.productId.isEmpty())
        t.productId = productId;
    if (t.productId.isEmpty())
        return r.fail(u"product_id", u"is missing"_s);
    return r.opt(o, u"uid", t.uid) && r.side(o, u"side", t.buy) && r.opt(o, u"type", t.type) &&
           r.opt(o, u"seq", t.seq) && r.req(o, u"time", t.timeMs) && r.req(o, u"qty", t.qty) &&
           r.req(o, u"price", t.price);
}

bool readOrder(Reader &r, const JsonNode &o, ws::OpenOrder &order) {
    qint64 direction = 0;
    if (!(r.req(o, u"instrument", order.instrument) && r.opt(o, u"time", order.timeMs) &&
          r.opt(o, u"last_update_time", order.lastUpdateTimeMs) && r.req(o, u"qty", order.qty) &&
          r.req(o, u"filled", order.filled) && r.opt(o, u"limit_price", order.limitPrice) &&
          r.opt(o, u"stop_price", order.stopPrice) && r.req(o, u"type", order.type) &&
          r.req(o, u"order_id", order.orderId) && r.opt(o, u"cli_ord_id", order.cliOrdId) &&
          r.req(o, u"direction", direction) && r.opt(o, u"reduce_only", order.reduceOnly)))
        return false;
    if (direction != 0 && direction != 1)
        return r.fail(u"direction", u"is neither 0 (buy) nor 1 (sell)"_s);
    order.buy = direction == 0;
    // The documented snapshot writes triggerSignal, the field table trigger_signal.
    return r.opt(o, u"trigger_signal", order.triggerSignal) &&
           (!order.triggerSignal.isEmpty() || r.opt(o, u"triggerSignal", order.triggerSignal));
}

bool readFill(Reader &r, const JsonNode &o, ws::FillEvent &f) {
    return r.req(o, u"instrument", f.instrument) && r.req(o, u"time", f.timeMs) &&
           r.req(o, u"price", f.price) && r.opt(o, u"seq", f.seq) && r.opt(o, u"buy", f.buy) &&
           r.req(o, u"qty", f.qty) && r.opt(o, u"remaining_order_qty", f.remainingOrderQty) &&
           r.req(o, u"order_id", f.orderId) && r.opt(o, u"cli_ord_id", f.cliOrdId) &&
           r.req(o, u"fill_id", f.fillId) && r.opt(o, u"fill_type", f.fillType) &&
           r.opt(o, u"fee_paid", f.feePaid) && r.opt(o, u"fee_currency", f.feeCurrency) &&
           r.opt(o, u"taker_order_type", f.takerOrderType) && r.opt(o, u"order_type", f.orderType);
}

bool readPosition(Reader &r, const JsonNode &o, ws::Position &p) {
    return r.req(o, u"instrument", p.instrument) && r.req(o, u"balance", p.balance) &&
           r.opt(o, u"pnl", p.pnl) && r.opt(o, u"entry_price", p.entryPrice) &&
           r.opt(o, u"mark_price", p.markPrice) && r.opt(o, u"index_price", p.indexPrice) &&
           r.opt(o, u"liquidation_threshold", p.liquidationThreshold) &&
           r.opt(o, u"effective_leverage", p.effectiveLeverage) &&
           r.opt(o, u"return_on_equity", p.returnOnEquity) &&
           r.opt(o, u"initial_margin", p.initialMargin) &&
           r.opt(o, u"initial_margin_with_orders", p.initialMarginWithOrders) &&
           r.opt(o, u"maintenance_margin", p.maintenanceMargin) &&
           r.opt(o, u"pnl_currency", p.pnlCurrency);
}

bool readBalances(Reader &r, const JsonNode &o, ws::BalancesEvent &b) {
    if (!r.opt(o, u"seq", b.seq) || !r.opt(o, u"timestamp", b.timestampMs))
        return false;
    if (const JsonNode *holding = r.object(o, u"holding")) {
        for (const auto &[currency, value] : holding->members()) {
            if (value.isNull())
                continue; // Kraken sends null for a wallet it has no figure for
            Decimal d;
            r.where = u"holding."_s;
            if (!r.decimalOf(value, currency, d))
                return false;
            b.holding.insert(currency, d);
        }
        r.leave();
    } else if (!r.error.isEmpty()) {
        return false;
    }
    if (const JsonNode *futures = r.object(o, u"futures")) {
        for (const auto &[name, account] : futures->members()) {
            r.where = u"futures."_s + name + u'.';
            if (!account.isObject())
                return r.fail(u"", u"is not an object"_s);
            ws::MarginAccount a;
            if (!(r.opt(account, u"name", a.name) && r.opt(account, u"pair", a.pair) &&
                  r.opt(account, u"unit", a.unit) &&
                  r.opt(account, u"portfolio_value", a.portfolioValue) &&
                  r.opt(account, u"balance", a.balance) &&
                  r.opt(account, u"maintenance_margin", a.maintenanceMargin) &&
                  r.opt(account, u"initial_margin", a.initialMargin) &&
                  r.opt(account, u"available", a.available) &&
                  r.opt(account, u"unrealized_funding", a.unrealizedFunding) &&
                  r.opt(account, u"pnl", a.pnl)))
                return false;
            if (a.name.isEmpty())
                a.name = name;
            b.futures.insert(name, a);
        }
        r.leave();
    } else if (!r.error.isEmpty()) {
        return false;
    }
    if (const JsonNode *flex = r.object(o, u"flex_futures")) {
        ws::FlexFutures f;
        r.where = u"flex_futures."_s;
        if (!(r.opt(*flex, u"balance_value", f.balanceValue) &&
              r.opt(*flex, u"portfolio_value", f.portfolioValue) &&
              r.opt(*flex, u"collateral_value", f.collateralValue) &&
              r.opt(*flex, u"initial_margin", f.initialMargin) &&
              r.opt(*flex, u"initial_margin_without_orders", f.initialMarginWithoutOrders) &&
              r.opt(*flex, u"maintenance_margin", f.maintenanceMargin) &&
              r.opt(*flex, u"pnl", f.pnl) &&
              r.opt(*flex, u"unrealized_funding", f.unrealizedFunding) &&
              r.opt(*flex, u"total_unrealized", f.totalUnrealized) &&
              r.opt(*flex, u"total_unrealized_as_margin", f.totalUnrealizedAsMargin) &&
              r.opt(*flex, u"margin_equity", f.marginEquity) &&
              r.opt(*flex, u"available_margin", f.availableMargin)))
            return false;
        if (const JsonNode *currencies = r.object(*flex, u"currencies")) {
            for (const auto &[currency, c] : currencies->members()) {
                r.where = u"flex_futures.currencies."_s + currency + u'.';
                if (!c.isObject())
                    return r.fail(u"", u"is not an object"_s);
                ws::FlexCurrency fc;
                if (!(r.opt(c, u"quantity", fc.quantity) && r.opt(c, u"value", fc.value) &&
                      r.opt(c, u"collateral_value", fc.collateralValue) &&
                      r.opt(c, u"available", fc.available) && r.opt(c, u"haircut", fc.haircut) &&
                      r.opt(c, u"conversion_spread", fc.conversionSpread)))
                    return false;
                f.currencies.insert(currency, fc);
            }
        } else if (!r.error.isEmpty()) {
            return false;
        }
        r.leave();
        b.flexFutures = f;
    } else if (!r.error.isEmpty()) {
        return false;
    }
    return true;
}

} // namespace

FuturesWsParser::Kind FuturesWsParser::parse(const QByteArray &frame) {
    m_error.clear();
    m_unknown.clear();
    if (frame.size() > MaxFrameBytes) {
        m_error =
            u"frame of %1 bytes exceeds the %2 byte bound"_s.arg(frame.size()).arg(MaxFrameBytes);
        return Kind::Error;
    }
    QString jsonError;
    const std::optional<JsonNode> root = JsonNode::parse(frame, &jsonError);
    if (!root) {
        m_error = u"not JSON: "_s + jsonError;
        return Kind::Error;
    }
    if (!root->isObject()) {
        m_error = u"not a JSON object"_s;
        return Kind::Error;
    }
    const JsonNode &o = *root;
    Reader r;

    if (const JsonNode *event = o.find(u"event")) {
        m_control = {};
        r.what = u"event message"_s;
        if (!event->isString()) {
            r.fail(u"event", u"is not a string"_s);
            m_error = r.error;
            return Kind::Error;
        }
        m_control.event = event->text();
        r.what = m_control.event + u" event"_s;
        qint64 version = 0;
        if (!r.opt(o, u"feed", m_control.feed) || !r.opt(o, u"message", m_control.message) ||
            !r.opt(o, u"version", version)) {
            m_error = r.error;
            return Kind::Error;
        }
        m_control.version = int(version);
        if (const JsonNode *ids = r.array(o, u"product_ids", false)) {
            for (const JsonNode &id : ids->elements())
                m_control.productIds.append(id.text());
        } else if (!r.error.isEmpty()) {
            m_error = r.error;
            return Kind::Error;
        }
        if (m_control.event == u"challenge"_s) {
            if (m_control.message.isEmpty()) {
                m_error = u"challenge event: message is missing"_s;
                return Kind::Error;
            }
            return Kind::Challenge;
        }
        static const QStringList known{u"info"_s,
                                       u"subscribed"_s,
                                       u"unsubscribed"_s,
                                       u"subscribed_failed"_s,
                                       u"unsubscribed_failed"_s,
                                       u"error"_s,
                                       u"alert"_s};
        if (!known.contains(m_control.event)) {
            m_unknown = m_control.event;
            return Kind::Unknown;
        }
        return Kind::Control;
    }

    const JsonNode *feedNode = o.find(u"feed");
    if (!feedNode || !feedNode->isString()) {
        m_error = feedNode ? u"feed is not a string"_s : u"neither event nor feed"_s;
        return Kind::Error;
    }
    const QString feed = feedNode->text();
    r.what = feed + u" message"_s;
    auto failed = [this, &r] {
        m_error = r.error;
        return Kind::Error;
    };

    if (feed == u"heartbeat"_s)
        return r.req(o, u"time", m_heartbeatMs) ? Kind::Heartbeat : failed();
    if (feed == u"ticker"_s || feed == u"ticker_lite"_s)
        return readTicker(r, o, m_ticker, feed == u"ticker_lite"_s) ? Kind::Ticker : failed();
    if (feed == u"trade"_s) {
        m_trades.clear();
        ws::TradeEvent t;
        if (!readTrade(r, o, t, {}))
            return failed();
        m_trades.append(t);
        return Kind::Trade;
    }
    if (feed == u"trade_snapshot"_s) {
        m_trades.clear();
        QString productId;
        if (!r.req(o, u"product_id", productId))
            return failed();
        const JsonNode *trades = r.array(o, u"trades");
        if (!trades)
            return failed();
        for (qsizetype i = 0; i < trades->elements().size(); ++i) {
            r.enter(u"trades", i);
            ws::TradeEvent t;
            t.fromSnapshot = true;
            if (!readTrade(r, trades->elements()[i], t, productId))
                return failed();
            m_trades.append(t);
        }
        return Kind::Trade;
    }
    if (feed == u"book_snapshot"_s) {
        ws::BookSnapshotEvent &s = m_snapshot;
        s.priceDecimals = s.qtyDecimals = 0;
        if (!(r.req(o, u"product_id", s.productId) && r.req(o, u"seq", s.seq) &&
              r.opt(o, u"timestamp", s.timestampMs) && r.opt(o, u"tickSize", s.tickSize) &&
              readLevels(r, o, u"bids", s.bids, s.priceDecimals, s.qtyDecimals) &&
              readLevels(r, o, u"asks", s.asks, s.priceDecimals, s.qtyDecimals)))
            return failed();
        return Kind::BookSnapshot;
    }
    if (feed == u"book"_s) {
        ws::BookDeltaEvent &d = m_delta;
        if (!(r.req(o, u"product_id", d.productId) && r.side(o, u"side", d.buy) &&
              r.req(o, u"seq", d.seq) && r.req(o, u"price", d.price) && r.req(o, u"qty", d.qty) &&
              r.opt(o, u"timestamp", d.timestampMs)))
            return failed();
        return Kind::BookDelta;
    }
    if (feed == u"open_orders_snapshot"_s || feed == u"open_orders"_s ||
        feed == u"open_orders_verbose_snapshot"_s || feed == u"open_orders_verbose"_s) {
        m_openOrders = {};
        m_openOrders.snapshot = feed.endsWith(u"_snapshot"_s);
        if (m_openOrders.snapshot) {
            const JsonNode *orders = r.array(o, u"orders");
            if (!orders)
                return failed();
            for (qsizetype i = 0; i < orders->elements().size(); ++i) {
                r.enter(u"orders", i);
                ws::OpenOrder order;
                if (!readOrder(r, orders->elements()[i], order))
                    return failed();
                m_openOrders.orders.append(order);
            }
            return Kind::OpenOrders;
        }
        if (!r.opt(o, u"is_cancel", m_openOrders.isCancel) ||
            !r.opt(o, u"reason", m_openOrders.reason))
            return failed();
        if (const JsonNode *order = r.object(o, u"order")) {
            r.where = u"order."_s;
            ws::OpenOrder parsed;
            if (!readOrder(r, *order, parsed))
                return failed();
            m_openOrders.orderId = parsed.orderId;
            m_openOrders.orders.append(parsed);
            return Kind::OpenOrders;
        }
        if (!r.error.isEmpty())
            return failed();
        // A cancel names only the order.
        return r.req(o, u"order_id", m_openOrders.orderId) ? Kind::OpenOrders : failed();
    }
    if (feed == u"fills_snapshot"_s || feed == u"fills"_s) {
        m_fills = {};
        m_fills.snapshot = feed == u"fills_snapshot"_s;
        const JsonNode *fills = r.array(o, u"fills");
        if (!fills)
            return failed();
        for (qsizetype i = 0; i < fills->elements().size(); ++i) {
            r.enter(u"fills", i);
            ws::FillEvent f;
            if (!readFill(r, fills->elements()[i], f))
                return failed();
            m_fills.fills.append(f);
        }
        return Kind::Fills;
    }
    if (feed == u"open_positions"_s) {
        m_positions = {};
        if (!r.opt(o, u"account", m_positions.account) || !r.opt(o, u"seq", m_positions.seq) ||
            !r.opt(o, u"timestamp", m_positions.timestampMs))
            return failed();
        const JsonNode *positions = r.array(o, u"positions");
        if (!positions)
            return failed();
        for (qsizetype i = 0; i < positions->elements().size(); ++i) {
            r.enter(u"positions", i);
            ws::Position p;
            if (!readPosition(r, positions->elements()[i], p))
                return failed();
            m_positions.positions.append(p);
        }
        return Kind::Positions;
    }
    if (feed == u"balances_snapshot"_s || feed == u"balances"_s) {
        m_balances = {};
        m_balances.snapshot = feed == u"balances_snapshot"_s;
        return readBalances(r, o, m_balances) ? Kind::Balances : failed();
    }
    if (feed == u"notifications_auth"_s) {
        m_notifications = {};
        const JsonNode *list = r.array(o, u"notifications");
        if (!list)
            return failed();
        for (qsizetype i = 0; i < list->elements().size(); ++i) {
            r.enter(u"notifications", i);
            const JsonNode &n = list->elements()[i];
            ws::Notification note;
            if (!(r.req(n, u"id", note.id) && r.opt(n, u"type", note.type) &&
                  r.opt(n, u"priority", note.priority) && r.opt(n, u"note", note.note) &&
                  r.opt(n, u"effective_time", note.effectiveTimeMs)))
                return failed();
            m_notifications.notifications.append(note);
        }
        return Kind::Notifications;
    }
    m_unknown = feed;
    return Kind::Unknown;
}

} // namespace kraken::futures
