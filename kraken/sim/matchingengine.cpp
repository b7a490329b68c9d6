#include "matchingengine.h"

#include "faults.h"
#include "kraken/core/ratelimits.h"
#include "logging.h"
#include "marketsim.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr qint64 TokenLifetimeMs = 15 * 60 * 1000;

Decimal add(const Decimal &a, const Decimal &b) {
    return a.plus(b).value_or(a);
}
Decimal sub(const Decimal &a, const Decimal &b) {
    return a.minus(b).value_or(a);
}
Decimal minOf(const Decimal &a, const Decimal &b) {
    return a < b ? a : b;
}
Side opposite(Side s) {
    return s == Side::Buy ? Side::Sell : Side::Buy;
}
// Does a buy at `buyPrice` meet a sell at `sellPrice`?
bool crosses(Side takerSide, const Decimal &limit, const Decimal &restingPrice) {
    return takerSide == Side::Buy ? restingPrice <= limit : restingPrice >= limit;
}
bool marketLike(OrderType t) {
    return t == OrderType::Market || t == OrderType::StopLoss || t == OrderType::TakeProfit ||
           t == OrderType::TrailingStop;
}
// Kraken's "fits the instrument" rule: no more places than it allows.
bool fitsScale(const Decimal &d, int places) {
    return d.normalized().scale() <= places;
}

QString dstr(const Decimal &d) {
    return d.toString();
}
Decimal dparse(const QJsonValue &v) {
    return Decimal::fromString(v.toString()).value_or(Decimal());
}
std::optional<Decimal> doptParse(const QJsonValue &v) {
    if (!v.isString())
        return std::nullopt;
    return Decimal::fromString(v.toString());
}

QJsonValue specToJson(const std::optional<PriceSpec> &s) {
    if (!s)
        return QJsonValue();
    return QJsonObject{
        {u"value"_s, dstr(s->value)}, {u"type"_s, int(s->type)}, {u"auto"_s, s->autoSign}};
}
std::optional<PriceSpec> specFromJson(const QJsonValue &v) {
    if (!v.isObject())
        return std::nullopt;
    const QJsonObject o = v.toObject();
    return PriceSpec{dparse(o.value(u"value"_s)), PriceType(o.value(u"type"_s).toInt()),
                     o.value(u"auto"_s).toBool()};
}
QJsonValue optToJson(const std::optional<Decimal> &d) {
    return d ? QJsonValue(dstr(*d)) : QJsonValue();
}

} // namespace

MatchingEngine::MatchingEngine(const SimConfig &config, std::vector<MarketSim *> markets,
                               Faults *faults, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_faults(faults)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_rng(config.seed * 0x9E3779B97F4A7C15ULL + 0x5151) {
    for (MarketSim *m : markets) {
        if (!m)
            continue;
        const QString symbol = m->symbol();
        m_markets[symbol] = m;
        m_books[symbol];
        if (const auto last = m->lastPrice())
            m_lastPrice[symbol] = *last;
        m->setUserMatcher([this, symbol](Side s, const Decimal &price, const Decimal &maxQty) {
            return matchResting(symbol, s, price, maxQty);
        });
        connect(m, &MarketSim::tradePrinted, this,
                [this, symbol](const MarketTrade &t) { onTradePrinted(symbol, t); });
    }
    for (const SimAccount &a : m_config.accounts) {
        Account acc;
        acc.config = a;
        acc.balances = a.balances;
        m_accounts[a.id] = std::move(acc);
    }
    m_timer = new QTimer(this);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &MatchingEngine::tick);
    m_timer->start();
}

MatchingEngine::~MatchingEngine() {
    for (auto &[symbol, m] : m_markets)
        m->setUserMatcher({});
}

void MatchingEngine::setClock(Clock clock) {
    m_clock = std::move(clock);
}

MarketSim *MatchingEngine::market(const QString &symbol) const {
    const auto it = m_markets.find(symbol);
    return it == m_markets.end() ? nullptr : it->second;
}

const SimAccount *MatchingEngine::account(const QString &accountId) const {
    const Account *a = acct(accountId);
    return a ? &a->config : nullptr;
}

MatchingEngine::Account *MatchingEngine::acct(const QString &id) {
    const auto it = m_accounts.find(id);
    return it == m_accounts.end() ? nullptr : &it->second;
}

const MatchingEngine::Account *MatchingEngine::acct(const QString &id) const {
    const auto it = m_accounts.find(id);
    return it == m_accounts.end() ? nullptr : &it->second;
}

const SimPair *MatchingEngine::pairOf(const QString &symbol) const {
    return m_config.pairBySymbol(symbol);
}

QString MatchingEngine::quoteAsset(const QString &symbol) const {
    const SimPair *p = pairOf(symbol);
    return p ? p->instrument.quote() : QString();
}

QString MatchingEngine::baseAsset(const QString &symbol) const {
    const SimPair *p = pairOf(symbol);
    return p ? p->instrument.base() : QString();
}

int MatchingEngine::assetDecimals(const QString &asset) const {
    const SimAsset *a = m_config.assetByDisplay(asset);
    return a ? a->decimals : 8;
}

QString MatchingEngine::newId(QChar prefix) {
    static constexpr char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (;;) {
        QString id;
        id.reserve(19);
        id.append(prefix);
        for (int i = 1; i < 19; ++i) {
            if (i == 6 || i == 12)
                id.append(u'-');
            else
                id.append(QChar::fromLatin1(Alphabet[m_rng() % 32]));
        }
        if (!m_orders.count(id) && !m_tradeIndex.count(id) && !m_ledgerIndex.count(id))
            return id;
    }
}

QString MatchingEngine::chargeTrading(Account &a, const QString &symbol, int cost) {
    auto it = a.counters.find(symbol);
    if (it == a.counters.end()) {
        const CounterLimits l = tradingLimits(a.config.tier);
        it = a.counters.emplace(symbol, RateCounter(l.maxCounter, l.decayMilliPerSecond)).first;
    }
    const qint64 t = now();
    if (cost > 0 && it->second.delayFor(cost, t) > 0)
        return u"EOrder:Rate limit exceeded"_s;
    it->second.reserve(cost, t);
    Q_EMIT tradingCounterChanged(a.config.id, symbol, it->second.value(t));
    return {};
}

double MatchingEngine::tradingCounter(const QString &accountId, const QString &symbol) const {
    const Account *a = acct(accountId);
    if (!a)
        return 0;
    const auto it = a->counters.find(symbol);
    return it == a->counters.end() ? 0.0 : it->second.value(now());
}

int MatchingEngine::tradingCounterMax(const QString &accountId) const {
    const Account *a = acct(accountId);
    return tradingLimits(a ? a->config.tier : VerificationTier::Starter).maxCounter;
}

// ---------------------------------------------------------------------------------------------
// Validation and pricing

std::optional<Decimal> MatchingEngine::resolvePrice(const PriceSpec &spec, const Decimal &reference,
                                                    bool positiveWhenAuto, int decimals) const {
    if (spec.type == PriceType::Static)
        return spec.value;
    Decimal offset = spec.value;
    if (spec.autoSign)
        offset = positiveWhenAuto ? offset.abs() : offset.abs().negated();
    if (spec.type == PriceType::Pct) {
        const auto scaled = reference.times(offset, reference.scale() + offset.scale());
        if (!scaled)
            return std::nullopt;
        const auto delta = scaled->dividedBy(Decimal::fromInt(100), decimals);
        if (!delta)
            return std::nullopt;
        offset = *delta;
    }
    const auto out = reference.plus(offset);
    if (!out)
        return std::nullopt;
    return out->rescaled(decimals);
}

namespace {

// The trailing trigger: `distance` behind the peak (below it for a sell).
std::optional<Decimal> trailTrigger(const PriceSpec &distance, const Decimal &peak, Side side,
                                    int decimals) {
    Decimal d = distance.value.abs();
    if (distance.type == PriceType::Pct) {
        const auto scaled = peak.times(d, peak.scale() + d.scale());
        if (!scaled)
            return std::nullopt;
        const auto delta = scaled->dividedBy(Decimal::fromInt(100), decimals);
        if (!delta)
            return std::nullopt;
        d = *delta;
    }
    const auto out = side == Side::Sell ? peak.minus(d) : peak.plus(d);
    if (!out)
        return std::nullopt;
    return out->rescaled(decimals);
}

} // namespace

