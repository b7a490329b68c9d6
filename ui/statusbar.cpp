#include "statusbar.h"

#include "theme.h"

#include <QLabel>
#include <QProgressBar>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ui {

StatusBar::StatusBar(QWidget *parent)
    : QStatusBar(parent)
    , m_profile(new QLabel(this))
    , m_resyncs(new QLabel(this))
    , m_latency(new QLabel(this))
    , m_restGauge(new QProgressBar(this))
    , m_countdown(new QTimer(this)) {
    // Kraken refuses calls past the counter's limit; the gauge shows how close we are.
    m_restGauge->setAccessibleName(u"REST rate-limit counter"_s);
    m_restGauge->setToolTip(u"The API key's REST call counter against Kraken's limit"_s);
    m_restGauge->setMaximumWidth(110);
    m_restGauge->setRange(0, 1);
    m_restGauge->setValue(0);
    m_restGauge->setFormat(u"REST –"_s);
    addPermanentWidget(m_restGauge);
    m_profile->setAccessibleName(u"Profile"_s);
    m_resyncs->setAccessibleName(u"Book resyncs"_s);
    m_resyncs->setToolTip(u"Book resyncs after a checksum mismatch or gap (0 = all verified)"_s);
    m_latency->setAccessibleName(u"Latency"_s);
    m_latency->setToolTip(u"Round trip of the last WebSocket ping"_s);
    addPermanentWidget(m_resyncs);
    addPermanentWidget(m_latency);
    addPermanentWidget(m_profile);
    m_countdown->setInterval(250);
    connect(m_countdown, &QTimer::timeout, this, [this] {
        bool any = false;
        for (auto &c : m_connections) {
            if (c.status.state == u"reconnecting"_s) {
                refresh(c);
                any = true;
            }
        }
        if (!any)
            m_countdown->stop();
    });
    refreshTotals();
}

void StatusBar::setProfile(const QString &profile) {
    m_profile->setText(profile);
}

void StatusBar::clearConnections() {
    for (auto &c : m_connections)
        delete c.label;
    m_connections.clear();
    refreshTotals();
}

void StatusBar::setStatus(const model::FeedStatus &status) {
    auto it = m_connections.find(status.connection);
    if (it == m_connections.end()) {
        Connection c;
        c.label = new QLabel(this);
        c.label->setAccessibleName(QString(status.connection + u" connection"_s));
        addWidget(c.label);
        it = m_connections.insert(status.connection, c);
    }
    it->status = status;
    it->since.start();
    refresh(*it);
    refreshTotals();
    if (status.state == u"reconnecting"_s && !m_countdown->isActive())
        m_countdown->start();
}

void StatusBar::refresh(Connection &c) {
    QString state = c.status.state;
    if (state == u"reconnecting"_s) {
        const qint64 left = qMax<qint64>(0, c.status.reconnectInMs - c.since.elapsed());
        state = QString(u"reconnecting in "_s + QString::number((left + 999) / 1000) + u" s"_s);
    }
    const QString text = QString(c.status.connection + u": "_s + state);
    if (c.label->text() != text)
        c.label->setText(text);
    c.label->setToolTip(c.status.reason);
    const bool ok = c.status.state == u"live"_s;
    const bool bad = c.status.state == u"reconnecting"_s || c.status.state == u"closed"_s;
    QPalette p = c.label->palette();
    p.setColor(QPalette::WindowText, ok    ? Theme::bidColour(palette())
                                     : bad ? Theme::askColour(palette())
                                           : Theme::accentColour(palette()));
    c.label->setPalette(p);
}

void StatusBar::refreshTotals() {
    int resyncs = 0;
    qint64 latency = -1;
    for (const auto &c : std::as_const(m_connections)) {
        resyncs += c.status.resyncs;
        if (c.status.latencyMs >= 0)
            latency = qMax(latency, c.status.latencyMs);
    }
    m_resyncs->setText(QString(u"resyncs: "_s + QString::number(resyncs)));
    const auto rest = m_connections.constFind(u"rest"_s);
    if (rest != m_connections.cend() && rest->status.restCounterMax > 0) {
        const int max = rest->status.restCounterMax;
        const int value = qBound(0, int(rest->status.restCounter + 0.5), max);
        m_restGauge->setRange(0, max);
        m_restGauge->setValue(value);
        m_restGauge->setFormat(u"REST %1/%2"_s.arg(value).arg(max));
    }
    m_latency->setText(latency < 0 ? u"latency: –"_s
                                   : QString(u"latency: "_s + QString::number(latency) + u" ms"_s));
}

QString StatusBar::connectionText(const QString &connection) const {
    const auto it = m_connections.constFind(connection);
    return it == m_connections.cend() ? QString() : it->label->text();
}

QString StatusBar::resyncText() const {
    return m_resyncs->text();
}
QString StatusBar::latencyText() const {
    return m_latency->text();
}

QString StatusBar::restGaugeText() const {
    return m_restGauge->text();
}

} // namespace ui
