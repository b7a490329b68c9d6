#pragma once

// LadderPanel: the depth ladder. A QTableView over the LadderModel (fixed rows: asks, the
// spread row, bids) painted by LadderDelegate, with a price grouping selector (1, 5, 10, 25,
// 100 ticks). It keeps the spread row in the middle of the view; once the user scrolls it
// stops following until they press "Centre" (or C).
//
// Ladder trading. A lock button in the header, locked on every new panel (the unlocked
// state is never saved). While locked, clicks and keys only select and show the hint "Ladder
// is locked". While unlocked (an amber edge runs down the ladder):
//   - a single click in the Size or Total column of a bid row asks to buy at that row's
//     price, of an ask row to sell at it (passive only: the side comes from the row, so a
//     click never crosses the spread). With grouping the row's price is its bucket edge,
//     on the tick: the bucket's lowest price for bids, its highest for asks. The price is
//     taken when the button goes down (what the trader aimed at), and the click only counts
//     if it is released on the same cell. A double click places one order, not two.
//   - the Price column holds the user's order tags. Clicking it only selects; dragging from
//     a row with own orders to another row of the same side asks to amend their price to
//     that row's price (Esc aborts; dropping on the other side of the spread is refused).
//   - Delete or Backspace on a selected row with own orders asks to cancel them.
//   - B / S ask to prepare the ticket at the best bid / best ask; Ctrl+Shift+X asks to
//     cancel all.
// The panel only says side and price (the ticket holds the quantity) and never sends
// anything itself: the signals go to whoever wires it. GUI thread.

#include "kraken/core/decimal.h"
#include "kraken/spot/orderrequest.h"

#include <QPoint>
#include <QStringList>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QMouseEvent;
class QTableView;
class QToolButton;

namespace model {
class LadderModel;
}

namespace ui {

class LadderDelegate;
class LinkButton;

class LadderPanel : public QWidget {
    Q_OBJECT
public:
    static QList<int> groupings() { return {1, 5, 10, 25, 100}; }

    explicit LadderPanel(model::LadderModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QComboBox *groupingCombo() const { return m_grouping; }
    LinkButton *linkButton() const { return m_link; }
    QToolButton *lockButton() const { return m_lock; }
    void setSymbol(const QString &symbol);
    bool isFollowingSpread() const { return m_follow; }
    // Scrolls the spread row to the middle and follows it again.
    void recentre();

    bool isLocked() const;
    void setLocked(bool locked);
    bool isDragging() const { return m_dragging; }

Q_SIGNALS:
    void lockedChanged(bool locked);
    // A limit order at `price`; the quantity comes from the ticket.
    void placeOrderRequested(kraken::spot::Side side, const kraken::Decimal &price);
    // Move these resting orders (all of one side) to `newPrice`.
    void amendPriceRequested(const QStringList &clOrdIds, const kraken::Decimal &newPrice);
    void cancelRequested(const QStringList &clOrdIds);
    void cancelAllRequested();
    // Fill the ticket with this side and price (nothing is sent).
    void prepareTicketRequested(kraken::spot::Side side, const kraken::Decimal &price);
    // A short message for the status bar ("Ladder is locked", a refused drag).
    void statusHint(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void keepCentred();
    void updateLockButton();
    void hint(const QString &message, const QPoint &globalPos = {});
    bool tradingAllowed(const QPoint &globalPos = {});
    // Mouse on the viewport; true when the event is consumed.
    bool mousePress(QMouseEvent *event);
    bool mouseMove(QMouseEvent *event);
    bool mouseRelease(QMouseEvent *event);
    void setDragTarget(int row);
    void endDrag();
    void cancelSelected();
    void prepare(kraken::spot::Side side);
    void cancelAll();

    model::LadderModel *m_model;
    QTableView *m_view;
    LadderDelegate *m_delegate;
    QComboBox *m_grouping;
    QLabel *m_title;
    QToolButton *m_lock;
    QToolButton *m_centre;
    LinkButton *m_link;
    bool m_follow = true;
    bool m_scrolling = false; // our own scrollTo, not the user's

    // One press of the left button on the viewport, until its release.
    struct Press {
        int row = -1;
        int column = -1;
        QPoint pos;
        int side = 0;                         // the row's side at press time
        std::optional<kraken::Decimal> price; // the row's price at press time
        QStringList dragIds;                  // own orders a drag from here would move
        bool dragBuy = true;
        QString dragQty;
    } m_press;
    bool m_dragging = false;
    int m_dragTarget = -1;
};

} // namespace ui
