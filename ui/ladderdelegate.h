#pragma once

// LadderDelegate: paints one ladder cell: the side's tint, the size bar (SizeFractionRole,
// growing from the price column outwards), a flash when the level just changed (FlashRole),
// the spread row, and a marker with the quantity where the user has resting orders
// (OwnOrderRole). Numbers are right-aligned in a fixed-width digit font. GUI thread.

#include <QStyledItemDelegate>

namespace ui {

class LadderDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LadderDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace ui
