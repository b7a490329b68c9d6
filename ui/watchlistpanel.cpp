#include "watchlistpanel.h"

#include "linkbutton.h"
#include "model/watchlistmodel.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace ui {

WatchlistPanel::WatchlistPanel(model::WatchlistModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_link(new LinkButton(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(model::WatchlistModel::SortRole);
    m_proxy->setFilterKeyColumn(model::WatchlistModel::Symbol);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    // Sorting follows ticker updates; the proxy re-sorts only the rows a dataChanged covers.
    m_proxy->setDynamicSortFilter(true);

    m_search->setPlaceholderText(u"Search pairs (e.g. BTC, /EUR)"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(u"Watchlist search"_s);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        activateRow(current.isValid() ? current : m_proxy->index(0, 0));
    });

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(u"Watchlist"_s);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(model::WatchlistModel::Volume, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(model::WatchlistModel::Symbol,
                                                     QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setMinimumSectionSize(40);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->setItemDelegateForColumn(
        model::WatchlistModel::ChangePct,
        new SignColourDelegate(model::WatchlistModel::DirectionRole, this));
    m_view->setItemDelegateForColumn(
        model::WatchlistModel::Last,
        new SignColourDelegate(model::WatchlistModel::DirectionRole, this));
    // activated: double-click, or Enter/Return on the current row (Fusion).
    connect(m_view, &QAbstractItemView::activated, this, &WatchlistPanel::activateRow);

    layOutPanel(this, {m_search, m_link}, m_view);
}

void WatchlistPanel::setCurrentSymbol(const QString &symbol) {
    const int row = m_model->rowOf(symbol);
    if (row < 0)
        return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!idx.isValid())
        return;
    m_view->setCurrentIndex(idx);
    m_view->scrollTo(idx);
}

bool WatchlistPanel::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_PageDown) {
            m_view->setFocus(Qt::TabFocusReason);
            if (!m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void WatchlistPanel::activateRow(const QModelIndex &proxyIndex) {
    if (!proxyIndex.isValid())
        return;
    const QString symbol =
        m_proxy->index(proxyIndex.row(), 0).data(model::WatchlistModel::SymbolRole).toString();
    if (!symbol.isEmpty())
        Q_EMIT symbolActivated(symbol);
}

} // namespace ui
