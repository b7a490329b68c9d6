#pragma once

// FillsModel: the account's executions, newest first, one row per trade id. Batches from
// the order manager go in through addFills(): fills already shown (the same trade reported
// by the WebSocket and again by a REST reload) are dropped, and the new ones arrive as one
// insertion. GUI thread.

#include "blottermodel.h"

#include <QSet>

namespace model {

class FillsModel : public BlotterModel<FillRecord> {
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

    // New fills in any order; known trade ids are skipped. Returns how many were new.
    int addFills(const QList<model::FillRecord> &fills);
    void resetFills(const QList<model::FillRecord> &all);
    bool contains(const QString &tradeId) const { return m_ids.contains(tradeId); }
    // record(), symbols(), setPrecisions() and setInstruments(): see BlotterModel.

private:
    QVariant display(const FillRecord &f, int column) const override;
    QVariant sortKey(const FillRecord &f, int column) const override;
    QVariant roleData(const FillRecord &f, int column, int role) const override;

    // m_rows: newest first.
    QSet<QString> m_ids;
};

} // namespace model
