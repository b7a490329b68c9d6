#include "credentialresolver.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace kraken::keychain {

CredentialResolver::CredentialResolver(CredentialStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store) {}

void CredentialResolver::setSessionCredentials(const QString &profile, Venue venue,
                                               const Credentials &c) {
    m_session.insert(CredentialStore::entryKey(profile, venue), c);
}

void CredentialResolver::clearSessionCredentials(const QString &profile) {
    for (Venue v : {Venue::Spot, Venue::Futures})
        m_session.remove(CredentialStore::entryKey(profile, v));
}

bool CredentialResolver::hasSessionCredentials(const QString &profile, Venue venue) const {
    return m_session.contains(CredentialStore::entryKey(profile, venue));
}

void CredentialResolver::setEnvironmentFallback(bool enabled) {
    m_environmentFallback = enabled;
}

bool CredentialResolver::environmentFallback() const {
    return m_environmentFallback;
}

std::optional<Credentials> CredentialResolver::fromEnvironment(Venue venue) {
    return venue == Venue::Spot
               ? Credentials::fromEnvironment("KRAKEN_SPOT_API_KEY", "KRAKEN_SPOT_API_SECRET")
               : Credentials::fromEnvironment("KRAKEN_FUTURES_API_KEY",
                                              "KRAKEN_FUTURES_API_SECRET");
}

QString CredentialResolver::sourceName(Source source) {
    switch (source) {
    case Source::None:
        return u"none"_s;
    case Source::Session:
        return u"session"_s;
    case Source::Keychain:
        return u"keychain"_s;
    case Source::Environment:
        return u"environment"_s;
    }
    return {};
}

void CredentialResolver::resolve(const QString &profile, Venue venue, const QObject *context,
                                 ResolveCallback done) {
    const QPointer<const QObject> ctx(context ? context : this);
    auto deliverLater = [ctx, done](Resolution r) {
        QTimer::singleShot(0, ctx.data(), [ctx, done, r] {
            if (ctx)
                done(r);
        });
    };
    auto environment = [venue](KeychainStatus status) {
        Resolution r;
        r.status = std::move(status);
        if ((r.credentials = fromEnvironment(venue)))
            r.source = Source::Environment;
        return r;
    };
    if (profile.isEmpty())
        return deliverLater(environment(KeychainStatus::success()));
    if (const auto it = m_session.constFind(CredentialStore::entryKey(profile, venue));
        it != m_session.constEnd())
        return deliverLater(Resolution{*it, Source::Session, KeychainStatus::success()});
    if (!m_store) {
        Resolution r;
        r.status = KeychainStatus::unavailable(u"this program runs without a keychain"_s);
        if (m_environmentFallback)
            r = environment(r.status);
        return deliverLater(r);
    }
    m_store->load(profile, venue, ctx.data(),
                  [fallback = m_environmentFallback, done,
                   environment](const KeychainStatus &status, const Credentials &c) {
                      if (status.ok())
                          return done(Resolution{c, Source::Keychain, status});
                      if (fallback && status.code != KeychainStatus::Code::Failed)
                          return done(environment(status));
                      done(Resolution{std::nullopt, Source::None, status});
                  });
}

} // namespace kraken::keychain
