#pragma once

// BalancesPanel: one row per asset with total, held by open orders and available, sortable
// (numerically), with an option to hide empty balances. GUI thread.

#include <QWidget>

class QCheckBox;
class QSortFilterProxyModel;
class QTableView;

namespace model {
class BalancesModel;
}

namespace ui {

class BalancesPanel : public QWidget {
    Q_OBJECT
public:
    explicit BalancesPanel(model::BalancesModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QCheckBox *hideZeroBox() const { return m_hideZero; }

private:
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QCheckBox *m_hideZero;
};

} // namespace ui
