#include "tradingbar.h"

#include "theme.h"

#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ui {

TradingBar::TradingBar(QWidget *parent)
    : QWidget(parent)
    , m_connection(new QLabel(u"Trading: not connected"_s, this))
    , m_dms(new QCheckBox(u"Dead man's switch"_s, this))
    , m_timeout(new QSpinBox(this))
    , m_countdown(new QLabel(this))
    , m_tick(new QTimer(this)) {
    m_connection->setAccessibleName(u"Trading connection"_s);
    m_dms->setAccessibleName(u"Dead man's switch"_s);
    m_dms->setToolTip(u"While on, the terminal keeps telling Kraken to cancel every open order "
                      u"after the timeout, and renews that every quarter of it. If the terminal "
                      u"loses Kraken (network, crash, power), the renewals stop and Kraken "
                      u"cancels all open orders when the countdown reaches zero."_s);
    m_timeout->setRange(10, 86'400);
    m_timeout->setValue(60);
    m_timeout->setSuffix(u" s"_s);
    m_timeout->setAccessibleName(u"Dead man's switch timeout"_s);
    m_countdown->setAccessibleName(u"Dead man's switch countdown"_s);
    m_countdown->setMinimumWidth(
        m_countdown->fontMetrics().horizontalAdvance(u"cancels in 00:00 "_s));

    auto *l = new QHBoxLayout(this);
    l->setContentsMargins(6, 2, 6, 2);
    l->addWidget(m_connection);
    l->addStretch(1);
    l->addWidget(m_dms);
    l->addWidget(m_timeout);
    l->addWidget(m_countdown);

    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &TradingBar::updateCountdown);
    connect(m_dms, &QCheckBox::toggled, this,
            [this](bool on) { Q_EMIT deadMansSwitchRequested(on ? m_timeout->value() : 0); });
    connect(m_timeout, &QSpinBox::editingFinished, this, [this] {
        if (m_dms->isChecked())
            Q_EMIT deadMansSwitchRequested(m_timeout->value());
    });
    updateCountdown();
}

void TradingBar::setConnectionState(const QString &text, bool live) {
    m_connection->setText(u"Trading: "_s + text);
    QPalette p = m_connection->palette();
    p.setColor(QPalette::WindowText,
               live ? Theme::bidColour(palette()) : Theme::askColour(palette()));
    m_connection->setPalette(p);
}

void TradingBar::setDeadMansSwitch(bool armed, qint64 triggerAtMs, const QString &status) {
    m_armed = armed;
    m_triggerAtMs = triggerAtMs;
    m_status = status;
    {
        // Reflect the manager's truth without asking it again.
        const QSignalBlocker block(m_dms);
        m_dms->setChecked(armed);
    }
    if (armed)
        m_tick->start();
    else
        m_tick->stop();
    updateCountdown();
}

QString TradingBar::countdownText(qint64 nowMs) const {
    if (!m_armed)
        return m_status.startsWith(u"refresh failed"_s) ? m_status : u"off"_s;
    const qint64 left = std::max<qint64>(0, (m_triggerAtMs - nowMs + 999) / 1000);
    QString text =
        u"cancels in %1:%2"_s.arg(left / 60, 2, 10, QChar(u'0')).arg(left % 60, 2, 10, QChar(u'0'));
    if (m_status.startsWith(u"refresh failed"_s))
        text += u" ("_s + m_status + u")"_s;
    return text;
}

void TradingBar::updateCountdown() {
    m_countdown->setText(countdownText(QDateTime::currentMSecsSinceEpoch()));
}

} // namespace ui
