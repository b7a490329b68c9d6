#include "keychainstatus.h"

using namespace Qt::StringLiterals;

namespace kraken::keychain {

KeychainStatus KeychainStatus::notFound(const QString &profile) {
    return {Code::NotFound, u"No API keys are stored for profile '%1'."_s.arg(profile)};
}

KeychainStatus KeychainStatus::notFound(const QString &profile, Venue venue) {
    return {Code::NotFound,
            u"No %1 API keys are stored for profile '%2'."_s.arg(venueTitle(venue), profile)};
}

KeychainStatus KeychainStatus::unavailable(const QString &why) {
    return {Code::Unavailable,
            u"The system keychain is not available (%1), so API keys cannot be saved or read "
            u"from it. %2"_s.arg(why, fallbacks())};
}

KeychainStatus KeychainStatus::failed(const QString &message) {
    return {Code::Failed, message};
}

QString KeychainStatus::fallbacks() {
    return u"You can still trade: set KRAKEN_SPOT_API_KEY and KRAKEN_SPOT_API_SECRET (or "
           u"KRAKEN_FUTURES_API_KEY and KRAKEN_FUTURES_API_SECRET) in the environment, or enter "
           u"the keys in the terminal and keep them in memory for this session only. KrakenTerm "
           u"never writes keys to a plain file."_s;
}

QString KeychainStatus::codeName(Code code) {
    switch (code) {
    case Code::Ok:
        return u"ok"_s;
    case Code::NotFound:
        return u"not found"_s;
    case Code::Unavailable:
        return u"keychain unavailable"_s;
    case Code::Failed:
        return u"keychain error"_s;
    }
    return {};
}

} // namespace kraken::keychain
