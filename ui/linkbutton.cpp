#include "linkbutton.h"

#include "linkhub.h"

#include <QMenu>
#include <QPainter>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace ui {

LinkButton::LinkButton(QWidget *parent)
    : QToolButton(parent) {
    setAutoRaise(true);
    setPopupMode(QToolButton::MenuButtonPopup);
    setFocusPolicy(Qt::TabFocus);
    auto *menu = new QMenu(this);
    for (int g = 0; g < LinkHub::GroupCount; ++g) {
        QAction *a = menu->addAction(LinkHub::groupName(g));
        QPixmap swatch(12, 12);
        swatch.fill(LinkHub::groupColour(g));
        a->setIcon(QIcon(swatch));
        connect(a, &QAction::triggered, this, [this, g] { setGroup(g); });
    }
    setMenu(menu);
    connect(this, &QToolButton::clicked, this,
            [this] { setGroup((m_group + 1) % LinkHub::GroupCount); });
    refresh();
}

void LinkButton::setGroup(int group) {
    group = ((group % LinkHub::GroupCount) + LinkHub::GroupCount) % LinkHub::GroupCount;
    if (group == m_group)
        return;
    m_group = group;
    refresh();
    Q_EMIT groupChanged(group);
}

void LinkButton::refresh() {
    const QColor c = LinkHub::groupColour(m_group);
    QPixmap swatch(14, 14);
    swatch.fill(Qt::transparent);
    {
        QPainter p(&swatch);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(c.darker(140));
        p.setBrush(c);
        p.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    }
    setIcon(QIcon(swatch));
    const QString name = LinkHub::groupName(m_group);
    setToolTip(QString(u"Link group: "_s % name %
                       u". Panels of one colour follow the same symbol. Click to change."_s));
    setAccessibleName(QString(u"Link group "_s % name));
}

} // namespace ui
