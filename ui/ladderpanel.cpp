#include "ladderpanel.h"

#include "ladderdelegate.h"
#include "linkbutton.h"
#include "model/laddermodel.h"
#include "panellayout.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QShortcut>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ui {

LadderPanel::LadderPanel(model::LadderModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_grouping(new QComboBox(this))
    , m_title(new QLabel(this))
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

    m_title->setAccessibleName(u"Ladder symbol"_s);

    m_view->setModel(model);
    m_view->setAccessibleName(u"Depth ladder"_s);
    m_view->setItemDelegate(new LadderDelegate(this));
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

    layOutPanel(this, {m_title, m_grouping, m_centre, m_link}, m_view);
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

} // namespace ui
