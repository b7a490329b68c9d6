#include "futuresengine.h"

#include "faults.h"
#include "logging.h"

#include <QJsonArray>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kraken::sim {

QString triggerSignalName(TriggerSignal signal) {
    switch (signal) {
    case TriggerSignal::Mark:
        return u"mark_price"_s;
    case TriggerSignal::Index:
        return u"spot_price"_s;
    case TriggerSignal::Last:
        break;
    }
    return u"last_price"_s;
}

namespace {

constexpr int UsdScale = 8;   // flex collateral and linear PnL
constexpr int CoinScale = 10; // inverse margin accounts (BTC)
constexpr int RateScale = 12; // relative funding rates

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

// Decimal arithmetic that cannot fail for the magnitudes the paper exchange deals in; an
// overflow (a nonsense order) is logged and leaves the left operand.
Decimal add(const Decimal &a, const Decimal &b) {
    if (const auto r = a.plus(b))
        return *r;
    qCWarning(lcSim) << "futures: decimal overflow in add";
    return a;
}
Decimal sub(const Decimal &a, const Decimal &b) {
    if (const auto r = a.minus(b))
        return *r;
    qCWarning(lcSim) << "futures: decimal overflow in sub";
    return a;
}
Decimal mul(const Decimal &a, const Decimal &b, int scale) {
    if (const auto r = a.times(b, scale))
        return *r;
    qCWarning(lcSim) << "futures: decimal overflow in mul";
    return {};
}
Decimal div(const Decimal &a, const Decimal &b, int scale) {
    if (const auto r = a.dividedBy(b, scale))
        return *r;
    return {};
}
// The exact product at the operands' own scales (normalised first, so 60000.00000000 does
// not eat the mantissa's range); intermediate results stay exact and are rounded once at the end.
Decimal exact(const Decimal &a, const Decimal &b) {
    const Decimal x = a.normalized(), y = b.normalized();
    return mul(x, y, std::min(x.scale() + y.scale(), Decimal::MaxScale));
}
Decimal at(const Decimal &a, int scale) {
    return a.rescaled(scale).value_or(a);
}

// The size step of a contract: 10^-precision (a negative precision means multiples of 10^k).
Decimal sizeStep(int precision) {
    if (precision >= 0)
        return *Decimal::fromParts(1, std::min(precision, Decimal::MaxScale));
    qint64 v = 1;
    for (int i = 0; i < -precision && i < 18; ++i)
        v *= 10;
    return Decimal::fromInt(v);
}

// The AssetPairs-shaped entry MarketSim needs for a futures contract.
SimPair marketPair(const SimFuturesInstrument &f) {
    const int lot = std::clamp(f.contractValueTradePrecision, 0, 12);
    QJsonObject o{{u"altname"_s, f.symbol},
                  {u"wsname"_s, QString(f.symbol + u'/' + f.quote)},
                  {u"base"_s, f.symbol},
                  {u"quote"_s, f.quote},
                  {u"pair_decimals"_s, f.pricePrecision},
                  {u"lot_decimals"_s, lot},
                  {u"cost_decimals"_s, UsdScale},
                  {u"tick_size"_s, f.tickSize.toString()},
                  {u"ordermin"_s, sizeStep(lot).toString()},
                  {u"costmin"_s, u"0"_s},
                  {u"status"_s, u"online"_s}};
    SimPair p;
    p.assetPair = o;
    p.restKey = f.symbol;
    if (auto in = Instrument::fromAssetPair(f.symbol, o))
        p.instrument = *in;
    p.startPrice = f.startPrice;
    p.pricePrecision = f.pricePrecision;
    p.qtyPrecision = lot;
    p.priceIncrement = f.tickSize;
    p.qtyIncrement = sizeStep(lot);
    return p;
}

bool isKnownType(const QString &t) {
    static const QStringList types{u"lmt"_s, u"post"_s,        u"ioc"_s,          u"mkt"_s,
                                   u"stp"_s, u"take_profit"_s, u"trailing_stop"_s};
    return types.contains(t);
}

} // namespace

Decimal FuturesOrder::unfilled() const {
    return sub(size, filled);
}

bool FuturesOrder::isTrigger() const {
    return type == u"stp"_s || type == u"take_profit"_s || type == u"trailing_stop"_s;
}

FuturesEngine::FuturesEngine(const SimConfig &config, SpotLookup spot, Faults *faults,
                             QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_faults(faults)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_rng(config.seed * 0x2545F4914F6CDD1DULL + 0xF07E5) {
    // Each contract walks on its own stream, apart from the Spot markets' streams.
    quint64 n = 0;
    for (const SimFuturesInstrument &f : std::as_const(m_config.futures)) {
        const QString symbol = f.symbol.toUpper();
        Contract &c = m_contracts[symbol];
        c.spec = &f;
        c.market = std::make_unique<MarketSim>(marketPair(f), m_config.seed * 7919u + 17 + n++);
        c.spot = spot ? spot(f.indexSpotSymbol) : nullptr;
        c.last = c.market->lastPrice();
        c.market->setUserMatcher([this, symbol](Side s, const Decimal &price, const Decimal &q) {
            return matchResting(symbol, s, price, q);
        });
        connect(c.market.get(), &MarketSim::tradePrinted, this,
                [this, symbol](const MarketTrade &t) {
                    if (Contract *k = contract(symbol))
                        k->last = t.price;
                    m_dirty.push_back(symbol);
                    schedulePending();
                });
    }
    for (const SimAccount &a : m_config.accounts) {
        if (a.futuresApiKey.isEmpty())
            continue;
        Account acc;
        acc.config = a;
        for (auto it = a.futuresFlex.begin(); it != a.futuresFlex.end(); ++it)
            if (it.key() == u"USD"_s) // other currencies would need haircuts and prices
                acc.collateral[u"flex"_s] = at(it.value(), UsdScale);
        for (auto it = a.futuresInverse.begin(); it != a.futuresInverse.end(); ++it)
            acc.collateral[it.key()] = at(it.value(), CoinScale);
        m_accounts[a.id] = std::move(acc);
    }
    const qint64 interval = qint64(std::max(1, m_config.futuresFundingIntervalSec)) * 1000;
    m_nextFundingMs = (now() / interval + 1) * interval;
    m_timer = new QTimer(this);
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &FuturesEngine::tick);
    m_timer->start();
}