QString MatchingEngine::validate(const Account &a, const OrderParams &p, SimOrder &o) const {
    const SimPair *pair = pairOf(p.symbol);
    if (!pair)
        return u"EQuery:Unknown asset pair"_s;
    const Instrument &ins = pair->instrument;
    const int pd = ins.pairDecimals();
    const QString status = ins.status();
    if (status == u"cancel_only"_s || status == u"maintenance"_s)
        return u"EService:Market in cancel_only mode"_s;
    if (status == u"post_only"_s && !(p.postOnly && hasLimitPrice(p.type)))
        return u"EService:Market in post_only mode"_s;
    if (status == u"limit_only"_s && marketLike(p.type))
        return u"EService:Market in limit_only mode"_s;

    o.accountId = a.config.id;
    o.symbol = p.symbol;
    o.clOrdId = p.clOrdId;
    o.userref = p.userref;
    o.side = p.side;
    o.type = p.type;
    o.qty = p.qty;
    o.cashQty = p.cashQty;
    o.displayQty = p.displayQty;
    o.limitSpec = p.limit;
    o.triggerSpec = p.trigger;
    o.tif = p.tif;
    o.expireMs = p.expireMs;
    o.postOnly = p.postOnly;
    o.reduceOnly = p.reduceOnly;
    o.feeInBase = p.feeInBase;

    if (!p.clOrdId.isEmpty() && p.userref)
        return u"EGeneral:Invalid arguments:cl_ord_id and userref cannot be combined"_s;
    if (!p.clOrdId.isEmpty() && orderByClOrdId(a.config.id, p.clOrdId))
        return u"EOrder:Duplicate cl_ord_id"_s;
    if (p.cashQty) {
        if (p.type != OrderType::Market || p.side != Side::Buy)
            return u"EGeneral:Invalid arguments:viqc"_s;
        if (p.cashQty->signum() <= 0 || !fitsScale(*p.cashQty, ins.costDecimals()))
            return u"EGeneral:Invalid arguments:volume"_s;
        o.qty = Decimal();
    } else {
        if (p.qty.signum() <= 0 || !fitsScale(p.qty, ins.lotDecimals()))
            return u"EGeneral:Invalid arguments:volume"_s;
        if (!pair->qtyIncrement.isZero() && !p.qty.isMultipleOf(pair->qtyIncrement))
            return u"EGeneral:Invalid arguments:volume"_s;
        if (p.qty < ins.orderMin())
            return u"EOrder:Order minimum not met"_s;
    }
    if (p.type == OrderType::Iceberg) {
        if (!p.displayQty || p.displayQty->signum() <= 0 || *p.displayQty > p.qty ||
            !fitsScale(*p.displayQty, ins.lotDecimals()))
            return u"EGeneral:Invalid arguments:displayvol"_s;
        // Kraken: the shown part is at least 1/15 of the order.
        const auto min = p.qty.dividedBy(Decimal::fromInt(15), ins.lotDecimals(), Rounding::Down);
        if (min && *p.displayQty < *min)
            return u"EGeneral:Invalid arguments:displayvol"_s;
    } else if (p.displayQty) {
        return u"EGeneral:Invalid arguments:displayvol"_s;
    }
    if (p.postOnly && p.type != OrderType::Limit && p.type != OrderType::Iceberg)
        return u"EGeneral:Invalid arguments:oflags"_s;
    if (p.tif == TimeInForce::GTD) {
        if (p.expireMs <= now())
            return u"EGeneral:Invalid arguments:expiretm"_s;
    }
    if (p.tif == TimeInForce::IOC && p.postOnly)
        return u"EGeneral:Invalid arguments:timeinforce"_s;

    std::optional<Decimal> last;
    if (const auto it = m_lastPrice.find(p.symbol); it != m_lastPrice.end())
        last = it->second;
    if (!last) {
        if (MarketSim *m = market(p.symbol))
            last = m->lastPrice();
    }
    auto checkStatic = [&](const PriceSpec &s) -> QString {
        if (s.type != PriceType::Static)
            return {};
        if (s.value.signum() <= 0 || !fitsScale(s.value, pd))
            return u"EOrder:Invalid price"_s;
        const Decimal tick = pair->priceIncrement.isZero() ? ins.tickSize() : pair->priceIncrement;
        if (!tick.isZero() && !s.value.isMultipleOf(tick))
            return u"EOrder:Invalid price"_s;
        return {};
    };
    const bool limitNamedPrice2 = hasTrigger(p.type);
    if (hasLimitPrice(p.type) && !p.limit)
        return limitNamedPrice2 ? u"EGeneral:Invalid arguments:price2"_s
                                : u"EGeneral:Invalid arguments:price"_s;
    if (hasTrigger(p.type) && !p.trigger)
        return u"EGeneral:Invalid arguments:price"_s;
    if ((p.limit && p.limit->type != PriceType::Static) ||
        (p.trigger && p.trigger->type != PriceType::Static)) {
        if (!last)
            return u"EGeneral:Invalid arguments:price"_s;
    }
    if (isTrailing(p.type)) {
        // The trailing distance is always relative ("+50", "+1.5%" in REST).
        if (p.trigger->type == PriceType::Static || p.trigger->value.signum() <= 0)
            return u"EGeneral:Invalid arguments:price"_s;
        o.peakPrice = last;
        o.triggerPrice = trailTrigger(*p.trigger, *last, p.side, pd);
        if (p.type == OrderType::TrailingStopLimit && o.triggerPrice) {
            PriceSpec off = *p.limit;
            if (off.type == PriceType::Static)
                off.type = PriceType::Quote; // WS: a static value is the offset itself
            o.limitPrice = resolvePrice(off, *o.triggerPrice, p.side == Side::Buy, pd);
        }
    } else if (hasTrigger(p.type)) {
        if (const QString e = checkStatic(*p.trigger); !e.isEmpty())
            return e;
        const bool stop = p.type == OrderType::StopLoss || p.type == OrderType::StopLossLimit;
        const bool up = stop ? p.side == Side::Buy : p.side == Side::Sell;
        o.triggerPrice = resolvePrice(*p.trigger, last.value_or(Decimal()), up, pd);
        if (p.limit) {
            if (const QString e = checkStatic(*p.limit); !e.isEmpty())
                return e;
            o.limitPrice = resolvePrice(*p.limit, *o.triggerPrice, p.side == Side::Buy, pd);
        }
    } else if (p.limit && hasLimitPrice(p.type)) {
        if (const QString e = checkStatic(*p.limit); !e.isEmpty())
            return e;
        o.limitPrice = resolvePrice(*p.limit, last.value_or(Decimal()), p.side == Side::Sell, pd);
    }
    if ((hasTrigger(p.type) && (!o.triggerPrice || o.triggerPrice->signum() <= 0)) ||
        (hasLimitPrice(p.type) && (!o.limitPrice || o.limitPrice->signum() <= 0)))
        return u"EOrder:Invalid price"_s;

    // Cost minimum on the price the order would trade at.
    const std::optional<Decimal> refPrice = o.limitPrice     ? o.limitPrice
                                            : o.triggerPrice ? o.triggerPrice
                                                             : last;
    if (!p.cashQty && refPrice && !ins.costMin().isZero()) {
        const auto cost = refPrice->times(o.qty, ins.costDecimals());
        if (cost && *cost < ins.costMin())
            return u"EOrder:Cost minimum not met"_s;
    }
    if (p.cashQty && !ins.costMin().isZero() && *p.cashQty < ins.costMin())
        return u"EOrder:Cost minimum not met"_s;

    // Post-only: never take. Checked against the published book (synthetic and user).
    if (p.postOnly && o.limitPrice) {
        if (MarketSim *m = market(p.symbol)) {
            const auto best = p.side == Side::Buy ? m->bestAsk() : m->bestBid();
            if (best && crosses(p.side, *o.limitPrice, *best))
                return u"EOrder:Post only order"_s;
        }
    }
    return {};
}

