#include "futuresrestclient.h"

#include "futuresenvelope.h"
#include "futuresrestparsers.h"
#include "kraken/core/httpengine.h"
#include "kraken/core/ratecounter.h"
#include "kraken/core/signing.h"
#include "logging.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

// Kraken's budget for /derivatives/api/v3: 500 cost units per 10 s, per key.
constexpr int BudgetMax = 500;
constexpr int BudgetDecayMilliPerSecond = 50'000;
// The history API's separate pool: 100 tokens, about 100 per 10 minutes.
constexpr int HistoryMax = 100;
constexpr int HistoryDecayMilliPerSecond = 167;

bool isOrderEntry(const QString &endpoint) {
    return endpoint == u"sendorder"_s || endpoint == u"editorder"_s ||
           endpoint == u"cancelorder"_s || endpoint == u"cancelallorders"_s ||
           endpoint == u"batchorder"_s;
}

int costOf(const QString &endpoint, const Params &params) {
    if (endpoint == u"sendorder"_s || endpoint == u"editorder"_s || endpoint == u"cancelorder"_s)
        return 10;
    if (endpoint == u"cancelallorders"_s || endpoint == u"cancelallordersafter"_s)
        return 25;
    if (endpoint == u"batchorder"_s)
        return 9 + 1; // +1 per instruction is added by batchOrder()
    if (endpoint == u"fills"_s) {
        for (const auto &[k, v] : params) {
            if (k == u"lastFillTime"_s)
                return 25;
        }
    }
    return 2;
}

QString normaliseEndpoint(QString e) {
    e = e.trimmed();
    while (e.startsWith(u'/'))
        e.remove(0, 1);
    return e;
}

} // namespace

// name: the endpoint relative to the API base ("sendorder", "trade/PF_XBTUSD/1m"); isPrivate:
// authenticated; orderEntry: sendorder, editorder, cancelorder, cancelallorders, batchorder.
struct FuturesRestClient::Job : HttpJob {
    QByteArray verb;
    FuturesApi api = FuturesApi::Derivatives;
    Params params;
    int cost = 2;
};

// Futures' side of the HTTP engine: Authent signing, the cost budgets, the Futures envelope and
// its error codes.
struct FuturesRestClient::Private final : HttpVenue {
    FuturesRestClient *q;
    FuturesRestConfig config;
    FuturesInstrumentRegistry instruments;
    MonotonicClock clock = steadyClock();
    RateCounter budget{BudgetMax, BudgetDecayMilliPerSecond};
    RateCounter historyBudget{HistoryMax, HistoryDecayMilliPerSecond};
    HttpEngine engine;

    Private(FuturesRestClient *client, FuturesRestConfig c)
        : q(client)
        , config(std::move(c))
        , engine(client, this, HttpEngineConfig::from(config, futuresVenue(), lcFuturesRest)) {}

    RateCounter &poolOf(const Job &job) {
        return job.api == FuturesApi::History ? historyBudget : budget;
    }
    qint64 queueDelay(HttpJob &base, qint64 minDelayMs) override {
        auto &job = static_cast<Job &>(base);
        if (!job.isPrivate)
            return minDelayMs;
        return poolOf(job).reserve(job.cost, clock() + minDelayMs) + minDelayMs;
    }
    Result<PreparedRequest> prepare(HttpJob &base) override {
        auto &job = static_cast<Job &>(base);
        return q->prepare(job.verb, job.name, job.params, job.isPrivate, std::nullopt, job.api);
    }
    Error deliver(const std::shared_ptr<HttpJob> &base, const HttpOutcome &outcome) override {
        auto &job = static_cast<Job &>(*base);
        FuturesEnvelope env = interpretFuturesResponse(outcome, job.api == FuturesApi::Derivatives);
        if (!env.error && job.reply)
            static_cast<FuturesReply *>(job.reply.data())->finishWith(std::move(env.root));
        return env.error;
    }
    bool isNonceRejection(const Error &e) const override {
        const QString first = e.krakenErrors().value(0);
        return first == u"nonceBelowThreshold"_s || first == u"nonceDuplicate"_s;
    }
    bool leavesOutcomeUnknown(const Error &e) const override {
        const QString first = e.krakenErrors().value(0);
        return first == u"Unavailable"_s || first == u"Server Error"_s;
    }
    void noteRateLimited(HttpJob &job) override {
        if (job.isPrivate)
            poolOf(static_cast<Job &>(job)).markFull(clock());
    }
    void reportThrottled(const QString &endpoint, qint64 delayMs) override {
        Q_EMIT q->throttled(endpoint, delayMs);
    }
    void reportFailed(const QString &endpoint, const Error &error) override {
        Q_EMIT q->callFailed(endpoint, error);
    }
};

