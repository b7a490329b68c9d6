#include "wssocket.h"

#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace kraken {

QWebSocket *createWsSocket(QObject *owner, qint64 maxBytes, QString *lastReason,
                           const QLoggingCategory &(*category)(), WsSocketHandlers handlers) {
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, owner);
    socket->setMaxAllowedIncomingMessageSize(quint64(maxBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(maxBytes));

    QObject::connect(socket, &QWebSocket::connected, owner, handlers.connected);
    QObject::connect(socket, &QWebSocket::disconnected, owner,
                     [socket, lastReason, disconnected = handlers.disconnected] {
                         const QString reason =
                             socket->closeReason().isEmpty()
                                 ? *lastReason
                                 : u"closed by server: "_s + socket->closeReason();
                         disconnected(reason.isEmpty() ? u"connection closed"_s : reason);
                     });
    // Qt 6.4 names this signal error(); errorOccurred() arrived in 6.5.
    QObject::connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), owner,
                     [socket, lastReason, category, handlers](QAbstractSocket::SocketError) {
                         *lastReason = socket->errorString();
                         qCInfo(category).noquote() << "socket error:" << socket->errorString();
                         // A failed handshake (refused, an HTML error page instead of the upgrade)
                         // may not be followed by disconnected(); make sure the failure is handled
                         // once.
                         if (handlers.handshaking())
                             handlers.disconnected(*lastReason);
                     });
    // Kraken sends text; the bytes are what the parsers read either way.
    QObject::connect(socket, &QWebSocket::textMessageReceived, owner,
                     [frame = handlers.frame](const QString &text) { frame(text.toUtf8()); });
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, owner, handlers.frame);
    return socket;
}

} // namespace kraken
