#include "httpengine.h"

#include "httpreply.h"
#include "noncesource.h"

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>

#include <cstring>

using namespace Qt::StringLiterals;

namespace kraken {
namespace {

constexpr qint64 MaxResponseBytes = 64 * 1024 * 1024;
constexpr int MaxBackoffMs = 30'000;

// An order call's body, readable once. When a connection drops after the request went out,
// Qt's HTTP stack silently rewinds the body and sends the request again; for an order that
// can place it twice. Refusing the rewind makes the reply fail (ContentReSendError) instead,
// which is reported with outcomeUnknown. (Not a QBuffer: Qt reads those directly.)
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

Error cancelled() {
    return Error(Error::Category::Network, u"the request was cancelled"_s);
}

} // namespace

HttpEngine::HttpEngine(QObject *owner, HttpVenue *venue, HttpEngineConfig config)
    : m_owner(owner)
    , m_venue(venue)
    , m_config(std::move(config))
    , m_nam(new QNetworkAccessManager(owner)) {}

HttpEngine::~HttpEngine() = default;

void HttpEngine::setCredentials(std::optional<Credentials> credentials) {
    m_credentials = std::move(credentials);
    m_nonces.reset();
    if (m_credentials) {
        QString file;
        if (m_config.persistNonce)
            file = m_config.nonceStateFile.isEmpty()
                       ? NonceSource::defaultStateFile(m_credentials->apiKey())
                       : m_config.nonceStateFile;
        m_nonces = std::make_unique<NonceSource>(file);
    }
}

quint64 HttpEngine::nextNonce() {
    Q_ASSERT(m_nonces);
    return m_nonces->next();
}

void HttpEngine::redact(Error &error) const {
    if (!m_credentials)
        return;
    const Credentials &creds = *m_credentials;
    error.redactWith([&creds](const QString &text) { return kraken::redact(text, creds); });
}

void HttpEngine::rejectLocally(HttpReply *reply, const QString &name, Error error) {
    QObject::connect(reply, &HttpReply::finished, reply, &QObject::deleteLater);
    m_venue->reportFailed(name, error);
    reply->finishWith(std::move(error));
}

void HttpEngine::start(const std::shared_ptr<HttpJob> &job, HttpReply *reply) {
    job->reply = reply;
    QObject::connect(reply, &HttpReply::finished, reply, &QObject::deleteLater);
    QObject::connect(reply, &HttpReply::aborted, m_owner, [job] {
        job->userAborted = true;
        if (job->inFlight)
            job->inFlight->abort();
        else if (job->reply)
            job->reply->finishWith(cancelled());
    });
    schedule(job, 0);
}

void HttpEngine::schedule(const std::shared_ptr<HttpJob> &job, qint64 minDelayMs) {
    const qint64 delay = std::max(minDelayMs, m_venue->queueDelay(*job, minDelayMs));
    if (delay > 0) {
        qCDebug(m_config.category) << job->name << "queued for" << delay << "ms";
        m_venue->reportThrottled(job->name, delay);
    }
    QTimer::singleShot(std::chrono::milliseconds(delay), m_owner, [this, job] { send(job); });
}

void HttpEngine::releasePrivateSlot() {
    m_privateBusy = false;
    while (!m_privateWaiting.empty()) {
        std::shared_ptr<HttpJob> next = m_privateWaiting.front();
        m_privateWaiting.pop_front();
        if (next->reply && !next->reply->isFinished()) {
            send(next);
            return;
        }
    }
}

void HttpEngine::send(const std::shared_ptr<HttpJob> &job) {
    if (!job->reply || job->reply->isFinished())
        return;
    if (job->userAborted) {
        job->reply->finishWith(cancelled());
        return;
    }
    if (job->isPrivate) {
        if (m_privateBusy) {
            m_privateWaiting.push_back(job);
            return;
        }
        m_privateBusy = true;
    }
    auto prepared = m_venue->prepare(*job);
    if (!prepared) {
        m_venue->reportFailed(job->name, prepared.error());
        job->reply->finishWith(prepared.error());
        if (job->isPrivate)
            releasePrivateSlot();
        return;
    }
    ++job->attempt;
    job->reply->m_attempts = job->attempt;
    QNetworkRequest request(prepared->url);
    for (const auto &[name, value] : prepared->headers)
        request.setRawHeader(name, value);
    qCDebug(m_config.category).noquote()
        << prepared->verb << prepared->url.path() << "attempt" << job->attempt;

    QNetworkReply *net = nullptr;
    if (prepared->verb == "GET") {
        net = m_nam->get(request);
    } else if (job->orderEntry) {
        auto *body = new SendOnceBody(prepared->body);
        net = prepared->verb == "POST" ? m_nam->post(request, body)
                                       : m_nam->sendCustomRequest(request, prepared->verb, body);
        body->setParent(net);
    } else {
        net = prepared->verb == "POST"
                  ? m_nam->post(request, prepared->body)
                  : m_nam->sendCustomRequest(request, prepared->verb, prepared->body);
    }
    job->inFlight = net;
    auto timedOut = std::make_shared<bool>(false);
    auto tooLarge = std::make_shared<bool>(false);
    auto *timer = new QTimer(net);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, net, [net, timedOut] {
        *timedOut = true;
        net->abort();
    });
    timer->start(m_config.timeoutMs);
    QObject::connect(net, &QNetworkReply::downloadProgress, net,
                     [net, tooLarge](qint64 received, qint64) {
                         if (received > MaxResponseBytes) {
                             *tooLarge = true;
                             net->abort();
                         }
                     });
    QObject::connect(net, &QNetworkReply::finished, m_owner, [this, job, net, timedOut, tooLarge] {
        net->deleteLater();
        job->inFlight = nullptr;
        if (job->isPrivate)
            releasePrivateSlot();
        if (*tooLarge) {
            finishFailed(job, Error(Error::Category::Parse,
                                    u"%1 answer exceeded %2 MiB; refused"_s.arg(
                                        m_config.venue.possessive,
                                        QString::number(MaxResponseBytes / (1024 * 1024)))));
            return;
        }
        HttpOutcome o;
        o.httpStatus = net->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        o.networkError = net->error();
        o.networkErrorText = net->errorString();
        o.contentType = net->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        o.body = net->isOpen() ? net->readAll() : QByteArray(); // closed after abort()
        o.timedOut = *timedOut;
        o.aborted = job->userAborted;
        o.timeoutMs = m_config.timeoutMs;
        handleFinished(job, o);
    });
}

