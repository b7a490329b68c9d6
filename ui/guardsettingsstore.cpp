#include "guardsettingsstore.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

kraken::Decimal readDecimal(const QSettings &s, const QString &key, const kraken::Decimal &def) {
    const QString text = s.value(key).toString();
    if (text.isEmpty())
        return def;
    const auto d = kraken::Decimal::fromString(QStringView(text));
    // A negative limit means nothing; fall back rather than switch the guard off by accident.
    return d && !d->isNegative() ? *d : def;
}

} // namespace

GuardSettingsStore::GuardSettingsStore(QSettings *settings)
    : m_settings(settings) {}

// Hex keeps any profile name (slashes, spaces) a single settings group.
QString GuardSettingsStore::keyOf(const QString &profile) {
    return u"profiles/"_s + QString::fromLatin1(profile.toUtf8().toHex());
}

model::GuardSettings GuardSettingsStore::load(const QString &profile) const {
    const QString key = keyOf(profile) + u"/guards/"_s;
    const model::GuardSettings def;
    model::GuardSettings g;
    g.maxNotional = readDecimal(*m_settings, key + u"maxNotional"_s, def.maxNotional);
    g.maxPriceDeviationPct =
        readDecimal(*m_settings, key + u"maxPriceDeviationPct"_s, def.maxPriceDeviationPct);
    g.confirmEveryOrder =
        m_settings->value(key + u"confirmEveryOrder"_s, def.confirmEveryOrder).toBool();
    return g;
}

void GuardSettingsStore::save(const QString &profile, const model::GuardSettings &g) {
    const QString key = keyOf(profile) + u"/guards/"_s;
    m_settings->setValue(keyOf(profile) + u"/name"_s, profile);
    m_settings->setValue(key + u"maxNotional"_s, g.maxNotional.toString());
    m_settings->setValue(key + u"maxPriceDeviationPct"_s, g.maxPriceDeviationPct.toString());
    m_settings->setValue(key + u"confirmEveryOrder"_s, g.confirmEveryOrder);
    m_settings->sync();
}

model::FeeRates GuardSettingsStore::loadFees(const QString &profile) const {
    const QString key = keyOf(profile) + u"/fees/"_s;
    const model::FeeRates def;
    return {readDecimal(*m_settings, key + u"makerPct"_s, def.makerPct),
            readDecimal(*m_settings, key + u"takerPct"_s, def.takerPct)};
}

void GuardSettingsStore::saveFees(const QString &profile, const model::FeeRates &fees) {
    const QString key = keyOf(profile) + u"/fees/"_s;
    m_settings->setValue(keyOf(profile) + u"/name"_s, profile);
    m_settings->setValue(key + u"makerPct"_s, fees.makerPct.toString());
    m_settings->setValue(key + u"takerPct"_s, fees.takerPct.toString());
    m_settings->sync();
}

} // namespace ui
