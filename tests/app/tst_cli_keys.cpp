// krakenterm-cli keys set/test/delete/list and spot --profile: the real binary against a real
// Secret Service (the suite runs under with-keyring; the CLI inherits its D-Bus session) and
// the paper exchange in this process. The secret-scan test runs every command with a known
// secret and checks that neither it nor its decoded bytes ever reach stdout or stderr.

#include "kraken/sim/paperexchange.h"

#include <QProcess>
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

// A secret that is valid base64 but not the paper account's.
const QByteArray WrongSecret =
    QByteArray("tst_cli_keys wrong secret, 64 bytes long .......................").toBase64();

} // namespace

class TestCliKeys : public QObject {
    Q_OBJECT

private:
    Run run(const QStringList &args, const QByteArray &stdinData = {},
            const QProcessEnvironment &env = environment()) {
        QProcess p;
        p.setProcessEnvironment(env);
        QSignalSpy done(&p, &QProcess::finished);
        p.start(QStringLiteral(KT_CLI_PATH), args);
        if (!p.waitForStarted(30'000))
            qFatal("krakenterm-cli did not start");
        p.write(stdinData);
        p.closeWriteChannel();
        // The paper exchange runs on this thread: wait by turning the event loop.
        if (done.isEmpty() && !done.wait(90'000))
            qFatal("krakenterm-cli did not finish");
        const Run r{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        m_all.append(r);
        return r;
    }

    static QProcessEnvironment environment() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v :
             {"KRAKEN_SPOT_API_KEY", "KRAKEN_SPOT_API_SECRET", "KRAKEN_SPOT_URL",
              "KRAKEN_FUTURES_API_KEY", "KRAKEN_FUTURES_API_SECRET", "KRAKEN_FUTURES_URL"})
            env.remove(QString::fromLatin1(v));
        env.insert(u"XDG_DATA_HOME"_s, m_home.path());         // nonce state
        env.insert(u"QT_LOGGING_RULES"_s, u"kraken.*=true"_s); // every log line, for the scan
        return env;
    }

    QString url() const { return m_ex->restUrl().toString(); }
    QString paperKey() const { return m_ex->config().accounts.front().apiKey; }
    QByteArray paperSecret() const { return m_ex->config().accounts.front().secret.toLatin1(); }

    static inline QTemporaryDir m_home;
    std::unique_ptr<kraken::sim::PaperExchange> m_ex;
    QList<Run> m_all; // every run of the suite, for the secret scan

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "run under with-keyring (ctest does)");
        m_ex = std::make_unique<kraken::sim::PaperExchange>(kraken::sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }

    void help() {
        const Run top = run({u"--help"_s});
        QVERIFY(top.out.contains("keys"));
        const Run r = run({u"keys"_s, u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("set PROFILE --key KEY --secret-stdin"));
        QVERIFY(r.out.contains("4 keychain unavailable"));
        const Run s = run({u"keys"_s, u"set"_s, u"--help"_s});
        QCOMPARE(s.exitCode, 0);
        QVERIFY2(s.out.contains("krakenterm-cli keys set"), s.out.constData());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no subcommand")
            << QStringList{u"keys"_s} << QByteArray() << QByteArray("Usage");
        QTest::newRow("unknown") << QStringList{u"keys"_s, u"frob"_s} << QByteArray()
                                 << QByteArray("unknown keys subcommand");
        QTest::newRow("no profile")
            << QStringList{u"keys"_s, u"set"_s, u"--key"_s, u"K"_s, u"--secret-stdin"_s}
            << QByteArray("c2VjcmV0") << QByteArray("one PROFILE");
        QTest::newRow("bad profile")
            << QStringList{u"keys"_s, u"set"_s, u"a/b"_s, u"--key"_s, u"K"_s, u"--secret-stdin"_s}
            << QByteArray("c2VjcmV0") << QByteArray("profile name");
        QTest::newRow("no key") << QStringList{u"keys"_s, u"set"_s, u"p"_s, u"--secret-stdin"_s}
                                << QByteArray("c2VjcmV0") << QByteArray("--key");
        QTest::newRow("secret not from stdin")
            << QStringList{u"keys"_s, u"set"_s, u"p"_s, u"--key"_s, u"K"_s} << QByteArray("x")
            << QByteArray("from stdin only");
        QTest::newRow("secret on argv rejected")
            << QStringList{u"keys"_s, u"set"_s,      u"p"_s,       u"--key"_s,
                           u"K"_s,    u"--secret"_s, u"c2VjcmV0"_s}
            << QByteArray() << QByteArray("Unknown option");
        QTest::newRow("empty stdin")
            << QStringList{u"keys"_s, u"set"_s, u"p"_s, u"--key"_s, u"K"_s, u"--secret-stdin"_s}
            << QByteArray("\n") << QByteArray("no secret on stdin");
        QTest::newRow("not base64")
            << QStringList{u"keys"_s, u"set"_s, u"p"_s, u"--key"_s, u"K"_s, u"--secret-stdin"_s}
            << QByteArray("not*base64!") << QByteArray("not base64");
        QTest::newRow("test futures nothing")
            << QStringList{u"keys"_s, u"test"_s, u"--futures"_s} << QByteArray()
            << QByteArray("KRAKEN_FUTURES_API_KEY");
        QTest::newRow("demo without futures")
            << QStringList{u"keys"_s, u"set"_s,           u"p"_s, u"--demo"_s, u"--key"_s,
                           u"K"_s,    u"--secret-stdin"_s}
            << QByteArray("c2VjcmV0") << QByteArray("--demo is for Futures keys");
        QTest::newRow("bad futures url")
            << QStringList{u"keys"_s, u"test"_s, u"--futures"_s, u"--futures-url"_s, u"ftp://x"_s}
            << QByteArray() << QByteArray("not an http(s) URL");
        QTest::newRow("test nothing") << QStringList{u"keys"_s, u"test"_s} << QByteArray()
                                      << QByteArray("KRAKEN_SPOT_API_KEY");
        QTest::newRow("list extra") << QStringList{u"keys"_s, u"list"_s, u"x"_s} << QByteArray()
                                    << QByteArray("no arguments");
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, message);
        const Run r = run(args, input);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!r.err.contains("not*base64!")); // what was read is never echoed
    }

    // set via stdin, list (names only), test against the paper exchange, delete.
    void setListTestDelete() {
        const Run set =
            run({u"keys"_s, u"set"_s, u"paper"_s, u"--key"_s, paperKey(), u"--secret-stdin"_s},
                paperSecret() + '\n');
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY(set.out.contains("Saved the Spot keys of profile 'paper'"));
        QVERIFY(!set.out.contains(paperKey().toLatin1())); // the key is shown redacted
        const Run fut = run({u"keys"_s, u"set"_s, u"paper"_s, u"--futures"_s, u"--key"_s,
                             u"FUTKEY"_s, u"--secret-stdin"_s},
                            WrongSecret);
        QCOMPARE(fut.exitCode, 0);

        const Run list = run({u"keys"_s, u"list"_s});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out, QByteArray("paper\tspot,futures\n"));

        const Run ok = run({u"keys"_s, u"test"_s, u"paper"_s, u"--spot-url"_s, url()});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY2(ok.out.contains("The keys work"), ok.out.constData());
        QVERIFY(ok.out.contains("7 asset(s)"));

        // spot --profile signs with the keychain's keys.
        const Run bal = run({u"spot"_s, u"private/Balance"_s, u"--profile"_s, u"paper"_s,
                             u"--spot-url"_s, url(), u"--compact"_s});
        QVERIFY2(bal.exitCode == 0, bal.err.constData());
        QVERIFY(bal.out.contains("\"ZUSD\""));

        const Run missing = run(
            {u"spot"_s, u"private/Balance"_s, u"--profile"_s, u"ghost"_s, u"--spot-url"_s, url()});
        QCOMPARE(missing.exitCode, 5);
        QVERIFY2(missing.err.contains("not found: No Spot API keys are stored for profile 'ghost'"),
                 missing.err.constData());

        QCOMPARE(run({u"keys"_s, u"delete"_s, u"paper"_s, u"--futures"_s}).exitCode, 0);
        QCOMPARE(run({u"keys"_s, u"list"_s}).out, QByteArray("paper\tspot\n"));
        const Run del = run({u"keys"_s, u"delete"_s, u"paper"_s});
        QCOMPARE(del.exitCode, 0);
        QVERIFY(del.out.contains("Deleted the keys of profile 'paper'"));
        QVERIFY(run({u"keys"_s, u"list"_s}).out.isEmpty());
        const Run again = run({u"keys"_s, u"delete"_s, u"paper"_s});
        QCOMPARE(again.exitCode, 5);
        QCOMPARE(run({u"keys"_s, u"test"_s, u"paper"_s, u"--spot-url"_s, url()}).exitCode, 5);
    }

