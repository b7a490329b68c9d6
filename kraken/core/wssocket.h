#pragma once

// createWsSocket: the QWebSocket every Kraken WebSocket client opens (Spot WS v2 public and
// authenticated, Futures WS v1), with the wiring they all need: a size bound enforced by Qt before
// a frame is buffered, text and binary messages as one stream of frames, the reason a connection
// ended in words, and a failed handshake reported as a disconnect (Qt may not emit disconnected()
// for it). Each client keeps its own state machine; this only turns socket signals into its calls.
// The thread of the owner.

#include <QLoggingCategory>
#include <QString>

#include <functional>

class QByteArray;
class QObject;
class QWebSocket;

namespace kraken {

struct WsSocketHandlers {
    std::function<void()> connected;
    // The connection is gone (closed by either side, or the handshake failed), with why.
    std::function<void(const QString &reason)> disconnected;
    // Whether the client still waits for the handshake: an error then ends the attempt.
    std::function<bool()> handshaking;
    std::function<void(const QByteArray &frame)> frame;
};

// A socket owned by `owner` that refuses messages and frames over `maxBytes`, wired to
// `handlers` with `owner` as the context. `lastReason` is the client's record of why the
// connection failed: socket errors write it, and a close without the server's own reason
// reports it. Socket errors are logged to `category`.
QWebSocket *createWsSocket(QObject *owner, qint64 maxBytes, QString *lastReason,
                           const QLoggingCategory &(*category)(), WsSocketHandlers handlers);

} // namespace kraken
