#pragma once

// Kraken's asset naming: REST uses legacy codes (XXBT, ZUSD, XETH, XXDG) and XBT/XDG; the
// terminal shows BTC and DOGE like WS v2 does. Pure functions.

#include <QString>

namespace kraken {

// "XXBT" -> "BTC", "ZUSD" -> "USD", "XBT" -> "BTC", "XDG" -> "DOGE", "SOL" -> "SOL".
QString normaliseAsset(const QString &code);

} // namespace kraken
