#include "linkhub.h"

using namespace Qt::StringLiterals;

namespace ui {

QColor LinkHub::groupColour(int group) {
    switch (((group % GroupCount) + GroupCount) % GroupCount) {
    case 0:
        return QColor(0xf5, 0x9e, 0x0b);
    case 1:
        return QColor(0x3b, 0x82, 0xf6);
    case 2:
        return QColor(0x22, 0xc5, 0x5e);
    default:
        return QColor(0xa8, 0x55, 0xf7);
    }
}

QString LinkHub::groupName(int group) {
    switch (((group % GroupCount) + GroupCount) % GroupCount) {
    case 0:
        return u"Orange"_s;
    case 1:
        return u"Blue"_s;
    case 2:
        return u"Green"_s;
    default:
        return u"Violet"_s;
    }
}

LinkHub::LinkHub(QObject *parent)
    : QObject(parent) {}

QString LinkHub::symbol(int group) const {
    return m_symbols.value(group);
}

void LinkHub::setSymbol(int group, const QString &symbol) {
    if (m_symbols.value(group) == symbol)
        return;
    m_symbols.insert(group, symbol);
    Q_EMIT symbolChanged(group, symbol);
}

} // namespace ui
