#include "marketfeed.h"

#include "barbuilder.h"
#include "kraken/core/instrumentregistry.h"
#include "kraken/futures/futuresrestclient.h"
#include "kraken/futures/futureswsclient.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/wsclient.h"

#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace model {

Q_LOGGING_CATEGORY(lcFeed, "kraken.feed")

namespace {

using kraken::spot::WsClient;
using kraken::spot::WsSubscription;
using Channel = WsSubscription::Channel;
using kraken::futures::FuturesWsClient;
using FuturesFeed = FuturesWsClient::PublicFeed;

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

// Trades held for the bars while the history they continue is on its way.
constexpr qsizetype MaxPendingBarTrades = 50000;

// A Futures focus's history: the charts API resolution to ask for, and the bar length it
// gives (source minutes). 21600 (15 days) has no resolution of its own: 1d candles are merged.
struct FuturesHistoryPlan {
    QString resolution;
    int sourceMinutes = 0;
};

std::optional<FuturesHistoryPlan> futuresHistoryPlan(int intervalMinutes) {
    switch (intervalMinutes) {
    case 1:
        return FuturesHistoryPlan{u"1m"_s, 1};
    case 5:
        return FuturesHistoryPlan{u"5m"_s, 5};
    case 15:
        return FuturesHistoryPlan{u"15m"_s, 15};
    case 30:
        return FuturesHistoryPlan{u"30m"_s, 30};
    case 60:
        return FuturesHistoryPlan{u"1h"_s, 60};
    case 240:
        return FuturesHistoryPlan{u"4h"_s, 240};
    case 720:
        return FuturesHistoryPlan{u"12h"_s, 720};
    case 1440:
        return FuturesHistoryPlan{u"1d"_s, 1440};
    case 10080:
        return FuturesHistoryPlan{u"1w"_s, 10080};
    case 21600:
        return FuturesHistoryPlan{u"1d"_s, 1440};
    default:
        return std::nullopt;
    }
}

// One charts call stays within what the API pages out at once (the paper exchange: 2000).
constexpr qint64 MaxChartCandles = 2000;

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

    // Futures (all null / empty unless configured).
    kraken::futures::FuturesRestClient *fRest = nullptr;
    FuturesWsClient *fWs = nullptr;
    QTimer *futuresBound = nullptr;
    bool futuresEnabled = false;
    bool futuresAnswered = false; // the instruments call finished, ok or not
    bool futuresWaitOver = false; // answered, or startTimeoutMs passed without an answer
    QList<kraken::Instrument> spotList, futuresList;
    QHash<QString, kraken::Instrument> futuresBySymbol;
    QHash<QString, TickerRow> futuresTickerState; // merged: a ticker may omit a field
    bool instrumentsSent = false;
    bool sentWithFutures = false;
    bool focusFutures = false;
    BarBuilder bars;
    QList<TradeRow> pendingBarTrades; // while the focus's history is on its way
    qint64 historyRequestedMs = 0;
    // A trade_snapshot (newest first) is collected here, then put in time order.
    QList<std::pair<TradeRow, QString>> snapshotTrades;
    // The newest trade the tape has, to drop a repeated snapshot after a reconnect.
    qint64 lastTradeMs = 0;
    QSet<QString> lastTradeUids; // uids of the trades at lastTradeMs
    FeedStatus futures;

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
    d->futures.connection = u"futures"_s;
    d->futures.state = u"disconnected"_s;
    d->futuresEnabled = d->config.futuresRestUrl.isValid() && d->config.futuresWsUrl.isValid();
}

MarketFeed::~MarketFeed() {
    // The clients are children, but their signals reach lambdas that use d: take them down
    // while d still exists.
    if (d->ws)
        d->ws->disconnect(this);
    if (d->rest)
        d->rest->disconnect(this);
    if (d->fWs)
        d->fWs->disconnect(this);
    if (d->fRest)
        d->fRest->disconnect(this);
    delete d->ws;
    delete d->rest;
    delete d->fWs;
    delete d->fRest;
    delete d->refresh;
    delete d->startBound;
    delete d->futuresBound;
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
        if (!d->focus.isEmpty() && !d->focusFutures)
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
        d->spotList = all;
        sendInstrumentsIfReady();
    });
    d->ws->open();
    if (d->futuresEnabled)
        startFutures();
}

