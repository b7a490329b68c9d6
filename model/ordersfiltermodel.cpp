#include "ordersfiltermodel.h"

#include "ordersmodel.h"

namespace model {

OrdersFilterModel::OrdersFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(OrdersModel::SortRole);
    setDynamicSortFilter(true);
}

void OrdersFilterModel::setMode(Mode mode) {
    if (mode == m_mode)
        return;
    m_mode = mode;
    invalidateRowsFilter();
}

void OrdersFilterModel::setSymbol(const QString &symbol) {
    if (symbol == m_symbol)
        return;
    m_symbol = symbol;
    invalidateRowsFilter();
}

void OrdersFilterModel::setText(const QString &text) {
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    invalidateRowsFilter();
}

bool OrdersFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    const QAbstractItemModel *src = sourceModel();
    if (!src)
        return false;
    const QModelIndex first = src->index(sourceRow, 0, sourceParent);
    const auto state = OrderState(first.data(OrdersModel::StateRole).toInt());
    switch (m_mode) {
    case Mode::Open:
        // Unknown may be live on the exchange: it stays in sight until the manager resolves it.
        if (!isWorking(state) && state != OrderState::Unknown)
            return false;
        break;
    case Mode::History:
        if (!isTerminal(state))
            return false;
        break;
    case Mode::All:
        break;
    }
    if (!m_symbol.isEmpty() && first.data(OrdersModel::SymbolRole).toString() != m_symbol)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column : {OrdersModel::Symbol, OrdersModel::Type, OrdersModel::Status,
                       OrdersModel::Reason, OrdersModel::ClOrdId, OrdersModel::OrderId}) {
        if (src->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace model
