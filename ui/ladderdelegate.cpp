#include "ladderdelegate.h"

#include "model/laddermodel.h"
#include "theme.h"

#include <QPainter>

namespace ui {

using model::LadderModel;

LadderDelegate::LadderDelegate(QObject *parent)
    : QStyledItemDelegate(parent) {}

void LadderDelegate::setDragPreview(int sourceRow, int targetRow, bool buy, const QString &qty) {
    m_dragSource = sourceRow;
    m_dragTarget = targetRow;
    m_dragBuy = buy;
    m_dragQty = qty;
}

QColor LadderDelegate::unlockedColour(const QPalette &palette) {
    // Amber, neither bid nor ask: "this ladder sends orders" must not read as a side.
    return Theme::accentColour(palette);
}

int LadderDelegate::drawTag(QPainter *painter, const QStyleOptionViewItem &option, int x,
                            const QColor &colour, const QString &qtyText, bool ghost) const {
    const QRect r = option.rect;
    // The tag shares the cell with the price: "0.75" instead of "0.75000000" keeps it short.
    QString qty = qtyText;
    if (qty.contains(u'.')) {
        while (qty.endsWith(u'0'))
            qty.chop(1);
        if (qty.endsWith(u'.'))
            qty.chop(1);
    }
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.8);
    small.setBold(true);
    const QFontMetrics fm(small);
    const int w = fm.horizontalAdvance(qty) + 8;
    const QRect tag(x, r.top() + 2, w, r.height() - 4);
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (ghost) {
        painter->setPen(QPen(colour, 1, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
    }
    painter->drawRoundedRect(tag, 3, 3);
    painter->setFont(small);
    painter->setPen(ghost ? colour : option.palette.color(QPalette::Base));
    painter->drawText(tag, Qt::AlignCenter, qty);
    painter->setRenderHint(QPainter::Antialiasing, false);
    return w;
}

void LadderDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const {
    const QPalette &pal = option.palette;
    const int side = index.data(LadderModel::SideRole).toInt();
    const QRect r = option.rect;
    const bool selected = option.state & QStyle::State_Selected;
    painter->save();

    QColor sideColour = side > 0 ? Theme::askColour(pal) : Theme::bidColour(pal);
    if (side == 0) {
        painter->fillRect(r, pal.color(QPalette::AlternateBase));
    } else {
        QColor tint = sideColour;
        tint.setAlpha(Theme::isDark(pal) ? 22 : 18);
        painter->fillRect(r, pal.color(QPalette::Base));
        painter->fillRect(r, tint);
    }

    if (side != 0 && index.column() == LadderModel::Size) {
        const double fraction =
            qBound(0.0, index.data(LadderModel::SizeFractionRole).toDouble(), 1.0);
        if (fraction > 0) {
            QColor bar = sideColour;
            bar.setAlpha(Theme::isDark(pal) ? 90 : 70);
            const int w = qMax(1, int(r.width() * fraction + 0.5));
            painter->fillRect(QRect(r.left(), r.top() + 1, w, r.height() - 2), bar);
        }
    }
    // The size cell flashes, not the row: the price column stays readable.
    if (side != 0 && index.column() == LadderModel::Size &&
        index.data(LadderModel::FlashRole).toBool())
        painter->fillRect(r, Theme::flashColour(pal));
    if (selected) {
        QColor h = pal.color(QPalette::Highlight);
        h.setAlpha(80);
        painter->fillRect(r, h);
    }

    const int row = index.row();
    if (row == m_dragTarget && m_dragTarget != m_dragSource) {
        // The drop preview: the whole row outlined, so the new price is unmistakable.
        QColor fill = Theme::accentColour(pal);
        fill.setAlpha(70);
        painter->fillRect(r, fill);
        painter->setPen(QPen(Theme::accentColour(pal), 1));
        painter->drawLine(r.topLeft(), r.topRight());
        painter->drawLine(r.bottomLeft(), r.bottomRight());
    }

    const QString text = index.data(Qt::DisplayRole).toString();
    QRect textRect = r.adjusted(6, 0, -6, 0);
    if (index.column() == LadderModel::Price && side != 0) {
        const QString buy = index.data(LadderModel::OwnBuyQtyRole).toString();
        const QString sell = index.data(LadderModel::OwnSellQtyRole).toString();
        int x = r.left() + (m_unlocked ? 5 : 2);
        // The orders being dragged stay where they are (they have not moved yet), dimmed.
        if (row == m_dragSource && m_dragTarget >= 0)
            painter->setOpacity(0.4);
        if (!buy.isEmpty())
            x += drawTag(painter, option, x, Theme::bidColour(pal), buy, false) + 2;
        if (!sell.isEmpty())
            x += drawTag(painter, option, x, Theme::askColour(pal), sell, false) + 2;
        painter->setOpacity(1.0);
        if (row == m_dragTarget && m_dragTarget != m_dragSource && !m_dragQty.isEmpty())
            drawTag(painter, option, x, m_dragBuy ? Theme::bidColour(pal) : Theme::askColour(pal),
                    m_dragQty, true);
    }
    QFont font = option.font;
    if (side == 0)
        font.setItalic(true);
    else if (index.column() == LadderModel::Price)
        font.setBold(true);
    painter->setFont(font);
    QColor textColour = pal.color(QPalette::Text);
    if (side != 0 && index.column() == LadderModel::Price)
        textColour = sideColour;
    else if (side == 0)
        textColour = pal.color(QPalette::PlaceholderText);
    painter->setPen(textColour);
    const Qt::Alignment align =
        side == 0 ? Qt::AlignCenter : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter);
    painter->drawText(textRect, int(align), text);

    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(pal.color(QPalette::Highlight), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(r.adjusted(0, 0, -1, -1));
    }
    if (m_unlocked) {
        // A band down both outer edges of the ladder, on every row: the trader sees from any
        // part of it that a click here sends an order.
        const QColor edge = unlockedColour(pal);
        if (index.column() == 0)
            painter->fillRect(QRect(r.left(), r.top(), 3, r.height()), edge);
        if (index.column() == index.model()->columnCount(index.parent()) - 1)
            painter->fillRect(QRect(r.right() - 2, r.top(), 3, r.height()), edge);
    }
    painter->restore();
}

} // namespace ui