Decimal MatchingEngine::requiredHold(const SimOrder &o) const {
    if (!isOpen(o.status) && o.status != OrderStatus::PendingNew)
        return {};
    const Decimal left = o.remaining();
    if (left.signum() <= 0)
        return {};
    if (o.side == Side::Sell)
        return left;
    const std::optional<Decimal> price = o.limitPrice ? o.limitPrice : o.triggerPrice;
    if (!price)
        return {};
    const QString quote = quoteAsset(o.symbol);
    const int qd = assetDecimals(quote);
    const Decimal value = price->times(left, qd, Rounding::Up).value_or(Decimal());
    const Account *a = acct(o.accountId);
    const Decimal pct = a ? a->config.takerFeePct : Decimal();
    const Decimal feeRaw = value.times(pct, value.scale() + pct.scale()).value_or(Decimal());
    const Decimal fee =
        feeRaw.dividedBy(Decimal::fromInt(100), qd, Rounding::Up).value_or(Decimal());
    return add(value, fee);
}

std::optional<Decimal> MatchingEngine::estimateMarketCost(const SimOrder &o) const {
    const Account *a = acct(o.accountId);
    const QString quote = quoteAsset(o.symbol);
    const int qd = assetDecimals(quote);
    Decimal cost;
    if (o.cashQty) {
        cost = *o.cashQty;
    } else {
        MarketSim *m = market(o.symbol);
        if (!m)
            return std::nullopt;
        Decimal left = o.remaining();
        for (const SimLevel &l : m->levels(Side::Sell, 0)) {
            if (left.signum() <= 0)
                break;
            const Decimal q = minOf(left, l.qty);
            cost = add(cost, l.price.times(q, qd, Rounding::Up).value_or(Decimal()));
            left = sub(left, q);
        }
    }
    const Decimal pct = a ? a->config.takerFeePct : Decimal();
    const Decimal feeRaw = cost.times(pct, cost.scale() + pct.scale()).value_or(Decimal());
    return add(cost, feeRaw.dividedBy(Decimal::fromInt(100), qd, Rounding::Up).value_or(Decimal()));
}