FuturesRestClient::FuturesRestClient(FuturesRestConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(config))) {}

FuturesRestClient::~FuturesRestClient() = default;

const FuturesRestConfig &FuturesRestClient::config() const {
    return d->config;
}

void FuturesRestClient::setCredentials(std::optional<Credentials> credentials) {
    d->engine.setCredentials(std::move(credentials));
    Q_EMIT credentialsChanged();
}

bool FuturesRestClient::hasCredentials() const {
    return d->engine.credentials().has_value();
}

void FuturesRestClient::setInstruments(FuturesInstrumentRegistry instruments) {
    d->instruments = std::move(instruments);
}

Result<PreparedRequest> FuturesRestClient::prepare(const QByteArray &verbIn,
                                                   const QString &endpointIn, const Params &params,
                                                   bool authenticated, std::optional<quint64> nonce,
                                                   FuturesApi api) {
    const QString endpoint = normaliseEndpoint(endpointIn);
    if (endpoint.isEmpty())
        return Error(Error::Category::InvalidInput, u"no Futures endpoint given"_s);
    PreparedRequest req;
    req.verb = verbIn.isEmpty() ? QByteArray("GET") : verbIn.toUpper();
    if (req.verb != "GET" && req.verb != "POST" && req.verb != "PUT")
        return Error(Error::Category::InvalidInput, u"HTTP method must be GET, POST or PUT"_s);
    QUrl url = api == FuturesApi::Derivatives ? d->config.baseUrl
               : api == FuturesApi::Charts    ? d->config.chartsUrl
                                              : d->config.historyUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    const QString path = basePath + u'/' + endpoint;
    url.setPath(path);

    // The string that is both sent and signed: built once.
    const QByteArray postData = encodeForm(params);
    if (req.verb == "GET") {
        if (!postData.isEmpty())
            url.setQuery(QString::fromLatin1(postData), QUrl::StrictMode);
    } else {
        req.body = postData;
        req.headers.emplaceBack("Content-Type", "application/x-www-form-urlencoded");
    }
    req.url = url;
    req.headers.emplaceBack("User-Agent", d->config.userAgent);
    req.headers.emplaceBack("Accept", "application/json");
    if (!authenticated)
        return req;

    if (!d->engine.credentials())
        return Error(Error::Category::Auth, u"no Futures API key: set KRAKEN_FUTURES_API_KEY and "
                                            u"KRAKEN_FUTURES_API_SECRET"_s);
    const quint64 n = nonce ? *nonce : d->engine.nextNonce();
    const QByteArray nonceText = QByteArray::number(n);
    // The path as sent, percent-encoded like the wire, minus "/derivatives" (futuresAuthent
    // strips it).
    const QByteArray signedPath = url.path(QUrl::FullyEncoded).toLatin1();
    const auto authent =
        futuresAuthent(postData, nonceText, signedPath, d->engine.credentials()->secretBase64());
    if (!authent)
        return Error(Error::Category::Auth,
                     u"the Futures API secret is not valid base64: copy it again from Kraken"_s);
    req.headers.emplaceBack("APIKey", d->engine.credentials()->apiKey().toUtf8());
    req.headers.emplaceBack("Nonce", nonceText);
    req.headers.emplaceBack("Authent", *authent);
    return req;
}

