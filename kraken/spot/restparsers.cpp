#include "restparsers.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace kraken::spot::parse {
namespace {

// Reads fields and remembers the first problem, so a parser reads straight through and
// checks once at the end.
class Reader {
public:
    explicit Reader(QString what)
        : m_what(std::move(what)) {}

    bool ok() const { return m_problem.isEmpty(); }
    Error error() const {
        return Error(Error::Category::Parse,
                     u"unexpected %1 from Kraken: %2"_s.arg(m_what, m_problem));
    }
    void fail(const QString &problem) {
        if (m_problem.isEmpty())
            m_problem = problem;
    }

    QJsonObject object(const QJsonValue &v, const QString &name) {
        if (!v.isObject())
            fail(u"'%1' is not an object"_s.arg(name));
        return v.toObject();
    }
    QJsonArray array(const QJsonValue &v, const QString &name) {
        if (!v.isArray())
            fail(u"'%1' is not an array"_s.arg(name));
        return v.toArray();
    }
    // Kraken sends numbers as strings in REST; a JSON number is accepted through its text
    // only when it is an integer (exact in a double), never a fraction.
    Decimal decimal(const QJsonValue &v, const QString &name) {
        std::optional<Decimal> d;
        if (v.isString())
            d = Decimal::fromString(v.toString());
        else if (v.isDouble() && v.toDouble() == double(v.toInteger()))
            d = Decimal::fromInt(v.toInteger());
        if (!d) {
            fail(u"'%1' is not a decimal number"_s.arg(name));
            return {};
        }
        return *d;
    }
    Decimal decimal(const QJsonObject &o, const char16_t *key) {
        return decimal(o.value(QStringView(key)), QString::fromUtf16(key));
    }
    std::optional<Decimal> optionalDecimal(const QJsonObject &o, const char16_t *key) {
        const QJsonValue v = o.value(QStringView(key));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        return decimal(v, QString::fromUtf16(key));
    }
    // Times are float epoch seconds in REST, as numbers or strings; keep them exact when
    // they are strings and accept numbers (microsecond resolution suffices for a time).
    Decimal time(const QJsonValue &v, const QString &name) {
        if (v.isDouble()) {
            const auto d = Decimal::fromString(QString::number(v.toDouble(), 'f', 6));
            if (d)
                return d->normalized();
        }
        return decimal(v, name);
    }
    Decimal time(const QJsonObject &o, const char16_t *key) {
        const QJsonValue v = o.value(QStringView(key));
        if (v.isUndefined() || v.isNull())
            return {};
        return time(v, QString::fromUtf16(key));
    }
    qint64 integer(const QJsonValue &v, const QString &name) {
        if (v.isDouble())
            return v.toInteger();
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        if (!ok)
            fail(u"'%1' is not an integer"_s.arg(name));
        return n;
    }
    QString string(const QJsonObject &o, const char16_t *key, bool required = false) {
        const QJsonValue v = o.value(QStringView(key));
        if (required && !v.isString())
            fail(u"'%1' is missing"_s.arg(QString::fromUtf16(key)));
        return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
    }

private:
    QString m_what;
    QString m_problem;
};

// OHLC, Trades, Spread and Depth answer {"<PAIR>": ..., "last": ...}: the one key that is
// not "last" is the pair.
QString pairKey(const QJsonObject &o) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != u"last"_s)
            return it.key();
    }
    return {};
}

OrderInfo readOrder(Reader &r, const QString &txid, const QJsonObject &o) {
    OrderInfo info;
    info.txid = txid;
    info.raw = o;
    info.refid = r.string(o, u"refid");
    info.clOrdId = r.string(o, u"cl_ord_id");
    info.status = r.string(o, u"status", true);
    info.reason = r.string(o, u"reason");
    info.misc = r.string(o, u"misc");
    info.oflags = r.string(o, u"oflags");
    if (o.value(u"userref"_s).isDouble())
        info.userref = o.value(u"userref"_s).toInteger();
    info.openTime = r.time(o, u"opentm");
    info.startTime = r.time(o, u"starttm");
    info.expireTime = r.time(o, u"expiretm");
    info.closeTime = r.time(o, u"closetm");
    const QJsonObject d = r.object(o.value(u"descr"_s), u"descr"_s);
    info.descr = {r.string(d, u"pair"),  r.string(d, u"type"),   r.string(d, u"ordertype"),
                  r.string(d, u"price"), r.string(d, u"price2"), r.string(d, u"leverage"),
                  r.string(d, u"order"), r.string(d, u"close")};
    info.volume = r.decimal(o, u"vol");
    info.volumeExecuted = r.decimal(o, u"vol_exec");
    info.cost = r.decimal(o, u"cost");
    info.fee = r.decimal(o, u"fee");
    info.averagePrice = r.decimal(o, u"price");
    info.stopPrice = r.optionalDecimal(o, u"stopprice").value_or(Decimal());
    info.limitPrice = r.optionalDecimal(o, u"limitprice").value_or(Decimal());
    for (const QJsonValue &t : o.value(u"trades"_s).toArray())
        info.trades.append(t.toString());
    return info;
}