QString MatchingEngine::checkFunds(const Account &a, const SimOrder &o,
                                   const SimOrder *replacing) const {
    const QString asset = o.side == Side::Buy ? quoteAsset(o.symbol) : baseAsset(o.symbol);
    Decimal avail = available(a.config.id, asset);
    if (replacing)
        avail = add(avail, replacing->hold);
    Decimal need;
    if (o.side == Side::Buy && o.type == OrderType::Market)
        need = estimateMarketCost(o).value_or(Decimal());
    else
        need = requiredHold(o);
    if (need > avail)
        return u"EOrder:Insufficient funds"_s;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Order entry

MatchingEngine::AddResult MatchingEngine::addOrder(const QString &accountId,
                                                   const OrderParams &params, bool charge) {
    Account *a = acct(accountId);
    if (!a)
        return {u"EGeneral:Permission denied"_s, {}, {}};
    if (charge && pairOf(params.symbol)) {
        // Kraken charges on receipt, even for an order that then fails validation.
        if (QString e = chargeTrading(*a, params.symbol, tradingCost(TradingAction::Add, 0));
            !e.isEmpty())
            return {e, {}, {}};
    }
    SimOrder o;
    if (QString e = validate(*a, params, o); !e.isEmpty())
        return {e, {}, {}};
    if (QString e = checkFunds(*a, o, nullptr); !e.isEmpty())
        return {e, {}, {}};
    if (params.validateOnly)
        return {{}, {}, o};

    const qint64 t = now();
    o.id = newId(u'O');
    o.openMs = o.lastActionMs = t;
    o.status = OrderStatus::PendingNew;
    const QString id = o.id;
    m_orders[id] = o;
    m_orderSeq.push_back(id);
    SimOrder &ref = m_orders[id];
    updateHold(ref);
    emitExec(u"pending_new"_s, ref);
    if (hasTrigger(ref.type)) {
        ref.status = OrderStatus::New;
        emitExec(u"new"_s, ref);
        // A trigger already met on arrival fires at once, as on Kraken.
        const auto last = m_lastPrice.find(ref.symbol);
        if (last != m_lastPrice.end())
            checkTriggers(ref.symbol, last->second);
    } else {
        execute(ref);
    }
    return {{}, id, m_orders[id]};
}

std::vector<MatchingEngine::AddResult>
MatchingEngine::addOrderBatch(const QString &accountId, const std::vector<OrderParams> &orders,
                              QString *error) {
    std::vector<AddResult> out;
    Account *a = acct(accountId);
    if (!a) {
        *error = u"EGeneral:Permission denied"_s;
        return out;
    }
    if (orders.size() < 2 || orders.size() > 15) {
        *error = u"EGeneral:Invalid arguments:orders"_s;
        return out;
    }
    const QString symbol = orders.front().symbol;
    for (const OrderParams &p : orders) {
        if (p.symbol != symbol) {
            *error = u"EGeneral:Invalid arguments:pair"_s;
            return out;
        }
    }
    if (!pairOf(symbol)) {
        *error = u"EQuery:Unknown asset pair"_s;
        return out;
    }
    if (QString e = chargeTrading(*a, symbol, batchAddCost(int(orders.size()))); !e.isEmpty()) {
        *error = e;
        return out;
    }
    for (const OrderParams &p : orders)
        out.push_back(addOrder(accountId, p, false));
    return out;
}

SimOrder *MatchingEngine::findOpen(const QString &accountId, const QString &ref) {
    if (ref.isEmpty())
        return nullptr;
    if (auto it = m_orders.find(ref);
        it != m_orders.end() && it->second.accountId == accountId && isOpen(it->second.status))
        return &it->second;
    const SimOrder *byCl = orderByClOrdId(accountId, ref);
    return byCl ? &m_orders[byCl->id] : nullptr;
}

MatchingEngine::AmendResult MatchingEngine::amendOrder(const QString &accountId,
                                                       const AmendParams &p) {
    Account *a = acct(accountId);
    if (!a)
        return {u"EGeneral:Permission denied"_s, {}, {}};
    SimOrder *op = findOpen(accountId, p.orderId.isEmpty() ? p.clOrdId : p.orderId);
    if (!op)
        return {u"EOrder:Unknown order"_s, {}, {}};
    SimOrder &o = *op;
    if (QString e =
            chargeTrading(*a, o.symbol, tradingCost(TradingAction::Amend, now() - o.lastActionMs));
        !e.isEmpty())
        return {e, {}, {}};
    const SimPair *pair = pairOf(o.symbol);
    const Instrument &ins = pair->instrument;
    const int pd = ins.pairDecimals();

    SimOrder n = o; // the order as amended
    if (p.qty) {
        if (p.qty->signum() <= 0 || !fitsScale(*p.qty, ins.lotDecimals()) || o.cashQty)
            return {u"EGeneral:Invalid arguments:order_qty"_s, {}, {}};
        if (*p.qty < ins.orderMin())
            return {u"EOrder:Order minimum not met"_s, {}, {}};
        n.qty = *p.qty;
    }
    if (p.displayQty) {
        if (o.type != OrderType::Iceberg || p.displayQty->signum() <= 0 ||
            !fitsScale(*p.displayQty, ins.lotDecimals()))
            return {u"EGeneral:Invalid arguments:display_qty"_s, {}, {}};
        n.displayQty = *p.displayQty;
    }
    if (p.limit) {
        if (!hasLimitPrice(o.type) || (hasTrigger(o.type) && o.triggered))
            return {u"EGeneral:Invalid arguments:limit_price"_s, {}, {}};
        if (p.limit->type == PriceType::Static &&
            (p.limit->value.signum() <= 0 || !fitsScale(p.limit->value, pd) ||
             (!pair->priceIncrement.isZero() &&
              !p.limit->value.isMultipleOf(pair->priceIncrement))))
            return {u"EOrder:Invalid price"_s, {}, {}};
        n.limitSpec = p.limit;
        const Decimal ref =
            hasTrigger(o.type) ? o.triggerPrice.value_or(Decimal()) : m_lastPrice[o.symbol];
        PriceSpec spec = *p.limit;
        if (o.type == OrderType::TrailingStopLimit && spec.type == PriceType::Static)
            spec.type = PriceType::Quote;
        n.limitPrice = resolvePrice(spec, ref, o.side == Side::Sell, pd);
        if (!n.limitPrice || n.limitPrice->signum() <= 0)
            return {u"EOrder:Invalid price"_s, {}, {}};
    }
    if (p.trigger) {
        if (!hasTrigger(o.type) || o.triggered)
            return {u"EGeneral:Invalid arguments:trigger_price"_s, {}, {}};
        n.triggerSpec = p.trigger;
        if (isTrailing(o.type)) {
            if (p.trigger->type == PriceType::Static)
                return {u"EGeneral:Invalid arguments:trigger_price"_s, {}, {}};
            n.triggerPrice = trailTrigger(*p.trigger, o.peakPrice.value_or(Decimal()), o.side, pd);
        } else {
            n.triggerPrice =
                resolvePrice(*p.trigger, m_lastPrice[o.symbol], o.side == Side::Buy, pd);
        }
        if (!n.triggerPrice || n.triggerPrice->signum() <= 0)
            return {u"EOrder:Invalid price"_s, {}, {}};
    }
    if (p.postOnly)
        n.postOnly = *p.postOnly;
    const bool priceChanged = n.limitPrice != o.limitPrice;
    if (n.postOnly && n.limitPrice && o.isResting() && priceChanged) {
        MarketSim *m = market(o.symbol);
        const auto best = o.side == Side::Buy ? m->bestAsk() : m->bestBid();
        if (best && crosses(o.side, *n.limitPrice, *best))
            return {u"EOrder:Post only order"_s, {}, {}};
    }
    if (n.type == OrderType::Iceberg && n.displayQty && *n.displayQty > n.qty)
        return {u"EGeneral:Invalid arguments:display_qty"_s, {}, {}};
    n.hold = {};
    if (n.remaining().signum() > 0) {
        if (QString e = checkFunds(*a, n, &o); !e.isEmpty())
            return {e, {}, {}};
    }

    const bool wasResting = o.isResting();
    const bool qtyUp = n.qty > o.qty;
    const bool displayUp = n.displayQty && o.displayQty && *n.displayQty > *o.displayQty;
    const bool requeue = wasResting && (priceChanged || qtyUp || displayUp);
    if (requeue)
        unrest(o);
    o.qty = n.qty;
    o.displayQty = n.displayQty;
    o.limitSpec = n.limitSpec;
    o.limitPrice = n.limitPrice;
    o.triggerSpec = n.triggerSpec;
    o.triggerPrice = n.triggerPrice;
    o.postOnly = n.postOnly;
    o.amended = true;
    o.lastActionMs = now();
    const QString amendId = newId(u'T');
    if (o.remaining().signum() <= 0) {
        // Kraken: amending below the filled quantity cancels the rest.
        unrest(o);
        emitExec(u"amended"_s, o, u"User requested"_s);
        closeOrder(o, OrderStatus::Canceled, u"User requested"_s);
        return {{}, amendId, o.id};
    }
    if (wasResting && !requeue) {
        // Keeps its place: only the shown quantity shrinks.
        Decimal shown = o.remaining();
        if (o.type == OrderType::Iceberg && o.displayQty)
            shown = minOf(shown, *o.displayQty);
        if (shown < o.displayed) {
            market(o.symbol)->addUserQty(o.side, *o.limitPrice, sub(shown, o.displayed));
            o.displayed = shown;
        }
    }
    updateHold(o);
    emitExec(u"amended"_s, o, u"User requested"_s);
    const QString id = o.id;
    if (requeue)
        execute(o);
    else if (hasTrigger(o.type) && !o.triggered)
        checkTriggers(o.symbol, m_lastPrice[o.symbol]);
    return {{}, amendId, id};
}

MatchingEngine::EditResult MatchingEngine::editOrder(const QString &accountId,
                                                     const EditParams &p) {
    EditResult r;
    Account *a = acct(accountId);
    if (!a) {
        r.error = u"EGeneral:Permission denied"_s;
        return r;
    }
    SimOrder *op = findOpen(accountId, p.orderId);
    if (!op) {
        r.error = u"EOrder:Unknown order"_s;
        return r;
    }
    if (!p.symbol.isEmpty() && p.symbol != op->symbol) {
        r.error = u"EGeneral:Invalid arguments:pair"_s;
        return r;
    }
    if (op->cashQty || op->triggered) {
        r.error = u"EOrder:Invalid order"_s;
        return r;
    }
    if (QString e = chargeTrading(*a, op->symbol,
                                  tradingCost(TradingAction::Edit, now() - op->lastActionMs));
        !e.isEmpty()) {
        r.error = e;
        return r;
    }
    OrderParams np;
    np.symbol = op->symbol;
    np.side = op->side;
    np.type = op->type;
    np.qty = p.qty.value_or(op->remaining());
    np.displayQty = p.displayQty ? p.displayQty : op->displayQty;
    if (np.displayQty && *np.displayQty > np.qty)
        np.displayQty = np.qty;
    np.limit = p.limit ? p.limit : op->limitSpec;
    np.trigger = p.trigger ? p.trigger : op->triggerSpec;
    np.tif = op->tif;
    np.expireMs = op->expireMs;
    np.postOnly = p.postOnly.value_or(op->postOnly);
    np.reduceOnly = op->reduceOnly;
    np.feeInBase = op->feeInBase;
    np.userref = p.userref ? p.userref : op->userref;
    SimOrder probe;
    const QString keepCl = op->clOrdId;
    {
        // Validate as if the original were gone (its cl_ord_id and hold are released).
        SimOrder saved = *op;
        op->clOrdId.clear();
        np.clOrdId = keepCl;
        QString e = validate(*a, np, probe);
        op->clOrdId = saved.clOrdId;
        if (e.isEmpty())
            e = checkFunds(*a, probe, op);
        if (!e.isEmpty()) {
            r.error = e;
            return r;
        }
    }
    r.originalOrderId = op->id;
    if (p.validateOnly) {
        r.newOrder = probe;
        return r;
    }
    closeOrder(*op, OrderStatus::Canceled, u"Order replaced"_s);
    AddResult added = addOrder(accountId, np, false);
    if (!added.error.isEmpty()) {
        r.error = added.error;
        return r;
    }
    r.newOrderId = added.orderId;
    r.newOrder = added.order;
    return r;
}

MatchingEngine::CancelResult MatchingEngine::cancelOrders(const QString &accountId,
                                                          const QStringList &refs, bool charge) {
    CancelResult r;
    Account *a = acct(accountId);
    if (!a) {
        r.error = u"EGeneral:Permission denied"_s;
        return r;
    }
    std::vector<QString> ids;
    for (const QString &ref : refs) {
        if (SimOrder *o = findOpen(accountId, ref)) {
            ids.push_back(o->id);
            continue;
        }
        bool isInt = false;
        const qint64 userref = ref.toLongLong(&isInt);
        if (!isInt)
            continue;
        for (const QString &id : m_orderSeq) {
            const SimOrder &o = m_orders[id];
            if (o.accountId == accountId && isOpen(o.status) && o.userref == userref)
                ids.push_back(id);
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) {
        r.error = u"EOrder:Unknown order"_s;
        return r;
    }
    if (charge) {
        std::map<QString, int> costs;
        for (const QString &id : ids) {
            const SimOrder &o = m_orders[id];
            costs[o.symbol] += tradingCost(TradingAction::Cancel, now() - o.lastActionMs);
        }
        for (const auto &[symbol, cost] : costs) {
            if (QString e = chargeTrading(*a, symbol, cost); !e.isEmpty()) {
                r.error = e;
                return r;
            }
        }
    }
    for (const QString &id : ids) {
        closeOrder(m_orders[id], OrderStatus::Canceled, u"User requested"_s);
        r.orderIds.append(id);
    }
    return r;
}

int MatchingEngine::cancelAll(const QString &accountId) {
    int n = 0;
    for (const QString &id : m_orderSeq) {
        SimOrder &o = m_orders[id];
        if (o.accountId == accountId && isOpen(o.status)) {
            closeOrder(o, OrderStatus::Canceled, u"User requested"_s);
            ++n;
        }
    }
    return n;
}

qint64 MatchingEngine::cancelAllOrdersAfter(const QString &accountId, int timeoutSeconds) {
    Account *a = acct(accountId);
    if (!a)
        return 0;
    a->deadManMs = timeoutSeconds > 0 ? now() + qint64(timeoutSeconds) * 1000 : 0;
    return a->deadManMs;
}

qint64 MatchingEngine::deadManTrigger(const QString &accountId) const {
    const Account *a = acct(accountId);
    return a ? a->deadManMs : 0;
}

// ---------------------------------------------------------------------------------------------
// Execution

void MatchingEngine::emitExec(const QString &type, const SimOrder &o, const QString &reason,
                              const std::optional<SimTrade> &trade) {
    ExecReport r;
    r.execType = type;
    r.execId = trade ? trade->id : newId(u'E');
    r.order = o;
    r.trade = trade;
    r.reason = reason;
    r.timeMs = now();
    Q_EMIT execution(o.accountId, r);
}

std::optional<Decimal> MatchingEngine::bestUserPrice(const QString &symbol, Side side) const {
    const auto it = m_books.find(symbol);
    if (it == m_books.end())
        return std::nullopt;
    const auto &levels = it->second.side(side).levels;
    if (levels.empty())
        return std::nullopt;
    return side == Side::Buy ? levels.rbegin()->first : levels.begin()->first;
}

void MatchingEngine::execute(SimOrder &o) {
    if (o.status == OrderStatus::PendingNew) {
        o.status = OrderStatus::New;
        emitExec(u"new"_s, o);
    }
    MarketSim *m = market(o.symbol);
    if (!m) {
        closeOrder(o, OrderStatus::Canceled, u"Market unavailable"_s);
        return;
    }
    if (marketLike(o.type)) {
        takeLiquidity(o, std::nullopt, true);
        if (isOpen(o.status)) {
            if (o.filled.isZero() || o.remaining().signum() > 0)
                closeOrder(o, OrderStatus::Canceled, u"Insufficient liquidity"_s);
            else
                finishIfDone(o);
        }
        return;
    }
    const Decimal limit = *o.limitPrice;
    const SimPair *pair = pairOf(o.symbol);
    const Decimal tick =
        pair->priceIncrement.isZero() ? pair->instrument.tickSize() : pair->priceIncrement;
    // Synthetic liquidity only trades up to (not through) the user's own opposite orders,
    // which take() never consumes: self-trade prevention, cancel-newest, keeps the book uncrossed.
    std::optional<Decimal> takeLimit = limit;
    bool stp = false;
    if (const auto own = bestUserPrice(o.symbol, opposite(o.side));
        own && crosses(o.side, limit, *own)) {
        stp = true;
        takeLimit = o.side == Side::Buy ? own->minus(tick) : own->plus(tick);
    }
    const auto best = o.side == Side::Buy ? m->bestAsk() : m->bestBid();
    if (takeLimit && best && crosses(o.side, *takeLimit, *best) && !o.postOnly)
        takeLiquidity(o, takeLimit, false);
    if (!isOpen(o.status))
        return;
    if (o.remaining().signum() <= 0) {
        finishIfDone(o);
    } else if (o.tif == TimeInForce::IOC) {
        closeOrder(o, OrderStatus::Canceled, u"Immediate or cancel"_s);
    } else if (stp) {
        closeOrder(o, OrderStatus::Canceled, u"Self trade prevention"_s);
    } else {
        rest(o, false);
    }
}

void MatchingEngine::takeLiquidity(SimOrder &o, const std::optional<Decimal> &limit, bool mkt) {
    MarketSim *m = market(o.symbol);
    std::vector<MarketTrade> printed;
    m_capture = &printed;
    std::vector<SimFill> fills;
    if (o.cashQty) {
        const Decimal left = sub(*o.cashQty, o.cost);
        fills = m->takeQuote(o.side, left);
    } else {
        fills = m->take(o.side, o.remaining(), limit, mkt);
    }
    m_capture = nullptr;
    // An order by cost learns its quantity from what it bought.
    if (o.cashQty) {
        for (const SimFill &f : fills)
            o.qty = add(o.qty, f.qty);
    }
    for (size_t i = 0; i < fills.size(); ++i) {
        const qint64 tid = i < printed.size() ? printed[i].tradeId : ++m_lastTradeId[o.symbol];
        applyFill(o, fills[i].price, fills[i].qty, false, tid);
    }
}

void MatchingEngine::rest(SimOrder &o, bool newEvent) {
    MarketSim *m = market(o.symbol);
    Decimal shown = o.remaining();
    if (o.type == OrderType::Iceberg && o.displayQty)
        shown = minOf(shown, *o.displayQty);
    if (shown.signum() <= 0 || !m)
        return;
    o.displayed = shown;
    m->addUserQty(o.side, *o.limitPrice, shown);
    m_books[o.symbol].side(o.side).levels[*o.limitPrice].push_back(o.id);
    if (newEvent)
        emitExec(u"iceberg_refill"_s, o);
}

void MatchingEngine::unrest(SimOrder &o) {
    if (!o.limitPrice)
        return;
    auto &levels = m_books[o.symbol].side(o.side).levels;
    if (auto it = levels.find(*o.limitPrice); it != levels.end()) {
        auto &q = it->second;
        q.erase(std::remove(q.begin(), q.end(), o.id), q.end());
        // matchResting holds this level; it erases it itself when done.
        if (q.empty() && !m_inMatcher)
            levels.erase(it);
    }
    if (o.displayed.signum() > 0) {
        if (MarketSim *m = market(o.symbol))
            m->addUserQty(o.side, *o.limitPrice, o.displayed.negated());
        o.displayed = {};
    }
}

void MatchingEngine::updateHold(SimOrder &o) {
    o.hold = requiredHold(o);
}

void MatchingEngine::applyFill(SimOrder &o, const Decimal &price, const Decimal &qty, bool maker,
                               qint64 publicTradeId) {
    Account *a = acct(o.accountId);
    if (!a || qty.signum() <= 0)
        return;
    const QString base = baseAsset(o.symbol), quote = quoteAsset(o.symbol);
    const int qd = assetDecimals(quote);
    const Decimal cost = price.times(qty, qd).value_or(Decimal());
    const Decimal pct = maker ? a->config.makerFeePct : a->config.takerFeePct;
    const Decimal feeRaw = cost.times(pct, cost.scale() + pct.scale()).value_or(Decimal());
    const Decimal fee =
        feeRaw.dividedBy(Decimal::fromInt(100), qd, Rounding::HalfUp).value_or(Decimal());

    o.filled = add(o.filled, qty);
    o.cost = add(o.cost, cost);
    o.fee = add(o.fee, fee);
    o.status = o.remaining().signum() > 0 ? OrderStatus::PartiallyFilled : OrderStatus::Filled;
    if (o.status == OrderStatus::Filled)
        o.closeMs = now();

    SimTrade t;
    t.id = newId(u'T');
    t.orderId = o.id;
    t.accountId = o.accountId;
    t.symbol = o.symbol;
    t.side = o.side;
    t.orderType = o.type;
    t.price = price;
    t.qty = qty;
    t.cost = cost;
    t.fee = fee;
    t.maker = maker;
    t.timeMs = now();
    t.publicTradeId = publicTradeId;
    o.tradeIds.append(t.id);

    if (o.side == Side::Buy) {
        a->balances[base] = add(a->balances.value(base), qty);
        a->balances[quote] = sub(sub(a->balances.value(quote), cost), fee);
    } else {
        a->balances[base] = sub(a->balances.value(base), qty);
        a->balances[quote] = sub(add(a->balances.value(quote), cost), fee);
    }
    updateHold(o);
    if (o.status == OrderStatus::Filled)
        o.hold = {};
    postLedger(*a, t, base, o.side == Side::Buy ? qty : qty.negated(), Decimal(), t);
    postLedger(*a, t, quote, o.side == Side::Buy ? cost.negated() : cost, fee, t);
    m_tradeIndex[t.id] = m_trades.size();
    m_trades.push_back(t);
    const SimOrder snapshot = o; // emitting may reenter nothing, but keep the event stable
    emitExec(u"trade"_s, snapshot, {}, t);
    for (const QString &lid : t.ledgerIds)
        Q_EMIT ledgerPosted(o.accountId, m_ledgers[m_ledgerIndex[lid]]);
    if (o.status == OrderStatus::Filled)
        finishIfDone(o);
}

void MatchingEngine::postLedger(Account &a, const SimTrade &t, const QString &asset,
                                const Decimal &amount, const Decimal &fee, SimTrade &trade) {
    SimLedgerEntry e;
    e.id = newId(u'L');
    e.refId = t.id;
    e.accountId = a.config.id;
    e.asset = asset;
    e.amount = amount;
    e.fee = fee;
    e.balance = a.balances.value(asset);
    e.timeMs = t.timeMs;
    m_ledgerIndex[e.id] = m_ledgers.size();
    m_ledgers.push_back(e);
    trade.ledgerIds.append(e.id);
}

void MatchingEngine::finishIfDone(SimOrder &o) {
    if (o.remaining().signum() > 0)
        return;
    unrest(o);
    o.status = OrderStatus::Filled;
    o.hold = {};
    if (o.closeMs == 0)
        o.closeMs = now();
    emitExec(u"filled"_s, o);
}

void MatchingEngine::closeOrder(SimOrder &o, OrderStatus status, const QString &reason) {
    if (!isOpen(o.status))
        return;
    unrest(o);
    o.status = status;
    o.reason = reason;
    o.closeMs = now();
    o.hold = {};
    emitExec(status == OrderStatus::Expired ? u"expired"_s : u"canceled"_s, o, reason);
}

Decimal MatchingEngine::matchResting(const QString &symbol, Side restingSide, const Decimal &price,
                                     const Decimal &maxQty) {
    auto &levels = m_books[symbol].side(restingSide).levels;
    auto it = levels.find(price);
    if (it == levels.end() || maxQty.signum() <= 0)
        return {};
    m_inMatcher = true;
    // The market prints one trade for everything we fill here, right after we return.
    qint64 publicId = 1;
    if (MarketSim *m = market(symbol); m && !m->recentTrades().empty())
        publicId = m->recentTrades().back().tradeId + 1;
    Decimal left = maxQty, total;
    auto &q = it->second;
    while (!q.empty() && left.signum() > 0) {
        SimOrder &o = m_orders[q.front()];
        if (o.displayed.signum() <= 0 || !isOpen(o.status)) {
            q.pop_front();
            continue;
        }
        const Decimal f = minOf(o.displayed, left);
        o.displayed = sub(o.displayed, f);
        left = sub(left, f);
        total = add(total, f);
        const bool exhausted = o.displayed.signum() <= 0;
        if (exhausted)
            q.pop_front(); // before the fill, which may close the order
        applyFill(o, price, f, true, publicId);
        if (exhausted && isOpen(o.status) && o.remaining().signum() > 0) {
            m_pendingRefills.push_back(o.id);
            scheduleWork();
        }
    }
    if (q.empty())
        levels.erase(it);
    m_inMatcher = false;
    return total;
}

void MatchingEngine::onTradePrinted(const QString &symbol, const MarketTrade &t) {
    m_lastPrice[symbol] = t.price;
    m_lastTradeId[symbol] = std::max(m_lastTradeId[symbol], t.tradeId);
    if (m_capture)
        m_capture->push_back(t);
    if (std::find(m_dirtySymbols.begin(), m_dirtySymbols.end(), symbol) == m_dirtySymbols.end())
        m_dirtySymbols.push_back(symbol);
    scheduleWork();
}

void MatchingEngine::scheduleWork() {
    if (m_workScheduled)
        return;
    m_workScheduled = true;
    QMetaObject::invokeMethod(this, &MatchingEngine::processPending, Qt::QueuedConnection);
}

void MatchingEngine::processPending() {
    m_workScheduled = false;
    const std::vector<QString> refills = std::exchange(m_pendingRefills, {});
    for (const QString &id : refills) {
        SimOrder &o = m_orders[id];
        if (!isOpen(o.status) || o.displayed.signum() > 0 || o.remaining().signum() <= 0)
            continue;
        // Refilled at the back of the queue; a book that moved through the price takes first.
        MarketSim *m = market(o.symbol);
        const auto best = o.side == Side::Buy ? m->bestAsk() : m->bestBid();
        if (best && crosses(o.side, *o.limitPrice, *best)) {
            execute(o);
            continue;
        }
        rest(o, true);
    }
    const std::vector<QString> dirty = std::exchange(m_dirtySymbols, {});
    for (const QString &symbol : dirty) {
        const auto it = m_lastPrice.find(symbol);
        if (it != m_lastPrice.end())
            checkTriggers(symbol, it->second);
    }
}

void MatchingEngine::checkTriggers(const QString &symbol, const Decimal &last) {
    const SimPair *pair = pairOf(symbol);
    if (!pair)
        return;
    const int pd = pair->instrument.pairDecimals();
    std::vector<QString> fire;
    for (const QString &id : m_orderSeq) {
        SimOrder &o = m_orders[id];
        if (o.symbol != symbol || !isOpen(o.status) || !hasTrigger(o.type) || o.triggered)
            continue;
        if (isTrailing(o.type) && o.triggerSpec) {
            const bool better =
                !o.peakPrice || (o.side == Side::Sell ? last > *o.peakPrice : last < *o.peakPrice);
            if (better) {
                o.peakPrice = last;
                o.triggerPrice = trailTrigger(*o.triggerSpec, last, o.side, pd);
                if (o.type == OrderType::TrailingStopLimit && o.limitSpec && o.triggerPrice) {
                    PriceSpec off = *o.limitSpec;
                    if (off.type == PriceType::Static)
                        off.type = PriceType::Quote;
                    o.limitPrice = resolvePrice(off, *o.triggerPrice, o.side == Side::Buy, pd);
                }
                updateHold(o);
                emitExec(u"restated"_s, o, u"Trailing stop adjusted"_s);
            }
        }
        if (!o.triggerPrice)
            continue;
        const Decimal &tp = *o.triggerPrice;
        const bool stopLike = o.type == OrderType::StopLoss || o.type == OrderType::StopLossLimit ||
                              isTrailing(o.type);
        bool hit;
        if (stopLike)
            hit = o.side == Side::Sell ? last <= tp : last >= tp;
        else
            hit = o.side == Side::Sell ? last >= tp : last <= tp;
        if (hit)
            fire.push_back(id);
    }
    for (const QString &id : fire)
        trigger(m_orders[id], last);
}

void MatchingEngine::trigger(SimOrder &o, const Decimal &) {
    if (!isOpen(o.status) || o.triggered)
        return;
    o.triggered = true;
    updateHold(o);
    emitExec(u"status"_s, o, u"Order triggered"_s);
    execute(o);
}

void MatchingEngine::tick() {
    const qint64 t = now();
    for (const QString &id : m_orderSeq) {
        SimOrder &o = m_orders[id];
        if (isOpen(o.status) && o.tif == TimeInForce::GTD && o.expireMs > 0 && o.expireMs <= t)
            closeOrder(o, OrderStatus::Expired, u"Order expired"_s);
    }
    for (auto &[id, a] : m_accounts) {
        if (a.deadManMs > 0 && a.deadManMs <= t) {
            a.deadManMs = 0;
            qCInfo(lcSim) << "dead man's switch fired for account" << id;
            for (const QString &oid : m_orderSeq) {
                SimOrder &o = m_orders[oid];
                if (o.accountId == id && isOpen(o.status))
                    closeOrder(o, OrderStatus::Canceled, u"Dead man's switch"_s);
            }
        }
    }
    processPending();
}

// ---------------------------------------------------------------------------------------------
// Account queries

Decimal MatchingEngine::balance(const QString &accountId, const QString &asset) const {
    const Account *a = acct(accountId);
    return a ? a->balances.value(asset) : Decimal();
}

Decimal MatchingEngine::held(const QString &accountId, const QString &asset) const {
    Decimal h;
    for (const auto &[id, o] : m_orders) {
        if (o.accountId != accountId || !isOpen(o.status) || o.hold.isZero())
            continue;
        const QString holdAsset = o.side == Side::Buy ? quoteAsset(o.symbol) : baseAsset(o.symbol);
        if (holdAsset == asset)
            h = add(h, o.hold);
    }
    return h;
}

Decimal MatchingEngine::available(const QString &accountId, const QString &asset) const {
    return sub(balance(accountId, asset), held(accountId, asset));
}

QStringList MatchingEngine::assetsOf(const QString &accountId) const {
    const Account *a = acct(accountId);
    return a ? a->balances.keys() : QStringList();
}

const SimOrder *MatchingEngine::order(const QString &orderId) const {
    const auto it = m_orders.find(orderId);
    return it == m_orders.end() ? nullptr : &it->second;
}

const SimOrder *MatchingEngine::orderByClOrdId(const QString &accountId,
                                               const QString &clOrdId) const {
    if (clOrdId.isEmpty())
        return nullptr;
    for (const auto &[id, o] : m_orders) {
        if (o.accountId == accountId && o.clOrdId == clOrdId && isOpen(o.status))
            return &o;
    }
    return nullptr;
}

std::vector<SimOrder> MatchingEngine::openOrders(const QString &accountId) const {
    std::vector<SimOrder> out;
    for (const QString &id : m_orderSeq) {
        const SimOrder &o = m_orders.at(id);
        if (o.accountId == accountId && isOpen(o.status))
            out.push_back(o);
    }
    return out;
}

std::vector<SimOrder> MatchingEngine::closedOrders(const QString &accountId) const {
    std::vector<SimOrder> out;
    for (const QString &id : m_orderSeq) {
        const SimOrder &o = m_orders.at(id);
        if (o.accountId == accountId && !isOpen(o.status))
            out.push_back(o);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const SimOrder &a, const SimOrder &b) { return a.closeMs > b.closeMs; });
    return out;
}

namespace {

// One account's rows of a journal kept oldest first, newest first (as Kraken lists them).
template<typename Row>
std::vector<Row> newestFirstFor(const std::vector<Row> &journal, const QString &accountId) {
    std::vector<Row> out;
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
        if (it->accountId == accountId)
            out.push_back(*it);
    }
    return out;
}

} // namespace

