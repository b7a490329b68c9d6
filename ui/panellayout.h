#pragma once

// The one layout every table panel uses: a header row (its first widget takes the spare
// width) over the body, which also takes the keyboard focus for the panel. GUI thread.

#include <initializer_list>

class QWidget;

namespace ui {

void layOutPanel(QWidget *panel, std::initializer_list<QWidget *> header, QWidget *body);

} // namespace ui
