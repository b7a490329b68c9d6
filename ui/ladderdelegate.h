#pragma once

// LadderDelegate: paints one ladder cell: the side's tint, the size bar (SizeFractionRole,
// growing from the price column outwards), a flash when the level just changed (FlashRole),
// the spread row, and the user's resting orders as tags with their quantity in the price
// column (OwnBuyQtyRole green-ish, OwnSellQtyRole red-ish). It also shows the panel's
// trading state: a coloured edge down both sides of the ladder while trading is unlocked,
// and the drag preview (source marker dimmed, target row outlined with a ghost tag) while
// an order is being dragged to a new price. Numbers are right-aligned in a fixed-width
// digit font. GUI thread.

#include <QStyledItemDelegate>

namespace ui {

class LadderDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LadderDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // The caller repaints the view after changing these.
    void setTradingUnlocked(bool unlocked) { m_unlocked = unlocked; }
    bool isTradingUnlocked() const { return m_unlocked; }
    // -1 for no drag. `buy` and `qty` describe the dragged orders (the ghost tag).
    void setDragPreview(int sourceRow, int targetRow, bool buy, const QString &qty);

    // The colour of the unlocked edge (also used by the panel's lock button).
    static QColor unlockedColour(const QPalette &palette);

private:
    // Draws one qty tag with its left edge at `x`; returns its width.
    int drawTag(QPainter *painter, const QStyleOptionViewItem &option, int x, const QColor &colour,
                const QString &qty, bool ghost) const;

    bool m_unlocked = false;
    int m_dragSource = -1;
    int m_dragTarget = -1;
    bool m_dragBuy = true;
    QString m_dragQty;
};

} // namespace ui
