#include "ladderdelegate.h"

#include "model/laddermodel.h"
#include "theme.h"

#include <QPainter>

namespace ui {

using model::LadderModel;

LadderDelegate::LadderDelegate(QObject *parent)
    : QStyledItemDelegate(parent) {}

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

    const QString text = index.data(Qt::DisplayRole).toString();
    QRect textRect = r.adjusted(6, 0, -6, 0);
    if (index.column() == LadderModel::Price) {
        const QString own = index.data(LadderModel::OwnOrderRole).toString();
        if (!own.isEmpty()) {
            // A filled triangle at the left edge: "you rest here"; the qty in small text.
            const int h = r.height() - 6;
            QPolygon tri;
            tri << QPoint(r.left() + 2, r.top() + 3)
                << QPoint(r.left() + 2 + h / 2 + 2, r.center().y() + 1)
                << QPoint(r.left() + 2, r.bottom() - 2);
            painter->setPen(Qt::NoPen);
            painter->setBrush(Theme::accentColour(pal));
            painter->drawPolygon(tri);
            QFont small = option.font;
            small.setPointSizeF(small.pointSizeF() * 0.8);
            painter->setFont(small);
            painter->setPen(Theme::accentColour(pal));
            painter->drawText(r.adjusted(h / 2 + 8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                              own);
        }
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
    painter->restore();
}

} // namespace ui
