#pragma once

// The ws:// URL a paper-exchange WebSocket server is reached at: 127.0.0.1 when it listens
// on any address, its bound port, and the venue's path ("/v2", "/ws/v1"). Exchange thread.

#include <QString>
#include <QUrl>

class QWebSocketServer;

namespace kraken::sim {

QUrl loopbackWsUrl(const QWebSocketServer &server, const QString &path);

} // namespace kraken::sim