std::vector<SimTrade> MatchingEngine::trades(const QString &accountId) const {
    return newestFirstFor(m_trades, accountId);
}

const SimTrade *MatchingEngine::trade(const QString &tradeId) const {
    const auto it = m_tradeIndex.find(tradeId);
    return it == m_tradeIndex.end() ? nullptr : &m_trades[it->second];
}

std::vector<SimLedgerEntry> MatchingEngine::ledgers(const QString &accountId) const {
    return newestFirstFor(m_ledgers, accountId);
}

const SimLedgerEntry *MatchingEngine::ledger(const QString &ledgerId) const {
    const auto it = m_ledgerIndex.find(ledgerId);
    return it == m_ledgerIndex.end() ? nullptr : &m_ledgers[it->second];
}

// ---------------------------------------------------------------------------------------------
// Tokens

QString MatchingEngine::issueWsToken(const QString &accountId) {
    static constexpr char Alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    QString token;
    for (int i = 0; i < 43; ++i)
        token.append(QChar::fromLatin1(Alphabet[m_rng() % 64]));
    m_tokens[token] = {accountId, now()};
    return token;
}

QString MatchingEngine::accountOfToken(const QString &token) const {
    const auto it = m_tokens.find(token);
    if (it == m_tokens.end() || now() - it->second.second > TokenLifetimeMs)
        return {};
    return it->second.first;
}

