#include "restclient.h"

#include "kraken/core/httpengine.h"
#include "kraken/core/ratecounter.h"
#include "kraken/core/signing.h"
#include "kraken/core/tradingratelimiter.h"
#include "logging.h"
#include "responseenvelope.h"
#include "restparsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace kraken::spot {
namespace {

// "/0/public/Time", "0/public/Time", "public/Time" -> "/0/public/Time".
std::optional<QString> normalisePath(QString path) {
    path = path.trimmed();
    while (path.startsWith(u'/'))
        path.remove(0, 1);
    if (path.startsWith(u"0/"_s))
        path.remove(0, 2);
    if (!(path.startsWith(u"public/"_s) || path.startsWith(u"private/"_s)) ||
        path.section(u'/', 1).isEmpty())
        return std::nullopt;
    return u"/0/"_s + path;
}

QString methodOf(const QString &normalisedPath) {
    return normalisedPath.section(u'/', -1);
}

} // namespace

// name: Kraken's method ("Balance"); orderEntry: a trading method (AddOrder, Cancel*, ...).
struct RestClient::Job : HttpJob {
    QByteArray verb;
    QString path;
    Params params;
    QByteArray jsonBody;
    QList<std::pair<QString, int>> tradingCosts; // pair -> cost, booked before each attempt
    QString orderId;                             // for amend/cancel bookkeeping
    QString pair;                                // canonical pair of an order call
    // All-pages state.
    QString pageListKey;
    bool allPages = false;
    QJsonObject accumulated;
    qint64 fetchedRows = 0;
    int pages = 0;
};

// Spot's side of the HTTP engine: API-Sign, the REST and trading counters, the {error, result}
// envelope with its paging, and Kraken's Spot error codes.
struct RestClient::Private final : HttpVenue {
    RestClient *q;
    RestClientConfig config;
    MonotonicClock clock = steadyClock();
    RateCounter restCounter;
    RateCounter publicCounter{15, 1000};
    TradingRateLimiter trading;
    InstrumentRegistry instruments;
    HttpEngine engine;

    Private(RestClient *client, RestClientConfig c)
        : q(client)
        , config(std::move(c))
        , restCounter(restLimits(config.tier).maxCounter,
                      restLimits(config.tier).decayMilliPerSecond)
        , trading(config.tier)
        , engine(client, this, HttpEngineConfig::from(config, spotVenue(), lcRest)) {}

    qint64 queueDelay(HttpJob &base, qint64 minDelayMs) override;
    Result<PreparedRequest> prepare(HttpJob &base) override {
        auto &job = static_cast<Job &>(base);
        return q->prepare(job.verb, job.path, job.params, std::nullopt, job.jsonBody);
    }
    Error deliver(const std::shared_ptr<HttpJob> &base, const HttpOutcome &outcome) override;
    bool isNonceRejection(const Error &e) const override {
        return e.krakenErrors().value(0).startsWith(u"EAPI:Invalid nonce"_s);
    }
    bool leavesOutcomeUnknown(const Error &e) const override {
        const QString first = e.krakenErrors().value(0);
        return first.startsWith(u"EService:Busy"_s) ||
               first.startsWith(u"EGeneral:Internal error"_s) ||
               first.startsWith(u"EService:Unavailable"_s);
    }
    void noteRateLimited(HttpJob &job) override {
        if (job.isPrivate && !job.orderEntry)
            restCounter.markFull(clock());
    }
    void reportThrottled(const QString &method, qint64 delayMs) override {
        Q_EMIT q->throttled(method, delayMs);
    }
    void reportFailed(const QString &method, const Error &error) override {
        Q_EMIT q->callFailed(method, error);
    }
    // Reads the next page into the job; true when another page is to be fetched.
    bool collectPage(Job &job, Envelope &env);
    void noteTradingSuccess(const Job &job, const QJsonValue &result);
};

RestClient::RestClient(RestClientConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(config))) {}

RestClient::~RestClient() = default;

const RestClientConfig &RestClient::config() const {
    return d->config;
}

void RestClient::setCredentials(std::optional<Credentials> credentials) {
    d->engine.setCredentials(std::move(credentials));
    Q_EMIT credentialsChanged();
}