    // Futures keys: stored with their environment (mainnet unless --demo), tested with
    // /accounts against the paper exchange's Futures REST.
    void futuresKeys() {
        const auto &account = m_ex->config().accounts.front();
        const QString futuresUrl = m_ex->futuresRestUrl().toString();
        const Run set = run({u"keys"_s, u"set"_s, u"fut"_s, u"--futures"_s, u"--key"_s,
                             account.futuresApiKey, u"--secret-stdin"_s},
                            account.futuresSecret.toLatin1());
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY2(set.out.contains("Saved the Futures keys of profile 'fut'"), set.out.constData());
        QCOMPARE(run({u"keys"_s, u"list"_s}).out, QByteArray("fut\tfutures\n"));

        const Run ok =
            run({u"keys"_s, u"test"_s, u"fut"_s, u"--futures"_s, u"--futures-url"_s, futuresUrl});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY2(ok.out.contains("The Futures keys work"), ok.out.constData());
        QVERIFY2(ok.out.contains("flex"), ok.out.constData());
        // The profile has no Spot keys.
        QCOMPARE(run({u"keys"_s, u"test"_s, u"fut"_s, u"--spot-url"_s, url()}).exitCode, 5);

        // The same keys stored again as demo keys: the index says so; a wrong secret is
        // explained in Futures terms, and $KRAKEN_FUTURES_URL points the test at the venue.
        const Run demo = run({u"keys"_s, u"set"_s, u"fut"_s, u"--futures"_s, u"--demo"_s,
                              u"--key"_s, account.futuresApiKey, u"--secret-stdin"_s},
                             WrongSecret);
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        QVERIFY2(demo.out.contains("Saved the Futures demo keys"), demo.out.constData());
        QCOMPARE(run({u"keys"_s, u"list"_s}).out, QByteArray("fut\tfutures:demo\n"));
        QProcessEnvironment env = environment();
        env.insert(u"KRAKEN_FUTURES_URL"_s, futuresUrl);
        const Run bad = run({u"keys"_s, u"test"_s, u"fut"_s, u"--futures"_s}, {}, env);
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("rejected the key or its secret"), bad.err.constData());
        QVERIFY(bad.err.contains("authenticationError"));

