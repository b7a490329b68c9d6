#include "futuresrestclient.h"

#include "futuresenvelope.h"
#include "futuresrestparsers.h"
#include "kraken/core/noncesource.h"
#include "kraken/core/ratecounter.h"
#include "kraken/core/signing.h"
#include "logging.h"

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <cstring>
#include <deque>

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

constexpr qint64 MaxResponseBytes = 64 * 1024 * 1024;
constexpr int MaxBackoffMs = 30'000;
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

// An order call's body, readable once: when a connection drops after the request went out,
// Qt's HTTP stack silently rewinds the body and sends it again, which could place an order
// twice. Refusing the rewind makes the reply fail instead (reported with outcomeUnknown).
// The same guard as the Spot client's.
class SendOnceBody : public QIODevice {
public:
    explicit SendOnceBody(QByteArray body)
        : m_body(std::move(body)) {
        open(QIODevice::ReadOnly);
    }
    qint64 size() const override { return m_body.size(); }
    bool reset() override { return !m_consumed && QIODevice::reset(); }
    bool seek(qint64 pos) override {
        return (!m_consumed || pos >= this->pos()) && QIODevice::seek(pos);
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override {
        const qint64 n = std::min(maxSize, m_body.size() - pos());
        if (n <= 0)
            return 0;
        std::memcpy(data, m_body.constData() + pos(), size_t(n));
        m_consumed = true;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_body;
    bool m_consumed = false;
};

QString normaliseEndpoint(QString e) {
    e = e.trimmed();
    while (e.startsWith(u'/'))
        e.remove(0, 1);
    return e;
}

} // namespace

struct FuturesRestClient::Job {
    QPointer<FuturesReply> reply;
    QByteArray verb;
    QString endpoint; // relative to the API base: "sendorder", "trade/PF_XBTUSD/1m"
    FuturesApi api = FuturesApi::Derivatives;
    Params params;
    bool authenticated = false;
    bool orderEntry = false;
    int cost = 2;
    int attempt = 0;
    bool nonceRetried = false;
    bool userAborted = false;
    QPointer<QNetworkReply> inFlight;
};

struct FuturesRestClient::Private {
    FuturesRestConfig config;
    QNetworkAccessManager *nam = nullptr;
    std::optional<Credentials> credentials;
    std::unique_ptr<NonceSource> nonces;
    FuturesInstrumentRegistry instruments;
    MonotonicClock clock = steadyClock();
    RateCounter budget{BudgetMax, BudgetDecayMilliPerSecond};
    RateCounter historyBudget{HistoryMax, HistoryDecayMilliPerSecond};
    // One private call on the wire at a time: each draws its nonce when sent, so Kraken sees
    // the nonces in increasing order.
    bool privateBusy = false;
    std::deque<std::shared_ptr<Job>> privateWaiting;
};

FuturesRestClient::FuturesRestClient(FuturesRestConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->config = std::move(config);
    d->nam = new QNetworkAccessManager(this);
}

FuturesRestClient::~FuturesRestClient() = default;

const FuturesRestConfig &FuturesRestClient::config() const {
    return d->config;
}

void FuturesRestClient::setCredentials(std::optional<Credentials> credentials) {
    d->credentials = std::move(credentials);
    d->nonces.reset();
    if (d->credentials) {
        QString file;
        if (d->config.persistNonce)
            file = d->config.nonceStateFile.isEmpty()
                       ? NonceSource::defaultStateFile(d->credentials->apiKey())
                       : d->config.nonceStateFile;
        d->nonces = std::make_unique<NonceSource>(file);
    }
    Q_EMIT credentialsChanged();
}

bool FuturesRestClient::hasCredentials() const {
    return d->credentials.has_value();
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

    if (!d->credentials)
        return Error(Error::Category::Auth, u"no Futures API key: set KRAKEN_FUTURES_API_KEY and "
                                            u"KRAKEN_FUTURES_API_SECRET"_s);
    const quint64 n = nonce ? *nonce : d->nonces->next();
    const QByteArray nonceText = QByteArray::number(n);
    // The path as sent, percent-encoded like the wire, minus "/derivatives" (futuresAuthent
    // strips it).
    const QByteArray signedPath = url.path(QUrl::FullyEncoded).toLatin1();
    const auto authent =
        futuresAuthent(postData, nonceText, signedPath, d->credentials->secretBase64());
    if (!authent)
        return Error(Error::Category::Auth,
                     u"the Futures API secret is not valid base64: copy it again from Kraken"_s);
    req.headers.emplaceBack("APIKey", d->credentials->apiKey().toUtf8());
    req.headers.emplaceBack("Nonce", nonceText);
    req.headers.emplaceBack("Authent", *authent);
    return req;
}

std::shared_ptr<FuturesRestClient::Job>
FuturesRestClient::makeJob(const QByteArray &verb, const QString &endpoint, const Params &params,
                           bool authenticated, FuturesApi api) {
    auto job = std::make_shared<Job>();
    job->verb = verb.isEmpty() ? QByteArray("GET") : verb;
    job->endpoint = normaliseEndpoint(endpoint);
    job->api = api;
    job->params = params;
    job->authenticated = authenticated;
    job->orderEntry = api == FuturesApi::Derivatives && isOrderEntry(job->endpoint);
    job->cost = costOf(job->endpoint, params);
    return job;
}

FuturesReply *FuturesRestClient::rejectLocally(const QString &endpoint, Error error) {
    auto *reply = new FuturesReply(endpoint, this);
    connect(reply, &FuturesReply::finished, reply, &QObject::deleteLater);
    Q_EMIT callFailed(endpoint, error);
    reply->finishWith(std::move(error));
    return reply;
}

FuturesReply *FuturesRestClient::start(std::shared_ptr<Job> job) {
    auto *reply = new FuturesReply(job->endpoint, this);
    job->reply = reply;
    connect(reply, &FuturesReply::finished, reply, &QObject::deleteLater);
    connect(reply, &FuturesReply::aborted, this, [job] {
        job->userAborted = true;
        if (job->inFlight)
            job->inFlight->abort();
        else if (job->reply)
            job->reply->finishWith(Error(Error::Category::Network, u"the request was cancelled"_s));
    });
    schedule(job, 0);
    return reply;
}

void FuturesRestClient::schedule(const std::shared_ptr<Job> &job, qint64 minDelayMs) {
    const qint64 now = d->clock();
    qint64 delay = minDelayMs;
    if (job->authenticated) {
        RateCounter &pool = job->api == FuturesApi::History ? d->historyBudget : d->budget;
        delay = std::max(delay, pool.reserve(job->cost, now + minDelayMs) + minDelayMs);
    }
    if (delay > 0) {
        qCDebug(lcFuturesRest) << job->endpoint << "queued for" << delay << "ms";
        Q_EMIT throttled(job->endpoint, delay);
    }
    QTimer::singleShot(std::chrono::milliseconds(delay), this, [this, job] { send(job); });
}

void FuturesRestClient::releasePrivateSlot() {
    d->privateBusy = false;
    while (!d->privateWaiting.empty()) {
        std::shared_ptr<Job> next = d->privateWaiting.front();
        d->privateWaiting.pop_front();
        if (next->reply && !next->reply->isFinished()) {
            send(next);
            return;
        }
    }
}

void FuturesRestClient::send(const std::shared_ptr<Job> &job) {
    if (!job->reply || job->reply->isFinished())
        return;
    if (job->userAborted) {
        job->reply->finishWith(Error(Error::Category::Network, u"the request was cancelled"_s));
        return;
    }
    if (job->authenticated) {
        if (d->privateBusy) {
            d->privateWaiting.push_back(job);
            return;
        }
        d->privateBusy = true;
    }
    auto prepared =
        prepare(job->verb, job->endpoint, job->params, job->authenticated, std::nullopt, job->api);
    if (!prepared) {
        Q_EMIT callFailed(job->endpoint, prepared.error());
        job->reply->finishWith(prepared.error());
        if (job->authenticated)
            releasePrivateSlot();
        return;
    }
    ++job->attempt;
    job->reply->m_attempts = job->attempt;
    QNetworkRequest request(prepared->url);
    for (const auto &[name, value] : prepared->headers)
        request.setRawHeader(name, value);
    qCDebug(lcFuturesRest).noquote()
        << prepared->verb << job->endpoint << "attempt" << job->attempt;

    QNetworkReply *net = nullptr;
    if (prepared->verb == "GET") {
        net = d->nam->get(request);
    } else if (job->orderEntry) {
        auto *body = new SendOnceBody(prepared->body);
        net = d->nam->sendCustomRequest(request, prepared->verb, body);
        body->setParent(net);
    } else {
        net = d->nam->sendCustomRequest(request, prepared->verb, prepared->body);
    }
    job->inFlight = net;
    auto timedOut = std::make_shared<bool>(false);
    auto tooLarge = std::make_shared<bool>(false);
    auto *timer = new QTimer(net);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, net, [net, timedOut] {
        *timedOut = true;
        net->abort();
    });
    timer->start(d->config.timeoutMs);
    connect(net, &QNetworkReply::downloadProgress, net, [net, tooLarge](qint64 received, qint64) {
        if (received > MaxResponseBytes) {
            *tooLarge = true;
            net->abort();
        }
    });
    connect(net, &QNetworkReply::finished, this, [this, job, net, timedOut, tooLarge] {
        net->deleteLater();
        job->inFlight = nullptr;
        if (job->authenticated)
            releasePrivateSlot();
        FuturesHttpOutcome o;
        o.httpStatus = net->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        o.networkError = net->error();
        o.networkErrorText = net->errorString();
        o.contentType = net->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        o.body = net->isOpen() ? net->readAll() : QByteArray();
        o.timedOut = *timedOut;
        o.aborted = job->userAborted;
        o.timeoutMs = d->config.timeoutMs;
        if (*tooLarge) {
            finishFailed(job, Error(Error::Category::Parse,
                                    u"Kraken Futures' answer exceeded %1 MiB; refused"_s.arg(
                                        MaxResponseBytes / (1024 * 1024))));
            return;
        }
        handleFinished(job, o);
    });
}

