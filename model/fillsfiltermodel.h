#pragma once

// FillsFilterModel: FillsModel narrowed to one symbol, sorted by FillsModel::SortRole so
// prices and sizes sort as numbers. GUI thread.

#include <QSortFilterProxyModel>

namespace model {

class FillsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FillsFilterModel(QObject *parent = nullptr);

    QString symbol() const { return m_symbol; }
    void setSymbol(const QString &symbol); // empty: every symbol

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_symbol;
};

} // namespace model
