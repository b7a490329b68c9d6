#pragma once

// Interpreting one HTTP answer from Kraken Futures: transport outcome, HTTP status and body
// become either the parsed answer or an Error. Futures answers say
// {"result":"success", ...payload} or {"result":"error","error":"<code>"} (sometimes an `errors`
// array); the charts and history APIs send bare JSON without `result`. The shared part
// (timeout, HTTP status, HTML pages, invalid JSON) is kraken::classifyHttpOutcome(); this reads
// the Futures envelope in between. Pure functions.

#include "jsonnode.h"
#include "kraken/core/httpoutcome.h"

namespace kraken::futures {

using FuturesHttpOutcome = kraken::HttpOutcome;

struct FuturesEnvelope {
    Error error;
    JsonNode root; // the whole answer on success
};

// `requireResult`: the v3 API's answers must carry "result"; charts/history ones need not.
FuturesEnvelope interpretFuturesResponse(const FuturesHttpOutcome &outcome, bool requireResult);

// How messages name Futures: "Kraken Futures".
const HttpVenueText &futuresVenue();

} // namespace kraken::futures
