#pragma once

// FillsModel: the account's executions, newest first, one row per trade id. Batches from
// the order manager go in through addFills(): fills already shown (the same trade reported
// by the WebSocket and again by a REST reload) are dropped, and the new ones arrive as one
// insertion. GUI thread.

#include "tradingtypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPair>
#include <QSet>

namespace kraken {
class Instrument;
}

namespace model {

class FillsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Time,
        Symbol,
        Side,
        Price,
        Qty,
        Cost,
        Fee,
        FeeAsset,
        Liquidity, // maker / taker
        OrderId,
        TradeId,
        ColumnCount
    };
    enum Role {
        RecordRole = Qt::UserRole + 1, // FillRecord
        TradeIdRole,                   // QString
        SymbolRole,                    // QString
        SortRole, // numbers as numbers: times as qint64, decimals as decimalSortKey()
        BuyRole,  // bool, for the side colouring
    };

    explicit FillsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // New fills in any order; known trade ids are skipped. Returns how many were new.
    int addFills(const QList<model::FillRecord> &fills);
    void resetFills(const QList<model::FillRecord> &all);
    bool contains(const QString &tradeId) const { return m_ids.contains(tradeId); }
    const FillRecord &record(int row) const { return m_rows.at(row); }
    QStringList symbols() const; // distinct, sorted

    // Per symbol: (price decimals, quantity decimals); see OrdersModel::setPrecisions.
    void setPrecisions(const QHash<QString, QPair<int, int>> &precisions);
    void setInstruments(const QList<kraken::Instrument> &instruments);

private:
    QVariant display(const FillRecord &f, int column) const;
    QVariant sortKey(const FillRecord &f, int column) const;

    QList<FillRecord> m_rows; // newest first
    QSet<QString> m_ids;
    QHash<QString, QPair<int, int>> m_precisions;
};

} // namespace model
