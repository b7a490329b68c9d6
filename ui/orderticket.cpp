#include "orderticket.h"

#include "orderconfirmdialog.h"
#include "theme.h"
#include "ticketparts.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ui {

using kraken::Decimal;
using kraken::spot::OrderRequest;
using kraken::spot::Side;
using model::OrderField;
using model::Severity;
using model::ValidationIssue;

namespace {

// Fields without a row of their own report next to the row that owns the choice.
OrderField rowFieldOf(OrderField f) {
    switch (f) {
    case OrderField::QuoteSize:
        return OrderField::Quantity;
    case OrderField::Expiry:
        return OrderField::TimeInForce;
    case OrderField::ReduceOnly:
        return OrderField::PostOnly;
    default:
        return f;
    }
}

QString typeLabel(const QString &type) {
    QString s = type;
    s.replace(u'-', u' ');
    s[0] = s[0].toUpper();
    return s;
}

} // namespace

OrderTicket::OrderTicket(QWidget *parent)
    : QWidget(parent)
    , m_symbol(new QLabel(this))
    , m_buy(new QPushButton(u"Buy"_s, this))
    , m_sell(new QPushButton(u"Sell"_s, this))
    , m_type(new QComboBox(this))
    , m_qty(decimalEdit(u"quantity"_s, u"Order quantity"_s))
    , m_qtyUnit(new QComboBox(this))
    , m_display(decimalEdit(u"displayQuantity"_s, u"Iceberg display quantity"_s))
    , m_trigger(decimalEdit(u"triggerPrice"_s, u"Trigger price"_s))
    , m_triggerRef(new QComboBox(this))
    , m_offset(decimalEdit(u"trailingOffset"_s, u"Trailing offset"_s))
    , m_offsetUnit(new QComboBox(this))
    , m_limit(decimalEdit(u"limitPrice"_s, u"Limit price"_s))
    , m_limitOffset(decimalEdit(u"limitOffset"_s, u"Limit offset from the trigger"_s))
    , m_limitOffsetUnit(new QComboBox(this))
    , m_tif(new QComboBox(this))
    , m_expiry(new QDateTimeEdit(this))
    , m_postOnly(new QCheckBox(u"Post-only"_s, this))
    , m_reduceOnly(new QCheckBox(u"Reduce-only"_s, this))
    , m_validateOnly(new QCheckBox(u"Validate only"_s, this))
    , m_notional(new QLabel(this))
    , m_fee(new QLabel(this))
    , m_orderMessage(new QLabel(this))
    , m_submit(new QPushButton(this))
    , m_clear(new QPushButton(u"Clear"_s, this)) {
    setAccessibleName(u"Order ticket"_s);

    m_symbol->setObjectName(u"symbol"_s);
    m_symbol->setAccessibleName(u"Order ticket symbol"_s);
    QFont bold = m_symbol->font();
    bold.setBold(true);
    m_symbol->setFont(bold);

    // Side: two exclusive toggles in the theme's buy and sell colours.
    for (QPushButton *b : {m_buy, m_sell}) {
        b->setCheckable(true);
        b->setAutoDefault(false);
    }
    m_buy->setObjectName(u"buy"_s);
    m_buy->setAccessibleName(u"Side: buy"_s);
    m_buy->setToolTip(u"Buy the base currency"_s);
    m_sell->setObjectName(u"sell"_s);
    m_sell->setAccessibleName(u"Side: sell"_s);
    m_sell->setToolTip(u"Sell the base currency"_s);
    auto *sides = new QButtonGroup(this);
    sides->setExclusive(true);
    sides->addButton(m_buy);
    sides->addButton(m_sell);
    m_buy->setChecked(true);
    connect(m_buy, &QPushButton::clicked, this, [this] { setSide(Side::Buy); });
    connect(m_sell, &QPushButton::clicked, this, [this] { setSide(Side::Sell); });

    m_type->setObjectName(u"orderType"_s);
    m_type->setAccessibleName(u"Order type"_s);
    const QStringList types = model::spotOrderTypes();
    for (const QString &t : types)
        m_type->addItem(typeLabel(t), t);
    m_type->setCurrentIndex(m_type->findData(u"limit"_s));

    m_qtyUnit->setObjectName(u"quantityUnit"_s);
    m_qtyUnit->setAccessibleName(u"Quantity unit: base or quote currency"_s);
    m_qtyUnit->setToolTip(u"Size the order in the base currency, or as an amount of the quote "
                          u"currency (converted at the limit or trigger price; a market buy "
                          u"sends the amount to Kraken as is)"_s);
    m_qtyUnit->addItem(u"Base"_s, false);
    m_qtyUnit->addItem(u"Quote"_s, true);

    m_display->setToolTip(u"How much of the iceberg shows in the book; Kraken wants at least "
                          u"1/15 of the quantity"_s);
    m_trigger->setToolTip(u"The price that sets the order off"_s);
    m_triggerRef->setObjectName(u"triggerReference"_s);
    m_triggerRef->setAccessibleName(u"Trigger reference price"_s);
    m_triggerRef->setToolTip(u"Trigger on the last trade price or on Kraken's index price"_s);
    m_triggerRef->addItem(u"Last trade"_s, u"last"_s);
    m_triggerRef->addItem(u"Index"_s, u"index"_s);

    m_offset->setPlaceholderText(u"distance behind the best price"_s);
    m_offset->setToolTip(u"How far the stop trails the market, in price or percent"_s);
    m_offsetUnit->setObjectName(u"trailingOffsetUnit"_s);
    m_offsetUnit->setAccessibleName(u"Trailing offset unit"_s);
    m_limitOffset->setPlaceholderText(u"-10 or +10"_s);
    m_limitOffset->setToolTip(u"Where the limit sits relative to the trigger price once the "
                              u"stop fires: -10 below, +10 above"_s);
    m_limitOffsetUnit->setObjectName(u"limitOffsetUnit"_s);
    m_limitOffsetUnit->setAccessibleName(u"Limit offset unit"_s);
    for (QComboBox *c : {m_offsetUnit, m_limitOffsetUnit}) {
        c->addItem(QString(), false);
        c->addItem(u"%"_s, true);
    }

    m_tif->setObjectName(u"timeInForce"_s);
    m_tif->setAccessibleName(u"Time in force"_s);
    m_tif->addItem(u"Good till cancelled"_s, u"GTC"_s);
    m_tif->addItem(u"Immediate or cancel"_s, u"IOC"_s);
    m_tif->addItem(u"Good till date"_s, u"GTD"_s);
    m_expiry->setObjectName(u"expiry"_s);
    m_expiry->setAccessibleName(u"Expiry date and time"_s);
    m_expiry->setToolTip(u"A good-till-date order is cancelled at this time"_s);
    m_expiry->setCalendarPopup(true);
    m_expiry->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_expiry->setDateTime(QDateTime::currentDateTime().addDays(1));

    m_postOnly->setObjectName(u"postOnly"_s);
    m_postOnly->setAccessibleName(u"Post-only"_s);
    m_postOnly->setToolTip(u"Only add liquidity: Kraken cancels the order rather than let it "
                           u"take (limit and iceberg orders)"_s);
    m_reduceOnly->setObjectName(u"reduceOnly"_s);
    m_reduceOnly->setAccessibleName(u"Reduce-only"_s);
    m_validateOnly->setObjectName(u"validateOnly"_s);
    m_validateOnly->setAccessibleName(u"Validate only"_s);
    m_validateOnly->setToolTip(u"Kraken checks the order and answers, but places nothing"_s);

    m_notional->setObjectName(u"notional"_s);
    m_notional->setAccessibleName(u"Estimated order value"_s);
    m_fee->setObjectName(u"fee"_s);
    m_fee->setAccessibleName(u"Estimated fee"_s);
    m_orderMessage->setObjectName(u"orderMessage"_s);
    m_orderMessage->setAccessibleName(u"Order messages"_s);
    m_orderMessage->setWordWrap(true);
    m_orderMessage->hide();

    m_submit->setObjectName(u"submit"_s);
    m_submit->setAccessibleName(u"Submit order"_s);
    m_submit->setToolTip(u"Send the order (Enter)"_s);
    m_submit->setAutoDefault(false);
    m_clear->setObjectName(u"clear"_s);
    m_clear->setAccessibleName(u"Clear the ticket"_s);
    m_clear->setToolTip(u"Empty quantities and prices (Esc)"_s);
    m_clear->setAutoDefault(false);
    connect(m_submit, &QPushButton::clicked, this, &OrderTicket::submit);
    connect(m_clear, &QPushButton::clicked, this, &OrderTicket::clear);

    // Layout: a form whose rows carry their own message line under the editors.
    auto *form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *sideRow = new QWidget(this);
    auto *sideBox = new QHBoxLayout(sideRow);
    sideBox->setContentsMargins(0, 0, 0, 0);
    sideBox->addWidget(m_buy);
    sideBox->addWidget(m_sell);
    form->addRow(m_symbol, sideRow);
    form->addRow(u"Type"_s, fieldRow({m_type}, OrderField::OrderType));
    form->addRow(u"Quantity"_s, fieldRow({m_qty, m_qtyUnit}, OrderField::Quantity));
    form->addRow(u"Display"_s, fieldRow({m_display}, OrderField::DisplayQuantity));
    form->addRow(u"Trigger"_s, fieldRow({m_trigger}, OrderField::TriggerPrice));
    form->addRow(u"Trail by"_s, fieldRow({m_offset, m_offsetUnit}, OrderField::TrailingOffset));
    m_triggerRefRow = new QWidget(this);
    auto *refBox = new QHBoxLayout(m_triggerRefRow);
    refBox->setContentsMargins(0, 0, 0, 0);
    refBox->addWidget(m_triggerRef);
    form->addRow(u"Trigger on"_s, m_triggerRefRow);
    form->addRow(u"Limit"_s, fieldRow({m_limit}, OrderField::LimitPrice));
    form->addRow(u"Limit offset"_s,
                 fieldRow({m_limitOffset, m_limitOffsetUnit}, OrderField::LimitOffset));
    form->addRow(u"Time in force"_s, fieldRow({m_tif, m_expiry}, OrderField::TimeInForce));
    form->addRow(QString(),
                 fieldRow({m_postOnly, m_reduceOnly, m_validateOnly}, OrderField::PostOnly));
    form->addRow(u"Value"_s, m_notional);
    form->addRow(u"Fee"_s, m_fee);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_submit, 1);
    buttons->addWidget(m_clear);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_orderMessage);
    layout->addLayout(buttons);
    layout->addStretch(1);

    for (QLineEdit *e : {m_qty, m_display, m_trigger, m_offset, m_limit, m_limitOffset})
        connect(e, &QLineEdit::textChanged, this, &OrderTicket::revalidate);
    for (QComboBox *c : {m_qtyUnit, m_triggerRef, m_offsetUnit, m_limitOffsetUnit, m_tif})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateVisibleFields();
            revalidate();
        });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        updateVisibleFields();
        revalidate();
    });
    connect(m_expiry, &QDateTimeEdit::dateTimeChanged, this, &OrderTicket::revalidate);
    for (QCheckBox *b : {m_postOnly, m_reduceOnly, m_validateOnly})
        connect(b, &QCheckBox::toggled, this, &OrderTicket::revalidate);

    setLeverage(QString());
    updateUnits();
    updateVisibleFields();
    updateColours();
    revalidate();
}

