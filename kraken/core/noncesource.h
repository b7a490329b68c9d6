#pragma once

// NonceSource: Spot REST nonces for one API key, strictly increasing across threads and
// across restarts of the process. The value is milliseconds since the epoch (what most
// Kraken tools send, so a key shared with them keeps working), bumped to last+1 when calls
// come faster than the clock or the clock steps back.
//
// Restarts: before handing out a nonce above the persisted high-water mark, the source
// reserves a block ahead (ReserveAheadMs) in a small state file, so a new process starts
// above anything an earlier one could have sent, even after a crash, with one file write
// per minute rather than per call. Thread-safe; next() may be called from any thread.

#include <QString>

#include <cstdint>
#include <functional>
#include <mutex>

namespace kraken {

class NonceSource {
public:
    using Clock = std::function<std::int64_t()>; // milliseconds since the epoch
    static constexpr std::int64_t ReserveAheadMs = 60'000;

    // stateFile empty: in-memory only (monotonic within this process).
    explicit NonceSource(QString stateFile = {}, Clock clock = {});

    std::uint64_t next();
    std::uint64_t last() const;
    // Last problem writing the state file (empty if none). Nonces stay monotonic in-process.
    QString persistError() const;

    // <AppDataLocation>/nonce/<first 16 hex of SHA-256(apiKey)>: the key itself never
    // appears on disk.
    static QString defaultStateFile(const QString &apiKey);

private:
    void reserveBeyond(std::uint64_t value);

    QString m_stateFile;
    Clock m_clock;
    mutable std::mutex m_mutex;
    std::uint64_t m_last = 0;
    std::uint64_t m_reservedUpTo = 0;
    QString m_persistError;
};

} // namespace kraken
