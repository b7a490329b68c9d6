#include "balancespanel.h"

#include "blotterhelpers.h"
#include "model/balancesmodel.h"
#include "panellayout.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

using model::BalancesModel;

// Hides assets whose total is zero (Kraken lists every asset the account ever held).
class NonZeroBalances : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setHideZero(bool hide) {
        if (hide == m_hideZero)
            return;
        m_hideZero = hide;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override {
        if (!m_hideZero)
            return true;
        const QVariant record =
            sourceModel()->index(sourceRow, 0, sourceParent).data(BalancesModel::RecordRole);
        return !record.value<model::BalanceRecord>().total.isZero();
    }

private:
    bool m_hideZero = false;
};

} // namespace

BalancesPanel::BalancesPanel(model::BalancesModel *model, QWidget *parent)
    : QWidget(parent)
    , m_proxy(new NonZeroBalances(this))
    , m_view(new QTableView(this))
    , m_hideZero(new QCheckBox(u"Hide zero"_s, this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(BalancesModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_hideZero->setToolTip(u"Hide assets with a zero balance"_s);
    connect(m_hideZero, &QCheckBox::toggled, this,
            [this](bool on) { static_cast<NonZeroBalances *>(m_proxy)->setHideZero(on); });
    m_hideZero->setChecked(true);

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(u"Balances"_s);
    setUpBlotterView(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->sortByColumn(BalancesModel::Asset, Qt::AscendingOrder);

    auto *spacer = new QWidget(this);
    layOutPanel(this, {spacer, m_hideZero}, m_view);
}

} // namespace ui