FuturesEngine::~FuturesEngine() {
    for (auto &[symbol, c] : m_contracts)
        c.market->setUserMatcher({});
}

void FuturesEngine::setClock(Clock clock) {
    m_clock = std::move(clock);
    const qint64 interval = qint64(std::max(1, m_config.futuresFundingIntervalSec)) * 1000;
    m_nextFundingMs = (now() / interval + 1) * interval;
}

FuturesEngine::Contract *FuturesEngine::contract(const QString &symbol) {
    const auto it = m_contracts.find(symbol.toUpper());
    return it == m_contracts.end() ? nullptr : &it->second;
}
const FuturesEngine::Contract *FuturesEngine::contract(const QString &symbol) const {
    const auto it = m_contracts.find(symbol.toUpper());
    return it == m_contracts.end() ? nullptr : &it->second;
}
FuturesEngine::Account *FuturesEngine::acct(const QString &id) {
    const auto it = m_accounts.find(id);
    return it == m_accounts.end() ? nullptr : &it->second;
}
const FuturesEngine::Account *FuturesEngine::acct(const QString &id) const {
    const auto it = m_accounts.find(id);
    return it == m_accounts.end() ? nullptr : &it->second;
}

const SimFuturesInstrument *FuturesEngine::instrument(const QString &symbol) const {
    const Contract *c = contract(symbol);
    return c ? c->spec : nullptr;
}
MarketSim *FuturesEngine::market(const QString &symbol) const {
    const Contract *c = contract(symbol);
    return c ? c->market.get() : nullptr;
}
std::vector<MarketSim *> FuturesEngine::markets() const {
    std::vector<MarketSim *> out;
    for (const auto &[s, c] : m_contracts)
        out.push_back(c.market.get());
    return out;
}
bool FuturesEngine::hasAccount(const QString &accountId) const {
    return acct(accountId) != nullptr;
}

// Kraken's order ids are UUIDs; ours come from the seeded generator, so runs repeat.
QString FuturesEngine::newId() {
    const quint64 a = m_rng(), b = m_rng();
    const QString hex = QString::number(a, 16).rightJustified(16, u'0') +
                        QString::number(b, 16).rightJustified(16, u'0');
    return hex.mid(0, 8) + u'-' + hex.mid(8, 4) + u'-' + hex.mid(12, 4) + u'-' + hex.mid(16, 4) +
           u'-' + hex.mid(20, 12);
}

// ---- prices

std::optional<Decimal> FuturesEngine::indexPrice(const QString &symbol) const {
    const Contract *c = contract(symbol);
    if (!c)
        return std::nullopt;
    if (c->indexOverride)
        return c->indexOverride;
    // The index follows the Spot market of the underlying where the paper exchange has one,
    // else the contract's own mid (a market with no reference still needs a mark).
    const MarketSim *m = c->spot ? c->spot : c->market.get();
    const auto bid = m->bestBid();
    const auto ask = m->bestAsk();
    const int scale = std::max(c->spec->pricePrecision, 2);
    if (bid && ask)
        return div(add(*bid, *ask), Decimal::fromInt(2), scale);
    if (const auto last = m->lastPrice())
        return at(*last, scale);
    return bid ? bid : ask;
}

std::optional<Decimal> FuturesEngine::markPrice(const QString &symbol) const {
    const Contract *c = contract(symbol);
    const auto index = indexPrice(symbol);
    if (!c || !index)
        return std::nullopt;
    return at(add(*index, c->premium), std::max(c->spec->pricePrecision, 2));
}

std::optional<Decimal> FuturesEngine::lastPrice(const QString &symbol) const {
    const Contract *c = contract(symbol);
    return c ? c->last : std::nullopt;
}

Decimal FuturesEngine::fundingRate(const QString &symbol) const {
    const Contract *c = contract(symbol);
    if (!c || !c->spec->perpetual())
        return {};
    if (c->fundingOverride)
        return *c->fundingOverride;
    const auto index = indexPrice(symbol);
    if (!index || index->isZero())
        return {};
    // The premium's share of the index, spread over the coefficient's hours, capped.
    Decimal coeff = c->spec->fundingRateCoefficient.isZero() ? Decimal::fromInt(1)
                                                             : c->spec->fundingRateCoefficient;
    Decimal rate = div(c->premium, mul(*index, coeff, 8), RateScale);
    const Decimal cap = c->spec->maxRelativeFundingRate;
    if (!cap.isZero())
        rate = std::clamp(rate, cap.negated(), cap);
    return rate;
}

Decimal FuturesEngine::absoluteFundingRate(const QString &symbol) const {
    const auto mark = markPrice(symbol);
    const SimFuturesInstrument *f = instrument(symbol);
    if (!mark || !f)
        return {};
    const Decimal rel = fundingRate(symbol);
    return f->inverse() ? div(rel, *mark, RateScale + 6) : mul(rel, *mark, UsdScale);
}

void FuturesEngine::setIndexOverride(const QString &symbol, std::optional<Decimal> price) {
    if (Contract *c = contract(symbol)) {
        c->indexOverride = price;
        m_dirty.push_back(symbol.toUpper());
        schedulePending();
    }
}

void FuturesEngine::setFundingRateOverride(const QString &symbol, std::optional<Decimal> rate) {
    if (Contract *c = contract(symbol))
        c->fundingOverride = rate;
}

