#include "signcolourdelegate.h"

#include "theme.h"

namespace ui {

SignColourDelegate::SignColourDelegate(int signRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_role(signRole) {}

void SignColourDelegate::initStyleOption(QStyleOptionViewItem *option,
                                         const QModelIndex &index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant v = index.data(m_role);
    int sign = 0;
    if (v.typeId() == QMetaType::Bool)
        sign = v.toBool() ? 1 : -1;
    else if (v.isValid())
        sign = (v.toDouble() > 0) - (v.toDouble() < 0);
    if (sign == 0)
        return;
    const QColor c =
        sign > 0 ? Theme::bidColour(option->palette) : Theme::askColour(option->palette);
    // Selected rows keep the palette's highlighted text: colour on the highlight is unreadable.
    option->palette.setColor(QPalette::Text, c);
}

} // namespace ui
