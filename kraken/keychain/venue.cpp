#include "venue.h"

using namespace Qt::StringLiterals;

namespace kraken::keychain {

QString venueId(Venue venue) {
    return venue == Venue::Spot ? u"spot"_s : u"futures"_s;
}

std::optional<Venue> venueFromId(QStringView id) {
    if (id == u"spot")
        return Venue::Spot;
    if (id == u"futures")
        return Venue::Futures;
    return std::nullopt;
}

QString venueTitle(Venue venue) {
    return venue == Venue::Spot ? u"Spot"_s : u"Futures"_s;
}

} // namespace kraken::keychain