void FuturesEngine::updatePremium() {
    for (auto &[symbol, c] : m_contracts) {
        const auto bid = c.market->bestBid();
        const auto ask = c.market->bestAsk();
        const auto index = indexPrice(symbol);
        if (!bid || !ask || !index)
            continue;
        const int scale = std::max(c.spec->pricePrecision, 2);
        const Decimal mid = div(add(*bid, *ask), Decimal::fromInt(2), scale);
        // Damped: a tenth of the way each step, so a thin book's jumps do not jerk the mark.
        const Decimal gap = sub(sub(mid, *index), c.premium);
        c.premium = at(add(c.premium, div(gap, Decimal::fromInt(10), scale)), scale);
    }
}

std::optional<Decimal> FuturesEngine::signalPrice(const Contract &c, TriggerSignal s) const {
    switch (s) {
    case TriggerSignal::Mark:
        return markPrice(c.spec->symbol);
    case TriggerSignal::Index:
        return indexPrice(c.spec->symbol);
    case TriggerSignal::Last:
        return c.last;
    }
    return std::nullopt;
}

// ---- margin arithmetic

Decimal FuturesEngine::notional(const SimFuturesInstrument &f, const Decimal &size,
                                const Decimal &price) const {
    const Decimal contracts = exact(size.abs(), f.contractSize);
    // Inverse: contracts are USD, the value is in coin; linear: base units times price.
    return f.inverse() ? div(contracts, price, CoinScale) : at(exact(contracts, price), UsdScale);
}

const SimMarginLevel &FuturesEngine::tier(const SimFuturesInstrument &f, const Decimal &size,
                                          const Decimal &price) const {
    static const SimMarginLevel fallback{Decimal(), dec("1"), dec("0.5")};
    if (f.marginLevels.isEmpty())
        return fallback;
    // Inverse tiers count contracts, flex tiers USD notional ("numNonContractUnits").
    const Decimal measure = f.inverse() ? size.abs() : exact(size.abs(), price);
    const SimMarginLevel *best = &f.marginLevels.first();
    for (const SimMarginLevel &l : f.marginLevels)
        if (measure >= l.threshold)
            best = &l;
    return *best;
}

Decimal FuturesEngine::pnl(const SimFuturesInstrument &f, const Decimal &size, const Decimal &entry,
                           const Decimal &exit) const {
    if (entry.isZero() || exit.isZero())
        return {};
    const Decimal move = sub(exit, entry);
    if (!f.inverse())
        return at(exact(exact(size, f.contractSize), move), UsdScale);
    // size * (1/entry - 1/exit) = size * (exit - entry) / (entry * exit), rounded once.
    const Decimal num = exact(exact(size, f.contractSize), move);
    return div(num, exact(entry, exit), CoinScale);
}

Decimal FuturesEngine::fee(const SimFuturesInstrument &f, const Decimal &size, const Decimal &price,
                           const Decimal &pct) const {
    const int scale = f.inverse() ? CoinScale : UsdScale;
    return div(exact(notional(f, size, price), pct), Decimal::fromInt(100), scale);
}

Decimal FuturesEngine::orderMargin(const FuturesOrder &o) const {
    const Contract *c = contract(o.symbol);
    if (!c || o.reduceOnly)
        return {};
    std::optional<Decimal> price = o.limitPrice;
    if (!price || o.waitingForTrigger())
        price = o.stopPrice ? o.stopPrice : markPrice(o.symbol);
    if (!price || price->isZero())
        return {};
    const SimMarginLevel &l = tier(*c->spec, o.unfilled(), *price);
    return mul(notional(*c->spec, o.unfilled(), *price), l.initialMargin,
               c->spec->inverse() ? CoinScale : UsdScale);
}

// How much of an order can still reduce the account's position (reduce-only orders).
Decimal FuturesEngine::reducible(const Account &a, const FuturesOrder &o) const {
    const auto it = a.positions.find(o.symbol);
    if (it == a.positions.end())
        return {};
    const Decimal pos = it->second.size;
    const bool reduces =
        (o.side == Side::Sell && pos.signum() > 0) || (o.side == Side::Buy && pos.signum() < 0);
    return reduces ? std::min(pos.abs(), o.unfilled()) : Decimal();
}

// ---- account views

Decimal FuturesEngine::unrealizedPnl(const QString &accountId, const QString &symbol) const {
    const auto p = position(accountId, symbol);
    const auto mark = markPrice(symbol);
    const SimFuturesInstrument *f = instrument(symbol);
    if (!p || !mark || !f)
        return {};
    return pnl(*f, p->size, p->entryPrice, *mark);
}

QStringList FuturesEngine::marginAccountNames(const QString &accountId) const {
    QStringList out;
    if (const Account *a = acct(accountId))
        for (const auto &[name, v] : a->collateral)
            out.append(name);
    return out;
}

Decimal FuturesEngine::collateral(const QString &accountId, const QString &name) const {
    const Account *a = acct(accountId);
    if (!a)
        return {};
    const auto it = a->collateral.find(name);
    return it == a->collateral.end() ? Decimal() : it->second;
}

