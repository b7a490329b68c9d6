#pragma once

// KeychainStatus: the outcome of one keychain operation, in the four cases a caller must tell
// apart: done, nothing stored, no keychain reachable (headless box, no Secret Service, locked
// or refused wallet), and any other failure. The message is for a trader and never holds a
// secret. A value type.

#include "venue.h"

#include <QString>

namespace kraken::keychain {

struct KeychainStatus {
    enum class Code {
        Ok,          // done (saved, loaded, deleted, listed)
        NotFound,    // nothing stored under that profile (and venue)
        Unavailable, // no keychain service reachable, or it is locked / refused access
        Failed,      // the keychain answered with another error, or the entry is damaged
    };

    Code code = Code::Ok;
    QString message;

    bool ok() const { return code == Code::Ok; }
    bool isUnavailable() const { return code == Code::Unavailable; }

    static KeychainStatus success() { return {}; }
    static KeychainStatus notFound(const QString &profile);
    static KeychainStatus notFound(const QString &profile, Venue venue);
    // `why` names the cause ("no Secret Service on the session bus", "locked", ...); the
    // message adds the fallbacks, since a trader must know what still works.
    static KeychainStatus unavailable(const QString &why);
    static KeychainStatus failed(const QString &message);

    // What works without a keychain: the environment variables, or keys kept in memory for
    // this run only. Never a file.
    static QString fallbacks();
    static QString
    codeName(Code code); // "ok", "not found", "keychain unavailable", "keychain error"
};

} // namespace kraken::keychain