bool RestClient::hasCredentials() const {
    return d->engine.credentials().has_value();
}

void RestClient::setInstruments(InstrumentRegistry instruments) {
    d->instruments = std::move(instruments);
}

double RestClient::restCounter() const {
    return d->restCounter.value(d->clock());
}

int RestClient::restCounterMax() const {
    return d->restCounter.maxCounter();
}

double RestClient::tradingCounter(const QString &pair) const {
    return d->trading.counter(canonicalPair(pair));
}

QString RestClient::canonicalPair(const QString &pair) const {
    if (const Instrument *in = d->instruments.find(pair))
        return in->restKey();
    return pair.trimmed().toUpper();
}

Result<PreparedRequest> RestClient::prepare(const QByteArray &verbIn, const QString &pathIn,
                                            const Params &params, std::optional<quint64> nonce,
                                            const QByteArray &jsonBody) {
    const auto path = normalisePath(pathIn);
    if (!path)
        return Error(
            Error::Category::InvalidInput,
            u"'%1' is not a Kraken REST path: use public/<Method> or private/<Method>"_s.arg(
                pathIn));
    const bool isPrivate = path->startsWith(u"/0/private/"_s);
    PreparedRequest req;
    req.verb = verbIn.isEmpty() ? (isPrivate ? "POST" : "GET") : verbIn.toUpper();
    if (req.verb != "GET" && req.verb != "POST")
        return Error(Error::Category::InvalidInput, u"HTTP method must be GET or POST"_s);
    QUrl url = d->config.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + *path);
    req.headers.emplaceBack("User-Agent", d->config.userAgent);

    if (!isPrivate) {
        if (!jsonBody.isEmpty())
            return Error(Error::Category::InvalidInput,
                         u"public calls take parameters, not a JSON body"_s);
        if (req.verb == "GET") {
            if (!params.isEmpty())
                url.setQuery(QString::fromLatin1(encodeForm(params)), QUrl::StrictMode);
        } else {
            req.body = encodeForm(params);
            req.headers.emplaceBack("Content-Type", "application/x-www-form-urlencoded");
        }
        req.url = url;
        return req;
    }

    if (req.verb != "POST")
        return Error(Error::Category::InvalidInput, u"Kraken's private endpoints take POST only"_s);
    if (!d->engine.credentials())
        return Error(Error::Category::Auth,
                     u"no API key: set KRAKEN_SPOT_API_KEY and KRAKEN_SPOT_API_SECRET"_s);
    const quint64 n = nonce ? *nonce : d->engine.nextNonce();
    const QByteArray nonceText = QByteArray::number(n);
    if (!jsonBody.isEmpty()) {
        const QByteArray text = jsonBody.trimmed();
        if (!text.startsWith('{') || !text.endsWith('}'))
            return Error(Error::Category::InvalidInput, u"a JSON body must be one object"_s);
        const QByteArray rest = text.mid(1).trimmed();
        req.body = "{\"nonce\":\"" + nonceText + '"' + (rest == "}" ? rest : "," + rest);
        req.headers.emplaceBack("Content-Type", "application/json");
    } else {
        req.body = "nonce=" + nonceText;
        if (!params.isEmpty())
            req.body += '&' + encodeForm(params);
        req.headers.emplaceBack("Content-Type", "application/x-www-form-urlencoded");
    }
    const auto sign =
        spotApiSign(path->toUtf8(), nonceText, req.body, d->engine.credentials()->secretBase64());
    if (!sign)
        return Error(Error::Category::Auth,
                     u"the API secret is not valid base64: copy it again from Kraken"_s);
    req.headers.emplaceBack("API-Key", d->engine.credentials()->apiKey().toUtf8());
    req.headers.emplaceBack("API-Sign", *sign);
    req.url = url;
    return req;
}

std::shared_ptr<RestClient::Job> RestClient::makeJob(const QByteArray &verb, const QString &path,
                                                     const Params &params,
                                                     const QByteArray &jsonBody) {
    auto job = std::make_shared<Job>();
    job->verb = verb;
    job->path = normalisePath(path).value_or(path);
    job->name = methodOf(job->path);
    job->isPrivate = job->path.startsWith(u"/0/private/"_s);
    job->params = params;
    job->jsonBody = jsonBody;
    job->orderEntry = job->isPrivate && isTradingMethod(job->name);
    return job;
}

