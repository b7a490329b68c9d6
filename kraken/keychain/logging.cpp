#include "logging.h"

namespace kraken::keychain {
Q_LOGGING_CATEGORY(lcKeychain, "kraken.keychain", QtInfoMsg)
}
