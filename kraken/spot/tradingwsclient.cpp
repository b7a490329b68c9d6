#include "tradingwsclient.h"

#include "jsonnumber.h"
#include "logging.h"
#include "reconnectbackoff.h"
#include "wsparser.h"
#include "wssocket.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QTimer>
#include <QWebSocket>

#include <map>

using namespace Qt::StringLiterals;

namespace kraken::spot {

namespace {

// ---- request text: keys as Kraken spells them, Decimals as exact JSON numbers ----

// Values of these keys are Decimals held as their text in the QJsonObject and written as JSON
// numbers (WS v2 wants numbers; QJsonDocument would route them through double).
bool isNumericKey(QStringView key) {
    return key == u"order_qty"_s || key == u"limit_price"_s || key == u"display_qty"_s ||
           key == u"cash_order_qty"_s || key == u"trigger_price"_s || key == u"price"_s;
}

QByteArray jsonString(const QString &s) {
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2); // strip the array's brackets
}

void writeJson(const QJsonValue &v, QByteArray &out, bool asNumber) {
    switch (v.type()) {
    case QJsonValue::Object: {
        out += '{';
        const QJsonObject o = v.toObject();
        bool first = true;
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!first)
                out += ',';
            first = false;
            out += jsonString(it.key());
            out += ':';
            writeJson(it.value(), out, isNumericKey(it.key()));
        }
        out += '}';
        return;
    }
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue &e : v.toArray()) {
            if (!first)
                out += ',';
            first = false;
            writeJson(e, out, false);
        }
        out += ']';
        return;
    }
    case QJsonValue::String: {
        const QByteArray text = v.toString().toUtf8();
        if (asNumber && ws::isJsonNumber(std::string_view(text.constData(), size_t(text.size()))))
            out += text;
        else
            out += jsonString(v.toString());
        return;
    }
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (d == double(v.toInteger()))
            out += QByteArray::number(v.toInteger());
        else
            out += QByteArray::number(d, 'g', 17);
        return;
    }
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        return;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    }
}

// A price as WS v2 takes it: a value and its type (static, or an offset in quote units or
// percent). REST's "+150", "-1.5%", "#150" become value 150 quote, -1.5 pct, 150 quote.
struct WsPrice {
    QString value;
    QString type; // static | pct | quote
};

std::optional<WsPrice> wsPrice(const std::optional<Decimal> &price, const QString &expression,
                               QString *error) {
    if (expression.trimmed().isEmpty()) {
        if (!price)
            return std::nullopt;
        return WsPrice{price->toString(), u"static"_s};
    }
    QString text = expression.trimmed();
    QChar sign;
    if (text.startsWith(u'+') || text.startsWith(u'-') || text.startsWith(u'#')) {
        sign = text.front();
        text.remove(0, 1);
    }
    const bool pct = text.endsWith(u'%');
    if (pct)
        text.chop(1);
    std::optional<Decimal> d = Decimal::fromString(QStringView(text).trimmed());
    if (!d || d->isNegative()) {
        *error = u"price expression \"%1\" is not +N, -N, #N or a percentage"_s.arg(expression);
        return std::nullopt;
    }
    if (sign == u'-')
        d = d->negated();
    // '#' (direction from the side) has no WS spelling; an unsigned offset is what Kraken
    // applies in the order's direction.
    return WsPrice{d->toString(), pct ? u"pct"_s : (sign.isNull() ? u"static"_s : u"quote"_s)};
}

// REST time forms (RFC 3339, unix seconds, "+N" seconds from now) as RFC 3339 for WS v2.
QString wsTime(const QString &t, const char *field, QString *error) {
    const QString s = t.trimmed();
    if (s.isEmpty())
        return {};
    auto rfc = [](const QDateTime &dt) { return dt.toUTC().toString(Qt::ISODateWithMs); };
    bool ok = false;
    if (s.startsWith(u'+')) {
        const qint64 secs = s.mid(1).toLongLong(&ok);
        if (ok)
            return rfc(QDateTime::currentDateTimeUtc().addSecs(secs));
    } else if (const qint64 unix = s.toLongLong(&ok); ok) {
        return rfc(QDateTime::fromSecsSinceEpoch(unix, QTimeZone::utc()));
    } else if (const QDateTime dt = QDateTime::fromString(s, Qt::ISODateWithMs); dt.isValid()) {
        return rfc(dt);
    }
    *error = u"%1 \"%2\" is not an RFC 3339 time, unix seconds or +seconds"_s.arg(
        QString::fromLatin1(field), s);
    return {};
}

