#include "resttypes.h"

namespace kraken::spot {

Decimal ExtendedBalance::available() const {
    // Overflow is impossible for real balances; fall back to the plain balance if it happens.
    auto v = balance.plus(credit);
    if (v)
        v = v->minus(creditUsed);
    if (v)
        v = v->minus(holdTrade);
    return v.value_or(balance);
}

} // namespace kraken::spot
