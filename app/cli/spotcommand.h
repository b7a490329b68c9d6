#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli spot [-X GET|POST] PATH [--data DATA] [--dry-run] [--nonce N] ...`
int runSpotCommand(const QStringList &arguments);

} // namespace app::cli
