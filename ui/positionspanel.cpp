#include "positionspanel.h"

#include "blotterhelpers.h"
#include "model/positionsmodel.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ui {

using model::PositionsModel;

PositionsPanel::PositionsPanel(PositionsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_empty(new QLabel(u"No open positions"_s, this))
    , m_stack(new QStackedWidget(this))
    , m_close(new QAction(u"Close position"_s, this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(PositionsModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(u"Futures positions"_s);
    setUpBlotterView(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->sortByColumn(PositionsModel::Symbol, Qt::AscendingOrder);
    auto *sign = new SignColourDelegate(PositionsModel::SignRole, this);
    for (int column :
         {PositionsModel::Side, PositionsModel::UnrealizedPnl, PositionsModel::Funding})
        m_view->setItemDelegateForColumn(column, sign);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_close);

    m_close->setObjectName(u"closePosition"_s);
    m_close->setToolTip(u"Close the selected position at market (reduce-only), after a "
                        u"confirmation"_s);
    connect(m_close, &QAction::triggered, this, &PositionsPanel::closeSelected);

    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setAccessibleName(u"No open Futures positions"_s);
    QPalette muted = m_empty->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_empty->setPalette(muted);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto *closeButton = new QToolButton(this);
    closeButton->setDefaultAction(m_close);
    closeButton->setAutoRaise(true);
    auto *spacer = new QWidget(this);
    layOutPanel(this, {spacer, closeButton}, m_stack);
    setFocusProxy(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PositionsPanel::updateState);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PositionsPanel::updateState);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &PositionsPanel::updateState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &PositionsPanel::updateState);
    updateState();
}

bool PositionsPanel::isShowingEmptyState() const {
    return m_stack->currentWidget() == m_empty;
}

void PositionsPanel::setConfirmer(std::function<bool(const QString &)> confirm) {
    m_confirm = std::move(confirm);
}

void PositionsPanel::updateState() {
    m_stack->setCurrentWidget(m_proxy->rowCount() == 0 ? static_cast<QWidget *>(m_empty) : m_view);
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    m_close->setEnabled(!selected.isEmpty());
}

void PositionsPanel::closeSelected() {
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (selected.isEmpty())
        return;
    // Take the record now: the row may move or go while the question is open.
    const auto p = selected.first().data(PositionsModel::RecordRole).value<model::PositionRecord>();
    if (p.symbol.isEmpty() || p.size.isZero())
        return;
    const QString question =
        u"Close the %1 position of %2 %3 at market? This sends a reduce-only market %4 of %2 "
        u"contracts."_s.arg(p.isLong() ? u"long"_s : u"short"_s, p.size.abs().toString(), p.symbol,
                            p.isLong() ? u"sell"_s : u"buy"_s);
    const bool yes = m_confirm ? m_confirm(question)
                               : QMessageBox::question(this, u"Close position"_s, question,
                                                       QMessageBox::Yes | QMessageBox::No,
                                                       QMessageBox::No) == QMessageBox::Yes;
    if (yes)
        Q_EMIT closePositionRequested(p.symbol, p.size);
}

} // namespace ui
