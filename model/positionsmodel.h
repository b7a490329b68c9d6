#pragma once

// PositionsModel: the open Futures positions, one row per symbol, in the order they opened
// (the view sorts, through a proxy on SortRole). The Futures order manager sends the whole
// set each time; setPositions() turns it into one batch: rows of closed positions are
// removed, newly opened ones appended in one insertion, and the rest announced with one
// dataChanged over the rows whose values changed, so a mark-price tick costs the view one
// repaint and the selection survives it. A position of size zero counts as closed.
// Not a BlotterModel: that base is for records with a side and spot instruments. GUI thread.

#include "futurestypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace model {

class PositionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Symbol,
        Side,
        Size,
        Entry,
        Mark,
        UnrealizedPnl, // "12.5 USD": the value and its currency
        Funding,       // unrealised funding, same currency
        Liquidation,   // Kraken's estimate
        Leverage,      // "10x" for a fixed-leverage (isolated) position, "cross" otherwise
        ColumnCount
    };
    enum Role {
        RecordRole = Qt::UserRole + 1, // PositionRecord
        SymbolRole,                    // QString
        SignedSizeRole,                // QString: the signed size's exact text, "-0.5"
        SortRole,                      // decimals as decimalSortKey(), text as text
        SignRole,                      // int: the PnL's sign on PnL and Funding, the side's
                                       // elsewhere (for SignColourDelegate)
    };

    explicit PositionsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The whole set of open positions (one batch; see the class comment).
    void setPositions(const QList<model::PositionRecord> &positions);
    // Per symbol, the price decimals (the instrument's tick); unknown symbols print each value
    // at its own scale.
    void setPriceDecimals(const QHash<QString, int> &decimals);

    const PositionRecord &record(int row) const { return m_rows.at(row); }
    int rowOf(const QString &symbol) const;

private:
    QString formatPrice(const PositionRecord &p, const std::optional<Decimal> &value) const;

    QList<PositionRecord> m_rows;
    QHash<QString, int> m_priceDecimals;
};

} // namespace model
