// `krakenterm-cli sim` as a user runs it: a separate process on free ports, printing its URLs
// and paper credentials, then used by the CLI's own commands in further processes. Also
// `--state` keeping an order across a restart, and bad options.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// A running `sim`, stopped (SIGTERM, as Ctrl-C would) when it goes out of scope.
class SimProcess {
public:
    explicit SimProcess(const QStringList &extraArgs) {
        m_process.start(QStringLiteral(KT_CLI_PATH),
                        QStringList{u"sim"_s, u"--port"_s, u"0"_s} + extraArgs);
    }
    ~SimProcess() { stop(); }

    // Waits for the nine KEY=value lines; false if the process ended or never printed them.
    bool waitForUrls() {
        if (!m_process.waitForStarted(30000))
            return false;
        for (int i = 0; i < 600 && m_env.size() < 9; ++i) {
            if (m_process.state() != QProcess::Running)
                return false;
            m_process.waitForReadyRead(100);
            m_out += m_process.readAllStandardOutput();
            m_env.clear();
            for (const QByteArray &line : m_out.split('\n')) {
                const qsizetype eq = line.indexOf('=');
                if (line.startsWith("KRAKEN_") && eq > 0 && m_out.contains(QByteArray(line + '\n')))
                    m_env.insert(QString::fromLatin1(line.left(eq)),
                                 QString::fromLatin1(line.mid(eq + 1)));
            }
        }
        return m_env.size() == 9;
    }