// REST's oflags that add_order and edit_order both spell as WS v2 fields (viqc is add_order's
// alone). Both requests take them from the same REST-shaped structs, so one mapping serves.
void insertOrderFlags(const QStringList &oflags, QJsonObject &p) {
    if (oflags.contains(u"post"_s))
        p.insert(u"post_only"_s, true);
    if (oflags.contains(u"fcib"_s))
        p.insert(u"fee_preference"_s, u"base"_s);
    else if (oflags.contains(u"fciq"_s))
        p.insert(u"fee_preference"_s, u"quote"_s);
    if (oflags.contains(u"nompp"_s))
        p.insert(u"no_mpp"_s, true);
}

bool isTriggerType(const QString &type) {
    return type.startsWith(u"stop-loss"_s) || type.startsWith(u"take-profit"_s) ||
           type.startsWith(u"trailing-stop"_s);
}

QJsonObject buildAddOrderParams(const OrderRequest &o, QString *error) {
    QJsonObject p;
    p.insert(u"order_type"_s, o.orderType);
    p.insert(u"side"_s, o.side == Side::Buy ? u"buy"_s : u"sell"_s);
    p.insert(u"symbol"_s, o.pair);
    // viqc: the volume is in quote currency (a market buy "for 100 USD").
    if (o.oflags.contains(u"viqc"_s))
        p.insert(u"cash_order_qty"_s, o.volume.toString());
    else
        p.insert(u"order_qty"_s, o.volume.toString());
    if (o.displayVolume)
        p.insert(u"display_qty"_s, o.displayVolume->toString());

    const bool trailing = o.orderType.startsWith(u"trailing-stop"_s);
    if (isTriggerType(o.orderType)) {
        if (const auto t = wsPrice(o.price, o.priceExpression, error)) {
            WsPrice trig = *t;
            if (trailing) {
                // A trailing distance is always an offset, in the order's direction.
                if (trig.value.startsWith(u'-'))
                    trig.value.remove(0, 1);
                if (trig.type == u"static"_s)
                    trig.type = u"quote"_s;
            }
            QJsonObject triggers{{u"reference"_s, o.trigger.isEmpty() ? u"last"_s : o.trigger},
                                 {u"price"_s, trig.value}};
            if (trig.type != u"static"_s)
                triggers.insert(u"price_type"_s, trig.type);
            p.insert(u"triggers"_s, triggers);
        }
        if (o.orderType.endsWith(u"-limit"_s)) {
            if (const auto l = wsPrice(o.price2, o.price2Expression, error)) {
                p.insert(u"limit_price"_s, l->value);
                // trailing-stop-limit: the limit is an offset from the trigger.
                const QString type = trailing && l->type == u"static"_s ? u"quote"_s : l->type;
                if (type != u"static"_s)
                    p.insert(u"limit_price_type"_s, type);
            }
        }
    } else if (o.orderType != u"market"_s && o.orderType != u"settle-position"_s) {
        if (const auto l = wsPrice(o.price, o.priceExpression, error)) {
            p.insert(u"limit_price"_s, l->value);
            if (l->type != u"static"_s)
                p.insert(u"limit_price_type"_s, l->type);
        }
    }
    if (!o.timeInForce.isEmpty())
        p.insert(u"time_in_force"_s, o.timeInForce.toLower());
    if (const QString t = wsTime(o.expireTime, "expire time", error); !t.isEmpty())
        p.insert(u"expire_time"_s, t);
    if (const QString t = wsTime(o.startTime, "start time", error); !t.isEmpty())
        p.insert(u"effective_time"_s, t);
    insertOrderFlags(o.oflags, p);
    if (o.reduceOnly)
        p.insert(u"reduce_only"_s, true);
    // WS v2 has no leverage; a margin order is margin:true at the account's default leverage.
    if (!o.leverage.isEmpty() && o.leverage != u"none"_s)
        p.insert(u"margin"_s, true);
    if (!o.stpType.isEmpty())
        p.insert(u"stp_type"_s, QString(o.stpType).replace(u'-', u'_'));
    if (o.userref)
        p.insert(u"order_userref"_s, qint64(*o.userref));
    if (!o.clOrdId.isEmpty())
        p.insert(u"cl_ord_id"_s, o.clOrdId);
    if (!o.closeOrderType.isEmpty()) {
        QJsonObject c{{u"order_type"_s, o.closeOrderType}};
        if (isTriggerType(o.closeOrderType)) {
            if (o.closePrice)
                c.insert(u"trigger_price"_s, o.closePrice->toString());
            if (o.closePrice2)
                c.insert(u"limit_price"_s, o.closePrice2->toString());
        } else if (o.closePrice) {
            c.insert(u"limit_price"_s, o.closePrice->toString());
        }
        p.insert(u"conditional"_s, c);
    }
    if (!o.deadline.isEmpty())
        p.insert(u"deadline"_s, o.deadline);
    if (o.validateOnly)
        p.insert(u"validate"_s, true);
    return p;
}

