#include "blottermodel.h"

#include "kraken/core/instrument.h"

namespace model {

template<class Record>
BlotterModel<Record>::BlotterModel(BlotterLayout layout, QObject *parent)
    : QAbstractTableModel(parent)
    , m_layout(std::move(layout)) {}

template<class Record> int BlotterModel<Record>::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

template<class Record> int BlotterModel<Record>::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_layout.columns.size());
}

template<class Record> Qt::Alignment BlotterModel<Record>::alignment(int column) const {
    return (m_layout.columns.at(column).kind == BlotterLayout::Number ? Qt::AlignRight
                                                                      : Qt::AlignLeft) |
           Qt::AlignVCenter;
}

template<class Record>
QVariant BlotterModel<Record>::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Record &r = m_rows.at(index.row());
    const int column = index.column();
    // The role numbers are the subclass's, so an if chain rather than a switch.
    if (role == Qt::DisplayRole)
        return display(r, column);
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(alignment(column));
    if (role == m_layout.recordRole)
        return QVariant::fromValue(r);
    if (role == m_layout.symbolRole)
        return r.symbol;
    if (role == m_layout.sortRole)
        return sortKey(r, column);
    if (role == m_layout.buyRole)
        return r.side == OrderSide::Buy;
    return roleData(r, column, role);
}

template<class Record>
QVariant BlotterModel<Record>::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_layout.columns.size())
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(alignment(section));
    if (role != Qt::DisplayRole)
        return {};
    return m_layout.columns.at(section).title;
}

template<class Record>
QString BlotterModel<Record>::formatPrice(const Record &r, const Decimal &value) const {
    const auto it = m_precisions.constFind(r.symbol);
    return it != m_precisions.cend() ? value.toString(it->first) : value.toString();
}

template<class Record>
QString BlotterModel<Record>::formatQty(const Record &r, const Decimal &value) const {
    const auto it = m_precisions.constFind(r.symbol);
    return it != m_precisions.cend() ? value.toString(it->second) : value.toString();
}

template<class Record>
void BlotterModel<Record>::setPrecisions(const QHash<QString, QPair<int, int>> &precisions) {
    if (precisions == m_precisions)
        return;
    m_precisions = precisions;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, m_layout.firstPrecisionColumn),
                           index(rowCount() - 1, m_layout.lastPrecisionColumn), {Qt::DisplayRole});
}

template<class Record>
void BlotterModel<Record>::setInstruments(const QList<kraken::Instrument> &instruments) {
    QHash<QString, QPair<int, int>> precisions;
    for (const kraken::Instrument &i : instruments)
        precisions.insert(i.symbol(), {i.pairDecimals(), i.lotDecimals()});
    setPrecisions(precisions);
}

template<class Record> QStringList BlotterModel<Record>::symbols() const {
    QStringList out;
    for (const Record &r : m_rows)
        out.append(r.symbol);
    out.removeDuplicates();
    out.sort();
    return out;
}

template class BlotterModel<OrderRecord>;
template class BlotterModel<FillRecord>;

} // namespace model
