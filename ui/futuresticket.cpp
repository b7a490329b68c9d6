#include "futuresticket.h"

#include "orderconfirmdialog.h"
#include "theme.h"
#include "ticketparts.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ui {

using kraken::Decimal;
using kraken::futures::FuturesDeviationUnit;
using kraken::futures::FuturesInstrument;
using kraken::futures::FuturesOrderRequest;
using kraken::futures::FuturesOrderType;
using kraken::futures::FuturesSide;
using kraken::futures::FuturesTriggerSignal;
using model::OrderField;
using model::Severity;
using model::ValidationIssue;

namespace {

const QString Missing = u"\u2014"_s;

bool hasLimit(FuturesOrderType t) {
    return t == FuturesOrderType::Limit || t == FuturesOrderType::PostOnly ||
           t == FuturesOrderType::ImmediateOrCancel || t == FuturesOrderType::Stop ||
           t == FuturesOrderType::TakeProfit;
}

// Stops and take-profits take a limit as their worst fill price; without one they trigger a
// market order.
bool limitRequired(FuturesOrderType t) {
    return t == FuturesOrderType::Limit || t == FuturesOrderType::PostOnly ||
           t == FuturesOrderType::ImmediateOrCancel;
}

bool hasStop(FuturesOrderType t) {
    return t == FuturesOrderType::Stop || t == FuturesOrderType::TakeProfit;
}

bool hasSignal(FuturesOrderType t) {
    return hasStop(t) || t == FuturesOrderType::TrailingStop;
}

// A fraction as a percentage: 0.02 -> "2".
QString percentOf(const Decimal &fraction) {
    const Decimal f = fraction.normalized();
    const auto p = f.times(Decimal::fromInt(100), f.scale());
    return p ? p->normalized().toString() : fraction.toString();
}

QString sentence(QString s) {
    if (s.isEmpty())
        return s;
    s[0] = s[0].toUpper();
    if (!s.endsWith(u'.'))
        s += u'.';
    return s;
}

} // namespace

