#include "layoutstore.h"

#include <QMainWindow>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace ui {

namespace {
// Bumped when the set of docks changes, so an old state is not applied to new docks.
constexpr int StateVersion = 1;
} // namespace

QString LayoutStore::autosaveName() {
    return u"(last session)"_s;
}

LayoutStore::LayoutStore(QSettings *settings)
    : m_settings(settings) {}

QString LayoutStore::keyOf(const QString &name) {
    return u"layouts/"_s + QString::fromLatin1(name.toUtf8().toHex());
}

QStringList LayoutStore::names() const {
    QStringList out;
    m_settings->beginGroup(u"layouts"_s);
    const QStringList groups = m_settings->childGroups();
    for (const QString &g : groups) {
        const QString name = m_settings->value(g + u"/name"_s).toString();
        if (!name.isEmpty() && name != autosaveName())
            out.append(name);
    }
    m_settings->endGroup();
    out.sort(Qt::CaseInsensitive);
    return out;
}

bool LayoutStore::contains(const QString &name) const {
    return m_settings->contains(keyOf(name) + u"/state"_s);
}

void LayoutStore::save(const QString &name, const QMainWindow &window) {
    const QString key = keyOf(name);
    m_settings->setValue(key + u"/name"_s, name);
    m_settings->setValue(key + u"/state"_s, window.saveState(StateVersion));
    m_settings->setValue(key + u"/geometry"_s, window.saveGeometry());
    m_settings->sync();
}

bool LayoutStore::restore(const QString &name, QMainWindow &window) const {
    const QString key = keyOf(name);
    const QByteArray state = m_settings->value(key + u"/state"_s).toByteArray();
    if (state.isEmpty())
        return false;
    const QByteArray geometry = m_settings->value(key + u"/geometry"_s).toByteArray();
    if (!geometry.isEmpty())
        window.restoreGeometry(geometry);
    return window.restoreState(state, StateVersion);
}

void LayoutStore::remove(const QString &name) {
    m_settings->remove(keyOf(name));
    m_settings->sync();
}

} // namespace ui
