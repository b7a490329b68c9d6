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
    return QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"profiles"_s, profiles}})
        .toJson(QJsonDocument::Compact);
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
    if (it->isEmpty())
        m_profiles.erase(it);
}

void ProfileIndex::removeProfile(const QString &profile) {
    m_profiles.remove(profile);
}

} // namespace kraken::keychain