FuturesTicket::FuturesTicket(QWidget *parent)
    : QWidget(parent)
    , m_symbolLabel(new QLabel(this))
    , m_buy(new QPushButton(u"Buy"_s, this))
    , m_sell(new QPushButton(u"Sell"_s, this))
    , m_type(new QComboBox(this))
    , m_size(decimalEdit(u"size"_s, u"Order size in contracts"_s))
    , m_limit(decimalEdit(u"limitPrice"_s, u"Limit price"_s))
    , m_stop(decimalEdit(u"stopPrice"_s, u"Stop price"_s))
    , m_signal(new QComboBox(this))
    , m_deviation(decimalEdit(u"trailingDeviation"_s, u"Trailing stop maximum deviation"_s))
    , m_deviationUnit(new QComboBox(this))
    , m_reduceOnly(new QCheckBox(u"Reduce-only"_s, this))
    , m_price(infoLabel(u"estimatePrice"_s, u"Price the estimate uses"_s))
    , m_notional(infoLabel(u"notional"_s, u"Order notional"_s))
    , m_initialMargin(infoLabel(u"initialMargin"_s, u"Initial margin the order needs"_s))
    , m_leverage(infoLabel(u"leverage"_s, u"Leverage"_s))
    , m_availableAfter(infoLabel(u"availableAfter"_s, u"Available margin after the order"_s))
    , m_marginWarning(infoLabel(u"marginWarning"_s, u"Margin warning"_s))
    , m_orderMessage(infoLabel(u"orderMessage"_s, u"Order messages"_s))
    , m_submit(new QPushButton(this))
    , m_clear(new QPushButton(u"Clear"_s, this)) {
    setAccessibleName(u"Futures order ticket"_s);

    m_symbolLabel->setObjectName(u"symbol"_s);
    m_symbolLabel->setAccessibleName(u"Futures ticket symbol"_s);
    QFont bold = m_symbolLabel->font();
    bold.setBold(true);
    m_symbolLabel->setFont(bold);

    for (QPushButton *b : {m_buy, m_sell}) {
        b->setCheckable(true);
        b->setAutoDefault(false);
    }
    m_buy->setObjectName(u"buy"_s);
    m_buy->setAccessibleName(u"Side: buy"_s);
    m_buy->setToolTip(u"Buy contracts: open or add to a long, or reduce a short"_s);
    m_sell->setObjectName(u"sell"_s);
    m_sell->setAccessibleName(u"Side: sell"_s);
    m_sell->setToolTip(u"Sell contracts: open or add to a short, or reduce a long"_s);
    auto *sides = new QButtonGroup(this);
    sides->setExclusive(true);
    sides->addButton(m_buy);
    sides->addButton(m_sell);
    m_buy->setChecked(true);
    connect(m_buy, &QPushButton::clicked, this, [this] { setSide(FuturesSide::Buy); });
    connect(m_sell, &QPushButton::clicked, this, [this] { setSide(FuturesSide::Sell); });

    m_type->setObjectName(u"orderType"_s);
    m_type->setAccessibleName(u"Order type"_s);
    const std::pair<FuturesOrderType, QString> types[] = {
        {FuturesOrderType::Limit, u"Limit"_s},
        {FuturesOrderType::PostOnly, u"Post-only limit"_s},
        {FuturesOrderType::Market, u"Market"_s},
        {FuturesOrderType::Stop, u"Stop"_s},
        {FuturesOrderType::TakeProfit, u"Take profit"_s},
        {FuturesOrderType::ImmediateOrCancel, u"Immediate or cancel"_s},
        {FuturesOrderType::TrailingStop, u"Trailing stop"_s},
    };
    for (const auto &[type, label] : types)
        m_type->addItem(label, int(type));
    m_type->setItemData(2, u"Immediate-or-cancel with Kraken's 1% price protection"_s,
                        Qt::ToolTipRole);

    m_size->setToolTip(u"Size in contracts (PF_: the base currency; PI_/FI_: USD)"_s);
    m_limit->setToolTip(u"Limit price; for a stop or take profit, the worst price it may fill "
                        u"at once triggered (empty: it triggers a market order)"_s);
    m_stop->setToolTip(u"The price that triggers the order"_s);
    m_signal->setObjectName(u"triggerSignal"_s);
    m_signal->setAccessibleName(u"Trigger signal"_s);
    m_signal->setToolTip(u"Which price triggers the order: the mark price (robust against "
                         u"wicks), Kraken's index or the last trade"_s);
    m_signal->addItem(u"Mark price"_s, int(FuturesTriggerSignal::Mark));
    m_signal->addItem(u"Index price"_s, int(FuturesTriggerSignal::Index));
    m_signal->addItem(u"Last trade"_s, int(FuturesTriggerSignal::Last));
    m_deviation->setToolTip(u"How far the stop trails the best price it has seen"_s);
    m_deviationUnit->setObjectName(u"trailingDeviationUnit"_s);
    m_deviationUnit->setAccessibleName(u"Trailing deviation unit"_s);
    m_deviationUnit->addItem(u"%"_s, int(FuturesDeviationUnit::Percent));
    m_deviationUnit->addItem(u"Quote"_s, int(FuturesDeviationUnit::QuoteCurrency));
    m_reduceOnly->setObjectName(u"reduceOnly"_s);
    m_reduceOnly->setAccessibleName(u"Reduce-only"_s);
    m_reduceOnly->setToolTip(u"Only reduce the open position; never open or grow one (needs "
                             u"no margin)"_s);

    m_submit->setObjectName(u"submit"_s);
    m_submit->setAccessibleName(u"Submit order"_s);
    m_submit->setAutoDefault(false);
    m_clear->setObjectName(u"clear"_s);
    m_clear->setAccessibleName(u"Clear the ticket"_s);
    m_clear->setToolTip(u"Empty size and prices (Esc)"_s);
    m_clear->setAutoDefault(false);
    connect(m_submit, &QPushButton::clicked, this, &FuturesTicket::submit);
    connect(m_clear, &QPushButton::clicked, this, &FuturesTicket::clear);

    auto *form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *sideRow = new QWidget(this);
    auto *sideBox = new QHBoxLayout(sideRow);
    sideBox->setContentsMargins(0, 0, 0, 0);
    sideBox->addWidget(m_buy);
    sideBox->addWidget(m_sell);
    form->addRow(m_symbolLabel, sideRow);
    form->addRow(u"Type"_s, fieldRow({m_type}, OrderField::OrderType));
    form->addRow(u"Size"_s, fieldRow({m_size}, OrderField::Quantity));
    form->addRow(u"Stop"_s, fieldRow({m_stop}, OrderField::TriggerPrice));
    form->addRow(u"Limit"_s, fieldRow({m_limit}, OrderField::LimitPrice));
    form->addRow(u"Trail by"_s,
                 fieldRow({m_deviation, m_deviationUnit}, OrderField::TrailingOffset));
    m_signalRow = new QWidget(this);
    auto *signalBox = new QHBoxLayout(m_signalRow);
    signalBox->setContentsMargins(0, 0, 0, 0);
    signalBox->addWidget(m_signal);
    form->addRow(u"Trigger on"_s, m_signalRow);
    form->addRow(QString(), fieldRow({m_reduceOnly}, OrderField::ReduceOnly));
    form->addRow(u"Priced at"_s, m_price);
    form->addRow(u"Notional"_s, m_notional);
    form->addRow(u"Initial margin"_s, m_initialMargin);
    form->addRow(u"Leverage"_s, m_leverage);
    form->addRow(u"Available after"_s, m_availableAfter);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_submit, 1);
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_marginWarning);
    layout->addWidget(m_orderMessage);
    layout->addLayout(buttons);
    layout->addStretch(1);
    for (QLabel *l : {m_marginWarning, m_orderMessage}) {
        l->setWordWrap(true);
        l->hide();
    }

    for (QLineEdit *e : {m_size, m_limit, m_stop, m_deviation})
        connect(e, &QLineEdit::textChanged, this, &FuturesTicket::revalidate);
    for (QComboBox *c : {m_type, m_signal, m_deviationUnit})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateVisibleFields();
            revalidate();
        });
    connect(m_reduceOnly, &QCheckBox::toggled, this, &FuturesTicket::revalidate);

    updateHints();
    updateVisibleFields();
    updateColours();
    revalidate();
}

