#include "keyscommand.h"

#include "cliexit.h"
#include "commonoptions.h"
#include "kraken/futures/futuresendpoints.h"
#include "kraken/futures/futureskeycheck.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/keychain/credentialresolver.h"
#include "kraken/spot/keycheck.h"
#include "kraken/spot/restclient.h"
#include "profilecredentials.h"

#include <QCommandLineParser>
#include <QFile>

#include <cstdio>

using namespace Qt::StringLiterals;
using kraken::Credentials;
using kraken::keychain::CredentialStore;
using kraken::keychain::KeychainStatus;
using kraken::keychain::ProfileIndex;
using kraken::keychain::Venue;
using kraken::keychain::venueId;
using kraken::keychain::venueTitle;

namespace app::cli {
namespace {

const char Usage[] =
    "Usage: krakenterm-cli keys SUBCOMMAND [ARGS...]\n"
    "\n"
    "API keys in the system keychain (Secret Service: gnome-keyring, KWallet), one entry\n"
    "per profile and venue. Secrets are read from stdin only and never printed.\n"
    "\n"
    "Subcommands:\n"
    "  set PROFILE --key KEY --secret-stdin [--futures [--demo]]\n"
    "                                                      store a key pair (--demo: Futures\n"
    "                                                      keys of demo-futures.kraken.com)\n"
    "  test [PROFILE] [--futures] [--spot-url URL] [--futures-url URL]\n"
    "                                                      check the keys against Kraken\n"
    "                                                      (no PROFILE: the KRAKEN_* variables)\n"
    "  delete PROFILE [--spot | --futures]                 delete a profile's keys\n"
    "  list                                                profile names and their venues\n"
    "                                                      (futures:demo for demo keys)\n"
    "\n"
    "Example:\n"
    "  printf %s \"$SECRET\" | krakenterm-cli keys set main --key \"$KEY\" --secret-stdin\n"
    "\n"
    "Exit codes: 0 ok, 1 Kraken rejected the keys, 2 usage, 3 network error or timeout,\n"
    "4 keychain unavailable (no Secret Service, or locked), 5 no such profile or keys,\n"
    "6 other keychain error.\n";

void writeLine(FILE *to, const QString &line) {
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), to);
    std::fflush(to);
}

// Parses "keys <sub>" arguments; nullopt-like false after a usage error or --help.
bool parse(QCommandLineParser &parser, const QStringList &arguments, const QString &command,
           int *exitCode) {
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), command);
        *exitCode = ExitUsage;
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        const QByteArray text = helpText(parser, command).toUtf8();
        std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
        *exitCode = ExitOk;
        return false;
    }
    return true;
}

bool takeProfile(const QCommandLineParser &parser, const QString &command, bool required,
                 QString *profile, int *exitCode) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (required && positional.isEmpty())) {
        printUsageError(
            u"%1 takes %2 PROFILE"_s.arg(command, required ? u"one"_s : u"at most one"_s), command);
        *exitCode = ExitUsage;
        return false;
    }
    *profile = positional.value(0);
    if (!profile->isEmpty() && !CredentialStore::isValidProfileName(*profile)) {
        printUsageError(CredentialStore::profileNameRule(), command);
        *exitCode = ExitUsage;
        return false;
    }
    return true;
}

const QCommandLineOption futuresOption() {
    return QCommandLineOption(u"futures"_s, u"The profile's Futures keys (default: Spot)."_s);
}

