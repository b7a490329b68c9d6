#pragma once

// OrdersModel: every order the account knows, one row per cl_ord_id, in arrival order (the
// view sorts). The order manager's batches go in through applyOrders(): rows already shown
// are replaced in place and announced with one dataChanged over the rows touched, new ones
// are appended with one insertion, so a burst of executions costs the view one repaint.
// Price and quantity of a working limit order are editable, but an edit never changes the
// record: it becomes amendRequested() and the row changes only when the manager reports
// the amended order. GUI thread.

#include "blottermodel.h"

#include <optional>

namespace model {

class OrdersModel : public BlotterModel<OrderRecord> {
    Q_OBJECT
public:
    enum Column {
        Time,
        Symbol,
        Side,
        Type,
        Price,
        Trigger,
        Qty,
        Filled,
        AvgPrice,
        Status,
        TimeInForce,
        Reason,
        ClOrdId,
        OrderId,
        ColumnCount
    };
    enum Role {
        RecordRole = Qt::UserRole + 1, // OrderRecord
        ClOrdIdRole,                   // QString
        StateRole,                     // int(OrderState)
        SymbolRole,                    // QString
        SortRole, // numbers as numbers: times as qint64, decimals as decimalSortKey()
        BuyRole,  // bool, for the side colouring
    };

    explicit OrdersModel(QObject *parent = nullptr);

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Price or Qty of an amendable order: emits amendRequested() with the parsed value and
    // returns false, because the record itself is unchanged. Unparseable, non-positive or
    // unchanged values emit nothing.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // New or changed orders, full records (the manager's ordersChanged batch).
    void applyOrders(const QList<model::OrderRecord> &changed);
    // The whole set, after a reload from the journal or the exchange.
    void resetOrders(const QList<model::OrderRecord> &all);

    int rowOf(const QString &clOrdId) const { return m_rowOf.value(clOrdId, -1); }
    std::optional<OrderRecord> find(const QString &clOrdId) const;
    // record(), symbols(), setPrecisions() and setInstruments(): see BlotterModel.

    // Whether the order's limit price and quantity may be amended from the blotter.
    static bool isAmendable(const OrderRecord &order);

Q_SIGNALS:
    void amendRequested(const QString &clOrdId, std::optional<kraken::Decimal> qty,
                        std::optional<kraken::Decimal> price);

private:
    QVariant display(const OrderRecord &o, int column) const override;
    QVariant sortKey(const OrderRecord &o, int column) const override;
    QVariant roleData(const OrderRecord &o, int column, int role) const override;

    QHash<QString, int> m_rowOf;
};

} // namespace model