std::shared_ptr<FuturesRestClient::Job>
FuturesRestClient::makeJob(const QByteArray &verb, const QString &endpoint, const Params &params,
                           bool authenticated, FuturesApi api) {
    auto job = std::make_shared<Job>();
    job->verb = verb.isEmpty() ? QByteArray("GET") : verb;
    job->name = normaliseEndpoint(endpoint);
    job->api = api;
    job->params = params;
    job->isPrivate = authenticated;
    job->orderEntry = api == FuturesApi::Derivatives && isOrderEntry(job->name);
    job->cost = costOf(job->name, params);
    return job;
}

FuturesReply *FuturesRestClient::rejectLocally(const QString &endpoint, Error error) {
    auto *reply = new FuturesReply(endpoint, this);
    d->engine.rejectLocally(reply, endpoint, std::move(error));
    return reply;
}

FuturesReply *FuturesRestClient::start(const std::shared_ptr<Job> &job) {
    auto *reply = new FuturesReply(job->name, this);
    d->engine.start(job, reply);
    return reply;
}

FuturesReply *FuturesRestClient::request(const QByteArray &verb, const QString &endpoint,
                                         const Params &params, bool authenticated) {
    return start(makeJob(verb, endpoint, params, authenticated));
}

// ---- typed calls ----------------------------------------------------------------------

FuturesCall<FuturesInstrumentRegistry> FuturesRestClient::instruments() {
    return {request("GET", u"instruments"_s, {}, false), parse::instruments};
}

FuturesCall<QList<FuturesTicker>> FuturesRestClient::tickers() {
    return {request("GET", u"tickers"_s, {}, false), parse::tickers};
}

FuturesCall<FuturesOrderBook> FuturesRestClient::orderBook(const QString &symbol) {
    return {request("GET", u"orderbook"_s, {{u"symbol"_s, symbol}}, false),
            [symbol](const JsonNode &root) -> Result<FuturesOrderBook> {
                auto book = parse::orderBook(root);
                if (!book)
                    return book;
                FuturesOrderBook b = std::move(book).value();
                b.symbol = symbol.toUpper();
                return b;
            }};
}

FuturesCall<QList<FuturesPublicTrade>> FuturesRestClient::history(const QString &symbol,
                                                                  const QDateTime &lastTime) {
    Params p{{u"symbol"_s, symbol}};
    if (lastTime.isValid())
        p.append({u"lastTime"_s, lastTime.toUTC().toString(Qt::ISODateWithMs)});
    return {request("GET", u"history"_s, p, false), parse::history};
}

FuturesCall<FuturesCandlePage> FuturesRestClient::candles(const QString &tickType,
                                                          const QString &symbol,
                                                          const QString &resolution,
                                                          std::optional<qint64> fromSeconds,
                                                          std::optional<qint64> toSeconds) {
    Params p;
    if (fromSeconds)
        p.append({u"from"_s, QString::number(*fromSeconds)});
    if (toSeconds)
        p.append({u"to"_s, QString::number(*toSeconds)});
    const QString endpoint = QString(tickType + u'/' + symbol + u'/' + resolution);
    return {start(makeJob("GET", endpoint, p, false, FuturesApi::Charts)), parse::candles};
}

FuturesCall<FuturesAccounts> FuturesRestClient::accounts() {
    return {request("GET", u"accounts"_s, {}, true), parse::accounts};
}

FuturesCall<QList<FuturesPosition>> FuturesRestClient::openPositions() {
    return {request("GET", u"openpositions"_s, {}, true), parse::openPositions};
}

FuturesCall<QList<FuturesOpenOrder>> FuturesRestClient::openOrders() {
    return {request("GET", u"openorders"_s, {}, true), parse::openOrders};
}

FuturesCall<QList<FuturesFill>> FuturesRestClient::fills(const QDateTime &lastFillTime,
                                                         const QDateTime &since) {
    Params p;
    if (lastFillTime.isValid())
        p.append({u"lastFillTime"_s, lastFillTime.toUTC().toString(Qt::ISODateWithMs)});
    return {request("GET", u"fills"_s, p, true),
            [since](const JsonNode &root) -> Result<QList<FuturesFill>> {
                auto all = parse::fills(root);
                if (!all || !since.isValid())
                    return all;
                QList<FuturesFill> kept;
                for (const FuturesFill &f : all.value()) {
                    if (f.fillTime >= since)
                        kept.append(f);
                }
                return kept;
            }};
}

