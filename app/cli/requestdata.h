#pragma once

// RequestData: what `--data` turns into. A JSON object of scalars becomes form parameters
// in the order written (numbers keep their exact text); an object with nested arrays or
// objects is sent as a JSON body, byte for byte as given; anything else is read as a form
// string "a=1&b=2".

#include "kraken/spot/preparedrequest.h"

#include <QString>

#include <optional>

namespace app::cli {

struct RequestData {
    kraken::spot::Params params;
    QByteArray jsonBody; // non-empty: send as application/json

    // Empty text gives empty data. Malformed JSON gives nullopt and sets `error`.
    static std::optional<RequestData> parse(const QByteArray &text, QString *error);
};

} // namespace app::cli
