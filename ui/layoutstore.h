#pragma once

// LayoutStore: named window layouts (dock arrangement and window geometry) in QSettings,
// through QMainWindow::saveState/saveGeometry. Names are free text; keys are their hex so a
// '/' in a name cannot create a settings group. A special autosave slot keeps the last
// session's layout apart from the user's names. GUI thread.

#include <QByteArray>
#include <QStringList>

class QMainWindow;
class QSettings;

namespace ui {

class LayoutStore {
public:
    // The layout restored at launch when no --layout is given, saved on close.
    static QString autosaveName();

    // `settings` is not owned and must outlive the store.
    explicit LayoutStore(QSettings *settings);

    QStringList names() const; // the user's layouts, sorted; without the autosave slot
    bool contains(const QString &name) const;
    void save(const QString &name, const QMainWindow &window);
    // False (window untouched) if there is no such layout or Qt rejects the saved state.
    bool restore(const QString &name, QMainWindow &window) const;
    void remove(const QString &name);

private:
    static QString keyOf(const QString &name);
    QSettings *m_settings;
};

} // namespace ui
