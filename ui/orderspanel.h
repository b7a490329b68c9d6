#pragma once

// OrdersPanel: the order blotter. A table over OrdersFilterModel with an Open / History /
// All switch, a symbol and a text filter, and the trader's actions: cancel the selection
// (also the Delete key), cancel all (after a confirmation), amend a working limit order by
// editing its price or quantity in place, and export what is shown as CSV. The panel only
// asks: every action is a signal for the order manager, and rows change when the manager
// reports. GUI thread.

#include "kraken/core/decimal.h"

#include <QWidget>

#include <functional>
#include <optional>

class QAction;
class QComboBox;
class QLineEdit;
class QTabBar;
class QTableView;

namespace model {
class OrdersFilterModel;
class OrdersModel;
} // namespace model

namespace ui {

class OrdersPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Open, History, All }; // the tab order

    explicit OrdersPanel(model::OrdersModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    model::OrdersFilterModel *filter() const { return m_filter; }
    QTabBar *modeBar() const { return m_modeBar; }
    QComboBox *symbolFilter() const { return m_symbol; }
    QLineEdit *searchField() const { return m_search; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *cancelAllAction() const { return m_cancelAll; }
    QAction *amendAction() const { return m_amend; }
    QAction *exportAction() const { return m_export; }

    Mode mode() const;
    void setMode(Mode mode);
    // The selected orders that can still be cancelled, by cl_ord_id, in view order.
    QStringList selectedCancellable() const;
    // Writes the rows as shown (filter and order) to `path`; no dialog.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    // Replaces the Cancel all confirmation (a yes/no message box); tests answer it.
    void setConfirmer(std::function<bool(const QString &question)> confirm);

Q_SIGNALS:
    void cancelRequested(const QStringList &clOrdIds);
    void cancelAllRequested();
    void amendRequested(const QString &clOrdId, std::optional<kraken::Decimal> qty,
                        std::optional<kraken::Decimal> price);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void cancelSelected();
    void cancelAll();
    void amendCurrent();
    void exportWithDialog();
    void refreshSymbols();
    void updateActions();
    int workingCount() const;

    model::OrdersModel *m_model;
    model::OrdersFilterModel *m_filter;
    QTableView *m_view;
    QTabBar *m_modeBar;
    QComboBox *m_symbol;
    QLineEdit *m_search;
    QAction *m_cancel;
    QAction *m_cancelAll;
    QAction *m_amend;
    QAction *m_export;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace ui