RestReply *RestClient::rejectLocally(const QString &method, Error error) {
    auto *reply = new RestReply(method, this);
    d->engine.rejectLocally(reply, method, std::move(error));
    return reply;
}

RestReply *RestClient::start(const std::shared_ptr<Job> &job) {
    auto *reply = new RestReply(job->name, this);
    d->engine.start(job, reply);
    return reply;
}

qint64 RestClient::Private::queueDelay(HttpJob &base, qint64 minDelayMs) {
    auto &job = static_cast<Job &>(base);
    const qint64 now = clock();
    if (job.orderEntry) {
        qint64 delay = 0;
        for (const auto &[pair, cost] : job.tradingCosts) {
            delay = std::max<qint64>(delay, trading.reserveCost(pair, cost));
            Q_EMIT q->tradingCounterChanged(pair, trading.counter(pair), trading.maxCounter());
        }
        return delay;
    }
    if (job.isPrivate) {
        const qint64 delay = restCounter.reserve(restCallCost(job.name), now + minDelayMs);
        Q_EMIT q->rateCounterChanged(restCounter.value(now), restCounter.maxCounter());
        return delay + minDelayMs;
    }
    if (config.limitPublicCalls)
        return publicCounter.reserve(1, now + minDelayMs) + minDelayMs;
    return minDelayMs;
}

Error RestClient::Private::deliver(const std::shared_ptr<HttpJob> &base,
                                   const HttpOutcome &outcome) {
    auto &job = static_cast<Job &>(*base);
    Envelope env = interpretResponse(outcome);
    if (env.error)
        return env.error;
    if (job.allPages && collectPage(job, env)) {
        job.attempt = 0;
        engine.schedule(base, 0);
        return {};
    }
    if (job.orderEntry)
        noteTradingSuccess(job, env.result);
    if (job.reply)
        static_cast<RestReply *>(job.reply.data())->finishWith(env.result, env.warnings);
    return {};
}

bool RestClient::Private::collectPage(Job &job, Envelope &env) {
    const QJsonObject page = env.result.toObject();
    const QJsonObject rows = page.value(job.pageListKey).toObject();
    const qint64 total = page.value(u"count"_s).toInteger(-1);
    const qsizetype before = job.accumulated.size();
    for (auto it = rows.begin(); it != rows.end(); ++it)
        job.accumulated.insert(it.key(), it.value());
    job.fetchedRows += rows.size();
    ++job.pages;
    // The next page starts after this one, which started at the caller's ofs or ours.
    qint64 offset = 0;
    for (const auto &[key, value] : std::as_const(job.params)) {
        if (key == u"ofs"_s)
            offset = value.toLongLong();
    }
    offset += rows.size();
    // Without a count (Ledgers' without_count) read on until a page brings nothing new.
    const bool done =
        rows.isEmpty() || (total >= 0 && offset >= total) || job.accumulated.size() == before;
    if (!done && job.pages < config.maxPages) {
        Params next = job.params;
        next.removeIf([](const auto &p) { return p.first == u"ofs"_s; });
        next.append({u"ofs"_s, QString::number(offset)});
        job.params = next;
        return true;
    }
    if (!done)
        env.warnings.append(u"WGeneral:stopped after %1 pages"_s.arg(job.pages));
    QJsonObject merged;
    merged.insert(job.pageListKey, job.accumulated);
    merged.insert(u"count"_s, total < 0 ? job.accumulated.size() : total);
    env.result = merged;
    return false;
}