FuturesMarginAccount FuturesEngine::marginAccount(const QString &accountId,
                                                  const QString &name) const {
    FuturesMarginAccount m;
    m.name = name;
    const Account *a = acct(accountId);
    if (!a)
        return m;
    const bool flex = name == u"flex"_s;
    const int scale = flex ? UsdScale : CoinScale;
    m.currency = flex ? u"USD"_s : u"BTC"_s;
    m.balance = collateral(accountId, name);
    m.pnl = m.unrealizedFunding = m.initialMargin = m.maintenanceMargin = at(Decimal(), scale);
    for (const auto &[symbol, p] : a->positions) {
        const Contract *c = contract(symbol);
        const auto mark = markPrice(symbol);
        if (!c || c->spec->marginAccount() != name || !mark)
            continue;
        m.pnl = add(m.pnl, pnl(*c->spec, p.size, p.entryPrice, *mark));
        m.unrealizedFunding = add(m.unrealizedFunding, p.unrealizedFunding);
        const SimMarginLevel &l = tier(*c->spec, p.size, *mark);
        const Decimal value = notional(*c->spec, p.size, *mark);
        m.initialMargin = add(m.initialMargin, mul(value, l.initialMargin, scale));
        m.maintenanceMargin = add(m.maintenanceMargin, mul(value, l.maintenanceMargin, scale));
    }
    m.initialMarginWithOrders = m.initialMargin;
    for (const FuturesOrder &o : openOrders(accountId)) {
        const Contract *c = contract(o.symbol);
        if (c && c->spec->marginAccount() == name)
            m.initialMarginWithOrders = add(m.initialMarginWithOrders, orderMargin(o));
    }
    m.portfolioValue = add(add(m.balance, m.pnl), m.unrealizedFunding);
    m.availableMargin = sub(m.portfolioValue, m.initialMarginWithOrders);
    m.wouldLiquidate = m.maintenanceMargin.signum() > 0 && m.portfolioValue < m.maintenanceMargin;
    return m;
}

std::vector<FuturesOrder> FuturesEngine::openOrders(const QString &accountId) const {
    std::vector<FuturesOrder> out;
    const Account *a = acct(accountId);
    if (!a)
        return out;
    for (const QString &id : m_orderSeq) {
        const auto it = m_orders.find(id);
        if (it != m_orders.end() && it->second.open && m_owner.value(id) == accountId)
            out.push_back(it->second);
    }
    return out;
}

const FuturesOrder *FuturesEngine::order(const QString &orderId) const {
    const auto it = m_orders.find(orderId);
    return it == m_orders.end() ? nullptr : &it->second;
}

std::vector<FuturesFill> FuturesEngine::fills(const QString &accountId) const {
    std::vector<FuturesFill> out;
    for (const auto &[account, f] : m_fills)
        if (account == accountId)
            out.push_back(f);
    return out;
}

std::vector<FuturesPosition> FuturesEngine::positions(const QString &accountId) const {
    std::vector<FuturesPosition> out;
    if (const Account *a = acct(accountId))
        for (const auto &[s, p] : a->positions)
            if (!p.size.isZero())
                out.push_back(p);
    return out;
}

std::optional<FuturesPosition> FuturesEngine::position(const QString &accountId,
                                                       const QString &sym) const {
    const Account *a = acct(accountId);
    if (!a)
        return std::nullopt;
    const auto it = a->positions.find(sym.toUpper());
    if (it == a->positions.end() || it->second.size.isZero())
        return std::nullopt;
    return it->second;
}

// ---- order entry

QString FuturesEngine::validate(const Account &a, const FuturesOrderParams &p,
                                FuturesOrder &o) const {
    const Contract *c = contract(p.symbol);
    if (!c)
        return u"invalidArgument"_s; // answered as result:error by the REST layer
    if (!isKnownType(p.orderType))
        return u"invalidOrderType"_s;
    const auto side = sideFromName(p.side);
    if (!side)
        return u"invalidSide"_s;
    const SimFuturesInstrument &f = *c->spec;
    if (f.lastTradingTime.isValid() && now() >= f.lastTradingTime.toMSecsSinceEpoch())
        return u"marketInactive"_s;
    if (!p.size || p.size->signum() <= 0 ||
        !p.size->isMultipleOf(sizeStep(f.contractValueTradePrecision)) ||
        (!f.maxPositionSize.isZero() && *p.size > f.maxPositionSize))
        return u"invalidSize"_s;
    if (p.cliOrdId.size() > 100)
        return u"clientOrderIdTooLong"_s;
    if (!p.cliOrdId.isEmpty())
        for (const auto &[id, other] : m_orders)
            if (other.open && other.cliOrdId == p.cliOrdId && m_owner.value(id) == a.config.id)
                return u"clientOrderIdAlreadyExist"_s;
    auto priceOk = [&f](const std::optional<Decimal> &v) {
        return v && v->signum() > 0 && v->isMultipleOf(f.tickSize);
    };
    const bool needsLimit =
        p.orderType == u"lmt"_s || p.orderType == u"post"_s || p.orderType == u"ioc"_s;
    const bool needsStop = p.orderType == u"stp"_s || p.orderType == u"take_profit"_s;
    if ((needsLimit || p.limitPrice) && !priceOk(p.limitPrice))
        return u"invalidPrice"_s;
    if ((needsStop || p.stopPrice) && p.orderType != u"trailing_stop"_s && !priceOk(p.stopPrice))
        return u"invalidPrice"_s;
    if (p.orderType == u"trailing_stop"_s &&
        (!p.trailingStopMaxDeviation || p.trailingStopMaxDeviation->signum() <= 0 ||
         (p.trailingStopDeviationUnit != u"PERCENT"_s &&
          p.trailingStopDeviationUnit != u"QUOTE_CURRENCY"_s)))
        return u"invalidArgument"_s;
    if (p.orderType == u"mkt"_s && p.limitPrice)
        return u"invalidArgument"_s;

    o.symbol = f.symbol.toUpper();
    o.side = *side;
    o.type = p.orderType;
    o.size = *p.size;
    o.filled = at(Decimal(), std::max(0, f.contractValueTradePrecision));
    o.limitPrice = p.limitPrice;
    o.stopPrice = p.orderType == u"trailing_stop"_s ? std::nullopt : p.stopPrice;
    o.cliOrdId = p.cliOrdId;
    o.reduceOnly = p.reduceOnly;
    const QString signal = p.triggerSignal.toLower();
    o.signal = signal.startsWith(u"mark"_s) ? TriggerSignal::Mark
               : signal.startsWith(u"index"_s) || signal.startsWith(u"spot"_s)
                   ? TriggerSignal::Index
                   : TriggerSignal::Last;
    if (p.orderType == u"trailing_stop"_s) {
        o.trailDeviation = p.trailingStopMaxDeviation;
        o.trailUnit = p.trailingStopDeviationUnit;
    }
    return {};
}

