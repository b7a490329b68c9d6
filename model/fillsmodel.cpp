#include "fillsmodel.h"

#include "decimalsortkey.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace model {

namespace {

constexpr auto Text = BlotterLayout::Text, Number = BlotterLayout::Number;

bool newerFirst(const FillRecord &a, const FillRecord &b) {
    return a.timeMs > b.timeMs;
}

} // namespace

FillsModel::FillsModel(QObject *parent)
    : BlotterModel({.columns = {{u"Time"_s, Text},
                                {u"Symbol"_s, Text},
                                {u"Side"_s, Text},
                                {u"Price"_s, Number},
                                {u"Qty"_s, Number},
                                {u"Cost"_s, Number},
                                {u"Fee"_s, Number},
                                {u"Fee asset"_s, Text},
                                {u"Maker/taker"_s, Text},
                                {u"Order id"_s, Text},
                                {u"Trade id"_s, Text}},
                    .firstPrecisionColumn = Price,
                    .lastPrecisionColumn = Qty,
                    .recordRole = RecordRole,
                    .symbolRole = SymbolRole,
                    .sortRole = SortRole,
                    .buyRole = BuyRole},
                   parent) {
    Q_ASSERT(columnCount() == ColumnCount);
}

QVariant FillsModel::display(const FillRecord &f, int column) const {
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(f.timeMs).toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case Symbol:
        return f.symbol;
    case Side:
        return f.side == OrderSide::Buy ? u"Buy"_s : u"Sell"_s;
    case Price:
        return formatPrice(f, f.price);
    case Qty:
        return formatQty(f, f.qty);
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

QVariant FillsModel::roleData(const FillRecord &f, int, int role) const {
    return role == TradeIdRole ? QVariant(f.tradeId) : QVariant();
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

} // namespace model
