// kraken::HttpEngine and classifyHttpOutcome(), the HTTP machinery both REST clients drive,
// against a real loopback HTTP server (a QTcpServer answering by hand, so that it can send
// 502s, HTML pages, truncated JSON, oversized bodies, or nothing at all). A small test venue
// stands in for Spot/Futures: a {"ok":...} / {"error":"..."} envelope, Kraken's error strings.

#include "kraken/core/httpengine.h"
#include "kraken/core/httpreply.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using kraken::EnvelopeRead;
using kraken::Error;
using kraken::HttpOutcome;

namespace {

const kraken::HttpVenueText &testVenue() {
    static const kraken::HttpVenueText v{u"Test venue"_s, u"Test venue's"_s, u"an envelope"_s};
    return v;
}

const QByteArray CloudflarePage =
    "<!DOCTYPE html><html><head><title>example.com | 502: Bad gateway</title></head>"
    "<body><div class=\"cf-error\">Bad gateway</div></body></html>";

// {"ok": ...} is success, {"error": "EXxx:..."} a venue error; anything else is not ours.
Error classifyTest(const HttpOutcome &o, QJsonValue *result = nullptr) {
    return kraken::classifyHttpOutcome(o, testVenue(), [&o, result]() {
        QJsonParseError pe{};
        const QJsonDocument doc = QJsonDocument::fromJson(o.body, &pe);
        if (pe.error != QJsonParseError::NoError)
            return EnvelopeRead::notJson(pe.errorString());
        const QJsonObject obj = doc.object();
        if (obj.contains(u"error"_s))
            return EnvelopeRead::failure(
                Error::fromKraken({obj.value(u"error"_s).toString()}, o.httpStatus));
        if (!obj.contains(u"ok"_s))
            return EnvelopeRead::otherJson();
        if (o.httpStatus >= 400)
            return EnvelopeRead::failure(kraken::httpStatusError(o, testVenue()));
        if (result)
            *result = obj.value(u"ok"_s);
        return EnvelopeRead::success();
    });
}

HttpOutcome answer(int status, const QByteArray &body, const QByteArray &type = "text/plain") {
    HttpOutcome o;
    o.httpStatus = status;
    o.body = body;
    o.contentType = type;
    return o;
}

class TestReply : public kraken::HttpReply {
public:
    explicit TestReply(QObject *parent)
        : HttpReply(parent) {}
    void succeed(QJsonValue v) {
        if (finishOnce())
            value = std::move(v);
    }
    QJsonValue value;
};

struct TestJob : kraken::HttpJob {
    QString path;
    qint64 extraDelayMs = 0;
};

// The venue: unsigned requests to the loopback server, a configurable queue delay, records.
class TestVenue : public kraken::HttpVenue {
public:
    QUrl base;
    QStringList throttled;
    QList<std::pair<QString, Error>> failed;
    int rateLimitedNotes = 0;
    kraken::HttpEngine *engine = nullptr;

    qint64 queueDelay(kraken::HttpJob &job, qint64 minDelayMs) override {
        return static_cast<TestJob &>(job).extraDelayMs + minDelayMs;
    }
    kraken::Result<kraken::PreparedRequest> prepare(kraken::HttpJob &job) override {
        kraken::PreparedRequest r;
        r.verb = job.orderEntry ? "POST" : "GET";
        QUrl url = base;
        url.setPath(static_cast<TestJob &>(job).path);
        r.url = url;
        if (job.orderEntry) {
            r.body = "order=1";
            r.headers.emplaceBack("Content-Type", "application/x-www-form-urlencoded");
        }
        return r;
    }
    Error deliver(const std::shared_ptr<kraken::HttpJob> &job,
                  const HttpOutcome &outcome) override {
        QJsonValue v;
        Error e = classifyTest(outcome, &v);
        if (!e)
            static_cast<TestReply *>(job->reply.data())->succeed(v);
        return e;
    }
    bool isNonceRejection(const Error &e) const override {
        return e.krakenErrors().value(0).startsWith(u"EAPI:Invalid nonce"_s);
    }
    bool leavesOutcomeUnknown(const Error &e) const override {
        return e.krakenErrors().value(0).startsWith(u"EService:Busy"_s);
    }
    void noteRateLimited(kraken::HttpJob &) override { ++rateLimitedNotes; }
    void reportThrottled(const QString &name, qint64 delayMs) override {
        throttled.append(u"%1:%2"_s.arg(name).arg(delayMs));
    }
    void reportFailed(const QString &name, const Error &error) override {
        failed.append({name, error});
    }
};

// One HTTP/1.1 exchange at a time per connection, answered by `handler` (or held).
class LoopbackHttp : public QObject {
public:
    struct Request {
        QByteArray method, path;
        QPointer<QTcpSocket> socket;
    };
    // Returns the raw response to send, or an empty array to hold the request.
    std::function<QByteArray(const Request &)> handler;
    QList<Request> received;
    QList<Request> held;
    int open = 0;    // requests received and not answered
    int maxOpen = 0; // the most that were open at once