FuturesResult FuturesEngine::sendOrder(const QString &accountId, const FuturesOrderParams &p) {
    FuturesResult r;
    Account *a = acct(accountId);
    if (!a) {
        r.status = u"accountInactive"_s;
        return r;
    }
    FuturesOrder o;
    r.status = validate(*a, p, o);
    if (!r.status.isEmpty())
        return r;
    const Contract *c = contract(o.symbol);
    o.orderId = newId();
    o.receivedMs = o.lastUpdateMs = now();
    r.orderId = o.orderId;
    r.cliOrdId = o.cliOrdId;

    // Reduce-only must face a position of the other side.
    if (o.reduceOnly && reducible(*a, o).isZero()) {
        r.status = u"wouldNotReducePosition"_s;
        return r;
    }
    // Post-only: never take, checked against the published book.
    if (o.type == u"post"_s) {
        const auto best = o.side == Side::Buy ? c->market->bestAsk() : c->market->bestBid();
        if (best && (o.side == Side::Buy ? *o.limitPrice >= *best : *o.limitPrice <= *best)) {
            r.status = u"postWouldExecute"_s;
            r.events.push_back({u"REJECT"_s, o, {}, {}, {}, {}, u"POST_WOULD_EXECUTE"_s});
            return r;
        }
    }
    // Margin: an order that can add exposure must fit the available margin (an order that
    // only closes part of a position needs none).
    if (!o.reduceOnly) {
        const auto pos = a->positions.find(o.symbol);
        const Decimal held = pos == a->positions.end() ? Decimal() : pos->second.size;
        const bool closesOnly = ((o.side == Side::Sell && held.signum() > 0) ||
                                 (o.side == Side::Buy && held.signum() < 0)) &&
                                o.size <= held.abs();
        if (!closesOnly) {
            const FuturesMarginAccount m = marginAccount(accountId, c->spec->marginAccount());
            Decimal need = orderMargin(o);
            if (o.type == u"mkt"_s || !o.limitPrice) {
                if (const auto mark = markPrice(o.symbol))
                    need = add(need, fee(*c->spec, o.size, *mark, a->config.futuresTakerFeePct));
            }
            if (need > m.availableMargin) {
                r.status = u"insufficientAvailableFunds"_s;
                return r;
            }
        }
    }
    // Immediate-or-cancel that cannot trade at all.
    if (o.type == u"ioc"_s) {
        const auto best = o.side == Side::Buy ? c->market->bestAsk() : c->market->bestBid();
        if (!best || (o.side == Side::Buy ? *o.limitPrice < *best : *o.limitPrice > *best)) {
            r.status = u"iocWouldNotExecute"_s;
            return r;
        }
    }

    m_owner.insert(o.orderId, accountId);
    m_orderSeq.push_back(o.orderId);
    FuturesOrder &live = m_orders[o.orderId] = o;
    live.open = true;
    r.status = u"placed"_s;
    if (live.waitingForTrigger()) {
        if (live.type == u"trailing_stop"_s) {
            // The first stop sits the deviation away from the signal price.
            const auto ref = signalPrice(*c, live.signal);
            if (ref) {
                const Decimal dev = live.trailUnit == u"PERCENT"_s
                                        ? div(exact(*ref, *live.trailDeviation),
                                              Decimal::fromInt(100), c->spec->pricePrecision)
                                        : *live.trailDeviation;
                live.stopPrice = live.side == Side::Sell ? sub(*ref, dev) : add(*ref, dev);
            }
        }
        r.events.push_back({u"PLACE"_s, live, {}, {}, {}, {}, {}});
        emitEvents(accountId, r.events);
        m_dirty.push_back(live.symbol);
        processPending(); // a trigger already through its price fires at once
        return r;
    }
    r.events.push_back({u"PLACE"_s, live, {}, {}, {}, {}, {}});
    execute(live, r.events, false);
    emitEvents(accountId, r.events);
    processPending();
    return r;
}

void FuturesEngine::execute(FuturesOrder &o, std::vector<FuturesOrderEvent> &events,
                            bool afterEdit) {
    Contract *c = contract(o.symbol);
    Account *a = acct(m_owner.value(o.orderId));
    if (!c || !a)
        return;
    const bool market = o.type == u"mkt"_s || (o.isTrigger() && !o.limitPrice);
    std::optional<Decimal> limit = o.limitPrice;
    if (market) {
        // Kraken's market orders are IOC with price protection; ours allow 5 % off the mark.
        if (const auto mark = markPrice(o.symbol)) {
            const Decimal band = div(*mark, Decimal::fromInt(20), c->spec->pricePrecision);
            limit = o.side == Side::Buy ? add(*mark, band) : sub(*mark, band);
            limit = at(*limit, c->spec->pricePrecision);
        }
    }
    if (o.type != u"post"_s) {
        Decimal want = o.unfilled();
        if (o.reduceOnly)
            want = reducible(*a, o);
        if (want.signum() > 0) {
            const auto fills = c->market->take(o.side, want, limit, market);
            for (const SimFill &f : fills)
                applyFill(o, f.price, f.qty, false, afterEdit, events);
        }
    }
    const bool rests = !market && o.type != u"ioc"_s;
    if (o.unfilled().signum() <= 0) {
        close(o, u"full_fill"_s, nullptr);
    } else if (!rests || (o.reduceOnly && reducible(*a, o).isZero())) {
        close(o, market || o.type == u"ioc"_s ? u"ioc_remainder"_s : u"reduce_only"_s, &events);
    } else {
        rest(o);
    }
}

void FuturesEngine::rest(FuturesOrder &o) {
    Contract *c = contract(o.symbol);
    if (!c || !o.limitPrice)
        return;
    c->side(o.side)[*o.limitPrice].push_back(o.orderId);
    o.displayed = o.unfilled();
    c->market->addUserQty(o.side, *o.limitPrice, o.displayed);
}

