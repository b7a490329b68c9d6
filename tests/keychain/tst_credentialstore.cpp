// CredentialStore and CredentialResolver against a real Secret Service (gnome-keyring in a
// private D-Bus session, from with-keyring), and, in a second run with no D-Bus session at
// all, the "keychain unavailable" path. KT_KEYCHAIN_EXPECT (set by CTest) says which run this
// is, so a broken keyring can never pass as "unavailable".

#include "kraken/keychain/credentialresolver.h"
#include "kraken/keychain/credentialstore.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::keychain;

namespace {

using Code = KeychainStatus::Code;

// (Outside the test class: moc cannot read raw string literals.)
const char DemoIndexJson[] = R"({"futuresEnvironments":{"demo":"demo"},)"
                             R"("profiles":{"demo":["futures"],"main":["futures"]},"version":1})";
const char OddIndexJson[] = R"({"version":1,"profiles":{"a":["spot"],"b":["futures"]},)"
                            R"("futuresEnvironments":{"a":"demo","b":"moon"}})";

// Distinctive base64 secrets; the tests look for them (and their decoded bytes) in places they
// must never be.
const QByteArray SpotSecret = QByteArray("tst_credentialstore spot secret 0123456789").toBase64();
const QByteArray FuturesSecret = QByteArray("tst_credentialstore futures secret").toBase64();

QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message) {
    g_log << message;
}

// "available" (with-keyring), "unavailable" (no D-Bus session) or "no-keyring" (a Secret
// Service with no keyring and no way to prompt).
bool expectAvailable() {
    const QByteArray expect = qgetenv("KT_KEYCHAIN_EXPECT");
    return expect != "unavailable" && expect != "no-keyring";
}

// Every file under dir whose bytes contain needle.
QStringList filesContaining(const QString &dir, const QByteArray &needle) {
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << f.fileName();
    }
    return hits;
}

} // namespace