void HttpEngine::finishFailed(const std::shared_ptr<HttpJob> &job, Error error) {
    if (!job->reply)
        return;
    redact(error);
    qCInfo(m_config.category).noquote() << job->name << "failed:" << error.toString();
    m_venue->reportFailed(job->name, error);
    job->reply->finishWith(std::move(error));
}

void HttpEngine::handleFinished(const std::shared_ptr<HttpJob> &job, const HttpOutcome &outcome) {
    if (!job->reply)
        return;
    Error e = m_venue->deliver(job, outcome);
    if (!e)
        return;
    // Before anything logs it (the retry line below), not only in finishFailed().
    redact(e);
    if (m_venue->isNonceRejection(e) && !job->nonceRetried && !job->userAborted) {
        job->nonceRetried = true;
        schedule(job, 0);
        return;
    }
    if (e.category() == Error::Category::RateLimited)
        m_venue->noteRateLimited(*job);
    if (job->orderEntry) {
        // Only a failure that proves the request never arrived, or the venue's explicit
        // rejection, is definite. Everything else may have placed or cancelled an order.
        const bool unknown = outcome.timedOut ||
                             (e.category() == Error::Category::Network &&
                              !neverReachedServer(outcome.networkError)) ||
                             (e.category() == Error::Category::Http && outcome.httpStatus >= 500) ||
                             e.category() == Error::Category::Parse ||
                             m_venue->leavesOutcomeUnknown(e);
        e.setOutcomeUnknown(unknown);
        finishFailed(job, e);
        return;
    }
    const bool retryable =
        !job->userAborted && (e.isTransient() || e.category() == Error::Category::RateLimited);
    if (retryable && job->attempt <= m_config.maxRetries) {
        const qint64 base = qint64(m_config.retryDelayMs) << std::min(job->attempt - 1, 10);
        const double jitter = 0.5 + QRandomGenerator::global()->generateDouble();
        const qint64 delay = std::min<qint64>(MaxBackoffMs, qint64(double(base) * jitter));
        qCInfo(m_config.category).noquote()
            << job->name << "retrying in" << delay << "ms after" << e.toString();
        schedule(job, delay);
        return;
    }
    finishFailed(job, e);
}

} // namespace kraken
