#include "tradesmodel.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace model {

namespace {

QString format(const kraken::Decimal &d, int decimals) {
    return decimals >= 0 ? d.toString(decimals) : d.toString();
}

QVariant rightAligned() {
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
}

} // namespace

TradesModel::TradesModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity)) {
    registerMarketDataMetaTypes();
}

int TradesModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TradesModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TradesModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TradeRow &t = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(t.timeMs).toString(u"HH:mm:ss.zzz"_s);
        case Side:
            return t.buy ? u"Buy"_s : u"Sell"_s;
        case Price:
            return format(t.price, m_priceDecimals);
        case Size:
            return format(t.qty, m_qtyDecimals);
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Side
                   ? QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter))
                   : rightAligned();
    case BuyRole:
        return t.buy;
    case QtyRole:
        return t.qty.toString();
    }
    return {};
}

QVariant TradesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Side
                   ? QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter))
                   : rightAligned();
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return u"Time"_s;
    case Side:
        return u"Side"_s;
    case Price:
        return u"Price"_s;
    case Size:
        return u"Size"_s;
    }
    return {};
}

void TradesModel::addTrades(const QList<TradeRow> &trades) {
    if (trades.isEmpty())
        return;
    // Only the newest `capacity` of a burst can ever be shown.
    const qsizetype take = std::min<qsizetype>(trades.size(), m_capacity);
    const qsizetype excess = m_rows.size() + take - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, int(m_rows.size() - excess), int(m_rows.size() - 1));
        m_rows.resize(m_rows.size() - excess);
        endRemoveRows();
    }
    beginInsertRows({}, 0, int(take - 1));
    QList<TradeRow> fresh;
    fresh.reserve(take + m_rows.size());
    for (qsizetype i = trades.size() - 1; i >= trades.size() - take; --i)
        fresh.append(trades.at(i));
    fresh.append(m_rows);
    m_rows = std::move(fresh);
    endInsertRows();
}

void TradesModel::clear() {
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void TradesModel::setPrecision(int priceDecimals, int qtyDecimals) {
    if (priceDecimals == m_priceDecimals && qtyDecimals == m_qtyDecimals)
        return;
    m_priceDecimals = priceDecimals;
    m_qtyDecimals = qtyDecimals;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Price), index(rowCount() - 1, Size), {Qt::DisplayRole});
}

TradesFilterModel::TradesFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent) {}

void TradesFilterModel::setMinimumSize(const kraken::Decimal &qty) {
    if (qty.identical(m_min))
        return;
    m_min = qty;
    invalidateFilter();
}

bool TradesFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (m_min.isZero() || !sourceModel())
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, TradesModel::Size, sourceParent);
    const auto qty = kraken::Decimal::fromString(idx.data(TradesModel::QtyRole).toString());
    return qty && *qty >= m_min;
}

} // namespace model
