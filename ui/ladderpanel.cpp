#include "ladderpanel.h"

#include "ladderdelegate.h"
#include "linkbutton.h"
#include "model/laddermodel.h"
#include "panellayout.h"

#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QScrollBar>
#include <QShortcut>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>

#include <utility>

using namespace Qt::StringLiterals;

namespace ui {

using kraken::spot::Side;
using model::LadderModel;

LadderPanel::LadderPanel(model::LadderModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_delegate(new LadderDelegate(this))
    , m_grouping(new QComboBox(this))
    , m_title(new QLabel(this))
    , m_lock(new QToolButton(this))
    , m_centre(new QToolButton(this))
    , m_link(new LinkButton(this)) {
    for (int g : groupings())
        m_grouping->addItem(g == 1 ? u"1 tick"_s : QString(QString::number(g) + u" ticks"_s), g);
    m_grouping->setAccessibleName(u"Ladder price grouping"_s);
    m_grouping->setToolTip(u"Group price levels by a multiple of the tick size"_s);
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_model->setGrouping(m_grouping->itemData(i).toInt());
        recentre();
    });

    m_centre->setText(u"Centre"_s);
    m_centre->setAccessibleName(u"Centre ladder on the spread"_s);
    m_centre->setToolTip(u"Scroll back to the spread and follow it (C)"_s);
    m_centre->setEnabled(false);
    connect(m_centre, &QToolButton::clicked, this, &LadderPanel::recentre);

    auto *centreKey = new QShortcut(QKeySequence(Qt::Key_C), this);
    centreKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(centreKey, &QShortcut::activated, this, &LadderPanel::recentre);

    // Locked on every new panel, whatever the last window did: click trading is a choice
    // made per window and per session, so the state is deliberately never saved.
    m_lock->setCheckable(true);
    m_lock->setChecked(false);
    m_lock->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_lock->setAccessibleName(u"Ladder trading lock"_s);
    m_lock->setToolTip(
        u"Locked: the ladder only shows the book. Unlock to trade from it in this window: "
        "click Size or Total on a bid row to buy at its price, on an ask row to sell; drag "
        "your order tag in the Price column to another row to amend it (Esc aborts); Delete "
        "cancels the selected row's orders; B / S prepare the ticket at the best bid / ask; "
        "Ctrl+Shift+X cancels all. Every new ladder starts locked."_s);
    connect(m_lock, &QToolButton::toggled, this, [this](bool unlocked) {
        if (!unlocked) {
            endDrag();
            m_press = {};
        }
        updateLockButton();
        Q_EMIT statusHint(unlocked ? u"Ladder trading unlocked"_s : u"Ladder trading locked"_s);
        Q_EMIT lockedChanged(!unlocked);
    });
    updateLockButton();

    const auto shortcut = [this](const QKeySequence &keys, auto slot) {
        auto *s = new QShortcut(keys, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_Delete), [this] { cancelSelected(); });
    shortcut(QKeySequence(Qt::Key_Backspace), [this] { cancelSelected(); });
    shortcut(QKeySequence(Qt::Key_B), [this] { prepare(Side::Buy); });
    shortcut(QKeySequence(Qt::Key_S), [this] { prepare(Side::Sell); });
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X), [this] { cancelAll(); });

    m_title->setAccessibleName(u"Ladder symbol"_s);

    m_view->setModel(model);
    m_view->setAccessibleName(u"Depth ladder"_s);
    m_view->setItemDelegate(m_delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->horizontalHeader()->setHighlightSections(false);
    QFont mono = m_view->font();
    mono.setStyleHint(QFont::Monospace);
    mono.setFamilies({u"DejaVu Sans Mono"_s, u"Monospace"_s});
    m_view->setFont(mono);

    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        if (m_scrolling || !m_follow)
            return;
        m_follow = false;
        m_centre->setEnabled(true);
    });
    connect(model, &QAbstractItemModel::modelReset, this, &LadderPanel::keepCentred);
    connect(model, &QAbstractItemModel::layoutChanged, this, &LadderPanel::keepCentred);
    connect(model, &QAbstractItemModel::rowsInserted, this, &LadderPanel::keepCentred);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &LadderPanel::keepCentred);

    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);

    layOutPanel(this, {m_title, m_lock, m_grouping, m_centre, m_link}, m_view);
    QTimer::singleShot(0, this, &LadderPanel::keepCentred);
}

