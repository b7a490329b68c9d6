// krakenterm-cli end to end: the real binary, run as a user would, against a Kraken-shaped
// HTTP server on 127.0.0.1 in this process. Checks output, stderr and the exit-code contract
// (0 ok, 1 Kraken/HTTP error, 2 usage, 3 network/timeout).

#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QByteArray wsFixture(const char *name) {
    QFile f(QStringLiteral(KT_TEST_DATA_DIR "/spot/ws/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll().trimmed();
}

// A recording as `record` writes it, from frames whose checksums were computed outside our
// code (the documented vector, and Python's zlib.crc32 for the update). Line 5 carries a
// corrupted checksum; line 6 must be skipped until the fresh snapshot on line 7.
QByteArray recording(bool withBadLine, bool withInstruments = true) {
    const QByteArray snapshot = wsFixture("book_snapshot.json");
    const QByteArray update = wsFixture("book_update.json");
    QByteArray bad = update;
    bad.replace("\"checksum\":1643095132", "\"checksum\":1");
    QList<QByteArray> lines;
    lines << (withInstruments ? wsFixture("instrument_snapshot.json") : wsFixture("heartbeat.json"))
          << wsFixture("subscribe_ack.json")
          << "{\"recv\":1700000000000000000,\"msg\":" + snapshot + "}" << update
          << (withBadLine ? bad : wsFixture("heartbeat.json")) << update << snapshot << update;
    return lines.join('\n') + '\n';
}

// A Kraken-shaped WS v2 endpoint serving the fixture frames: acks every request, answers the
// instrument subscription with the instrument snapshot and a BTC/USD book subscription with
// the documented snapshot followed by one update (checksums computed outside our code).
class FixtureWsServer : public QObject {
public:
    FixtureWsServer()
        : server(QStringLiteral("fixture"), QWebSocketServer::NonSecureMode) {
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *ws = server.nextPendingConnection()) {
                connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &text) {
                    const QJsonObject req = QJsonDocument::fromJson(text.toUtf8()).object();
                    const QString channel = req.value(u"params"_s)[u"channel"_s].toString();
                    QJsonObject ack{
                        {u"method"_s, req.value(u"method"_s)},
                        {u"success"_s, true},
                        {u"req_id"_s, req.value(u"req_id"_s)},
                        {u"result"_s, QJsonObject{{u"channel"_s, channel}, {u"depth"_s, 10}}}};
                    ws->sendTextMessage(
                        QString::fromUtf8(QJsonDocument(ack).toJson(QJsonDocument::Compact)));
                    if (req.value(u"method"_s) != u"subscribe"_s)
                        return;
                    if (channel == u"instrument"_s)
                        ws->sendTextMessage(
                            QString::fromUtf8(wsFixture("instrument_snapshot.json")));
                    if (channel == u"book"_s) {
                        ws->sendTextMessage(QString::fromUtf8(wsFixture("book_snapshot.json")));
                        ws->sendTextMessage(QString::fromUtf8(wsFixture("book_update.json")));
                    }
                });
                connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
            }
        });
        listening = server.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return u"ws://127.0.0.1:%1/v2"_s.arg(server.serverPort()); }

    QWebSocketServer server;
    bool listening = false;
};