struct Pending {
    QString method;
    TradingWsClient::Done done;
    int expected = 1; // cancel_order answers once per identifier
    QList<ws::MethodResponse> answers;
    QStringList errors;
    QTimer *timer = nullptr;
};

} // namespace

QJsonObject toWsAddOrderParams(const OrderRequest &order) {
    QString ignored;
    return buildAddOrderParams(order, &ignored);
}

struct TradingWsClient::Private {
    TradingWsClient *q;
    QPointer<RestClient> rest;
    TradingWsClientConfig config;
    QWebSocket *socket = nullptr;
    ws::WsParser parser;
    State state = State::Disconnected;
    bool wanted = false;
    bool socketUp = false;
    quint64 epoch = 0; // every attempt and close() bumps it: stale token answers are dropped
    int reconnectAttempt = 0;
    QRandomGenerator random;
    QTimer connectTimer, watchdog, reconnectTimer;
    bool silencePingSent = false;
    qint64 nextReqId = 1;
    QString token;
    QStringList tokens; // every token this client held, for redaction
    qint64 execSubReq = 0, balSubReq = 0;
    bool execAck = false, balAck = false;
    std::optional<qint64> execSeq, balSeq;
    bool everLive = false;
    QString lastDropReason;
    QString lastDisconnectReason;
    std::map<qint64, Pending> pending;

    Private(TradingWsClient *qq, RestClient *r, TradingWsClientConfig c)
        : q(qq)
        , rest(r)
        , config(std::move(c))
        , random(config.jitterSeed ? config.jitterSeed : QRandomGenerator::system()->generate()) {}

    QString redact(QString s) const {
        for (const QString &t : tokens) {
            if (!t.isEmpty())
                s.replace(t, u"<token>"_s);
        }
        return s;
    }
    Error redacted(Error e) const {
        if (!tokens.isEmpty())
            e.redactWith([this](const QString &s) { return redact(s); });
        return e;
    }
    void report(const Error &error) {
        const Error e = redacted(error);
        qCInfo(lcWsAuth).noquote() << e.toString();
        Q_EMIT q->errorOccurred(e);
    }

    void setState(State s, const QString &reason) {
        if (state == s)
            return;
        state = s;
        const QString why = redact(reason);
        qCInfo(lcWsAuth).noquote() << stateName(s) << "-" << why;
        Q_EMIT q->stateChanged(s, why);
    }

    void startAttempt(const QString &reason) {
        const quint64 mine = ++epoch;
        setState(State::Authenticating, reason);
        if (!rest) {
            report(Error(Error::Category::Auth, u"no REST client to fetch a WebSockets token"_s));
            setState(State::Disconnected, u"no REST client"_s);
            return;
        }
        // A fresh token every time: an unused token expires after 15 minutes.
        rest->webSocketsToken().then(q, [this, mine](Result<WebSocketToken> r) {
            if (mine != epoch || !wanted)
                return;
            if (!r || r->token.isEmpty()) {
                const Error e =
                    r ? Error(Error::Category::Parse, u"empty WebSockets token"_s) : r.error();
                report(Error(e.category(), u"WebSockets token: "_s + e.message(), e.detail()));
                scheduleReconnect(u"no WebSockets token: "_s + e.message());
                return;
            }
            token = r->token;
            tokens.append(token);
            setState(State::Connecting, u"opening "_s + config.url.toString());
            connectTimer.start(config.connectTimeoutMs);
            socket->open(config.url);
        });
    }