QLineEdit *OrderTicket::decimalEdit(const QString &objectName, const QString &accessibleName) {
    return ticket::decimalEdit(this, objectName, accessibleName);
}

QWidget *OrderTicket::fieldRow(std::initializer_list<QWidget *> editors, OrderField field) {
    const ticket::FieldRow r = ticket::fieldRow(this, editors);
    m_messages.insert(field, r.message);
    m_rows.insert(field, r.row);
    return r.row;
}

void OrderTicket::setInstrument(const kraken::Instrument &instrument) {
    m_instrument = instrument;
    m_symbol->setText(instrument.symbol());
    m_showAll = false;
    updateUnits();
    updateColours();
    revalidate();
}

void OrderTicket::setMarket(const std::optional<Decimal> &bestBid,
                            const std::optional<Decimal> &bestAsk) {
    m_quote.bestBid = bestBid;
    m_quote.bestAsk = bestAsk;
    revalidate();
}

void OrderTicket::setGuardSettings(const model::GuardSettings &guards) {
    m_guards = guards;
    revalidate();
}

void OrderTicket::setFeeRates(const model::FeeRates &fees) {
    m_fees = fees;
    revalidate();
}

void OrderTicket::setLeverage(const QString &leverage) {
    m_leverage = leverage.trimmed();
    const bool margin = !m_leverage.isEmpty();
    m_reduceOnly->setEnabled(margin);
    if (!margin)
        m_reduceOnly->setChecked(false);
    m_reduceOnly->setToolTip(
        margin ? u"Only reduce the open margin position; never open or grow one"_s
               : u"Reduce-only applies to margin positions. This ticket places spot orders "
                 u"(no leverage), so there is no position to reduce."_s);
    revalidate();
}