QLineEdit *FuturesTicket::decimalEdit(const QString &objectName, const QString &accessibleName) {
    return ticket::decimalEdit(this, objectName, accessibleName);
}

QLabel *FuturesTicket::infoLabel(const QString &objectName, const QString &accessibleName) {
    auto *l = new QLabel(this);
    l->setObjectName(objectName);
    l->setAccessibleName(accessibleName);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QWidget *FuturesTicket::fieldRow(std::initializer_list<QWidget *> editors, OrderField field) {
    const ticket::FieldRow r = ticket::fieldRow(this, editors);
    m_messages.insert(field, r.message);
    m_rows.insert(field, r.row);
    return r.row;
}

void FuturesTicket::setInstrument(const FuturesInstrument &instrument) {
    // Another contract's mark would value and guard the order at the wrong price.
    if (m_symbol.compare(instrument.symbol(), Qt::CaseInsensitive) != 0)
        m_market = {};
    m_instrument = instrument;
    m_hasInstrument = true;
    m_symbol = instrument.symbol();
    m_symbolLabel->setText(instrument.displayName());
    m_symbolLabel->setToolTip(instrument.symbol());
    m_showAll = false;
    // The margin account may be another one now (flex for PF_, fi_xbtusd for PI_XBTUSD).
    if (!m_marginAccounts.isEmpty())
        setMarginAccounts(m_marginAccounts);
    else if (m_margin && m_margin->account.compare(model::futuresMarginAccountOf(instrument),
                                                   Qt::CaseInsensitive) != 0)
        m_margin.reset();
    updateHints();
    updateColours();
    revalidate();
}

void FuturesTicket::setSymbol(const QString &symbol) {
    if (m_hasInstrument && m_instrument.symbol().compare(symbol, Qt::CaseInsensitive) == 0)
        return;
    if (m_symbol.compare(symbol, Qt::CaseInsensitive) != 0)
        m_market = {};
    m_instrument = FuturesInstrument();
    m_hasInstrument = false;
    m_symbol = symbol;
    m_symbolLabel->setText(symbol);
    m_symbolLabel->setToolTip(u"Contract terms not loaded: no tick or margin checks yet"_s);
    m_margin.reset();
    m_showAll = false;
    updateHints();
    updateColours();
    revalidate();
}

void FuturesTicket::setMarketContext(const std::optional<Decimal> &mark,
                                     const std::optional<Decimal> &bestBid,
                                     const std::optional<Decimal> &bestAsk) {
    m_market.mark = mark;
    m_market.bestBid = bestBid;
    m_market.bestAsk = bestAsk;
    revalidate();
}

void FuturesTicket::setMargin(const model::MarginRecord &account) {
    m_margin = account;
    revalidate();
}

void FuturesTicket::setMarginAccounts(const QList<model::MarginRecord> &accounts) {
    m_marginAccounts = accounts;
    const QString wanted =
        m_hasInstrument ? model::futuresMarginAccountOf(m_instrument) : QString();
    m_margin.reset();
    for (const model::MarginRecord &m : accounts)
        if (!wanted.isEmpty() && m.account.compare(wanted, Qt::CaseInsensitive) == 0)
            m_margin = m;
    revalidate();
}

void FuturesTicket::setGuardSettings(const model::GuardSettings &guards) {
    m_guards = guards;
    revalidate();
}

void FuturesTicket::prepareBuy() {
    setSide(FuturesSide::Buy);
    m_size->setFocus(Qt::ShortcutFocusReason);
    m_size->selectAll();
}

void FuturesTicket::prepareSell() {
    setSide(FuturesSide::Sell);
    m_size->setFocus(Qt::ShortcutFocusReason);
    m_size->selectAll();
}

void FuturesTicket::prepareLimit(FuturesSide side, const Decimal &price) {
    m_type->setCurrentIndex(m_type->findData(int(FuturesOrderType::Limit)));
    setSide(side);
    m_limit->setText(m_hasInstrument ? m_instrument.formatPrice(price) : price.toString());
    m_size->setFocus(Qt::ShortcutFocusReason);
    m_size->selectAll();
}

void FuturesTicket::setSide(FuturesSide side) {
    m_side = side;
    (side == FuturesSide::Buy ? m_buy : m_sell)->setChecked(true);
    updateColours();
    revalidate();
}

void FuturesTicket::clear() {
    for (QLineEdit *e : {m_size, m_limit, m_stop, m_deviation})
        e->clear();
    m_reduceOnly->setChecked(false);
    m_showAll = false;
    revalidate();
}

FuturesOrderType FuturesTicket::selectedType() const {
    return FuturesOrderType(m_type->currentData().toInt());
}

void FuturesTicket::updateHints() {
    const QString tick = m_hasInstrument && m_instrument.tickSize().signum() > 0
                             ? QString(u"tick "_s + m_instrument.tickSize().toString())
                             : QString();
    m_limit->setPlaceholderText(tick);
    m_stop->setPlaceholderText(tick);
    m_size->setPlaceholderText(m_hasInstrument
                                   ? QString(u"step "_s + m_instrument.sizeIncrement().toString())
                                   : QString());
    const QString quote =
        m_hasInstrument && !m_instrument.quote().isEmpty() ? m_instrument.quote() : u"USD"_s;
    m_deviationUnit->setItemText(1, quote);
}

void FuturesTicket::updateVisibleFields() {
    const FuturesOrderType t = selectedType();
    m_form->setRowVisible(m_rows.value(OrderField::LimitPrice), hasLimit(t));
    m_form->setRowVisible(m_rows.value(OrderField::TriggerPrice), hasStop(t));
    m_form->setRowVisible(m_rows.value(OrderField::TrailingOffset),
                          t == FuturesOrderType::TrailingStop);
    m_form->setRowVisible(m_signalRow, hasSignal(t));
    if (auto *label =
            qobject_cast<QLabel *>(m_form->labelForField(m_rows.value(OrderField::LimitPrice))))
        label->setText(limitRequired(t) ? u"Limit"_s : u"Limit (optional)"_s);
}

void FuturesTicket::updateColours() {
    ticket::styleSideButtons(this, m_buy, m_sell, m_submit, m_side == FuturesSide::Buy, m_symbol);
}

void FuturesTicket::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        updateColours();
        revalidate();
    }
}