    void scheduleReconnect(const QString &reason) {
        const int attempt = reconnectAttempt++;
        const qint64 delay =
            reconnectDelayMs(attempt, config.reconnectInitialMs, config.reconnectMaxMs, random);
        setState(State::Reconnecting,
                 u"%1; reconnecting in %2 s"_s.arg(reason).arg(double(delay) / 1000.0));
        Q_EMIT q->reconnectScheduled(delay, attempt + 1);
        reconnectTimer.start(int(delay));
    }

    QByteArray requestText(const QString &method, const QJsonObject &params, qint64 reqId) {
        QByteArray out;
        writeJson(QJsonObject{{u"method"_s, method}, {u"params"_s, params}, {u"req_id"_s, reqId}},
                  out, false);
        return out;
    }

    void sendText(const QByteArray &text) { socket->sendTextMessage(QString::fromUtf8(text)); }

    void onConnected() {
        connectTimer.stop();
        socketUp = true;
        execAck = balAck = false;
        execSeq.reset();
        balSeq.reset();
        setState(State::Subscribing, u"connected to "_s + config.url.toString());
        restartWatchdog();
        execSubReq = nextReqId++;
        sendText(requestText(u"subscribe"_s,
                             QJsonObject{{u"channel"_s, u"executions"_s},
                                         {u"token"_s, token},
                                         {u"snap_orders"_s, true},
                                         {u"snap_trades"_s, config.snapTrades},
                                         {u"order_status"_s, true}},
                             execSubReq));
        balSubReq = nextReqId++;
        sendText(requestText(
            u"subscribe"_s,
            QJsonObject{{u"channel"_s, u"balances"_s}, {u"token"_s, token}, {u"snapshot"_s, true}},
            balSubReq));
    }

    void onDisconnected(const QString &reason) {
        if (!socketUp && state != State::Connecting)
            return; // already handled
        socketUp = false;
        connectTimer.stop();
        watchdog.stop();
        lastDropReason = reason;
        failAllPending(Error::Category::Network, u"connection lost (%1)"_s.arg(reason));
        if (!wanted) {
            setState(State::Closed, reason);
            return;
        }
        scheduleReconnect(reason);
    }

    void dropConnection(const QString &reason) {
        lastDisconnectReason = reason;
        socket->abort();
        onDisconnected(reason);
    }

    void restartWatchdog() {
        silencePingSent = false;
        watchdog.start(config.silenceTimeoutMs);
    }

    // ---- requests

    qint64 send(const QString &method, QJsonObject params, Done done, int expected = 1) {
        if (state != State::Live) {
            refuse(std::move(done),
                   Error(Error::Category::Network,
                         u"%1 not sent: the authenticated WebSocket is %2, not live"_s.arg(
                             method, stateName(state))));
            return 0;
        }
        params.insert(u"token"_s, token);
        const qint64 reqId = nextReqId++;
        Pending p;
        p.method = method;
        p.done = std::move(done);
        p.expected = std::max(1, expected);
        p.timer = new QTimer(q);
        p.timer->setSingleShot(true);
        QObject::connect(p.timer, &QTimer::timeout, q, [this, reqId] {
            const auto it = pending.find(reqId);
            if (it == pending.end())
                return;
            finishUnknown(reqId, Error::Category::Timeout,
                          u"no answer within %1 s"_s.arg(config.requestTimeoutMs / 1000.0));
        });
        p.timer->start(config.requestTimeoutMs);
        pending.emplace(reqId, std::move(p));
        qCDebug(lcWsAuth).noquote() << "sending" << method << "req_id" << reqId;
        sendText(requestText(method, params, reqId));
        return reqId;
    }

    // A definite failure before anything was sent, delivered from the event loop so that a
    // caller never sees its callback run inside its own call.
    void refuse(Done done, const Error &error) {
        const Error e = redacted(error);
        qCInfo(lcWsAuth).noquote() << e.toString();
        QTimer::singleShot(0, q,
                           [done = std::move(done), e] { done(Result<ws::MethodResponse>(e)); });
    }