void LadderPanel::setSymbol(const QString &symbol) {
    m_title->setText(symbol);
    recentre();
}

void LadderPanel::recentre() {
    m_follow = true;
    m_centre->setEnabled(false);
    keepCentred();
}

void LadderPanel::keepCentred() {
    if (!m_follow)
        return;
    const int row = m_model->spreadRow();
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_scrolling = true;
    m_view->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
    m_scrolling = false;
}

void LadderPanel::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    keepCentred();
}

bool LadderPanel::isLocked() const {
    return !m_lock->isChecked();
}

void LadderPanel::setLocked(bool locked) {
    m_lock->setChecked(!locked);
}

void LadderPanel::updateLockButton() {
    const bool unlocked = m_lock->isChecked();
    m_lock->setText(unlocked ? u"Trading"_s : u"Locked"_s);
    m_lock->setIcon(QIcon::fromTheme(unlocked ? u"object-unlocked"_s : u"object-locked"_s));
    m_lock->setAccessibleDescription(unlocked ? u"Unlocked: clicks on the ladder place orders"_s
                                              : u"Locked: clicks on the ladder do not trade"_s);
    // The same amber as the ladder's edge, so the button and the ladder say the same thing.
    m_lock->setStyleSheet(unlocked ? QString(u"QToolButton { color: "_s %
                                             LadderDelegate::unlockedColour(palette()).name() %
                                             u"; font-weight: bold; }"_s)
                                   : QString());
    m_delegate->setTradingUnlocked(unlocked);
    m_view->viewport()->update();
}

void LadderPanel::hint(const QString &message, const QPoint &globalPos) {
    Q_EMIT statusHint(message);
    if (isVisible())
        QToolTip::showText(globalPos.isNull() ? m_lock->mapToGlobal(m_lock->rect().bottomLeft())
                                              : globalPos,
                           message, this);
}

bool LadderPanel::tradingAllowed(const QPoint &globalPos) {
    if (!isLocked())
        return true;
    hint(u"Ladder is locked: unlock it with the lock button to trade from it"_s, globalPos);
    return false;
}