Result<QList<OrderInfo>> readOrderMap(const QJsonValue &v, const QString &what) {
    Reader r(what);
    const QJsonObject map = r.object(v, what);
    QList<OrderInfo> out;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it)
        out.append(readOrder(r, it.key(), r.object(it.value(), it.key())));
    if (!r.ok())
        return r.error();
    return out;
}

Result<OrdersPage> readOrdersPage(const QJsonValue &result, const QString &listKey) {
    Reader r(listKey + u" orders"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    if (!r.ok())
        return r.error();
    auto orders = readOrderMap(o.value(listKey), listKey);
    if (!orders)
        return orders.error();
    OrdersPage page;
    page.orders = std::move(orders).value();
    page.count =
        o.contains(u"count"_s) ? r.integer(o.value(u"count"_s), u"count"_s) : page.orders.size();
    if (!r.ok())
        return r.error();
    return page;
}

} // namespace

Result<ServerTime> serverTime(const QJsonValue &result) {
    Reader r(u"Time answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    ServerTime t{r.integer(o.value(u"unixtime"_s), u"unixtime"_s), r.string(o, u"rfc1123")};
    if (!r.ok())
        return r.error();
    return t;
}

Result<SystemStatus> systemStatus(const QJsonValue &result) {
    Reader r(u"SystemStatus answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    SystemStatus s{r.string(o, u"status", true), r.string(o, u"timestamp")};
    if (!r.ok())
        return r.error();
    return s;
}

Result<QList<AssetInfo>> assets(const QJsonValue &result) {
    Reader r(u"Assets answer"_s);
    const QJsonObject map = r.object(result, u"result"_s);
    QList<AssetInfo> out;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it) {
        const QJsonObject a = r.object(it.value(), it.key());
        AssetInfo info;
        info.code = it.key();
        info.altname = r.string(a, u"altname", true);
        info.aclass = r.string(a, u"aclass");
        info.decimals = int(r.integer(a.value(u"decimals"_s), u"decimals"_s));
        info.displayDecimals = a.value(u"display_decimals"_s).toInt();
        info.status = r.string(a, u"status");
        out.append(info);
    }
    if (!r.ok())
        return r.error();
    return out;
}

Result<InstrumentRegistry> assetPairs(const QJsonValue &result) {
    if (!result.isObject())
        return Error(Error::Category::Parse, u"unexpected AssetPairs answer: not an object"_s);
    QStringList skipped;
    auto reg = InstrumentRegistry::fromAssetPairs(result.toObject(), &skipped);
    if (reg.isEmpty() && !skipped.isEmpty())
        return Error(Error::Category::Parse, skipped.first(), skipped.join(u"; "_s));
    return reg;
}

Result<QList<TickerInfo>> ticker(const QJsonValue &result) {
    Reader r(u"Ticker answer"_s);
    const QJsonObject map = r.object(result, u"result"_s);
    QList<TickerInfo> out;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it) {
        const QJsonObject t = r.object(it.value(), it.key());
        auto at = [&](const char16_t *key, int i) {
            const QJsonArray a = r.array(t.value(QStringView(key)), QString::fromUtf16(key));
            return r.decimal(a.at(i), QString::fromUtf16(key) + u'[' + QString::number(i) + u']');
        };
        TickerInfo ti;
        ti.pair = it.key();
        ti.ask = at(u"a", 0);
        ti.askWholeLotVolume = at(u"a", 1);
        ti.askLotVolume = at(u"a", 2);
        ti.bid = at(u"b", 0);
        ti.bidWholeLotVolume = at(u"b", 1);
        ti.bidLotVolume = at(u"b", 2);
        ti.last = at(u"c", 0);
        ti.lastVolume = at(u"c", 1);
        ti.volumeToday = at(u"v", 0);
        ti.volume24h = at(u"v", 1);
        ti.vwapToday = at(u"p", 0);
        ti.vwap24h = at(u"p", 1);
        const QJsonArray tc = r.array(t.value(u"t"_s), u"t"_s);
        ti.tradesToday = r.integer(tc.at(0), u"t[0]"_s);
        ti.trades24h = r.integer(tc.at(1), u"t[1]"_s);
        ti.lowToday = at(u"l", 0);
        ti.low24h = at(u"l", 1);
        ti.highToday = at(u"h", 0);
        ti.high24h = at(u"h", 1);
        ti.open = r.decimal(t, u"o");
        out.append(ti);
    }
    if (!r.ok())
        return r.error();
    return out;
}

