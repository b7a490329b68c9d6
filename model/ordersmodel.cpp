#include "ordersmodel.h"

#include "decimalsortkey.h"

#include <QDateTime>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace model {

namespace {

constexpr auto Text = BlotterLayout::Text, Number = BlotterLayout::Number;

QString stateLabel(OrderState state) {
    switch (state) {
    case OrderState::PendingNew:
        return u"Pending new"_s;
    case OrderState::Open:
        return u"Open"_s;
    case OrderState::PartiallyFilled:
        return u"Partially filled"_s;
    case OrderState::Filled:
        return u"Filled"_s;
    case OrderState::PendingCancel:
        return u"Pending cancel"_s;
    case OrderState::Cancelled:
        return u"Cancelled"_s;
    case OrderState::PendingAmend:
        return u"Pending amend"_s;
    case OrderState::Rejected:
        return u"Rejected"_s;
    case OrderState::Expired:
        return u"Expired"_s;
    case OrderState::Unknown:
        return u"Unknown"_s;
    }
    return {};
}

QString timeText(qint64 ms) {
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s)
                  : QString();
}

QString optionalKey(const std::optional<Decimal> &d) {
    // No value sorts before every value (keys start with a sign digit).
    return d ? decimalSortKey(*d) : QString();
}

} // namespace

OrdersModel::OrdersModel(QObject *parent)
    : BlotterModel({.columns = {{u"Time"_s, Text},
                                {u"Symbol"_s, Text},
                                {u"Side"_s, Text},
                                {u"Type"_s, Text},
                                {u"Price"_s, Number},
                                {u"Trigger"_s, Number},
                                {u"Qty"_s, Number},
                                {u"Filled"_s, Number},
                                {u"Avg price"_s, Number},
                                {u"Status"_s, Text},
                                {u"TIF"_s, Text},
                                {u"Reason"_s, Text},
                                {u"Client order id"_s, Text},
                                {u"Order id"_s, Text}},
                    .firstPrecisionColumn = Price,
                    .lastPrecisionColumn = AvgPrice,
                    .recordRole = RecordRole,
                    .symbolRole = SymbolRole,
                    .sortRole = SortRole,
                    .buyRole = BuyRole},
                   parent) {
    Q_ASSERT(columnCount() == ColumnCount);
}

QVariant OrdersModel::display(const OrderRecord &o, int column) const {
    switch (column) {
    case Time:
        return timeText(o.createdMs);
    case Symbol:
        return o.symbol;
    case Side:
        return o.side == OrderSide::Buy ? u"Buy"_s : u"Sell"_s;
    case Type:
        return o.orderType;
    case Price:
        return o.limitPrice ? formatPrice(o, *o.limitPrice) : QString();
    case Trigger:
        return o.triggerPrice ? formatPrice(o, *o.triggerPrice) : QString();
    case Qty:
        // A quote-currency amount is not in lots: its own text, marked as such.
        return o.quoteQty ? QString(o.qty.toString() + u" (quote)"_s) : formatQty(o, o.qty);
    case Filled:
        return formatQty(o, o.filledQty);
    case AvgPrice:
        return o.filledQty.isZero() ? QString() : formatPrice(o, o.avgPrice);
    case Status:
        return stateLabel(o.state);
    case TimeInForce:
        return o.timeInForce;
    case Reason:
        return o.reason;
    case ClOrdId:
        return o.clOrdId;
    case OrderId:
        return o.orderId;
    }
    return {};
}

QVariant OrdersModel::sortKey(const OrderRecord &o, int column) const {
    switch (column) {
    case Time:
        return o.createdMs;
    case Price:
        return optionalKey(o.limitPrice);
    case Trigger:
        return optionalKey(o.triggerPrice);
    case Qty:
        return decimalSortKey(o.qty);
    case Filled:
        return decimalSortKey(o.filledQty);
    case AvgPrice:
        return o.filledQty.isZero() ? QString() : decimalSortKey(o.avgPrice);
    default:
        return display(o, column);
    }
}

QVariant OrdersModel::roleData(const OrderRecord &o, int column, int role) const {
    switch (role) {
    case Qt::EditRole:
        // The editor starts from the exact value, not the rounded display text.
        if (column == Price)
            return o.limitPrice ? o.limitPrice->toString() : QString();
        if (column == Qty)
            return o.qty.toString();
        return display(o, column);
    case Qt::ToolTipRole:
        if (column == Reason || column == Status)
            return o.reason.isEmpty() ? QVariant() : QVariant(o.reason);
        return {};
    case ClOrdIdRole:
        return o.clOrdId;
    case StateRole:
        return int(o.state);
    }
    return {};
}

bool OrdersModel::isAmendable(const OrderRecord &order) {
    // Pending states have a request in flight already; a second one on top would race it.
    return (order.state == OrderState::Open || order.state == OrderState::PartiallyFilled) &&
           order.limitPrice.has_value();
}

Qt::ItemFlags OrdersModel::flags(const QModelIndex &index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return f;
    const OrderRecord &o = m_rows.at(index.row());
    if (isAmendable(o) && (index.column() == Price || (index.column() == Qty && !o.quoteQty)))
        f |= Qt::ItemIsEditable;
    return f;
}

bool OrdersModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !(flags(index) & Qt::ItemIsEditable))
        return false;
    const OrderRecord &o = m_rows.at(index.row());
    const QString text = value.toString().trimmed();
    const auto parsed = kraken::Decimal::fromString(QStringView(text));
    if (!parsed || parsed->signum() <= 0)
        return false;
    if (index.column() == Price) {
        if (o.limitPrice && *o.limitPrice == *parsed)
            return false;
        Q_EMIT amendRequested(o.clOrdId, std::nullopt, *parsed);
    } else {
        if (o.qty == *parsed)
            return false;
        Q_EMIT amendRequested(o.clOrdId, *parsed, std::nullopt);
    }
    // Nothing was set: the row changes when the manager reports the amended order.
    return false;
}

void OrdersModel::applyOrders(const QList<OrderRecord> &changed) {
    if (changed.isEmpty())
        return;
    int firstChanged = INT_MAX, lastChanged = -1;
    QList<OrderRecord> fresh;
    QHash<QString, qsizetype> freshAt; // a batch may carry the same new order twice
    for (const OrderRecord &o : changed) {
        if (o.clOrdId.isEmpty())
            continue;
        if (const int row = m_rowOf.value(o.clOrdId, -1); row >= 0) {
            m_rows[row] = o;
            firstChanged = std::min(firstChanged, row);
            lastChanged = std::max(lastChanged, row);
        } else if (const auto at = freshAt.constFind(o.clOrdId); at != freshAt.cend()) {
            fresh[*at] = o;
        } else {
            freshAt.insert(o.clOrdId, fresh.size());
            fresh.append(o);
        }
    }
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        for (const OrderRecord &o : std::as_const(fresh)) {
            m_rowOf.insert(o.clOrdId, int(m_rows.size()));
            m_rows.append(o);
        }
        endInsertRows();
    }
}

void OrdersModel::resetOrders(const QList<OrderRecord> &all) {
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    for (const OrderRecord &o : all) {
        if (o.clOrdId.isEmpty())
            continue;
        if (const int row = m_rowOf.value(o.clOrdId, -1); row >= 0) {
            m_rows[row] = o;
            continue;
        }
        m_rowOf.insert(o.clOrdId, int(m_rows.size()));
        m_rows.append(o);
    }
    endResetModel();
}

std::optional<OrderRecord> OrdersModel::find(const QString &clOrdId) const {
    const int row = rowOf(clOrdId);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row);
}

} // namespace model
