#include "logging.h"

namespace kraken::book {
Q_LOGGING_CATEGORY(lcBook, "kraken.book", QtInfoMsg)
}
