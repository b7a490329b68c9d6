#include "marketfeed.h"

#include "kraken/core/instrumentregistry.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/wsclient.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <utility>

using namespace Qt::StringLiterals;

namespace model {

Q_LOGGING_CATEGORY(lcFeed, "kraken.feed")

namespace {

using kraken::spot::WsClient;
using kraken::spot::WsSubscription;
using Channel = WsSubscription::Channel;

// A burst the GUI has not drained yet is bounded: the tape shows at most a few thousand rows.
constexpr qsizetype MaxPendingTrades = 5000;

constexpr qint64 NsPerMs = 1000000;

// WS v2 sends JSON numbers, which drop trailing zeros ("95000" for 95000.0). Padding to the
// instrument's scale is exact, and lets every consumer print a value at its own scale.
kraken::Decimal padded(const kraken::Decimal &d, int scale) {
    if (scale < 0 || d.scale() >= scale)
        return d;
    return d.rescaled(scale).value_or(d);
}

struct Scales {
    int price = -1;
    int qty = -1;
};

Candle toCandle(const kraken::spot::ws::OhlcEvent &e, bool closed, Scales s) {
    Candle c;
    c.beginMs = e.intervalBeginNs / NsPerMs;
    c.intervalMinutes = e.intervalMinutes;
    c.open = padded(e.open, s.price);
    c.high = padded(e.high, s.price);
    c.low = padded(e.low, s.price);
    c.close = padded(e.close, s.price);
    c.volume = padded(e.volume, s.qty);
    c.closed = closed;
    return c;
}

} // namespace

struct MarketFeed::Private {
    MarketFeedConfig config;
    kraken::spot::RestClient *rest = nullptr;
    WsClient *ws = nullptr;
    QTimer *refresh = nullptr;
    QTimer *startBound = nullptr;

    kraken::InstrumentRegistry instruments;
    bool started = false;
    bool instrumentsLoaded = false;
    bool wsReached = false;
    bool unreachableSent = false;

    // The focus the panels asked for, and the one whose subscriptions are in place.
    QString wantedSymbol;
    int wantedInterval = 1;
    QString focus;
    int interval = 1;
    Scales scales;               // the focus instrument's pair_decimals and lot_decimals
    quint64 focusGeneration = 0; // drops REST answers for an earlier focus
    bool historyReady = false;   // candlesReset sent for the current focus

    // Collected between refresh ticks.
    bool bookDirty = false;
    QHash<QString, TickerRow> tickers;
    QList<TradeRow> trades;
    QMap<qint64, Candle> candles;

    FeedStatus market;
    FeedStatus restStatus;

