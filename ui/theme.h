#pragma once

// Theme: the application's look. Fusion with a dark (default) or light palette, plus the
// few semantic colours the panels share (bid/ask, buy/sell, flash), chosen per mode so they
// read well on either background. Widgets that paint by hand (charts, delegates) ask it for
// colours when they paint or when they get QEvent::PaletteChange. GUI thread.

#include <QColor>
#include <QPalette>

namespace ui {

class Theme {
public:
    enum class Mode { Dark, Light };

    // Sets the Fusion style and the palette on the application.
    static void apply(Mode mode);
    static Mode current();
    static QPalette palette(Mode mode);
    // True when the given palette has a dark window colour (widgets decide from their own
    // palette, so a test can theme one widget without touching the application).
    static bool isDark(const QPalette &palette);

    static QColor bidColour(const QPalette &palette);    // bids, buys, rising
    static QColor askColour(const QPalette &palette);    // asks, sells, falling
    static QColor flashColour(const QPalette &palette);  // a level that just changed
    static QColor accentColour(const QPalette &palette); // forming bar, crosshair, SMA
};

} // namespace ui