void OrderTicket::prepareBuy() {
    setSide(Side::Buy);
    m_qty->setFocus(Qt::ShortcutFocusReason);
    m_qty->selectAll();
}

void OrderTicket::prepareSell() {
    setSide(Side::Sell);
    m_qty->setFocus(Qt::ShortcutFocusReason);
    m_qty->selectAll();
}

void OrderTicket::prepareLimit(Side side, const kraken::Decimal &price) {
    const int limit = m_type->findData(u"limit"_s);
    if (limit >= 0)
        m_type->setCurrentIndex(limit);
    setSide(side);
    m_limit->setText(m_instrument.symbol().isEmpty() ? price.toString()
                                                     : m_instrument.formatPrice(price));
    m_qty->setFocus(Qt::ShortcutFocusReason);
    m_qty->selectAll();
}

void OrderTicket::setSide(Side side) {
    m_side = side;
    (side == Side::Buy ? m_buy : m_sell)->setChecked(true);
    updateColours();
    revalidate();
}

void OrderTicket::clear() {
    for (QLineEdit *e : {m_qty, m_display, m_trigger, m_offset, m_limit, m_limitOffset})
        e->clear();
    m_postOnly->setChecked(false);
    m_reduceOnly->setChecked(false);
    m_validateOnly->setChecked(false);
    m_showAll = false;
    revalidate();
}

