#pragma once

// Call<T>: the Spot REST client's typed asynchronous result (kraken/core/call.h); its parser
// reads Kraken's `result` as a QJsonValue.

#include "kraken/core/call.h"
#include "restreply.h"

namespace kraken::spot {

template<class T> using Call = BasicCall<T, RestReply>;

} // namespace kraken::spot