void FuturesEngine::unrest(FuturesOrder &o) {
    Contract *c = contract(o.symbol);
    if (!c || !o.limitPrice)
        return;
    auto &side = c->side(o.side);
    const auto it = side.find(*o.limitPrice);
    if (it == side.end())
        return;
    auto &q = it->second;
    const auto pos = std::find(q.begin(), q.end(), o.orderId);
    if (pos == q.end())
        return;
    q.erase(pos);
    if (q.empty())
        side.erase(it);
    if (o.displayed.signum() > 0)
        c->market->addUserQty(o.side, *o.limitPrice, o.displayed.negated());
    o.displayed = Decimal();
}

void FuturesEngine::close(FuturesOrder &o, const QString &reason,
                          std::vector<FuturesOrderEvent> *events) {
    if (!o.open)
        return;
    unrest(o);
    o.open = false;
    o.lastUpdateMs = now();
    if (events && reason != u"full_fill"_s)
        events->push_back({u"CANCEL"_s, o, {}, {}, {}, {}, reason});
}

void FuturesEngine::applyFill(FuturesOrder &o, const Decimal &price, const Decimal &qty, bool maker,
                              bool afterEdit, std::vector<FuturesOrderEvent> &events) {
    Contract *c = contract(o.symbol);
    Account *a = acct(m_owner.value(o.orderId));
    if (!c || !a || qty.signum() <= 0)
        return;
    const SimFuturesInstrument &f = *c->spec;
    const FuturesOrder prior = o;
    o.filled = add(o.filled, qty);
    o.lastUpdateMs = now();
    c->last = price;

    // The position: add at a new average, or reduce and realise, or flip.
    FuturesPosition &p = a->positions[o.symbol];
    p.symbol = o.symbol;
    const Decimal signedQty = o.side == Side::Buy ? qty : qty.negated();
    const QString account = f.marginAccount();
    const int scale = f.inverse() ? CoinScale : UsdScale;
    Decimal &cash = a->collateral[account];
    const int priceScale = std::max(f.pricePrecision + 4, 8);
    if (p.size.isZero() || p.size.signum() == signedQty.signum()) {
        const Decimal newSize = add(p.size, signedQty);
        if (p.size.isZero()) {
            p.entryPrice = price;
            p.realizedPnl = at(Decimal(), scale);
        } else if (f.inverse()) {
            // Inverse contracts average harmonically: contracts over their coin value.
            const Decimal coin = add(div(p.size.abs(), p.entryPrice, 16), div(qty, price, 16));
            p.entryPrice = div(newSize.abs(), coin, priceScale);
        } else {
            const Decimal value = add(exact(p.size.abs(), p.entryPrice), exact(qty, price));
            p.entryPrice = div(value, newSize.abs(), priceScale);
        }
        p.size = newSize;
    } else {
        const Decimal closing = std::min(qty, p.size.abs());
        const Decimal closedSigned = p.size.signum() > 0 ? closing : closing.negated();
        const Decimal realised = pnl(f, closedSigned, p.entryPrice, price);
        cash = at(add(cash, realised), scale);
        p.realizedPnl = add(p.realizedPnl, realised);
        // Accrued funding is settled whenever the position is reduced.
        cash = at(add(cash, p.unrealizedFunding), scale);
        p.unrealizedFunding = Decimal();
        p.size = add(p.size, signedQty);
        if (p.size.isZero()) {
            p.entryPrice = Decimal();
        } else if (p.size.signum() == signedQty.signum()) {
            p.entryPrice = price; // flipped: the remainder opened at this fill
            p.realizedPnl = at(Decimal(), scale);
        }
    }
    p.fillTimeMs = now();

    const Decimal pct = maker ? a->config.futuresMakerFeePct : a->config.futuresTakerFeePct;
    const Decimal paid = fee(f, qty, price, pct);
    cash = at(sub(cash, paid), scale);

    FuturesFill fill;
    fill.fillId = newId();
    fill.orderId = o.orderId;
    fill.cliOrdId = o.cliOrdId;
    fill.symbol = o.symbol;
    fill.orderType = o.type;
    fill.side = o.side;
    fill.size = qty;
    fill.price = price;
    fill.fee = paid;
    fill.feeCurrency = f.collateral();
    fill.fillType = maker ? u"maker"_s : (afterEdit ? u"takerAfterEdit"_s : u"taker"_s);
    fill.timeMs = now();
    m_fills.emplace_back(a->config.id, fill);
    if (m_fills.size() > 10000)
        m_fills.erase(m_fills.begin(), m_fills.begin() + 1000);
    events.push_back({u"EXECUTION"_s, o, prior, price, qty, fill.fillId, {}});
    Q_EMIT filled(a->config.id, fill);
    // Other reduce-only orders of this account may now reduce nothing.
    for (const auto &[id, other] : m_orders)
        if (other.open && other.reduceOnly && other.symbol == o.symbol && id != o.orderId)
            m_reduceOnlyCheck.push_back(id);
}

