#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli instruments [--spot-url URL] [--json] [FILTER]`
int runInstrumentsCommand(const QStringList &arguments);

} // namespace app::cli
