#pragma once

// TradingBar: the trading controls that must always be in view: the authenticated
// connection's state, and the dead man's switch (a toggle, its timeout and a live countdown
// to the moment Kraken would cancel every order if the terminal stopped refreshing it). It
// only shows state and asks; the order manager does the work. GUI thread.

#include <QWidget>

class QCheckBox;
class QLabel;
class QSpinBox;
class QTimer;

namespace ui {

class TradingBar : public QWidget {
    Q_OBJECT
public:
    explicit TradingBar(QWidget *parent = nullptr);

    QCheckBox *deadMansSwitchToggle() const { return m_dms; }
    QSpinBox *timeoutSpin() const { return m_timeout; }
    QLabel *countdownLabel() const { return m_countdown; }
    QLabel *connectionLabel() const { return m_connection; }

    // "live", "reconnecting in 2 s", "no API keys", ...
    void setConnectionState(const QString &text, bool live);
    // From the order manager: armed, when Kraken cancels (ms since epoch), a status word.
    void setDeadMansSwitch(bool armed, qint64 triggerAtMs, const QString &status);
    // The countdown text for `nowMs` (exposed so tests need no clock).
    QString countdownText(qint64 nowMs) const;

Q_SIGNALS:
    // 0 = off.
    void deadMansSwitchRequested(int timeoutSeconds);

private:
    void updateCountdown();

    QLabel *m_connection;
    QCheckBox *m_dms;
    QSpinBox *m_timeout;
    QLabel *m_countdown;
    QTimer *m_tick;
    bool m_armed = false;
    qint64 m_triggerAtMs = 0;
    QString m_status;
};

} // namespace ui
