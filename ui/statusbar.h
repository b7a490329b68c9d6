#pragma once

// StatusBar: the health of every connection the feed reports (one label each: connecting,
// live, resyncing, "reconnecting in N s" counting down), the book resync count (checksum
// health), the last ping latency, and the profile. GUI thread.

#include "model/marketdata.h"

#include <QElapsedTimer>
#include <QHash>
#include <QStatusBar>

class QLabel;
class QProgressBar;
class QTimer;

namespace ui {

class StatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit StatusBar(QWidget *parent = nullptr);

    void setStatus(const model::FeedStatus &status);
    void setProfile(const QString &profile);
    void clearConnections();

    // What the bar shows for a connection ("" if unknown), e.g. "market: reconnecting in 3 s".
    QString connectionText(const QString &connection) const;
    QString resyncText() const;
    QString latencyText() const;
    QString restGaugeText() const; // "REST 3/20": the key's REST counter against its limit

private:
    struct Connection {
        model::FeedStatus status;
        QElapsedTimer since; // when the status arrived, for the reconnect countdown
        QLabel *label = nullptr;
    };
    void refresh(Connection &c);
    void refreshTotals();

    QHash<QString, Connection> m_connections;
    QLabel *m_profile;
    QLabel *m_resyncs;
    QLabel *m_latency;
    QProgressBar *m_restGauge;
    QTimer *m_countdown;
};

} // namespace ui
