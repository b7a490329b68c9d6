#include "futuresinstrumentregistry.h"

namespace kraken::futures {

void FuturesInstrumentRegistry::insert(const FuturesInstrument &instrument) {
    const QString key = instrument.symbol().toUpper();
    if (const auto it = m_index.constFind(key); it != m_index.cend()) {
        m_instruments[*it] = instrument;
        return;
    }
    m_index.insert(key, m_instruments.size());
    m_instruments.append(instrument);
}

const FuturesInstrument *FuturesInstrumentRegistry::find(QStringView symbol) const {
    const auto it = m_index.constFind(symbol.trimmed().toString().toUpper());
    return it == m_index.cend() ? nullptr : &m_instruments[*it];
}

} // namespace kraken::futures
