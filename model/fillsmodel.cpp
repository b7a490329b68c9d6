#include "fillsmodel.h"

#include "decimalsortkey.h"
#include "kraken/core/instrument.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace model {

namespace {

bool isNumeric(int column) {
    switch (column) {
    case FillsModel::Price:
    case FillsModel::Qty:
    case FillsModel::Cost:
    case FillsModel::Fee:
        return true;
    default:
        return false;
    }
}

bool newerFirst(const FillRecord &a, const FillRecord &b) {
    return a.timeMs > b.timeMs;
}

} // namespace

FillsModel::FillsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int FillsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FillsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FillsModel::display(const FillRecord &f, int column) const {
    const auto precision = m_precisions.constFind(f.symbol);
    const bool known = precision != m_precisions.cend();
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(f.timeMs).toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case Symbol:
        return f.symbol;
    case Side:
        return f.side == OrderSide::Buy ? u"Buy"_s : u"Sell"_s;
    case Price:
        return known ? f.price.toString(precision->first) : f.price.toString();
    case Qty:
        return known ? f.qty.toString(precision->second) : f.qty.toString();
    case Cost:
        return f.cost.toString();
    case Fee:
        return f.fee.toString();
    case FeeAsset:
        return f.feeAsset;
    case Liquidity:
        return f.maker ? u"Maker"_s : u"Taker"_s;
    case OrderId:
        return f.orderId;
    case TradeId:
        return f.tradeId;
    }
    return {};
}

QVariant FillsModel::sortKey(const FillRecord &f, int column) const {
    switch (column) {
    case Time:
        return f.timeMs;
    case Price:
        return decimalSortKey(f.price);
    case Qty:
        return decimalSortKey(f.qty);
    case Cost:
        return decimalSortKey(f.cost);
    case Fee:
        return decimalSortKey(f.fee);
    default:
        return display(f, column);
    }
}

QVariant FillsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FillRecord &f = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(f, index.column());
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(
            (isNumeric(index.column()) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    case RecordRole:
        return QVariant::fromValue(f);
    case TradeIdRole:
        return f.tradeId;
    case SymbolRole:
        return f.symbol;
    case SortRole:
        return sortKey(f, index.column());
    case BuyRole:
        return f.side == OrderSide::Buy;
    }
    return {};
}

QVariant FillsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::Alignment(
            (isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return u"Time"_s;
    case Symbol:
        return u"Symbol"_s;
    case Side:
        return u"Side"_s;
    case Price:
        return u"Price"_s;
    case Qty:
        return u"Qty"_s;
    case Cost:
        return u"Cost"_s;
    case Fee:
        return u"Fee"_s;
    case FeeAsset:
        return u"Fee asset"_s;
    case Liquidity:
        return u"Maker/taker"_s;
    case OrderId:
        return u"Order id"_s;
    case TradeId:
        return u"Trade id"_s;
    }
    return {};
}

int FillsModel::addFills(const QList<FillRecord> &fills) {
    QList<FillRecord> fresh;
    QSet<QString> batchIds;
    for (const FillRecord &f : fills) {
        if (f.tradeId.isEmpty() || m_ids.contains(f.tradeId) || batchIds.contains(f.tradeId))
            continue;
        batchIds.insert(f.tradeId);
        fresh.append(f);
    }
    if (fresh.isEmpty())
        return 0;
    std::stable_sort(fresh.begin(), fresh.end(), newerFirst);
    const int count = int(fresh.size());
    if (m_rows.isEmpty() || fresh.last().timeMs >= m_rows.first().timeMs) {
        // Live fills: all newer than what is shown, one block on top.
        beginInsertRows({}, 0, count - 1);
        fresh.append(m_rows);
        m_rows = std::move(fresh);
        m_ids.unite(batchIds);
        endInsertRows();
    } else if (fresh.first().timeMs <= m_rows.last().timeMs) {
        // A history page: all older, one block at the bottom.
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + count - 1);
        m_rows.append(fresh);
        m_ids.unite(batchIds);
        endInsertRows();
    } else {
        // Interleaved with what is shown (a reconcile after a reconnect): rare, so a reset
        // rather than one insertion per gap.
        beginResetModel();
        m_rows.append(fresh);
        std::stable_sort(m_rows.begin(), m_rows.end(), newerFirst);
        m_ids.unite(batchIds);
        endResetModel();
    }
    return count;
}

void FillsModel::resetFills(const QList<FillRecord> &all) {
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    for (const FillRecord &f : all) {
        if (f.tradeId.isEmpty() || m_ids.contains(f.tradeId))
            continue;
        m_ids.insert(f.tradeId);
        m_rows.append(f);
    }
    std::stable_sort(m_rows.begin(), m_rows.end(), newerFirst);
    endResetModel();
}

void FillsModel::setPrecisions(const QHash<QString, QPair<int, int>> &precisions) {
    if (precisions == m_precisions)
        return;
    m_precisions = precisions;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Price), index(rowCount() - 1, Qty), {Qt::DisplayRole});
}

void FillsModel::setInstruments(const QList<kraken::Instrument> &instruments) {
    QHash<QString, QPair<int, int>> precisions;
    for (const kraken::Instrument &i : instruments)
        precisions.insert(i.symbol(), {i.pairDecimals(), i.lotDecimals()});
    setPrecisions(precisions);
}

QStringList FillsModel::symbols() const {
    QStringList out;
    for (const FillRecord &f : m_rows)
        out.append(f.symbol);
    out.removeDuplicates();
    out.sort();
    return out;
}

} // namespace model
