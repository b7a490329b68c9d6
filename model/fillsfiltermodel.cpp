#include "fillsfiltermodel.h"

#include "fillsmodel.h"

namespace model {

FillsFilterModel::FillsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(FillsModel::SortRole);
    setDynamicSortFilter(true);
}

void FillsFilterModel::setSymbol(const QString &symbol) {
    if (symbol == m_symbol)
        return;
    m_symbol = symbol;
    invalidateRowsFilter();
}

bool FillsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (m_symbol.isEmpty() || !sourceModel())
        return true;
    return sourceModel()
               ->index(sourceRow, 0, sourceParent)
               .data(FillsModel::SymbolRole)
               .toString() == m_symbol;
}

} // namespace model
