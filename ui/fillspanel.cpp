#include "fillspanel.h"

#include "blotterhelpers.h"
#include "model/fillsfiltermodel.h"
#include "model/fillsmodel.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QTableView>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ui {

using model::FillsModel;

FillsPanel::FillsPanel(model::FillsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new model::FillsFilterModel(this))
    , m_view(new QTableView(this))
    , m_symbol(new QComboBox(this))
    , m_export(new QAction(u"Export CSV…"_s, this)) {
    m_filter->setSourceModel(model);

    m_symbol->setAccessibleName(u"Fills symbol filter"_s);
    m_symbol->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_symbol, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setSymbol(m_symbol->currentData().toString()); });

    m_export->setToolTip(u"Save the rows shown as a CSV file"_s);
    connect(m_export, &QAction::triggered, this,
            [this] { exportCsvWithDialog(this, *m_filter, u"fills"_s); });
    auto *exportButton = new QToolButton(this);
    exportButton->setDefaultAction(m_export);
    exportButton->setAutoRaise(true);

    m_view->setModel(m_filter);
    m_view->setAccessibleName(u"Fills"_s);
    setUpBlotterView(m_view);
    m_view->sortByColumn(FillsModel::Time, Qt::DescendingOrder);
    auto *sideColour = new SignColourDelegate(FillsModel::BuyRole, this);
    m_view->setItemDelegateForColumn(FillsModel::Side, sideColour);
    m_view->setItemDelegateForColumn(FillsModel::Price, sideColour);
    m_view->horizontalHeader()->setSectionResizeMode(FillsModel::Time,
                                                     QHeaderView::ResizeToContents);
    m_view->setColumnHidden(FillsModel::OrderId, true);
    m_view->setColumnHidden(FillsModel::TradeId, true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_export);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &FillsPanel::refreshSymbols);
    connect(m_model, &QAbstractItemModel::modelReset, this, &FillsPanel::refreshSymbols);

    // An empty label takes the header's spare width, so the controls sit on the right.
    auto *spacer = new QWidget(this);
    layOutPanel(this, {spacer, m_symbol, exportButton}, m_view);
    refreshSymbols();
}

bool FillsPanel::exportTo(const QString &path, QString *error) const {
    return saveCsv(*m_filter, path, error);
}

void FillsPanel::refreshSymbols() {
    setSymbolChoices(m_symbol, m_model->symbols());
}

} // namespace ui
