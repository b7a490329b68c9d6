#pragma once

// GuardSettingsStore: the order ticket's fat-finger guards and fee rates per profile in
// QSettings (no secrets: limits and percentages only). Decimals are stored as their text so
// they come back exact. GUI thread, like the QSettings it is given.

#include "model/ordervalidation.h"

#include <QString>

class QSettings;

namespace ui {

class GuardSettingsStore {
public:
    explicit GuardSettingsStore(QSettings *settings);

    // The saved guards, or GuardSettings' defaults for a profile never saved (or a value that
    // no longer parses).
    model::GuardSettings load(const QString &profile) const;
    void save(const QString &profile, const model::GuardSettings &guards);

    model::FeeRates loadFees(const QString &profile) const;
    void saveFees(const QString &profile, const model::FeeRates &fees);

private:
    static QString keyOf(const QString &profile);
    QSettings *m_settings;
};

} // namespace ui
