#include "logging.h"

namespace kraken::spot {
Q_LOGGING_CATEGORY(lcRest, "kraken.rest", QtInfoMsg)
}

namespace kraken::spot {
Q_LOGGING_CATEGORY(lcWs, "kraken.ws", QtInfoMsg)
}

namespace kraken::spot {
Q_LOGGING_CATEGORY(lcWsAuth, "kraken.ws.auth", QtInfoMsg)
}
