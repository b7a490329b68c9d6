#pragma once

// FuturesWsParser: turns one Kraken Futures WebSocket v1 frame into a typed message. Every
// number goes from its JSON token text into a Decimal (JsonNode keeps the text), never through
// double. Bad input (not JSON, not an object, a known feed with a required field missing or of
// the wrong type, a number Decimal cannot hold) gives Kind::Error with a message naming the
// feed and field; a feed or event we do not model gives Kind::Unknown. Never throws. The
// references returned stay valid until the next parse(). Not thread-safe: one per client.

#include "futureswsmessages.h"

#include <QByteArray>
#include <QString>

namespace kraken::futures {

class FuturesWsParser {
public:
    enum class Kind {
        Error,
        Unknown,
        Control,   // info, subscribed, unsubscribed, subscribed_failed, error, alert: control()
        Challenge, // {"event":"challenge","message":uuid}: control().message
        Heartbeat, // heartbeatTimeMs()
        Ticker,    // ticker or ticker_lite
        Trade,     // trade (one) or trade_snapshot (several): trades()
        BookSnapshot,
        BookDelta,
        OpenOrders,
        Fills,
        Positions,
        Balances,
        Notifications,
    };

    // Larger frames are refused unparsed (a Futures book snapshot is well below this).
    static constexpr qsizetype MaxFrameBytes = 16 * 1024 * 1024;

    Kind parse(const QByteArray &frame);

    const QString &error() const { return m_error; }
    const QString &unknownName() const { return m_unknown; }
    const ws::ControlEvent &control() const { return m_control; }
    qint64 heartbeatTimeMs() const { return m_heartbeatMs; }
    const ws::TickerEvent &ticker() const { return m_ticker; }
    const QList<ws::TradeEvent> &trades() const { return m_trades; }
    const ws::BookSnapshotEvent &bookSnapshot() const { return m_snapshot; }
    const ws::BookDeltaEvent &bookDelta() const { return m_delta; }
    const ws::OpenOrdersEvent &openOrders() const { return m_openOrders; }
    const ws::FillsEvent &fills() const { return m_fills; }
    const ws::PositionsEvent &positions() const { return m_positions; }
    const ws::BalancesEvent &balances() const { return m_balances; }
    const ws::NotificationsEvent &notifications() const { return m_notifications; }

private:
    QString m_error;
    QString m_unknown;
    ws::ControlEvent m_control;
    qint64 m_heartbeatMs = 0;
    ws::TickerEvent m_ticker;
    QList<ws::TradeEvent> m_trades;
    ws::BookSnapshotEvent m_snapshot;
    ws::BookDeltaEvent m_delta;
    ws::OpenOrdersEvent m_openOrders;
    ws::FillsEvent m_fills;
    ws::PositionsEvent m_positions;
    ws::BalancesEvent m_balances;
    ws::NotificationsEvent m_notifications;
};

} // namespace kraken::futures
