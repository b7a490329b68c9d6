#pragma once

// TradesModel: the tape, newest first, bounded. Takes trades in batches: one row insertion
// per batch at the top, one removal at the bottom when over the bound. TradesFilterModel
// hides trades under a minimum size. GUI thread.

#include "marketdata.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace model {

class TradesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Side, Price, Size, ColumnCount };
    enum Role { BuyRole = Qt::UserRole + 1, QtyRole /* Decimal qty as text */ };

    explicit TradesModel(int capacity = 1000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addTrades(const QList<model::TradeRow> &trades); // oldest first
    void clear();
    // Decimals for the Price and Size columns (the instrument's pair_decimals and
    // lot_decimals); -1 (the default) prints each value at its own scale.
    void setPrecision(int priceDecimals, int qtyDecimals);
    int capacity() const { return m_capacity; }

private:
    int m_capacity;
    int m_priceDecimals = -1;
    int m_qtyDecimals = -1;
    QList<TradeRow> m_rows; // newest first
};

class TradesFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TradesFilterModel(QObject *parent = nullptr);
    void setMinimumSize(const kraken::Decimal &qty);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    kraken::Decimal m_min;
};

} // namespace model
