#include "profilecredentials.h"

#include "kraken/keychain/credentialresolver.h"

#include <QEventLoop>

#include <cstdio>

using namespace Qt::StringLiterals;
using kraken::Credentials;
using kraken::keychain::CredentialStore;
using kraken::keychain::KeychainStatus;
using kraken::keychain::ProfileIndex;
using kraken::keychain::Venue;

namespace app::cli {
namespace {

// Runs `start` and a nested event loop until it calls the continuation it was given.
void waitFor(const std::function<void(QObject *context, std::function<void()> done)> &start) {
    QEventLoop loop;
    bool finished = false;
    start(&loop, [&] {
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
}

} // namespace

QCommandLineOption profileOption() {
    return QCommandLineOption(u"profile"_s,
                              u"Sign with the keys of profile NAME from the system keychain "
                              u"(saved with 'krakenterm-cli keys set'); without it, with "
                              u"KRAKEN_SPOT_API_KEY / KRAKEN_SPOT_API_SECRET."_s,
                              u"NAME"_s);
}

ExitCode exitCodeFor(const KeychainStatus &status) {
    switch (status.code) {
    case KeychainStatus::Code::Ok:
        return ExitOk;
    case KeychainStatus::Code::NotFound:
        return ExitNotFound;
    case KeychainStatus::Code::Unavailable:
        return ExitKeychainUnavailable;
    case KeychainStatus::Code::Failed:
        return ExitKeychain;
    }
    return ExitKeychain;
}

void printKeychainError(const KeychainStatus &status) {
    const QString line =
        u"krakenterm-cli: %1: %2\n"_s.arg(KeychainStatus::codeName(status.code), status.message);
    std::fputs(line.toUtf8().constData(), stderr);
}

KeychainStatus saveKeys(CredentialStore &store, const QString &profile, Venue venue,
                        const Credentials &credentials, kraken::FuturesEnvironment environment) {
    KeychainStatus result;
    waitFor([&](QObject *context, std::function<void()> done) {
        store.save(
            profile, venue, credentials, context,
            [&, done](const KeychainStatus &s) {
                result = s;
                done();
            },
            environment);
    });
    return result;
}

KeychainStatus loadKeys(CredentialStore &store, const QString &profile, Venue venue,
                        Credentials *credentials) {
    KeychainStatus result;
    waitFor([&](QObject *context, std::function<void()> done) {
        store.load(profile, venue, context,
                   [&, done](const KeychainStatus &s, const Credentials &c) {
                       result = s;
                       *credentials = c;
                       done();
                   });
    });
    return result;
}

KeychainStatus removeKeys(CredentialStore &store, const QString &profile,
                          std::optional<Venue> venue) {
    KeychainStatus result;
    waitFor([&](QObject *context, std::function<void()> done) {
        store.remove(profile, venue, context, [&, done](const KeychainStatus &s) {
            result = s;
            done();
        });
    });
    return result;
}

KeychainStatus listProfiles(CredentialStore &store, ProfileIndex *index) {
    KeychainStatus result;
    waitFor([&](QObject *context, std::function<void()> done) {
        store.listProfiles(context, [&, done](const KeychainStatus &s, const ProfileIndex &i) {
            result = s;
            *index = i;
            done();
        });
    });
    return result;
}

std::optional<Credentials> commandCredentials(const QCommandLineParser &parser, Venue venue,
                                              const QString &command, int *exitCode) {
    const QString profile = parser.value(u"profile"_s);
    if (profile.isEmpty()) {
        if (auto c = kraken::keychain::CredentialResolver::fromEnvironment(venue))
            return c;
        printUsageError(venue == Venue::Spot
                            ? u"private calls need --profile NAME (keys saved with 'krakenterm-cli "
                              u"keys set') or KRAKEN_SPOT_API_KEY and KRAKEN_SPOT_API_SECRET"_s
                            : u"private calls need --profile NAME or KRAKEN_FUTURES_API_KEY and "
                              u"KRAKEN_FUTURES_API_SECRET"_s,
                        command);
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    if (!CredentialStore::isValidProfileName(profile)) {
        printUsageError(u"--profile: "_s + CredentialStore::profileNameRule(), command);
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    CredentialStore store;
    Credentials credentials;
    const KeychainStatus status = loadKeys(store, profile, venue, &credentials);
    if (!status.ok()) {
        printKeychainError(status);
        *exitCode = exitCodeFor(status);
        return std::nullopt;
    }
    return credentials;
}

} // namespace app::cli
