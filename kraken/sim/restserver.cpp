#include "restserver.h"

#include "faults.h"
#include "kraken/core/ratecounter.h"
#include "kraken/core/ratelimits.h"
#include "kraken/core/signing.h"
#include "logging.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <map>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

constexpr auto PublicPrefix = "/0/public/";
constexpr auto PrivatePrefix = "/0/private/";

QByteArray header(const QHttpServerRequest &request, QByteArrayView name) {
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    return {};
}

QByteArray statusLine(int status) {
    switch (status) {
    case 200:
        return "200 OK";
    case 400:
        return "400 Bad Request";
    case 404:
        return "404 Not Found";
    case 405:
        return "405 Method Not Allowed";
    case 502:
        return "502 Bad Gateway";
    default:
        return QByteArray::number(status) + " Status";
    }
}

void writeResponse(QTcpSocket *socket, int status, const QByteArray &contentType,
                   const QByteArray &body, bool close) {
    QByteArray out = "HTTP/1.1 " + statusLine(status) + "\r\nContent-Type: " + contentType +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n" + body;
    socket->write(out);
    if (close)
        socket->disconnectFromHost();
}

// Kraken's envelope: {"error":[...],"result":...}; no result when there are errors.
QByteArray envelope(const RestResponse &r) {
    QJsonObject o;
    o.insert(u"error"_s, QJsonArray::fromStringList(r.errors));
    if (r.errors.isEmpty())
        o.insert(u"result"_s, r.result);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// What Cloudflare answers when Kraken's back end is away.
QByteArray html502Page() {
    return "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
           "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
           "</body>\r\n</html>\r\n";
}

// "orders[0][type]" -> {"orders", "0", "type"}; a plain key is one segment.
QStringList keyPath(const QString &key) {
    const qsizetype open = key.indexOf(u'[');
    if (open <= 0 || !key.endsWith(u']'))
        return {key};
    QStringList path{key.left(open)};
    static const QRegularExpression segment(u"\\[([^\\]]*)\\]"_s);
    qsizetype consumed = open;
    for (auto it = segment.globalMatch(key, open); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedStart() != consumed)
            return {key};
        path.append(m.captured(1));
        consumed = m.capturedEnd();
    }
    return consumed == key.size() ? path : QStringList{key};
}

QJsonValue insertAt(QJsonValue node, const QStringList &path, qsizetype i, const QString &value) {
    if (i == path.size())
        return value;
    const QString &seg = path.at(i);
    bool isIndex = false;
    const int index = seg.toInt(&isIndex);
    if (seg.isEmpty() || isIndex) {
        QJsonArray a = node.toArray();
        const qsizetype at = seg.isEmpty() ? a.size() : index;
        if (at < 0 || at > 1000) // a bound on what a form may ask us to allocate
            return node;
        while (a.size() <= at)
            a.append(QJsonValue());
        a[at] = insertAt(a.at(at), path, i + 1, value);
        return a;
    }
    QJsonObject o = node.toObject();
    o.insert(seg, insertAt(o.value(seg), path, i + 1, value));
    return o;
}

// application/x-www-form-urlencoded into an object of strings, brackets nesting.
QJsonObject formParams(QByteArray body) {
    body.replace('+', "%20");
    const QUrlQuery query(QString::fromUtf8(body));
    QJsonValue root = QJsonObject();
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items)
        root = insertAt(root, keyPath(key), 0, value);
    return root.toObject();
}

struct KeyState {
    std::optional<quint64> lastNonce;
    std::unique_ptr<RateCounter> counter;
};

} // namespace

struct RestServer::Impl {
    SimConfig config;
    Faults *faults = nullptr;
    std::map<QString, RestHandler> publicHandlers;
    std::map<QString, RestHandler> privateHandlers;
    std::map<QString, KeyState> keys; // by API key
    FuturesHttpHandler futures;
    MonotonicClock clock = steadyClock();
    QList<QPointer<QTcpSocket>> stalled; // kept open, never answered
    quint16 port = 0;
    QHostAddress address;

    RestResponse authenticate(const QHttpServerRequest &request, const QString &method,
                              RestRequest &out);
};