void FuturesTicket::keyPressEvent(QKeyEvent *event) {
    if (!ticket::handleEntryKey(
            event, [this] { submit(); }, [this] { clear(); }))
        QWidget::keyPressEvent(event);
}

QLineEdit *FuturesTicket::editorOf(OrderField field) const {
    switch (field) {
    case OrderField::Quantity:
        return m_size;
    case OrderField::LimitPrice:
        return m_limit;
    case OrderField::TriggerPrice:
        return m_stop;
    case OrderField::TrailingOffset:
        return m_deviation;
    default:
        return nullptr;
    }
}

FuturesOrderRequest FuturesTicket::buildOrder(QList<ValidationIssue> *issues) const {
    const FuturesOrderType t = selectedType();
    FuturesOrderRequest o;
    o.orderType = t;
    o.symbol = m_symbol;
    o.side = m_side;
    o.reduceOnly = m_reduceOnly->isChecked();

    // Text that is not a number is an error of its own, not a missing value.
    const auto parse = [&](QLineEdit *e, OrderField f) -> std::optional<Decimal> {
        const QString text = e->text().trimmed();
        if (text.isEmpty())
            return std::nullopt;
        const auto d = Decimal::fromString(QStringView(text));
        if (!d)
            issues->append({f, Severity::Error, u"\"%1\" is not a number."_s.arg(text)});
        return d;
    };
    o.size = parse(m_size, OrderField::Quantity).value_or(Decimal());
    if (hasLimit(t))
        o.limitPrice = parse(m_limit, OrderField::LimitPrice);
    if (hasStop(t))
        o.stopPrice = parse(m_stop, OrderField::TriggerPrice);
    if (hasSignal(t))
        o.triggerSignal = FuturesTriggerSignal(m_signal->currentData().toInt());
    if (t == FuturesOrderType::TrailingStop) {
        o.trailingStopMaxDeviation = parse(m_deviation, OrderField::TrailingOffset);
        o.trailingStopDeviationUnit = FuturesDeviationUnit(m_deviationUnit->currentData().toInt());
    }
    return o;
}

