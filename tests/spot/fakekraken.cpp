#include "fakekraken.h"

#include "spottestsupport.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace spottest {

QByteArray ReceivedRequest::header(const QByteArray &name) const {
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QUrlQuery ReceivedRequest::form() const {
    return QUrlQuery(QString::fromUtf8(body));
}

QString ReceivedRequest::param(const QString &name) const {
    const QUrlQuery q = method == "GET" ? query : form();
    return q.queryItemValue(name, QUrl::FullyDecoded);
}

bool ReceivedRequest::hasParam(const QString &name) const {
    const QUrlQuery q = method == "GET" ? query : form();
    return q.hasQueryItem(name);
}

QByteArray ReceivedRequest::nonce() const {
    return nonceOfBody(body);
}

CannedReply krakenResult(const QJsonValue &result, const QStringList &warnings) {
    QJsonObject o{{u"error"_s, QJsonArray::fromStringList(warnings)}, {u"result"_s, result}};
    return {200, "application/json", QJsonDocument(o).toJson(QJsonDocument::Compact)};
}

CannedReply krakenResultText(const QByteArray &resultJson) {
    return {200, "application/json", R"({"error":[],"result":)" + resultJson + '}'};
}

CannedReply krakenErrors(const QStringList &errors) {
    QJsonObject o{{u"error"_s, QJsonArray::fromStringList(errors)}};
    return {200, "application/json", QJsonDocument(o).toJson(QJsonDocument::Compact)};
}

CannedReply rawReply(int status, const QByteArray &contentType, const QByteArray &body) {
    return {status, contentType, body};
}

CannedReply fixtureReply(const char *file) {
    QString error;
    const QByteArray body = readBytes(fixturePath(file), &error);
    if (!error.isEmpty())
        return {599, "text/plain", error.toUtf8()};
    return {200, "application/json", body};
}

FakeKraken::FakeKraken(QObject *parent)
    : QObject(parent) {
    m_server.setMissingHandler([this](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        ReceivedRequest r;
        r.method = req.method() == QHttpServerRequest::Method::Get ? "GET" : "POST";
        r.path = req.url().path();
        r.body = req.body();
        m_received.append(r);
        resp.write(R"({"error":["EGeneral:Unknown method"]})", "application/json",
                   QHttpServerResponder::StatusCode::NotFound);
    });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeKraken::baseUrl() const {
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(m_port);
    return u;
}

void FakeKraken::on(const QString &path, Handler handler) {
    const bool known = m_handlers.contains(path);
    m_handlers.insert(path, std::move(handler));
    if (known)
        return;
    m_server.route(path, [this](const QHttpServerRequest &req) {
        ReceivedRequest r;
        switch (req.method()) {
        case QHttpServerRequest::Method::Get:
            r.method = "GET";
            break;
        case QHttpServerRequest::Method::Post:
            r.method = "POST";
            break;
        default:
            r.method = "OTHER";
            break;
        }
        r.path = req.url().path();
        r.query = req.query();
        for (const auto &h : req.headers())
            r.headers.emplaceBack(h.first, h.second);
        r.body = req.body();
        if (r.path.startsWith(u"/0/private/"_s) && !m_secret.isEmpty()) {
            r.signatureChecked = true;
            const QByteArray expected =
                independentApiSign(r.path.toUtf8(), r.nonce(), r.body, m_secret);
            r.signatureValid = !r.nonce().isEmpty() && r.header("API-Sign") == expected;
        }
        m_received.append(r);
        const CannedReply c = dispatch(r);
        return QHttpServerResponse(c.contentType, c.body,
                                   QHttpServerResponse::StatusCode(c.status));
    });
}

void FakeKraken::on(const QString &path, const CannedReply &reply) {
    on(path, [reply](const ReceivedRequest &) { return reply; });
}

CannedReply FakeKraken::dispatch(const ReceivedRequest &request) {
    const auto it = m_handlers.constFind(request.path);
    if (it == m_handlers.cend())
        return krakenErrors({u"EGeneral:Unknown method"_s});
    return (*it)(request);
}

QList<ReceivedRequest> FakeKraken::requests(const QString &path) const {
    if (path.isEmpty())
        return m_received;
    QList<ReceivedRequest> out;
    for (const ReceivedRequest &r : m_received) {
        if (r.path == path)
            out.append(r);
    }
    return out;
}

int FakeKraken::count(const QString &path) const {
    return int(requests(path).size());
}

// ---- RawHttpServer ---------------------------------------------------------------------

RawHttpServer::RawHttpServer(Mode mode, QObject *parent)
    : QObject(parent)
    , m_mode(mode) {
    connect(&m_server, &QTcpServer::newConnection, this, &RawHttpServer::onNewConnection);
    m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl RawHttpServer::baseUrl() const {
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(m_server.serverPort());
    return u;
}

void RawHttpServer::setTruncatedBody(const QByteArray &partial, int claimedLength) {
    m_partialBody = partial;
    m_claimedLength = claimedLength;
}

void RawHttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_connections;
        socket->setParent(this);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (m_mode == Mode::CloseOnFirstBytes) {
                m_requestHeads.append(buffer->left(buffer->indexOf("\r\n")));
                buffer->clear();
                socket->abort();
                return;
            }
            // Whole requests only: head, then Content-Length bytes of body.
            while (true) {
                const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
                if (headEnd < 0)
                    return;
                const QByteArray head = buffer->left(headEnd);
                qsizetype length = 0;
                for (const QByteArray &line : head.split('\n')) {
                    const QByteArray l = line.trimmed();
                    if (l.toLower().startsWith("content-length:"))
                        length = l.mid(15).trimmed().toLongLong();
                }
                if (buffer->size() < headEnd + 4 + length)
                    return;
                buffer->remove(0, headEnd + 4 + length);
                m_requestHeads.append(head);
                switch (m_mode) {
                case Mode::Hang:
                    break; // keep reading, never answer
                case Mode::CloseAfterRequest:
                    socket->abort();
                    return;
                case Mode::Truncated:
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Content-Length: " +
                                  QByteArray::number(m_claimedLength) + "\r\n\r\n" + m_partialBody);
                    socket->flush();
                    socket->disconnectFromHost();
                    return;
                case Mode::CloseOnFirstBytes:
                    return;
                }
            }
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

quint16 refusedPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace spottest
