#pragma once

// VerifiedBook: one symbol's order book fed by WS v2 book entries under Kraken's rules, the
// one place those rules live for the live client and the replay alike. A snapshot (re)creates
// the book at the instrument's precisions and the subscribed depth; updates before a snapshot
// are skipped; a level the precision cannot hold, a crossed book or a checksum mismatch voids
// the book until the next snapshot. Not thread-safe: owned by the feed thread.

#include "kraken/book/orderbook.h"
#include "wsmessages.h"

#include <QString>

#include <cstdint>
#include <memory>

namespace kraken::spot {

class VerifiedBook {
public:
    enum class Outcome {
        Applied,
        AwaitingSnapshot, // an update while the book is void: skipped, nothing changed
        NoPrecision,      // a snapshot for a symbol whose precisions are unknown (negative)
        BadPrecision,
        Crossed,
        ChecksumMismatch,
    };

    // `symbol`, `depth` and the precisions are used when a snapshot (re)creates the book.
    Outcome apply(const ws::BookEntry &entry, bool snapshot, const QString &symbol, int depth,
                  int pricePrecision, int qtyPrecision, bool verifyChecksum = true);
    // Voids the book until the next snapshot (a dropped connection, a resync request).
    void invalidate();

    bool isValid() const { return m_book && !m_awaitingSnapshot; }
    bool hasBook() const { return m_book != nullptr; }
    const book::OrderBook *book() const { return m_book.get(); }
    // Our checksum from the last ChecksumMismatch, for the message.
    std::uint32_t lastComputedChecksum() const { return m_lastChecksum; }
    // A readable reason for a failure outcome.
    static QString describe(Outcome outcome, const ws::BookEntry &entry, std::uint32_t ours);

private:
    Outcome fail(Outcome outcome);

    std::unique_ptr<book::OrderBook> m_book;
    bool m_awaitingSnapshot = true;
    std::uint32_t m_lastChecksum = 0;
};

} // namespace kraken::spot
