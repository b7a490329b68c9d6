#pragma once

// InstrumentRegistry: the set of Spot instruments from one AssetPairs answer, found by any of
// their names (BTC/USD, XBT/USD, XBTUSD, XXBTZUSD, case-insensitive). A value type: build it on
// one thread, then share copies read-only.

#include "instrument.h"

#include <QHash>
#include <QList>

namespace kraken {

class InstrumentRegistry {
public:
    // Parses AssetPairs' `result` object. Entries that fail to parse are skipped and listed in
    // `skipped` (one message each); an unknown field never fails an entry.
    static InstrumentRegistry fromAssetPairs(const QJsonObject &result,
                                             QStringList *skipped = nullptr);

    void insert(const Instrument &instrument);
    const Instrument *find(const QString &anyName) const;
    QList<Instrument> all() const { return m_instruments; } // in symbol order
    qsizetype size() const { return m_instruments.size(); }
    bool isEmpty() const { return m_instruments.isEmpty(); }

private:
    void rebuildIndex();

    QList<Instrument> m_instruments;
    QHash<QString, qsizetype> m_byName; // upper-cased name -> index
};

} // namespace kraken
