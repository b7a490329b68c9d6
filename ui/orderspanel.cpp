#include "orderspanel.h"

#include "blotterhelpers.h"
#include "model/ordersfiltermodel.h"
#include "model/ordersmodel.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMessageBox>
#include <QTabBar>
#include <QTableView>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

using model::OrdersModel;
using model::OrderState;

bool isCancellable(OrderState state) {
    // Unknown is included: cancelling by cl_ord_id is how a trader kills an order that may or
    // may not be live. PendingCancel already has a cancel out.
    return (model::isWorking(state) && state != OrderState::PendingCancel) ||
           state == OrderState::Unknown;
}

QToolButton *toolButton(QAction *action, QWidget *parent) {
    auto *b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    return b;
}

} // namespace

OrdersPanel::OrdersPanel(model::OrdersModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new model::OrdersFilterModel(this))
    , m_view(new QTableView(this))
    , m_modeBar(new QTabBar(this))
    , m_symbol(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_cancel(new QAction(u"Cancel"_s, this))
    , m_cancelAll(new QAction(u"Cancel all"_s, this))
    , m_amend(new QAction(u"Amend"_s, this))
    , m_export(new QAction(u"Export CSV…"_s, this)) {
    m_filter->setSourceModel(model);
    // The model is shared with whoever else shows orders; the panel speaks for its own edits
    // only through this one forward.
    connect(model, &OrdersModel::amendRequested, this, &OrdersPanel::amendRequested);

    m_modeBar->addTab(u"Open"_s);
    m_modeBar->addTab(u"History"_s);
    m_modeBar->addTab(u"All"_s);
    m_modeBar->setDrawBase(false);
    m_modeBar->setExpanding(false);
    m_modeBar->setAccessibleName(u"Orders view"_s);
    connect(m_modeBar, &QTabBar::currentChanged, this, [this](int index) {
        static constexpr model::OrdersFilterModel::Mode modes[] = {
            model::OrdersFilterModel::Mode::Open, model::OrdersFilterModel::Mode::History,
            model::OrdersFilterModel::Mode::All};
        if (index >= 0 && index < 3)
            m_filter->setMode(modes[index]);
        updateActions();
    });

    m_symbol->setAccessibleName(u"Orders symbol filter"_s);
    m_symbol->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setSymbolChoices(m_symbol, {});
    connect(m_symbol, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setSymbol(m_symbol->currentData().toString()); });

    m_search->setPlaceholderText(u"Filter (id, type, status, reason)"_s);
    m_search->setAccessibleName(u"Orders text filter"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(220);
    connect(m_search, &QLineEdit::textChanged, m_filter, &model::OrdersFilterModel::setText);

    m_cancel->setToolTip(u"Cancel the selected orders (Delete)"_s);
    m_cancelAll->setToolTip(u"Cancel every open order on the account, all symbols"_s);
    m_amend->setToolTip(u"Edit the price of the current order in place (F2 or double-click "
                        u"a price or quantity)"_s);
    m_export->setToolTip(u"Save the rows shown as a CSV file"_s);
    connect(m_cancel, &QAction::triggered, this, &OrdersPanel::cancelSelected);
    connect(m_cancelAll, &QAction::triggered, this, &OrdersPanel::cancelAll);
    connect(m_amend, &QAction::triggered, this, &OrdersPanel::amendCurrent);
    connect(m_export, &QAction::triggered, this, &OrdersPanel::exportWithDialog);

    m_view->setModel(m_filter);
    m_view->setAccessibleName(u"Orders"_s);
    setUpBlotterView(m_view);
    // The model's flags decide which cells take an edit: price and quantity of working limit
    // orders.
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->sortByColumn(OrdersModel::Time, Qt::DescendingOrder);
    auto *sideColour = new SignColourDelegate(OrdersModel::BuyRole, this);
    m_view->setItemDelegateForColumn(OrdersModel::Side, sideColour);
    m_view->horizontalHeader()->setSectionResizeMode(OrdersModel::Time,
                                                     QHeaderView::ResizeToContents);
    // Ids are for support and export; the trader can show them from the header.
    m_view->setColumnHidden(OrdersModel::ClOrdId, true);
    m_view->setColumnHidden(OrdersModel::OrderId, true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_cancel, m_amend, m_cancelAll, m_export});
    m_view->installEventFilter(this);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OrdersPanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &OrdersPanel::updateActions);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &OrdersPanel::refreshSymbols);
    connect(m_model, &QAbstractItemModel::modelReset, this, &OrdersPanel::refreshSymbols);
    // A state change (Open -> PendingCancel) changes what the actions may do.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &OrdersPanel::updateActions);

    layOutPanel(this,
                {m_modeBar, m_symbol, m_search, toolButton(m_cancel, this),
                 toolButton(m_amend, this), toolButton(m_cancelAll, this),
                 toolButton(m_export, this)},
                m_view);
    refreshSymbols();
}

