#pragma once

// The pieces the Spot and Futures order tickets share, so both look and behave alike: a
// Decimal text editor, a field row with its validation message under it, the buy/sell
// colours on the side buttons and the submit button, and Return/Esc from any field.
// GUI thread.

#include <QString>

#include <functional>
#include <initializer_list>

class QKeyEvent;
class QLabel;
class QLineEdit;
class QPushButton;
class QWidget;

namespace ui::ticket {

// A line edit for a price or size: text, not a spin box, so the value goes through
// Decimal::fromString and never through double.
QLineEdit *decimalEdit(QWidget *parent, const QString &objectName, const QString &accessibleName);

struct FieldRow {
    QWidget *row = nullptr;
    QLabel *message = nullptr; // hidden until validation has something to say
};
// The editors side by side (line edits stretch), the message named after the first editor.
FieldRow fieldRow(QWidget *parent, std::initializer_list<QWidget *> editors);

// Buy green, sell red (the theme's bid and ask colours); the submit button takes the chosen
// side's colour and reads "Buy <what>" / "Sell <what>".
void styleSideButtons(const QWidget *ticket, QPushButton *buy, QPushButton *sell,
                      QPushButton *submit, bool buySide, const QString &what);

// Return/Enter submits and Esc clears, whichever field has focus (editors ignore both keys, so
// they reach the ticket). True when the key was one of them.
bool handleEntryKey(QKeyEvent *event, const std::function<void()> &submit,
                    const std::function<void()> &clear);

} // namespace ui::ticket
