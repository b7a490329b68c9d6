#pragma once

// RawWsClient: a bare QWebSocket that keeps every text frame, so the paper exchange's
// WebSocket servers are checked frame by frame rather than through our own client.
// Test-only; main thread (waits spin the event loop, so in-process servers keep running).

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <functional>
#include <optional>
#include <utility>

namespace testsupport {

class RawWsClient {
public:
    QWebSocket ws;
    QList<QByteArray> frames;
    int cursor = 0;

    RawWsClient() {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws,
                         [this](const QString &t) { frames.append(t.toUtf8()); });
    }
    bool open(const QUrl &url) {
        QSignalSpy connected(&ws, &QWebSocket::connected);
        ws.open(url);
        return connected.wait(10000) || ws.state() == QAbstractSocket::ConnectedState;
    }
    void send(const QByteArray &json) { ws.sendTextMessage(QString::fromUtf8(json)); }

    // The next frame (after the cursor) that satisfies `pred`, parsed and raw; frames
    // skipped on the way stay read.
    std::optional<std::pair<QJsonObject, QByteArray>>
    next(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs = 10000) {
        QElapsedTimer t;
        t.start();
        while (true) {
            while (cursor < frames.size()) {
                const QByteArray raw = frames.at(cursor++);
                const QJsonObject o = QJsonDocument::fromJson(raw).object();
                if (pred(o))
                    return std::make_pair(o, raw);
            }
            if (t.elapsed() > timeoutMs)
                return std::nullopt;
            QTest::qWait(5);
        }
    }
};

} // namespace testsupport