RestServer::RestServer(const SimConfig &config, Faults *faults, QObject *parent)
    : QAbstractHttpServer(parent)
    , d(std::make_unique<Impl>()) {
    d->config = config;
    d->faults = faults;
}

RestServer::~RestServer() = default;

void RestServer::addPublic(const QString &method, RestHandler handler) {
    d->publicHandlers[method] = std::move(handler);
}

void RestServer::addPrivate(const QString &method, RestHandler handler) {
    d->privateHandlers[method] = std::move(handler);
}

void RestServer::setFuturesHandler(FuturesHttpHandler handler) {
    d->futures = std::move(handler);
}

bool RestServer::listenOn(const QHostAddress &address, quint16 port) {
    d->port = listen(address, port);
    d->address = address;
    return d->port != 0;
}

QUrl RestServer::url() const {
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(d->address.toString());
    u.setPort(d->port);
    return u;
}

RestResponse RestServer::Impl::authenticate(const QHttpServerRequest &request,
                                            const QString &method, RestRequest &out) {
    const QByteArray apiKey = header(request, "API-Key");
    const SimAccount *account = config.accountByKey(QString::fromLatin1(apiKey));
    if (apiKey.isEmpty() || !account)
        return RestResponse::error(u"EAPI:Invalid key"_s);

    const QByteArray body = request.body();
    const bool json = header(request, "Content-Type").startsWith("application/json");
    QJsonObject params;
    QByteArray nonce;
    if (json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (!doc.isObject())
            return RestResponse::error(u"EGeneral:Invalid arguments"_s);
        params = doc.object();
        const QJsonValue n = params.value(u"nonce"_s);
        nonce = n.isDouble() ? QByteArray::number(static_cast<qint64>(n.toDouble()))
                             : n.toString().toLatin1();
    } else {
        params = formParams(body);
        nonce = params.value(u"nonce"_s).toString().toLatin1();
    }
    bool nonceOk = false;
    const quint64 nonceValue = nonce.toULongLong(&nonceOk);
    if (!nonceOk)
        return RestResponse::error(u"EAPI:Invalid nonce"_s);

    const QByteArray path = QByteArray(PrivatePrefix) + method.toLatin1();
    const auto expected = spotApiSign(path, nonce, body, account->secret.toLatin1());
    const QByteArray given = header(request, "API-Sign");
    if (!expected || given.isEmpty() || *expected != given)
        return RestResponse::error(u"EAPI:Invalid signature"_s);

    KeyState &key = keys[account->apiKey];
    if (key.lastNonce && nonceValue <= *key.lastNonce)
        return RestResponse::error(u"EAPI:Invalid nonce"_s);
    key.lastNonce = nonceValue;

    // Order entry is limited by the per-pair trading counter, which the handlers charge.
    if (!isTradingMethod(method)) {
        if (!key.counter) {
            const CounterLimits limits = restLimits(account->tier);
            key.counter =
                std::make_unique<RateCounter>(limits.maxCounter, limits.decayMilliPerSecond);
        }
        const int cost = restCallCost(method);
        const std::int64_t now = clock();
        if (faults->takeRestRateLimit() || key.counter->delayFor(cost, now) > 0)
            return RestResponse::error(u"EAPI:Rate limit exceeded"_s);
        key.counter->reserve(cost, now);
    }

    params.remove(u"nonce"_s);
    params.remove(u"otp"_s);
    out.params = params;
    out.accountId = account->id;
    out.apiKey = account->apiKey;
    return RestResponse::ok(QJsonValue());
}

