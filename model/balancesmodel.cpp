#include "balancesmodel.h"

#include "decimalsortkey.h"

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace model {

namespace {

bool sameValues(const BalanceRecord &a, const BalanceRecord &b) {
    // identical(): "1.50" after "1.5" is a change of text the view must show.
    return a.asset == b.asset && a.total.identical(b.total) && a.held.identical(b.held);
}

} // namespace

BalancesModel::BalancesModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int BalancesModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BalancesModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BalancesModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BalanceRecord &b = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Asset:
            return b.asset;
        case Total:
            return b.total.toString();
        case Held:
            return b.held.toString();
        case Available:
            return b.available().toString();
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(
            (index.column() == Asset ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter));
    case RecordRole:
        return QVariant::fromValue(b);
    case AssetRole:
        return b.asset;
    case SortRole:
        switch (index.column()) {
        case Asset:
            return b.asset;
        case Total:
            return decimalSortKey(b.total);
        case Held:
            return decimalSortKey(b.held);
        case Available:
            return decimalSortKey(b.available());
        }
        return {};
    }
    return {};
}

QVariant BalancesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(
            Qt::Alignment((section == Asset ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Asset:
        return u"Asset"_s;
    case Total:
        return u"Total"_s;
    case Held:
        return u"Held"_s;
    case Available:
        return u"Available"_s;
    }
    return {};
}

void BalancesModel::setBalances(const QList<BalanceRecord> &all) {
    QList<BalanceRecord> rows;
    rows.reserve(all.size());
    for (const BalanceRecord &b : all) {
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const BalanceRecord &r) { return r.asset == b.asset; });
        if (it != rows.end())
            *it = b; // the last report of an asset wins
        else
            rows.append(b);
    }
    std::sort(rows.begin(), rows.end(),
              [](const BalanceRecord &a, const BalanceRecord &b) { return a.asset < b.asset; });

    const bool sameAssets = rows.size() == m_rows.size() &&
                            std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(),
                                       [](const BalanceRecord &a, const BalanceRecord &b) {
                                           return a.asset == b.asset;
                                       });
    if (!sameAssets) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    int first = INT_MAX, last = -1;
    for (int i = 0; i < int(rows.size()); ++i) {
        if (!sameValues(rows.at(i), m_rows.at(i))) {
            first = std::min(first, i);
            last = std::max(last, i);
        }
    }
    m_rows = std::move(rows);
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

} // namespace model
