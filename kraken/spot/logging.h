#pragma once

#include <QLoggingCategory>

namespace kraken::spot {
Q_DECLARE_LOGGING_CATEGORY(lcRest) // "kraken.rest"
}

namespace kraken::spot {
Q_DECLARE_LOGGING_CATEGORY(lcWs) // "kraken.ws"
}

namespace kraken::spot {
Q_DECLARE_LOGGING_CATEGORY(lcWsAuth) // "kraken.ws.auth": the authenticated WS v2 connection
}