void RestClient::Private::noteTradingSuccess(const Job &job, const QJsonValue &result) {
    const QJsonObject o = result.toObject();
    if (job.name == u"AddOrder"_s) {
        for (const QJsonValue &t : o.value(u"txid"_s).toArray())
            trading.noteOrderPlaced(t.toString(), job.pair);
        if (!job.orderId.isEmpty())
            trading.noteOrderPlaced(job.orderId, job.pair); // its cl_ord_id
    } else if (job.name == u"AddOrderBatch"_s) {
        for (const QJsonValue &e : o.value(u"orders"_s).toArray())
            trading.noteOrderPlaced(e.toObject().value(u"txid"_s).toString(), job.pair);
    } else if (job.name == u"AmendOrder"_s) {
        trading.noteOrderAmended(job.orderId);
    } else if (job.name == u"EditOrder"_s) {
        trading.noteOrderClosed(job.orderId);
        trading.noteOrderPlaced(o.value(u"txid"_s).toString(), job.pair);
    } else if (job.name == u"CancelOrder"_s) {
        trading.noteOrderClosed(job.orderId);
    }
}

RestReply *RestClient::request(const QByteArray &verb, const QString &path, const Params &params) {
    return start(makeJob(verb, path, params));
}

RestReply *RestClient::requestJson(const QString &path, const QByteArray &jsonObjectText) {
    return start(makeJob("POST", path, {}, jsonObjectText));
}

// ---- typed calls ----------------------------------------------------------------------

Call<ServerTime> RestClient::serverTime() {
    return {request({}, u"public/Time"_s), parse::serverTime};
}

Call<SystemStatus> RestClient::systemStatus() {
    return {request({}, u"public/SystemStatus"_s), parse::systemStatus};
}

Call<QList<AssetInfo>> RestClient::assets(const QStringList &assets) {
    Params p;
    if (!assets.isEmpty())
        p.append({u"asset"_s, assets.join(u',')});
    return {request({}, u"public/Assets"_s, p), parse::assets};
}

Call<InstrumentRegistry> RestClient::assetPairs(const QStringList &pairs) {
    Params p;
    if (!pairs.isEmpty())
        p.append({u"pair"_s, pairs.join(u',')});
    return {request({}, u"public/AssetPairs"_s, p), parse::assetPairs};
}

Call<QList<TickerInfo>> RestClient::ticker(const QStringList &pairs) {
    Params p;
    if (!pairs.isEmpty())
        p.append({u"pair"_s, pairs.join(u',')});
    return {request({}, u"public/Ticker"_s, p), parse::ticker};
}

Call<OhlcPage> RestClient::ohlc(const QString &pair, int intervalMinutes,
                                std::optional<qint64> since) {
    Params p{{u"pair"_s, pair}, {u"interval"_s, QString::number(intervalMinutes)}};
    if (since)
        p.append({u"since"_s, QString::number(*since)});
    return {request({}, u"public/OHLC"_s, p), parse::ohlc};
}

Call<DepthSnapshot> RestClient::depth(const QString &pair, int count) {
    return {
        request({}, u"public/Depth"_s, {{u"pair"_s, pair}, {u"count"_s, QString::number(count)}}),
        parse::depth};
}

Call<TradesPage> RestClient::trades(const QString &pair, const QString &since, int count) {
    Params p{{u"pair"_s, pair}};
    if (!since.isEmpty())
        p.append({u"since"_s, since});
    if (count > 0)
        p.append({u"count"_s, QString::number(count)});
    return {request({}, u"public/Trades"_s, p), parse::trades};
}

Call<SpreadPage> RestClient::spread(const QString &pair, std::optional<qint64> since) {
    Params p{{u"pair"_s, pair}};
    if (since)
        p.append({u"since"_s, QString::number(*since)});
    return {request({}, u"public/Spread"_s, p), parse::spread};
}

Call<Balances> RestClient::balance() {
    return {request({}, u"private/Balance"_s), parse::balance};
}

Call<ExtendedBalances> RestClient::balanceEx() {
    return {request({}, u"private/BalanceEx"_s), parse::balanceEx};
}

Call<TradeBalance> RestClient::tradeBalance(const QString &asset) {
    Params p;
    if (!asset.isEmpty())
        p.append({u"asset"_s, asset});
    return {request({}, u"private/TradeBalance"_s, p), parse::tradeBalance};
}

Call<OrdersPage> RestClient::openOrders(const Params &filters) {
    return {request({}, u"private/OpenOrders"_s, filters), parse::openOrders};
}

