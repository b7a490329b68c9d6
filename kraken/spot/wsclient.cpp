#include "wsclient.h"

#include "logging.h"
#include "reconnectbackoff.h"
#include "stringviewhash.h"
#include "verifiedbook.h"
#include "wsparser.h"
#include "wssocket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaMethod>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

#include <string>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace kraken::spot {

using ws::WsParser;
namespace {

struct Precision {
    int price = -1;
    int qty = -1;
};

struct BookState {
    WsSubscription subscription;
    VerifiedBook book;
    bool resyncing = false; // had a book, lost it, waits for a fresh snapshot
};

} // namespace

struct WsClient::Private {
    WsClientConfig config;
    QWebSocket *socket = nullptr;
    WsParser parser;
    State state = State::Disconnected;
    bool wanted = false; // open() called and not closed
    bool socketUp = false;
    int reconnectAttempt = 0;
    QRandomGenerator random;
    QTimer connectTimer, watchdog, pingTimer, reconnectTimer;
    bool silencePingSent = false;
    qint64 nextReqId = 1;
    QHash<qint64, qint64> pingSentAt; // req_id -> ms on `clock`
    QElapsedTimer clock;
    qint64 latencyMs = -1;
    qint64 protocolErrors = 0;
    int resyncs = 0;

    QList<WsSubscription> registry;
    // req_id -> the subscription a subscribe (true) or unsubscribe (false) was for.
    QHash<qint64, std::pair<WsSubscription, bool>> pending;
    qint64 instrumentReqId = 0;
    bool instrumentsReady = false;
    QHash<QString, Precision> precisions;
    // Book frames name their symbol as a string_view into the parser's buffer; finding its
    // book must not allocate.
    std::unordered_map<std::string, BookState, StringViewHash, std::equal_to<>> books;
    QHash<QPair<QString, int>, ws::OhlcEvent> lastCandle;
    QString lastDisconnectReason;

    explicit Private(WsClientConfig c)
        : config(std::move(c))
        , random(config.jitterSeed ? config.jitterSeed : QRandomGenerator::system()->generate()) {
        clock.start();
    }

    BookState *bookFor(const QString &symbol) {
        const auto it = books.find(symbol.toStdString());
        return it == books.end() ? nullptr : &it->second;
    }
};

WsClient::WsClient(WsClientConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(config))) {
    // A frame beyond the parser's bound is refused by Qt before it is buffered whole.
    d->socket = createWsSocket(
        this, WsParser::MaxFrameBytes, &d->lastDisconnectReason, lcWs,
        {.connected = [this] { onConnected(); },
         .disconnected = [this](const QString &reason) { onDisconnected(reason); },
         .handshaking = [this] { return !d->socketUp && d->state == State::Connecting; },
         .frame = [this](const QByteArray &frame) { onFrame(frame); }});
    for (QTimer *t : {&d->connectTimer, &d->watchdog, &d->reconnectTimer}) {
        t->setParent(this);
        t->setSingleShot(true);
    }
    d->pingTimer.setParent(this);

    connect(&d->connectTimer, &QTimer::timeout, this, [this] {
        d->lastDisconnectReason =
            u"no connection within %1 s"_s.arg(d->config.connectTimeoutMs / 1000.0);
        d->socket->abort();
        onDisconnected(d->lastDisconnectReason);
    });
    connect(&d->watchdog, &QTimer::timeout, this, [this] {
        if (!d->silencePingSent) {
            d->silencePingSent = true;
            sendPing();
            d->watchdog.start(d->config.pongTimeoutMs);
            return;
        }
        d->lastDisconnectReason = u"no data and no pong for %1 s"_s.arg(
            (d->config.silenceTimeoutMs + d->config.pongTimeoutMs) / 1000.0);
        d->socket->abort();
        onDisconnected(d->lastDisconnectReason);
    });
    connect(&d->pingTimer, &QTimer::timeout, this, &WsClient::sendPing);
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] {
        if (!d->wanted)
            return;
        setState(State::Connecting, u"reconnect attempt %1"_s.arg(d->reconnectAttempt));
        d->connectTimer.start(d->config.connectTimeoutMs);
        d->socket->open(d->config.url);
    });
}

