#include "accountsummarymodel.h"

#include "decimalsortkey.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace model {

namespace {

using VenueKind = AccountSummaryModel::VenueKind;

const QString Missing = u"\u2014"_s;

bool same(const std::optional<Decimal> &a, const std::optional<Decimal> &b) {
    return a.has_value() == b.has_value() && (!a || a->identical(*b));
}

// identical(): "1.50" after "1.5" is a change of text the view must show.
bool sameValues(const BalanceRecord &a, const BalanceRecord &b) {
    return a.asset == b.asset && a.total.identical(b.total) && a.held.identical(b.held);
}

bool sameValues(const MarginRecord &a, const MarginRecord &b) {
    return a.account == b.account && a.currency == b.currency && a.balance.identical(b.balance) &&
           same(a.portfolioValue, b.portfolioValue) && same(a.availableMargin, b.availableMargin) &&
           same(a.initialMargin, b.initialMargin) &&
           same(a.maintenanceMargin, b.maintenanceMargin) &&
           same(a.unrealizedPnl, b.unrealizedPnl) && same(a.unrealizedFunding, b.unrealizedFunding);
}

QString text(const std::optional<Decimal> &d) {
    return d ? d->toString() : Missing;
}

QString sortKeyOf(const std::optional<Decimal> &d) {
    return d ? decimalSortKey(*d) : QString();
}

bool isNumberColumn(int column) {
    return column >= AccountSummaryModel::Balance;
}

} // namespace

AccountSummaryModel::AccountSummaryModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int AccountSummaryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AccountSummaryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<Decimal> AccountSummaryModel::marginLevelPct(const MarginRecord &a) {
    if (!a.portfolioValue || !a.maintenanceMargin || a.maintenanceMargin->signum() <= 0)
        return std::nullopt;
    const Decimal pv = a.portfolioValue->normalized();
    const auto hundredfold = pv.times(Decimal::fromInt(100), pv.scale());
    if (!hundredfold)
        return std::nullopt;
    return hundredfold->dividedBy(*a.maintenanceMargin, 2, kraken::Rounding::Down);
}

AccountSummaryModel::MarginAlert
AccountSummaryModel::marginAlert(const std::optional<Decimal> &levelPct) {
    if (!levelPct)
        return MarginAlert::None;
    if (*levelPct < Decimal::fromInt(CriticalMarginLevelPct))
        return MarginAlert::Critical;
    if (*levelPct < Decimal::fromInt(LowMarginLevelPct))
        return MarginAlert::Low;
    return MarginAlert::None;
}

QVariant AccountSummaryModel::display(const Row &r, int column) const {
    if (r.venue == VenueKind::Spot) {
        const BalanceRecord &b = r.spot;
        switch (column) {
        case Venue:
            return u"Spot"_s;
        case Currency:
            return b.asset;
        case Balance:
            return b.total.toString();
        case Available:
            return b.available().toString();
        case Held:
            return b.held.toString();
        default:
            return QString(); // a margin figure: not a Spot notion
        }
    }
    const MarginRecord &m = r.futures;
    switch (column) {
    case Venue:
        return u"Futures"_s;
    case Account:
        return m.account;
    case Currency:
        return m.currency;
    case Balance:
        return m.balance.toString();
    case Available:
        return text(m.availableMargin);
    case Held:
        return QString();
    case PortfolioValue:
        return text(m.portfolioValue);
    case InitialMargin:
        return text(m.initialMargin);
    case MaintenanceMargin:
        return text(m.maintenanceMargin);
    case UnrealizedPnl:
        return text(m.unrealizedPnl);
    case MarginLevel: {
        const auto level = marginLevelPct(m);
        return level ? QString(level->toString() + u'%') : Missing;
    }
    }
    return {};
}

QVariant AccountSummaryModel::sortKey(const Row &r, int column) const {
    const bool spot = r.venue == VenueKind::Spot;
    switch (column) {
    case Venue:
        // The groups stay together, Spot first, each in name order.
        return QString((spot ? u"0:"_s : u"1:"_s) + r.key());
    case Account:
        return spot ? QString() : r.futures.account;
    case Currency:
        return spot ? r.spot.asset : r.futures.currency;
    case Balance:
        return decimalSortKey(spot ? r.spot.total : r.futures.balance);
    case Available:
        return spot ? decimalSortKey(r.spot.available()) : sortKeyOf(r.futures.availableMargin);
    case Held:
        return spot ? decimalSortKey(r.spot.held) : QString();
    case PortfolioValue:
        return spot ? QString() : sortKeyOf(r.futures.portfolioValue);
    case InitialMargin:
        return spot ? QString() : sortKeyOf(r.futures.initialMargin);
    case MaintenanceMargin:
        return spot ? QString() : sortKeyOf(r.futures.maintenanceMargin);
    case UnrealizedPnl:
        return spot ? QString() : sortKeyOf(r.futures.unrealizedPnl);
    case MarginLevel:
        return spot ? QString() : sortKeyOf(marginLevelPct(r.futures));
    }
    return {};
}

