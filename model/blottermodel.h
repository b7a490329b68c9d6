#pragma once

// BlotterModel<Record>: what the orders and fills blotters have in common, so that the two
// cannot drift apart in how they look or sort. Rows of one record type (each with a symbol
// and a side), the record / symbol / sort key / side roles, titled columns with the numeric
// ones right-aligned, prices and quantities printed at the symbol's precision, and the
// distinct symbols for the filter combo. A subclass owns the rows' order and identity and
// supplies each column's text and sort key and any roles of its own. GUI thread.

#include "tradingtypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPair>

namespace kraken {
class Instrument;
}

namespace model {

// A subclass's columns and where its Role enum puts the shared roles (the enums predate the
// base, and their values are public).
struct BlotterLayout {
    enum Kind { Text, Number }; // numbers are right-aligned
    struct Column {
        QString title;
        Kind kind;
    };
    QList<Column> columns; // in the subclass's Column enum order
    // The columns printed at the symbol's precision: setPrecisions() repaints these.
    int firstPrecisionColumn = 0, lastPrecisionColumn = 0;
    int recordRole = 0, symbolRole = 0, sortRole = 0, buyRole = 0;
};

template<class Record> class BlotterModel : public QAbstractTableModel {
public:
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Record &record(int row) const { return m_rows.at(row); }
    QStringList symbols() const; // distinct, sorted

    // Per symbol: (price decimals, quantity decimals). Unknown symbols print each value at
    // its own scale.
    void setPrecisions(const QHash<QString, QPair<int, int>> &precisions);
    void setInstruments(const QList<kraken::Instrument> &instruments);

protected:
    BlotterModel(BlotterLayout layout, QObject *parent);

    // DisplayRole text of a column, and its SortRole value (numbers as numbers: times as
    // qint64, decimals as decimalSortKey()).
    virtual QVariant display(const Record &r, int column) const = 0;
    virtual QVariant sortKey(const Record &r, int column) const = 0;
    // Any role the base does not answer; an invalid QVariant for none.
    virtual QVariant roleData(const Record &r, int column, int role) const = 0;

    QString formatPrice(const Record &r, const Decimal &value) const;
    QString formatQty(const Record &r, const Decimal &value) const;

    QList<Record> m_rows;

private:
    Qt::Alignment alignment(int column) const;

    BlotterLayout m_layout;
    QHash<QString, QPair<int, int>> m_precisions;
};

// Instantiated once, in blottermodel.cpp, for these two.
extern template class BlotterModel<OrderRecord>;
extern template class BlotterModel<FillRecord>;

} // namespace model
