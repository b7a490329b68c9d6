#pragma once

// FuturesInstrumentRegistry: the Futures instruments by symbol. Lookups ignore case, because
// Kraken's docs and users write "pi_xbtusd" while answers say "PI_XBTUSD". A value type; share
// copies across threads.

#include "futuresinstrument.h"

#include <QHash>
#include <QList>

namespace kraken::futures {

class FuturesInstrumentRegistry {
public:
    // A later instrument with the same symbol replaces the earlier one.
    void insert(const FuturesInstrument &instrument);
    const FuturesInstrument *find(QStringView symbol) const;
    bool contains(QStringView symbol) const { return find(symbol) != nullptr; }
    QList<FuturesInstrument> all() const { return m_instruments; } // in insertion order
    qsizetype size() const { return m_instruments.size(); }
    bool isEmpty() const { return m_instruments.isEmpty(); }

private:
    QList<FuturesInstrument> m_instruments;
    QHash<QString, qsizetype> m_index; // upper-case symbol -> position
};

} // namespace kraken::futures