void MarketFeed::sendInstrumentsIfReady() {
    if (!d->instrumentsLoaded || d->unreachableSent)
        return;
    if (d->futuresEnabled && !d->futuresWaitOver)
        return;
    const bool withFutures = !d->futuresList.isEmpty();
    if (d->instrumentsSent && (d->sentWithFutures || !withFutures))
        return;
    const bool first = !d->instrumentsSent;
    d->instrumentsSent = true;
    d->sentWithFutures = withFutures;
    Q_EMIT instrumentsReady(QList<kraken::Instrument>(d->spotList) + d->futuresList);
    if (!d->wantedSymbol.isEmpty() && (first || d->futuresBySymbol.contains(d->wantedSymbol)))
        applyFocus();
}

void MarketFeed::startFutures() {
    kraken::futures::FuturesRestConfig rc;
    rc.baseUrl = d->config.futuresRestUrl;
    if (d->config.futuresChartsUrl.isValid())
        rc.chartsUrl = d->config.futuresChartsUrl;
    rc.persistNonce = false; // public data only
    rc.timeoutMs = std::min(rc.timeoutMs, d->config.startTimeoutMs);
    rc.maxRetries = 1;
    d->fRest = new kraken::futures::FuturesRestClient(rc, this);

    kraken::futures::FuturesWsClientConfig wc;
    wc.url = d->config.futuresWsUrl;
    wc.connectTimeoutMs = std::min(wc.connectTimeoutMs, d->config.startTimeoutMs);
    d->fWs = new FuturesWsClient(wc, this);

    d->futuresBound = new QTimer(this);
    d->futuresBound->setSingleShot(true);
    connect(d->futuresBound, &QTimer::timeout, this, [this] {
        if (d->futuresAnswered)
            return;
        qCWarning(lcFeed).noquote() << "Futures instruments did not answer in time; Spot first";
        d->futuresWaitOver = true;
        sendInstrumentsIfReady();
    });

    connect(d->fRest, &kraken::futures::FuturesRestClient::callFailed, this,
            [this](const QString &endpoint, const kraken::Error &error) {
                d->futures.reason = QString(u"REST "_s % endpoint % u": "_s % error.toString());
                Q_EMIT statusChanged(d->futures);
            });
    connect(d->fWs, &FuturesWsClient::stateChanged, this,
            [this](FuturesWsClient::State s, const QString &why) {
                d->futures.state = FuturesWsClient::stateName(s);
                d->futures.reason = why;
                if (s != FuturesWsClient::State::Reconnecting)
                    d->futures.reconnectInMs = 0;
                Q_EMIT statusChanged(d->futures);
            });
    connect(d->fWs, &FuturesWsClient::reconnectScheduled, this, [this](qint64 delayMs, int) {
        d->futures.reconnectInMs = delayMs;
        Q_EMIT statusChanged(d->futures);
    });
    connect(d->fWs, &FuturesWsClient::resyncCountChanged, this, [this](int count) {
        d->futures.resyncs = count;
        Q_EMIT statusChanged(d->futures);
    });
    connect(d->fWs, &FuturesWsClient::latencyMeasured, this, [this](qint64 ms) {
        d->futures.latencyMs = ms;
        Q_EMIT statusChanged(d->futures);
    });
    connect(d->fWs, &FuturesWsClient::gap, this, [this](const QString &why) {
        // The book resyncs by itself and the trade feed's snapshot on resubscribing refills
        // the tape (repeats dropped); the bars are fetched again so none is missed.
        qCInfo(lcFeed).noquote() << "futures gap:" << why;
        if (d->focusFutures && !d->focus.isEmpty())
            loadFuturesHistory(true);
    });
    connect(d->fWs, &FuturesWsClient::bookUpdated, this, [this](const QString &productId) {
        if (!d->focusFutures || productId != d->focus)
            return;
        d->bookDirty = true;
        d->bookMessages.fetch_add(1, std::memory_order_relaxed);
    });
    connect(d->fWs, &FuturesWsClient::ticker, this,
            [this](const kraken::futures::ws::TickerEvent &t) {
                const auto in = d->futuresBySymbol.constFind(t.productId);
                const int ps = in == d->futuresBySymbol.cend() ? -1 : in->pairDecimals();
                const int qs = in == d->futuresBySymbol.cend() ? -1 : in->lotDecimals();
                TickerRow &row = d->futuresTickerState[t.productId];
                row.symbol = t.productId;
                auto take = [](kraken::Decimal &out, const std::optional<kraken::Decimal> &v,
                               int scale) {
                    if (v)
                        out = padded(*v, scale);
                };
                take(row.last, t.last, ps);
                take(row.bid, t.bid, ps);
                take(row.ask, t.ask, ps);
                take(row.volume, t.volume, qs);
                take(row.changePct, t.change, -1); // Futures' change is already in percent
                d->tickers.insert(row.symbol, row);
            });
    connect(d->fWs, &FuturesWsClient::trade, this,
            [this](const kraken::futures::ws::TradeEvent &t) {
                if (!d->focusFutures || t.productId != d->focus)
                    return; // in flight from a focus just left
                TradeRow row{t.productId, t.timeMs, t.buy, padded(t.price, d->scales.price),
                             padded(t.qty, d->scales.qty)};
                if (t.fromSnapshot) {
                    d->snapshotTrades.append({row, t.uid});
                    return;
                }
                flushSnapshotTrades();
                addFuturesTrade(row, t.uid);
            });
    connect(d->fWs, &FuturesWsClient::subscriptionFailed, this,
            [](const QString &feed, const QString &productId, const QString &error) {
                qCWarning(lcFeed).noquote()
                    << "futures subscription failed:" << feed << productId << error;
            });

    d->futures.state = u"connecting"_s;
    d->futures.reason = u"loading instruments from "_s + d->config.futuresRestUrl.toDisplayString();
    Q_EMIT statusChanged(d->futures);
    d->futuresBound->start(d->config.startTimeoutMs);
    d->fRest->instruments().then(
        this, [this](kraken::Result<kraken::futures::FuturesInstrumentRegistry> r) {
            d->futuresAnswered = true;
            d->futuresWaitOver = true;
            d->futuresBound->stop();
            if (d->unreachableSent)
                return;
            if (!r.ok()) {
                d->futures.state = u"error"_s;
                d->futures.reason = u"Futures instruments from %1 failed: %2"_s.arg(
                    d->config.futuresRestUrl.toDisplayString(), r.error().toString());
                qCWarning(lcFeed).noquote() << d->futures.reason;
                Q_EMIT statusChanged(d->futures);
                sendInstrumentsIfReady();
                return;
            }
            QList<kraken::Instrument> list;
            for (const kraken::futures::FuturesInstrument &f : r->all()) {
                if (!f.isTradeable())
                    continue; // indices and expired contracts have no market to show
                kraken::Result<kraken::Instrument> in = kraken::futures::toInstrument(f);
                if (!in.ok()) {
                    qCWarning(lcFeed).noquote() << in.error().toString();
                    continue;
                }
                list.append(*in);
            }
            std::stable_sort(list.begin(), list.end(),
                             [](const kraken::Instrument &a, const kraken::Instrument &b) {
                                 return a.symbol() < b.symbol();
                             });
            for (const kraken::Instrument &in : std::as_const(list)) {
                d->futuresBySymbol.insert(in.symbol(), in);
                d->fWs->subscribe(FuturesFeed::Ticker, in.symbol());
            }
            d->futuresList = list;
            sendInstrumentsIfReady();
        });
    d->fWs->open();
}

