#pragma once

// RawHttp: one HTTP/1.1 exchange over a plain QTcpSocket, written and read by hand, so that
// the paper exchange is checked against the protocol itself and not through our own client.
// Test-only; main thread.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

namespace testsupport {

struct RawResponse {
    int status = 0;     // 0: no (complete) answer
    QByteArray headers; // the header block, lines separated by \r\n
    QByteArray body;
    bool closedWithoutAnswer = false;
};

class RawHttp {
public:
    explicit RawHttp(const QUrl &base)
        : m_base(base) {}

    // Sends one request on a fresh connection and waits (generously) for the full answer or
    // for the server to close the connection.
    RawResponse send(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                     const QList<QPair<QByteArray, QByteArray>> &headers = {}) {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(m_base.host(), quint16(m_base.port()));
        // The server usually runs on this very thread: wait by spinning the event loop, never
        // with the socket's blocking waits.
        if (!QTest::qWaitFor([&] { return m_socket->state() == QAbstractSocket::ConnectedState; },
                             10000))
            return {};
        QByteArray request =
            method + ' ' + path + " HTTP/1.1\r\nHost: " + m_base.host().toLatin1() + "\r\n";
        for (const auto &[k, v] : headers)
            request += k + ": " + v + "\r\n";
        if (!body.isEmpty() || method == "POST")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        m_socket->write(request);
        QByteArray in;
        RawResponse r;
        const bool answered = QTest::qWaitFor(
            [&] {
                in += m_socket->readAll();
                return m_socket->state() == QAbstractSocket::UnconnectedState || parse(in, r);
            },
            20000);
        if (answered && r.status != 0)
            return r;
        in += m_socket->readAll();
        if (!parse(in, r))
            r.closedWithoutAnswer = in.isEmpty();
        return r;
    }

    // Sends a request and returns without waiting: for answers that must never come.
    void sendNoWait(const QByteArray &method, const QByteArray &path) {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(m_base.host(), quint16(m_base.port()));
        // A failed connect shows as a test failure at the caller, which expects no answer.
        (void)QTest::qWaitFor([&] { return m_socket->state() == QAbstractSocket::ConnectedState; },
                              10000);
        m_socket->write(method + ' ' + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        m_socket->flush();
    }
    QTcpSocket *socket() const { return m_socket.get(); }

private:
    static bool parse(const QByteArray &in, RawResponse &r) {
        const qsizetype end = in.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QByteArray head = in.left(end);
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> status = lines.value(0).split(' ');
        qsizetype length = -1;
        for (const QByteArray &line : lines) {
            const QByteArray l = line.trimmed();
            if (l.toLower().startsWith("content-length:"))
                length = l.mid(15).trimmed().toLongLong();
        }
        if (length < 0 || in.size() < end + 4 + length)
            return false;
        r.status = status.value(1).toInt();
        r.headers = head;
        r.body = in.mid(end + 4, length);
        return true;
    }

    QUrl m_base;
    std::unique_ptr<QTcpSocket> m_socket;
};

} // namespace testsupport
