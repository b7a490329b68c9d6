#pragma once

// LadderModel: the depth ladder. A fixed number of rows (visible levels of asks, highest
// first, then one spread row, then bids, highest first) so the view stays still and each
// book refresh is a single dataChanged. Prices can be grouped by a multiple of the tick.
// It also places the user's own working limit orders on the rows whose price bucket holds
// them, for the ladder's order markers and click trading. GUI thread.

#include "marketdata.h"
#include "tradingtypes.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace model {

class LadderModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Price, Size, Cumulative, ColumnCount };
    enum Role {
        SideRole = Qt::UserRole + 1, // +1 ask, -1 bid, 0 spread row
        SizeFractionRole,            // size / largest visible size, 0..1 (size bar)
        FlashRole,                   // true for a short while after the level changed
        OwnOrderRole,                // the user's resting qty at this row, both sides ("" if none)
        // The row's exact price as Decimal text ("" on the spread row and empty rows). With
        // grouping it is the bucket edge the row shows, always on the tick: the bucket's
        // lowest price for bids (floor), its highest for asks (ceil).
        PriceRole,
        OwnBuyQtyRole,       // remaining qty of own buy orders in this row's bucket ("" if none)
        OwnSellQtyRole,      // the same for own sell orders
        OwnClOrdIdsRole,     // QStringList: cl_ord_ids of all own orders in the bucket
        OwnBuyClOrdIdsRole,  // QStringList: only the buys
        OwnSellClOrdIdsRole, // QStringList: only the sells
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
    // The user's orders on this ladder's symbol (the caller filters by symbol). Only working
    // orders with a limit price and no trigger rest in the book, so only those are kept; each
    // lands on the row whose bucket holds its price (a buy looks at the bid rows first, a
    // sell at the ask rows). One dataChanged over the rows whose markers changed.
    void setOwnOrders(const QList<model::OrderRecord> &orders);
    int spreadRow() const { return m_levels; }
    int levelsPerSide() const { return m_levels; }

    // The row's exact price (see PriceRole); nullopt on the spread row and empty rows.
    std::optional<kraken::Decimal> priceAt(int row) const;
    // The raw best prices of the current book (not grouped).
    std::optional<kraken::Decimal> bestBid() const;
    std::optional<kraken::Decimal> bestAsk() const;

private:
    int m_levels;
    int m_grouping = 1;
    kraken::Decimal m_tick;
    BookPtr m_book;
    struct Cell {
        QString price, size, cumulative;
        std::int64_t priceMantissa = 0; // at the book's price precision; valid when price set
        double fraction = 0;
        qint64 changedAtMs = -1;
        bool flashShown = false; // FlashRole as last announced by dataChanged
        QString ownBuy, ownSell, ownTotal;
        QStringList ownBuyIds, ownSellIds;
        bool sameOwn(const Cell &o) const {
            return ownBuy == o.ownBuy && ownSell == o.ownSell && ownBuyIds == o.ownBuyIds &&
                   ownSellIds == o.ownSellIds;
        }
    };
    struct OwnOrder {
        QString clOrdId;
        bool buy = true;
        kraken::Decimal price, remaining;
    };
    // Recomputes every row from m_book and emits one dataChanged over the rows that differ.
    // Flashes only when `flash` (a new book of the same symbol), not on regrouping.
    void rebuild(bool flash);
    // Fills the own-order fields of `rows` (whose prices are already set) from m_own.
    void placeOwnOrders(QList<Cell> &rows) const;
    std::int64_t bucketUnits() const;
    bool flashOn(const Cell &cell, qint64 nowMs) const;
    void expireFlashes();
    QTimer m_flashTimer;
    QList<Cell> m_rows;
    QList<OwnOrder> m_own;
    QElapsedTimer m_clock;
};

} // namespace model