FuturesCall<FuturesOrderHistoryPage>
FuturesRestClient::orderHistory(std::optional<qint64> sinceMs, std::optional<qint64> beforeMs,
                                const QString &continuationToken, int count) {
    Params p;
    if (sinceMs)
        p.append({u"since"_s, QString::number(*sinceMs)});
    if (beforeMs)
        p.append({u"before"_s, QString::number(*beforeMs)});
    if (!continuationToken.isEmpty())
        p.append({u"continuation_token"_s, continuationToken});
    if (count > 0)
        p.append({u"count"_s, QString::number(count)});
    return {start(makeJob("GET", u"orders"_s, p, true, FuturesApi::History)), parse::orderHistory};
}

namespace {
Error invalidOrder(const QString &why) {
    return Error(Error::Category::InvalidInput, u"order not sent: "_s + why);
}
} // namespace

FuturesCall<FuturesOrderStatus> FuturesRestClient::sendOrder(const FuturesOrderRequest &order) {
    const FuturesInstrument *in = d->instruments.find(order.symbol);
    if (const QString why = order.validationError(in); !why.isEmpty())
        return {rejectLocally(u"sendorder"_s, invalidOrder(why)), parse::sendOrder};
    return {request("POST", u"sendorder"_s, order.toParams(), true), parse::sendOrder};
}

FuturesCall<FuturesOrderStatus> FuturesRestClient::editOrder(const FuturesEditRequest &edit) {
    if (const QString why = edit.validationError(); !why.isEmpty())
        return {rejectLocally(u"editorder"_s, invalidOrder(why)), parse::editOrder};
    return {request("POST", u"editorder"_s, edit.toParams(), true), parse::editOrder};
}

FuturesCall<FuturesOrderStatus> FuturesRestClient::cancelOrder(const QString &orderId,
                                                               const QString &cliOrdId) {
    if (orderId.isEmpty() == cliOrdId.isEmpty())
        return {rejectLocally(u"cancelorder"_s,
                              invalidOrder(u"give either the order id or the client order id"_s)),
                parse::cancelOrder};
    Params p;
    if (!orderId.isEmpty())
        p.append({u"order_id"_s, orderId});
    else
        p.append({u"cliOrdId"_s, cliOrdId});
    return {request("POST", u"cancelorder"_s, p, true), parse::cancelOrder};
}

FuturesCall<FuturesCancelAllStatus> FuturesRestClient::cancelAllOrders(const QString &symbol) {
    Params p;
    if (!symbol.isEmpty())
        p.append({u"symbol"_s, symbol});
    return {request("POST", u"cancelallorders"_s, p, true), parse::cancelAllOrders};
}

FuturesCall<FuturesDeadManSwitch> FuturesRestClient::cancelAllOrdersAfter(int timeoutSeconds) {
    return {request("POST", u"cancelallordersafter"_s,
                    {{u"timeout"_s, QString::number(std::max(0, timeoutSeconds))}}, true),
            parse::cancelAllOrdersAfter};
}

FuturesCall<QList<FuturesOrderStatus>>
FuturesRestClient::batchOrder(const QList<FuturesBatchInstruction> &instructions) {
    QString why = instructions.isEmpty() ? u"an empty batch"_s : QString();
    for (const FuturesBatchInstruction &i : instructions) {
        if (!why.isEmpty())
            break;
        if (i.kind == FuturesBatchInstruction::Kind::Send)
            why = i.send.validationError(d->instruments.find(i.send.symbol));
        else if (i.kind == FuturesBatchInstruction::Kind::Edit)
            why = i.edit.validationError();
        else if (i.orderId.isEmpty() == i.cliOrdId.isEmpty())
            why = u"a cancel needs either the order id or the client order id"_s;
    }
    if (!why.isEmpty())
        return {rejectLocally(u"batchorder"_s, invalidOrder(why)), parse::batchOrder};
    auto job = makeJob("POST", u"batchorder"_s,
                       {{u"json"_s, QString::fromUtf8(batchOrderJson(instructions))}}, true);
    job->cost = 9 + int(instructions.size());
    return {start(job), parse::batchOrder};
}

} // namespace kraken::futures
