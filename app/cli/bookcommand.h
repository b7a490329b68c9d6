#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli book SYMBOL [--depth D] [--ws-url URL]`: a live top-of-book view;
// `krakenterm-cli book replay FILE [...]`: a recorded capture through the book engine.
int runBookCommand(const QStringList &arguments);

} // namespace app::cli
