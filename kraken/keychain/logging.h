#pragma once

#include <QLoggingCategory>

namespace kraken::keychain {
Q_DECLARE_LOGGING_CATEGORY(lcKeychain) // "kraken.keychain"
}