WsClient::~WsClient() {
    d->wanted = false;
    d->socket->disconnect(this);
    d->socket->abort();
}

WsClient::State WsClient::state() const {
    return d->state;
}

QString WsClient::stateName(State state) {
    switch (state) {
    case State::Disconnected:
        return u"disconnected"_s;
    case State::Connecting:
        return u"connecting"_s;
    case State::Subscribing:
        return u"subscribing"_s;
    case State::Live:
        return u"live"_s;
    case State::Resyncing:
        return u"resyncing"_s;
    case State::Reconnecting:
        return u"reconnecting"_s;
    case State::Closed:
        return u"closed"_s;
    }
    return {};
}

int WsClient::resyncCount() const {
    return d->resyncs;
}

qint64 WsClient::latencyMs() const {
    return d->latencyMs;
}

qint64 WsClient::protocolErrorCount() const {
    return d->protocolErrors;
}

QList<WsSubscription> WsClient::subscriptions() const {
    return d->registry;
}

void WsClient::setState(State state, const QString &reason) {
    if (d->state == state)
        return;
    d->state = state;
    qCInfo(lcWs).noquote() << stateName(state) << "-" << reason;
    Q_EMIT stateChanged(state, reason);
}

void WsClient::open() {
    d->wanted = true;
    if (d->state == State::Connecting || d->socketUp || d->reconnectTimer.isActive())
        return;
    setState(State::Connecting, u"opening "_s + d->config.url.toString());
    d->connectTimer.start(d->config.connectTimeoutMs);
    d->socket->open(d->config.url);
}

void WsClient::close() {
    d->wanted = false;
    d->reconnectTimer.stop();
    d->connectTimer.stop();
    d->watchdog.stop();
    d->pingTimer.stop();
    if (d->socketUp || d->state == State::Connecting)
        d->socket->close();
    d->socketUp = false;
    setState(State::Closed, u"closed by the user"_s);
}

void WsClient::setInstruments(const InstrumentRegistry &instruments) {
    for (const Instrument &in : instruments.all()) {
        Precision &p = d->precisions[in.symbol()];
        // The instrument channel, once heard, outranks REST.
        if (p.price < 0) {
            p.price = in.pairDecimals();
            p.qty = in.lotDecimals();
        }
    }
}

void WsClient::subscribe(const WsSubscription &input) {
    WsSubscription s = input;
    s.symbol = s.symbol.trimmed().toUpper();
    QString invalid;
    if (s.symbol.isEmpty())
        invalid = u"no symbol"_s;
    else if (s.channel == WsSubscription::Channel::Book && !WsSubscription::isValidDepth(s.depth))
        invalid = u"book depth must be 10, 25, 100, 500 or 1000"_s;
    else if (s.channel == WsSubscription::Channel::Ohlc &&
             !WsSubscription::isValidInterval(s.interval))
        invalid = u"ohlc interval must be one of 1, 5, 15, 30, 60, 240, 1440, 10080, 21600"_s;
    if (s.channel != WsSubscription::Channel::Book)
        s.depth = 0;
    if (s.channel != WsSubscription::Channel::Ohlc)
        s.interval = 0;
    if (!invalid.isEmpty()) {
        Q_EMIT subscriptionFailed(s, invalid);
        return;
    }
    if (d->registry.contains(s))
        return;
    if (s.channel == WsSubscription::Channel::Book) {
        // One depth per symbol: a new depth replaces the old subscription.
        for (const WsSubscription &old : QList<WsSubscription>(d->registry)) {
            if (old.channel == s.channel && old.symbol == s.symbol)
                unsubscribe(old);
        }
        d->books[s.symbol.toStdString()] = BookState{s, {}, false};
    }
    d->registry.append(s);
    if (d->socketUp && d->instrumentsReady) {
        sendSubscribe(s, true);
        updateLiveness();
    }
}