QString OrderTicket::selectedType() const {
    return m_type->currentData().toString();
}

void OrderTicket::updateUnits() {
    const QString base = m_instrument.base().isEmpty() ? u"Base"_s : m_instrument.base();
    const QString quote = m_instrument.quote().isEmpty() ? u"Quote"_s : m_instrument.quote();
    m_qtyUnit->setItemText(0, base);
    m_qtyUnit->setItemText(1, quote);
    m_offsetUnit->setItemText(0, quote);
    m_limitOffsetUnit->setItemText(0, quote);
    const QString tick = m_instrument.symbol().isEmpty()
                             ? QString()
                             : QString(u"tick "_s + m_instrument.tickSize().toString());
    for (QLineEdit *e : {m_limit, m_trigger})
        e->setPlaceholderText(tick);
    m_qty->setPlaceholderText(m_instrument.symbol().isEmpty()
                                  ? QString()
                                  : QString(u"min "_s + m_instrument.orderMin().toString()));
}

void OrderTicket::updateVisibleFields() {
    QFormLayout *form = m_form;
    const QString t = selectedType();
    const bool trigger = model::hasTriggerPrice(t);
    const bool trailing = model::isTrailing(t);
    form->setRowVisible(m_rows.value(OrderField::DisplayQuantity), t == u"iceberg"_s);
    form->setRowVisible(m_rows.value(OrderField::TriggerPrice), trigger);
    form->setRowVisible(m_rows.value(OrderField::TrailingOffset), trailing);
    form->setRowVisible(m_triggerRefRow, trigger || trailing);
    form->setRowVisible(m_rows.value(OrderField::LimitPrice), model::hasLimitPrice(t));
    form->setRowVisible(m_rows.value(OrderField::LimitOffset), t == u"trailing-stop-limit"_s);
    m_expiry->setVisible(m_tif->currentData().toString() == u"GTD"_s);
    m_postOnly->setEnabled(t == u"limit"_s || t == u"iceberg"_s);
}

void OrderTicket::updateColours() {
    ticket::styleSideButtons(this, m_buy, m_sell, m_submit, m_side == Side::Buy,
                             m_instrument.base());
}