Call<OrdersPage> RestClient::closedOrders(const Params &filters, Pages pages) {
    auto job = makeJob({}, u"private/ClosedOrders"_s, filters);
    job->allPages = pages == Pages::All;
    job->pageListKey = u"closed"_s;
    return {start(job), parse::closedOrders};
}

Call<QList<OrderInfo>> RestClient::queryOrders(const QStringList &txids, const Params &filters) {
    Params p{{u"txid"_s, txids.join(u',')}};
    p.append(filters);
    return {request({}, u"private/QueryOrders"_s, p), parse::queryOrders};
}

Call<TradesHistoryPage> RestClient::tradesHistory(const Params &filters, Pages pages) {
    auto job = makeJob({}, u"private/TradesHistory"_s, filters);
    job->allPages = pages == Pages::All;
    job->pageListKey = u"trades"_s;
    return {start(job), parse::tradesHistory};
}

Call<QList<PositionInfo>> RestClient::openPositions(const QStringList &txids, bool doCalcs) {
    Params p;
    if (!txids.isEmpty())
        p.append({u"txid"_s, txids.join(u',')});
    if (doCalcs)
        p.append({u"docalcs"_s, u"true"_s});
    return {request({}, u"private/OpenPositions"_s, p), parse::openPositions};
}

Call<LedgerPage> RestClient::ledgers(const Params &filters, Pages pages) {
    auto job = makeJob({}, u"private/Ledgers"_s, filters);
    job->allPages = pages == Pages::All;
    job->pageListKey = u"ledger"_s;
    return {start(job), parse::ledgers};
}

Call<WebSocketToken> RestClient::webSocketsToken() {
    return {request({}, u"private/GetWebSocketsToken"_s), parse::webSocketsToken};
}

namespace {

Error invalidOrder(const QString &why) {
    return Error(Error::Category::InvalidInput, u"order not sent: "_s + why);
}

} // namespace

Call<AddOrderResult> RestClient::addOrder(const OrderRequest &order) {
    auto job = makeJob({}, u"private/AddOrder"_s, order.toParams());
    job->pair = canonicalPair(order.pair);
    job->orderId = order.clOrdId;
    job->tradingCosts = {{job->pair, tradingCost(TradingAction::Add, 0)}};
    if (const QString why = order.validationError(); !why.isEmpty()) {
        return {rejectLocally(job->name, invalidOrder(why)), parse::addOrder};
    }
    return {start(job), parse::addOrder};
}

Call<QList<BatchOrderEntry>> RestClient::addOrderBatch(const QString &pair,
                                                       const QList<OrderRequest> &orders,
                                                       bool validateOnly, const QString &deadline) {
    QJsonObject body;
    QJsonArray entries;
    QString why;
    for (const OrderRequest &o : orders) {
        if (why.isEmpty())
            why = o.validationError();
        entries.append(o.toBatchEntry());
    }
    if (orders.size() < 2 || orders.size() > 15)
        why = u"a batch holds 2 to 15 orders"_s;
    body.insert(u"orders"_s, entries);
    body.insert(u"pair"_s, pair);
    if (validateOnly)
        body.insert(u"validate"_s, true);
    if (!deadline.isEmpty())
        body.insert(u"deadline"_s, deadline);
    auto job = makeJob("POST", u"private/AddOrderBatch"_s, {},
                       QJsonDocument(body).toJson(QJsonDocument::Compact));
    job->pair = canonicalPair(pair);
    job->tradingCosts = {{job->pair, batchAddCost(int(orders.size()))}};
    if (!why.isEmpty()) {
        return {rejectLocally(job->name, invalidOrder(why)), parse::addOrderBatch};
    }
    return {start(job), parse::addOrderBatch};
}