void WsClient::unsubscribe(const WsSubscription &s) {
    if (!d->registry.removeOne(s))
        return;
    if (s.channel == WsSubscription::Channel::Book)
        d->books.erase(s.symbol.toStdString());
    if (s.channel == WsSubscription::Channel::Ohlc)
        d->lastCandle.remove({s.symbol, s.interval});
    if (d->socketUp)
        sendSubscribe(s, false);
}

bool WsClient::sendJson(const QByteArray &json) {
    if (!d->socketUp)
        return false;
    d->socket->sendTextMessage(QString::fromUtf8(json));
    return true;
}

void WsClient::sendSubscribe(const WsSubscription &s, bool subscribe) {
    QJsonObject params{{u"channel"_s, WsSubscription::channelName(s.channel)},
                       {u"symbol"_s, QJsonArray{s.symbol}}};
    if (s.channel == WsSubscription::Channel::Book)
        params.insert(u"depth"_s, s.depth);
    if (s.channel == WsSubscription::Channel::Ohlc)
        params.insert(u"interval"_s, s.interval);
    if (subscribe)
        params.insert(u"snapshot"_s, true);
    // One request per subscription, so every ack maps to exactly one subscription.
    const qint64 reqId = d->nextReqId++;
    d->pending.insert(reqId, {s, subscribe});
    sendJson(QJsonDocument(QJsonObject{{u"method"_s, subscribe ? u"subscribe"_s : u"unsubscribe"_s},
                                       {u"params"_s, params},
                                       {u"req_id"_s, reqId}})
                 .toJson(QJsonDocument::Compact));
}

void WsClient::sendInstrumentSubscribe() {
    d->instrumentReqId = d->nextReqId++;
    sendJson(QJsonDocument(QJsonObject{{u"method"_s, u"subscribe"_s},
                                       {u"params"_s, QJsonObject{{u"channel"_s, u"instrument"_s},
                                                                 {u"snapshot"_s, true}}},
                                       {u"req_id"_s, d->instrumentReqId}})
                 .toJson(QJsonDocument::Compact));
}

void WsClient::sendAllSubscriptions() {
    for (const WsSubscription &s : std::as_const(d->registry))
        sendSubscribe(s, true);
    updateLiveness();
}

void WsClient::sendPing() {
    const qint64 reqId = d->nextReqId++;
    d->pingSentAt.insert(reqId, d->clock.elapsed());
    sendJson(QJsonDocument(QJsonObject{{u"method"_s, u"ping"_s}, {u"req_id"_s, reqId}})
                 .toJson(QJsonDocument::Compact));
}

void WsClient::onConnected() {
    d->connectTimer.stop();
    d->socketUp = true;
    d->silencePingSent = false;
    d->pending.clear();
    d->pingSentAt.clear();
    d->instrumentsReady = !d->config.subscribeInstruments;
    setState(State::Subscribing, u"connected to "_s + d->config.url.toString());
    restartWatchdog();
    d->pingTimer.start(d->config.pingIntervalMs);
    if (d->config.subscribeInstruments)
        sendInstrumentSubscribe();
    else
        sendAllSubscriptions();
}

void WsClient::onDisconnected(const QString &reason) {
    const bool wasUp = d->socketUp;
    if (!wasUp && d->state != State::Connecting)
        return; // already handled
    d->socketUp = false;
    d->connectTimer.stop();
    d->watchdog.stop();
    d->pingTimer.stop();
    d->pending.clear();
    for (auto &[symbol, st] : d->books) {
        st.resyncing = st.book.hasBook();
        st.book.invalidate();
    }
    if (wasUp)
        Q_EMIT gap(reason);
    if (!d->wanted) {
        setState(State::Closed, reason);
        return;
    }
    scheduleReconnect(reason);
}