int runSet(const QStringList &arguments) {
    const QString command = u"keys set"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Stores a profile's API key and secret in the system keychain.\n\n"
        u"The secret is read from stdin, never from the command line (where other users "
        u"and the shell history would see it):\n"
        u"  printf %s \"$SECRET\" | krakenterm-cli keys set main --key \"$KEY\" --secret-stdin\n\n"
        u"Exit codes: 0 saved, 2 usage, 4 keychain unavailable, 6 keychain error."_s);
    parser.addPositionalArgument(u"PROFILE"_s, CredentialStore::profileNameRule());
    const QCommandLineOption keyOpt(u"key"_s, u"The API key (public part)."_s, u"KEY"_s);
    const QCommandLineOption secretStdinOpt(u"secret-stdin"_s,
                                            u"Read the API secret (base64) from stdin."_s);
    const QCommandLineOption demoOpt(
        u"demo"_s, u"With --futures: the keys belong to Kraken's demo environment "
                   u"(demo-futures.kraken.com), not mainnet."_s);
    parser.addOptions({keyOpt, secretStdinOpt, futuresOption(), demoOpt});
    int exitCode = ExitOk;
    QString profile;
    if (!parse(parser, arguments, command, &exitCode) ||
        !takeProfile(parser, command, true, &profile, &exitCode))
        return exitCode;
    if (parser.isSet(demoOpt) && !parser.isSet(u"futures"_s)) {
        printUsageError(u"--demo is for Futures keys: add --futures"_s, command);
        return ExitUsage;
    }
    const auto environment = parser.isSet(demoOpt) ? kraken::FuturesEnvironment::Demo
                                                   : kraken::FuturesEnvironment::Mainnet;
    const QString key = parser.value(keyOpt).trimmed();
    if (key.isEmpty() || key.contains(u' ')) {
        printUsageError(u"--key KEY is required (the API key, without spaces)"_s, command);
        return ExitUsage;
    }
    if (!parser.isSet(secretStdinOpt)) {
        printUsageError(u"the secret is read from stdin only: pipe it in and pass --secret-stdin"_s,
                        command);
        return ExitUsage;
    }
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        printUsageError(u"cannot read stdin"_s, command);
        return ExitUsage;
    }
    const QByteArray secret = in.readAll().trimmed();
    if (secret.isEmpty()) {
        printUsageError(u"no secret on stdin; nothing was saved"_s, command);
        return ExitUsage;
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(secret, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty()) {
        // Never echo what was read: it may be a secret with a typo.
        printUsageError(u"the secret on stdin is not base64 (Kraken shows the private key in "
                        u"base64); nothing was saved"_s,
                        command);
        return ExitUsage;
    }
    const Venue venue = parser.isSet(u"futures"_s) ? Venue::Futures : Venue::Spot;
    const Credentials credentials(key, secret);
    CredentialStore store;
    const KeychainStatus status = saveKeys(store, profile, venue, credentials, environment);
    if (!status.ok()) {
        printKeychainError(status);
        return exitCodeFor(status);
    }
    const QString what = venue == Venue::Futures && environment == kraken::FuturesEnvironment::Demo
                             ? u"Futures demo"_s
                             : venueTitle(venue);
    writeLine(stdout, u"Saved the %1 keys of profile '%2' (key %3) in the system keychain."_s.arg(
                          what, profile, credentials.redactedKey()));
    return ExitOk;
}

// Prints a key check's verdict and finishes with its exit code.
void finishWithVerdict(const kraken::KeyCheckVerdict &verdict,
                       const std::function<void(int)> &finish) {
    using K = kraken::KeyCheckVerdict::Kind;
    writeLine(verdict.ok ? stdout : stderr, verdict.toString());
    switch (verdict.kind) {
    case K::Ok:
        return finish(ExitOk);
    case K::Network:
        return finish(ExitNetwork);
    case K::NoKeys:
        return finish(ExitUsage);
    default:
        return finish(ExitKraken);
    }
}

// --futures-url, else $KRAKEN_FUTURES_URL: *url stays empty when neither is set (the profile's
// environment then decides). False after a usage error.
bool explicitFuturesUrl(const QCommandLineParser &parser, const QString &command, QUrl *url) {
    QString text = parser.value(u"futures-url"_s);
    if (text.isEmpty())
        text = qEnvironmentVariable("KRAKEN_FUTURES_URL");
    if (text.isEmpty())
        return true;
    const QUrl parsed(text, QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s) ||
        parsed.host().isEmpty()) {
        printUsageError(u"--futures-url '%1' is not an http(s) URL"_s.arg(text), command);
        return false;
    }
    *url = parsed;
    return true;
}

