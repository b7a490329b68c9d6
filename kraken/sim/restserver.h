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

#include <functional>
#include <memory>

namespace kraken::sim {

class Faults;

// Kraken Futures REST v3 lives under /derivatives/api/v3/ on the same port; its envelope,
// authentication and errors differ from Spot's, so one handler (FuturesRest) takes the raw
// request and answers the whole HTTP body. Faults that act below the protocol (stall, HTML
// 502, delay) are applied here as for Spot.
struct FuturesHttpAnswer {
    int status = 200;
    QByteArray body;
    bool loseAnswer = false; // carried out, connection closed instead of answering
};
using FuturesHttpHandler = std::function<FuturesHttpAnswer(const QHttpServerRequest &)>;

class RestServer : public QAbstractHttpServer, public RestRouter {
    Q_OBJECT
public:
    RestServer(const SimConfig &config, Faults *faults, QObject *parent = nullptr);
    ~RestServer() override;

    void addPublic(const QString &method, RestHandler handler) override;
    void addPrivate(const QString &method, RestHandler handler) override;
    void setFuturesHandler(FuturesHttpHandler handler);

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
