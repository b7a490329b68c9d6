#pragma once

// LinkButton: the small coloured square in a panel's header that shows and picks its link
// group (click or Space cycles, the menu picks one). GUI thread.

#include <QToolButton>

namespace ui {

class LinkButton : public QToolButton {
    Q_OBJECT
public:
    explicit LinkButton(QWidget *parent = nullptr);

    int group() const { return m_group; }
    void setGroup(int group);

Q_SIGNALS:
    void groupChanged(int group);

private:
    void refresh();
    int m_group = 0;
};

} // namespace ui