    int stop() {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitCode();
        m_process.terminate();
        if (!m_process.waitForFinished(30000)) {
            m_process.kill();
            m_process.waitForFinished(30000);
            return -1;
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    QString value(const QString &key) const { return m_env.value(key); }
    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (auto it = m_env.begin(); it != m_env.end(); ++it)
            env.insert(it.key(), it.value());
        return env;
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QMap<QString, QString> m_env;
};

Run runCli(const QStringList &args, const QProcessEnvironment &env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(KT_CLI_PATH), args);
    if (!p.waitForStarted(30000) || !p.waitForFinished(120000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QJsonObject jsonOf(const QByteArray &out) {
    return QJsonDocument::fromJson(out).object();
}

} // namespace

class TestCliSim : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home; // nonce state for the signing CLI, never the developer's

    QProcessEnvironment withHome(QProcessEnvironment env) const {
        env.insert(u"XDG_DATA_HOME"_s, m_home.path());
        return env;
    }

private Q_SLOTS:
    void helpAndUsageErrors() {
        const QProcessEnvironment env = withHome(QProcessEnvironment::systemEnvironment());
        const Run help = runCli({u"sim"_s, u"--help"_s}, env);
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--fault"));
        QVERIFY(help.out.contains("--state"));
        const Run badFault = runCli({u"sim"_s, u"--fault"_s, u"no_such=1"_s}, env);
        QCOMPARE(badFault.exitCode, 2);
        QVERIFY2(badFault.err.contains("unknown fault: no_such"), badFault.err.constData());
        const Run badPort = runCli({u"sim"_s, u"--port"_s, u"70000"_s}, env);
        QCOMPARE(badPort.exitCode, 2);
    }

    // The printed lines are exactly what the other commands read from the environment.
    void printedCredentialsDriveTheCli() {
        SimProcess sim({u"--seed"_s, u"7"_s});
        QVERIFY(sim.waitForUrls());
        QVERIFY(sim.value(u"KRAKEN_SPOT_URL"_s).startsWith(u"http://127.0.0.1:"_s));
        QVERIFY(sim.value(u"KRAKEN_WS_URL"_s).startsWith(u"ws://127.0.0.1:"_s));
        QVERIFY(sim.value(u"KRAKEN_WS_AUTH_URL"_s).startsWith(u"ws://127.0.0.1:"_s));
        QVERIFY(sim.value(u"KRAKEN_FUTURES_WS_URL"_s).startsWith(u"ws://127.0.0.1:"_s));
        QVERIFY(sim.value(u"KRAKEN_FUTURES_WS_URL"_s).endsWith(u"/ws/v1"_s));
        QCOMPARE(QByteArray::fromBase64(sim.value(u"KRAKEN_SPOT_API_SECRET"_s).toLatin1()).size(),
                 64);
        const QProcessEnvironment env = withHome(sim.environment());

        const Run balance = runCli({u"spot"_s, u"private/Balance"_s, u"--compact"_s}, env);
        QVERIFY2(balance.exitCode == 0, balance.err.constData());
        QCOMPARE(jsonOf(balance.out).value(u"ZUSD"_s).toString(), u"100000.0000"_s);
        QCOMPARE(jsonOf(balance.out).value(u"XXBT"_s).toString(), u"2.0000000000"_s);

        const Run pairs = runCli({u"instruments"_s, u"BTC"_s}, env);
        QVERIFY2(pairs.exitCode == 0, pairs.err.constData());
        QVERIFY(pairs.out.contains("BTC/USD"));
        QVERIFY(pairs.out.contains("BTC/EUR"));

        const Run order =
            runCli({u"spot"_s, u"private/AddOrder"_s, u"--compact"_s, u"--data"_s,
                    u"ordertype=limit&type=buy&volume=0.5&pair=XBTUSD&price=1000.0"_s},
                   env);
        QVERIFY2(order.exitCode == 0, order.err.constData());
        QCOMPARE(jsonOf(order.out)[u"descr"_s][u"order"_s].toString(),
                 u"buy 0.50000000 XBTUSD @ limit 1000.0"_s);

        const Run poor = runCli({u"spot"_s, u"private/AddOrder"_s, u"--data"_s,
                                 u"ordertype=limit&type=buy&volume=500&pair=XBTUSD&price=1000.0"_s},
                                env);
        QCOMPARE(poor.exitCode, 1);
        QVERIFY2(poor.err.contains("EOrder:Insufficient funds"), poor.err.constData());

        QCOMPARE(sim.stop(), 0);
    }

    // record from the sim's public WebSocket, then replay: every checksum verifies.
    void recordedSimBookReplaysClean() {
        SimProcess sim({u"--step-ms"_s, u"20"_s});
        QVERIFY(sim.waitForUrls());
        QTemporaryDir dir;
        const QString file = dir.filePath(u"sim.jsonl"_s);
        QProcess rec;
        rec.setProcessEnvironment(withHome(sim.environment()));
        rec.start(QStringLiteral(KT_CLI_PATH), {u"record"_s, file, u"book"_s, u"BTC/USD"_s,
                                                u"ETH/USD"_s, u"--depth"_s, u"100"_s});
        QVERIFY(rec.waitForStarted(30000));
        QFile f(file);
        // A few hundred book messages, then stop the recorder as Ctrl-C would.
        QTRY_VERIFY_WITH_TIMEOUT(f.size() > 200000, 60000);
        rec.terminate();
        QVERIFY(rec.waitForFinished(30000));
        QCOMPARE(rec.exitCode(), 0);

        const Run replay =
            runCli({u"book"_s, u"replay"_s, file, u"--depth"_s, u"100"_s, u"--json"_s},
                   withHome(QProcessEnvironment::systemEnvironment()));
        QVERIFY2(replay.exitCode == 0, replay.out.constData());
        const QJsonObject stats = jsonOf(replay.out.trimmed().split('\n').last());
        QCOMPARE(stats.value(u"checksum_mismatches"_s).toInt(), 0);
        QVERIFY(stats.value(u"messages"_s).toInt() > 20);
    }

    void stateSurvivesARestart() {
        QTemporaryDir dir;
        const QString state = dir.filePath(u"paper.json"_s);
        QString txid;
        {
            SimProcess sim({u"--state"_s, state});
            QVERIFY(sim.waitForUrls());
            const Run order =
                runCli({u"spot"_s, u"private/AddOrder"_s, u"--compact"_s, u"--data"_s,
                        u"ordertype=limit&type=sell&volume=0.25&pair=XBTUSD&price=990000.0"_s},
                       withHome(sim.environment()));
            QVERIFY2(order.exitCode == 0, order.err.constData());
            txid = jsonOf(order.out)[u"txid"_s][0].toString();
            QVERIFY(!txid.isEmpty());
            QCOMPARE(sim.stop(), 0);
        }
        QVERIFY(QFile::exists(state));
        SimProcess again({u"--state"_s, state});
        QVERIFY(again.waitForUrls());
        const Run open = runCli({u"spot"_s, u"private/OpenOrders"_s, u"--compact"_s},
                                withHome(again.environment()));
        QVERIFY2(open.exitCode == 0, open.err.constData());
        const QJsonObject order = jsonOf(open.out)[u"open"_s][txid].toObject();
        QCOMPARE(order[u"vol"_s].toString(), u"0.25000000"_s);
        QCOMPARE(order[u"descr"_s][u"price"_s].toString(), u"990000.0"_s);
        // BTC for the order is still held: 2 - 0.25 available.
        const Run ex = runCli({u"spot"_s, u"private/BalanceEx"_s, u"--compact"_s},
                              withHome(again.environment()));
        QCOMPARE(jsonOf(ex.out)[u"XXBT"_s][u"hold_trade"_s].toString(), u"0.2500000000"_s);
    }

    // A capture recorded from the sim, served by `sim --replay` and recorded again: the second
    // recording verifies clean, and every level it shows is one of the first capture's (a
    // random walk's quantities would not be).
    void replayServesTheCapture() {
        QTemporaryDir dir;
        auto record = [&](const SimProcess &from, const QString &file) {
            QProcess rec;
            rec.setProcessEnvironment(withHome(from.environment()));
            rec.start(QStringLiteral(KT_CLI_PATH),
                      {u"record"_s, file, u"book"_s, u"BTC/USD"_s, u"--depth"_s, u"10"_s});
            if (!rec.waitForStarted(30000))
                return false;
            QFile f(file);
            QElapsedTimer t;
            t.start();
            while (f.size() < 60000 && t.elapsed() < 60000)
                QTest::qWait(50);
            rec.terminate();
            return rec.waitForFinished(30000) && rec.exitCode() == 0 && f.size() >= 60000;
        };
        const QString first = dir.filePath(u"first.jsonl"_s);
        {
            SimProcess sim({u"--step-ms"_s, u"20"_s});
            QVERIFY(sim.waitForUrls());
            QVERIFY(record(sim, first));
        }
        const QString second = dir.filePath(u"second.jsonl"_s);
        SimProcess replay({u"--replay"_s, first, u"--speed"_s, u"0"_s, u"--seed"_s, u"99"_s});
        QVERIFY(replay.waitForUrls());
        QVERIFY(record(replay, second));
        QCOMPARE(replay.stop(), 0);

        const Run verify =
            runCli({u"book"_s, u"replay"_s, second, u"--depth"_s, u"10"_s, u"--json"_s},
                   withHome(QProcessEnvironment::systemEnvironment()));
        QVERIFY2(verify.exitCode == 0, verify.out.constData());
        const QJsonObject stats = jsonOf(verify.out.trimmed().split('\n').last());
        QCOMPARE(stats.value(u"checksum_mismatches"_s).toInt(), 0);
        QVERIFY(stats.value(u"messages"_s).toInt() > 20);
        QVERIFY(stats.value(u"level_updates"_s).toInt() > 100);

        auto levelsOf = [](const QString &path) {
            QSet<QPair<double, double>> out;
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return out;
            for (const QByteArray &line : f.readAll().split('\n')) {
                const QJsonObject msg = jsonOf(line)[u"msg"_s].toObject();
                if (msg[u"channel"_s].toString() != u"book"_s)
                    continue;
                for (const QJsonValue &entry : msg[u"data"_s].toArray())
                    for (const QString &side : {u"bids"_s, u"asks"_s})
                        for (const QJsonValue &l : entry[side].toArray())
                            if (l[u"qty"_s].toDouble() > 0)
                                out.insert({l[u"price"_s].toDouble(), l[u"qty"_s].toDouble()});
            }
            return out;
        };
        const auto recorded = levelsOf(first);
        const auto served = levelsOf(second);
        QVERIFY(recorded.size() > 20);
        QVERIFY(served.size() > 20);
        for (const auto &level : served)
            QVERIFY2(recorded.contains(level),
                     qPrintable(u"%1 x %2 was not recorded"_s.arg(level.first).arg(level.second)));
    }
};

QTEST_GUILESS_MAIN(TestCliSim)
#include "tst_cli_sim.moc"
