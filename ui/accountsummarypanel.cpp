#include "accountsummarypanel.h"

#include "blotterhelpers.h"
#include "model/accountsummarymodel.h"
#include "orderconfirmdialog.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QCheckBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

using model::AccountSummaryModel;
using Alert = AccountSummaryModel::MarginAlert;

QColor alertColour(Alert alert, const QPalette &palette) {
    return alert == Alert::Critical ? OrderConfirmDialog::errorColour(palette)
                                    : OrderConfirmDialog::warningColour(palette);
}

// The margin level cell in the warning or error colour, bold when critical.
class MarginLevelDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        const auto alert = Alert(index.data(AccountSummaryModel::MarginAlertRole).toInt());
        if (alert == Alert::None)
            return;
        option->palette.setColor(QPalette::Text, alertColour(alert, option->palette));
        if (alert == Alert::Critical)
            option->font.setBold(true);
    }
};

// Hides Spot assets with a zero total (Kraken lists every asset the account ever held);
// Futures accounts always show.
class SummaryFilter : public QSortFilterProxyModel {
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
        const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
        if (AccountSummaryModel::VenueKind(i.data(AccountSummaryModel::VenueRole).toInt()) !=
            AccountSummaryModel::VenueKind::Spot)
            return true;
        return !i.data(AccountSummaryModel::BalanceRecordRole)
                    .value<model::BalanceRecord>()
                    .total.isZero();
    }

private:
    bool m_hideZero = false;
};

} // namespace

AccountSummaryPanel::AccountSummaryPanel(AccountSummaryModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new SummaryFilter(this))
    , m_view(new QTableView(this))
    , m_hideZero(new QCheckBox(u"Hide zero"_s, this))
    , m_alert(new QLabel(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(AccountSummaryModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_hideZero->setToolTip(u"Hide Spot assets with a zero balance"_s);
    connect(m_hideZero, &QCheckBox::toggled, this,
            [this](bool on) { static_cast<SummaryFilter *>(m_proxy)->setHideZero(on); });
    m_hideZero->setChecked(true);

    m_alert->setObjectName(u"marginAlert"_s);
    m_alert->setAccessibleName(u"Margin level alert"_s);
    m_alert->setWordWrap(true);
    m_alert->hide();

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(u"Account summary"_s);
    setUpBlotterView(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->sortByColumn(AccountSummaryModel::Venue, Qt::AscendingOrder);
    m_view->setItemDelegateForColumn(AccountSummaryModel::MarginLevel,
                                     new MarginLevelDelegate(this));
    m_view->setItemDelegateForColumn(AccountSummaryModel::UnrealizedPnl,
                                     new SignColourDelegate(AccountSummaryModel::SignRole, this));
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &AccountSummaryPanel::updateAlert);
    connect(model, &QAbstractItemModel::dataChanged, this, &AccountSummaryPanel::updateAlert);
    connect(model, &QAbstractItemModel::modelReset, this, &AccountSummaryPanel::updateAlert);

    layOutPanel(this, {m_alert, m_hideZero}, m_view);
    updateAlert();
}

void AccountSummaryPanel::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateAlert();
}

void AccountSummaryPanel::updateAlert() {
    // The worst account speaks: its level and what the threshold is.
    Alert worst = Alert::None;
    QStringList lines;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex i = m_model->index(row, AccountSummaryModel::MarginLevel);
        const auto alert = Alert(i.data(AccountSummaryModel::MarginAlertRole).toInt());
        if (alert == Alert::None)
            continue;
        worst = std::max(worst, alert);
        lines << u"%1 margin level %2 (%3 %4%)"_s.arg(
            i.siblingAtColumn(AccountSummaryModel::Account).data().toString(), i.data().toString(),
            alert == Alert::Critical ? u"near liquidation: below"_s : u"low: below"_s,
            QString::number(alert == Alert::Critical ? AccountSummaryModel::CriticalMarginLevelPct
                                                     : AccountSummaryModel::LowMarginLevelPct));
    }
    if (worst == Alert::None) {
        m_alert->clear();
        m_alert->hide();
        return;
    }
    m_alert->setText(QString(u"\u26A0 "_s + lines.join(u"; "_s)));
    QPalette p = m_alert->palette();
    p.setColor(QPalette::WindowText, alertColour(worst, palette()));
    m_alert->setPalette(p);
    m_alert->show();
}

} // namespace ui
