#pragma once

// WatchlistPanel: every pair with last price, 24 h change, volume and spread, searchable and
// sortable (a QSortFilterProxyModel over the WatchlistModel). Double-click or Enter on a row,
// or Enter in the search field, activates that symbol for the panel's link group. Down from
// the search field moves into the list. GUI thread.

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace model {
class WatchlistModel;
}

namespace ui {

class LinkButton;

class WatchlistPanel : public QWidget {
    Q_OBJECT
public:
    explicit WatchlistPanel(model::WatchlistModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    LinkButton *linkButton() const { return m_link; }
    // Marks the row of the symbol the linked panels show (selection, scrolled into view).
    void setCurrentSymbol(const QString &symbol);

Q_SIGNALS:
    void symbolActivated(const QString &symbol);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activateRow(const QModelIndex &proxyIndex);

    model::WatchlistModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_search;
    LinkButton *m_link;
};

} // namespace ui
