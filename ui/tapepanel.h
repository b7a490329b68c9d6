#pragma once

// TapePanel: the time and sales tape, newest first: time, side (buy/sell coloured), price,
// size, through a TradesFilterModel whose minimum size comes from the field in the header.
// GUI thread.

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace model {
class TradesFilterModel;
class TradesModel;
} // namespace model

namespace ui {

class LinkButton;

class TapePanel : public QWidget {
    Q_OBJECT
public:
    explicit TapePanel(model::TradesModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QLineEdit *minimumSizeField() const { return m_minSize; }
    model::TradesFilterModel *filter() const { return m_filter; }
    LinkButton *linkButton() const { return m_link; }
    void setSymbol(const QString &symbol);

private:
    void applyMinimum();

    model::TradesFilterModel *m_filter;
    QTableView *m_view;
    QLineEdit *m_minSize;
    QLabel *m_title;
    LinkButton *m_link;
};

} // namespace ui