// ---------------------------------------------------------------------------------------------
// State

namespace {

QJsonObject orderToJson(const SimOrder &o) {
    QJsonObject j;
    j[u"id"_s] = o.id;
    j[u"account"_s] = o.accountId;
    j[u"symbol"_s] = o.symbol;
    j[u"cl_ord_id"_s] = o.clOrdId;
    if (o.userref)
        j[u"userref"_s] = QString::number(*o.userref);
    j[u"side"_s] = sideName(o.side);
    j[u"type"_s] = orderTypeName(o.type);
    j[u"qty"_s] = dstr(o.qty);
    j[u"cash_qty"_s] = optToJson(o.cashQty);
    j[u"display_qty"_s] = optToJson(o.displayQty);
    j[u"limit_spec"_s] = specToJson(o.limitSpec);
    j[u"trigger_spec"_s] = specToJson(o.triggerSpec);
    j[u"limit_price"_s] = optToJson(o.limitPrice);
    j[u"trigger_price"_s] = optToJson(o.triggerPrice);
    j[u"peak_price"_s] = optToJson(o.peakPrice);
    j[u"triggered"_s] = o.triggered;
    j[u"tif"_s] = int(o.tif);
    j[u"expire_ms"_s] = QString::number(o.expireMs);
    j[u"post_only"_s] = o.postOnly;
    j[u"reduce_only"_s] = o.reduceOnly;
    j[u"fee_in_base"_s] = o.feeInBase;
    j[u"status"_s] = int(o.status);
    j[u"reason"_s] = o.reason;
    j[u"filled"_s] = dstr(o.filled);
    j[u"cost"_s] = dstr(o.cost);
    j[u"fee"_s] = dstr(o.fee);
    j[u"open_ms"_s] = QString::number(o.openMs);
    j[u"close_ms"_s] = QString::number(o.closeMs);
    j[u"last_action_ms"_s] = QString::number(o.lastActionMs);
    j[u"amended"_s] = o.amended;
    j[u"displayed"_s] = dstr(o.displayed);
    j[u"hold"_s] = dstr(o.hold);
    j[u"trades"_s] = QJsonArray::fromStringList(o.tradeIds);
    return j;
}

SimOrder orderFromJson(const QJsonObject &j) {
    SimOrder o;
    o.id = j[u"id"_s].toString();
    o.accountId = j[u"account"_s].toString();
    o.symbol = j[u"symbol"_s].toString();
    o.clOrdId = j[u"cl_ord_id"_s].toString();
    if (j.contains(u"userref"_s))
        o.userref = j[u"userref"_s].toString().toLongLong();
    o.side = sideFromName(j[u"side"_s].toString()).value_or(Side::Sell);
    o.type = orderTypeFromName(j[u"type"_s].toString()).value_or(OrderType::Limit);
    o.qty = dparse(j[u"qty"_s]);
    o.cashQty = doptParse(j[u"cash_qty"_s]);
    o.displayQty = doptParse(j[u"display_qty"_s]);
    o.limitSpec = specFromJson(j[u"limit_spec"_s]);
    o.triggerSpec = specFromJson(j[u"trigger_spec"_s]);
    o.limitPrice = doptParse(j[u"limit_price"_s]);
    o.triggerPrice = doptParse(j[u"trigger_price"_s]);
    o.peakPrice = doptParse(j[u"peak_price"_s]);
    o.triggered = j[u"triggered"_s].toBool();
    o.tif = TimeInForce(j[u"tif"_s].toInt());
    o.expireMs = j[u"expire_ms"_s].toString().toLongLong();
    o.postOnly = j[u"post_only"_s].toBool();
    o.reduceOnly = j[u"reduce_only"_s].toBool();
    o.feeInBase = j[u"fee_in_base"_s].toBool();
    o.status = OrderStatus(j[u"status"_s].toInt());
    o.reason = j[u"reason"_s].toString();
    o.filled = dparse(j[u"filled"_s]);
    o.cost = dparse(j[u"cost"_s]);
    o.fee = dparse(j[u"fee"_s]);
    o.openMs = j[u"open_ms"_s].toString().toLongLong();
    o.closeMs = j[u"close_ms"_s].toString().toLongLong();
    o.lastActionMs = j[u"last_action_ms"_s].toString().toLongLong();
    o.amended = j[u"amended"_s].toBool();
    o.displayed = dparse(j[u"displayed"_s]);
    o.hold = dparse(j[u"hold"_s]);
    for (const QJsonValue &t : j[u"trades"_s].toArray())
        o.tradeIds.append(t.toString());
    return o;
}

} // namespace

