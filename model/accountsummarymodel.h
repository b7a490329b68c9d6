#pragma once

// AccountSummaryModel: the whole account in one table, Spot balances and Futures margin
// accounts, grouped by venue (the Spot rows first, then the Futures ones). A Spot row has the
// asset's total, available and held; a Futures row has the margin account's balance,
// portfolio value, available, initial and maintenance margin, unrealised PnL and its margin
// level: portfolio value / maintenance margin as a percentage, computed exactly and rounded
// down to two places, so the figure never looks safer than it is. Each venue's set comes
// whole and is one batch: rows of vanished assets or accounts removed, new ones appended to
// their group in one insertion, the rest one dataChanged. The view sorts through a proxy on
// SortRole; sorting on the Venue column keeps the groups. GUI thread.

#include "futurestypes.h"
#include "tradingtypes.h"

#include <QAbstractTableModel>

namespace model {

class AccountSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Venue,    // Spot, Futures
        Account,  // Futures: flex, fi_xbtusd, cash; empty for Spot
        Currency, // the asset, or the margin account's currency
        Balance,  // Spot: total; Futures: collateral
        Available,
        Held, // Spot only: reserved by open orders
        PortfolioValue,
        InitialMargin,
        MaintenanceMargin,
        UnrealizedPnl,
        MarginLevel, // "245.83%"
        ColumnCount
    };
    enum Role {
        VenueRole = Qt::UserRole + 1, // int(VenueKind)
        KeyRole,                      // QString: the asset (Spot) or the account (Futures)
        SortRole,                     // decimals as decimalSortKey(), text as text
        MarginLevelRole,              // QString: the level's exact text ("245.83"), or empty
        MarginAlertRole,              // int(MarginAlert)
        SignRole,                     // int: the unrealised PnL's sign (Futures rows)
        BalanceRecordRole,            // BalanceRecord (Spot rows)
        MarginRecordRole,             // MarginRecord (Futures rows)
    };
    enum class VenueKind { Spot, Futures };
    enum class MarginAlert { None, Low, Critical };

    // Margin level thresholds, in percent. Kraken liquidates when the portfolio value falls
    // to the maintenance margin (100%); below 150% a move of a third of the cushion is enough
    // to get there, so the panel warns; below 110% it is one bad candle away.
    static constexpr int LowMarginLevelPct = 150;
    static constexpr int CriticalMarginLevelPct = 110;

    explicit AccountSummaryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The whole Spot balance set (the last report of an asset wins).
    void setSpotBalances(const QList<model::BalanceRecord> &balances);
    // The whole set of Futures margin accounts (the last report of an account wins).
    void setFuturesMargin(const QList<model::MarginRecord> &accounts);

    // portfolioValue / maintenanceMargin x 100, rounded down to 2 places; nullopt without a
    // maintenance margin (no positions) or a portfolio value.
    static std::optional<Decimal> marginLevelPct(const MarginRecord &account);
    static MarginAlert marginAlert(const std::optional<Decimal> &levelPct);

    int rowOf(VenueKind venue, const QString &key) const;

private:
    struct Row {
        VenueKind venue = VenueKind::Spot;
        BalanceRecord spot;
        MarginRecord futures;
        QString key() const { return venue == VenueKind::Spot ? spot.asset : futures.account; }
    };
    void syncGroup(VenueKind venue, QList<Row> incoming);
    QVariant display(const Row &r, int column) const;
    QVariant sortKey(const Row &r, int column) const;

    QList<Row> m_rows; // the Spot group, then the Futures group
};

} // namespace model
