#pragma once

// LadderModel: the depth ladder. A fixed number of rows (visible levels of asks, highest
// first, then one spread row, then bids, highest first) so the view stays still and each
// book refresh is a single dataChanged. Prices can be grouped by a multiple of the tick.
// GUI thread.

#include "marketdata.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QTimer>

namespace model {

class LadderModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Price, Size, Cumulative, ColumnCount };
    enum Role {
        SideRole = Qt::UserRole + 1, // +1 ask, -1 bid, 0 spread row
        SizeFractionRole,            // size / largest visible size, 0..1 (size bar)
        FlashRole,                   // true for a short while after the level changed
        OwnOrderRole,                // the user's resting qty at this level ("" if none)
        PriceRole,                   // the level's price as text (grouped)
    };

    explicit LadderModel(int levelsPerSide = 20, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setBook(const model::BookPtr &book);
    // Groups prices into buckets of `ticks` price increments (1 = no grouping): bids round
    // down, asks round up, sizes summed.
    void setGrouping(int ticks);
    int grouping() const { return m_grouping; }
    void setTickSize(const kraken::Decimal &tick);
    void setOwnOrders(const QHash<QString, kraken::Decimal> &qtyByPrice); // price text -> qty
    int spreadRow() const { return m_levels; }
    int levelsPerSide() const { return m_levels; }

private:
    int m_levels;
    int m_grouping = 1;
    kraken::Decimal m_tick;
    BookPtr m_book;
    struct Cell {
        QString price, size, cumulative;
        double fraction = 0;
        qint64 changedAtMs = -1;
        bool flashShown = false; // FlashRole as last announced by dataChanged
    };
    // Recomputes every row from m_book and emits one dataChanged over the rows that differ.
    // Flashes only when `flash` (a new book of the same symbol), not on regrouping.
    void rebuild(bool flash);
    bool flashOn(const Cell &cell, qint64 nowMs) const;
    void expireFlashes();
    QTimer m_flashTimer;
    QList<Cell> m_rows;
    QHash<QString, kraken::Decimal> m_own;
    QElapsedTimer m_clock;
};

} // namespace model