QJsonObject MatchingEngine::saveState() const {
    QJsonObject accounts;
    for (const auto &[id, a] : m_accounts) {
        QJsonObject bal;
        for (auto it = a.balances.begin(); it != a.balances.end(); ++it)
            bal[it.key()] = dstr(it.value());
        accounts[id] =
            QJsonObject{{u"balances"_s, bal}, {u"dead_man_ms"_s, QString::number(a.deadManMs)}};
    }
    QJsonArray orders;
    for (const QString &id : m_orderSeq)
        orders.append(orderToJson(m_orders.at(id)));
    QJsonArray queues;
    for (const auto &[symbol, book] : m_books) {
        for (Side s : {Side::Buy, Side::Sell}) {
            for (const auto &[price, ids] : book.side(s).levels) {
                QJsonArray a;
                for (const QString &id : ids)
                    a.append(id);
                queues.append(QJsonObject{{u"symbol"_s, symbol},
                                          {u"side"_s, sideName(s)},
                                          {u"price"_s, dstr(price)},
                                          {u"orders"_s, a}});
            }
        }
    }
    QJsonArray trades;
    for (const SimTrade &t : m_trades) {
        trades.append(QJsonObject{
            {u"id"_s, t.id},
            {u"order"_s, t.orderId},
            {u"account"_s, t.accountId},
            {u"symbol"_s, t.symbol},
            {u"side"_s, sideName(t.side)},
            {u"order_type"_s, orderTypeName(t.orderType)},
            {u"price"_s, dstr(t.price)},
            {u"qty"_s, dstr(t.qty)},
            {u"cost"_s, dstr(t.cost)},
            {u"fee"_s, dstr(t.fee)},
            {u"maker"_s, t.maker},
            {u"time_ms"_s, QString::number(t.timeMs)},
            {u"trade_id"_s, QString::number(t.publicTradeId)},
            {u"ledgers"_s, QJsonArray::fromStringList(t.ledgerIds)},
        });
    }
    QJsonArray ledgers;
    for (const SimLedgerEntry &e : m_ledgers) {
        ledgers.append(QJsonObject{
            {u"id"_s, e.id},
            {u"refid"_s, e.refId},
            {u"account"_s, e.accountId},
            {u"type"_s, e.type},
            {u"asset"_s, e.asset},
            {u"amount"_s, dstr(e.amount)},
            {u"fee"_s, dstr(e.fee)},
            {u"balance"_s, dstr(e.balance)},
            {u"time_ms"_s, QString::number(e.timeMs)},
        });
    }
    return QJsonObject{{u"version"_s, 1},     {u"accounts"_s, accounts}, {u"orders"_s, orders},
                       {u"queues"_s, queues}, {u"trades"_s, trades},     {u"ledgers"_s, ledgers}};
}

