#pragma once

// ProfileIndex: which profiles have keys stored, and for which venues: names only, never a
// key or a secret. QtKeychain cannot enumerate entries, so CredentialStore keeps this index
// as one more keychain entry of its own (see credentialstore.h for why there and not in
// QSettings). A value type with its JSON form.

#include "kraken/core/futuresenvironment.h"
#include "venue.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QStringList>

namespace kraken::keychain {

class ProfileIndex {
public:
    // {"version":1,"profiles":{"main":["spot","futures"]},"futuresEnvironments":{"main":"demo"}}
    // (only non-mainnet environments are written). Unknown venues and environments are skipped;
    // text that is not such an object gives an empty index and *ok = false.
    static ProfileIndex fromJson(const QByteArray &json, bool *ok = nullptr);
    QByteArray toJson() const;

    QStringList profiles() const; // sorted
    QList<Venue> venues(const QString &profile) const;
    bool contains(const QString &profile) const { return m_profiles.contains(profile); }
    bool contains(const QString &profile, Venue venue) const;
    bool isEmpty() const { return m_profiles.isEmpty(); }

    void add(const QString &profile, Venue venue);
    // A profile left with no venue disappears.
    void remove(const QString &profile, Venue venue);
    void removeProfile(const QString &profile);

    // The environment the profile's Futures keys belong to: Mainnet unless set. Dropped with
    // the profile's Futures keys.
    FuturesEnvironment futuresEnvironment(const QString &profile) const;
    void setFuturesEnvironment(const QString &profile, FuturesEnvironment environment);

    friend bool operator==(const ProfileIndex &, const ProfileIndex &) = default;

private:
    QMap<QString, QList<Venue>> m_profiles;                  // venues kept sorted, Spot first
    QMap<QString, FuturesEnvironment> m_futuresEnvironments; // non-mainnet only
};

} // namespace kraken::keychain