bool LadderPanel::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view->viewport()) {
        switch (event->type()) {
        case QEvent::MouseButtonPress:
            return mousePress(static_cast<QMouseEvent *>(event));
        case QEvent::MouseMove:
            return mouseMove(static_cast<QMouseEvent *>(event));
        case QEvent::MouseButtonRelease:
            return mouseRelease(static_cast<QMouseEvent *>(event));
        case QEvent::MouseButtonDblClick:
            // The second press of a double click is not a new click: one order, not two.
            m_press = {};
            return false;
        default:
            return false;
        }
    }
    if (watched == m_view && m_dragging &&
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        // Claim Esc before any window shortcut does: it aborts the drag, nothing else.
        event->accept();
        if (event->type() == QEvent::KeyPress) {
            endDrag();
            m_press = {};
            Q_EMIT statusHint(u"Drag cancelled"_s);
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool LadderPanel::mousePress(QMouseEvent *event) {
    m_press = {};
    if (event->button() != Qt::LeftButton)
        return false;
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return false;
    m_press.row = index.row();
    m_press.column = index.column();
    m_press.pos = pos;
    m_press.side = index.data(LadderModel::SideRole).toInt();
    m_press.price = m_model->priceAt(index.row());
    if (index.column() == LadderModel::Price && m_press.side != 0) {
        const QStringList buys = index.data(LadderModel::OwnBuyClOrdIdsRole).toStringList();
        const QStringList sells = index.data(LadderModel::OwnSellClOrdIdsRole).toStringList();
        // A drag moves one side's orders: the row's own side first (a bid row's buys), the
        // other only when the row holds nothing else (a stale book around the spread).
        const bool buy = m_press.side < 0 ? !buys.isEmpty() : sells.isEmpty();
        m_press.dragBuy = buy;
        m_press.dragIds = buy ? buys : sells;
        m_press.dragQty =
            index.data(buy ? LadderModel::OwnBuyQtyRole : LadderModel::OwnSellQtyRole).toString();
    }
    return false; // the view still selects the row (Delete acts on the selection)
}

bool LadderPanel::mouseMove(QMouseEvent *event) {
    if (m_press.row < 0 || m_press.dragIds.isEmpty())
        return false;
    const QPoint pos = event->position().toPoint();
    if (!m_dragging) {
        if ((pos - m_press.pos).manhattanLength() < QApplication::startDragDistance())
            return false;
        if (!tradingAllowed(event->globalPosition().toPoint())) {
            m_press.dragIds.clear(); // one hint per press, then an ordinary drag-select
            return false;
        }
        m_dragging = true;
        m_view->viewport()->setCursor(Qt::ClosedHandCursor);
    }
    setDragTarget(m_view->rowAt(pos.y()));
    return true; // the view must not drag-select while an order is being moved
}

bool LadderPanel::mouseRelease(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton)
        return false;
    const QPoint pos = event->position().toPoint();
    if (m_dragging)
        setDragTarget(m_view->rowAt(pos.y())); // reads m_press: before it is cleared
    const Press press = std::exchange(m_press, {});
    if (m_dragging) {
        const int target = m_dragTarget;
        const int dropRow = m_view->rowAt(pos.y());
        endDrag();
        if (target >= 0 && target != press.row) {
            if (const auto price = m_model->priceAt(target))
                Q_EMIT amendPriceRequested(press.dragIds, *price);
        } else if (target < 0 && m_model->priceAt(dropRow)) {
            hint(u"An order is not dragged across the spread: use the ticket for that"_s,
                 event->globalPosition().toPoint());
        }
        return false; // the view ends its own press state
    }
    if (press.row < 0)
        return false;
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid() || index.row() != press.row || index.column() != press.column)
        return false; // pressed on one cell, released on another: not a click
    if (press.column == LadderModel::Price || press.side == 0 || !press.price)
        return false; // the Price column only selects; the spread row and empty rows do nothing
    if (!tradingAllowed(event->globalPosition().toPoint()))
        return false;
    Q_EMIT placeOrderRequested(press.side < 0 ? Side::Buy : Side::Sell, *press.price);
    return false;
}

void LadderPanel::setDragTarget(int row) {
    // Only rows of the orders' own side: dropping a buy on an ask row would make it marketable.
    const int wantSide = m_press.dragBuy ? -1 : 1;
    const bool ok = row >= 0 && m_model->priceAt(row) &&
                    m_model->index(row, 0).data(LadderModel::SideRole).toInt() == wantSide;
    m_dragTarget = ok ? row : -1;
    m_view->viewport()->setCursor(ok ? Qt::ClosedHandCursor : Qt::ForbiddenCursor);
    m_delegate->setDragPreview(m_press.row, m_dragTarget, m_press.dragBuy, m_press.dragQty);
    m_view->viewport()->update();
}

void LadderPanel::endDrag() {
    if (!m_dragging)
        return;
    m_dragging = false;
    m_dragTarget = -1;
    m_view->viewport()->unsetCursor();
    m_delegate->setDragPreview(-1, -1, true, {});
    m_view->viewport()->update();
}

void LadderPanel::cancelSelected() {
    if (!tradingAllowed())
        return;
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    const QStringList ids =
        selected.isEmpty() ? QStringList()
                           : selected.first().data(LadderModel::OwnClOrdIdsRole).toStringList();
    if (ids.isEmpty()) {
        hint(u"No own orders on the selected row"_s);
        return;
    }
    Q_EMIT cancelRequested(ids);
}

void LadderPanel::prepare(Side side) {
    if (!tradingAllowed())
        return;
    const auto price = side == Side::Buy ? m_model->bestBid() : m_model->bestAsk();
    if (!price) {
        hint(side == Side::Buy ? u"No best bid"_s : u"No best ask"_s);
        return;
    }
    Q_EMIT prepareTicketRequested(side, *price);
}

void LadderPanel::cancelAll() {
    if (!tradingAllowed())
        return;
    Q_EMIT cancelAllRequested();
}

} // namespace ui
