#pragma once

#include <QLoggingCategory>

namespace kraken::sim {
Q_DECLARE_LOGGING_CATEGORY(lcSim) // "kraken.sim"
}