class TestCredentialStore : public QObject {
    Q_OBJECT

private:
    // Blocking helpers: the store answers from the event loop, which qWaitFor keeps turning.
    KeychainStatus save(CredentialStore &s, const QString &p, Venue v, const Credentials &c,
                        FuturesEnvironment env = FuturesEnvironment::Mainnet) {
        std::optional<KeychainStatus> r;
        s.save(
            p, v, c, this, [&](const KeychainStatus &st) { r = st; }, env);
        if (!QTest::qWaitFor([&] { return r.has_value(); }, 60'000))
            return KeychainStatus::failed(u"test: no answer"_s);
        return *r;
    }
    std::pair<KeychainStatus, Credentials> load(CredentialStore &s, const QString &p, Venue v) {
        std::optional<std::pair<KeychainStatus, Credentials>> r;
        s.load(p, v, this, [&](const KeychainStatus &st, const Credentials &c) { r = {st, c}; });
        if (!QTest::qWaitFor([&] { return r.has_value(); }, 60'000))
            return {KeychainStatus::failed(u"test: no answer"_s), {}};
        return *r;
    }
    KeychainStatus remove(CredentialStore &s, const QString &p, std::optional<Venue> v) {
        std::optional<KeychainStatus> r;
        s.remove(p, v, this, [&](const KeychainStatus &st) { r = st; });
        if (!QTest::qWaitFor([&] { return r.has_value(); }, 60'000))
            return KeychainStatus::failed(u"test: no answer"_s);
        return *r;
    }
    std::pair<KeychainStatus, ProfileIndex> list(CredentialStore &s) {
        std::optional<std::pair<KeychainStatus, ProfileIndex>> r;
        s.listProfiles(this, [&](const KeychainStatus &st, const ProfileIndex &i) { r = {st, i}; });
        if (!QTest::qWaitFor([&] { return r.has_value(); }, 60'000))
            return {KeychainStatus::failed(u"test: no answer"_s), {}};
        return *r;
    }
    CredentialResolver::Resolution resolve(CredentialResolver &r, const QString &p, Venue v) {
        std::optional<CredentialResolver::Resolution> out;
        r.resolve(p, v, this, [&](const CredentialResolver::Resolution &res) { out = res; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 60'000))
            return {};
        return *out;
    }

    // Each run uses its own service name, so entries of an earlier (crashed) run never leak in.
    QString m_service = u"KrakenTerm-test-%1"_s.arg(QCoreApplication::applicationPid());
    QTemporaryDir m_home;
    QtMessageHandler m_previousHandler = nullptr;

private Q_SLOTS:
    void initTestCase() {
        qunsetenv("KRAKEN_SPOT_API_KEY");
        qunsetenv("KRAKEN_SPOT_API_SECRET");
        if (!expectAvailable()) {
            // Anything QtKeychain or QSettings might write lands here, where the test looks.
            QVERIFY(m_home.isValid());
            qputenv("HOME", m_home.path().toLocal8Bit());
            qputenv("XDG_CONFIG_HOME", QByteArray(m_home.path().toLocal8Bit() + "/.config"));
            qputenv("XDG_DATA_HOME", QByteArray(m_home.path().toLocal8Bit() + "/.local/share"));
        }
        // Every line the keychain module logs, at every level, goes through captureLog.
        QLoggingCategory::setFilterRules(u"kraken.*=true"_s);
        m_previousHandler = qInstallMessageHandler(captureLog);
    }

    void cleanupTestCase() {
        qInstallMessageHandler(m_previousHandler);
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(QString::fromLatin1(SpotSecret)), qPrintable(line));
            QVERIFY2(!line.contains(QString::fromLatin1(FuturesSecret)), qPrintable(line));
        }
        // No plaintext copy anywhere in the home the run used (the keyring file itself is
        // encrypted with the keyring password).
        const QString home = qEnvironmentVariable("HOME");
        QVERIFY(!home.isEmpty());
        QVERIFY2(home.startsWith(QDir::tempPath()), qPrintable(home)); // a throwaway home
        for (const QByteArray &needle :
             {SpotSecret, QByteArray::fromBase64(SpotSecret), FuturesSecret})
            QVERIFY2(filesContaining(home, needle).isEmpty(),
                     qPrintable(filesContaining(home, needle).join(u", "_s)));
    }

    void profileNames() {
        QVERIFY(CredentialStore::isValidProfileName(u"main"));
        QVERIFY(CredentialStore::isValidProfileName(u"futures-demo_2.v1"));
        QVERIFY(!CredentialStore::isValidProfileName(u""));
        QVERIFY(!CredentialStore::isValidProfileName(u"a b"));
        QVERIFY(!CredentialStore::isValidProfileName(u"../x/y"));
        QVERIFY(!CredentialStore::isValidProfileName(QString(65, u'a')));
        QCOMPARE(CredentialStore::entryKey(u"main"_s, Venue::Futures), u"profile/main/futures"_s);
    }

    void indexJson() {
        ProfileIndex index;
        index.add(u"main"_s, Venue::Futures);
        index.add(u"main"_s, Venue::Spot);
        index.add(u"alt"_s, Venue::Spot);
        bool ok = false;
        const ProfileIndex back = ProfileIndex::fromJson(index.toJson(), &ok);
        QVERIFY(ok);
        QVERIFY(back == index);
        QCOMPARE(back.profiles(), (QStringList{u"alt"_s, u"main"_s}));
        QCOMPARE(back.venues(u"main"_s), (QList<Venue>{Venue::Spot, Venue::Futures}));
        index.remove(u"alt"_s, Venue::Spot);
        QVERIFY(!index.contains(u"alt"_s));
        QVERIFY(!index.toJson().contains("secret"));
        ProfileIndex::fromJson("not json", &ok);
        QVERIFY(!ok);
    }

    // The environment of a profile's Futures keys travels with the index, and only for
    // profiles that hold Futures keys.
    void indexFuturesEnvironment() {
        ProfileIndex index;
        index.add(u"demo"_s, Venue::Futures);
        index.add(u"main"_s, Venue::Futures);
        index.setFuturesEnvironment(u"demo"_s, FuturesEnvironment::Demo);
        QCOMPARE(index.toJson(), QByteArray(DemoIndexJson));
        bool ok = false;
        const ProfileIndex back = ProfileIndex::fromJson(index.toJson(), &ok);
        QVERIFY(ok);
        QVERIFY(back == index);
        QCOMPARE(back.futuresEnvironment(u"demo"_s), FuturesEnvironment::Demo);
        QCOMPARE(back.futuresEnvironment(u"main"_s), FuturesEnvironment::Mainnet);
        // Unknown environments, and environments of profiles without Futures keys, are dropped.
        const ProfileIndex odd = ProfileIndex::fromJson(OddIndexJson);
        QCOMPARE(odd.futuresEnvironment(u"a"_s), FuturesEnvironment::Mainnet);
        QCOMPARE(odd.futuresEnvironment(u"b"_s), FuturesEnvironment::Mainnet);
        QVERIFY(!odd.toJson().contains("futuresEnvironments"));
        // Deleting the Futures keys forgets their environment.
        index.add(u"demo"_s, Venue::Spot);
        index.remove(u"demo"_s, Venue::Futures);
        index.add(u"demo"_s, Venue::Futures);
        QCOMPARE(index.futuresEnvironment(u"demo"_s), FuturesEnvironment::Mainnet);
    }

    // Set, load, list, delete through the real Secret Service.
    void roundTrip() {
        if (!expectAvailable())
            QSKIP("this run has no keychain; see unavailable()");
        CredentialStore store(m_service);
        QSignalSpy changed(&store, &CredentialStore::profilesChanged);
        const Credentials spot(u"SPOTKEY-main"_s, SpotSecret);
        const Credentials futures(u"FUTKEY-main"_s, FuturesSecret);

        auto [st0, empty] = list(store);
        QVERIFY2(st0.ok(), qPrintable(st0.message));
        QVERIFY(empty.isEmpty());

        QVERIFY2(save(store, u"main"_s, Venue::Spot, spot).ok(), "save spot");
        QVERIFY(save(store, u"main"_s, Venue::Futures, futures).ok());
        QVERIFY(save(store, u"alt"_s, Venue::Spot, Credentials(u"ALT"_s, SpotSecret)).ok());
        QCOMPARE(changed.count(), 3);

        auto [st1, index] = list(store);
        QVERIFY(st1.ok());
        QCOMPARE(index.profiles(), (QStringList{u"alt"_s, u"main"_s}));
        QCOMPARE(index.venues(u"main"_s), (QList<Venue>{Venue::Spot, Venue::Futures}));
        QCOMPARE(index.venues(u"alt"_s), (QList<Venue>{Venue::Spot}));

        auto [st2, loaded] = load(store, u"main"_s, Venue::Spot);
        QCOMPARE(st2.code, Code::Ok);
        QCOMPARE(loaded.apiKey(), spot.apiKey());
        QCOMPARE(loaded.secretBase64(), spot.secretBase64());
        auto [st3, loadedF] = load(store, u"main"_s, Venue::Futures);
        QCOMPARE(st3.code, Code::Ok);
        QCOMPARE(loadedF.secretBase64(), FuturesSecret);

        // Saving again replaces the pair; the index is unchanged.
        const Credentials rotated(u"SPOTKEY-rotated"_s, FuturesSecret);
        QVERIFY(save(store, u"main"_s, Venue::Spot, rotated).ok());
        QCOMPARE(changed.count(), 3);
        QCOMPARE(load(store, u"main"_s, Venue::Spot).second.apiKey(), u"SPOTKEY-rotated"_s);

        // Futures keys saved again as demo keys: the index records the environment (a change),
        // and saving them as mainnet keys puts it back; Spot ignores the environment.
        QVERIFY(save(store, u"main"_s, Venue::Futures, futures, FuturesEnvironment::Demo).ok());
        QCOMPARE(changed.count(), 4);
        QCOMPARE(list(store).second.futuresEnvironment(u"main"_s), FuturesEnvironment::Demo);
        QVERIFY(save(store, u"main"_s, Venue::Futures, futures).ok());
        QCOMPARE(list(store).second.futuresEnvironment(u"main"_s), FuturesEnvironment::Mainnet);
        QVERIFY(save(store, u"alt"_s, Venue::Spot, spot, FuturesEnvironment::Demo).ok());
        QCOMPARE(list(store).second.futuresEnvironment(u"alt"_s), FuturesEnvironment::Mainnet);
        QCOMPARE(changed.count(), 5);

        // Not stored: a distinct status naming the profile.
        auto [st4, none] = load(store, u"nobody"_s, Venue::Spot);
        QCOMPARE(st4.code, Code::NotFound);
        QVERIFY(st4.message.contains(u"nobody"_s));
        QVERIFY(!none.isValid());
        QCOMPARE(load(store, u"alt"_s, Venue::Futures).first.code, Code::NotFound);

        // Delete one venue, then the whole profile, then once more (nothing left).
        QVERIFY(remove(store, u"main"_s, Venue::Spot).ok());
        QCOMPARE(load(store, u"main"_s, Venue::Spot).first.code, Code::NotFound);
        QCOMPARE(load(store, u"main"_s, Venue::Futures).first.code, Code::Ok);
        QCOMPARE(list(store).second.venues(u"main"_s), (QList<Venue>{Venue::Futures}));
        QVERIFY(remove(store, u"main"_s, std::nullopt).ok());
        QCOMPARE(load(store, u"main"_s, Venue::Futures).first.code, Code::NotFound);
        QCOMPARE(list(store).second.profiles(), (QStringList{u"alt"_s}));
        QCOMPARE(remove(store, u"main"_s, std::nullopt).code, Code::NotFound);
        QVERIFY(remove(store, u"alt"_s, std::nullopt).ok());
        QVERIFY(list(store).second.isEmpty());
    }

    // Calls run in the order made: a list issued right after a save (without waiting) sees it.
    void callsRunInOrder() {
        if (!expectAvailable())
            QSKIP("this run has no keychain");
        CredentialStore store(m_service);
        std::optional<KeychainStatus> saved;
        std::optional<ProfileIndex> listed;
        store.save(u"ordered"_s, Venue::Spot, Credentials(u"K"_s, SpotSecret), this,
                   [&](const KeychainStatus &s) { saved = s; });
        store.listProfiles(this, [&](const KeychainStatus &, const ProfileIndex &i) {
            QVERIFY(saved.has_value()); // delivered first
            listed = i;
        });
        QTRY_VERIFY_WITH_TIMEOUT(listed.has_value(), 60'000);
        QVERIFY(saved->ok());
        QVERIFY(listed->contains(u"ordered"_s, Venue::Spot));
        QVERIFY(remove(store, u"ordered"_s, std::nullopt).ok());
    }

    // A callback whose context died is dropped; later calls still run.
    void deadContextIsSkipped() {
        if (!expectAvailable())
            QSKIP("this run has no keychain");
        CredentialStore store(m_service);
        bool called = false;
        auto *context = new QObject;
        store.listProfiles(context,
                           [&](const KeychainStatus &, const ProfileIndex &) { called = true; });
        delete context;
        QVERIFY(list(store).first.ok()); // the queue moved past the dropped call
        QVERIFY(!called);
    }

    void rejectsBadInput() {
        CredentialStore store(m_service);
        const KeychainStatus badName =
            save(store, u"no spaces please"_s, Venue::Spot, Credentials(u"K"_s, SpotSecret));
        QCOMPARE(badName.code, Code::Failed);
        QVERIFY(badName.message.contains(u"profile name"_s));
        const KeychainStatus noSecret =
            save(store, u"main"_s, Venue::Spot, Credentials(u"K"_s, {}));
        QCOMPARE(noSecret.code, Code::Failed);
        QVERIFY(noSecret.message.contains(u"secret"_s));
    }

    // Session keys first, then the keychain; without a profile the environment; a missing
    // profile never quietly becomes the environment's keys unless asked.
    void resolverOrder() {
        CredentialStore store(m_service);
        CredentialResolver resolver(&store);
        qputenv("KRAKEN_SPOT_API_KEY", "ENVKEY");
        qputenv("KRAKEN_SPOT_API_SECRET", FuturesSecret);

        auto env = resolve(resolver, {}, Venue::Spot);
        QCOMPARE(env.source, CredentialResolver::Source::Environment);
        QCOMPARE(env.credentials->apiKey(), u"ENVKEY"_s);
        QCOMPARE(resolve(resolver, {}, Venue::Futures).source, CredentialResolver::Source::None);

        auto missing = resolve(resolver, u"ghost"_s, Venue::Spot);
        QCOMPARE(missing.source, CredentialResolver::Source::None);
        QVERIFY(!missing.credentials);
        QCOMPARE(missing.status.code, expectAvailable() ? Code::NotFound : Code::Unavailable);

        resolver.setEnvironmentFallback(true);
        auto fallback = resolve(resolver, u"ghost"_s, Venue::Spot);
        QCOMPARE(fallback.source, CredentialResolver::Source::Environment);
        QCOMPARE(fallback.status.code, missing.status.code); // the reason is kept
        resolver.setEnvironmentFallback(false);

        resolver.setSessionCredentials(u"ghost"_s, Venue::Spot, Credentials(u"MEM"_s, SpotSecret));
        QVERIFY(resolver.hasSessionCredentials(u"ghost"_s, Venue::Spot));
        auto session = resolve(resolver, u"ghost"_s, Venue::Spot);
        QCOMPARE(session.source, CredentialResolver::Source::Session);
        QCOMPARE(session.credentials->apiKey(), u"MEM"_s);
        resolver.clearSessionCredentials(u"ghost"_s);
        QCOMPARE(resolve(resolver, u"ghost"_s, Venue::Spot).source,
                 CredentialResolver::Source::None);

        if (expectAvailable()) {
            QVERIFY(save(store, u"kc"_s, Venue::Spot, Credentials(u"KCKEY"_s, SpotSecret)).ok());
            auto kc = resolve(resolver, u"kc"_s, Venue::Spot);
            QCOMPARE(kc.source, CredentialResolver::Source::Keychain);
            QCOMPARE(kc.credentials->apiKey(), u"KCKEY"_s);
            QVERIFY(remove(store, u"kc"_s, std::nullopt).ok());
        }
        qunsetenv("KRAKEN_SPOT_API_KEY");
        qunsetenv("KRAKEN_SPOT_API_SECRET");
    }

    // No D-Bus session (a headless box), or a Secret Service that cannot prompt for the
    // keyring it lacks: every call says so, distinctly and plainly, names
    // the fallbacks, and writes nothing anywhere (cleanupTestCase scans HOME).
    void unavailable() {
        if (expectAvailable())
            QSKIP("this run has a keychain; see roundTrip()");
        CredentialStore store(m_service);
        QSignalSpy unavailableSpy(&store, &CredentialStore::unavailable);
        const KeychainStatus saved =
            save(store, u"main"_s, Venue::Spot, Credentials(u"K"_s, SpotSecret));
        QVERIFY2(saved.isUnavailable(), qPrintable(saved.message));
        QVERIFY2(saved.message.contains(u"keychain is not available"_s), qPrintable(saved.message));
        QVERIFY(saved.message.contains(qgetenv("KT_KEYCHAIN_EXPECT") == "no-keyring"
                                           ? u"no default keyring"_s
                                           : u"no D-Bus session bus"_s));
        QVERIFY(saved.message.contains(u"KRAKEN_SPOT_API_KEY"_s));
        QVERIFY(saved.message.contains(u"session only"_s));
        QVERIFY(saved.message.contains(u"never writes keys to a plain file"_s));
        QVERIFY(!saved.message.contains(QString::fromLatin1(SpotSecret)));
        QCOMPARE(load(store, u"main"_s, Venue::Spot).first.code, Code::Unavailable);
        QCOMPARE(list(store).first.code, Code::Unavailable);
        QCOMPARE(remove(store, u"main"_s, std::nullopt).code, Code::Unavailable);
        QCOMPARE(unavailableSpy.count(), 4);
        QCOMPARE(KeychainStatus::codeName(Code::Unavailable), u"keychain unavailable"_s);
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
