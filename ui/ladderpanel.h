#pragma once

// LadderPanel: the depth ladder. A QTableView over the LadderModel (fixed rows: asks, the
// spread row, bids) painted by LadderDelegate, with a price grouping selector (1, 5, 10, 25,
// 100 ticks). It keeps the spread row in the middle of the view; once the user scrolls it
// stops following until they press "Centre" (or C). GUI thread.

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QToolButton;

namespace model {
class LadderModel;
}

namespace ui {

class LinkButton;

class LadderPanel : public QWidget {
    Q_OBJECT
public:
    static QList<int> groupings() { return {1, 5, 10, 25, 100}; }

    explicit LadderPanel(model::LadderModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QComboBox *groupingCombo() const { return m_grouping; }
    LinkButton *linkButton() const { return m_link; }
    void setSymbol(const QString &symbol);
    bool isFollowingSpread() const { return m_follow; }
    // Scrolls the spread row to the middle and follows it again.
    void recentre();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void keepCentred();

    model::LadderModel *m_model;
    QTableView *m_view;
    QComboBox *m_grouping;
    QLabel *m_title;
    QToolButton *m_centre;
    LinkButton *m_link;
    bool m_follow = true;
    bool m_scrolling = false; // our own scrollTo, not the user's
};

} // namespace ui
