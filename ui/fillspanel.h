#pragma once

// FillsPanel: the account's executions, newest first, through a FillsFilterModel narrowed by
// the symbol combo; buy/sell coloured; Export CSV writes the rows as shown. GUI thread.

#include <QWidget>

class QAction;
class QComboBox;
class QTableView;

namespace model {
class FillsFilterModel;
class FillsModel;
} // namespace model

namespace ui {

class FillsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FillsPanel(model::FillsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    model::FillsFilterModel *filter() const { return m_filter; }
    QComboBox *symbolFilter() const { return m_symbol; }
    QAction *exportAction() const { return m_export; }
    // Writes the rows as shown (filter and order) to `path`; no dialog.
    bool exportTo(const QString &path, QString *error = nullptr) const;

private:
    void refreshSymbols();

    model::FillsModel *m_model;
    model::FillsFilterModel *m_filter;
    QTableView *m_view;
    QComboBox *m_symbol;
    QAction *m_export;
};

} // namespace ui
