#include "futuresenvironment.h"

using namespace Qt::StringLiterals;

namespace kraken {

QString futuresEnvironmentId(FuturesEnvironment environment) {
    return environment == FuturesEnvironment::Demo ? u"demo"_s : u"mainnet"_s;
}

std::optional<FuturesEnvironment> futuresEnvironmentFromId(QStringView id) {
    if (id.compare(u"mainnet", Qt::CaseInsensitive) == 0)
        return FuturesEnvironment::Mainnet;
    if (id.compare(u"demo", Qt::CaseInsensitive) == 0)
        return FuturesEnvironment::Demo;
    return std::nullopt;
}

} // namespace kraken
