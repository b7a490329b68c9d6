#include "ticketparts.h"

#include "theme.h"

#include <QBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace ui::ticket {

QLineEdit *decimalEdit(QWidget *parent, const QString &objectName, const QString &accessibleName) {
    auto *e = new QLineEdit(parent);
    e->setObjectName(objectName);
    e->setAccessibleName(accessibleName);
    e->setClearButtonEnabled(false);
    e->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
    return e;
}

FieldRow fieldRow(QWidget *parent, std::initializer_list<QWidget *> editors) {
    auto *row = new QWidget(parent);
    auto *v = new QVBoxLayout(row);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(1);
    auto *h = new QHBoxLayout;
    for (QWidget *w : editors)
        h->addWidget(w, qobject_cast<QLineEdit *>(w) ? 1 : 0);
    v->addLayout(h);
    auto *message = new QLabel(row);
    message->setObjectName(QString(u"message."_s + (*editors.begin())->objectName()));
    message->setAccessibleName(
        QString((*editors.begin())->accessibleName() + u": validation message"_s));
    message->setWordWrap(true);
    message->hide();
    v->addWidget(message);
    return {row, message};
}

void styleSideButtons(const QWidget *ticket, QPushButton *buy, QPushButton *sell,
                      QPushButton *submit, bool buySide, const QString &what) {
    const QPalette pal = ticket->palette();
    const QColor buyColour = Theme::bidColour(pal);
    const QColor sellColour = Theme::askColour(pal);
    const auto sheet = [](const QColor &c) {
        return u"QPushButton:checked, QPushButton#submit { background-color: %1; color: white; "
               u"font-weight: bold; } QPushButton:disabled { background-color: palette(button); "
               u"color: palette(mid); font-weight: normal; }"_s.arg(c.name());
    };
    buy->setStyleSheet(sheet(buyColour));
    sell->setStyleSheet(sheet(sellColour));
    submit->setStyleSheet(sheet(buySide ? buyColour : sellColour));
    submit->setText(QString((buySide ? u"Buy"_s : u"Sell"_s) +
                            (what.isEmpty() ? QString() : QString(u' ' + what))));
}

bool handleEntryKey(QKeyEvent *event, const std::function<void()> &submit,
                    const std::function<void()> &clear) {
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        submit();
        event->accept();
        return true;
    case Qt::Key_Escape:
        clear();
        event->accept();
        return true;
    default:
        return false;
    }
}

} // namespace ui::ticket
