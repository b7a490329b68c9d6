#pragma once

// HttpEngine: the request machinery both Kraken REST clients (Spot RestClient, Futures
// FuturesRestClient) drive. It queues each call for the delay the venue's local rate model
// asks, sends private calls one at a time (each draws its nonce when sent, so the venue sees
// nonces in increasing order), bounds every attempt by a timeout and the answer by a size,
// retries idempotent calls with jittered exponential backoff, retries a nonce rejection once,
// and never retries order entry blindly: a failure after the request may have reached the venue
// carries Error::outcomeUnknown(). Order bodies are sent so that Qt cannot silently resend them.
//
// The venue supplies what differs through HttpVenue: signing (prepare), the cost model
// (queueDelay), the envelope (deliver), and which of its error codes mean what.
//
// Thread: the owner's (the client's); not thread-safe.

#include "credentials.h"
#include "httpoutcome.h"
#include "preparedrequest.h"
#include "result.h"

#include <QLoggingCategory>
#include <QNetworkReply>
#include <QPointer>

#include <deque>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace kraken {

class HttpReply;
class NonceSource;

// One logical call: the venue's Job derives from it and adds its request.
struct HttpJob {
    virtual ~HttpJob() = default;
    QString name;            // "Balance", "sendorder": for logs and signals
    bool isPrivate = false;  // signed with a nonce: one on the wire at a time
    bool orderEntry = false; // never retried blindly; its body is sent once
    QPointer<HttpReply> reply;
    int attempt = 0;
    bool nonceRetried = false;
    bool userAborted = false;
    QPointer<QNetworkReply> inFlight;
};

// What a venue's REST client tells the engine. Called on the owner's thread.
class HttpVenue {
public:
    virtual ~HttpVenue() = default;
    // The delay before this attempt may go out (at least minDelayMs), booking its cost.
    virtual qint64 queueDelay(HttpJob &job, qint64 minDelayMs) = 0;
    // The request for one attempt, signed with a fresh nonce if private.
    virtual Result<PreparedRequest> prepare(HttpJob &job) = 0;
    // Interprets the answer. On success the venue finishes the reply itself (or calls
    // HttpEngine::schedule for a next page) and returns a null Error.
    virtual Error deliver(const std::shared_ptr<HttpJob> &job, const HttpOutcome &outcome) = 0;
    // A definite rejection of the nonce (nothing was executed): worth one retry.
    virtual bool isNonceRejection(const Error &error) const = 0;
    // The venue's own answers after which an order may or may not have been executed.
    virtual bool leavesOutcomeUnknown(const Error &error) const = 0;
    // The venue said its limit is reached although the local model disagreed.
    virtual void noteRateLimited(HttpJob &job) = 0;
    virtual void reportThrottled(const QString &name, qint64 delayMs) = 0;
    virtual void reportFailed(const QString &name, const Error &error) = 0;
};

struct HttpEngineConfig {
    int timeoutMs = 30'000; // per attempt
    int maxRetries = 2;     // extra attempts for idempotent calls
    int retryDelayMs = 500; // first backoff; doubles per attempt, jittered, capped at 30 s
    // Where nonces persist across restarts. Empty: NonceSource::defaultStateFile(apiKey).
    QString nonceStateFile;
    bool persistNonce = true;
    HttpVenueText venue;
    const QLoggingCategory &(*category)() = nullptr;

    // From a REST client's config, which names these settings alike.
    template<class ClientConfig>
    static HttpEngineConfig from(const ClientConfig &c, HttpVenueText venue,
                                 const QLoggingCategory &(*category)()) {
        return {c.timeoutMs,    c.maxRetries,     c.retryDelayMs, c.nonceStateFile,
                c.persistNonce, std::move(venue), category};
    }
};

class HttpEngine {
public:
    // `owner` parents the network access manager and is the context of the engine's timers and
    // connections; `venue` must outlive the engine.
    HttpEngine(QObject *owner, HttpVenue *venue, HttpEngineConfig config);
    ~HttpEngine();

    const HttpEngineConfig &config() const { return m_config; }

    // The key signing private calls, and a nonce source of its own (persisted per key).
    void setCredentials(std::optional<Credentials> credentials);
    const std::optional<Credentials> &credentials() const { return m_credentials; }
    quint64 nextNonce();
    // Removes the key and secret from an error's text.
    void redact(Error &error) const;

    // Takes the call: its reply is deleted after finished(), abort() is wired, and the first
    // attempt is queued.
    void start(const std::shared_ptr<HttpJob> &job, HttpReply *reply);
    // A reply that fails at once, without touching the network (local validation).
    void rejectLocally(HttpReply *reply, const QString &name, Error error);
    // Queues the job's next attempt after at least minDelayMs (and the venue's delay).
    void schedule(const std::shared_ptr<HttpJob> &job, qint64 minDelayMs);
    // Reports a failure once (redacted, logged, reportFailed) and finishes the reply.
    void finishFailed(const std::shared_ptr<HttpJob> &job, Error error);

private:
    void send(const std::shared_ptr<HttpJob> &job);
    void handleFinished(const std::shared_ptr<HttpJob> &job, const HttpOutcome &outcome);
    void releasePrivateSlot();

    QObject *m_owner;
    HttpVenue *m_venue;
    HttpEngineConfig m_config;
    QNetworkAccessManager *m_nam;
    std::optional<Credentials> m_credentials;
    std::unique_ptr<NonceSource> m_nonces;
    bool m_privateBusy = false;
    std::deque<std::shared_ptr<HttpJob>> m_privateWaiting;
};

} // namespace kraken
