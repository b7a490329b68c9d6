#include "journal.h"

#include <QAtomicInteger>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;
using kraken::Error;

Q_LOGGING_CATEGORY(lcJournal, "kraken.journal")

namespace model {

namespace {

constexpr int SchemaVersion = 1;

// Each Journal has its own named connection so that two journals (tests, or a restart inside
// one process) never share a handle.
QString nextConnectionName() {
    static QAtomicInteger<quint64> counter;
    return u"kt-journal-"_s + QString::number(counter.fetchAndAddRelaxed(1));
}

Error sqlError(const QString &what, const QSqlError &e) {
    return Error(Error::Category::InvalidInput, u"journal: "_s + what + u" failed"_s, e.text());
}

QString decimalText(const Decimal &d) {
    return d.toString();
}
QVariant optionalText(const std::optional<Decimal> &d) {
    return d ? QVariant(d->toString()) : QVariant(QMetaType(QMetaType::QString));
}
Decimal decimalFrom(const QVariant &v) {
    return Decimal::fromString(v.toString()).value_or(Decimal());
}
std::optional<Decimal> optionalFrom(const QVariant &v) {
    if (v.isNull() || v.toString().isEmpty())
        return std::nullopt;
    return Decimal::fromString(v.toString());
}
QString sideText(OrderSide s) {
    return s == OrderSide::Buy ? u"buy"_s : u"sell"_s;
}
OrderSide sideFrom(const QVariant &v) {
    return v.toString() == u"sell"_s ? OrderSide::Sell : OrderSide::Buy;
}

const char *const Schema[] = {
    "CREATE TABLE IF NOT EXISTS orders ("
    " cl_ord_id TEXT PRIMARY KEY, order_id TEXT, symbol TEXT NOT NULL, side TEXT NOT NULL,"
    " order_type TEXT NOT NULL, time_in_force TEXT, qty TEXT NOT NULL, quote_qty INTEGER,"
    " limit_price TEXT, trigger_price TEXT, display_qty TEXT, trigger_reference TEXT,"
    " post_only INTEGER, reduce_only INTEGER, expire_ms INTEGER, filled TEXT, cum_cost TEXT,"
    " avg_price TEXT, fees TEXT, fee_asset TEXT, state TEXT NOT NULL, reason TEXT,"
    " via_ws INTEGER, created_ms INTEGER, updated_ms INTEGER, seq INTEGER)",
    "CREATE INDEX IF NOT EXISTS orders_order_id ON orders(order_id)",
    "CREATE TABLE IF NOT EXISTS order_events ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, cl_ord_id TEXT NOT NULL, time_ms INTEGER,"
    " state TEXT NOT NULL, detail TEXT)",
    "CREATE INDEX IF NOT EXISTS order_events_cl ON order_events(cl_ord_id)",
    "CREATE TABLE IF NOT EXISTS fills ("
    " trade_id TEXT PRIMARY KEY, order_id TEXT, cl_ord_id TEXT, symbol TEXT, side TEXT,"
    " price TEXT, qty TEXT, cost TEXT, fee TEXT, fee_asset TEXT, maker INTEGER,"
    " time_ms INTEGER, seq INTEGER)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
};

} // namespace

struct Journal::Private {
    QString path;
    QString connection;
    qint64 seq = 0; // insertion order for orders and fills, so loads keep it
    QSqlDatabase db() const { return QSqlDatabase::database(connection, false); }
};

Journal::Journal()
    : d(std::make_unique<Private>()) {}

Journal::~Journal() {
    {
        QSqlDatabase db = d->db();
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(d->connection);
}

std::unique_ptr<Journal> Journal::open(const QString &path, Error *error) {
    std::unique_ptr<Journal> j(new Journal());
    j->d->path = path;
    j->d->connection = nextConnectionName();
    auto fail = [&](Error e) {
        qCWarning(lcJournal) << e.toString();
        if (error)
            *error = e;
        return nullptr;
    };
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, j->d->connection);
        if (!db.isValid())
            return fail(Error(Error::Category::InvalidInput,
                              u"journal: the Qt SQLite driver (QSQLITE) is not installed"_s));
        db.setDatabaseName(path);
        if (!db.open())
            return fail(sqlError(u"opening "_s + path, db.lastError()));
        QSqlQuery q(db);
        // WAL keeps readers and the writer apart; FULL makes a committed row survive a crash
        // or power loss, which is the promise "the row exists before the request leaves".
        for (const char *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
            if (!q.exec(QString::fromLatin1(pragma)))
                return fail(sqlError(QString::fromLatin1(pragma), q.lastError()));
        }
        if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
            return fail(sqlError(u"reading the schema version"_s, q.lastError()));
        const int version = q.value(0).toInt();
        if (version > SchemaVersion)
            return fail(
                Error(Error::Category::InvalidInput,
                      u"journal: %1 was written by a newer KrakenTerm (schema %2)"_s.arg(path).arg(
                          version)));
        for (const char *stmt : Schema) {
            if (!q.exec(QString::fromLatin1(stmt)))
                return fail(sqlError(u"creating the schema"_s, q.lastError()));
        }
        q.exec(u"PRAGMA user_version = %1"_s.arg(SchemaVersion));
        if (q.exec(u"SELECT MAX(m) FROM (SELECT MAX(seq) AS m FROM orders UNION ALL "
                   u"SELECT MAX(seq) FROM fills)"_s) &&
            q.next())
            j->d->seq = q.value(0).toLongLong();
    }
    return j;
}

