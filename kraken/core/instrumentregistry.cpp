#include "instrumentregistry.h"

#include <algorithm>

namespace kraken {

InstrumentRegistry InstrumentRegistry::fromAssetPairs(const QJsonObject &result,
                                                      QStringList *skipped) {
    QList<Instrument> parsed;
    for (auto it = result.begin(); it != result.end(); ++it) {
        auto r = Instrument::fromAssetPair(it.key(), it.value().toObject());
        if (r)
            parsed.append(std::move(r).value());
        else if (skipped)
            skipped->append(r.error().message());
    }
    std::sort(parsed.begin(), parsed.end(),
              [](const Instrument &a, const Instrument &b) { return a.symbol() < b.symbol(); });
    InstrumentRegistry reg;
    reg.m_instruments = std::move(parsed);
    reg.rebuildIndex();
    return reg;
}

void InstrumentRegistry::insert(const Instrument &in) {
    m_instruments.append(in);
    rebuildIndex();
}

void InstrumentRegistry::rebuildIndex() {
    // Names are claimed kind by kind, so a pair's REST key always finds that pair even if
    // another pair uses the same text as an alias; within a kind the first pair keeps it.
    using Getter = QString (Instrument::*)() const;
    static constexpr Getter byPriority[] = {&Instrument::restKey, &Instrument::symbol,
                                            &Instrument::altname, &Instrument::wsname};
    m_byName.clear();
    for (Getter name : byPriority) {
        for (qsizetype i = 0; i < m_instruments.size(); ++i) {
            const QString n = (m_instruments[i].*name)().toUpper();
            if (!n.isEmpty() && !m_byName.contains(n))
                m_byName.insert(n, i);
        }
    }
}

const Instrument *InstrumentRegistry::find(const QString &anyName) const {
    const auto it = m_byName.constFind(anyName.trimmed().toUpper());
    return it == m_byName.cend() ? nullptr : &m_instruments[*it];
}

} // namespace kraken
