#pragma once

// CredentialStore: API keys in the operating system's keychain through QtKeychain (the
// Secret Service on Linux: gnome-keyring, KWallet; Keychain on macOS; Credential Manager on
// Windows). One entry per (profile, venue) under the service "KrakenTerm" holds the key and
// the secret together, so they can never get out of step; QtKeychain's plaintext fallback is
// always off: when no keychain is reachable the caller is told so (KeychainStatus::Unavailable)
// and nothing is written anywhere else.
//
// The profile index (names and venues only) is one more entry of the same service, not a
// QSettings value: it then lives and dies with the secrets it describes (a wiped, restored or
// copied keyring never disagrees with a settings file left behind), and QSettings stays free
// of anything about credentials. The price: listing needs the keychain too, which is no loss,
// since without it the profiles cannot be used anyway.
//
// Asynchronous: each call returns at once and later runs `done` on the store's thread, from
// the event loop, unless `context` was destroyed first. Calls run one after another in the
// order made, so a save and a list never race over the index. A keychain that does not answer
// within timeout() (a wallet waiting on an unlock prompt nobody sees) counts as unavailable.
//
// Thread: the thread whose event loop dispatches GLib sources (the main thread with Qt's
// default event dispatcher), since libsecret answers there.

#include "keychainstatus.h"
#include "kraken/core/credentials.h"
#include "profileindex.h"
#include "venue.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace kraken::keychain {

class CredentialStore : public QObject {
    Q_OBJECT
public:
    using StatusCallback = std::function<void(const KeychainStatus &status)>;
    using LoadCallback =
        std::function<void(const KeychainStatus &status, const Credentials &credentials)>;
    using ListCallback = std::function<void(const KeychainStatus &status, const ProfileIndex &)>;

    static QString defaultService(); // "KrakenTerm"

    explicit CredentialStore(QObject *parent = nullptr);
    // Another service name keeps tests' entries apart from a developer's real keys.
    explicit CredentialStore(QString service, QObject *parent = nullptr);
    ~CredentialStore() override;

    QString service() const;
    int timeoutMs() const;
    void setTimeoutMs(int ms);

    // Stores (or replaces) the pair and records the profile in the index. The credentials
    // must be valid and the profile name acceptable (isValidProfileName), else Failed.
    // Futures keys belong to one environment (mainnet or demo), recorded in the index with
    // them; `environment` is ignored for Spot.
    void save(const QString &profile, Venue venue, const Credentials &credentials,
              const QObject *context, StatusCallback done,
              FuturesEnvironment environment = FuturesEnvironment::Mainnet);
    // Ok with the credentials, NotFound, Unavailable or Failed (damaged entry).
    void load(const QString &profile, Venue venue, const QObject *context, LoadCallback done);
    // Deletes one venue's pair, or every venue's when venue is nullopt; NotFound when the
    // profile had nothing stored for it.
    void remove(const QString &profile, std::optional<Venue> venue, const QObject *context,
                StatusCallback done);
    // The profile index: names and venues, never secrets. An empty index when nothing is
    // stored yet.
    void listProfiles(const QObject *context, ListCallback done);

    // 1 to 64 characters: letters, digits, '.', '_', '-' (they end up in entry names and on
    // command lines).
    static bool isValidProfileName(QStringView name);
    static QString profileNameRule();
    // The keychain entry ("user" in Secret Service terms) for a profile's pair.
    static QString entryKey(const QString &profile, Venue venue);
    static QString indexKey();

Q_SIGNALS:
    // The index changed (a profile or venue saved or removed).
    void profilesChanged();
    // An operation found the keychain out of reach; the message names the fallbacks.
    void unavailable(const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kraken::keychain
