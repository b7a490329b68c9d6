#pragma once

// The logging categories of the Futures clients.

#include <QLoggingCategory>

namespace kraken::futures {
Q_DECLARE_LOGGING_CATEGORY(lcFuturesRest) // "kraken.futures.rest"
Q_DECLARE_LOGGING_CATEGORY(lcFuturesWs)   // "kraken.futures.ws"
} // namespace kraken::futures
