#include "profileindex.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kraken::keychain {

ProfileIndex ProfileIndex::fromJson(const QByteArray &json, bool *ok) {
    ProfileIndex index;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const bool valid = doc.isObject() && doc.object().value(u"profiles"_s).isObject();
    if (ok)
        *ok = valid;
    if (!valid)
        return index;
    const QJsonObject profiles = doc.object().value(u"profiles"_s).toObject();
    for (auto it = profiles.begin(); it != profiles.end(); ++it) {
        for (const QJsonValue &v : it.value().toArray()) {
            if (const auto venue = venueFromId(v.toString()))
                index.add(it.key(), *venue);
        }
    }
    const QJsonObject environments = doc.object().value(u"futuresEnvironments"_s).toObject();
    for (auto it = environments.begin(); it != environments.end(); ++it) {
        if (const auto env = futuresEnvironmentFromId(it.value().toString());
            env && index.contains(it.key(), Venue::Futures))
            index.setFuturesEnvironment(it.key(), *env);
    }
    return index;
}

QByteArray ProfileIndex::toJson() const {
    QJsonObject profiles;
    for (auto it = m_profiles.begin(); it != m_profiles.end(); ++it) {
        QJsonArray venues;
        for (Venue v : it.value())
            venues.append(venueId(v));
        profiles.insert(it.key(), venues);
    }
    QJsonObject root{{u"version"_s, 1}, {u"profiles"_s, profiles}};
    QJsonObject environments;
    for (auto it = m_futuresEnvironments.begin(); it != m_futuresEnvironments.end(); ++it)
        environments.insert(it.key(), futuresEnvironmentId(it.value()));
    if (!environments.isEmpty())
        root.insert(u"futuresEnvironments"_s, environments);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QStringList ProfileIndex::profiles() const {
    return m_profiles.keys();
}

QList<Venue> ProfileIndex::venues(const QString &profile) const {
    return m_profiles.value(profile);
}

bool ProfileIndex::contains(const QString &profile, Venue venue) const {
    return m_profiles.value(profile).contains(venue);
}

void ProfileIndex::add(const QString &profile, Venue venue) {
    QList<Venue> &venues = m_profiles[profile];
    if (!venues.contains(venue)) {
        venues.append(venue);
        std::sort(venues.begin(), venues.end());
    }
}

void ProfileIndex::remove(const QString &profile, Venue venue) {
    auto it = m_profiles.find(profile);
    if (it == m_profiles.end())
        return;
    it->removeAll(venue);
    if (venue == Venue::Futures)
        m_futuresEnvironments.remove(profile);
    if (it->isEmpty())
        m_profiles.erase(it);
}

void ProfileIndex::removeProfile(const QString &profile) {
    m_profiles.remove(profile);
    m_futuresEnvironments.remove(profile);
}

FuturesEnvironment ProfileIndex::futuresEnvironment(const QString &profile) const {
    return m_futuresEnvironments.value(profile, FuturesEnvironment::Mainnet);
}

void ProfileIndex::setFuturesEnvironment(const QString &profile, FuturesEnvironment environment) {
    if (environment == FuturesEnvironment::Mainnet)
        m_futuresEnvironments.remove(profile);
    else
        m_futuresEnvironments.insert(profile, environment);
}

} // namespace kraken::keychain
