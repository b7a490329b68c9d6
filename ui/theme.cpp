#include "theme.h"

#include <QApplication>
#include <QStyleFactory>

namespace ui {

namespace {
Theme::Mode g_mode = Theme::Mode::Dark;
}

void Theme::apply(Mode mode) {
    g_mode = mode;
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(palette(mode));
}

Theme::Mode Theme::current() {
    return g_mode;
}

QPalette Theme::palette(Mode mode) {
    if (mode == Mode::Light) {
        QPalette p(QColor(0xf2, 0xf2, 0xf2));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf7, 0xfa));
        p.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xdb));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x2a, 0x6f, 0xdb));
        return p;
    }
    QPalette p;
    const QColor window(0x1e, 0x21, 0x26);
    const QColor base(0x16, 0x18, 0x1c);
    const QColor text(0xdc, 0xdf, 0xe4);
    const QColor disabled(0x6c, 0x71, 0x7a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x1f, 0x24));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x47));
    p.setColor(QPalette::Midlight, QColor(0x30, 0x34, 0x3b));
    p.setColor(QPalette::Mid, QColor(0x25, 0x28, 0x2e));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x17));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x5c, 0x9c, 0xff));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

bool Theme::isDark(const QPalette &palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor Theme::bidColour(const QPalette &palette) {
    return isDark(palette) ? QColor(0x26, 0xc2, 0x81) : QColor(0x0b, 0x8a, 0x4f);
}

QColor Theme::askColour(const QPalette &palette) {
    return isDark(palette) ? QColor(0xf0, 0x4b, 0x5a) : QColor(0xc6, 0x28, 0x37);
}

QColor Theme::flashColour(const QPalette &palette) {
    return isDark(palette) ? QColor(0xff, 0xd2, 0x4a, 60) : QColor(0xff, 0xc1, 0x07, 55);
}

QColor Theme::accentColour(const QPalette &palette) {
    return isDark(palette) ? QColor(0xf5, 0xb9, 0x42) : QColor(0xd1, 0x7a, 0x00);
}

} // namespace ui