void MarketFeed::setFocus(const QString &symbol, int intervalMinutes) {
    const QString s = symbol.trimmed().toUpper();
    if (s.isEmpty())
        return;
    // 720 exists only on Futures; whether the symbol is a Futures one may not be known yet.
    if (!WsSubscription::isValidInterval(intervalMinutes) && !futuresHistoryPlan(intervalMinutes)) {
        qCWarning(lcFeed) << "ignoring focus with an interval Kraken does not serve:"
                          << intervalMinutes;
        return;
    }
    d->wantedSymbol = s;
    d->wantedInterval = intervalMinutes;
    if (d->instrumentsSent && !d->unreachableSent)
        applyFocus();
}

void MarketFeed::stop() {
    if (d->refresh)
        d->refresh->stop();
    if (d->startBound)
        d->startBound->stop();
    if (d->ws)
        d->ws->close();
    if (d->futuresBound)
        d->futuresBound->stop();
    if (d->fWs)
        d->fWs->close();
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
    const auto fut = d->futuresBySymbol.constFind(symbol);
    const bool futures = fut != d->futuresBySymbol.cend();
    if (symbol == d->focus && interval == d->interval && futures == d->focusFutures)
        return;
    if (!futures && !WsSubscription::isValidInterval(interval)) {
        qCWarning(lcFeed) << "ignoring focus: Spot has no interval of" << interval << "minutes";
        return;
    }
    const QString old = d->focus;
    const int oldInterval = d->interval;
    const bool oldFutures = d->focusFutures;
    const int depth = d->config.bookDepth;
    // The same symbol on the other venue: only when Futures instruments came in late.
    const bool sameMarket = old == symbol && oldFutures == futures;
    if (!old.isEmpty() && oldFutures) {
        if (!sameMarket) {
            d->fWs->unsubscribe(FuturesFeed::Book, old);
            d->fWs->unsubscribe(FuturesFeed::Trade, old);
        }
    } else if (!old.isEmpty()) {
        if (!sameMarket) {
            d->ws->unsubscribe({Channel::Book, old, depth, 0});
            d->ws->unsubscribe({Channel::Trade, old, 0, 0});
        }
        d->ws->unsubscribe({Channel::Ohlc, old, 0, oldInterval});
    }
    if (!sameMarket) {
        d->bookDirty = false;
        d->trades.clear();
        d->snapshotTrades.clear();
        d->pendingBarTrades.clear();
        d->lastTradeMs = 0;
        d->lastTradeUids.clear();
    }
    d->focus = symbol;
    d->interval = interval;
    d->focusFutures = futures;
    if (futures) {
        d->scales = Scales{fut->pairDecimals(), fut->lotDecimals()};
        d->fWs->setPrecision(symbol, d->scales.price, d->scales.qty);
        d->fWs->subscribe(FuturesFeed::Book, symbol);
        d->fWs->subscribe(FuturesFeed::Trade, symbol);
        loadFuturesHistory(false);
        return;
    }
    const kraken::Instrument *in = d->instruments.find(symbol);
    d->scales = in ? Scales{in->pairDecimals(), in->lotDecimals()} : Scales{};
    d->ws->subscribe({Channel::Book, symbol, depth, 0});
    d->ws->subscribe({Channel::Trade, symbol, 0, 0});
    d->ws->subscribe({Channel::Ohlc, symbol, 0, interval});
    loadHistory();
}

