#include "loopbackurl.h"

#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace kraken::sim {

QUrl loopbackWsUrl(const QWebSocketServer &server, const QString &path) {
    QUrl u;
    u.setScheme(u"ws"_s);
    const QHostAddress a = server.serverAddress();
    u.setHost(a.isNull() || a == QHostAddress::Any || a == QHostAddress::AnyIPv4 ? u"127.0.0.1"_s
                                                                                 : a.toString());
    u.setPort(server.serverPort());
    u.setPath(path);
    return u;
}

} // namespace kraken::sim