void WsClient::scheduleReconnect(const QString &reason) {
    const int attempt = d->reconnectAttempt++;
    const qint64 delay = reconnectDelayMs(attempt, d->config.reconnectInitialMs,
                                          d->config.reconnectMaxMs, d->random);
    setState(State::Reconnecting, u"%1; reconnecting in %2 s"_s.arg(reason).arg(delay / 1000.0));
    Q_EMIT reconnectScheduled(delay, attempt + 1);
    d->reconnectTimer.start(int(delay));
}

void WsClient::restartWatchdog() {
    d->silencePingSent = false;
    d->watchdog.start(d->config.silenceTimeoutMs);
}

void WsClient::updateLiveness() {
    if (!d->socketUp || !d->instrumentsReady)
        return;
    bool subscribing = false;
    for (const auto &[sub, isSubscribe] : std::as_const(d->pending))
        subscribing = subscribing || isSubscribe;
    bool resyncing = false;
    for (const auto &[symbol, st] : d->books)
        resyncing = resyncing || st.resyncing;
    if (subscribing)
        setState(d->state == State::Live ? State::Resyncing : State::Subscribing,
                 u"waiting for subscription acks"_s);
    else if (resyncing)
        setState(State::Resyncing, u"waiting for a fresh book snapshot"_s);
    else {
        d->reconnectAttempt = 0;
        setState(State::Live, u"all subscriptions live"_s);
    }
}

void WsClient::onFrame(QByteArrayView frame) {
    restartWatchdog();
    static const QMetaMethod rawFrameSignal = QMetaMethod::fromSignal(&WsClient::rawFrame);
    if (isSignalConnected(rawFrameSignal))
        Q_EMIT rawFrame(frame.toByteArray());
    switch (d->parser.parse(frame)) {
    case WsParser::Kind::Error: {
        ++d->protocolErrors;
        Error e(Error::Category::Parse, u"unusable frame from Kraken: "_s + d->parser.error());
        qCInfo(lcWs).noquote() << e.message();
        Q_EMIT protocolError(e);
        return;
    }
    case WsParser::Kind::Unknown:
        qCDebug(lcWs).noquote() << "ignoring" << d->parser.unknownName();
        return;
    case WsParser::Kind::Heartbeat:
        return;
    case WsParser::Kind::Method:
        onMethod();
        return;
    case WsParser::Kind::Status:
        Q_EMIT systemStatus(d->parser.status());
        return;
    case WsParser::Kind::Book:
        onBook();
        return;
    case WsParser::Kind::Ticker:
        for (const ws::TickerEvent &t : d->parser.tickers())
            Q_EMIT ticker(t);
        return;
    case WsParser::Kind::Trade:
        for (const ws::TradeEvent &t : d->parser.trades())
            Q_EMIT trade(t);
        return;
    case WsParser::Kind::Ohlc:
        onCandles();
        return;
    case WsParser::Kind::Instrument:
        onInstruments();
        return;
    }
}

void WsClient::onMethod() {
    const ws::MethodResponse &m = d->parser.method();
    if (m.method == u"pong"_s) {
        if (m.reqId) {
            const auto it = d->pingSentAt.constFind(*m.reqId);
            if (it != d->pingSentAt.cend()) {
                d->latencyMs = d->clock.elapsed() - *it;
                d->pingSentAt.erase(it);
                Q_EMIT latencyMeasured(d->latencyMs);
            }
        }
        return;
    }
    if (m.reqId && *m.reqId == d->instrumentReqId && d->instrumentReqId != 0) {
        if (!m.success) {
            // Precisions then come from REST only; better than not streaming at all.
            qCWarning(lcWs).noquote() << "instrument subscription failed:" << m.error;
            d->instrumentsReady = true;
            sendAllSubscriptions();
        }
        return;
    }
    if (!m.reqId || !d->pending.contains(*m.reqId)) {
        if (!m.success) {
            ++d->protocolErrors;
            Q_EMIT protocolError(
                Error(Error::Category::Kraken,
                      u"Kraken refused a %1 request: %2"_s.arg(m.method, m.error)));
        }
        return;
    }
    const auto [subscription, isSubscribe] = d->pending.take(*m.reqId);
    if (isSubscribe) {
        if (m.success) {
            Q_EMIT subscribed(subscription);
        } else {
            d->registry.removeOne(subscription);
            if (subscription.channel == WsSubscription::Channel::Book)
                d->books.erase(subscription.symbol.toStdString());
            Q_EMIT subscriptionFailed(subscription, m.error);
        }
    }
    updateLiveness();
}

