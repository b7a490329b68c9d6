#include "instrumentregistry.h"

#include <algorithm>

namespace kraken {

InstrumentRegistry InstrumentRegistry::fromAssetPairs(const QJsonObject &result, QStringList *skipped)
{
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
    for (const Instrument &in : parsed)
        reg.insert(in);
    return reg;
}

void InstrumentRegistry::insert(const Instrument &in)
{
    const qsizetype index = m_instruments.size();
    m_instruments.append(in);
    const QString names[] = {in.symbol(), in.restKey(), in.altname(), in.wsname()};
    for (const QString &n : names) {
        // The first instrument to claim a name keeps it (a REST key outranks a later alias).
        if (!n.isEmpty() && !m_byName.contains(n.toUpper()))
            m_byName.insert(n.toUpper(), index);
    }
}

const Instrument *InstrumentRegistry::find(const QString &anyName) const
{
    const auto it = m_byName.constFind(anyName.trimmed().toUpper());
    return it == m_byName.cend() ? nullptr : &m_instruments[*it];
}

} // namespace kraken