    Pending take(qint64 reqId) {
        auto it = pending.find(reqId);
        Pending p = std::move(it->second);
        pending.erase(it);
        if (p.timer) {
            p.timer->stop();
            p.timer->deleteLater();
        }
        return p;
    }

    void finishUnknown(qint64 reqId, Error::Category category, const QString &why) {
        Pending p = take(reqId);
        Error e(category,
                u"%1 (req_id %2): %3; the outcome is unknown, reconcile before acting again"_s
                    .arg(p.method)
                    .arg(reqId)
                    .arg(why));
        e.setOutcomeUnknown(true);
        e = redacted(e);
        qCInfo(lcWsAuth).noquote() << e.toString();
        if (p.done)
            p.done(Result<ws::MethodResponse>(e));
    }

    void failAllPending(Error::Category category, const QString &why) {
        while (!pending.empty())
            finishUnknown(pending.begin()->first, category, why);
    }

    void finishAnswered(qint64 reqId) {
        Pending p = take(reqId);
        if (!p.errors.isEmpty()) {
            Error e = Error::fromKraken(p.errors);
            if (p.answers.size() > p.errors.size())
                e = Error(
                    e.category(), e.message(),
                    u"%1 of %2 identifiers were handled"_s.arg(p.answers.size() - p.errors.size())
                        .arg(p.answers.size()));
            if (p.done)
                p.done(Result<ws::MethodResponse>(redacted(e)));
            return;
        }
        ws::MethodResponse r = p.answers.front();
        if (p.answers.size() > 1) {
            QJsonArray all;
            for (const ws::MethodResponse &a : std::as_const(p.answers))
                all.append(a.result);
            r.resultArray = all;
        }
        if (p.done)
            p.done(Result<ws::MethodResponse>(std::move(r)));
    }

    // ---- frames

    void onFrame(QByteArrayView frame) {
        restartWatchdog();
        switch (parser.parse(frame)) {
        case ws::WsParser::Kind::Error:
            report(Error(Error::Category::Parse,
                         u"unusable frame on the authenticated WebSocket: "_s + parser.error()));
            return;
        case ws::WsParser::Kind::Heartbeat:
            return;
        case ws::WsParser::Kind::Status:
            if (parser.status().system != u"online"_s)
                qCWarning(lcWsAuth).noquote() << "Kraken system status:" << parser.status().system;
            return;
        case ws::WsParser::Kind::Method:
            onMethod(parser.method());
            return;
        case ws::WsParser::Kind::Unknown:
            break;
        case ws::WsParser::Kind::Book:
        case ws::WsParser::Kind::Ticker:
        case ws::WsParser::Kind::Trade:
        case ws::WsParser::Kind::Ohlc:
        case ws::WsParser::Kind::Instrument:
            report(Error(Error::Category::Parse,
                         u"public market data on the authenticated WebSocket; ignored"_s));
            return;
        }
        const QString name = parser.unknownName();
        if (name == u"executions"_s) {
            Result<ws::ExecutionsMessage> m = parseExecutions(frame);
            if (!m) {
                report(m.error());
                return;
            }
            checkSequence(execSeq, m->sequence, name);
            Q_EMIT q->executions(*m);
        } else if (name == u"balances"_s) {
            Result<ws::BalancesMessage> m = parseBalances(frame);
            if (!m) {
                report(m.error());
                return;
            }
            checkSequence(balSeq, m->sequence, name);
            Q_EMIT q->balances(*m);
        } else {
            report(Error(Error::Category::Parse,
                         name.isEmpty()
                             ? u"frame with neither channel nor method on the authenticated "
                               "WebSocket"_s
                             : u"unknown channel \"%1\" on the authenticated WebSocket"_s.arg(
                                   name.left(40))));
        }
    }

    void checkSequence(std::optional<qint64> &last, std::optional<qint64> seq,
                       const QString &channel) {
        if (!seq)
            return;
        if (last && *seq != *last + 1) {
            const QString reason =
                u"%1 sequence went from %2 to %3: messages were missed"_s.arg(channel)
                    .arg(*last)
                    .arg(*seq);
            qCWarning(lcWsAuth).noquote() << reason;
            Q_EMIT q->gap(reason);
        }
        last = seq;
    }