// Synthetic taker flow reached `price` on `restingSide`: fill our orders there in time order.
Decimal FuturesEngine::matchResting(const QString &symbol, Side restingSide, const Decimal &price,
                                    const Decimal &maxQty) {
    Contract *c = contract(symbol);
    if (!c)
        return {};
    auto &side = c->side(restingSide);
    const auto it = side.find(price);
    if (it == side.end())
        return {};
    m_inMatcher = true;
    Decimal done;
    std::vector<QString> finished;
    for (const QString &id : it->second) {
        if (done >= maxQty)
            break;
        FuturesOrder &o = m_orders[id];
        Account *a = acct(m_owner.value(id));
        if (!a)
            continue;
        Decimal q = std::min(o.displayed, sub(maxQty, done));
        if (o.reduceOnly) {
            q = std::min(q, reducible(*a, o));
            if (q.isZero()) {
                m_reduceOnlyCheck.push_back(id);
                continue;
            }
        }
        if (q.signum() <= 0)
            continue;
        std::vector<FuturesOrderEvent> events;
        o.displayed = sub(o.displayed, q); // the market removed it from the level
        applyFill(o, price, q, true, false, events);
        done = add(done, q);
        emitEvents(a->config.id, events);
        if (o.unfilled().signum() <= 0)
            finished.push_back(id);
    }
    for (const QString &id : finished) {
        FuturesOrder &o = m_orders[id];
        auto &q = it->second;
        q.erase(std::remove(q.begin(), q.end(), id), q.end());
        o.open = false;
        o.displayed = Decimal();
        o.lastUpdateMs = now();
    }
    if (it->second.empty())
        side.erase(it);
    m_inMatcher = false;
    schedulePending();
    return done;
}

FuturesOrder *FuturesEngine::findOpen(const QString &accountId, const QString &orderId,
                                      const QString &cliOrdId) {
    if (!orderId.isEmpty()) {
        const auto it = m_orders.find(orderId);
        if (it != m_orders.end() && it->second.open && m_owner.value(orderId) == accountId)
            return &it->second;
        return nullptr;
    }
    if (cliOrdId.isEmpty())
        return nullptr;
    for (auto &[id, o] : m_orders)
        if (o.open && o.cliOrdId == cliOrdId && m_owner.value(id) == accountId)
            return &o;
    return nullptr;
}

FuturesResult FuturesEngine::editOrder(const QString &accountId, const EditParams &p) {
    FuturesResult r;
    FuturesOrder *o = findOpen(accountId, p.orderId, p.cliOrdId);
    if (!o) {
        r.status = u"orderForEditNotFound"_s;
        return r;
    }
    r.orderId = o->orderId;
    r.cliOrdId = o->cliOrdId;
    const SimFuturesInstrument &f = *contract(o->symbol)->spec;
    if ((p.stopPrice && !o->isTrigger()) ||
        (p.trailingStopMaxDeviation && o->type != u"trailing_stop"_s)) {
        r.status = u"orderForEditNotAStop"_s;
        return r;
    }
    if (p.size && (p.size->signum() <= 0 || *p.size <= o->filled ||
                   !p.size->isMultipleOf(sizeStep(f.contractValueTradePrecision)))) {
        r.status = u"invalidSize"_s;
        return r;
    }
    auto priceOk = [&f](const std::optional<Decimal> &v) {
        return !v || (v->signum() > 0 && v->isMultipleOf(f.tickSize));
    };
    if (!priceOk(p.limitPrice) || !priceOk(p.stopPrice) || (p.limitPrice && o->type == u"mkt"_s)) {
        r.status = u"invalidPrice"_s;
        return r;
    }
    const FuturesOrder prior = *o;
    const bool wasResting = !o->waitingForTrigger() && o->limitPrice;
    if (wasResting)
        unrest(*o);
    if (p.size)
        o->size = *p.size;
    if (p.limitPrice)
        o->limitPrice = p.limitPrice;
    if (p.stopPrice)
        o->stopPrice = p.stopPrice;
    if (p.trailingStopMaxDeviation)
        o->trailDeviation = p.trailingStopMaxDeviation;
    o->lastUpdateMs = now();
    r.status = u"edited"_s;
    r.events.push_back({u"EDIT"_s, *o, prior, {}, {}, {}, {}});
    if (o->waitingForTrigger()) {
        m_dirty.push_back(o->symbol);
    } else if (o->type == u"post"_s) {
        // An edited post-only order that would now cross is cancelled, as Kraken does.
        const Contract *c = contract(o->symbol);
        const auto best = o->side == Side::Buy ? c->market->bestAsk() : c->market->bestBid();
        if (best && (o->side == Side::Buy ? *o->limitPrice >= *best : *o->limitPrice <= *best))
            close(*o, u"post_order_failed_because_it_would_filled"_s, &r.events);
        else
            rest(*o);
    } else {
        execute(*o, r.events, true);
    }
    emitEvents(accountId, r.events);
    processPending();
    return r;
}

FuturesResult FuturesEngine::cancelOrder(const QString &accountId, const QString &orderId,
                                         const QString &cliOrdId) {
    FuturesResult r;
    r.orderId = orderId;
    r.cliOrdId = cliOrdId;
    FuturesOrder *o = findOpen(accountId, orderId, cliOrdId);
    if (!o) {
        // A known order that is no longer open was filled (or cancelled before).
        const auto it = m_orders.find(orderId);
        r.status = it != m_orders.end() && m_owner.value(orderId) == accountId &&
                           it->second.unfilled().isZero()
                       ? u"filled"_s
                       : u"notFound"_s;
        return r;
    }
    r.orderId = o->orderId;
    r.cliOrdId = o->cliOrdId;
    close(*o, u"cancelled_by_user"_s, &r.events);
    r.status = u"cancelled"_s;
    emitEvents(accountId, r.events);
    return r;
}

std::vector<FuturesOrder> FuturesEngine::cancelAll(const QString &accountId,
                                                   const QString &symbol) {
    std::vector<FuturesOrder> out;
    std::vector<FuturesOrderEvent> events;
    for (const QString &id : m_orderSeq) {
        auto it = m_orders.find(id);
        if (it == m_orders.end() || !it->second.open || m_owner.value(id) != accountId)
            continue;
        if (!symbol.isEmpty() && it->second.symbol.compare(symbol, Qt::CaseInsensitive) != 0)
            continue;
        close(it->second, u"cancelled_by_user"_s, &events);
        out.push_back(it->second);
    }
    emitEvents(accountId, events);
    return out;
}

