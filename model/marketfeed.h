#pragma once

// MarketFeed: owns the Spot REST and WebSocket clients for market data, and optionally the
// Kraken Futures ones (REST v3, WebSocket v1, charts API), on the feed thread (move it there
// with moveToThread and drive it through its slots, queued). It keeps the books and the
// latest tickers, trades and candles, and emits them at most once per refresh tick
// (30-60 Hz), so the GUI thread only renders and never parses. A Futures focus gets its live
// bars built from its trades (BarBuilder), since Futures has no bar stream.

#include "kraken/core/instrument.h"
#include "marketdata.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace model {

struct MarketFeedConfig {
    QUrl restUrl = QUrl(QStringLiteral("https://api.kraken.com"));
    QUrl wsUrl = QUrl(QStringLiteral("wss://ws.kraken.com/v2"));
    int refreshHz = 30;
    int bookDepth = 100;          // 10, 25, 100, 500 or 1000
    int historyBars = 720;        // REST OHLC on focus
    bool limitPublicCalls = true; // off for the paper exchange
    // Bound on start(): instruments loaded and the WebSocket connected, else unreachable().
    int startTimeoutMs = 15000;
    // Kraken Futures market data. Futures is on when the REST and WebSocket URLs are both set
    // (https://futures.kraken.com/derivatives/api/v3, wss://futures.kraken.com/ws/v1); the
    // charts URL (https://futures.kraken.com/api/charts/v1) gives a Futures focus its history,
    // without it bars start from the live trades. Futures never makes the feed unreachable().
    QUrl futuresRestUrl;
    QUrl futuresWsUrl;
    QUrl futuresChartsUrl;
};

class MarketFeed : public QObject {
    Q_OBJECT
public:
    explicit MarketFeed(MarketFeedConfig config, QObject *parent = nullptr);
    ~MarketFeed() override;

    // Counters for tests and benches; safe to read from any thread.
    qint64 refreshTickCount() const; // coalescing timer ticks since start()
    qint64 bookMessageCount() const; // book messages applied for the focus symbol

public Q_SLOTS:
    // Loads the instruments (REST AssetPairs), connects the WebSocket and subscribes the
    // ticker of every pair. Emits unreachable() if Kraken cannot be reached. With Futures
    // configured, also loads the Futures instruments and subscribes the ticker feed of every
    // tradeable contract; instrumentsReady() then carries Spot (sorted) followed by Futures
    // (sorted). If the Futures instruments have not answered within startTimeoutMs, Spot goes
    // out alone and instrumentsReady() comes again, with both, when Futures answers.
    void start();
    // The symbol the linked panels show: book at bookDepth, trades, candles at the interval
    // (history from REST OHLC, then live from the ohlc channel). Other symbols are dropped.
    // A Futures product id ("PF_XBTUSD"): book and trade feeds, history from the charts API
    // (tick type trade), live bars built from the trades. Futures takes 720 (12h) too; 21600
    // has no Futures resolution, so those bars are merged from 1d candles (said in status).
    void setFocus(const QString &symbol, int intervalMinutes);
    void stop();

Q_SIGNALS:
    void instrumentsReady(const QList<kraken::Instrument> &instruments);
    void tickersChanged(const QList<model::TickerRow> &changed);
    void bookChanged(const model::BookPtr &book);
    void tradesAdded(const QList<model::TradeRow> &trades); // oldest first
    void candlesReset(const QString &symbol, int intervalMinutes,
                      const QList<model::Candle> &candles);
    // The forming bar and any bar that closed since the last tick, oldest first.
    void candlesUpdated(const QString &symbol, int intervalMinutes,
                        const QList<model::Candle> &changed);
    void statusChanged(const model::FeedStatus &status);
    void unreachable(const QString &reason);

private:
    struct Private;
    std::unique_ptr<Private> d;

    void applyFocus();
    void loadHistory();
    void startFutures();
    void loadFuturesHistory(bool reload);
    void sendInstrumentsIfReady();
    void flushSnapshotTrades();
    void addFuturesTrade(const model::TradeRow &row, const QString &uid);
    void onRefresh();
    void fail(const QString &reason); // emits unreachable() once and stops
};

} // namespace model
