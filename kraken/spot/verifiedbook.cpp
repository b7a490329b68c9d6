#include "verifiedbook.h"

using namespace Qt::StringLiterals;

namespace kraken::spot {

VerifiedBook::Outcome VerifiedBook::apply(const ws::BookEntry &entry, bool snapshot,
                                          const QString &symbol, int depth, int pricePrecision,
                                          int qtyPrecision, bool verifyChecksum) {
    if (!snapshot && m_awaitingSnapshot)
        return Outcome::AwaitingSnapshot; // stale updates between a void and its snapshot
    if (snapshot) {
        if (pricePrecision < 0 || qtyPrecision < 0)
            return fail(Outcome::NoPrecision);
        if (!m_book || m_book->pricePrecision() != pricePrecision ||
            m_book->qtyPrecision() != qtyPrecision || m_book->depth() != depth)
            m_book = std::make_unique<book::OrderBook>(symbol, depth, pricePrecision, qtyPrecision);
    }
    const book::ApplyStatus status = snapshot ? m_book->applySnapshot(entry.bids, entry.asks)
                                              : m_book->applyUpdate(entry.bids, entry.asks);
    if (status == book::ApplyStatus::BadPrecision)
        return fail(Outcome::BadPrecision);
    if (status == book::ApplyStatus::Crossed)
        return fail(Outcome::Crossed);
    if (verifyChecksum && entry.hasChecksum) {
        m_lastChecksum = m_book->checksum();
        if (m_lastChecksum != entry.checksum)
            return fail(Outcome::ChecksumMismatch);
    }
    m_awaitingSnapshot = false;
    return Outcome::Applied;
}

VerifiedBook::Outcome VerifiedBook::fail(Outcome outcome) {
    invalidate();
    return outcome;
}

void VerifiedBook::invalidate() {
    m_awaitingSnapshot = true;
    if (m_book)
        m_book->clear();
}

QString VerifiedBook::describe(Outcome outcome, const ws::BookEntry &entry, std::uint32_t ours) {
    switch (outcome) {
    case Outcome::Applied:
    case Outcome::AwaitingSnapshot:
        return {};
    case Outcome::NoPrecision:
        return u"no price/qty precision known for "_s +
               QString::fromUtf8(entry.symbol.data(), qsizetype(entry.symbol.size()));
    case Outcome::BadPrecision:
        return u"a level does not fit the instrument's precision"_s;
    case Outcome::Crossed:
        return u"crossed book (best bid at or above best ask)"_s;
    case Outcome::ChecksumMismatch:
        return u"checksum mismatch: Kraken %1, ours %2"_s.arg(entry.checksum).arg(ours);
    }
    return {};
}

} // namespace kraken::spot