void MarketFeed::flushSnapshotTrades() {
    if (d->snapshotTrades.isEmpty())
        return;
    auto batch = std::exchange(d->snapshotTrades, {});
    // Kraken lists a snapshot newest first; ties in time keep their reversed order.
    std::reverse(batch.begin(), batch.end());
    std::stable_sort(batch.begin(), batch.end(),
                     [](const auto &a, const auto &b) { return a.first.timeMs < b.first.timeMs; });
    for (const auto &[row, uid] : std::as_const(batch)) {
        // A snapshot after a reconnect repeats what the tape already has.
        if (row.timeMs < d->lastTradeMs ||
            (row.timeMs == d->lastTradeMs && d->lastTradeUids.contains(uid)))
            continue;
        addFuturesTrade(row, uid);
    }
}

void MarketFeed::addFuturesTrade(const TradeRow &row, const QString &uid) {
    if (row.timeMs > d->lastTradeMs) {
        d->lastTradeMs = row.timeMs;
        d->lastTradeUids.clear();
    }
    if (row.timeMs == d->lastTradeMs)
        d->lastTradeUids.insert(uid);
    d->trades.append(row);
    if (d->trades.size() > MaxPendingTrades)
        d->trades.remove(0, d->trades.size() - MaxPendingTrades);
    if (d->historyReady) {
        d->bars.addTrade(row.timeMs, row.price, row.qty);
        return;
    }
    d->pendingBarTrades.append(row);
    if (d->pendingBarTrades.size() > MaxPendingBarTrades)
        d->pendingBarTrades.remove(0, d->pendingBarTrades.size() - MaxPendingBarTrades);
}