void OrderTicket::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        updateColours();
        revalidate();
    }
}

void OrderTicket::keyPressEvent(QKeyEvent *event) {
    if (!ticket::handleEntryKey(
            event, [this] { submit(); }, [this] { clear(); }))
        QWidget::keyPressEvent(event);
}

QLineEdit *OrderTicket::editorOf(OrderField field) const {
    switch (field) {
    case OrderField::Quantity:
    case OrderField::QuoteSize:
        return m_qty;
    case OrderField::DisplayQuantity:
        return m_display;
    case OrderField::LimitPrice:
        return m_limit;
    case OrderField::TriggerPrice:
        return m_trigger;
    case OrderField::TrailingOffset:
        return m_offset;
    case OrderField::LimitOffset:
        return m_limitOffset;
    default:
        return nullptr;
    }
}

OrderRequest OrderTicket::buildOrder(QList<ValidationIssue> *parseIssues) const {
    const QString t = selectedType();
    OrderRequest o;
    o.pair = m_instrument.symbol();
    o.side = m_side;
    o.orderType = t;
    o.leverage = m_leverage;

    // A field that holds text which is not a number is an error of its own, rather than the
    // "missing" the validator would report.
    const auto parse = [&](QLineEdit *e, OrderField f) -> std::optional<Decimal> {
        const QString text = e->text().trimmed();
        if (text.isEmpty())
            return std::nullopt;
        const auto d = Decimal::fromString(QStringView(text));
        if (!d)
            parseIssues->append({f, Severity::Error, u"\"%1\" is not a number."_s.arg(text)});
        return d;
    };

    if (t == u"iceberg"_s)
        o.displayVolume = parse(m_display, OrderField::DisplayQuantity);
    if (model::hasTriggerPrice(t)) {
        o.price = parse(m_trigger, OrderField::TriggerPrice);
        if (model::hasLimitPrice(t))
            o.price2 = parse(m_limit, OrderField::LimitPrice);
    } else if (model::hasLimitPrice(t)) {
        o.price = parse(m_limit, OrderField::LimitPrice);
    }
    if (model::hasTriggerPrice(t) || model::isTrailing(t))
        o.trigger = m_triggerRef->currentData().toString();
    if (model::isTrailing(t)) {
        // Kraken writes trailing offsets "+50" or "+1.5%"; the trader types the number.
        const QString off = m_offset->text().trimmed();
        if (!off.isEmpty()) {
            const bool signedText = off.startsWith(u'+') || off.startsWith(u'-');
            o.priceExpression =
                QString((signedText ? QString() : u"+"_s) + off +
                        (m_offsetUnit->currentData().toBool() ? u"%"_s : QString()));
        }
        if (t == u"trailing-stop-limit"_s) {
            const QString lo = m_limitOffset->text().trimmed();
            if (!lo.isEmpty())
                o.price2Expression =
                    QString(lo + (m_limitOffsetUnit->currentData().toBool() ? u"%"_s : QString()));
        }
    }

    const auto amount = parse(m_qty, OrderField::Quantity);
    const bool inQuote = m_qtyUnit->currentData().toBool();
    if (amount) {
        if (!inQuote) {
            o.volume = *amount;
        } else if (t == u"market"_s || model::isTrailing(t)) {
            // Kraken sizes these in quote itself (viqc); it accepts that for market buys only,
            // and the validator says so for the rest.
            o.volume = *amount;
            o.oflags.append(u"viqc"_s);
        } else {
            // Priced orders: the quote amount becomes base at the order's own price.
            const std::optional<Decimal> at = model::hasLimitPrice(t)
                                                  ? (model::hasTriggerPrice(t) ? o.price2 : o.price)
                                                  : o.price;
            if (at && at->signum() > 0) {
                o.volume = model::baseForQuote(*amount, *at, m_instrument).value_or(Decimal());
            } else {
                parseIssues->append({OrderField::Quantity, Severity::Error,
                                     u"Enter the price first: the %1 amount is converted to %2 "
                                     u"at it."_s.arg(m_instrument.quote(), m_instrument.base())});
            }
        }
    }

    if (m_postOnly->isEnabled() && m_postOnly->isChecked())
        o.oflags.append(u"post"_s);
    o.reduceOnly = m_reduceOnly->isEnabled() && m_reduceOnly->isChecked();
    o.validateOnly = m_validateOnly->isChecked();

    const QString tif = m_tif->currentData().toString();
    if (tif != u"GTC"_s) // Kraken's default; left out of the request
        o.timeInForce = tif;
    if (tif == u"GTD"_s)
        o.expireTime = QString::number(m_expiry->dateTime().toSecsSinceEpoch());
    return o;
}