qint64 FuturesEngine::cancelAllOrdersAfter(const QString &accountId, int timeoutSeconds) {
    Account *a = acct(accountId);
    if (!a)
        return 0;
    a->deadManMs = timeoutSeconds > 0 ? now() + qint64(timeoutSeconds) * 1000 : 0;
    return a->deadManMs;
}

qint64 FuturesEngine::deadManTrigger(const QString &accountId) const {
    const Account *a = acct(accountId);
    return a ? a->deadManMs : 0;
}

// ---- clock-driven work

void FuturesEngine::step() {
    for (auto &[s, c] : m_contracts)
        c.market->step();
    updatePremium();
    for (const auto &[s, c] : m_contracts)
        m_dirty.push_back(s); // mark and index moved
    processPending();
}

void FuturesEngine::tick() {
    const qint64 t = now();
    for (auto &[id, a] : m_accounts) {
        if (a.deadManMs > 0 && t >= a.deadManMs) {
            a.deadManMs = 0;
            const auto cancelled = cancelAll(id);
            qCInfo(lcSim) << "futures: dead man's switch cancelled" << cancelled.size()
                          << "orders of" << id;
        }
    }
    const qint64 interval = qint64(std::max(1, m_config.futuresFundingIntervalSec)) * 1000;
    if (t >= m_nextFundingMs) {
        applyFunding();
        m_nextFundingMs = (t / interval + 1) * interval;
    }
    processPending();
}

void FuturesEngine::applyFunding() {
    for (auto &[id, a] : m_accounts) {
        for (auto &[symbol, p] : a.positions) {
            const Contract *c = contract(symbol);
            if (!c || !c->spec->perpetual() || p.size.isZero())
                continue;
            const auto mark = markPrice(symbol);
            if (!mark)
                continue;
            const Decimal rate = fundingRate(symbol);
            // Longs pay shorts when the rate is positive: -size * value * rate.
            const Decimal value = c->spec->inverse()
                                      ? div(exact(p.size, c->spec->contractSize), *mark, 16)
                                      : exact(exact(p.size, c->spec->contractSize), *mark);
            const int scale = c->spec->inverse() ? CoinScale : UsdScale;
            const Decimal payment = mul(value.normalized(), rate.normalized(), scale).negated();
            p.unrealizedFunding = at(add(p.unrealizedFunding, payment), scale);
            qCDebug(lcSim) << "futures: funding" << symbol << rate.toString() << "->"
                           << payment.toString();
        }
    }
}

void FuturesEngine::schedulePending() {
    if (m_pendingScheduled)
        return;
    m_pendingScheduled = true;
    QTimer::singleShot(0, this, [this] { processPending(); });
}

void FuturesEngine::processPending() {
    if (m_inMatcher)
        return;
    m_pendingScheduled = false;
    // Reduce-only orders left with nothing to reduce are cancelled.
    std::vector<QString> checks;
    checks.swap(m_reduceOnlyCheck);
    for (const QString &id : checks) {
        auto it = m_orders.find(id);
        if (it == m_orders.end() || !it->second.open || it->second.waitingForTrigger())
            continue;
        const Account *a = acct(m_owner.value(id));
        if (a && reducible(*a, it->second).isZero()) {
            std::vector<FuturesOrderEvent> events;
            close(it->second, u"reduce_only"_s, &events);
            emitEvents(a->config.id, events);
        }
    }
    std::vector<QString> dirty;
    dirty.swap(m_dirty);
    std::sort(dirty.begin(), dirty.end());
    dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
    for (const QString &s : dirty)
        checkTriggers(s);
}

void FuturesEngine::checkTriggers(const QString &symbol) {
    Contract *c = contract(symbol);
    if (!c)
        return;
    std::vector<QString> fire;
    for (const QString &id : m_orderSeq) {
        auto it = m_orders.find(id);
        if (it == m_orders.end())
            continue;
        FuturesOrder &o = it->second;
        if (!o.open || !o.waitingForTrigger() || o.symbol != c->spec->symbol.toUpper())
            continue;
        const auto ref = signalPrice(*c, o.signal);
        if (!ref)
            continue;
        if (o.type == u"trailing_stop"_s && o.trailDeviation) {
            const Decimal dev = o.trailUnit == u"PERCENT"_s
                                    ? div(exact(*ref, *o.trailDeviation), Decimal::fromInt(100),
                                          c->spec->pricePrecision)
                                    : *o.trailDeviation;
            const Decimal candidate = o.side == Side::Sell ? sub(*ref, dev) : add(*ref, dev);
            if (!o.stopPrice ||
                (o.side == Side::Sell ? candidate > *o.stopPrice : candidate < *o.stopPrice))
                o.stopPrice = candidate;
        }
        if (!o.stopPrice)
            continue;
        // Stops fire when the price moves against the position they protect (a sell stop
        // when the price falls to it); take-profits when it moves in its favour.
        const bool below = *ref <= *o.stopPrice;
        const bool above = *ref >= *o.stopPrice;
        const bool isTp = o.type == u"take_profit"_s;
        const bool hit = o.side == Side::Sell ? (isTp ? above : below) : (isTp ? below : above);
        if (hit)
            fire.push_back(id);
    }
    for (const QString &id : fire) {
        FuturesOrder &o = m_orders[id];
        const QString account = m_owner.value(id);
        std::vector<FuturesOrderEvent> events;
        o.triggered = true;
        o.lastUpdateMs = now();
        events.push_back({u"TRIGGER_ACTIVATED"_s, o, {}, {}, {}, {}, {}});
        Account *a = acct(account);
        if (o.reduceOnly && a && reducible(*a, o).isZero())
            close(o, u"reduce_only"_s, &events);
        else
            execute(o, events, false);
        emitEvents(account, events);
    }
}

void FuturesEngine::emitEvents(const QString &accountId,
                               const std::vector<FuturesOrderEvent> &events) {
    for (const FuturesOrderEvent &e : events)
        Q_EMIT orderEvent(accountId, e);
}

} // namespace kraken::sim