OrdersPanel::Mode OrdersPanel::mode() const {
    return Mode(m_modeBar->currentIndex());
}

void OrdersPanel::setMode(Mode mode) {
    m_modeBar->setCurrentIndex(int(mode));
}

void OrdersPanel::setConfirmer(std::function<bool(const QString &)> confirm) {
    m_confirm = std::move(confirm);
}

QStringList OrdersPanel::selectedCancellable() const {
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &row : std::as_const(rows)) {
        if (isCancellable(OrderState(row.data(OrdersModel::StateRole).toInt())))
            ids.append(row.data(OrdersModel::ClOrdIdRole).toString());
    }
    return ids;
}

int OrdersPanel::workingCount() const {
    int n = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        n += isCancellable(m_model->record(row).state);
    return n;
}

void OrdersPanel::cancelSelected() {
    const QStringList ids = selectedCancellable();
    if (!ids.isEmpty())
        Q_EMIT cancelRequested(ids);
}

void OrdersPanel::cancelAll() {
    const int n = workingCount();
    if (n == 0)
        return;
    const QString question =
        QString(u"Cancel all "_s + QString::number(n) +
                (n == 1 ? u" open order"_s : u" open orders"_s) + u", on every symbol?"_s);
    const bool yes = m_confirm ? m_confirm(question)
                               : QMessageBox::question(this, u"Cancel all orders"_s, question,
                                                       QMessageBox::Yes | QMessageBox::No,
                                                       QMessageBox::No) == QMessageBox::Yes;
    if (yes)
        Q_EMIT cancelAllRequested();
}

void OrdersPanel::amendCurrent() {
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QModelIndex price = m_filter->index(current.row(), OrdersModel::Price);
    if (price.flags() & Qt::ItemIsEditable) {
        m_view->setCurrentIndex(price);
        m_view->edit(price);
    }
}

bool OrdersPanel::exportTo(const QString &path, QString *error) const {
    return saveCsv(*m_filter, path, error);
}

void OrdersPanel::exportWithDialog() {
    exportCsvWithDialog(this, *m_filter, u"orders"_s);
}

void OrdersPanel::refreshSymbols() {
    setSymbolChoices(m_symbol, m_model->symbols());
    updateActions();
}

void OrdersPanel::updateActions() {
    m_cancel->setEnabled(!selectedCancellable().isEmpty());
    const QModelIndex current = m_view->currentIndex();
    m_amend->setEnabled(
        current.isValid() &&
        (m_filter->index(current.row(), OrdersModel::Price).flags() & Qt::ItemIsEditable));
    m_cancelAll->setEnabled(workingCount() > 0);
}

bool OrdersPanel::eventFilter(QObject *watched, QEvent *event) {
    // Delete cancels; while a cell editor is open the key goes to the editor, not here.
    if (watched == m_view && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Delete &&
        (static_cast<QKeyEvent *>(event)->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier) {
        cancelSelected();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ui
