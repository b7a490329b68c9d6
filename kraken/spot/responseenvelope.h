#pragma once

// Interpreting one HTTP answer from Kraken's Spot REST API: transport outcome, HTTP status and
// body become either Kraken's `result` or an Error. The shared part (timeout, HTTP status,
// HTML pages, invalid JSON) is kraken::classifyHttpOutcome(); this reads Kraken's
// {error, result} envelope in between. Pure functions.

#include "kraken/core/httpoutcome.h"

#include <QJsonValue>
#include <QStringList>

namespace kraken::spot {

using kraken::HttpOutcome;
using kraken::neverReachedServer;

struct Envelope {
    Error error;
    QJsonValue result;
    QStringList warnings;
};

Envelope interpretResponse(const HttpOutcome &outcome);

// How messages name Spot: "Kraken".
const HttpVenueText &spotVenue();

} // namespace kraken::spot