void FuturesRestClient::finishFailed(const std::shared_ptr<Job> &job, Error error) {
    if (!job->reply)
        return;
    if (d->credentials) {
        const Credentials creds = *d->credentials;
        error.redactWith([&creds](const QString &text) { return redact(text, creds); });
    }
    qCInfo(lcFuturesRest).noquote() << job->endpoint << "failed:" << error.toString();
    Q_EMIT callFailed(job->endpoint, error);
    job->reply->finishWith(std::move(error));
}

void FuturesRestClient::handleFinished(const std::shared_ptr<Job> &job,
                                       const FuturesHttpOutcome &outcome) {
    if (!job->reply)
        return;
    FuturesEnvelope env = interpretFuturesResponse(outcome, job->api == FuturesApi::Derivatives);
    if (!env.error) {
        job->reply->finishWith(std::move(env.root));
        return;
    }
    Error e = env.error;
    const QString first = e.krakenErrors().value(0);
    // A nonce rejection is definite (nothing was done): one more try with a fresh nonce.
    if ((first == u"nonceBelowThreshold"_s || first == u"nonceDuplicate"_s) && !job->nonceRetried &&
        !job->userAborted) {
        job->nonceRetried = true;
        schedule(job, 0);
        return;
    }
    if (e.category() == Error::Category::RateLimited && job->authenticated)
        (job->api == FuturesApi::History ? d->historyBudget : d->budget).markFull(d->clock());
    if (job->orderEntry) {
        // Only a failure that proves the request never arrived, or Kraken's explicit answer,
        // is definite. Everything else may have placed or cancelled an order.
        const bool unknown =
            !job->userAborted &&
            (outcome.timedOut ||
             (e.category() == Error::Category::Network &&
              !futuresNeverReachedServer(outcome.networkError)) ||
             (e.category() == Error::Category::Http && outcome.httpStatus >= 500) ||
             e.category() == Error::Category::Parse || first == u"Unavailable"_s ||
             first == u"Server Error"_s);
        e.setOutcomeUnknown(unknown ||
                            (job->userAborted && outcome.httpStatus == 0 && job->attempt > 0));
        finishFailed(job, e);
        return;
    }
    const bool retryable =
        !job->userAborted && (e.isTransient() || e.category() == Error::Category::RateLimited);
    if (retryable && job->attempt <= d->config.maxRetries) {
        const qint64 base = qint64(d->config.retryDelayMs) << std::min(job->attempt - 1, 10);
        const double jitter = 0.5 + QRandomGenerator::global()->generateDouble();
        const qint64 delay = std::min<qint64>(MaxBackoffMs, qint64(double(base) * jitter));
        qCInfo(lcFuturesRest).noquote()
            << job->endpoint << "retrying in" << delay << "ms after" << e.toString();
        schedule(job, delay);
        return;
    }
    finishFailed(job, e);
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