void WsClient::onInstruments() {
    const ws::InstrumentEvent &ev = d->parser.instruments();
    QList<ws::InstrumentPairInfo> pairs;
    pairs.reserve(qsizetype(ev.pairs.size()));
    for (const ws::InstrumentPairInfo &p : ev.pairs) {
        d->precisions[p.symbol] = {p.pricePrecision, p.qtyPrecision};
        pairs.append(p);
    }
    Q_EMIT instrumentsUpdated(pairs);
    if (!d->instrumentsReady) {
        d->instrumentsReady = true;
        sendAllSubscriptions();
    }
}

void WsClient::onBook() {
    const bool snapshot = d->parser.bookSnapshot();
    for (const ws::BookEntry &entry : d->parser.bookEntries()) {
        const auto it = d->books.find(entry.symbol);
        if (it == d->books.end())
            continue; // unsubscribed meanwhile
        BookState &st = it->second;
        const QString &symbol = st.subscription.symbol;
        const Precision p = snapshot ? d->precisions.value(symbol) : Precision{};
        const auto outcome =
            st.book.apply(entry, snapshot, symbol, st.subscription.depth, p.price, p.qty);
        if (outcome == VerifiedBook::Outcome::AwaitingSnapshot)
            continue;
        if (outcome != VerifiedBook::Outcome::Applied) {
            resync(symbol, VerifiedBook::describe(outcome, entry, st.book.lastComputedChecksum()));
            continue;
        }
        st.resyncing = false;
        Q_EMIT bookUpdated(symbol);
        if (snapshot) // a book became valid: the connection may be live again
            updateLiveness();
    }
}

void WsClient::resync(const QString &symbol, const QString &reason) {
    BookState *st = d->bookFor(symbol);
    if (!st)
        return;
    qCWarning(lcWs).noquote() << symbol << "book invalid:" << reason;
    st->book.invalidate();
    st->resyncing = true;
    ++d->resyncs;
    Q_EMIT resyncCountChanged(d->resyncs);
    Q_EMIT bookInvalid(symbol, reason);
    setState(State::Resyncing, symbol + u": "_s + reason);
    // Only this symbol: unsubscribe and subscribe again for a fresh snapshot.
    sendSubscribe(st->subscription, false);
    sendSubscribe(st->subscription, true);
}

void WsClient::onCandles() {
    for (const ws::OhlcEvent &c : d->parser.candles()) {
        const QPair<QString, int> key{c.symbol, c.intervalMinutes};
        auto it = d->lastCandle.find(key);
        if (it != d->lastCandle.end()) {
            if (c.intervalBeginNs < it->intervalBeginNs)
                continue; // an older candle re-sent late: the closed one stays closed
            if (c.intervalBeginNs > it->intervalBeginNs)
                Q_EMIT candleClosed(*it);
            *it = c;
        } else {
            d->lastCandle.insert(key, c);
        }
        Q_EMIT candle(c);
    }
}

std::shared_ptr<const book::BookSnapshot> WsClient::bookSnapshot(const QString &symbol,
                                                                 int levels) const {
    BookState *st = d->bookFor(symbol);
    if (!st || !st->book.isValid())
        return nullptr;
    return st->book.book()->snapshot(levels);
}

} // namespace kraken::spot
