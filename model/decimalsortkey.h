#pragma once

// decimalSortKey: a Decimal as text whose plain string order is the numeric order
// ("9.5" < "10.25", "-2" < "-1.5" < "0"), for the SortRole of blotter columns. Any
// QSortFilterProxyModel sorts by it correctly without going through double, which would
// lose digits. Pure function; any thread.

#include "kraken/core/decimal.h"

#include <QString>

namespace model {

QString decimalSortKey(const kraken::Decimal &value);

} // namespace model