bool MatchingEngine::restoreState(const QJsonObject &state, QString *error) {
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (state.value(u"version"_s).toInt() != 1)
        return fail(u"unsupported engine state version"_s);
    // Parse everything first, so a bad file changes nothing.
    std::map<QString, SimOrder> orders;
    std::vector<QString> seq;
    for (const QJsonValue &v : state.value(u"orders"_s).toArray()) {
        SimOrder o = orderFromJson(v.toObject());
        if (o.id.isEmpty() || !acct(o.accountId) || !pairOf(o.symbol))
            return fail(u"bad order in state: %1"_s.arg(o.id));
        seq.push_back(o.id);
        orders[o.id] = o;
    }
    std::vector<SimTrade> trades;
    for (const QJsonValue &v : state.value(u"trades"_s).toArray()) {
        const QJsonObject j = v.toObject();
        SimTrade t;
        t.id = j[u"id"_s].toString();
        t.orderId = j[u"order"_s].toString();
        t.accountId = j[u"account"_s].toString();
        t.symbol = j[u"symbol"_s].toString();
        t.side = sideFromName(j[u"side"_s].toString()).value_or(Side::Sell);
        t.orderType = orderTypeFromName(j[u"order_type"_s].toString()).value_or(OrderType::Limit);
        t.price = dparse(j[u"price"_s]);
        t.qty = dparse(j[u"qty"_s]);
        t.cost = dparse(j[u"cost"_s]);
        t.fee = dparse(j[u"fee"_s]);
        t.maker = j[u"maker"_s].toBool();
        t.timeMs = j[u"time_ms"_s].toString().toLongLong();
        t.publicTradeId = j[u"trade_id"_s].toString().toLongLong();
        for (const QJsonValue &l : j[u"ledgers"_s].toArray())
            t.ledgerIds.append(l.toString());
        trades.push_back(t);
    }
    std::vector<SimLedgerEntry> ledgers;
    for (const QJsonValue &v : state.value(u"ledgers"_s).toArray()) {
        const QJsonObject j = v.toObject();
        SimLedgerEntry e;
        e.id = j[u"id"_s].toString();
        e.refId = j[u"refid"_s].toString();
        e.accountId = j[u"account"_s].toString();
        e.type = j[u"type"_s].toString();
        e.asset = j[u"asset"_s].toString();
        e.amount = dparse(j[u"amount"_s]);
        e.fee = dparse(j[u"fee"_s]);
        e.balance = dparse(j[u"balance"_s]);
        e.timeMs = j[u"time_ms"_s].toString().toLongLong();
        ledgers.push_back(e);
    }
    const QJsonObject accounts = state.value(u"accounts"_s).toObject();

    // Take the current orders out of the public book, then put the restored ones in.
    for (auto &[id, o] : m_orders) {
        if (o.displayed.signum() > 0 && o.limitPrice) {
            if (MarketSim *m = market(o.symbol))
                m->addUserQty(o.side, *o.limitPrice, o.displayed.negated());
        }
    }
    for (auto &[symbol, book] : m_books)
        book = Book();
    m_orders = std::move(orders);
    m_orderSeq = std::move(seq);
    m_trades = std::move(trades);
    m_ledgers = std::move(ledgers);
    m_tradeIndex.clear();
    m_ledgerIndex.clear();
    for (size_t i = 0; i < m_trades.size(); ++i)
        m_tradeIndex[m_trades[i].id] = i;
    for (size_t i = 0; i < m_ledgers.size(); ++i)
        m_ledgerIndex[m_ledgers[i].id] = i;
    for (auto &[id, a] : m_accounts) {
        const QJsonObject j = accounts.value(id).toObject();
        if (j.isEmpty())
            continue;
        a.balances.clear();
        const QJsonObject bal = j.value(u"balances"_s).toObject();
        for (auto it = bal.begin(); it != bal.end(); ++it)
            a.balances[it.key()] = dparse(it.value());
        a.deadManMs = j.value(u"dead_man_ms"_s).toString().toLongLong();
    }
    for (const QJsonValue &v : state.value(u"queues"_s).toArray()) {
        const QJsonObject q = v.toObject();
        const QString symbol = q[u"symbol"_s].toString();
        const Side side = sideFromName(q[u"side"_s].toString()).value_or(Side::Sell);
        const Decimal price = dparse(q[u"price"_s]);
        MarketSim *m = market(symbol);
        for (const QJsonValue &idv : q[u"orders"_s].toArray()) {
            const auto it = m_orders.find(idv.toString());
            if (it == m_orders.end() || !m || !isOpen(it->second.status) ||
                it->second.displayed.signum() <= 0)
                continue;
            m_books[symbol].side(side).levels[price].push_back(it->first);
            m->addUserQty(side, price, it->second.displayed);
        }
    }
    // Iceberg orders caught between a fill and their refill.
    for (const QString &id : m_orderSeq) {
        const SimOrder &o = m_orders[id];
        if (isOpen(o.status) && o.limitPrice && o.displayed.isZero() &&
            (!hasTrigger(o.type) || o.triggered) && !marketLike(o.type))
            m_pendingRefills.push_back(id);
    }
    m_rng.seed(m_config.seed * 0x9E3779B97F4A7C15ULL + m_orders.size() * 7919 + m_trades.size());
    scheduleWork();
    return true;
}

} // namespace kraken::sim
