#include "guardsettingsdialog.h"

#include "guardsettingsstore.h"
#include "orderconfirmdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using kraken::Decimal;

namespace ui {

GuardSettingsDialog::GuardSettingsDialog(const QString &profile, const model::GuardSettings &guards,
                                         const model::FeeRates &fees, QWidget *parent)
    : QDialog(parent)
    , m_initialGuards(guards)
    , m_initialFees(fees) {
    setObjectName(u"guardSettingsDialog"_s);
    setWindowTitle(QString(u"Order guards: "_s + profile));
    setAccessibleName(QString(u"Order guards and fees for profile "_s + profile));

    auto *layout = new QVBoxLayout(this);

    // What each setting does, in the trader's terms: the guards only warn (the order can
    // still go out after "I understand"), and switching confirmation off is the one setting
    // that lets an order leave without a second look.
    auto *explanation = new QLabel(this);
    explanation->setObjectName(u"explanation"_s);
    explanation->setWordWrap(true);
    explanation->setTextFormat(Qt::PlainText);
    explanation->setText(
        u"These settings apply to the profile \u201C%1\u201D only.\n\n"
        "Maximum order value: an order worth more than this (in the pair's quote currency) "
        "shows a warning.\n"
        "Maximum price distance: a limit or trigger price further than this from the mid "
        "price shows a warning.\n"
        "An order with a warning is only sent after you tick \u201CI understand\u201D in the "
        "confirmation. Empty or 0 switches a guard off.\n\n"
        "Confirm every order: show the confirmation for every order. When it is off, orders "
        "without warnings are sent at once, without a confirmation.\n\n"
        "Maker and taker fee rates are used only for the fee estimate in the ticket."_s.arg(
            profile));
    explanation->setAccessibleName(u"What the order guards do"_s);
    layout->addWidget(explanation);

    auto *form = new QFormLayout;
    m_confirmEvery = new QCheckBox(u"Confirm every order"_s, this);
    m_confirmEvery->setObjectName(u"confirmEveryOrder"_s);
    m_confirmEvery->setAccessibleName(u"Confirm every order"_s);
    m_confirmEvery->setAccessibleDescription(
        u"When off, orders without warnings are sent without a confirmation"_s);
    m_confirmEvery->setChecked(guards.confirmEveryOrder);
    form->addRow(m_confirmEvery);

    addRow(form, MaxNotional, u"maxNotional"_s, u"Maximum order value"_s,
           u"Maximum order value in quote currency"_s, guards.maxNotional, u"off"_s, true, false);
    addRow(form, MaxDeviation, u"maxPriceDeviationPct"_s, u"Maximum price distance from mid (%)"_s,
           u"Maximum price distance from mid in percent"_s, guards.maxPriceDeviationPct, u"off"_s,
           true, true);
    addRow(form, MakerFee, u"makerPct"_s, u"Maker fee (%)"_s, u"Maker fee rate in percent"_s,
           fees.makerPct, QString(), false, true);
    addRow(form, TakerFee, u"takerPct"_s, u"Taker fee (%)"_s, u"Taker fee rate in percent"_s,
           fees.takerPct, QString(), false, true);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(u"ok"_s);
    m_ok->setAccessibleName(u"Save the order guards"_s);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(u"cancel"_s);
    cancel->setAccessibleName(u"Cancel, keep the saved order guards"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    revalidate();
}

QLineEdit *GuardSettingsDialog::addRow(QFormLayout *form, Field field, const QString &objectName,
                                       const QString &label, const QString &accessibleName,
                                       const Decimal &value, const QString &placeholder,
                                       bool emptyMeansOff, bool isPercent) {
    // Text, not a spin box: the value goes through Decimal::fromString, never through double,
    // and is shown at its own scale so "0.40" stays "0.40".
    auto *edit = new QLineEdit(value.toString(), this);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setPlaceholderText(placeholder);
    edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);

    auto *message = new QLabel(this);
    message->setObjectName(QString(u"message."_s + objectName));
    message->setAccessibleName(QString(accessibleName + u": validation message"_s));
    message->setWordWrap(true);
    message->setTextFormat(Qt::PlainText);
    QPalette p = message->palette();
    p.setColor(QPalette::WindowText, OrderConfirmDialog::errorColour(p));
    message->setPalette(p);
    message->hide();

    auto *cell = new QWidget(this);
    auto *v = new QVBoxLayout(cell);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(1);
    v->addWidget(edit);
    v->addWidget(message);
    auto *labelWidget = new QLabel(label, this);
    labelWidget->setBuddy(edit);
    form->addRow(labelWidget, cell);

    m_rows[field] = Row{edit, message, emptyMeansOff, isPercent};
    connect(edit, &QLineEdit::textChanged, this, &GuardSettingsDialog::revalidate);
    return edit;
}

std::optional<Decimal> GuardSettingsDialog::parse(Field field, QString *error) const {
    const Row &row = m_rows[field];
    const QString text = row.edit->text().trimmed();
    if (text.isEmpty()) {
        if (row.emptyMeansOff)
            return Decimal();
        *error = u"Enter a rate in percent (0 for none)."_s;
        return std::nullopt;
    }
    const auto value = Decimal::fromString(QStringView(text));
    if (!value) {
        *error = u"\u201C%1\u201D is not a number (digits and one decimal point, at most 18 "
                 "decimal places)."_s.arg(text);
        return std::nullopt;
    }
    if (value->isNegative()) {
        *error = row.emptyMeansOff ? u"Cannot be negative; use 0 or leave empty to switch the "
                                     "guard off."_s
                                   : u"A fee rate cannot be negative."_s;
        return std::nullopt;
    }
    // A fee of more than the whole order is a typo (a rate typed as basis points, say).
    if (row.isPercent && !row.emptyMeansOff && *value > Decimal::fromInt(100)) {
        *error = u"A fee rate above 100 % cannot be right."_s;
        return std::nullopt;
    }
    return value;
}

void GuardSettingsDialog::revalidate() {
    bool ok = true;
    for (int f = 0; f < FieldCount; ++f) {
        QString error;
        const bool valid = parse(Field(f), &error).has_value();
        ok = ok && valid;
        QLabel *message = m_rows[f].message;
        message->setText(error);
        message->setVisible(!valid);
    }
    m_ok->setEnabled(ok);
}

bool GuardSettingsDialog::isInputValid() const {
    QString error;
    for (int f = 0; f < FieldCount; ++f) {
        if (!parse(Field(f), &error))
            return false;
    }
    return true;
}

model::GuardSettings GuardSettingsDialog::guards() const {
    QString error;
    model::GuardSettings g = m_initialGuards;
    g.confirmEveryOrder = m_confirmEvery->isChecked();
    if (const auto v = parse(MaxNotional, &error))
        g.maxNotional = *v;
    if (const auto v = parse(MaxDeviation, &error))
        g.maxPriceDeviationPct = *v;
    return g;
}

model::FeeRates GuardSettingsDialog::fees() const {
    QString error;
    model::FeeRates f = m_initialFees;
    if (const auto v = parse(MakerFee, &error))
        f.makerPct = *v;
    if (const auto v = parse(TakerFee, &error))
        f.takerPct = *v;
    return f;
}

void GuardSettingsDialog::accept() {
    // OK is disabled while a field is invalid, but Enter or a programmatic accept() must not
    // get past the check either.
    if (!isInputValid())
        return;
    QDialog::accept();
}

bool GuardSettingsDialog::edit(QSettings *settings, const QString &profile, QWidget *parent,
                               model::GuardSettings *guards, model::FeeRates *fees) {
    Q_ASSERT(settings);
    GuardSettingsStore store(settings);
    GuardSettingsDialog dialog(profile, store.load(profile), store.loadFees(profile), parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const model::GuardSettings g = dialog.guards();
    const model::FeeRates f = dialog.fees();
    store.save(profile, g);
    store.saveFees(profile, f);
    if (guards)
        *guards = g;
    if (fees)
        *fees = f;
    return true;
}

} // namespace ui