int runTest(const QStringList &arguments) {
    const QString command = u"keys test"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Checks API keys against Kraken and explains the answer: keys work, unknown key, "
        u"wrong secret, missing permission, nonce, rate limit, lockout or network. Spot keys "
        u"are tested with a Balance call; Futures keys (--futures) with /accounts, on the "
        u"environment (mainnet or demo) they were stored for.\n\n"
        u"PROFILE: keys from the system keychain; without it, KRAKEN_SPOT_API_KEY and "
        u"KRAKEN_SPOT_API_SECRET (KRAKEN_FUTURES_API_KEY and KRAKEN_FUTURES_API_SECRET with "
        u"--futures).\n\n"
        u"Exit codes: 0 keys work, 1 Kraken rejected them, 2 usage, 3 network error or "
        u"timeout, 4 keychain unavailable, 5 no keys stored for PROFILE, 6 keychain error."_s);
    parser.addPositionalArgument(u"PROFILE"_s, u"The profile to test (optional)."_s,
                                 u"[PROFILE]"_s);
    const QCommandLineOption futuresUrlOpt(
        u"futures-url"_s,
        u"Kraken Futures REST base URL (default: the profile's environment, "
        u"https://futures.kraken.com/derivatives/api/v3 or demo-futures; or "
        u"$KRAKEN_FUTURES_URL)."_s,
        u"URL"_s);
    parser.addOptions({futuresOption(), spotUrlOption(), futuresUrlOpt, timeoutOption()});
    int exitCode = ExitOk;
    QString profile;
    if (!parse(parser, arguments, command, &exitCode) ||
        !takeProfile(parser, command, false, &profile, &exitCode))
        return exitCode;
    const Venue venue = parser.isSet(u"futures"_s) ? Venue::Futures : Venue::Spot;
    const auto settings = commonSettings(parser, command);
    QUrl futuresUrl;
    if (!settings || !explicitFuturesUrl(parser, command, &futuresUrl))
        return ExitUsage;

    std::optional<Credentials> credentials;
    auto environment = kraken::FuturesEnvironment::Mainnet;
    if (profile.isEmpty()) {
        credentials = kraken::keychain::CredentialResolver::fromEnvironment(venue);
        if (!credentials) {
            printUsageError(venue == Venue::Futures
                                ? u"name a PROFILE, or set KRAKEN_FUTURES_API_KEY and "
                                  u"KRAKEN_FUTURES_API_SECRET"_s
                                : u"name a PROFILE, or set KRAKEN_SPOT_API_KEY and "
                                  u"KRAKEN_SPOT_API_SECRET"_s,
                            command);
            return ExitUsage;
        }
    } else {
        CredentialStore store;
        Credentials loaded;
        KeychainStatus status = loadKeys(store, profile, venue, &loaded);
        ProfileIndex index;
        if (status.ok() && venue == Venue::Futures)
            status = listProfiles(store, &index);
        if (!status.ok()) {
            printKeychainError(status);
            return exitCodeFor(status);
        }
        credentials = loaded;
        environment = index.futuresEnvironment(profile);
    }

    if (venue == Venue::Futures) {
        kraken::futures::FuturesRestConfig config;
        config.baseUrl = futuresUrl.isEmpty()
                             ? kraken::futures::FuturesEndpoints::of(environment).rest
                             : futuresUrl;
        config.timeoutMs = settings->config.timeoutMs;
        kraken::futures::FuturesRestClient client(config);
        client.setCredentials(credentials);
        return runUntilDone(settings->timeoutMs, [&](std::function<void(int)> finish) {
            kraken::futures::runFuturesKeyCheck(
                &client, &client,
                [finish](const kraken::KeyCheckVerdict &v) { finishWithVerdict(v, finish); });
        });
    }
    kraken::spot::RestClient client(settings->config);
    client.setCredentials(credentials);
    return runUntilDone(settings->timeoutMs, [&](std::function<void(int)> finish) {
        kraken::spot::runKeyCheck(&client, &client, [finish](const kraken::KeyCheckVerdict &v) {
            finishWithVerdict(v, finish);
        });
    });
}

