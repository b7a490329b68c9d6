#pragma once

// Journal: the order manager's durable memory, a SQLite file (QtSql, QSQLITE). One row per
// order (keyed by our cl_ord_id), an append-only event log of every state change, and one row
// per fill keyed by Kraken's trade id, so a fill seen twice (WS snapshot, WS update, REST
// history) is stored once. Decimals are stored as their exact text. Writes are synchronous
// and durable (WAL, synchronous=FULL): the order row exists on disk before its request leaves.
//
// Thread: a QSqlDatabase connection belongs to the thread that opened it; create, use and
// destroy a Journal on one thread (the trading thread).

#include "kraken/core/error.h"
#include "tradingtypes.h"

#include <QString>

#include <memory>

namespace model {

struct JournalEvent {
    qint64 seq = 0;
    QString clOrdId;
    qint64 timeMs = 0;
    OrderState state = OrderState::PendingNew;
    QString detail;
};

class Journal {
public:
    // Opens (creating if needed) the journal at `path`; nullptr and `error` set on failure.
    static std::unique_ptr<Journal> open(const QString &path, kraken::Error *error = nullptr);
    ~Journal();
    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    QString path() const;

    // Inserts or replaces the order's row and appends an event with its state and `detail`.
    kraken::Error writeOrder(const OrderRecord &order, const QString &detail);
    // Stores the fill unless its trade id is already there; *inserted tells which.
    kraken::Error appendFill(const FillRecord &fill, bool *inserted = nullptr);

    QList<OrderRecord> loadOrders() const; // oldest first
    QList<FillRecord> loadFills() const;   // oldest first
    QList<JournalEvent> events(const QString &clOrdId = {}) const;

    QString meta(const QString &key) const;
    kraken::Error setMeta(const QString &key, const QString &value);

private:
    Journal();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace model