void FuturesTicket::checkOrder(const FuturesOrderRequest &o, QList<ValidationIssue> *issues) const {
    const auto fieldHasIssue = [&](OrderField f) {
        return std::any_of(issues->begin(), issues->end(),
                           [f](const ValidationIssue &i) { return i.field == f; });
    };
    const auto error = [&](OrderField f, const QString &message) {
        issues->append({f, Severity::Error, message});
    };
    const FuturesOrderType t = o.orderType;
    const FuturesInstrument *in = m_hasInstrument ? &m_instrument : nullptr;

    if (m_symbol.isEmpty())
        error(OrderField::Order, u"Pick a Futures contract first."_s);
    if (in && in->kind() == FuturesInstrument::Kind::Index)
        error(OrderField::Order, u"%1 is an index: it cannot be traded."_s.arg(in->symbol()));
    else if (in && !in->isTradeable())
        error(OrderField::Order, u"%1 is not tradeable now."_s.arg(in->symbol()));
    if (in && in->isPostOnly() && t != FuturesOrderType::PostOnly)
        error(OrderField::OrderType,
              u"%1 accepts post-only orders only just now."_s.arg(in->symbol()));

    if (!fieldHasIssue(OrderField::Quantity)) {
        if (m_size->text().trimmed().isEmpty())
            error(OrderField::Quantity, u"Enter the size in contracts."_s);
        else if (o.size.signum() <= 0)
            error(OrderField::Quantity, u"The size must be positive."_s);
        else if (in && !o.size.isMultipleOf(in->sizeIncrement()))
            error(OrderField::Quantity, u"%1 is not a whole number of %2-contract steps."_s.arg(
                                            o.size.toString(), in->sizeIncrement().toString()));
        else if (in && in->maxPositionSize() && o.size > *in->maxPositionSize())
            error(OrderField::Quantity, u"%1 is above the maximum position size %2."_s.arg(
                                            o.size.toString(), in->maxPositionSize()->toString()));
    }
    const auto checkPrice = [&](const std::optional<Decimal> &price, OrderField f, bool required,
                                const QString &what) {
        if (fieldHasIssue(f))
            return;
        if (!price) {
            if (required)
                error(f, u"Enter the %1."_s.arg(what));
            return;
        }
        if (price->signum() <= 0)
            error(f, u"The %1 must be positive."_s.arg(what));
        else if (in && in->tickSize().signum() > 0 && !price->isMultipleOf(in->tickSize()))
            error(f,
                  u"%1 is not on the %2 tick."_s.arg(price->toString(), in->tickSize().toString()));
    };
    if (hasLimit(t))
        checkPrice(o.limitPrice, OrderField::LimitPrice, limitRequired(t), u"limit price"_s);
    if (hasStop(t))
        checkPrice(o.stopPrice, OrderField::TriggerPrice, true, u"stop price"_s);
    if (t == FuturesOrderType::TrailingStop && !fieldHasIssue(OrderField::TrailingOffset)) {
        if (!o.trailingStopMaxDeviation)
            error(OrderField::TrailingOffset, u"Enter how far the stop trails."_s);
        else if (o.trailingStopMaxDeviation->signum() <= 0)
            error(OrderField::TrailingOffset, u"The deviation must be positive."_s);
    }

    // Kraken's own rules as the request knows them, for anything the fields did not catch.
    if (!std::any_of(issues->begin(), issues->end(),
                     [](const ValidationIssue &i) { return i.severity == Severity::Error; })) {
        const QString why = o.validationError(in);
        if (!why.isEmpty())
            error(OrderField::Order, sentence(why));
    }

    // Guards: warnings to acknowledge in the confirmation, never blocks.
    const std::optional<Decimal> reference =
        m_market.mark ? m_market.mark
                      : model::MarketQuote{m_market.bestBid, m_market.bestAsk}.mid();
    const auto guardPrice = [&](const std::optional<Decimal> &price, OrderField f) {
        if (!price || !reference || reference->signum() <= 0 || price->signum() <= 0)
            return;
        const auto gap = price->minus(*reference);
        if (!gap)
            return;
        const Decimal g = gap->abs().normalized();
        const auto pct =
            g.times(Decimal::fromInt(100), g.scale()).value_or(Decimal()).dividedBy(*reference, 2);
        if (pct && *pct > m_guards.maxPriceDeviationPct)
            issues->append(
                {f, Severity::Warning,
                 u"%1 is %2% away from the %3 %4 (guard: %5%)."_s.arg(
                     price->toString(), pct->toString(), m_market.mark ? u"mark"_s : u"mid"_s,
                     reference->toString(), m_guards.maxPriceDeviationPct.toString())});
    };
    if (hasLimit(t))
        guardPrice(o.limitPrice, OrderField::LimitPrice);
    if (hasStop(t))
        guardPrice(o.stopPrice, OrderField::TriggerPrice);
    if (m_estimate.quoteNotional && *m_estimate.quoteNotional > m_guards.maxNotional)
        issues->append({OrderField::Quantity, Severity::Warning,
                        u"The order is worth %1 %2, above the %3 %2 guard."_s.arg(
                            m_estimate.quoteNotional->toString(), m_estimate.quoteCurrency,
                            m_guards.maxNotional.toString())});
    if (m_estimate.insufficientMargin)
        issues->append(
            {OrderField::Order, Severity::Warning,
             u"Initial margin %1 %3 exceeds the available margin %2 %3: Kraken will refuse "
             u"the order unless it only reduces a position."_s.arg(
                 m_estimate.initialMargin->toString(), m_estimate.availableMargin->toString(),
                 m_estimate.currency)});
}

