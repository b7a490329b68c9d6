#include "panellayout.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QWidget>

namespace ui {

void layOutPanel(QWidget *panel, std::initializer_list<QWidget *> header, QWidget *body) {
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    bool first = true;
    for (QWidget *w : header) {
        row->addWidget(w, first ? 1 : 0);
        first = false;
    }
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(body, 1);
    panel->setFocusProxy(body);
}

} // namespace ui
