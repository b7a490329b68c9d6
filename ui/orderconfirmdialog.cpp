#include "orderconfirmdialog.h"

#include "theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ui {

QColor OrderConfirmDialog::errorColour(const QPalette &palette) {
    return Theme::isDark(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0x1c, 0x28);
}

QColor OrderConfirmDialog::warningColour(const QPalette &palette) {
    return Theme::isDark(palette) ? QColor(0xf0, 0xb4, 0x29) : QColor(0xa0, 0x62, 0x00);
}

OrderConfirmDialog::OrderConfirmDialog(const QString &summary, const QStringList &warnings,
                                       QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(warnings.isEmpty() ? u"Confirm order"_s : u"Confirm order: check warnings"_s);
    setObjectName(u"orderConfirmDialog"_s);
    setAccessibleName(u"Order confirmation"_s);

    auto *layout = new QVBoxLayout(this);
    auto *summaryLabel = new QLabel(summary, this);
    summaryLabel->setObjectName(u"summary"_s);
    summaryLabel->setWordWrap(true);
    summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summaryLabel->setAccessibleName(u"Order summary"_s);
    QFont bold = summaryLabel->font();
    bold.setBold(true);
    summaryLabel->setFont(bold);
    layout->addWidget(summaryLabel);

    auto *buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(u"Confirm"_s, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(u"confirm"_s);
    m_confirm->setAccessibleName(u"Confirm and send the order"_s);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(u"cancel"_s);
    cancel->setAccessibleName(u"Cancel, send nothing"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (!warnings.isEmpty()) {
        auto *list = new QLabel(this);
        list->setObjectName(u"warnings"_s);
        list->setWordWrap(true);
        list->setTextFormat(Qt::PlainText);
        QStringList lines;
        for (const QString &w : warnings)
            lines << QString(u"\u26A0 "_s + w);
        list->setText(lines.join(u'\n'));
        list->setAccessibleName(u"Order warnings"_s);
        QPalette pal = list->palette();
        pal.setColor(QPalette::WindowText, warningColour(pal));
        list->setPalette(pal);
        layout->addWidget(list);

        m_understand = new QCheckBox(u"I understand, send it anyway"_s, this);
        m_understand->setObjectName(u"understand"_s);
        m_understand->setAccessibleName(u"I understand the warnings"_s);
        layout->addWidget(m_understand);
        m_confirm->setEnabled(false);
        connect(m_understand, &QCheckBox::toggled, m_confirm, &QPushButton::setEnabled);
        // With warnings, Enter must not confirm: Cancel is the default.
        cancel->setDefault(true);
        cancel->setFocus();
    } else {
        m_confirm->setDefault(true);
        m_confirm->setFocus();
    }
    layout->addWidget(buttons);
}

} // namespace ui
