#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli stream CHANNEL SYMBOL... [--depth D] [--interval M]`: JSONL events.
int runStreamCommand(const QStringList &arguments);
// `krakenterm-cli record FILE CHANNEL SYMBOL...`: raw frames, one per line.
int runRecordCommand(const QStringList &arguments);

} // namespace app::cli