bool RestServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) {
    const QString path = request.url().path();
    const bool closeAfter =
        header(request, "Connection").compare("close", Qt::CaseInsensitive) == 0;

    if (path == u"/admin/faults"_s) {
        if (request.method() == QHttpServerRequest::Method::Post) {
            QString why;
            const QJsonDocument doc = QJsonDocument::fromJson(request.body());
            if (!doc.isObject() || !d->faults->apply(doc.object(), &why)) {
                QJsonObject e{{u"error"_s, why.isEmpty() ? u"body must be a JSON object"_s : why}};
                writeResponse(socket, 400, "application/json",
                              QJsonDocument(e).toJson(QJsonDocument::Compact), closeAfter);
                return true;
            }
        }
        writeResponse(socket, 200, "application/json",
                      QJsonDocument(d->faults->toJson()).toJson(QJsonDocument::Compact),
                      closeAfter);
        return true;
    }

    if (d->futures && (path.startsWith(u"/derivatives/"_s) || path.startsWith(u"/api/charts/"_s))) {
        if (d->faults->takeStall()) {
            d->stalled.append(QPointer<QTcpSocket>(socket));
            qCInfo(lcSim) << "fault: stalling" << path;
            return true;
        }
        if (d->faults->takeHtml502()) {
            qCInfo(lcSim) << "fault: HTML 502 for" << path;
            writeResponse(socket, 502, "text/html", html502Page(), true);
            return true;
        }
        const FuturesHttpAnswer answer = d->futures(request);
        if (answer.loseAnswer) {
            qCInfo(lcSim) << "fault: answer to" << path << "lost";
            socket->abort();
            return true;
        }
        const int delay = d->faults->settings().restDelayMs;
        if (delay <= 0) {
            writeResponse(socket, answer.status, "application/json", answer.body, closeAfter);
        } else {
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(delay, this, [guard, answer, closeAfter] {
                if (guard)
                    writeResponse(guard, answer.status, "application/json", answer.body,
                                  closeAfter);
            });
        }
        return true;
    }

    const bool isPublic = path.startsWith(QLatin1StringView(PublicPrefix));
    const bool isPrivate = path.startsWith(QLatin1StringView(PrivatePrefix));
    if (!isPublic && !isPrivate)
        return false; // missingHandler: 404

    if (d->faults->takeStall()) {
        d->stalled.append(QPointer<QTcpSocket>(socket));
        qCInfo(lcSim) << "fault: stalling" << path;
        return true;
    }
    if (d->faults->takeHtml502()) {
        qCInfo(lcSim) << "fault: HTML 502 for" << path;
        writeResponse(socket, 502, "text/html", html502Page(), true);
        return true;
    }

    const QString method =
        path.mid(isPublic ? qsizetype(qstrlen(PublicPrefix)) : qsizetype(qstrlen(PrivatePrefix)));
    RestResponse response;
    QString serviceError;
    if (d->faults->takeRestServiceError(&serviceError)) {
        response = RestResponse::error(serviceError);
    } else if (isPublic) {
        const auto it = d->publicHandlers.find(method);
        if (it == d->publicHandlers.end()) {
            response = RestResponse::error(u"EGeneral:Unknown method"_s);
        } else {
            RestRequest r;
            r.method = method;
            const QUrlQuery query = request.query();
            for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded))
                r.params.insert(k, v);
            if (request.method() == QHttpServerRequest::Method::Post) {
                const QJsonObject body = formParams(request.body());
                for (auto b = body.begin(); b != body.end(); ++b)
                    r.params.insert(b.key(), b.value());
            }
            response = it->second(r);
        }
    } else {
        const auto it = d->privateHandlers.find(method);
        RestRequest r;
        r.method = method;
        if (it == d->privateHandlers.end())
            response = RestResponse::error(u"EGeneral:Unknown method"_s);
        else if (request.method() != QHttpServerRequest::Method::Post)
            response = RestResponse::error(u"EGeneral:Invalid arguments"_s);
        else if (response = d->authenticate(request, method, r); response.errors.isEmpty())
            response = it->second(r);
    }

    if (response.loseAnswer) {
        qCInfo(lcSim) << "fault: answer to" << method << "lost";
        socket->abort();
        return true;
    }
    const QByteArray body = envelope(response);
    const int delay = d->faults->settings().restDelayMs;
    if (delay <= 0) {
        writeResponse(socket, 200, "application/json", body, closeAfter);
    } else {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(delay, this, [guard, body, closeAfter] {
            if (guard)
                writeResponse(guard, 200, "application/json", body, closeAfter);
        });
    }
    return true;
}

void RestServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) {
    const bool closeAfter =
        header(request, "Connection").compare("close", Qt::CaseInsensitive) == 0;
    writeResponse(socket, 404, "text/plain", "Not Found\n", closeAfter);
}

} // namespace kraken::sim
