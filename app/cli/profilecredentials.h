#pragma once

// The CLI's side of the keychain: blocking wrappers over CredentialStore (a command does its
// keychain step, then its work), --profile, and the exit codes and messages for keychain
// outcomes. Main thread only (the store answers on the GLib main context).

#include "cliexit.h"
#include "kraken/core/credentials.h"
#include "kraken/keychain/credentialstore.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace app::cli {

QCommandLineOption profileOption();

ExitCode exitCodeFor(const kraken::keychain::KeychainStatus &status);
// "krakenterm-cli: <status name>: <message>" on stderr.
void printKeychainError(const kraken::keychain::KeychainStatus &status);

// Blocking wrappers: run a nested event loop until the store answers.
kraken::keychain::KeychainStatus
saveKeys(kraken::keychain::CredentialStore &store, const QString &profile,
         kraken::keychain::Venue venue, const kraken::Credentials &credentials,
         kraken::FuturesEnvironment environment = kraken::FuturesEnvironment::Mainnet);
kraken::keychain::KeychainStatus loadKeys(kraken::keychain::CredentialStore &store,
                                          const QString &profile, kraken::keychain::Venue venue,
                                          kraken::Credentials *credentials);
kraken::keychain::KeychainStatus removeKeys(kraken::keychain::CredentialStore &store,
                                            const QString &profile,
                                            std::optional<kraken::keychain::Venue> venue);
kraken::keychain::KeychainStatus listProfiles(kraken::keychain::CredentialStore &store,
                                              kraken::keychain::ProfileIndex *index);

// The credentials a command signs with: the keychain entry of --profile NAME when given,
// else the environment variables. nullopt after printing why, with *exitCode set (usage when
// nothing is configured, the keychain codes otherwise).
std::optional<kraken::Credentials> commandCredentials(const QCommandLineParser &parser,
                                                      kraken::keychain::Venue venue,
                                                      const QString &command, int *exitCode);

} // namespace app::cli