Call<AmendResult> RestClient::amendOrder(const AmendRequest &a) {
    Params p;
    if (!a.txid.isEmpty())
        p.append({u"txid"_s, a.txid});
    if (!a.clOrdId.isEmpty())
        p.append({u"cl_ord_id"_s, a.clOrdId});
    if (a.orderQty)
        p.append({u"order_qty"_s, a.orderQty->toString()});
    if (a.displayQty)
        p.append({u"display_qty"_s, a.displayQty->toString()});
    if (a.limitPrice)
        p.append({u"limit_price"_s, a.limitPrice->toString()});
    if (a.triggerPrice)
        p.append({u"trigger_price"_s, a.triggerPrice->toString()});
    if (a.postOnly)
        p.append({u"post_only"_s, u"true"_s});
    if (!a.deadline.isEmpty())
        p.append({u"deadline"_s, a.deadline});
    auto job = makeJob({}, u"private/AmendOrder"_s, p);
    job->orderId = a.txid.isEmpty() ? a.clOrdId : a.txid;
    job->pair = d->trading.pairOfOrder(job->orderId);
    if (!job->pair.isEmpty())
        job->tradingCosts = {{job->pair, d->trading.costOf(TradingAction::Amend, job->orderId)}};
    return {start(job), parse::amendOrder};
}

Call<EditOrderResult> RestClient::editOrder(const EditRequest &e) {
    Params p{{u"txid"_s, e.txid}, {u"pair"_s, e.pair}};
    if (e.volume)
        p.append({u"volume"_s, e.volume->toString()});
    if (e.displayVolume)
        p.append({u"displayvol"_s, e.displayVolume->toString()});
    if (e.price)
        p.append({u"price"_s, e.price->toString()});
    if (e.price2)
        p.append({u"price2"_s, e.price2->toString()});
    if (!e.oflags.isEmpty())
        p.append({u"oflags"_s, e.oflags.join(u',')});
    if (!e.deadline.isEmpty())
        p.append({u"deadline"_s, e.deadline});
    if (e.cancelResponse)
        p.append({u"cancel_response"_s, u"true"_s});
    if (e.validateOnly)
        p.append({u"validate"_s, u"true"_s});
    if (e.userref)
        p.append({u"userref"_s, QString::number(*e.userref)});
    auto job = makeJob({}, u"private/EditOrder"_s, p);
    job->orderId = e.txid;
    job->pair = canonicalPair(e.pair);
    job->tradingCosts = {{job->pair, d->trading.costOf(TradingAction::Edit, e.txid)}};
    return {start(job), parse::editOrder};
}

Call<CancelResult> RestClient::cancelOrder(const QString &orderId) {
    auto job = makeJob({}, u"private/CancelOrder"_s, {{u"txid"_s, orderId}});
    job->orderId = orderId;
    job->pair = d->trading.pairOfOrder(orderId);
    // An order we never saw placed has an unknown pair: no local counter to charge.
    if (!job->pair.isEmpty())
        job->tradingCosts = {{job->pair, d->trading.costOf(TradingAction::Cancel, orderId)}};
    return {start(job), parse::cancel};
}

Call<CancelResult> RestClient::cancelAllOrders() {
    return {request({}, u"private/CancelAll"_s), parse::cancel};
}

Call<DeadManSwitchStatus> RestClient::cancelAllOrdersAfter(int timeoutSeconds) {
    return {request({}, u"private/CancelAllOrdersAfter"_s,
                    {{u"timeout"_s, QString::number(std::max(0, timeoutSeconds))}}),
            parse::cancelAllOrdersAfter};
}

Call<CancelResult> RestClient::cancelOrderBatch(const QStringList &orderIds,
                                                const QStringList &clOrdIds) {
    QJsonObject body;
    QJsonArray orders;
    for (const QString &id : orderIds)
        orders.append(QJsonObject{{u"txid"_s, id}});
    if (!orders.isEmpty())
        body.insert(u"orders"_s, orders);
    if (!clOrdIds.isEmpty())
        body.insert(u"cl_ord_ids"_s, QJsonArray::fromStringList(clOrdIds));
    auto job = makeJob("POST", u"private/CancelOrderBatch"_s, {},
                       QJsonDocument(body).toJson(QJsonDocument::Compact));
    for (const QString &id : orderIds + clOrdIds) {
        const QString pair = d->trading.pairOfOrder(id);
        if (!pair.isEmpty())
            job->tradingCosts.append({pair, d->trading.costOf(TradingAction::Cancel, id)});
    }
    return {start(job), parse::cancel};
}

} // namespace kraken::spot