QVariant AccountSummaryModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const int column = index.column();
    const bool futures = r.venue == VenueKind::Futures;
    switch (role) {
    case Qt::DisplayRole:
        return display(r, column);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(
            (isNumberColumn(column) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (futures && column == MarginLevel)
            return u"Portfolio value / maintenance margin. Kraken liquidates at 100%; below "
                   u"%1% the level is shown as low."_s.arg(LowMarginLevelPct);
        return {};
    case VenueRole:
        return int(r.venue);
    case KeyRole:
        return r.key();
    case SortRole:
        return sortKey(r, column);
    case MarginLevelRole: {
        const auto level = futures ? marginLevelPct(r.futures) : std::nullopt;
        return level ? level->toString() : QString();
    }
    case MarginAlertRole:
        return int(futures ? marginAlert(marginLevelPct(r.futures)) : MarginAlert::None);
    case SignRole:
        return futures && r.futures.unrealizedPnl ? r.futures.unrealizedPnl->signum() : 0;
    case BalanceRecordRole:
        return futures ? QVariant() : QVariant::fromValue(r.spot);
    case MarginRecordRole:
        return futures ? QVariant::fromValue(r.futures) : QVariant();
    }
    return {};
}

QVariant AccountSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::Alignment(
            (isNumberColumn(section) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Venue:
        return u"Venue"_s;
    case Account:
        return u"Account"_s;
    case Currency:
        return u"Currency"_s;
    case Balance:
        return u"Balance"_s;
    case Available:
        return u"Available"_s;
    case Held:
        return u"Held"_s;
    case PortfolioValue:
        return u"Portfolio value"_s;
    case InitialMargin:
        return u"Initial margin"_s;
    case MaintenanceMargin:
        return u"Maint. margin"_s;
    case UnrealizedPnl:
        return u"Unrealised PnL"_s;
    case MarginLevel:
        return u"Margin level"_s;
    }
    return {};
}

int AccountSummaryModel::rowOf(VenueKind venue, const QString &key) const {
    for (int row = 0; row < int(m_rows.size()); ++row)
        if (m_rows.at(row).venue == venue && m_rows.at(row).key() == key)
            return row;
    return -1;
}

void AccountSummaryModel::setSpotBalances(const QList<BalanceRecord> &balances) {
    QList<Row> rows;
    for (const BalanceRecord &b : balances)
        if (!b.asset.isEmpty())
            rows.append(Row{VenueKind::Spot, b, {}});
    syncGroup(VenueKind::Spot, std::move(rows));
}

void AccountSummaryModel::setFuturesMargin(const QList<MarginRecord> &accounts) {
    QList<Row> rows;
    for (const MarginRecord &m : accounts)
        if (!m.account.isEmpty())
            rows.append(Row{VenueKind::Futures, {}, m});
    syncGroup(VenueKind::Futures, std::move(rows));
}

void AccountSummaryModel::syncGroup(VenueKind venue, QList<Row> given) {
    // One row per key, the last report winning, in name order (a first load comes sorted;
    // later arrivals join the end of their group).
    QList<Row> incoming;
    QHash<QString, qsizetype> at;
    for (Row &r : given) {
        if (const auto it = at.constFind(r.key()); it != at.cend()) {
            incoming[*it] = std::move(r);
            continue;
        }
        at.insert(r.key(), incoming.size());
        incoming.append(std::move(r));
    }
    std::sort(incoming.begin(), incoming.end(),
              [](const Row &a, const Row &b) { return a.key() < b.key(); });
    at.clear();
    for (qsizetype i = 0; i < incoming.size(); ++i)
        at.insert(incoming.at(i).key(), i);

    const auto gone = [&](int row) {
        return m_rows.at(row).venue == venue && !at.contains(m_rows.at(row).key());
    };
    // Vanished: removed in contiguous runs from the bottom, so the rows above keep their number.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (!gone(row)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && gone(first - 1))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Still there: updated in place, one dataChanged over the changed rows.
    int firstChanged = INT_MAX, lastChanged = -1;
    QSet<QString> shown;
    for (int row = 0; row < int(m_rows.size()); ++row) {
        Row &r = m_rows[row];
        if (r.venue != venue)
            continue;
        const Row &now = incoming.at(at.value(r.key()));
        shown.insert(r.key());
        const bool unchanged = venue == VenueKind::Spot ? sameValues(now.spot, r.spot)
                                                        : sameValues(now.futures, r.futures);
        if (unchanged)
            continue;
        r = now;
        firstChanged = std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));

    // New: one insertion at the end of the group (the Spot group ends where Futures begins).
    QList<Row> fresh;
    for (const Row &r : std::as_const(incoming))
        if (!shown.contains(r.key()))
            fresh.append(r);
    if (fresh.isEmpty())
        return;
    int insertAt = int(m_rows.size());
    if (venue == VenueKind::Spot) {
        insertAt = 0;
        while (insertAt < int(m_rows.size()) && m_rows.at(insertAt).venue == VenueKind::Spot)
            ++insertAt;
    }
    beginInsertRows({}, insertAt, insertAt + int(fresh.size()) - 1);
    for (qsizetype i = 0; i < fresh.size(); ++i)
        m_rows.insert(insertAt + i, fresh.at(i));
    endInsertRows();
}

} // namespace model