int runDelete(const QStringList &arguments) {
    const QString command = u"keys delete"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Deletes a profile's keys from the system keychain: both venues, or only --spot or "
        u"--futures.\n\n"
        u"Exit codes: 0 deleted, 2 usage, 4 keychain unavailable, 5 nothing stored for "
        u"PROFILE, 6 keychain error."_s);
    parser.addPositionalArgument(u"PROFILE"_s, u"The profile to delete."_s);
    const QCommandLineOption spotOpt(u"spot"_s, u"Only the Spot keys."_s);
    parser.addOptions({spotOpt, QCommandLineOption(u"futures"_s, u"Only the Futures keys."_s)});
    int exitCode = ExitOk;
    QString profile;
    if (!parse(parser, arguments, command, &exitCode) ||
        !takeProfile(parser, command, true, &profile, &exitCode))
        return exitCode;
    if (parser.isSet(spotOpt) && parser.isSet(u"futures"_s)) {
        printUsageError(u"--spot and --futures exclude each other (give neither for both)"_s,
                        command);
        return ExitUsage;
    }
    std::optional<Venue> venue;
    if (parser.isSet(spotOpt))
        venue = Venue::Spot;
    if (parser.isSet(u"futures"_s))
        venue = Venue::Futures;
    CredentialStore store;
    const KeychainStatus status = removeKeys(store, profile, venue);
    if (!status.ok()) {
        printKeychainError(status);
        return exitCodeFor(status);
    }
    writeLine(stdout,
              venue ? u"Deleted the %1 keys of profile '%2'."_s.arg(venueTitle(*venue), profile)
                    : u"Deleted the keys of profile '%1'."_s.arg(profile));
    return ExitOk;
}

int runList(const QStringList &arguments) {
    const QString command = u"keys list"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Lists the profiles with keys in the system keychain, one a line: NAME, a tab, and "
        u"the venues (spot, futures). Never keys or secrets.\n\n"
        u"Exit codes: 0 ok (also when there are none), 2 usage, 4 keychain unavailable, "
        u"6 keychain error."_s);
    int exitCode = ExitOk;
    if (!parse(parser, arguments, command, &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        printUsageError(u"keys list takes no arguments"_s, command);
        return ExitUsage;
    }
    CredentialStore store;
    ProfileIndex index;
    const KeychainStatus status = listProfiles(store, &index);
    if (!status.ok()) {
        printKeychainError(status);
        return exitCodeFor(status);
    }
    for (const QString &profile : index.profiles()) {
        QStringList venues;
        for (Venue v : index.venues(profile)) {
            const bool demo = v == Venue::Futures &&
                              index.futuresEnvironment(profile) == kraken::FuturesEnvironment::Demo;
            venues << (demo ? venueId(v) + u":demo"_s : venueId(v));
        }
        writeLine(stdout, profile + u'\t' + venues.join(u','));
    }
    return ExitOk;
}

} // namespace

int runKeysCommand(const QStringList &arguments) {
    const QString sub = arguments.value(1);
    if (sub.isEmpty()) {
        std::fputs(Usage, stderr);
        return ExitUsage;
    }
    if (sub == u"--help"_s || sub == u"-h"_s || sub == u"help"_s) {
        std::fputs(Usage, stdout);
        return ExitOk;
    }
    QStringList rest = arguments;
    rest.removeAt(1);
    rest[0] = u"krakenterm-cli keys "_s + sub;
    if (sub == u"set"_s)
        return runSet(rest);
    if (sub == u"test"_s)
        return runTest(rest);
    if (sub == u"delete"_s)
        return runDelete(rest);
    if (sub == u"list"_s)
        return runList(rest);
    printUsageError(u"unknown keys subcommand '%1'"_s.arg(sub), u"keys"_s);
    return ExitUsage;
}

} // namespace app::cli
