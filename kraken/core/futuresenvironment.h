#pragma once

// FuturesEnvironment: which Kraken Futures a profile's Futures keys belong to. Kraken's demo
// environment (demo-futures.kraken.com) is a separate venue with its own accounts and keys:
// demo keys never work on mainnet and the other way round, so the environment is kept with
// the keys (kraken::keychain::ProfileIndex) and chooses the URLs (kraken::futures endpoints).

#include <QString>

#include <optional>

namespace kraken {

enum class FuturesEnvironment { Mainnet, Demo };

// "mainnet" / "demo": the spelling in the profile index and on the command line.
QString futuresEnvironmentId(FuturesEnvironment environment);
std::optional<FuturesEnvironment> futuresEnvironmentFromId(QStringView id);

} // namespace kraken