QString Journal::path() const {
    return d->path;
}

Error Journal::writeOrder(const OrderRecord &o, const QString &detail) {
    QSqlDatabase db = d->db();
    if (!db.transaction())
        return sqlError(u"starting a transaction"_s, db.lastError());
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO orders (cl_ord_id, order_id, symbol, side, order_type, time_in_force,"
              u" qty, quote_qty, limit_price, trigger_price, display_qty, trigger_reference,"
              u" post_only, reduce_only, expire_ms, filled, cum_cost, avg_price, fees, fee_asset,"
              u" state, reason, via_ws, created_ms, updated_ms, seq) VALUES (?,?,?,?,?,?,?,?,?,?,"
              u"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(cl_ord_id) DO UPDATE SET"
              u" order_id=excluded.order_id, symbol=excluded.symbol, side=excluded.side,"
              u" order_type=excluded.order_type, time_in_force=excluded.time_in_force,"
              u" qty=excluded.qty, quote_qty=excluded.quote_qty,"
              u" limit_price=excluded.limit_price, trigger_price=excluded.trigger_price,"
              u" display_qty=excluded.display_qty, trigger_reference=excluded.trigger_reference,"
              u" post_only=excluded.post_only, reduce_only=excluded.reduce_only,"
              u" expire_ms=excluded.expire_ms, filled=excluded.filled,"
              u" cum_cost=excluded.cum_cost, avg_price=excluded.avg_price, fees=excluded.fees,"
              u" fee_asset=excluded.fee_asset, state=excluded.state, reason=excluded.reason,"
              u" via_ws=excluded.via_ws, created_ms=excluded.created_ms,"
              u" updated_ms=excluded.updated_ms"_s);
    const QVariantList values{o.clOrdId,
                              o.orderId,
                              o.symbol,
                              sideText(o.side),
                              o.orderType,
                              o.timeInForce,
                              decimalText(o.qty),
                              int(o.quoteQty),
                              optionalText(o.limitPrice),
                              optionalText(o.triggerPrice),
                              optionalText(o.displayQty),
                              o.triggerReference,
                              int(o.postOnly),
                              int(o.reduceOnly),
                              o.expireTimeMs,
                              decimalText(o.filledQty),
                              decimalText(o.cumCost),
                              decimalText(o.avgPrice),
                              decimalText(o.fees),
                              o.feeAsset,
                              orderStateName(o.state),
                              o.reason,
                              int(o.viaWebSocket),
                              o.createdMs,
                              o.updatedMs,
                              d->seq + 1};
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        db.rollback();
        return sqlError(u"writing order "_s + o.clOrdId, q.lastError());
    }
    QSqlQuery e(db);
    e.prepare(u"INSERT INTO order_events (cl_ord_id, time_ms, state, detail) VALUES (?,?,?,?)"_s);
    e.addBindValue(o.clOrdId);
    e.addBindValue(o.updatedMs);
    e.addBindValue(orderStateName(o.state));
    e.addBindValue(detail);
    if (!e.exec()) {
        db.rollback();
        return sqlError(u"appending an event for "_s + o.clOrdId, e.lastError());
    }
    if (!db.commit())
        return sqlError(u"committing order "_s + o.clOrdId, db.lastError());
    ++d->seq;
    return {};
}

Error Journal::appendFill(const FillRecord &f, bool *inserted) {
    QSqlQuery q(d->db());
    q.prepare(u"INSERT OR IGNORE INTO fills (trade_id, order_id, cl_ord_id, symbol, side, price,"
              u" qty, cost, fee, fee_asset, maker, time_ms, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,"
              u"?)"_s);
    const QVariantList values{f.tradeId,          f.orderId,           f.clOrdId,
                              f.symbol,           sideText(f.side),    decimalText(f.price),
                              decimalText(f.qty), decimalText(f.cost), decimalText(f.fee),
                              f.feeAsset,         int(f.maker),        f.timeMs,
                              d->seq + 1};
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(u"storing fill "_s + f.tradeId, q.lastError());
    const bool added = q.numRowsAffected() > 0;
    if (added)
        ++d->seq;
    if (inserted)
        *inserted = added;
    return {};
}