void OrderTicket::revalidate() {
    QList<ValidationIssue> parseIssues;
    m_order = buildOrder(&parseIssues);
    model::ValidationContext ctx;
    ctx.quote = m_quote;
    ctx.guards = m_guards;
    ctx.fees = m_fees;
    m_result = model::validateOrder(m_order, m_instrument, ctx);
    // A field that did not parse speaks for itself; drop what the validator made of the gap.
    if (!parseIssues.isEmpty()) {
        QList<ValidationIssue> kept = parseIssues;
        for (const ValidationIssue &i : std::as_const(m_result.issues)) {
            const bool shadowed =
                std::any_of(parseIssues.begin(), parseIssues.end(), [&](const ValidationIssue &p) {
                    return rowFieldOf(p.field) == rowFieldOf(i.field);
                });
            if (!shadowed)
                kept.append(i);
        }
        m_result.issues = kept;
    }

    // Messages: each under its row, red for errors, amber for warnings. A field still empty is
    // not nagged about until the trader tries to submit.
    const QPalette pal = palette();
    QMap<OrderField, QStringList> errors, warnings;
    for (const ValidationIssue &i : std::as_const(m_result.issues)) {
        const QLineEdit *editor = editorOf(i.field);
        if (!m_showAll && editor && editor->text().trimmed().isEmpty())
            continue;
        const OrderField row =
            m_messages.contains(rowFieldOf(i.field)) ? rowFieldOf(i.field) : OrderField::Order;
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

    // The estimate.
    const model::OrderEstimate &est = m_result.estimate;
    const QString quote = m_instrument.quote();
    if (est.notional) {
        QString text = est.notional->toString() + u' ' + quote;
        if (m_order.oflags.contains(u"viqc"_s) && est.quantity)
            text += u" (\u2248 %1 %2)"_s.arg(est.quantity->toString(), m_instrument.base());
        else if (m_qtyUnit->currentData().toBool() && m_order.volume.signum() > 0)
            text += u" (%1 %2)"_s.arg(m_order.volume.toString(), m_instrument.base());
        m_notional->setText(text);
    } else {
        m_notional->setText(u"\u2014"_s);
    }
    if (est.fee)
        m_fee->setText(u"%1 %2 (%3 %4%)"_s.arg(est.fee->toString(), quote,
                                               est.maker ? u"maker"_s : u"taker"_s,
                                               est.feePct.toString()));
    else
        m_fee->setText(u"\u2014"_s);

    const bool errorsLeft = m_result.hasErrors();
    m_submit->setEnabled(!errorsLeft);
    m_submit->setToolTip(errorsLeft ? u"Fix the fields marked in red first"_s
                                    : u"Send the order (Enter)"_s);
}

void OrderTicket::submit() {
    m_showAll = true;
    revalidate();
    if (m_result.hasErrors())
        return;
    // What the trader confirms is what goes out, even if the book moves under the dialog.
    const OrderRequest order = m_order;
    const QList<ValidationIssue> warnings = m_result.warnings();
    if (m_guards.confirmEveryOrder || !warnings.isEmpty()) {
        QStringList lines;
        for (const ValidationIssue &w : warnings)
            lines << w.message;
        QString summary = model::describeOrder(order, m_instrument);
        if (m_result.estimate.notional)
            summary += u"\nEstimated value %1 %2, fee %3 %2."_s.arg(
                m_result.estimate.notional->toString(), m_instrument.quote(),
                m_result.estimate.fee ? m_result.estimate.fee->toString() : u"?"_s);
        OrderConfirmDialog dialog(summary, lines, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
    }
    m_showAll = false;
    Q_EMIT submitRequested(order);
}

} // namespace ui
