#pragma once

// FillNotifier: tells the trader about new fills while their eyes are elsewhere: a tray
// balloon when a system tray shows our icon, else a status bar message through
// statusMessage(). Feed it the order manager's fillsAdded batches. GUI thread.

#include "model/tradingtypes.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace ui {

class FillNotifier : public QObject {
    Q_OBJECT
public:
    explicit FillNotifier(QObject *parent = nullptr);

    void setTrayIcon(QSystemTrayIcon *tray);
    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }

    // "Bought 0.5 BTC/USD @ 95000.1"; several fills: "3 fills: " and the first ones.
    static QString describe(const QList<model::FillRecord> &fills);

    void notify(const QList<model::FillRecord> &fills);

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    QPointer<QSystemTrayIcon> m_tray;
    bool m_enabled = true;
};

} // namespace ui
