#pragma once

// OrderConfirmDialog: the last look before an order goes out: the order in words, the guard
// warnings it tripped, Confirm and Cancel. With warnings, Confirm stays disabled until the
// trader ticks "I understand", so a reflexive Enter cannot send a fat-fingered order.
// GUI thread; modal, shown by OrderTicket.

#include <QColor>
#include <QDialog>
#include <QStringList>

class QCheckBox;
class QPushButton;

namespace ui {

class OrderConfirmDialog : public QDialog {
    Q_OBJECT
public:
    OrderConfirmDialog(const QString &summary, const QStringList &warnings,
                       QWidget *parent = nullptr);

    // The colours the ticket and this dialog use for hard errors (red) and guard warnings
    // (amber), readable on the given palette.
    static QColor errorColour(const QPalette &palette);
    static QColor warningColour(const QPalette &palette);

    QCheckBox *understandBox() const { return m_understand; } // null without warnings
    QPushButton *confirmButton() const { return m_confirm; }

private:
    QCheckBox *m_understand = nullptr;
    QPushButton *m_confirm = nullptr;
};

} // namespace ui
