#include "fakefutures.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMessageAuthenticationCode>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace futurestest {

QByteArray FuturesRequest::header(const QByteArray &name) const {
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QString FuturesRequest::param(const QString &name) const {
    const QUrlQuery q(QString::fromLatin1(method == "GET" ? query : body));
    return q.queryItemValue(name, QUrl::FullyDecoded);
}

Canned json(const QByteArray &body, int status) {
    return {status, "application/json", body};
}

QByteArray independentAuthent(const QByteArray &postData, const QByteArray &nonce,
                              const QByteArray &path, const QByteArray &secretBase64) {
    QByteArray endpoint = path;
    if (endpoint.startsWith("/derivatives"))
        endpoint = endpoint.mid(int(qstrlen("/derivatives")));
    QByteArray secret = secretBase64;
    while (secret.size() % 4 != 0)
        secret += '=';
    const QByteArray digest = QCryptographicHash::hash(QByteArray(postData + nonce + endpoint),
                                                       QCryptographicHash::Sha256);
    return QMessageAuthenticationCode::hash(digest, QByteArray::fromBase64(secret),
                                            QCryptographicHash::Sha512)
        .toBase64();
}

FakeFutures::FakeFutures(QObject *parent)
    : QObject(parent) {
    m_server.setMissingHandler([this](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        FuturesRequest r;
        switch (req.method()) {
        case QHttpServerRequest::Method::Get:
            r.method = "GET";
            break;
        case QHttpServerRequest::Method::Post:
            r.method = "POST";
            break;
        case QHttpServerRequest::Method::Put:
            r.method = "PUT";
            break;
        default:
            r.method = "OTHER";
            break;
        }
        r.path = req.url().path();
        r.query = req.url().query(QUrl::FullyEncoded).toLatin1();
        r.body = req.body();
        for (const auto &h : req.headers())
            r.headers.emplaceBack(h.first, h.second);
        if (!r.header("Authent").isEmpty() && !m_secret.isEmpty()) {
            r.authentChecked = true;
            const QByteArray postData = r.method == "GET" ? r.query : r.body;
            r.authentValid = r.header("Authent") == independentAuthent(postData, r.header("Nonce"),
                                                                       r.path.toLatin1(), m_secret);
        }
        m_received.append(r);
        const auto it = m_handlers.constFind(r.path);
        const Canned c = it == m_handlers.cend()
                             ? json(R"({"result":"error","error":"notFound"})", 404)
                             : (*it)(r);
        resp.write(c.body, c.contentType, QHttpServerResponder::StatusCode(c.status));
    });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeFutures::url(const QString &path) const {
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(m_port);
    u.setPath(path);
    return u;
}

QUrl FakeFutures::baseUrl() const {
    return url(u"/derivatives/api/v3"_s);
}

QUrl FakeFutures::chartsUrl() const {
    return url(u"/api/charts/v1"_s);
}

QUrl FakeFutures::historyUrl() const {
    return url(u"/api/history/v2"_s);
}

QList<FuturesRequest> FakeFutures::requests(const QString &path) const {
    QList<FuturesRequest> out;
    for (const FuturesRequest &r : m_received) {
        if (path.isEmpty() || r.path == path)
            out.append(r);
    }
    return out;
}

HangingServer::HangingServer(QObject *parent)
    : QObject(parent) {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            s->setParent(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] {
                if (s->readAll().contains("\r\n\r\n"))
                    ++m_requests;
            });
        }
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HangingServer::baseUrl() const {
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(m_server.serverPort());
    u.setPath(u"/derivatives/api/v3"_s);
    return u;
}

} // namespace futurestest
