#pragma once

#include <QStringList>

namespace app::cli {

// `krakenterm-cli sim [--port P] [--seed S] [--config FILE] [--state FILE] [--fault N=V]...`:
// runs the paper exchange on 127.0.0.1 until interrupted.
int runSimCommand(const QStringList &arguments);

} // namespace app::cli
