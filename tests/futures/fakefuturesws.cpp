#include "fakefuturesws.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

FakeFuturesWs::FakeFuturesWs(QObject *parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(u"fake-futures"_s, QWebSocketServer::NonSecureMode, this)) {
    m_server->listen(QHostAddress::LocalHost, 0);
    connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server->nextPendingConnection()) {
            if (m_client)
                m_client->deleteLater();
            m_client = socket;
            ++connections;
            connect(socket, &QWebSocket::textMessageReceived, this, &FakeFuturesWs::onMessage);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->sendTextMessage(uR"({"event":"info","version":1})"_s);
        }
    });
}

FakeFuturesWs::~FakeFuturesWs() = default;

QUrl FakeFuturesWs::url() const {
    return QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(m_server->serverPort()));
}

QByteArray FakeFuturesWs::sign(const QByteArray &challenge, const QByteArray &secretBase64) {
    const QByteArray digest = QCryptographicHash::hash(challenge, QCryptographicHash::Sha256);
    const QByteArray key = QByteArray::fromBase64(secretBase64);
    return QMessageAuthenticationCode::hash(digest, key, QCryptographicHash::Sha512).toBase64();
}

int FakeFuturesWs::count(const QString &event, const QString &feed,
                         const QString &productId) const {
    int n = 0;
    for (const QJsonObject &m : received) {
        if (m.value(u"event"_s).toString() != event)
            continue;
        if (!feed.isEmpty() && m.value(u"feed"_s).toString() != feed)
            continue;
        if (!productId.isEmpty() &&
            !m.value(u"product_ids"_s).toArray().contains(QJsonValue(productId)))
            continue;
        ++n;
    }
    return n;
}

void FakeFuturesWs::send(const QByteArray &frame) {
    if (m_client)
        m_client->sendTextMessage(QString::fromUtf8(frame));
}

void FakeFuturesWs::dropClient() {
    if (m_client)
        m_client->abort();
}

bool FakeFuturesWs::hasClient() const {
    return m_client && m_client->state() == QAbstractSocket::ConnectedState;
}

void FakeFuturesWs::onMessage(const QString &text) {
    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
    received.append(m);
    const QString event = m.value(u"event"_s).toString();
    const QString feed = m.value(u"feed"_s).toString();
    auto reply = [this](const QJsonObject &o) {
        send(QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    if (event == u"challenge"_s) {
        if (m.value(u"api_key"_s).toString() != apiKey || challenges.isEmpty()) {
            reply({{u"event"_s, u"error"_s}, {u"message"_s, u"Invalid API key"_s}});
            return;
        }
        const QString challenge =
            challenges.at(std::min<qsizetype>(m_challengeIndex++, challenges.size() - 1));
        reply({{u"event"_s, u"challenge"_s}, {u"message"_s, challenge}});
        return;
    }
    if (event != u"subscribe"_s && event != u"unsubscribe"_s)
        return;
    const bool subscribe = event == u"subscribe"_s;
    if (m.contains(u"original_challenge"_s)) {
        const QByteArray expected =
            sign(m.value(u"original_challenge"_s).toString().toUtf8(), apiSecretBase64);
        if (m.value(u"api_key"_s).toString() != apiKey ||
            m.value(u"signed_challenge"_s).toString().toUtf8() != expected) {
            ++badSignatures;
            reply({{u"event"_s, u"error"_s}, {u"message"_s, u"Invalid challenge"_s}});
            return;
        }
        reply({{u"event"_s, subscribe ? u"subscribed"_s : u"unsubscribed"_s}, {u"feed"_s, feed}});
        if (subscribe && onPrivateSubscribe)
            onPrivateSubscribe(feed);
        return;
    }
    QJsonObject ack{{u"event"_s, subscribe ? u"subscribed"_s : u"unsubscribed"_s},
                    {u"feed"_s, feed}};
    if (m.contains(u"product_ids"_s))
        ack.insert(u"product_ids"_s, m.value(u"product_ids"_s));
    reply(ack);
    if (subscribe && onPublicSubscribe) {
        for (const QJsonValue &id : m.value(u"product_ids"_s).toArray())
            onPublicSubscribe(feed, id.toString());
    }
}