QJsonObject vector(const char *name) {
    QFile f(QStringLiteral(KT_VECTORS_DIR "/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing vector %s", name);
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    // Runs the CLI while this thread's event loop keeps serving the test servers.
    Run run(const QStringList &args, const QProcessEnvironment &env = cleanEnvironment()) {
        QProcess p;
        p.setProcessEnvironment(env);
        QSignalSpy done(&p, &QProcess::finished);
        p.start(QStringLiteral(KT_CLI_PATH), args);
        if (!p.waitForStarted(30'000))
            qFatal("krakenterm-cli did not start");
        if (done.isEmpty() && !done.wait(60'000))
            qFatal("krakenterm-cli did not finish");
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

    static QProcessEnvironment cleanEnvironment() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"KRAKEN_SPOT_API_KEY"_s);
        env.remove(u"KRAKEN_SPOT_API_SECRET"_s);
        env.remove(u"KRAKEN_SPOT_URL"_s);
        // Nonce state goes to a throwaway home, never the developer's.
        env.insert(u"XDG_DATA_HOME"_s, m_home.path());
        return env;
    }

    QString url() const { return u"http://127.0.0.1:%1"_s.arg(m_port); }

    static inline QTemporaryDir m_home;
    QHttpServer m_server;
    quint16 m_port = 0;
    int m_balanceCalls = 0;
    QByteArray m_lastSign;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        m_server.route(u"/0/public/Time"_s, [] {
            return QHttpServerResponse(QJsonObject{
                {u"error"_s, QJsonArray{}},
                {u"result"_s, QJsonObject{{u"unixtime"_s, 1700000000},
                                          {u"rfc1123"_s, u"Tue, 14 Nov 23 22:13:20 +0000"_s}}}});
        });
        m_server.route(u"/0/public/Ticker"_s, [] {
            return QHttpServerResponse(
                QJsonObject{{u"error"_s, QJsonArray{u"EQuery:Unknown asset pair"_s}}});
        });
        m_server.route(u"/0/public/Spread"_s, [] {
            return QHttpServerResponse(
                "text/html",
                "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
                "<body>blocked</body></html>",
                QHttpServerResponse::StatusCode::ServiceUnavailable);
        });
        m_server.route(u"/0/public/AssetPairs"_s, [] {
            QFile f(QStringLiteral(KT_TEST_DATA_DIR "/assetpairs.json"));
            f.open(QIODevice::ReadOnly);
            return QHttpServerResponse("application/json", f.readAll());
        });
        m_server.route(u"/0/private/Balance"_s, [this](const QHttpServerRequest &req) {
            ++m_balanceCalls;
            m_lastSign = req.value("API-Sign");
            return QHttpServerResponse(
                QJsonObject{{u"error"_s, QJsonArray{}},
                            {u"result"_s, QJsonObject{{u"ZUSD"_s, u"171288.6158"_s},
                                                      {u"XXBT"_s, u"0.0000000000"_s}}}});
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
    }

    void helpListsCommands() {
        const Run r = run({u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("spot"));
        QVERIFY(r.out.contains("instruments"));
        for (const QString &cmd :
             {u"spot"_s, u"instruments"_s, u"stream"_s, u"record"_s, u"book"_s}) {
            const Run h = run({cmd, u"--help"_s});
            QCOMPARE(h.exitCode, 0);
            QVERIFY2(h.out.contains(QByteArray("krakenterm-cli " + cmd.toUtf8())),
                     h.out.constData());
            QVERIFY(h.out.contains("Exit codes"));
        }
    }

    void usageErrorsExitTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s};
        QTest::newRow("no path") << QStringList{u"spot"_s};
        QTest::newRow("bad path") << QStringList{u"spot"_s, u"Balance"_s};
        QTest::newRow("bad data") << QStringList{u"spot"_s, u"public/Time"_s, u"--data"_s,
                                                 u"{\"a\":"_s};
        QTest::newRow("bad method") << QStringList{u"spot"_s, u"-X"_s, u"PUT"_s, u"public/Time"_s};
        QTest::newRow("nonce without dry run")
            << QStringList{u"spot"_s, u"public/Time"_s, u"--nonce"_s, u"5"_s};
        QTest::newRow("private without keys") << QStringList{u"spot"_s, u"private/Balance"_s};
        QTest::newRow("bad timeout")
            << QStringList{u"spot"_s, u"public/Time"_s, u"--timeout"_s, u"x"_s};
        QTest::newRow("bad url") << QStringList{u"instruments"_s, u"--spot-url"_s, u"ftp://x"_s};
        QTest::newRow("stream no symbol") << QStringList{u"stream"_s, u"book"_s};
        QTest::newRow("stream bad channel") << QStringList{u"stream"_s, u"level9"_s, u"BTC/USD"_s};
        QTest::newRow("stream bad depth")
            << QStringList{u"stream"_s, u"book"_s, u"BTC/USD"_s, u"--depth"_s, u"7"_s};
        QTest::newRow("stream bad ws url")
            << QStringList{u"stream"_s, u"trade"_s, u"BTC/USD"_s, u"--ws-url"_s, u"http://x"_s};
        QTest::newRow("record no file") << QStringList{u"record"_s};
        QTest::newRow("replay no file") << QStringList{u"book"_s, u"replay"_s};
    }
    void usageErrorsExitTwo() {
        QFETCH(QStringList, args);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("krakenterm-cli: ") || r.err.startsWith("Usage:"),
                 r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // Kraken's documented AddOrder example, reproduced byte for byte through the CLI.
    void dryRunReproducesDocumentedSignature() {
        const QJsonObject v = vector("spot_rest_api_sign.json");
        const QJsonObject in = v.value(u"inputs"_s).toObject();
        QProcessEnvironment env = cleanEnvironment();
        env.insert(u"KRAKEN_SPOT_API_KEY"_s, u"documented-example-key"_s);
        env.insert(u"KRAKEN_SPOT_API_SECRET"_s, in.value(u"secret_b64"_s).toString());
        const QByteArray postdata = in.value(u"postdata"_s).toString().toUtf8();
        // Everything after the vector's nonce, given as a form string.
        const QByteArray rest = postdata.mid(postdata.indexOf('&') + 1);
        const Run r = run({u"spot"_s, u"--dry-run"_s, u"-X"_s, u"POST"_s,
                           in.value(u"uri_path"_s).toString(), u"--nonce"_s,
                           in.value(u"nonce"_s).toString(), u"--data"_s, QString::fromUtf8(rest)},
                          env);
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.value(0), "POST https://api.kraken.com/0/private/AddOrder HTTP/1.1\r");
        const QByteArray expectedSign =
            v.value(u"expected"_s).toObject().value(u"api_sign"_s).toString().toUtf8();
        QVERIFY2(lines.contains(QByteArray("API-Sign: " + expectedSign + '\r')), r.out.constData());
        QVERIFY(lines.contains("API-Key: documented-example-key\r"));
        // Headers end with a blank line; the body follows exactly as signed.
        const qsizetype blank = r.out.indexOf("\r\n\r\n");
        QVERIFY(blank > 0);
        QCOMPARE(r.out.mid(blank + 4).trimmed(), postdata);

        // The same request written as JSON with a bare number keeps the number's text.
        const Run j = run({u"spot"_s, u"--dry-run"_s, in.value(u"uri_path"_s).toString(),
                           u"--nonce"_s, in.value(u"nonce"_s).toString(), u"--data"_s,
                           u"{\"ordertype\":\"limit\",\"pair\":\"XBTUSD\",\"price\":37500,"
                           u"\"type\":\"buy\",\"volume\":\"1.25\"}"_s},
                          env);
        QCOMPARE(j.exitCode, 0);
        QVERIFY2(j.out.contains(QByteArray("API-Sign: " + expectedSign + "\r\n")),
                 j.out.constData());
        QVERIFY(j.out.trimmed().endsWith(postdata));
        QVERIFY(!j.out.contains(in.value(u"secret_b64"_s).toString().toUtf8()));
    }

    void publicCallPrintsResult() {
        const Run r = run({u"spot"_s, u"public/Time"_s, u"--spot-url"_s, url()});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(u"unixtime"_s).toInteger(), 1700000000);
        QVERIFY(r.out.count('\n') > 1); // pretty by default
        const Run c = run({u"spot"_s, u"/0/public/Time"_s, u"--compact"_s, u"--spot-url"_s, url()});
        QCOMPARE(c.exitCode, 0);
        QCOMPARE(c.out.count('\n'), 1);
    }

    void privateCallIsSignedAndSecretNeverPrinted() {
        QProcessEnvironment env = cleanEnvironment();
        const QString secret = vector("spot_rest_api_sign.json")
                                   .value(u"inputs"_s)
                                   .toObject()
                                   .value(u"secret_b64"_s)
                                   .toString();
        env.insert(u"KRAKEN_SPOT_API_KEY"_s, u"k"_s);
        env.insert(u"KRAKEN_SPOT_API_SECRET"_s, secret);
        env.insert(u"QT_LOGGING_RULES"_s, u"kraken.*=true"_s); // everything the client logs
        const int before = m_balanceCalls;
        const Run r = run({u"spot"_s, u"private/Balance"_s, u"--spot-url"_s, url()}, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(m_balanceCalls, before + 1);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(u"ZUSD"_s).toString(),
                 u"171288.6158"_s);
        QVERIFY(!m_lastSign.isEmpty());
        QVERIFY(!r.out.contains(secret.toUtf8()));
        QVERIFY(!r.err.contains(secret.toUtf8()));
    }

    void krakenErrorExitsOneWithErrorString() {
        const Run r = run(
            {u"spot"_s, u"public/Ticker"_s, u"--data"_s, u"pair=NOPE"_s, u"--spot-url"_s, url()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith("EQuery:Unknown asset pair\n"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void htmlErrorPageExitsOne() {
        const Run r = run({u"spot"_s, u"public/Spread"_s, u"--data"_s, u"pair=XBTUSD"_s,
                           u"--spot-url"_s, url(), u"--timeout"_s, u"60"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("HTTP 503"), r.err.constData());
        QVERIFY2(r.err.contains("Cloudflare"), r.err.constData());
    }

    void connectionRefusedExitsThree() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        const Run r = run({u"spot"_s, u"public/Time"_s, u"--spot-url"_s,
                           u"http://127.0.0.1:%1"_s.arg(closedPort)});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("network error"), r.err.constData());
    }

    void hangExitsThreeAfterTimeout() {
        QTcpServer silent; // accepts and never answers
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (silent.hasPendingConnections())
                held.append(silent.nextPendingConnection());
        });
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const Run r = run({u"spot"_s, u"public/Time"_s, u"--timeout"_s, u"1"_s, u"--spot-url"_s,
                           u"http://127.0.0.1:%1"_s.arg(silent.serverPort())});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("timeout"), r.err.constData());
        QVERIFY(!held.isEmpty()); // it really connected and waited
    }

    void bookReplayVerifiesEveryChecksum() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"good.jsonl"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(recording(false));
        f.close();
        const Run r = run({u"book"_s, u"replay"_s, path, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QCOMPARE(o.value(u"messages"_s).toInt(), 8);
        QCOMPARE(o.value(u"checksum_mismatches"_s).toInt(), 0);
        // 20 + 3 (line 4) + 3 (line 6, after a good line 5) + 20 + 3.
        QCOMPARE(o.value(u"level_updates"_s).toInt(), 49);
        QVERIFY(o.value(u"mismatch_lines"_s).toArray().isEmpty());
        for (const char *key : {"elapsed_s", "msgs_per_s", "level_updates_per_s"})
            QVERIFY2(o.contains(QString::fromLatin1(key)), key);
    }

    void bookReplayReportsTheBadLine() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.jsonl"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(recording(true));
        f.close();
        const Run j = run({u"book"_s, u"replay"_s, path, u"--json"_s});
        QCOMPARE(j.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(j.out.trimmed().split('\n').last()).object();
        QCOMPARE(o.value(u"checksum_mismatches"_s).toInt(), 1);
        QCOMPARE(o.value(u"mismatch_lines"_s).toArray(), QJsonArray{5});
        // Line 6 is skipped (the book waits for a snapshot); line 7 resyncs, line 8 verifies.
        QCOMPARE(o.value(u"level_updates"_s).toInt(), 20 + 3 + 3 + 20 + 3);

        const Run t = run({u"book"_s, u"replay"_s, path});
        QCOMPARE(t.exitCode, 1);
        QVERIFY2(t.out.contains("checksum mismatches: 1 at lines 5\n"), t.out.constData());
        QVERIFY(t.out.contains("messages: 8"));
        QVERIFY(t.out.trimmed().split('\n').last().startsWith("throughput: "));
    }

    void bookReplayNeedsPrecisions() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"noinstr.jsonl"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(recording(false, false));
        f.close();
        // Without an instrument frame nothing can be checked: that is not success.
        const Run r = run({u"book"_s, u"replay"_s, path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("unusable lines"), r.out.constData());
        const Run p = run({u"book"_s, u"replay"_s, path, u"--price-precision"_s, u"1"_s,
                           u"--qty-precision"_s, u"8"_s, u"--depth"_s, u"10"_s});
        QCOMPARE(p.exitCode, 0);
        const Run bad = run({u"book"_s, u"replay"_s, dir.filePath(u"missing.jsonl"_s)});
        QCOMPARE(bad.exitCode, 2);
    }

    // record -> book replay: what the CLI records, the CLI verifies.
    void recordThenReplayVerifies() {
        FixtureWsServer ws;
        QVERIFY(ws.listening);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"capture.jsonl"_s);
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        QSignalSpy done(&p, &QProcess::finished);
        p.start(QStringLiteral(KT_CLI_PATH),
                {u"record"_s, file, u"book"_s, u"BTC/USD"_s, u"--ws-url"_s, ws.url()});
        QVERIFY(p.waitForStarted(30000));
        // The update is the last frame the server sends: wait until it is on disk.
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile(file).size() > 0 &&
                [&] {
                    QFile f(file);
                    return f.open(QIODevice::ReadOnly) && f.readAll().contains("1643095132");
                }(),
            30000);
        p.terminate(); // SIGTERM: a clean stop, file flushed, exit 0
        QVERIFY(done.wait(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);

        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        for (const QByteArray &line : lines) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(o.value(u"recv"_s).toInteger() > 0, line.constData());
            QVERIFY2(o.value(u"msg"_s).isObject(), line.constData());
        }
        // The instrument snapshot comes before any book frame, so a replay has precisions.
        qsizetype firstInstrument = -1, firstBook = -1;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (firstInstrument < 0 && lines[i].contains("\"channel\":\"instrument\",\"type\""))
                firstInstrument = i;
            if (firstBook < 0 && lines[i].contains("\"channel\":\"book\",\"type\""))
                firstBook = i;
        }
        QVERIFY(firstInstrument >= 0 && firstBook > firstInstrument);

        const Run r = run({u"book"_s, u"replay"_s, file, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QCOMPARE(o.value(u"checksum_mismatches"_s).toInt(), 0);
        QCOMPARE(o.value(u"level_updates"_s).toInt(), 20 + 3);
    }

    void streamPrintsVerifiedBookAsJsonl() {
        FixtureWsServer ws;
        QVERIFY(ws.listening);
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        QSignalSpy done(&p, &QProcess::finished);
        p.start(QStringLiteral(KT_CLI_PATH),
                {u"stream"_s, u"book"_s, u"BTC/USD"_s, u"--ws-url"_s, ws.url()});
        QVERIFY(p.waitForStarted(30000));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).count('\n') >= 2, 30000);
        p.terminate();
        QVERIFY(done.wait(30000));
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> lines = out.trimmed().split('\n');
        const QJsonObject snap = QJsonDocument::fromJson(lines.at(0)).object();
        QCOMPARE(snap.value(u"type"_s).toString(), u"book"_s);
        QCOMPARE(snap.value(u"checksum"_s).toInteger(), 3310070434);
        // Exact decimals as strings, trailing zeros kept.
        QCOMPARE(snap.value(u"asks"_s)[0][1].toString(), u"0.00100000"_s);
        const QJsonObject upd = QJsonDocument::fromJson(lines.at(1)).object();
        QCOMPARE(upd.value(u"checksum"_s).toInteger(), 1643095132);
        QCOMPARE(upd.value(u"bids"_s)[0][0].toString(), u"45283.6"_s);
    }

    void instrumentsTableAndFilter() {
        const Run r = run({u"instruments"_s, u"--spot-url"_s, url(), u"XBT"_s});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY(lines.value(0).startsWith("SYMBOL"));
        QVERIFY2(r.out.contains("BTC/USD"), r.out.constData());
        QVERIFY(r.out.contains("XXBTZUSD"));
        QVERIFY(r.out.contains("ETH/BTC"));
        QVERIFY2(!r.out.contains("SOL/USD"), r.out.constData()); // filtered out

        const Run j = run({u"instruments"_s, u"--json"_s, u"--spot-url"_s, url(), u"XXBTZUSD"_s});
        QCOMPARE(j.exitCode, 0);
        const QJsonArray rows = QJsonDocument::fromJson(j.out).array();
        QCOMPARE(rows.size(), 1);
        const QJsonObject btc = rows.at(0).toObject();
        QCOMPARE(btc.value(u"symbol"_s).toString(), u"BTC/USD"_s);
        QCOMPARE(btc.value(u"tick_size"_s).toString(), u"0.1"_s);
        QCOMPARE(btc.value(u"ordermin"_s).toString(), u"0.00005"_s);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
