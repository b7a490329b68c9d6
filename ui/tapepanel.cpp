#include "tapepanel.h"

#include "kraken/core/decimal.h"
#include "linkbutton.h"
#include "model/tradesmodel.h"
#include "panellayout.h"
#include "signcolourdelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace ui {

TapePanel::TapePanel(model::TradesModel *model, QWidget *parent)
    : QWidget(parent)
    , m_filter(new model::TradesFilterModel(this))
    , m_view(new QTableView(this))
    , m_minSize(new QLineEdit(this))
    , m_title(new QLabel(this))
    , m_link(new LinkButton(this)) {
    m_filter->setSourceModel(model);

    m_minSize->setPlaceholderText(u"Min size"_s);
    m_minSize->setAccessibleName(u"Tape minimum trade size"_s);
    m_minSize->setToolTip(u"Hide trades smaller than this quantity"_s);
    m_minSize->setClearButtonEnabled(true);
    m_minSize->setMaximumWidth(120);
    m_minSize->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"^\\d{0,12}(\\.\\d{0,12})?$"_s), this));
    connect(m_minSize, &QLineEdit::textChanged, this, &TapePanel::applyMinimum);

    m_view->setModel(m_filter);
    m_view->setAccessibleName(u"Trades tape"_s);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(model::TradesModel::Time,
                                                     QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(model::TradesModel::Side,
                                                     QHeaderView::ResizeToContents);
    auto *sideColour = new SignColourDelegate(model::TradesModel::BuyRole, this);
    m_view->setItemDelegateForColumn(model::TradesModel::Side, sideColour);
    m_view->setItemDelegateForColumn(model::TradesModel::Price, sideColour);

    m_title->setAccessibleName(u"Tape symbol"_s);
    layOutPanel(this, {m_title, m_minSize, m_link}, m_view);
}

void TapePanel::setSymbol(const QString &symbol) {
    m_title->setText(symbol);
}

void TapePanel::applyMinimum() {
    const QString text = m_minSize->text().trimmed();
    const auto qty = text.isEmpty() ? std::optional<kraken::Decimal>(kraken::Decimal())
                                    : kraken::Decimal::fromString(QStringView(text));
    if (qty)
        m_filter->setMinimumSize(*qty);
}

} // namespace ui