void FuturesTicket::showEstimate() {
    const model::FuturesOrderEstimate &e = m_estimate;
    const QString cur = e.currency;
    m_price->setText(e.price ? u"%1 (%2)"_s.arg(e.price->toString(), e.priceSource) : Missing);
    if (e.notional) {
        QString text = e.notional->toString() + u' ' + cur;
        if (m_instrument.isInverse() && e.quoteNotional)
            text += u" (%1 %2)"_s.arg(e.quoteNotional->toString(), e.quoteCurrency);
        m_notional->setText(text);
    } else {
        m_notional->setText(Missing);
    }
    if (e.initialMargin && m_order.reduceOnly) {
        m_initialMargin->setText(u"0 %1 (reduce-only)"_s.arg(cur));
    } else if (e.initialMargin) {
        m_initialMargin->setText(u"%1 %2 at %3% (tier %4 of %5)"_s.arg(
            e.initialMargin->toString(), cur, percentOf(e.tier.initialMargin),
            QString::number(e.tierIndex + 1), QString::number(m_instrument.marginLevels().size())));
    } else {
        m_initialMargin->setText(m_hasInstrument && e.notional ? u"no margin tiers"_s : Missing);
    }
    if (e.maxLeverage) {
        QString text = u"max %1x"_s.arg(e.maxLeverage->toString());
        if (e.accountLeverage)
            text += u"; %1x the portfolio value"_s.arg(e.accountLeverage->toString());
        m_leverage->setText(text);
    } else {
        m_leverage->setText(Missing);
    }
    if (e.availableAfter)
        m_availableAfter->setText(u"%1 %3 of %2 %3 available"_s.arg(
            e.availableAfter->toString(), e.availableMargin->toString(), cur));
    else
        m_availableAfter->setText(e.availableMargin ? Missing : u"margin account not loaded"_s);

    const QPalette pal = palette();
    if (e.insufficientMargin) {
        m_marginWarning->setText(
            u"\u26A0 Not enough margin: the order needs %1 %3, the "
            u"account has %2 %3 available."_s.arg(e.initialMargin->toString(),
                                                  e.availableMargin->toString(), cur));
        QPalette p = m_marginWarning->palette();
        p.setColor(QPalette::WindowText, OrderConfirmDialog::warningColour(pal));
        m_marginWarning->setPalette(p);
        m_marginWarning->show();
    } else {
        m_marginWarning->clear();
        m_marginWarning->hide();
    }
}

