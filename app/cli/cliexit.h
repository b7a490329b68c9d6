#pragma once

// The CLI's exit codes, a contract with shell scripts, and the one place errors are printed.

#include "kraken/core/error.h"

#include <QString>

namespace app::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitKraken = 1,  // Kraken error string, HTTP error, unparsable answer, auth, rate limit
    ExitUsage = 2,   // bad arguments or missing configuration
    ExitNetwork = 3, // network failure or timeout
    // The keychain (keys, --profile): see profilecredentials.h.
    ExitKeychainUnavailable = 4, // no keychain service reachable, or it is locked
    ExitNotFound = 5,            // no keys stored for that profile (and venue)
    ExitKeychain = 6,            // the keychain failed otherwise, or an entry is damaged
};

ExitCode exitCodeFor(const kraken::Error &error);
// Prints Kraken's raw error strings one per line (greppable), then one readable line.
void printError(const kraken::Error &error);
void printUsageError(const QString &message, const QString &command);

} // namespace app::cli