    void onMethod(const ws::MethodResponse &m) {
        if (m.method == u"pong"_s)
            return; // the frame itself proved the connection alive
        if (m.reqId && (*m.reqId == execSubReq || *m.reqId == balSubReq) &&
            m.method == u"subscribe"_s) {
            onSubscribeAck(m, *m.reqId == execSubReq ? u"executions"_s : u"balances"_s);
            return;
        }
        const auto it = m.reqId ? pending.find(*m.reqId) : pending.end();
        if (it == pending.end()) {
            if (!m.success)
                report(Error::fromKraken({m.error}));
            else
                qCInfo(lcWsAuth).noquote()
                    << "answer to" << m.method << "req_id" << m.reqId.value_or(0)
                    << "matches no pending request (late, after its timeout?)";
            return;
        }
        if (m.method != it->second.method) {
            const qint64 reqId = it->first;
            report(Error(Error::Category::Parse,
                         u"answer for req_id %1 names method %2, but %3 was sent"_s.arg(reqId).arg(
                             m.method.left(40), it->second.method)));
            finishUnknown(reqId, Error::Category::Parse, u"answer for another method"_s);
            return;
        }
        Pending &p = it->second;
        p.answers.append(m);
        if (!m.success)
            p.errors.append(m.error.isEmpty() ? u"EGeneral:Unknown error"_s : m.error);
        if (p.answers.size() >= p.expected)
            finishAnswered(it->first);
    }

    void onSubscribeAck(const ws::MethodResponse &m, const QString &channel) {
        if (!m.success) {
            Error e = Error::fromKraken({m.error});
            report(Error(e.category(), u"%1 subscription refused: %2"_s.arg(channel, m.error)));
            // Most likely the token (expired, revoked): a new connection fetches a new one.
            dropConnection(u"%1 subscription refused: %2"_s.arg(channel, m.error));
            return;
        }
        (channel == u"executions"_s ? execAck : balAck) = true;
        if (execAck && balAck) {
            reconnectAttempt = 0;
            setState(State::Live, u"executions and balances subscribed"_s);
            if (everLive)
                Q_EMIT q->gap(u"reconnected after: "_s + redact(lastDropReason));
            everLive = true;
        }
    }
};

TradingWsClient::TradingWsClient(RestClient *rest, TradingWsClientConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, rest, std::move(config))) {
    qRegisterMetaType<kraken::spot::ws::ExecutionsMessage>();
    qRegisterMetaType<kraken::spot::ws::BalancesMessage>();
    qRegisterMetaType<kraken::Error>();
    // Frames between the parser's bound and twice that are reported as Parse errors with the
    // connection kept; beyond that Qt refuses them before buffering and the connection drops.
    d->socket = createWsSocket(
        this, 2 * ws::WsParser::MaxFrameBytes, &d->lastDisconnectReason, lcWsAuth,
        {.connected = [this] { d->onConnected(); },
         .disconnected = [this](const QString &reason) { d->onDisconnected(reason); },
         .handshaking = [this] { return !d->socketUp && d->state == State::Connecting; },
         .frame = [this](const QByteArray &frame) { d->onFrame(frame); }});
    for (QTimer *t : {&d->connectTimer, &d->watchdog, &d->reconnectTimer}) {
        t->setParent(this);
        t->setSingleShot(true);
    }

    connect(&d->connectTimer, &QTimer::timeout, this, [this] {
        d->dropConnection(
            u"no connection within %1 s"_s.arg(double(d->config.connectTimeoutMs) / 1000.0));
    });
    connect(&d->watchdog, &QTimer::timeout, this, [this] {
        if (!d->socketUp)
            return;
        if (!d->silencePingSent) {
            d->silencePingSent = true;
            d->sendText("{\"method\":\"ping\",\"req_id\":" + QByteArray::number(d->nextReqId++) +
                        '}');
            d->watchdog.start(d->config.pongTimeoutMs);
            return;
        }
        d->dropConnection(u"no data and no pong for %1 s"_s.arg(
            double(d->config.silenceTimeoutMs + d->config.pongTimeoutMs) / 1000.0));
    });
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] {
        if (d->wanted)
            d->startAttempt(u"reconnect attempt %1"_s.arg(d->reconnectAttempt));
    });
}

