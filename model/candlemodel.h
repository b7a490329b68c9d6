#pragma once

// CandleModel: the bars of one symbol and interval, oldest first, the forming bar last.
// reset() on a new symbol/interval (REST history), update() per refresh tick (the forming
// bar and any just closed). The chart reads it; tests run it under QAbstractItemModelTester.
// GUI thread.

#include "marketdata.h"

#include <QAbstractTableModel>

namespace model {

class CandleModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Begin, Open, High, Low, Close, Volume, ColumnCount };
    enum Role { ClosedRole = Qt::UserRole + 1, BeginMsRole };

    explicit CandleModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void reset(const QString &symbol, int intervalMinutes, const QList<model::Candle> &candles);
    // Replaces bars with the same begin, appends later ones; ignores other symbol/interval.
    void update(const QString &symbol, int intervalMinutes, const QList<model::Candle> &changed);
    const QList<Candle> &candles() const { return m_candles; }
    // Decimals for the price and volume columns (pair_decimals, lot_decimals); -1 (the
    // default) prints each value at its own scale.
    void setPrecision(int priceDecimals, int volumeDecimals);
    QString symbol() const { return m_symbol; }
    int intervalMinutes() const { return m_interval; }

Q_SIGNALS:
    void candlesChanged(); // after reset or update, once

private:
    QString m_symbol;
    int m_interval = 1;
    QList<Candle> m_candles;
    int m_priceDecimals = -1;
    int m_volumeDecimals = -1;
};

} // namespace model
