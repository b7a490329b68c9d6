#pragma once

// Faults: the failures the paper exchange injects on demand, from `sim --fault` flags or the
// admin endpoint. Servers ask it at the point where the real exchange would fail; one-shot
// faults are consumed by the first request that meets them. Lives on the exchange thread.

#include <QJsonObject>
#include <QObject>
#include <QString>

namespace kraken::sim {

// The settings, by the snake_case names `apply` and `toJson` use. 0 = off.
struct FaultSettings {
    // persistent
    int wsDropEverySec = 0;       // ws_drop_every_sec: close every WebSocket every N s
    int badChecksumEveryN = 0;    // bad_checksum_every_n: every Nth book message is wrong
    int dropBookUpdateEveryN = 0; // drop_book_update_every_n: every Nth update not sent (gap)
    int restDelayMs = 0;          // rest_delay_ms: added before every REST answer
    int wsDelayMs = 0;            // ws_delay_ms: added before every WS method answer
    // one-shot counters: the next N requests that meet them fail
    int restServiceErrors = 0; // rest_service_errors: answer `restServiceError`
    QString restServiceError = QStringLiteral("EService:Unavailable"); // rest_service_error
    int restRateLimitErrors = 0; // rest_rate_limit_errors: private REST, EAPI:Rate limit exceeded
    int orderRateLimitErrors =
        0;                // order_rate_limit_errors: order calls, EOrder:Rate limit exceeded
    int html502 = 0;      // html_502: an HTML 502 page
    int stall = 0;        // stall: REST call never answered (socket left open)
    int loseOrderAck = 0; // lose_order_ack: order carried out, answer lost
                          // (REST: connection closed; WS: no reply)
};

class Faults : public QObject {
    Q_OBJECT
public:
    explicit Faults(QObject *parent = nullptr);

    const FaultSettings &settings() const { return m_s; }

    // "name=value" (CLI --fault) or a JSON object (admin endpoint) of the settings above;
    // "drop_ws_now" (no value, or any value in JSON) emits dropWsNow(). Unknown names or bad
    // values fail with a message and change nothing.
    bool apply(const QString &nameEqualsValue, QString *error);
    bool apply(const QJsonObject &settings, QString *error);
    QJsonObject toJson() const;

    // One-shot faults: true (and counted down) if it fires for this request.
    bool takeRestServiceError(QString *errorText);
    bool takeRestRateLimit();
    bool takeOrderRateLimit();
    bool takeHtml502();
    bool takeStall();
    bool takeLostOrderAck();
    // Every-Nth faults for book messages, counted per call (one call per book message sent).
    bool nextBookChecksumBad();
    bool nextBookUpdateDropped();

Q_SIGNALS:
    void dropWsNow();
    void changed();

private:
    FaultSettings m_s;
    quint64 m_bookMessages = 0;
    quint64 m_bookUpdates = 0;
};

} // namespace kraken::sim
