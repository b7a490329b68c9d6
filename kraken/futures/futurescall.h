#pragma once

// FuturesCall<T>: the Futures REST client's typed asynchronous result (kraken/core/call.h),
// the same contract as Spot's Call<T>; its parser reads the JsonNode tree (exact number text).

#include "futuresreply.h"
#include "kraken/core/call.h"

namespace kraken::futures {

template<class T> using FuturesCall = BasicCall<T, FuturesReply>;

} // namespace kraken::futures