TradingWsClient::~TradingWsClient() {
    d->wanted = false;
    ++d->epoch;
    d->socket->disconnect(this);
    d->socket->abort();
    // Exactly once, even now: whoever waits learns the outcome is unknown.
    d->failAllPending(Error::Category::Network, u"the client was destroyed"_s);
}

void TradingWsClient::open() {
    d->wanted = true;
    if (d->state == State::Authenticating || d->state == State::Connecting || d->socketUp ||
        d->reconnectTimer.isActive())
        return;
    d->startAttempt(u"opening "_s + d->config.url.toString());
}

void TradingWsClient::close() {
    d->wanted = false;
    ++d->epoch;
    d->reconnectTimer.stop();
    d->connectTimer.stop();
    d->watchdog.stop();
    const bool up = d->socketUp || d->state == State::Connecting;
    d->socketUp = false;
    d->failAllPending(Error::Category::Network, u"closed by the user"_s);
    if (up)
        d->socket->close();
    d->setState(State::Closed, u"closed by the user"_s);
}

TradingWsClient::State TradingWsClient::state() const {
    return d->state;
}

QString TradingWsClient::stateName(State state) {
    switch (state) {
    case State::Disconnected:
        return u"disconnected"_s;
    case State::Authenticating:
        return u"authenticating"_s;
    case State::Connecting:
        return u"connecting"_s;
    case State::Subscribing:
        return u"subscribing"_s;
    case State::Live:
        return u"live"_s;
    case State::Reconnecting:
        return u"reconnecting"_s;
    case State::Closed:
        return u"closed"_s;
    }
    return {};
}

qint64 TradingWsClient::addOrder(const OrderRequest &order, Done done) {
    QString error = order.validationError();
    QJsonObject params;
    if (error.isEmpty())
        params = buildAddOrderParams(order, &error);
    if (!error.isEmpty()) {
        d->refuse(std::move(done),
                  Error(Error::Category::InvalidInput, u"add_order not sent: "_s + error));
        return 0;
    }
    return d->send(u"add_order"_s, params, std::move(done));
}

qint64 TradingWsClient::amendOrder(const AmendRequest &a, Done done) {
    if (a.txid.isEmpty() == a.clOrdId.isEmpty()) {
        d->refuse(std::move(done), Error(Error::Category::InvalidInput,
                                         u"amend_order not sent: give an order id or a "
                                         "cl_ord_id, not both"_s));
        return 0;
    }
    QJsonObject p;
    if (!a.txid.isEmpty())
        p.insert(u"order_id"_s, a.txid);
    else
        p.insert(u"cl_ord_id"_s, a.clOrdId);
    if (a.orderQty)
        p.insert(u"order_qty"_s, a.orderQty->toString());
    if (a.displayQty)
        p.insert(u"display_qty"_s, a.displayQty->toString());
    if (a.limitPrice)
        p.insert(u"limit_price"_s, a.limitPrice->toString());
    if (a.triggerPrice)
        p.insert(u"trigger_price"_s, a.triggerPrice->toString());
    if (a.postOnly)
        p.insert(u"post_only"_s, true);
    if (!a.deadline.isEmpty())
        p.insert(u"deadline"_s, a.deadline);
    return d->send(u"amend_order"_s, p, std::move(done));
}

qint64 TradingWsClient::editOrder(const EditRequest &e, Done done) {
    if (e.txid.isEmpty() || e.pair.isEmpty()) {
        d->refuse(std::move(done), Error(Error::Category::InvalidInput,
                                         u"edit_order not sent: needs the order id and symbol"_s));
        return 0;
    }
    QJsonObject p{{u"order_id"_s, e.txid}, {u"symbol"_s, e.pair}};
    if (e.volume)
        p.insert(u"order_qty"_s, e.volume->toString());
    if (e.displayVolume)
        p.insert(u"display_qty"_s, e.displayVolume->toString());
    // REST's price/price2 pair: with price2 the order is a *-limit one (price triggers, price2
    // limits); otherwise price is the limit price. Bare stop triggers: use amendOrder().
    if (e.price2) {
        if (e.price)
            p.insert(u"triggers"_s, QJsonObject{{u"price"_s, e.price->toString()}});
        p.insert(u"limit_price"_s, e.price2->toString());
    } else if (e.price) {
        p.insert(u"limit_price"_s, e.price->toString());
    }
    insertOrderFlags(e.oflags, p);
    if (e.userref)
        p.insert(u"order_userref"_s, qint64(*e.userref));
    if (!e.deadline.isEmpty())
        p.insert(u"deadline"_s, e.deadline);
    if (e.validateOnly)
        p.insert(u"validate"_s, true);
    return d->send(u"edit_order"_s, p, std::move(done));
}

