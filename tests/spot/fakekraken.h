#pragma once

// Test servers for the REST client suites, both on 127.0.0.1 with a port the OS picks.
//
// FakeKraken: a QHttpServer that answers Kraken REST paths with handlers the test installs,
// records every request it receives (method, path, query, headers, body) and, given the API
// secret, checks each private request's API-Sign independently of kraken/core/signing.
//
// RawHttpServer: a QTcpServer speaking HTTP by hand, for what QHttpServer cannot express: a
// server that accepts and never answers, one that closes after reading the request, one that
// promises more body bytes than it sends.

#include <QByteArray>
#include <QHash>
#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

namespace spottest {

struct ReceivedRequest {
    QByteArray method; // "GET", "POST"
    QString path;      // "/0/private/Balance"
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // For private calls when the server knows the secret: API-Sign matched our recomputation.
    bool signatureChecked = false;
    bool signatureValid = false;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty if absent
    QUrlQuery form() const;                          // body as x-www-form-urlencoded
    // A parameter from the query (GET) or the form body (POST).
    QString param(const QString &name) const;
    bool hasParam(const QString &name) const;
    QByteArray nonce() const; // from the body; empty when none
};

struct CannedReply {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
};

// {"error": [warnings...], "result": <result>}
CannedReply krakenResult(const QJsonValue &result, const QStringList &warnings = {});
CannedReply krakenResultText(const QByteArray &resultJson);
// {"error": [errors...]} with HTTP 200, as Kraken answers its own errors.
CannedReply krakenErrors(const QStringList &errors);
CannedReply rawReply(int status, const QByteArray &contentType, const QByteArray &body);
// A fixture file from tests/data/spot served verbatim as a 200 JSON answer (a 599 answer
// naming the file if it cannot be read, which no test accepts).
CannedReply fixtureReply(const char *file);

class FakeKraken : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<CannedReply(const ReceivedRequest &request)>;

    explicit FakeKraken(QObject *parent = nullptr);

    bool isListening() const { return m_port != 0; }
    QUrl baseUrl() const;
    // Private requests are checked against this secret (base64 text) from now on.
    void setSecret(const QByteArray &secretBase64) { m_secret = secretBase64; }

    // Answers `path` ("/0/public/Time") with the handler; a second call replaces it.
    void on(const QString &path, Handler handler);
    // Always the same answer.
    void on(const QString &path, const CannedReply &reply);

    QList<ReceivedRequest> requests(const QString &path = {}) const;
    int count(const QString &path = {}) const;

private:
    CannedReply dispatch(const ReceivedRequest &request);

    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_secret;
    QHash<QString, Handler> m_handlers;
    QList<ReceivedRequest> m_received;
};

class RawHttpServer : public QObject {
    Q_OBJECT
public:
    enum class Mode {
        Hang,              // read the request, never answer, keep the socket open
        CloseAfterRequest, // read the whole request, then close without a byte of answer
        CloseOnFirstBytes, // close as soon as the first request bytes arrive
        Truncated,         // answer 200 with Content-Length larger than the bytes sent, close
    };

    explicit RawHttpServer(Mode mode, QObject *parent = nullptr);

    bool isListening() const { return m_server.isListening(); }
    QUrl baseUrl() const;
    int connections() const { return m_connections; }
    // Requests whose head (and, for CloseAfterRequest/Hang/Truncated, body) arrived whole.
    int requests() const { return int(m_requestHeads.size()); }
    QList<QByteArray> requestHeads() const { return m_requestHeads; }
    // Body bytes sent for Mode::Truncated (Content-Length claims more).
    void setTruncatedBody(const QByteArray &partial, int claimedLength);

private:
    void onNewConnection();

    Mode m_mode;
    QTcpServer m_server;
    int m_connections = 0;
    QList<QByteArray> m_requestHeads;
    QByteArray m_partialBody = R"({"error":[],"result":{"unixtime":1700)";
    int m_claimedLength = 200;
};

// A 127.0.0.1 port that was bound and released: connecting to it is refused.
quint16 refusedPort();

} // namespace spottest
