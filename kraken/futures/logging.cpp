#include "logging.h"

namespace kraken::futures {
Q_LOGGING_CATEGORY(lcFuturesRest, "kraken.futures.rest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFuturesWs, "kraken.futures.ws", QtInfoMsg)
} // namespace kraken::futures