void MarketFeed::loadFuturesHistory(bool reload) {
    const quint64 generation = ++d->focusGeneration;
    const QString symbol = d->focus;
    const int interval = d->interval;
    d->historyReady = false;
    d->candles.clear();
    // Trades from now on may be missing from the history's last bar; older ones are in it.
    const qint64 requestedMs = QDateTime::currentMSecsSinceEpoch();
    d->historyRequestedMs = requestedMs;
    if (!reload) {
        d->bars.reset(interval);
        d->bars.setPrecision(d->scales.price, d->scales.qty);
    }
    // history empty and !ok: no history could be had. Trades held meanwhile go into the
    // bars: with history only those it may lack, without it all of them.
    auto finish = [this, symbol, interval, reload](const QList<Candle> &history, bool ok,
                                                   qint64 fromMs) {
        if (ok || !reload)
            d->bars.reset(interval, history);
        d->historyReady = true;
        const QList<TradeRow> held = std::exchange(d->pendingBarTrades, {});
        for (const TradeRow &t : held) {
            if (ok && t.timeMs < fromMs)
                continue;
            d->bars.addTrade(t.timeMs, t.price, t.qty);
        }
        if (ok || !reload)
            Q_EMIT candlesReset(symbol, interval, history);
    };
    const std::optional<FuturesHistoryPlan> plan = futuresHistoryPlan(interval);
    if (!plan || !d->config.futuresChartsUrl.isValid() || d->config.historyBars == 0) {
        finish({}, false, 0);
        return;
    }
    if (interval == 21600) {
        d->futures.reason = u"Futures charts have no 15-day resolution: bars merged from 1d"_s;
        Q_EMIT statusChanged(d->futures);
    }
    const qint64 perBar = interval / plan->sourceMinutes;
    const qint64 sourceBars =
        std::min<qint64>(MaxChartCandles, qint64(d->config.historyBars + 1) * perBar);
    const qint64 fromSeconds =
        std::max<qint64>(0, requestedMs / 1000 - sourceBars * plan->sourceMinutes * 60);
    const qint64 fromMs = fromSeconds * 1000;
    d->fRest->candles(u"trade"_s, symbol, plan->resolution, fromSeconds)
        .then(this, [this, generation, symbol, interval, plan, requestedMs, fromMs,
                     finish](kraken::Result<kraken::futures::FuturesCandlePage> r) {
            if (generation != d->focusGeneration)
                return; // the focus moved on meanwhile
            if (!r.ok()) {
                // The chart still fills from the live trades; the status bar shows why.
                qCWarning(lcFeed).noquote()
                    << "Futures charts for" << symbol << "failed:" << r.error().toString();
                d->futures.reason = QString(u"charts: "_s % r.error().toString());
                Q_EMIT statusChanged(d->futures);
                finish({}, false, 0);
                return;
            }
            QList<Candle> all;
            all.reserve(r->candles.size());
            for (const kraken::futures::FuturesCandle &k : r->candles) {
                Candle c;
                c.beginMs = k.timeMs;
                c.intervalMinutes = plan->sourceMinutes;
                c.open = padded(k.open, d->scales.price);
                c.high = padded(k.high, d->scales.price);
                c.low = padded(k.low, d->scales.price);
                c.close = padded(k.close, d->scales.price);
                c.volume = padded(k.volume, d->scales.qty);
                all.append(c);
            }
            if (plan->sourceMinutes != interval) {
                all = BarBuilder::merged(all, interval);
                // A first bar that began before the window asked for lacks its early days.
                if (!all.isEmpty() && all.constFirst().beginMs < fromMs)
                    all.removeFirst();
            }
            const qsizetype from = std::max<qsizetype>(0, all.size() - d->config.historyBars);
            QList<Candle> bars = all.mid(from);
            for (qsizetype i = 0; i < bars.size(); ++i)
                bars[i].closed = i + 1 < bars.size(); // the last bar is still forming
            finish(bars, true, requestedMs);
        });
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
        BookPtr book = d->focusFutures ? d->fWs->bookSnapshot(d->focus, d->config.bookDepth)
                                       : d->ws->bookSnapshot(d->focus);
        if (book)
            Q_EMIT bookChanged(book);
    }
    flushSnapshotTrades();
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
    if (d->focusFutures && d->historyReady && d->bars.hasChanges()) {
        Q_EMIT candlesUpdated(d->focus, d->interval, d->bars.takeChanged());
    } else if (d->historyReady && !d->candles.isEmpty()) {
        const QList<Candle> changed = d->candles.values();
        d->candles.clear();
        Q_EMIT candlesUpdated(d->focus, d->interval, changed);
    }
}

} // namespace model
