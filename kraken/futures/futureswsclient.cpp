#include "futureswsclient.h"

#include "futureswsparser.h"
#include "kraken/core/reconnectbackoff.h"
#include "kraken/core/signing.h"
#include "kraken/core/wssocket.h"
#include "logging.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

#include <array>

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

struct BookState {
    std::shared_ptr<book::OrderBook> book; // null until the first snapshot
    qint64 seq = 0;
    bool valid = false;
    bool resyncing = false; // had a book, lost it, waits for a fresh snapshot
    // The most decimals this product's levels have needed so far; kept across resyncs so a
    // snapshot that happens to hold only round prices does not narrow the book again.
    int widenedPrice = 0;
    int widenedQty = 0;
};

struct Precision {
    int price = -1;
    int qty = -1;
};

QString pendingKey(const QString &feed, const QString &productId) {
    return feed + u'|' + productId;
}

} // namespace

struct FuturesWsClient::Private {
    FuturesWsClientConfig config;
    QWebSocket *socket = nullptr;
    FuturesWsParser parser;
    State state = State::Disconnected;
    bool wanted = false;
    bool socketUp = false;
    int reconnectAttempt = 0;
    QRandomGenerator random;
    QTimer connectTimer, watchdog, keepAliveTimer, reconnectTimer;
    bool silencePingSent = false;
    qint64 latencyMs = -1;
    qint64 protocolErrors = 0;
    int resyncs = 0;
    QString lastDisconnectReason;

    QList<std::pair<PublicFeed, QString>> publicSubs;
    QList<PrivateFeed> privateSubs;
    QSet<QString> pendingAcks; // pendingKey(feed, product) of subscribes awaiting "subscribed"

    Credentials credentials;
    bool challengeRequested = false;
    bool authFailed = false;
    QString challenge;
    QByteArray signedChallenge; // a credential: never logged, redacted from errors

    QHash<QString, BookState> books;
    QHash<QString, Precision> precisions;

    explicit Private(FuturesWsClientConfig c)
        : config(std::move(c))
        , random(config.jitterSeed ? config.jitterSeed : QRandomGenerator::system()->generate()) {}

    bool authenticated() const { return !signedChallenge.isEmpty(); }
};

FuturesWsClient::FuturesWsClient(FuturesWsClientConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(config))) {
    d->socket = createWsSocket(
        this, FuturesWsParser::MaxFrameBytes, &d->lastDisconnectReason, lcFuturesWs,
        {.connected = [this] { onConnected(); },
         .disconnected = [this](const QString &reason) { onDisconnected(reason); },
         .handshaking = [this] { return !d->socketUp && d->state == State::Connecting; },
         .frame = [this](const QByteArray &frame) { onFrame(frame); }});
    connect(d->socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray &) {
        restartWatchdog();
        d->latencyMs = qint64(elapsedMs);
        Q_EMIT latencyMeasured(d->latencyMs);
    });
    for (QTimer *t : {&d->connectTimer, &d->watchdog, &d->reconnectTimer}) {
        t->setParent(this);
        t->setSingleShot(true);
    }
    d->keepAliveTimer.setParent(this);

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
    connect(&d->keepAliveTimer, &QTimer::timeout, this, &FuturesWsClient::sendPing);
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] {
        if (!d->wanted)
            return;
        setState(State::Connecting, u"reconnect attempt %1"_s.arg(d->reconnectAttempt));
        d->connectTimer.start(d->config.connectTimeoutMs);
        d->socket->open(d->config.url);
    });
}

FuturesWsClient::~FuturesWsClient() {
    d->wanted = false;
    d->socket->disconnect(this);
    d->socket->abort();
}

FuturesWsClient::State FuturesWsClient::state() const {
    return d->state;
}

