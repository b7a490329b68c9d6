#pragma once

namespace app::cli {

// Makes Ctrl-C (SIGINT) and SIGTERM end the event loop cleanly with exit code 0, so streaming
// commands flush their output and close their connection.
void quitOnInterrupt();

} // namespace app::cli