qint64 TradingWsClient::cancelOrders(const QStringList &orderIds, const QStringList &clOrdIds,
                                     Done done) {
    if (orderIds.isEmpty() && clOrdIds.isEmpty()) {
        d->refuse(std::move(done),
                  Error(Error::Category::InvalidInput, u"cancel_order not sent: no order ids"_s));
        return 0;
    }
    QJsonObject p;
    if (!orderIds.isEmpty())
        p.insert(u"order_id"_s, QJsonArray::fromStringList(orderIds));
    if (!clOrdIds.isEmpty())
        p.insert(u"cl_ord_id"_s, QJsonArray::fromStringList(clOrdIds));
    return d->send(u"cancel_order"_s, p, std::move(done), int(orderIds.size() + clOrdIds.size()));
}

qint64 TradingWsClient::cancelAll(Done done) {
    return d->send(u"cancel_all"_s, {}, std::move(done));
}

qint64 TradingWsClient::cancelAllOrdersAfter(int timeoutSeconds, Done done) {
    if (timeoutSeconds < 0 || timeoutSeconds > 86400) {
        d->refuse(std::move(done), Error(Error::Category::InvalidInput,
                                         u"cancel_all_orders_after not sent: the timeout must "
                                         "be 0..86400 s"_s));
        return 0;
    }
    return d->send(u"cancel_all_orders_after"_s, QJsonObject{{u"timeout"_s, timeoutSeconds}},
                   std::move(done));
}

qint64 TradingWsClient::batchAdd(const QString &symbol, const QList<OrderRequest> &orders,
                                 bool validateOnly, Done done) {
    QString error;
    if (symbol.isEmpty())
        error = u"no symbol"_s;
    else if (orders.size() < 2 || orders.size() > 15)
        error = u"a batch holds 2 to 15 orders, not %1"_s.arg(orders.size());
    QJsonArray list;
    QString deadline;
    for (qsizetype i = 0; i < orders.size() && error.isEmpty(); ++i) {
        OrderRequest o = orders.at(i);
        if (o.pair.isEmpty())
            o.pair = symbol;
        if (QString e = o.validationError(); !e.isEmpty()) {
            error = u"order %1: %2"_s.arg(i).arg(e);
            break;
        }
        QJsonObject entry = buildAddOrderParams(o, &error);
        if (!error.isEmpty()) {
            error = u"order %1: %2"_s.arg(i).arg(error);
            break;
        }
        if (deadline.isEmpty())
            deadline = o.deadline;
        for (const QString &k : {u"symbol"_s, u"validate"_s, u"deadline"_s})
            entry.remove(k);
        list.append(entry);
    }
    if (!error.isEmpty()) {
        d->refuse(std::move(done),
                  Error(Error::Category::InvalidInput, u"batch_add not sent: "_s + error));
        return 0;
    }
    QJsonObject p{{u"symbol"_s, symbol}, {u"orders"_s, list}};
    if (validateOnly)
        p.insert(u"validate"_s, true);
    if (!deadline.isEmpty())
        p.insert(u"deadline"_s, deadline);
    return d->send(u"batch_add"_s, p, std::move(done));
}

qint64 TradingWsClient::batchCancel(const QStringList &orderIds, const QStringList &clOrdIds,
                                    Done done) {
    const qsizetype n = orderIds.size() + clOrdIds.size();
    if (n < 1 || n > 50) {
        d->refuse(std::move(done),
                  Error(Error::Category::InvalidInput,
                        u"batch_cancel not sent: 1 to 50 identifiers, not %1"_s.arg(n)));
        return 0;
    }
    QJsonObject p{{u"orders"_s, QJsonArray::fromStringList(orderIds)}};
    if (!clOrdIds.isEmpty())
        p.insert(u"cl_ord_id"_s, QJsonArray::fromStringList(clOrdIds));
    return d->send(u"batch_cancel"_s, p, std::move(done));
}

} // namespace kraken::spot
