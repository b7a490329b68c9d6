#pragma once

// Test servers for the Futures REST suites, on 127.0.0.1 with a port the OS picks.
//
// FakeFutures: a QHttpServer that answers Futures paths ("/derivatives/api/v3/sendorder",
// "/api/charts/v1/...") with handlers the test installs, records every request, and, given the
// API secret, checks each request carrying an Authent header independently of
// kraken/core/signing (QCryptographicHash + QMessageAuthenticationCode, as Kraken documents).
//
// HangingServer: accepts connections and reads requests but never answers (timeouts).

#include <QByteArray>
#include <QHash>
#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>

namespace futurestest {

struct FuturesRequest {
    QByteArray method;
    QString path;     // "/derivatives/api/v3/sendorder"
    QByteArray query; // percent-encoded, as sent
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool authentChecked = false;
    bool authentValid = false;

    QByteArray header(const QByteArray &name) const; // case-insensitive
    QString param(const QString &name) const;        // from query (GET) or form body (POST)
    quint64 nonce() const { return header("Nonce").toULongLong(); }
};

struct Canned {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
};

Canned json(const QByteArray &body, int status = 200);

// The documented Authent, computed here without kraken/core.
QByteArray independentAuthent(const QByteArray &postData, const QByteArray &nonce,
                              const QByteArray &path, const QByteArray &secretBase64);

class FakeFutures : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<Canned(const FuturesRequest &)>;
    explicit FakeFutures(QObject *parent = nullptr);

    bool isListening() const { return m_port != 0; }
    // http://127.0.0.1:<port>/derivatives/api/v3, /api/charts/v1, /api/history/v2
    QUrl baseUrl() const;
    QUrl chartsUrl() const;
    QUrl historyUrl() const;
    void setSecret(const QByteArray &secretBase64) { m_secret = secretBase64; }
    void on(const QString &path, Handler handler) { m_handlers.insert(path, std::move(handler)); }
    void on(const QString &path, const Canned &c) {
        on(path, [c](const FuturesRequest &) { return c; });
    }
    QList<FuturesRequest> requests(const QString &path = {}) const;
    int count(const QString &path = {}) const { return int(requests(path).size()); }

private:
    QUrl url(const QString &path) const;
    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_secret;
    QHash<QString, Handler> m_handlers;
    QList<FuturesRequest> m_received;
};

class HangingServer : public QObject {
    Q_OBJECT
public:
    explicit HangingServer(QObject *parent = nullptr);
    QUrl baseUrl() const;
    int requests() const { return m_requests; }

private:
    QTcpServer m_server;
    int m_requests = 0;
};

} // namespace futurestest