QList<OrderRecord> Journal::loadOrders() const {
    QList<OrderRecord> out;
    QSqlQuery q(d->db());
    if (!q.exec(u"SELECT cl_ord_id, order_id, symbol, side, order_type, time_in_force, qty,"
                u" quote_qty, limit_price, trigger_price, display_qty, trigger_reference,"
                u" post_only, reduce_only, expire_ms, filled, cum_cost, avg_price, fees,"
                u" fee_asset, state, reason, via_ws, created_ms, updated_ms FROM orders"
                u" ORDER BY created_ms, seq"_s)) {
        qCWarning(lcJournal) << "loading orders:" << q.lastError().text();
        return out;
    }
    while (q.next()) {
        OrderRecord o;
        int i = 0;
        o.clOrdId = q.value(i++).toString();
        o.orderId = q.value(i++).toString();
        o.symbol = q.value(i++).toString();
        o.side = sideFrom(q.value(i++));
        o.orderType = q.value(i++).toString();
        o.timeInForce = q.value(i++).toString();
        o.qty = decimalFrom(q.value(i++));
        o.quoteQty = q.value(i++).toInt() != 0;
        o.limitPrice = optionalFrom(q.value(i++));
        o.triggerPrice = optionalFrom(q.value(i++));
        o.displayQty = optionalFrom(q.value(i++));
        o.triggerReference = q.value(i++).toString();
        o.postOnly = q.value(i++).toInt() != 0;
        o.reduceOnly = q.value(i++).toInt() != 0;
        o.expireTimeMs = q.value(i++).toLongLong();
        o.filledQty = decimalFrom(q.value(i++));
        o.cumCost = decimalFrom(q.value(i++));
        o.avgPrice = decimalFrom(q.value(i++));
        o.fees = decimalFrom(q.value(i++));
        o.feeAsset = q.value(i++).toString();
        o.state = orderStateFromName(q.value(i++).toString()).value_or(OrderState::Unknown);
        o.reason = q.value(i++).toString();
        o.viaWebSocket = q.value(i++).toInt() != 0;
        o.createdMs = q.value(i++).toLongLong();
        o.updatedMs = q.value(i++).toLongLong();
        out.append(o);
    }
    return out;
}

QList<FillRecord> Journal::loadFills() const {
    QList<FillRecord> out;
    QSqlQuery q(d->db());
    if (!q.exec(u"SELECT trade_id, order_id, cl_ord_id, symbol, side, price, qty, cost, fee,"
                u" fee_asset, maker, time_ms FROM fills ORDER BY time_ms, seq"_s)) {
        qCWarning(lcJournal) << "loading fills:" << q.lastError().text();
        return out;
    }
    while (q.next()) {
        FillRecord f;
        int i = 0;
        f.tradeId = q.value(i++).toString();
        f.orderId = q.value(i++).toString();
        f.clOrdId = q.value(i++).toString();
        f.symbol = q.value(i++).toString();
        f.side = sideFrom(q.value(i++));
        f.price = decimalFrom(q.value(i++));
        f.qty = decimalFrom(q.value(i++));
        f.cost = decimalFrom(q.value(i++));
        f.fee = decimalFrom(q.value(i++));
        f.feeAsset = q.value(i++).toString();
        f.maker = q.value(i++).toInt() != 0;
        f.timeMs = q.value(i++).toLongLong();
        out.append(f);
    }
    return out;
}

QList<JournalEvent> Journal::events(const QString &clOrdId) const {
    QList<JournalEvent> out;
    QSqlQuery q(d->db());
    q.prepare(
        clOrdId.isEmpty()
            ? u"SELECT seq, cl_ord_id, time_ms, state, detail FROM order_events ORDER BY seq"_s
            : u"SELECT seq, cl_ord_id, time_ms, state, detail FROM order_events"
              u" WHERE cl_ord_id = ? ORDER BY seq"_s);
    if (!clOrdId.isEmpty())
        q.addBindValue(clOrdId);
    if (!q.exec())
        return out;
    while (q.next()) {
        JournalEvent e;
        e.seq = q.value(0).toLongLong();
        e.clOrdId = q.value(1).toString();
        e.timeMs = q.value(2).toLongLong();
        e.state = orderStateFromName(q.value(3).toString()).value_or(OrderState::Unknown);
        e.detail = q.value(4).toString();
        out.append(e);
    }
    return out;
}

QString Journal::meta(const QString &key) const {
    QSqlQuery q(d->db());
    q.prepare(u"SELECT value FROM meta WHERE key = ?"_s);
    q.addBindValue(key);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

Error Journal::setMeta(const QString &key, const QString &value) {
    QSqlQuery q(d->db());
    q.prepare(u"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
              u" value = excluded.value"_s);
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return sqlError(u"writing "_s + key, q.lastError());
    return {};
}

} // namespace model
