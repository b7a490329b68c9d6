#pragma once

// AccountSummaryPanel: the merged account table (model::AccountSummaryModel): Spot balances
// and Futures margin accounts grouped by venue, sortable numerically, empty Spot balances
// hidden on request. A margin level below AccountSummaryModel::LowMarginLevelPct is drawn in
// the warning colour, below CriticalMarginLevelPct in the error colour, and a line above the
// table names the account; unrealised PnL is coloured by sign. GUI thread.

#include <QWidget>

class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace model {
class AccountSummaryModel;
}

namespace ui {

class AccountSummaryPanel : public QWidget {
    Q_OBJECT
public:
    explicit AccountSummaryPanel(model::AccountSummaryModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QCheckBox *hideZeroBox() const { return m_hideZero; }
    // The margin alert line: empty and hidden while every margin level is comfortable.
    QLabel *alertLabel() const { return m_alert; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateAlert();

    model::AccountSummaryModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QCheckBox *m_hideZero;
    QLabel *m_alert;
};

} // namespace ui
