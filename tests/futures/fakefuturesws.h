#pragma once

// FakeFuturesWs: a Kraken Futures WebSocket v1 server on 127.0.0.1 (any free port) for tests.
// It greets with {"event":"info","version":1}, acknowledges subscribes and unsubscribes the way
// Kraken does, answers {"event":"challenge"} with the next uuid from `challenges`, and checks
// every private subscribe's signed_challenge itself (HMAC-SHA512 over SHA256 with Qt's own
// primitives, not the client's signer) before acknowledging it. Hooks let a test send feed
// frames after an acknowledgement. Every client message is recorded. The test's thread.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>

class QWebSocket;
class QWebSocketServer;

class FakeFuturesWs : public QObject {
    Q_OBJECT
public:
    explicit FakeFuturesWs(QObject *parent = nullptr);
    ~FakeFuturesWs() override;

    QUrl url() const;

    // Credentials the server accepts for private feeds.
    QString apiKey;
    QByteArray apiSecretBase64;
    // Challenges handed out in order (the last one repeats).
    QStringList challenges;

    // Called after a public subscribe was acknowledged (feed, product id).
    std::function<void(const QString &feed, const QString &productId)> onPublicSubscribe;
    // Called after a private subscribe passed the signature check and was acknowledged.
    std::function<void(const QString &feed)> onPrivateSubscribe;

    QList<QJsonObject> received;
    int connections = 0;
    int badSignatures = 0;

    // Messages recorded so far that match event (and feed, and product id when given).
    int count(const QString &event, const QString &feed = {}, const QString &productId = {}) const;

    // The expected signed challenge, computed independently of kraken::futuresSignChallenge.
    static QByteArray sign(const QByteArray &challenge, const QByteArray &secretBase64);

    void send(const QByteArray &frame);
    void dropClient(); // the server closes the connection abruptly
    bool hasClient() const;

private:
    void onMessage(const QString &text);

    QWebSocketServer *m_server;
    QPointer<QWebSocket> m_client;
    int m_challengeIndex = 0;
};
