#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli keys set|test|delete|list ...`: API keys in the system keychain.
int runKeysCommand(const QStringList &arguments);

} // namespace app::cli