void FuturesTicket::revalidate() {
    QList<ValidationIssue> issues;
    m_order = buildOrder(&issues);
    m_estimate = m_hasInstrument ? model::estimateFuturesOrder(m_order, m_instrument, m_market,
                                                               m_margin ? &*m_margin : nullptr)
                                 : model::FuturesOrderEstimate();
    checkOrder(m_order, &issues);
    m_issues = issues;

    // Messages under their rows, red for errors, amber for warnings. An empty field is not
    // nagged about until the trader tries to submit. The margin warning has its own line.
    const QPalette pal = palette();
    QMap<OrderField, QStringList> errors, warnings;
    for (const ValidationIssue &i : std::as_const(m_issues)) {
        const QLineEdit *editor = editorOf(i.field);
        if (!m_showAll && editor && editor->text().trimmed().isEmpty())
            continue;
        if (i.field == OrderField::Order && i.severity == Severity::Warning &&
            m_estimate.insufficientMargin)
            continue;
        const OrderField row = m_messages.contains(i.field) ? i.field : OrderField::Order;
        (i.severity == Severity::Error ? errors : warnings)[row].append(i.message);
    }
    const auto show = [&](QLabel *label, OrderField f) {
        const QStringList e = errors.value(f), w = warnings.value(f);
        if (e.isEmpty() && w.isEmpty()) {
            label->clear();
            label->hide();
            return;
        }
        label->setText(QStringList(e + w).join(u'\n'));
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, e.isEmpty() ? OrderConfirmDialog::warningColour(pal)
                                                     : OrderConfirmDialog::errorColour(pal));
        label->setPalette(p);
        label->show();
    };
    for (auto it = m_messages.begin(); it != m_messages.end(); ++it)
        show(it.value(), it.key());
    show(m_orderMessage, OrderField::Order);
    showEstimate();

    const bool blocked = hasErrors();
    m_submit->setEnabled(!blocked);
    m_submit->setToolTip(blocked ? u"Fix the fields marked in red first"_s
                                 : u"Send the order (Enter)"_s);
}

bool FuturesTicket::hasErrors() const {
    return std::any_of(m_issues.begin(), m_issues.end(),
                       [](const ValidationIssue &i) { return i.severity == Severity::Error; });
}

void FuturesTicket::submit() {
    m_showAll = true;
    revalidate();
    if (hasErrors())
        return;
    // What the trader confirms is what goes out, even if the mark moves under the dialog.
    const FuturesOrderRequest order = m_order;
    const model::FuturesOrderEstimate e = m_estimate;
    QStringList warnings;
    for (const ValidationIssue &i : std::as_const(m_issues))
        if (i.severity == Severity::Warning)
            warnings << i.message;
    if (m_guards.confirmEveryOrder || !warnings.isEmpty()) {
        QString summary = model::describeFuturesOrder(order);
        if (e.notional && e.initialMargin)
            summary += u"\nNotional %1 %2, initial margin %3 %2%4."_s.arg(
                e.notional->toString(), e.currency, e.initialMargin->toString(),
                e.availableAfter
                    ? u", leaving %1 %2 available"_s.arg(e.availableAfter->toString(), e.currency)
                    : QString());
        OrderConfirmDialog dialog(summary, warnings, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
    }
    m_showAll = false;
    Q_EMIT submitRequested(order);
}

} // namespace ui
