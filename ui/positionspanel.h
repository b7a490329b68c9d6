#pragma once

// PositionsPanel: the open Futures positions, sortable through a proxy (numerically, on the
// model's SortRole), the unrealised PnL and funding coloured by sign, and a Close action on
// the selected row (tool button, context menu) that asks first and then emits
// closePositionRequested with the symbol and the position's signed size; the Futures order
// manager turns that into a reduce-only market order for the opposite side. When the account
// is flat the table gives way to a line saying so. The panel only asks: rows change when the
// manager reports. GUI thread.

#include "kraken/core/decimal.h"

#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace model {
class PositionsModel;
}

namespace ui {

class PositionsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PositionsPanel(model::PositionsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QAction *closeAction() const { return m_close; }
    QLabel *emptyLabel() const { return m_empty; }
    bool isShowingEmptyState() const;

    // Replaces the Close confirmation (a yes/no message box); tests answer it.
    void setConfirmer(std::function<bool(const QString &question)> confirm);

public Q_SLOTS:
    // Close the position on the selected (current) row, after the confirmation.
    void closeSelected();

Q_SIGNALS:
    void closePositionRequested(const QString &symbol, const kraken::Decimal &signedSize);

private:
    void updateState();

    model::PositionsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_empty;
    QStackedWidget *m_stack;
    QAction *m_close;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace ui