QString FuturesWsClient::stateName(State state) {
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

QString FuturesWsClient::feedName(PublicFeed feed) {
    switch (feed) {
    case PublicFeed::Ticker:
        return u"ticker"_s;
    case PublicFeed::TickerLite:
        return u"ticker_lite"_s;
    case PublicFeed::Trade:
        return u"trade"_s;
    case PublicFeed::Book:
        return u"book"_s;
    }
    return {};
}

QString FuturesWsClient::feedName(PrivateFeed feed) {
    switch (feed) {
    case PrivateFeed::OpenOrders:
        return u"open_orders"_s;
    case PrivateFeed::Fills:
        return u"fills"_s;
    case PrivateFeed::OpenPositions:
        return u"open_positions"_s;
    case PrivateFeed::Balances:
        return u"balances"_s;
    case PrivateFeed::Notifications:
        return u"notifications_auth"_s;
    }
    return {};
}

int FuturesWsClient::resyncCount() const {
    return d->resyncs;
}

qint64 FuturesWsClient::latencyMs() const {
    return d->latencyMs;
}

qint64 FuturesWsClient::protocolErrorCount() const {
    return d->protocolErrors;
}

bool FuturesWsClient::isAuthenticated() const {
    return d->authenticated();
}

void FuturesWsClient::setState(State state, const QString &reason) {
    if (d->state == state)
        return;
    d->state = state;
    qCInfo(lcFuturesWs).noquote() << stateName(state) << "-" << reason;
    Q_EMIT stateChanged(state, reason);
}

void FuturesWsClient::open() {
    d->wanted = true;
    if (d->state == State::Connecting || d->socketUp || d->reconnectTimer.isActive())
        return;
    setState(State::Connecting, u"opening "_s + d->config.url.toString());
    d->connectTimer.start(d->config.connectTimeoutMs);
    d->socket->open(d->config.url);
}

void FuturesWsClient::close() {
    d->wanted = false;
    d->reconnectTimer.stop();
    d->connectTimer.stop();
    d->watchdog.stop();
    d->keepAliveTimer.stop();
    if (d->socketUp || d->state == State::Connecting)
        d->socket->close();
    d->socketUp = false;
    d->challenge.clear();
    d->signedChallenge.clear();
    setState(State::Closed, u"closed by the user"_s);
}

void FuturesWsClient::setCredentials(const Credentials &credentials) {
    d->credentials = credentials;
    d->authFailed = false;
    d->challenge.clear();
    d->signedChallenge.clear();
    d->challengeRequested = false;
    if (d->socketUp && !d->privateSubs.isEmpty())
        requestChallenge();
}

void FuturesWsClient::setPrecision(const QString &productId, int priceDecimals, int qtyDecimals) {
    d->precisions[productId.trimmed().toUpper()] = {std::clamp(priceDecimals, 0, 18),
                                                    std::clamp(qtyDecimals, 0, 18)};
}

void FuturesWsClient::subscribe(PublicFeed feed, const QString &input) {
    const QString productId = input.trimmed().toUpper();
    if (productId.isEmpty()) {
        Q_EMIT subscriptionFailed(feedName(feed), productId, u"no product id"_s);
        return;
    }
    const std::pair<PublicFeed, QString> sub{feed, productId};
    if (d->publicSubs.contains(sub))
        return;
    d->publicSubs.append(sub);
    if (feed == PublicFeed::Book)
        d->books[productId] = BookState{};
    if (d->socketUp) {
        sendPublic(feed, productId, true);
        updateLiveness();
    }
}

void FuturesWsClient::unsubscribe(PublicFeed feed, const QString &input) {
    const QString productId = input.trimmed().toUpper();
    if (!d->publicSubs.removeOne(std::pair<PublicFeed, QString>{feed, productId}))
        return;
    if (feed == PublicFeed::Book)
        d->books.remove(productId);
    d->pendingAcks.remove(pendingKey(feedName(feed), productId));
    if (d->socketUp)
        sendPublic(feed, productId, false);
    updateLiveness();
}

void FuturesWsClient::subscribe(PrivateFeed feed) {
    if (d->privateSubs.contains(feed))
        return;
    d->privateSubs.append(feed);
    if (!d->socketUp)
        return;
    if (d->authenticated())
        sendPrivate(feed, true);
    else
        requestChallenge();
    updateLiveness();
}

void FuturesWsClient::unsubscribe(PrivateFeed feed) {
    if (!d->privateSubs.removeOne(feed))
        return;
    d->pendingAcks.remove(pendingKey(feedName(feed), {}));
    if (d->socketUp && d->authenticated())
        sendPrivate(feed, false);
    updateLiveness();
}

bool FuturesWsClient::sendJson(const QJsonObject &json) {
    if (!d->socketUp)
        return false;
    d->socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
    return true;
}

void FuturesWsClient::sendPublic(PublicFeed feed, const QString &productId, bool subscribe) {
    const QString name = feedName(feed);
    if (subscribe)
        d->pendingAcks.insert(pendingKey(name, productId));
    sendJson({{u"event"_s, subscribe ? u"subscribe"_s : u"unsubscribe"_s},
              {u"feed"_s, name},
              {u"product_ids"_s, QJsonArray{productId}}});
}

void FuturesWsClient::sendPrivate(PrivateFeed feed, bool subscribe) {
    if (!d->authenticated())
        return;
    const QString name = feedName(feed);
    if (subscribe)
        d->pendingAcks.insert(pendingKey(name, {}));
    sendJson({{u"event"_s, subscribe ? u"subscribe"_s : u"unsubscribe"_s},
              {u"feed"_s, name},
              {u"api_key"_s, d->credentials.apiKey()},
              {u"original_challenge"_s, d->challenge},
              {u"signed_challenge"_s, QString::fromLatin1(d->signedChallenge)}});
}

void FuturesWsClient::requestChallenge() {
    if (d->challengeRequested || d->authenticated() || !d->socketUp)
        return;
    if (!d->credentials.isValid()) {
        if (!d->authFailed) {
            d->authFailed = true;
            Q_EMIT authenticationFailed(
                Error(Error::Category::Auth, u"private Futures feeds need an API key"_s));
        }
        return;
    }
    d->challengeRequested = true;
    qCInfo(lcFuturesWs).noquote() << "requesting a challenge for" << d->credentials.redactedKey();
    sendJson({{u"event"_s, u"challenge"_s}, {u"api_key"_s, d->credentials.apiKey()}});
}

void FuturesWsClient::sendAll() {
    if (d->config.subscribeHeartbeat) {
        d->pendingAcks.insert(pendingKey(u"heartbeat"_s, {}));
        sendJson({{u"event"_s, u"subscribe"_s}, {u"feed"_s, u"heartbeat"_s}});
    }
    for (const auto &[feed, productId] : std::as_const(d->publicSubs))
        sendPublic(feed, productId, true);
    // One challenge per connection serves every private feed.
    if (!d->privateSubs.isEmpty())
        requestChallenge();
    updateLiveness();
}

void FuturesWsClient::sendPing() {
    if (d->socketUp)
        d->socket->ping();
}

void FuturesWsClient::onConnected() {
    d->connectTimer.stop();
    d->socketUp = true;
    d->silencePingSent = false;
    d->pendingAcks.clear();
    d->challengeRequested = false;
    d->challenge.clear();
    d->signedChallenge.clear();
    setState(State::Subscribing, u"connected to "_s + d->config.url.toString());
    restartWatchdog();
    d->keepAliveTimer.start(d->config.keepAliveIntervalMs);
    sendAll();
}

void FuturesWsClient::onDisconnected(const QString &reason) {
    const bool wasUp = d->socketUp;
    if (!wasUp && d->state != State::Connecting)
        return; // already handled
    d->socketUp = false;
    d->connectTimer.stop();
    d->watchdog.stop();
    d->keepAliveTimer.stop();
    d->pendingAcks.clear();
    d->challengeRequested = false;
    d->challenge.clear();
    d->signedChallenge.clear();
    for (BookState &st : d->books) {
        st.resyncing = st.valid || st.resyncing;
        st.valid = false;
    }
    if (wasUp)
        Q_EMIT gap(reason);
    if (!d->wanted) {
        setState(State::Closed, reason);
        return;
    }
    scheduleReconnect(reason);
}

void FuturesWsClient::scheduleReconnect(const QString &reason) {
    const int attempt = d->reconnectAttempt++;
    const qint64 delay = reconnectDelayMs(attempt, d->config.reconnectInitialMs,
                                          d->config.reconnectMaxMs, d->random);
    setState(State::Reconnecting, u"%1; reconnecting in %2 s"_s.arg(reason).arg(delay / 1000.0));
    Q_EMIT reconnectScheduled(delay, attempt + 1);
    d->reconnectTimer.start(int(delay));
}

void FuturesWsClient::restartWatchdog() {
    d->silencePingSent = false;
    if (d->socketUp)
        d->watchdog.start(d->config.silenceTimeoutMs);
}

void FuturesWsClient::updateLiveness() {
    if (!d->socketUp)
        return;
    const bool awaitingAuth = !d->privateSubs.isEmpty() && !d->authenticated() &&
                              d->credentials.isValid() && !d->authFailed;
    bool resyncing = false;
    for (const BookState &st : std::as_const(d->books))
        resyncing = resyncing || st.resyncing;
    if (!d->pendingAcks.isEmpty() || awaitingAuth)
        setState(d->state == State::Live ? State::Resyncing : State::Subscribing,
                 awaitingAuth ? u"waiting for the challenge"_s
                              : u"waiting for subscription acks"_s);
    else if (resyncing)
        setState(State::Resyncing, u"waiting for a fresh book snapshot"_s);
    else {
        d->reconnectAttempt = 0;
        setState(State::Live, u"all subscriptions live"_s);
    }
}

void FuturesWsClient::reportError(const Error &input) {
    ++d->protocolErrors;
    Error e = input;
    // Kraken may echo a request back in an error; neither the secret nor the signed challenge
    // may travel on in it.
    const Credentials creds = d->credentials;
    const QString signedChallenge = QString::fromLatin1(d->signedChallenge);
    e.redactWith([creds, signedChallenge](const QString &text) {
        QString out = redact(text, creds);
        if (!signedChallenge.isEmpty())
            out.replace(signedChallenge, u"(redacted)"_s);
        return out;
    });
    qCInfo(lcFuturesWs).noquote() << e.toString();
    Q_EMIT protocolError(e);
}

void FuturesWsClient::onFrame(const QByteArray &frame) {
    restartWatchdog();
    using Kind = FuturesWsParser::Kind;
    const FuturesWsParser &p = d->parser;
    switch (d->parser.parse(frame)) {
    case Kind::Error:
        reportError(Error(Error::Category::Parse, u"unusable frame from Kraken: "_s + p.error()));
        return;
    case Kind::Unknown:
        // Only subscribed feeds should arrive; anything else means we misread the protocol.
        reportError(Error(Error::Category::Parse,
                          u"unexpected feed or event from Kraken: "_s + p.unknownName().left(60)));
        return;
    case Kind::Control:
        onControl();
        return;
    case Kind::Challenge:
        onChallenge();
        return;
    case Kind::Heartbeat:
        Q_EMIT heartbeat(p.heartbeatTimeMs());
        return;
    case Kind::Ticker:
        Q_EMIT ticker(p.ticker());
        return;
    case Kind::Trade:
        for (const ws::TradeEvent &t : p.trades())
            Q_EMIT trade(t);
        return;
    case Kind::BookSnapshot:
        onBookSnapshot();
        return;
    case Kind::BookDelta:
        onBookDelta();
        return;
    case Kind::OpenOrders:
        Q_EMIT openOrders(p.openOrders());
        return;
    case Kind::Fills:
        Q_EMIT fills(p.fills());
        return;
    case Kind::Positions:
        Q_EMIT positions(p.positions());
        return;
    case Kind::Balances:
        Q_EMIT balances(p.balances());
        return;
    case Kind::Notifications:
        Q_EMIT notifications(p.notifications());
        return;
    }
}

void FuturesWsClient::onControl() {
    const ws::ControlEvent &c = d->parser.control();
    if (c.event == u"info"_s) {
        qCInfo(lcFuturesWs) << "server speaks version" << c.version;
        return;
    }
    if (c.event == u"subscribed"_s || c.event == u"subscribed_failed"_s) {
        const bool ok = c.event == u"subscribed"_s;
        const QStringList products = c.productIds.isEmpty() ? QStringList{QString()} : c.productIds;
        for (const QString &productId : products) {
            if (!d->pendingAcks.remove(pendingKey(c.feed, productId)))
                continue; // a repeated ack, or one for a subscription dropped meanwhile
            if (ok) {
                Q_EMIT subscribed(c.feed, productId);
                continue;
            }
            const QString why = c.message.isEmpty() ? u"refused by Kraken"_s : c.message;
            if (productId.isEmpty()) {
                for (PrivateFeed f : QList<PrivateFeed>(d->privateSubs)) {
                    if (feedName(f) == c.feed)
                        d->privateSubs.removeOne(f);
                }
                Q_EMIT authenticationFailed(
                    Error(Error::Category::Auth, c.feed + u" subscription refused: "_s + why));
            } else {
                for (const auto &sub : QList<std::pair<PublicFeed, QString>>(d->publicSubs)) {
                    if (feedName(sub.first) == c.feed && sub.second == productId) {
                        d->publicSubs.removeOne(sub);
                        if (sub.first == PublicFeed::Book)
                            d->books.remove(productId);
                    }
                }
            }
            Q_EMIT subscriptionFailed(c.feed, productId, why);
        }
        updateLiveness();
        return;
    }
    if (c.event == u"unsubscribed"_s)
        return;
    // Kraken refuses a private subscribe (unknown key, wrong signature, a stale challenge) with
    // an alert that names no feed: every private subscribe still waiting for its ack was
    // refused. Without this the client would wait for those acks and never report Live.
    if (c.event == u"alert"_s && c.message.contains(u"authenticated feed"_s, Qt::CaseInsensitive)) {
        QStringList refused;
        for (PrivateFeed f : QList<PrivateFeed>(d->privateSubs)) {
            if (d->pendingAcks.remove(pendingKey(feedName(f), {}))) {
                refused << feedName(f);
                d->privateSubs.removeOne(f);
            }
        }
        if (!refused.isEmpty()) {
            d->authFailed = true;
            Q_EMIT authenticationFailed(
                Error(Error::Category::Auth,
                      u"Kraken Futures refused the private feeds (%1): %2. Check the Futures API "
                      u"key and secret (and mainnet vs demo)."_s.arg(refused.join(u", "),
                                                                     c.message.left(200))));
            for (const QString &feed : std::as_const(refused))
                Q_EMIT subscriptionFailed(feed, {}, c.message.left(200));
            updateLiveness();
            return;
        }
    }
    // error, alert, unsubscribed_failed: Kraken does not say which request it means.
    reportError(Error(Error::Category::Kraken,
                      u"Kraken Futures %1: %2"_s.arg(c.event, c.message.left(200))));
}

void FuturesWsClient::onChallenge() {
    if (!d->challengeRequested || d->authenticated())
        return; // unsolicited: nothing to sign it for
    const QString challenge = d->parser.control().message;
    const std::optional<QByteArray> signature =
        futuresSignChallenge(challenge.toUtf8(), d->credentials.secretBase64());
    if (!signature) {
        d->authFailed = true;
        Q_EMIT authenticationFailed(
            Error(Error::Category::Auth, u"the Futures API secret is not valid base64"_s));
        updateLiveness();
        return;
    }
    d->challenge = challenge;
    d->signedChallenge = *signature;
    qCInfo(lcFuturesWs) << "challenge signed; subscribing" << d->privateSubs.size()
                        << "private feeds";
    Q_EMIT authenticated();
    for (PrivateFeed feed : std::as_const(d->privateSubs))
        sendPrivate(feed, true);
    updateLiveness();
}

void FuturesWsClient::onBookSnapshot() {
    const ws::BookSnapshotEvent &s = d->parser.bookSnapshot();
    const auto it = d->books.find(s.productId);
    if (it == d->books.end())
        return; // unsubscribed meanwhile
    BookState &st = *it;
    // The widest of: what the instrument says, the tick size, the snapshot's own texts, and
    // what earlier levels of this product needed.
    const Precision given = d->precisions.value(s.productId);
    int price = std::max({given.price, s.priceDecimals, st.widenedPrice});
    if (s.tickSize)
        price = std::max(price, s.tickSize->normalized().scale());
    const int qty = std::max({given.qty, s.qtyDecimals, st.widenedQty});
    // Never narrower than before: a later snapshot of round prices would otherwise shrink the
    // book and the next finer level would force another resync.
    st.widenedPrice = price;
    st.widenedQty = qty;
    if (!st.book || st.book->pricePrecision() != price || st.book->qtyPrecision() != qty)
        st.book = std::make_shared<book::OrderBook>(s.productId, d->config.bookDepth, price, qty);
    const book::ApplyStatus status = st.book->applySnapshot(s.bids, s.asks);
    if (status == book::ApplyStatus::BadPrecision) {
        // Cannot happen with precisions taken from the snapshot itself, short of overflow.
        resync(s.productId, u"snapshot levels do not fit the book's precision"_s);
        return;
    }
    st.seq = s.seq;
    st.valid = true;
    st.resyncing = false;
    Q_EMIT bookUpdated(s.productId);
    updateLiveness();
}

void FuturesWsClient::onBookDelta() {
    const ws::BookDeltaEvent &u = d->parser.bookDelta();
    const auto it = d->books.find(u.productId);
    if (it == d->books.end() || !it->valid)
        return; // unsubscribed, or waiting for a snapshot: deltas before it are stale
    BookState &st = *it;
    if (u.seq != st.seq + 1) {
        resync(u.productId, u"sequence gap: expected seq %1, got %2"_s.arg(st.seq + 1).arg(u.seq));
        return;
    }
    const std::array<book::LevelUpdate, 1> level{book::LevelUpdate{u.price, u.qty}};
    const std::span<const book::LevelUpdate> none;
    const book::ApplyStatus status =
        u.buy ? st.book->applyUpdate(level, none) : st.book->applyUpdate(none, level);
    if (status == book::ApplyStatus::BadPrecision) {
        st.widenedPrice = std::max(st.widenedPrice, u.price.normalized().scale());
        st.widenedQty = std::max(st.widenedQty, u.qty.normalized().scale());
        resync(u.productId, u"level %1 x %2 needs more decimals than the book holds"_s.arg(
                                u.price.toString(), u.qty.toString()));
        return;
    }
    // A crossed book is kept: with one level per message Kraken passes through crossed states
    // between the add and the matching removal, and seq already proves nothing was lost.
    st.seq = u.seq;
    Q_EMIT bookUpdated(u.productId);
}

void FuturesWsClient::resync(const QString &productId, const QString &reason) {
    const auto it = d->books.find(productId);
    if (it == d->books.end())
        return;
    qCWarning(lcFuturesWs).noquote() << productId << "book invalid:" << reason;
    it->valid = false;
    it->resyncing = true;
    ++d->resyncs;
    Q_EMIT resyncCountChanged(d->resyncs);
    Q_EMIT bookInvalid(productId, reason);
    setState(State::Resyncing, productId + u": "_s + reason);
    // Only this product: a fresh subscription brings a fresh book_snapshot.
    sendPublic(PublicFeed::Book, productId, false);
    sendPublic(PublicFeed::Book, productId, true);
}

std::shared_ptr<const book::BookSnapshot> FuturesWsClient::bookSnapshot(const QString &productId,
                                                                        int levels) const {
    const auto it = d->books.constFind(productId);
    if (it == d->books.cend() || !it->valid || !it->book)
        return nullptr;
    return it->book->snapshot(levels);
}

qint64 FuturesWsClient::bookSeq(const QString &productId) const {
    const auto it = d->books.constFind(productId);
    return it == d->books.cend() ? 0 : it->seq;
}

} // namespace kraken::futures