Result<OhlcPage> ohlc(const QJsonValue &result) {
    Reader r(u"OHLC answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    OhlcPage page;
    page.pair = pairKey(o);
    if (page.pair.isEmpty())
        r.fail(u"no pair in the answer"_s);
    page.last = r.integer(o.value(u"last"_s), u"last"_s);
    const QJsonArray rows = r.array(o.value(page.pair), page.pair);
    for (qsizetype i = 0; i < rows.size() && r.ok(); ++i) {
        const QJsonArray row = r.array(rows.at(i), u"row %1"_s.arg(i));
        if (row.size() < 8) {
            r.fail(u"OHLC row %1 has %2 fields, expected 8"_s.arg(i).arg(row.size()));
            break;
        }
        OhlcBar b;
        b.time = r.integer(row.at(0), u"time"_s);
        b.open = r.decimal(row.at(1), u"open"_s);
        b.high = r.decimal(row.at(2), u"high"_s);
        b.low = r.decimal(row.at(3), u"low"_s);
        b.close = r.decimal(row.at(4), u"close"_s);
        b.vwap = r.decimal(row.at(5), u"vwap"_s);
        b.volume = r.decimal(row.at(6), u"volume"_s);
        b.count = r.integer(row.at(7), u"count"_s);
        page.bars.append(b);
    }
    if (!r.ok())
        return r.error();
    return page;
}

Result<DepthSnapshot> depth(const QJsonValue &result) {
    Reader r(u"Depth answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    DepthSnapshot snap;
    snap.pair = pairKey(o);
    if (snap.pair.isEmpty())
        r.fail(u"no pair in the answer"_s);
    const QJsonObject book = r.object(o.value(snap.pair), snap.pair);
    auto side = [&](const char16_t *name, QList<BookLevel> &out) {
        const QJsonArray levels = r.array(book.value(QStringView(name)), QString::fromUtf16(name));
        for (const QJsonValue &lv : levels) {
            const QJsonArray l = r.array(lv, u"level"_s);
            out.append({r.decimal(l.at(0), u"price"_s), r.decimal(l.at(1), u"volume"_s),
                        r.integer(l.at(2), u"timestamp"_s)});
        }
    };
    side(u"asks", snap.asks);
    side(u"bids", snap.bids);
    if (!r.ok())
        return r.error();
    return snap;
}

Result<TradesPage> trades(const QJsonValue &result) {
    Reader r(u"Trades answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    TradesPage page;
    page.pair = pairKey(o);
    if (page.pair.isEmpty())
        r.fail(u"no pair in the answer"_s);
    page.last = r.string(o, u"last");
    for (const QJsonValue &v : r.array(o.value(page.pair), page.pair)) {
        const QJsonArray t = r.array(v, u"trade"_s);
        PublicTrade pt;
        pt.price = r.decimal(t.at(0), u"price"_s);
        pt.volume = r.decimal(t.at(1), u"volume"_s);
        pt.time = r.time(t.at(2), u"time"_s);
        const QString side = t.at(3).toString(), kind = t.at(4).toString();
        pt.side = side.isEmpty() ? QChar() : side.front();
        pt.orderType = kind.isEmpty() ? QChar() : kind.front();
        pt.misc = t.at(5).toString();
        pt.tradeId = t.size() > 6 ? r.integer(t.at(6), u"trade_id"_s) : 0;
        if (pt.side != u'b' && pt.side != u's')
            r.fail(u"trade side is neither 'b' nor 's'"_s);
        page.trades.append(pt);
        if (!r.ok())
            break;
    }
    if (!r.ok())
        return r.error();
    return page;
}

Result<SpreadPage> spread(const QJsonValue &result) {
    Reader r(u"Spread answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    SpreadPage page;
    page.pair = pairKey(o);
    if (page.pair.isEmpty())
        r.fail(u"no pair in the answer"_s);
    page.last = r.integer(o.value(u"last"_s), u"last"_s);
    for (const QJsonValue &v : r.array(o.value(page.pair), page.pair)) {
        const QJsonArray s = r.array(v, u"spread"_s);
        page.entries.append({r.integer(s.at(0), u"time"_s), r.decimal(s.at(1), u"bid"_s),
                             r.decimal(s.at(2), u"ask"_s)});
    }
    if (!r.ok())
        return r.error();
    return page;
}

Result<Balances> balance(const QJsonValue &result) {
    Reader r(u"Balance answer"_s);
    const QJsonObject map = r.object(result, u"result"_s);
    Balances out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out.insert(it.key(), r.decimal(it.value(), it.key()));
    if (!r.ok())
        return r.error();
    return out;
}

Result<ExtendedBalances> balanceEx(const QJsonValue &result) {
    Reader r(u"BalanceEx answer"_s);
    const QJsonObject map = r.object(result, u"result"_s);
    ExtendedBalances out;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const QJsonObject b = r.object(it.value(), it.key());
        ExtendedBalance e;
        e.balance = r.decimal(b, u"balance");
        e.holdTrade = r.optionalDecimal(b, u"hold_trade").value_or(Decimal());
        e.credit = r.optionalDecimal(b, u"credit").value_or(Decimal());
        e.creditUsed = r.optionalDecimal(b, u"credit_used").value_or(Decimal());
        out.insert(it.key(), e);
    }
    if (!r.ok())
        return r.error();
    return out;
}

Result<TradeBalance> tradeBalance(const QJsonValue &result) {
    Reader r(u"TradeBalance answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    TradeBalance tb;
    tb.equivalentBalance = r.decimal(o, u"eb");
    tb.tradeBalance = r.decimal(o, u"tb");
    tb.margin = r.decimal(o, u"m");
    tb.unrealizedNet = r.decimal(o, u"n");
    tb.costBasis = r.decimal(o, u"c");
    tb.valuation = r.decimal(o, u"v");
    tb.equity = r.decimal(o, u"e");
    tb.freeMargin = r.decimal(o, u"mf");
    tb.marginLevel = r.optionalDecimal(o, u"ml");
    tb.unexecutedValue = r.optionalDecimal(o, u"uv");
    if (!r.ok())
        return r.error();
    return tb;
}

Result<OrdersPage> openOrders(const QJsonValue &result) {
    return readOrdersPage(result, u"open"_s);
}

Result<OrdersPage> closedOrders(const QJsonValue &result) {
    return readOrdersPage(result, u"closed"_s);
}

Result<QList<OrderInfo>> queryOrders(const QJsonValue &result) {
    return readOrderMap(result, u"QueryOrders answer"_s);
}

Result<TradesHistoryPage> tradesHistory(const QJsonValue &result) {
    Reader r(u"TradesHistory answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    const QJsonObject map = r.object(o.value(u"trades"_s), u"trades"_s);
    TradesHistoryPage page;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it) {
        const QJsonObject t = r.object(it.value(), it.key());
        TradeInfo ti;
        ti.txid = it.key();
        ti.raw = t;
        ti.orderTxid = r.string(t, u"ordertxid", true);
        ti.posTxid = r.string(t, u"postxid");
        ti.pair = r.string(t, u"pair", true);
        ti.type = r.string(t, u"type");
        ti.orderType = r.string(t, u"ordertype");
        ti.misc = r.string(t, u"misc");
        ti.time = r.time(t, u"time");
        ti.price = r.decimal(t, u"price");
        ti.cost = r.decimal(t, u"cost");
        ti.fee = r.decimal(t, u"fee");
        ti.volume = r.decimal(t, u"vol");
        ti.margin = r.optionalDecimal(t, u"margin").value_or(Decimal());
        if (t.contains(u"trade_id"_s))
            ti.tradeId = r.integer(t.value(u"trade_id"_s), u"trade_id"_s);
        ti.maker = t.value(u"maker"_s).toBool();
        page.trades.append(ti);
    }
    page.count =
        o.contains(u"count"_s) ? r.integer(o.value(u"count"_s), u"count"_s) : page.trades.size();
    if (!r.ok())
        return r.error();
    return page;
}

Result<QList<PositionInfo>> openPositions(const QJsonValue &result) {
    Reader r(u"OpenPositions answer"_s);
    const QJsonObject map = r.object(result, u"result"_s);
    QList<PositionInfo> out;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it) {
        const QJsonObject p = r.object(it.value(), it.key());
        PositionInfo pi;
        pi.positionId = it.key();
        pi.raw = p;
        pi.orderTxid = r.string(p, u"ordertxid");
        pi.pair = r.string(p, u"pair", true);
        pi.type = r.string(p, u"type");
        pi.orderType = r.string(p, u"ordertype");
        pi.misc = r.string(p, u"misc");
        pi.oflags = r.string(p, u"oflags");
        pi.time = r.time(p, u"time");
        pi.cost = r.decimal(p, u"cost");
        pi.fee = r.decimal(p, u"fee");
        pi.volume = r.decimal(p, u"vol");
        pi.volumeClosed = r.optionalDecimal(p, u"vol_closed").value_or(Decimal());
        pi.margin = r.optionalDecimal(p, u"margin").value_or(Decimal());
        pi.value = r.optionalDecimal(p, u"value");
        pi.net = r.optionalDecimal(p, u"net");
        out.append(pi);
    }
    if (!r.ok())
        return r.error();
    return out;
}

Result<LedgerPage> ledgers(const QJsonValue &result) {
    Reader r(u"Ledgers answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    const QJsonObject map = r.object(o.value(u"ledger"_s), u"ledger"_s);
    LedgerPage page;
    for (auto it = map.begin(); it != map.end() && r.ok(); ++it) {
        const QJsonObject l = r.object(it.value(), it.key());
        LedgerEntry e;
        e.id = it.key();
        e.raw = l;
        e.refid = r.string(l, u"refid");
        e.type = r.string(l, u"type");
        e.subtype = r.string(l, u"subtype");
        e.aclass = r.string(l, u"aclass");
        e.asset = r.string(l, u"asset", true);
        e.time = r.time(l, u"time");
        e.amount = r.decimal(l, u"amount");
        e.fee = r.decimal(l, u"fee");
        e.balance = r.decimal(l, u"balance");
        page.entries.append(e);
    }
    page.count =
        o.contains(u"count"_s) ? r.integer(o.value(u"count"_s), u"count"_s) : page.entries.size();
    if (!r.ok())
        return r.error();
    return page;
}

Result<WebSocketToken> webSocketsToken(const QJsonValue &result) {
    Reader r(u"GetWebSocketsToken answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    WebSocketToken t{r.string(o, u"token", true), r.integer(o.value(u"expires"_s), u"expires"_s)};
    if (!r.ok())
        return r.error();
    return t;
}

Result<AddOrderResult> addOrder(const QJsonValue &result) {
    Reader r(u"AddOrder answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    const QJsonObject d = o.value(u"descr"_s).toObject();
    AddOrderResult a{r.string(d, u"order"), r.string(d, u"close"), {}};
    // txid is an array here (unlike AddOrderBatch); absent for validate-only.
    for (const QJsonValue &t : o.value(u"txid"_s).toArray())
        a.txids.append(t.toString());
    if (!r.ok())
        return r.error();
    return a;
}

Result<QList<BatchOrderEntry>> addOrderBatch(const QJsonValue &result) {
    Reader r(u"AddOrderBatch answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    QList<BatchOrderEntry> out;
    for (const QJsonValue &v : r.array(o.value(u"orders"_s), u"orders"_s)) {
        const QJsonObject e = r.object(v, u"order"_s);
        out.append({r.string(e, u"txid"),
                    e.value(u"descr"_s).toObject().value(u"order"_s).toString(),
                    r.string(e, u"error")});
    }
    if (!r.ok())
        return r.error();
    return out;
}

Result<AmendResult> amendOrder(const QJsonValue &result) {
    Reader r(u"AmendOrder answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    AmendResult a{r.string(o, u"amend_id", true)};
    if (!r.ok())
        return r.error();
    return a;
}

Result<EditOrderResult> editOrder(const QJsonValue &result) {
    Reader r(u"EditOrder answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    EditOrderResult e;
    e.txid = r.string(o, u"txid");
    e.originalTxid = r.string(o, u"originaltxid");
    e.status = r.string(o, u"status");
    e.descrOrder = o.value(u"descr"_s).toObject().value(u"order"_s).toString();
    e.ordersCancelled = o.value(u"orders_cancelled"_s).toInteger();
    if (!r.ok())
        return r.error();
    return e;
}

Result<CancelResult> cancel(const QJsonValue &result) {
    Reader r(u"cancel answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    CancelResult c{r.integer(o.value(u"count"_s), u"count"_s), o.value(u"pending"_s).toBool()};
    if (!r.ok())
        return r.error();
    return c;
}

Result<DeadManSwitchStatus> cancelAllOrdersAfter(const QJsonValue &result) {
    Reader r(u"CancelAllOrdersAfter answer"_s);
    const QJsonObject o = r.object(result, u"result"_s);
    DeadManSwitchStatus s{r.string(o, u"currentTime", true), r.string(o, u"triggerTime", true)};
    if (!r.ok())
        return r.error();
    return s;
}

} // namespace kraken::spot::parse
