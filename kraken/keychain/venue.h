#pragma once

// Venue: which Kraken API a key pair belongs to. Spot and Futures keys are separate on Kraken
// (different sites, different secrets), so a profile holds one pair per venue.

#include <QString>

#include <optional>

namespace kraken::keychain {

enum class Venue { Spot, Futures };

// "spot" / "futures": the spelling in keychain entry names, the index and the CLI.
QString venueId(Venue venue);
std::optional<Venue> venueFromId(QStringView id);
// "Spot" / "Futures": for messages.
QString venueTitle(Venue venue);

} // namespace kraken::keychain
