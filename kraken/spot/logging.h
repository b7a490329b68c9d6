#pragma once

#include <QLoggingCategory>

namespace kraken::spot {
Q_DECLARE_LOGGING_CATEGORY(lcRest) // "kraken.rest"
}

namespace kraken::spot {
Q_DECLARE_LOGGING_CATEGORY(lcWs) // "kraken.ws"
}
