#include "logging.h"

namespace kraken::sim {
Q_LOGGING_CATEGORY(lcSim, "kraken.sim")
}
