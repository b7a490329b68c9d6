#pragma once

// WatchlistModel: one row per pair, with the latest ticker. Takes tickers in batches (one
// dataChanged per batch, spanning the rows that changed). GUI thread.

#include "kraken/core/instrument.h"
#include "marketdata.h"

#include <QAbstractTableModel>

namespace model {

class WatchlistModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Symbol, Last, ChangePct, Volume, Spread, ColumnCount };
    enum Role {
        SymbolRole = Qt::UserRole + 1, // "BTC/USD"
        SortRole,                      // a value that sorts numerically (for the proxy)
        DirectionRole,                 // +1 / 0 / -1: change sign, for colouring
    };

    explicit WatchlistModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setInstruments(const QList<kraken::Instrument> &instruments); // resets
    void applyTickers(const QList<model::TickerRow> &changed);
    int rowOf(const QString &symbol) const; // -1 if absent

private:
    QList<kraken::Instrument> m_instruments;
    QList<TickerRow> m_tickers; // parallel to m_instruments
    QHash<QString, int> m_rowOf;
};

} // namespace model
