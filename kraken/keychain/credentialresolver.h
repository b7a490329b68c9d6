#pragma once

// CredentialResolver: where a profile's keys come from. Without a profile: the environment
// (KRAKEN_SPOT_API_KEY / KRAKEN_SPOT_API_SECRET, or the FUTURES pair), as scripts expect.
// With a profile: keys the trader entered "for this session only" (held in memory, never
// written), else the keychain entry. A profile whose keys cannot be found does not silently
// fall back to the environment unless asked (setEnvironmentFallback): signing with another
// account's keys than the one the trader picked is worse than failing.
//
// Thread: CredentialStore's (the main thread); resolve() answers from the event loop.

#include "credentialstore.h"
#include "keychainstatus.h"
#include "kraken/core/credentials.h"
#include "venue.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace kraken::keychain {

class CredentialResolver : public QObject {
    Q_OBJECT
public:
    enum class Source { None, Session, Keychain, Environment };

    struct Resolution {
        std::optional<Credentials> credentials; // nullopt: none found, see status
        Source source = Source::None;
        KeychainStatus status; // the keychain's answer when it was asked
    };
    using ResolveCallback = std::function<void(const Resolution &)>;

    // store may be nullptr: profiles then resolve from session keys only.
    explicit CredentialResolver(CredentialStore *store, QObject *parent = nullptr);

    // Keys held in memory for this run only (the GUI's "use for this session only", when the
    // keychain is out of reach). They take precedence over the keychain for that profile.
    void setSessionCredentials(const QString &profile, Venue venue, const Credentials &c);
    void clearSessionCredentials(const QString &profile);
    bool hasSessionCredentials(const QString &profile, Venue venue) const;

    // When a named profile has no keys (not stored, or the keychain is unavailable), use the
    // environment variables instead. Off by default.
    void setEnvironmentFallback(bool enabled);
    bool environmentFallback() const;

    void resolve(const QString &profile, Venue venue, const QObject *context, ResolveCallback done);

    static std::optional<Credentials> fromEnvironment(Venue venue);
    static QString sourceName(Source source); // "session", "keychain", "environment", "none"

private:
    QPointer<CredentialStore> m_store;
    QHash<QString, Credentials> m_session; // by CredentialStore::entryKey
    bool m_environmentFallback = false;
};

} // namespace kraken::keychain
