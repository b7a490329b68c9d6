#pragma once

// SignColourDelegate: draws a cell's text in the bid (positive/buy) or ask (negative/sell)
// colour according to a role's sign (an int, a number, or a bool where true means buy), for
// the watchlist's change column and the tape. Colours follow the view's palette. GUI thread.

#include <QStyledItemDelegate>

namespace ui {

class SignColourDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    SignColourDelegate(int signRole, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace ui
