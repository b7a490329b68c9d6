#pragma once

// RestServer: Kraken's Spot REST surface on loopback. Routes /0/public/<Method> and
// /0/private/<Method> to the registered handlers, and does for private calls what Kraken does
// before any handler runs: the API key must be known, API-Sign must verify over the exact body
// bytes, the nonce must exceed the key's last accepted one, and the key's REST counter must
// have room. Answers in Kraken's envelope. Faults (delays, EService errors, an HTML 502, a
// stalled socket, a lost answer) are injected here. /admin/faults reads (GET) and changes
// (POST, JSON) the fault settings. Lives on the exchange thread.

#include "restapi.h"
#include "simconfig.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QUrl>

#include <memory>

namespace kraken::sim {

class Faults;

class RestServer : public QAbstractHttpServer, public RestRouter {
    Q_OBJECT
public:
    RestServer(const SimConfig &config, Faults *faults, QObject *parent = nullptr);
    ~RestServer() override;

    void addPublic(const QString &method, RestHandler handler) override;
    void addPrivate(const QString &method, RestHandler handler) override;

    // Binds 127.0.0.1 (or the given address); 0 picks a free port. False if it cannot bind.
    bool listenOn(const QHostAddress &address, quint16 port);
    QUrl url() const; // http://127.0.0.1:P

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
