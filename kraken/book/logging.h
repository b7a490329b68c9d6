#pragma once

#include <QLoggingCategory>

namespace kraken::book {
Q_DECLARE_LOGGING_CATEGORY(lcBook) // "kraken.book"
}
