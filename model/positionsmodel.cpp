#include "positionsmodel.h"

#include "decimalsortkey.h"

#include <QSet>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace model {

namespace {

const QString Missing = u"\u2014"_s;

// identical(): "1.50" after "1.5" is a change of text the view must show.
bool same(const std::optional<Decimal> &a, const std::optional<Decimal> &b) {
    return a.has_value() == b.has_value() && (!a || a->identical(*b));
}

bool sameValues(const PositionRecord &a, const PositionRecord &b) {
    return a.symbol == b.symbol && a.size.identical(b.size) &&
           a.entryPrice.identical(b.entryPrice) && same(a.markPrice, b.markPrice) &&
           same(a.unrealizedPnl, b.unrealizedPnl) && a.pnlCurrency == b.pnlCurrency &&
           same(a.unrealizedFunding, b.unrealizedFunding) &&
           same(a.liquidationPrice, b.liquidationPrice) &&
           same(a.maxFixedLeverage, b.maxFixedLeverage) && a.fillTimeMs == b.fillTimeMs;
}

QString withCurrency(const std::optional<Decimal> &value, const QString &currency) {
    if (!value)
        return Missing;
    return currency.isEmpty() ? value->toString() : QString(value->toString() + u' ' + currency);
}

QString sortKeyOf(const std::optional<Decimal> &value) {
    return value ? decimalSortKey(*value) : QString();
}

} // namespace

PositionsModel::PositionsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int PositionsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PositionsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString PositionsModel::formatPrice(const PositionRecord &p,
                                    const std::optional<Decimal> &value) const {
    if (!value)
        return Missing;
    const auto it = m_priceDecimals.constFind(p.symbol);
    return it != m_priceDecimals.cend() ? value->toString(*it) : value->toString();
}

QVariant PositionsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PositionRecord &p = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Symbol:
            return p.symbol;
        case Side:
            return p.isLong() ? u"Long"_s : u"Short"_s;
        case Size:
            return p.size.abs().toString();
        case Entry:
            return formatPrice(p, p.entryPrice);
        case Mark:
            return formatPrice(p, p.markPrice);
        case UnrealizedPnl:
            return withCurrency(p.unrealizedPnl, p.pnlCurrency);
        case Funding:
            return withCurrency(p.unrealizedFunding, p.pnlCurrency);
        case Liquidation:
            return formatPrice(p, p.liquidationPrice);
        case Leverage:
            return p.maxFixedLeverage ? QString(p.maxFixedLeverage->toString() + u'x') : u"cross"_s;
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(
            Qt::Alignment((column == Symbol || column == Side ? Qt::AlignLeft : Qt::AlignRight) |
                          Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (column == Liquidation)
            return u"Kraken's estimate, assuming the account's other positions stay as they "
                   u"are"_s;
        if (column == Leverage)
            return p.maxFixedLeverage ? u"Isolated margin at a fixed maximum leverage"_s
                                      : u"Cross margin: the whole margin account backs it"_s;
        return {};
    case RecordRole:
        return QVariant::fromValue(p);
    case SymbolRole:
        return p.symbol;
    case SignedSizeRole:
        return p.size.toString();
    case SignRole:
        if (column == UnrealizedPnl)
            return p.unrealizedPnl ? p.unrealizedPnl->signum() : 0;
        if (column == Funding)
            return p.unrealizedFunding ? p.unrealizedFunding->signum() : 0;
        return p.size.signum();
    case SortRole:
        switch (column) {
        case Symbol:
            return p.symbol;
        case Side:
            return p.isLong() ? u"long"_s : u"short"_s;
        case Size:
            return decimalSortKey(p.size.abs());
        case Entry:
            return decimalSortKey(p.entryPrice);
        case Mark:
            return sortKeyOf(p.markPrice);
        case UnrealizedPnl:
            return sortKeyOf(p.unrealizedPnl);
        case Funding:
            return sortKeyOf(p.unrealizedFunding);
        case Liquidation:
            return sortKeyOf(p.liquidationPrice);
        case Leverage:
            return sortKeyOf(p.maxFixedLeverage);
        }
        return {};
    }
    return {};
}

QVariant PositionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(
            Qt::Alignment((section == Symbol || section == Side ? Qt::AlignLeft : Qt::AlignRight) |
                          Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Symbol:
        return u"Symbol"_s;
    case Side:
        return u"Side"_s;
    case Size:
        return u"Size"_s;
    case Entry:
        return u"Entry"_s;
    case Mark:
        return u"Mark"_s;
    case UnrealizedPnl:
        return u"Unrealised PnL"_s;
    case Funding:
        return u"Funding"_s;
    case Liquidation:
        return u"Liquidation"_s;
    case Leverage:
        return u"Leverage"_s;
    }
    return {};
}

int PositionsModel::rowOf(const QString &symbol) const {
    for (int row = 0; row < int(m_rows.size()); ++row)
        if (m_rows.at(row).symbol == symbol)
            return row;
    return -1;
}

void PositionsModel::setPositions(const QList<PositionRecord> &positions) {
    // The open ones, the last report of a symbol winning, in the order given.
    QList<PositionRecord> incoming;
    QHash<QString, qsizetype> at;
    for (const PositionRecord &p : positions) {
        if (p.symbol.isEmpty())
            continue;
        if (const auto it = at.constFind(p.symbol); it != at.cend()) {
            incoming[*it] = p;
            continue;
        }
        at.insert(p.symbol, incoming.size());
        incoming.append(p);
    }
    // Zero size is a closed position.
    incoming.removeIf([](const PositionRecord &p) { return p.size.isZero(); });
    at.clear();
    for (qsizetype i = 0; i < incoming.size(); ++i)
        at.insert(incoming.at(i).symbol, i);

    // Closed: removed, one contiguous run at a time from the bottom so the row numbers above
    // stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (at.contains(m_rows.at(row).symbol)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !at.contains(m_rows.at(first - 1).symbol))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Still open: updated in place, one dataChanged over the rows that changed.
    int firstChanged = INT_MAX, lastChanged = -1;
    QSet<QString> shown;
    for (int row = 0; row < int(m_rows.size()); ++row) {
        const PositionRecord &now = incoming.at(at.value(m_rows.at(row).symbol));
        shown.insert(now.symbol);
        if (sameValues(now, m_rows.at(row)))
            continue;
        m_rows[row] = now;
        firstChanged = std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));

    // Opened: appended in one insertion.
    QList<PositionRecord> opened;
    for (const PositionRecord &p : std::as_const(incoming))
        if (!shown.contains(p.symbol))
            opened.append(p);
    if (!opened.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(opened.size()) - 1);
        m_rows.append(opened);
        endInsertRows();
    }
}

void PositionsModel::setPriceDecimals(const QHash<QString, int> &decimals) {
    if (decimals == m_priceDecimals)
        return;
    m_priceDecimals = decimals;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Entry), index(rowCount() - 1, Liquidation), {Qt::DisplayRole});
}

} // namespace model