        // Without a profile: the KRAKEN_FUTURES_* variables.
        env.insert(u"KRAKEN_FUTURES_API_KEY"_s, account.futuresApiKey);
        env.insert(u"KRAKEN_FUTURES_API_SECRET"_s, account.futuresSecret);
        QCOMPARE(run({u"keys"_s, u"test"_s, u"--futures"_s}, {}, env).exitCode, 0);

        QCOMPARE(run({u"keys"_s, u"delete"_s, u"fut"_s, u"--futures"_s}).exitCode, 0);
        QVERIFY(run({u"keys"_s, u"list"_s}).out.isEmpty());
    }

    void wrongSecretExplained() {
        QCOMPARE(run({u"keys"_s, u"set"_s, u"wrong"_s, u"--key"_s, paperKey(), u"--secret-stdin"_s},
                     WrongSecret)
                     .exitCode,
                 0);
        const Run r = run({u"keys"_s, u"test"_s, u"wrong"_s, u"--spot-url"_s, url()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("The API secret does not match this key."), r.err.constData());
        QVERIFY(r.err.contains("EAPI:Invalid signature"));

        const Run badKey = run({u"keys"_s, u"test"_s, u"--spot-url"_s, url()}, {}, [] {
            QProcessEnvironment env = environment();
            env.insert(u"KRAKEN_SPOT_API_KEY"_s, u"unknown-key"_s);
            env.insert(u"KRAKEN_SPOT_API_SECRET"_s, QString::fromLatin1(WrongSecret));
            return env;
        }());
        QCOMPARE(badKey.exitCode, 1);
        QVERIFY2(badKey.err.contains("does not recognise this API key"), badKey.err.constData());
        QCOMPARE(run({u"keys"_s, u"delete"_s, u"wrong"_s}).exitCode, 0);
    }

    // No D-Bus session: a distinct exit code and a message naming the fallbacks.
    void keychainUnavailable() {
        QProcessEnvironment env = environment();
        env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=%1/no-such-bus"_s.arg(m_home.path()));
        const Run set = run({u"keys"_s, u"set"_s, u"p"_s, u"--key"_s, u"K"_s, u"--secret-stdin"_s},
                            WrongSecret, env);
        QCOMPARE(set.exitCode, 4);
        QVERIFY2(set.err.contains("keychain unavailable: The system keychain is not available"),
                 set.err.constData());
        QVERIFY(set.err.contains("KRAKEN_SPOT_API_KEY"));
        QCOMPARE(run({u"keys"_s, u"list"_s}, {}, env).exitCode, 4);
        QCOMPARE(run({u"keys"_s, u"delete"_s, u"p"_s}, {}, env).exitCode, 4);
        QCOMPARE(run({u"keys"_s, u"test"_s, u"p"_s}, {}, env).exitCode, 4);
        const Run spot =
            run({u"spot"_s, u"private/Balance"_s, u"--profile"_s, u"p"_s, u"--spot-url"_s, url()},
                {}, env);
        QCOMPARE(spot.exitCode, 4);
        // Without --profile the environment still works, keychain or not.
        env.insert(u"KRAKEN_SPOT_API_KEY"_s, paperKey());
        env.insert(u"KRAKEN_SPOT_API_SECRET"_s, QString::fromLatin1(paperSecret()));
        QCOMPARE(run({u"keys"_s, u"test"_s, u"--spot-url"_s, url()}, {}, env).exitCode, 0);
    }

    // Every keys command, and a failing signed spot call, with a known secret: the secret
    // and its decoded bytes appear in no output at all (logging fully on).
    void secretScan() {
        QCOMPARE(run({u"keys"_s, u"set"_s, u"scan"_s, u"--key"_s, paperKey(), u"--secret-stdin"_s},
                     WrongSecret)
                     .exitCode,
                 0);
        QCOMPARE(run({u"keys"_s, u"set"_s, u"scan"_s, u"--futures"_s, u"--key"_s, u"F"_s,
                      u"--secret-stdin"_s},
                     WrongSecret)
                     .exitCode,
                 0);
        run({u"keys"_s, u"list"_s});
        QCOMPARE(run({u"keys"_s, u"test"_s, u"scan"_s, u"--spot-url"_s, url()}).exitCode, 1);
        const Run spot = run(
            {u"spot"_s, u"private/Balance"_s, u"--profile"_s, u"scan"_s, u"--spot-url"_s, url()});
        QCOMPARE(spot.exitCode, 1);
        QVERIFY(spot.err.contains("EAPI:Invalid signature"));
        run({u"spot"_s, u"--dry-run"_s, u"private/Balance"_s, u"--profile"_s, u"scan"_s});
        QCOMPARE(run({u"keys"_s, u"delete"_s, u"scan"_s}).exitCode, 0);

        const QByteArray decoded = QByteArray::fromBase64(WrongSecret);
        const QByteArray paperDecoded = QByteArray::fromBase64(paperSecret());
        QVERIFY(m_all.size() > 20);
        const QByteArray futuresSecret = m_ex->config().accounts.front().futuresSecret.toLatin1();
        for (const Run &r : std::as_const(m_all)) {
            for (const QByteArray &stream : {r.out, r.err}) {
                QVERIFY2(!stream.contains(WrongSecret), stream.constData());
                QVERIFY2(!stream.contains(decoded), stream.constData());
                QVERIFY2(!stream.contains(paperSecret()), stream.constData());
                QVERIFY2(!stream.contains(paperDecoded), stream.constData());
                QVERIFY2(!stream.contains(futuresSecret), stream.constData());
                QVERIFY2(!stream.contains(QByteArray::fromBase64(futuresSecret)),
                         stream.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCliKeys)
#include "tst_cli_keys.moc"
