#pragma once

// BalancesModel: one row per asset, sorted by asset name: total, held by open orders, and
// what is left to trade. The manager sends the whole set each time; when the assets are the
// same ones the rows are updated in place with one dataChanged, so the selection and the
// scroll position survive a balance tick. GUI thread.

#include "tradingtypes.h"

#include <QAbstractTableModel>

namespace model {

class BalancesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Asset, Total, Held, Available, ColumnCount };
    enum Role {
        RecordRole = Qt::UserRole + 1, // BalanceRecord
        AssetRole,                     // QString
        SortRole,                      // decimals as decimalSortKey()
    };

    explicit BalancesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setBalances(const QList<model::BalanceRecord> &all);
    const BalanceRecord &record(int row) const { return m_rows.at(row); }

private:
    QList<BalanceRecord> m_rows; // by asset
};

} // namespace model