    quint16 listen() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { read(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
        return m_server.serverPort();
    }

    void reply(const Request &r, const QByteArray &raw) {
        --open;
        if (r.socket)
            r.socket->write(raw);
    }

    static QByteArray response(int status, const QByteArray &type, const QByteArray &body) {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type +
               "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

private:
    void read(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buf.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buf.size() < end + 4 + length)
                return;
            const QList<QByteArray> first = head.left(head.indexOf('\r')).split(' ');
            buf.remove(0, end + 4 + length);
            Request r{first.value(0), first.value(1), s};
            received.append(r);
            maxOpen = std::max(maxOpen, ++open);
            const QByteArray raw = handler ? handler(r) : QByteArray();
            if (raw.isEmpty())
                held.append(r);
            else
                reply(r, raw);
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TestHttpEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // classifyHttpOutcome(): the venue-independent part of the envelope.
    void successGoesThroughTheVenue();
    void venueErrorBodyWinsOverStatus();
    void htmlPageOnGatewayErrorIsHttpWithTitle();
    void htmlPageWithStatus200IsParse();
    void truncatedJsonIsParse();
    void bodyCutByDroppedConnectionIsNetwork();
    void refusedResendIsNetwork();
    void emptyAnswerIsParse();
    void tooManyRequestsIsRateLimited();
    void timeoutAndCancelComeFirst();
    void hugeBodiesAreSummarised();
    void neverReachedServerOnlyForDefiniteFailures();

    // HttpEngine against the loopback server.
    void retriesGatewayErrorsThenSucceeds();
    void givesUpAfterMaxRetriesAndReportsOnce();
    void orderEntryIsNeverRetriedBlindly();
    void timeoutIsRetriedForReadsAndUnknownForOrders();
    void nonceRejectionIsRetriedOnce();
    void rateLimitIsNotedAndRetried();
    void privateCallsGoOneAtATime();
    void publicCallsMayOverlap();
    void queueDelayIsReported();
    void abortInFlight();
    void oversizedAnswerIsRefused();
    void connectionRefusedIsDefiniteForOrders();

private:
    std::shared_ptr<TestJob> job(const QString &path, bool isPrivate = false,
                                 bool orderEntry = false) {
        auto j = std::make_shared<TestJob>();
        j->name = path.section(u'/', -1);
        j->path = path;
        j->isPrivate = isPrivate;
        j->orderEntry = orderEntry;
        return j;
    }
    TestReply *start(const std::shared_ptr<TestJob> &j) {
        auto *r = new TestReply(m_owner.get());
        m_engine->start(j, r);
        return r;
    }
    // Waits for the reply and returns its result or error (the reply is deleted afterwards).
    std::pair<QJsonValue, Error> await(TestReply *r, int *attempts = nullptr) {
        bool done = false;
        std::pair<QJsonValue, Error> out;
        QObject::connect(r, &kraken::HttpReply::finished, m_owner.get(), [&, r] {
            done = true;
            out = {r->value, r->error()};
            if (attempts)
                *attempts = r->attempts();
        });
        if (!QTest::qWaitFor([&done] { return done; }, 15'000))
            QTest::qFail("no answer within 15 s", __FILE__, __LINE__);
        return out;
    }
    // Records each reply's result as it finishes: for several replies in flight at once.
    void watch(TestReply *r, QList<std::pair<QJsonValue, Error>> *results) {
        QObject::connect(r, &kraken::HttpReply::finished, m_owner.get(), [r, results] {
            results->append({r->value, r->error()});
        });
    }
    void makeEngine(int timeoutMs = 5'000, int maxRetries = 2) {
        kraken::HttpEngineConfig c;
        c.timeoutMs = timeoutMs;
        c.maxRetries = maxRetries;
        c.retryDelayMs = 5;
        c.persistNonce = false;
        c.venue = testVenue();
        c.category = lcTest;
        m_engine = std::make_unique<kraken::HttpEngine>(m_owner.get(), &m_venue, c);
    }
    static const QLoggingCategory &lcTest() {
        static const QLoggingCategory c("kraken.test.http");
        return c;
    }

    // Parent of the network manager and context of the engine's timers: gone before the engine.
    std::unique_ptr<QObject> m_owner;
    TestVenue m_venue;
    std::unique_ptr<LoopbackHttp> m_http;
    std::unique_ptr<kraken::HttpEngine> m_engine;
};

void TestHttpEngine::init() {
    m_owner = std::make_unique<QObject>();
    m_venue = TestVenue();
    m_http = std::make_unique<LoopbackHttp>();
    m_venue.base = QUrl(u"http://127.0.0.1:%1"_s.arg(m_http->listen()));
    makeEngine();
}

void TestHttpEngine::cleanup() {
    m_owner.reset();
    m_engine.reset();
    m_http.reset();
}

void TestHttpEngine::successGoesThroughTheVenue() {
    QJsonValue v;
    const Error e = classifyTest(answer(200, R"({"ok":"42.10"})", "application/json"), &v);
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(v.toString(), u"42.10"_s);
}

void TestHttpEngine::venueErrorBodyWinsOverStatus() {
    const Error e = classifyTest(answer(503, R"({"error":"EService:Unavailable"})"));
    QCOMPARE(e.krakenErrors(), QStringList{u"EService:Unavailable"_s});
    QCOMPARE(e.httpStatus(), 503);
    // The envelope with an HTTP error status but no error code: the status speaks.
    const Error s = classifyTest(answer(500, R"({"ok":1})"));
    QCOMPARE(s.category(), Error::Category::Http);
    QCOMPARE(s.message(), u"HTTP 500: Test venue's server failed"_s);
}

void TestHttpEngine::htmlPageOnGatewayErrorIsHttpWithTitle() {
    const Error e = classifyTest(answer(502, CloudflarePage, "text/html; charset=UTF-8"));
    QCOMPARE(e.category(), Error::Category::Http);
    QCOMPARE(e.httpStatus(), 502);
    QVERIFY(e.isTransient());
    QCOMPARE(e.message(), u"HTTP 502: Test venue's server failed"_s);
    QCOMPARE(e.detail(), u"an HTML page titled \"example.com | 502: Bad gateway\" (a proxy or "
                         u"Cloudflare answered instead of Test venue's API)"_s);
    // Without a title the page is quoted briefly, on one line.
    const Error untitled = classifyTest(answer(403, "<html><body>\n<b>no</b></body></html>"));
    QCOMPARE(untitled.message(), u"HTTP 403: request rejected"_s);
    QCOMPARE(untitled.detail(), u"an HTML page (a proxy or Cloudflare answered instead of Test "
                                u"venue's API): <html><body> <b>no</b></body></html>"_s);
}

void TestHttpEngine::htmlPageWithStatus200IsParse() {
    const Error e = classifyTest(answer(200, CloudflarePage, QByteArray()));
    QCOMPARE(e.category(), Error::Category::Parse);
    QCOMPARE(e.httpStatus(), 200);
    QCOMPARE(e.message(), u"Test venue sent an HTML page instead of JSON: a proxy or Cloudflare "
                          u"may be blocking the API"_s);
    QCOMPARE(e.detail(), u"page title: example.com | 502: Bad gateway"_s);
    QVERIFY(!e.isTransient());
}

void TestHttpEngine::truncatedJsonIsParse() {
    const Error e = classifyTest(answer(200, R"({"ok":{"XXBT":"1.0)", "application/json"));
    QCOMPARE(e.category(), Error::Category::Parse);
    QVERIFY2(e.message().startsWith(u"Test venue's answer is not valid JSON ("_s),
             qPrintable(e.message()));
    QVERIFY2(e.message().endsWith(u"; truncated?)"_s), qPrintable(e.message()));
    QCOMPARE(e.detail(), u"{\"ok\":{\"XXBT\":\"1.0"_s);
    // Valid JSON of another shape.
    const Error other = classifyTest(answer(200, "[1,2]", "application/json"));
    QCOMPARE(other.category(), Error::Category::Parse);
    QCOMPARE(other.message(), u"Test venue's answer is JSON but not an envelope"_s);
}

void TestHttpEngine::bodyCutByDroppedConnectionIsNetwork() {
    HttpOutcome o = answer(200, R"({"ok":{"unixtime":1700)", "application/json");
    o.networkError = QNetworkReply::RemoteHostClosedError;
    o.networkErrorText = u"Connection closed"_s;
    const Error e = classifyTest(o);
    QCOMPARE(e.category(), Error::Category::Network);
    QCOMPARE(e.message(), u"the connection broke before Test venue's answer was complete: "
                          u"Connection closed"_s);
    QVERIFY(e.detail().contains(u"not valid JSON"_s));
    QCOMPARE(e.httpStatus(), 200);
}

void TestHttpEngine::refusedResendIsNetwork() {
    HttpOutcome o;
    o.networkError = QNetworkReply::ContentReSendError;
    o.networkErrorText = u"resend refused"_s;
    const Error e = classifyTest(o);
    QCOMPARE(e.category(), Error::Category::Network);
    QVERIFY2(e.message().contains(u"it was not sent again"_s), qPrintable(e.message()));
    o.networkError = QNetworkReply::ConnectionRefusedError;
    o.networkErrorText = u"Connection refused"_s;
    QCOMPARE(classifyTest(o).message(), u"could not reach Test venue: Connection refused"_s);
}

void TestHttpEngine::emptyAnswerIsParse() {
    QCOMPARE(classifyTest(answer(200, QByteArray())).message(),
             u"Test venue sent an empty answer"_s);
    QCOMPARE(classifyTest(answer(200, " \r\n")).category(), Error::Category::Parse);
}

void TestHttpEngine::tooManyRequestsIsRateLimited() {
    const Error e = classifyTest(answer(429, "slow down"));
    QCOMPARE(e.category(), Error::Category::RateLimited);
    QCOMPARE(e.message(), u"HTTP 429: too many requests"_s);
    QCOMPARE(e.detail(), u"body: slow down"_s);
}

void TestHttpEngine::timeoutAndCancelComeFirst() {
    bool read = false;
    HttpOutcome o = answer(200, R"({"ok":1})");
    o.timedOut = true;
    o.timeoutMs = 2500;
    const auto reader = [&read] {
        read = true;
        return EnvelopeRead::success();
    };
    const Error t = kraken::classifyHttpOutcome(o, testVenue(), reader);
    QCOMPARE(t.category(), Error::Category::Timeout);
    QCOMPARE(t.message(), u"no answer from Test venue within 2.5 s"_s);
    o.timedOut = false;
    o.aborted = true;
    const Error c = kraken::classifyHttpOutcome(o, testVenue(), reader);
    QCOMPARE(c.message(), u"the request was cancelled"_s);
    QVERIFY(!read);
}

void TestHttpEngine::hugeBodiesAreSummarised() {
    const QByteArray huge = QByteArray(4 * 1024 * 1024, 'x');
    const Error e = classifyTest(answer(500, huge));
    QCOMPARE(e.detail(), QString(u"body: "_s + QString(160, u'x') + u"…"_s));
    const Error p = classifyTest(answer(200, "{" + huge));
    QCOMPARE(p.category(), Error::Category::Parse);
    QCOMPARE(p.detail().size(), 161);
}

void TestHttpEngine::neverReachedServerOnlyForDefiniteFailures() {
    QVERIFY(kraken::neverReachedServer(QNetworkReply::ConnectionRefusedError));
    QVERIFY(kraken::neverReachedServer(QNetworkReply::HostNotFoundError));
    QVERIFY(kraken::neverReachedServer(QNetworkReply::SslHandshakeFailedError));
    QVERIFY(!kraken::neverReachedServer(QNetworkReply::RemoteHostClosedError));
    QVERIFY(!kraken::neverReachedServer(QNetworkReply::OperationCanceledError));
    QVERIFY(!kraken::neverReachedServer(QNetworkReply::TimeoutError));
    QVERIFY(!kraken::neverReachedServer(QNetworkReply::NoError));
}

void TestHttpEngine::retriesGatewayErrorsThenSucceeds() {
    int calls = 0;
    m_http->handler = [&calls](const LoopbackHttp::Request &) {
        return ++calls < 3 ? LoopbackHttp::response(502, "text/html", CloudflarePage)
                           : LoopbackHttp::response(200, "application/json", R"({"ok":"done"})");
    };
    int attempts = 0;
    const auto [v, e] = await(start(job(u"/public/Time"_s)), &attempts);
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(v.toString(), u"done"_s);
    QCOMPARE(attempts, 3);
    QCOMPARE(m_http->received.size(), 3);
    QVERIFY(m_venue.failed.isEmpty());
}

void TestHttpEngine::givesUpAfterMaxRetriesAndReportsOnce() {
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(503, "text/plain", "upstream connect error");
    };
    int attempts = 0;
    const auto [v, e] = await(start(job(u"/public/Time"_s)), &attempts);
    QCOMPARE(e.category(), Error::Category::Http);
    QCOMPARE(e.httpStatus(), 503);
    QCOMPARE(e.detail(), u"body: upstream connect error"_s);
    QCOMPARE(attempts, 3); // the first and maxRetries = 2 more
    QCOMPARE(m_http->received.size(), 3);
    QCOMPARE(m_venue.failed.size(), 1);
    QCOMPARE(m_venue.failed[0].first, u"Time"_s);
    QVERIFY(!m_venue.failed[0].second.outcomeUnknown());
}

void TestHttpEngine::orderEntryIsNeverRetriedBlindly() {
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(502, "text/html", CloudflarePage);
    };
    const auto [v1, gateway] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QCOMPARE(gateway.category(), Error::Category::Http);
    QVERIFY(gateway.outcomeUnknown());
    QCOMPARE(m_http->received.size(), 1);
    QCOMPARE(m_http->received[0].method, QByteArray("POST"));

    // The venue's explicit rejection is definite; its "busy" answer is not.
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(200, "application/json",
                                      R"({"error":"EOrder:Insufficient funds"})");
    };
    const auto [v2, rejected] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QCOMPARE(rejected.krakenErrors(), QStringList{u"EOrder:Insufficient funds"_s});
    QVERIFY(!rejected.outcomeUnknown());
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(200, "application/json", R"({"error":"EService:Busy"})");
    };
    const auto [v3, busy] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QVERIFY(busy.outcomeUnknown());
    QCOMPARE(m_http->received.size(), 3);
}

void TestHttpEngine::timeoutIsRetriedForReadsAndUnknownForOrders() {
    makeEngine(300, 1);
    m_http->handler = [](const LoopbackHttp::Request &) { return QByteArray(); }; // silence
    int attempts = 0;
    const auto [v, e] = await(start(job(u"/public/Time"_s)), &attempts);
    QCOMPARE(e.category(), Error::Category::Timeout);
    QCOMPARE(e.message(), u"no answer from Test venue within 0.3 s"_s);
    QCOMPARE(attempts, 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_http->received.size(), 2, 10'000);

    const auto [v2, order] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QCOMPARE(order.category(), Error::Category::Timeout);
    QVERIFY(order.outcomeUnknown());
    QTRY_COMPARE_WITH_TIMEOUT(m_http->received.size(), 3, 10'000);
}

void TestHttpEngine::nonceRejectionIsRetriedOnce() {
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(200, "application/json", R"({"error":"EAPI:Invalid nonce"})");
    };
    // Even for an order: the rejection is definite, nothing was executed.
    const auto [v, e] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QCOMPARE(e.krakenErrors(), QStringList{u"EAPI:Invalid nonce"_s});
    QVERIFY(!e.outcomeUnknown());
    QCOMPARE(m_http->received.size(), 2);
}

void TestHttpEngine::rateLimitIsNotedAndRetried() {
    int calls = 0;
    m_http->handler = [&calls](const LoopbackHttp::Request &) {
        return ++calls == 1 ? LoopbackHttp::response(429, "text/plain", "slow down")
                            : LoopbackHttp::response(200, "application/json", R"({"ok":1})");
    };
    const auto [v, e] = await(start(job(u"/private/Balance"_s, true)));
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(m_venue.rateLimitedNotes, 1);
    QCOMPARE(m_http->received.size(), 2);
}

void TestHttpEngine::privateCallsGoOneAtATime() {
    // Each request is answered only after a pause: were two on the wire, the server would see
    // them open together.
    m_http->handler = [this](const LoopbackHttp::Request &r) {
        QTimer::singleShot(30, m_http.get(), [this, r] {
            m_http->reply(
                r, LoopbackHttp::response(200, "application/json", "{\"ok\":\"" + r.path + "\"}"));
        });
        return QByteArray();
    };
    QList<std::pair<QJsonValue, Error>> results;
    for (int i = 0; i < 4; ++i)
        watch(start(job(u"/private/Call%1"_s.arg(i), true)), &results);
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 4, 15'000);
    for (int i = 0; i < 4; ++i) {
        QVERIFY2(!results[i].second, qPrintable(results[i].second.toString()));
        QCOMPARE(results[i].first.toString(), u"/private/Call%1"_s.arg(i));
    }
    QCOMPARE(m_http->maxOpen, 1);
    QStringList order;
    for (const auto &r : std::as_const(m_http->received))
        order << QString::fromLatin1(r.path);
    QCOMPARE(order, (QStringList{u"/private/Call0"_s, u"/private/Call1"_s, u"/private/Call2"_s,
                                 u"/private/Call3"_s}));
}

void TestHttpEngine::publicCallsMayOverlap() {
    // Held until all three are open at once: serialised public calls would never finish.
    m_http->handler = [](const LoopbackHttp::Request &) { return QByteArray(); };
    QList<std::pair<QJsonValue, Error>> results;
    for (int i = 0; i < 3; ++i)
        watch(start(job(u"/public/Ticker%1"_s.arg(i))), &results);
    QTRY_COMPARE_WITH_TIMEOUT(m_http->held.size(), 3, 10'000);
    for (const auto &r : std::as_const(m_http->held))
        m_http->reply(r, LoopbackHttp::response(200, "application/json", R"({"ok":1})"));
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 3, 10'000);
    for (const auto &[value, error] : std::as_const(results))
        QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(m_http->maxOpen, 3);
}

void TestHttpEngine::queueDelayIsReported() {
    m_http->handler = [](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(200, "application/json", R"({"ok":1})");
    };
    auto j = job(u"/private/Balance"_s, true);
    j->extraDelayMs = 120;
    QVERIFY(!await(start(j)).second);
    QCOMPARE(m_venue.throttled, QStringList{u"Balance:120"_s});
}

void TestHttpEngine::abortInFlight() {
    m_http->handler = [](const LoopbackHttp::Request &) { return QByteArray(); };
    TestReply *read = start(job(u"/public/Time"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_http->held.size(), 1, 10'000);
    read->abort();
    const auto [v, e] = await(read);
    QCOMPARE(e.category(), Error::Category::Network);
    QCOMPARE(e.message(), u"the request was cancelled"_s);
    QCOMPARE(m_http->received.size(), 1); // not retried

    // An order already on the wire may have been placed.
    TestReply *order = start(job(u"/private/AddOrder"_s, true, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_http->held.size(), 2, 10'000);
    order->abort();
    const auto [v2, unknown] = await(order);
    QCOMPARE(unknown.message(), u"the request was cancelled"_s);
    QVERIFY(unknown.outcomeUnknown());

    // Aborted while still queued: never sent.
    auto queued = job(u"/public/Later"_s);
    queued->extraDelayMs = 5'000;
    TestReply *later = start(queued);
    later->abort();
    QCOMPARE(await(later).second.message(), u"the request was cancelled"_s);
    QCOMPARE(m_http->received.size(), 2);
}

void TestHttpEngine::oversizedAnswerIsRefused() {
    // Just over the 64 MiB bound, announced honestly: the engine stops reading and refuses it.
    const QByteArray body(64 * 1024 * 1024 + 4096, ' ');
    m_http->handler = [&body](const LoopbackHttp::Request &) {
        return LoopbackHttp::response(200, "application/json", body);
    };
    const auto [v, e] = await(start(job(u"/public/Huge"_s)));
    QCOMPARE(e.category(), Error::Category::Parse);
    QCOMPARE(e.message(), u"Test venue's answer exceeded 64 MiB; refused"_s);
    QCOMPARE(m_http->received.size(), 1);
}

void TestHttpEngine::connectionRefusedIsDefiniteForOrders() {
    // A port with nobody listening: the order cannot have arrived.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_venue.base = QUrl(u"http://127.0.0.1:%1"_s.arg(probe.serverPort()));
    probe.close();
    const auto [v, e] = await(start(job(u"/private/AddOrder"_s, true, true)));
    QCOMPARE(e.category(), Error::Category::Network);
    QVERIFY2(e.message().startsWith(u"could not reach Test venue: "_s), qPrintable(e.message()));
    QVERIFY(!e.outcomeUnknown());
}

QTEST_GUILESS_MAIN(TestHttpEngine)
#include "tst_httpengine.moc"