    std::atomic<qint64> ticks{0};
    std::atomic<qint64> bookMessages{0};
};

MarketFeed::MarketFeed(MarketFeedConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    registerMarketDataMetaTypes();
    d->config = std::move(config);
    d->config.refreshHz = std::clamp(d->config.refreshHz, 1, 240);
    d->config.historyBars = std::max(0, d->config.historyBars);
    d->config.startTimeoutMs = std::max(100, d->config.startTimeoutMs);
    if (!WsSubscription::isValidDepth(d->config.bookDepth))
        d->config.bookDepth = 100;
    d->market.connection = u"market"_s;
    d->market.state = u"disconnected"_s;
    d->restStatus.connection = u"rest"_s;
    d->restStatus.state = u"disconnected"_s;
}

MarketFeed::~MarketFeed() {
    // The clients are children, but their signals reach lambdas that use d: take them down
    // while d still exists.
    if (d->ws)
        d->ws->disconnect(this);
    if (d->rest)
        d->rest->disconnect(this);
    delete d->ws;
    delete d->rest;
    delete d->refresh;
    delete d->startBound;
}

qint64 MarketFeed::refreshTickCount() const {
    return d->ticks.load(std::memory_order_relaxed);
}

qint64 MarketFeed::bookMessageCount() const {
    return d->bookMessages.load(std::memory_order_relaxed);
}

void MarketFeed::start() {
    if (d->started)
        return;
    d->started = true;

    kraken::spot::RestClientConfig rc;
    rc.baseUrl = d->config.restUrl;
    rc.limitPublicCalls = d->config.limitPublicCalls;
    rc.persistNonce = false; // public data only: no nonce, no state file
    rc.timeoutMs = std::min(rc.timeoutMs, d->config.startTimeoutMs);
    d->rest = new kraken::spot::RestClient(rc, this);

    kraken::spot::WsClientConfig wc;
    wc.url = d->config.wsUrl;
    wc.connectTimeoutMs = std::min(wc.connectTimeoutMs, d->config.startTimeoutMs);
    d->ws = new WsClient(wc, this);

    d->refresh = new QTimer(this);
    d->refresh->setTimerType(Qt::PreciseTimer);
    d->refresh->setInterval(1000 / d->config.refreshHz);
    connect(d->refresh, &QTimer::timeout, this, [this] { onRefresh(); });

    d->startBound = new QTimer(this);
    d->startBound->setSingleShot(true);
    connect(d->startBound, &QTimer::timeout, this, [this] {
        const QString secs = QString::number(d->config.startTimeoutMs / 1000.0);
        if (!d->instrumentsLoaded)
            fail(u"Kraken's REST API at %1 did not answer within %2 s."_s.arg(
                d->config.restUrl.toDisplayString(), secs));
        else if (!d->wsReached)
            // The client's reason ends with its retry plan; the user needs only the cause.
            fail(u"Kraken's WebSocket at %1 could not be reached within %2 s (%3)."_s.arg(
                d->config.wsUrl.toDisplayString(), secs,
                d->market.reason.section(u"; reconnecting"_s, 0, 0)));
    });

    connect(d->rest, &kraken::spot::RestClient::rateCounterChanged, this,
            [this](double value, int max) {
                d->restStatus.restCounter = value;
                d->restStatus.restCounterMax = max;
                Q_EMIT statusChanged(d->restStatus);
            });
    connect(d->rest, &kraken::spot::RestClient::callFailed, this,
            [this](const QString &method, const kraken::Error &error) {
                d->restStatus.state = u"error"_s;
                d->restStatus.reason = QString(method % u": "_s % error.toString());
                Q_EMIT statusChanged(d->restStatus);
            });

    connect(d->ws, &WsClient::stateChanged, this, [this](WsClient::State s, const QString &why) {
        d->market.state = WsClient::stateName(s);
        d->market.reason = why;
        if (s != WsClient::State::Reconnecting)
            d->market.reconnectInMs = 0;
        if (s == WsClient::State::Subscribing || s == WsClient::State::Live ||
            s == WsClient::State::Resyncing) {
            d->wsReached = true;
            if (d->instrumentsLoaded)
                d->startBound->stop();
        }
        Q_EMIT statusChanged(d->market);
    });
    connect(d->ws, &WsClient::reconnectScheduled, this, [this](qint64 delayMs, int) {
        d->market.reconnectInMs = delayMs;
        Q_EMIT statusChanged(d->market);
    });
    connect(d->ws, &WsClient::resyncCountChanged, this, [this](int count) {
        d->market.resyncs = count;
        Q_EMIT statusChanged(d->market);
    });
    connect(d->ws, &WsClient::latencyMeasured, this, [this](qint64 ms) {
        d->market.latencyMs = ms;
        Q_EMIT statusChanged(d->market);
    });
    connect(d->ws, &WsClient::gap, this, [this](const QString &why) {
        // Trades and candles may have been missed while the connection was down; the book
        // resyncs by itself, the bars are fetched again.
        qCInfo(lcFeed).noquote() << "gap:" << why;
        if (!d->focus.isEmpty())
            loadHistory();
    });
    connect(d->ws, &WsClient::bookUpdated, this, [this](const QString &symbol) {
        if (symbol != d->focus)
            return;
        d->bookDirty = true;
        d->bookMessages.fetch_add(1, std::memory_order_relaxed);
    });
    connect(d->ws, &WsClient::ticker, this, [this](const kraken::spot::ws::TickerEvent &t) {
        TickerRow &row = d->tickers[t.symbol];
        row.symbol = t.symbol;
        row.last = t.last;
        row.bid = t.bid;
        row.ask = t.ask;
        row.volume = t.volume;
        row.changePct = t.changePct;
    });
    connect(d->ws, &WsClient::trade, this, [this](const kraken::spot::ws::TradeEvent &t) {
        if (t.symbol != d->focus)
            return; // in flight from a focus just left
        d->trades.append(TradeRow{t.symbol, t.timestampNs / NsPerMs, t.buy,
                                  padded(t.price, d->scales.price), padded(t.qty, d->scales.qty)});
        if (d->trades.size() > MaxPendingTrades)
            d->trades.remove(0, d->trades.size() - MaxPendingTrades);
    });
    auto onCandle = [this](const kraken::spot::ws::OhlcEvent &e, bool closed) {
        if (e.symbol != d->focus || e.intervalMinutes != d->interval)
            return;
        d->candles.insert(e.intervalBeginNs / NsPerMs, toCandle(e, closed, d->scales));
    };
    connect(d->ws, &WsClient::candle, this,
            [onCandle](const kraken::spot::ws::OhlcEvent &e) { onCandle(e, false); });
    connect(d->ws, &WsClient::candleClosed, this,
            [onCandle](const kraken::spot::ws::OhlcEvent &e) { onCandle(e, true); });
    connect(d->ws, &WsClient::subscriptionFailed, this,
            [](const WsSubscription &s, const QString &error) {
                qCWarning(lcFeed).noquote() << "subscription failed:" << s.toString() << error;
            });

    d->startBound->start(d->config.startTimeoutMs);
    d->refresh->start();
    d->restStatus.state = u"connecting"_s;
    d->restStatus.reason = u"loading instruments from "_s + d->config.restUrl.toDisplayString();
    Q_EMIT statusChanged(d->restStatus);

    d->rest->assetPairs().then(this, [this](kraken::Result<kraken::InstrumentRegistry> r) {
        if (d->unreachableSent)
            return;
        if (!r.ok()) {
            fail(u"Kraken's REST API at %1 could not be reached: %2"_s.arg(
                d->config.restUrl.toDisplayString(), r.error().toString()));
            return;
        }
        d->instruments = std::move(r).value();
        d->instrumentsLoaded = true;
        if (d->wsReached)
            d->startBound->stop();
        d->restStatus.state = u"live"_s;
        d->restStatus.reason = u"%1 instruments"_s.arg(d->instruments.size());
        Q_EMIT statusChanged(d->restStatus);

        QList<kraken::Instrument> all = d->instruments.all();
        std::stable_sort(all.begin(), all.end(),
                         [](const kraken::Instrument &a, const kraken::Instrument &b) {
                             return a.symbol() < b.symbol();
                         });
        d->ws->setInstruments(d->instruments);
        for (const kraken::Instrument &in : std::as_const(all))
            d->ws->subscribe({Channel::Ticker, in.symbol(), 0, 0});
        Q_EMIT instrumentsReady(all);
        if (!d->wantedSymbol.isEmpty())
            applyFocus();
    });
    d->ws->open();
}

void MarketFeed::setFocus(const QString &symbol, int intervalMinutes) {
    const QString s = symbol.trimmed().toUpper();
    if (s.isEmpty())
        return;
    if (!WsSubscription::isValidInterval(intervalMinutes)) {
        qCWarning(lcFeed) << "ignoring focus with an interval Kraken does not serve:"
                          << intervalMinutes;
        return;
    }
    d->wantedSymbol = s;
    d->wantedInterval = intervalMinutes;
    if (d->instrumentsLoaded && !d->unreachableSent)
        applyFocus();
}

void MarketFeed::stop() {
    if (d->refresh)
        d->refresh->stop();
    if (d->startBound)
        d->startBound->stop();
    if (d->ws)
        d->ws->close();
}

void MarketFeed::fail(const QString &reason) {
    if (d->unreachableSent)
        return;
    d->unreachableSent = true;
    qCWarning(lcFeed).noquote() << reason;
    stop();
    Q_EMIT unreachable(reason);
}

void MarketFeed::applyFocus() {
    const QString symbol = d->wantedSymbol;
    const int interval = d->wantedInterval;
    if (symbol == d->focus && interval == d->interval)
        return;
    const QString old = d->focus;
    const int oldInterval = d->interval;
    const int depth = d->config.bookDepth;
    if (!old.isEmpty()) {
        if (old != symbol) {
            d->ws->unsubscribe({Channel::Book, old, depth, 0});
            d->ws->unsubscribe({Channel::Trade, old, 0, 0});
        }
        d->ws->unsubscribe({Channel::Ohlc, old, 0, oldInterval});
    }
    if (old != symbol) {
        d->bookDirty = false;
        d->trades.clear();
    }
    d->focus = symbol;
    d->interval = interval;
    const kraken::Instrument *in = d->instruments.find(symbol);
    d->scales = in ? Scales{in->pairDecimals(), in->lotDecimals()} : Scales{};
    d->ws->subscribe({Channel::Book, symbol, depth, 0});
    d->ws->subscribe({Channel::Trade, symbol, 0, 0});
    d->ws->subscribe({Channel::Ohlc, symbol, 0, interval});
    loadHistory();
}

void MarketFeed::loadHistory() {
    const quint64 generation = ++d->focusGeneration;
    const QString symbol = d->focus;
    const int interval = d->interval;
    d->historyReady = false;
    d->candles.clear();
    const kraken::Instrument *in = d->instruments.find(symbol);
    // REST knows pairs by their altname ("XBTUSD"); the WS v2 symbol is the fallback.
    const QString pair = in ? in->altname() : symbol;
    d->rest->ohlc(pair, interval)
        .then(this, [this, generation, symbol, interval](kraken::Result<kraken::spot::OhlcPage> r) {
            if (generation != d->focusGeneration)
                return; // the focus moved on meanwhile
            QList<Candle> bars;
            if (r.ok() && d->restStatus.state != u"live"_s) {
                d->restStatus.state = u"live"_s;
                d->restStatus.reason.clear();
                Q_EMIT statusChanged(d->restStatus);
            }
            if (r.ok()) {
                const QList<kraken::spot::OhlcBar> &all = r->bars;
                const qsizetype from = std::max<qsizetype>(0, all.size() - d->config.historyBars);
                bars.reserve(all.size() - from);
                for (qsizetype i = from; i < all.size(); ++i) {
                    const kraken::spot::OhlcBar &b = all.at(i);
                    Candle c;
                    c.beginMs = b.time * 1000;
                    c.intervalMinutes = interval;
                    c.open = padded(b.open, d->scales.price);
                    c.high = padded(b.high, d->scales.price);
                    c.low = padded(b.low, d->scales.price);
                    c.close = padded(b.close, d->scales.price);
                    c.volume = padded(b.volume, d->scales.qty);
                    c.closed = i + 1 < all.size(); // Kraken's last bar is still forming
                    bars.append(c);
                }
            } else {
                // The chart still fills from the live channel; the status bar shows why.
                qCWarning(lcFeed).noquote()
                    << "OHLC history for" << symbol << "failed:" << r.error().toString();
            }
            d->historyReady = true;
            Q_EMIT candlesReset(symbol, interval, bars);
        });
}

void MarketFeed::onRefresh() {
    d->ticks.fetch_add(1, std::memory_order_relaxed);
    if (d->bookDirty) {
        d->bookDirty = false;
        if (BookPtr book = d->ws->bookSnapshot(d->focus))
            Q_EMIT bookChanged(book);
    }
    if (!d->tickers.isEmpty()) {
        QList<TickerRow> changed = d->tickers.values();
        d->tickers.clear();
        std::sort(changed.begin(), changed.end(),
                  [](const TickerRow &a, const TickerRow &b) { return a.symbol < b.symbol; });
        Q_EMIT tickersChanged(changed);
    }
    if (!d->trades.isEmpty()) {
        const QList<TradeRow> batch = std::exchange(d->trades, {});
        Q_EMIT tradesAdded(batch);
    }
    if (d->historyReady && !d->candles.isEmpty()) {
        const QList<Candle> changed = d->candles.values();
        d->candles.clear();
        Q_EMIT candlesUpdated(d->focus, d->interval, changed);
    }
}

} // namespace model
