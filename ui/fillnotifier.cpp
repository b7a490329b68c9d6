#include "fillnotifier.h"

#include <QStringList>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace ui {

namespace {

constexpr int MessageMs = 8000;
constexpr int ListedFills = 3; // a balloon has room for a few lines, not a burst

QString line(const model::FillRecord &f) {
    return QString((f.side == model::OrderSide::Buy ? u"Bought "_s : u"Sold "_s) +
                   f.qty.toString() + u' ' + f.symbol + u" @ "_s + f.price.toString());
}

} // namespace

FillNotifier::FillNotifier(QObject *parent)
    : QObject(parent) {}

void FillNotifier::setTrayIcon(QSystemTrayIcon *tray) {
    m_tray = tray;
}

QString FillNotifier::describe(const QList<model::FillRecord> &fills) {
    if (fills.isEmpty())
        return {};
    if (fills.size() == 1)
        return line(fills.first());
    QStringList lines;
    for (qsizetype i = 0; i < fills.size() && i < ListedFills; ++i)
        lines.append(line(fills.at(i)));
    if (fills.size() > ListedFills)
        lines.append(u"…"_s);
    return QString(QString::number(fills.size()) + u" fills: "_s + lines.join(u"; "_s));
}

void FillNotifier::notify(const QList<model::FillRecord> &fills) {
    if (!m_enabled || fills.isEmpty())
        return;
    const QString text = describe(fills);
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::isSystemTrayAvailable() &&
        QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(fills.size() == 1 ? u"Order filled"_s : u"Orders filled"_s, text,
                            QSystemTrayIcon::Information, MessageMs);
        return;
    }
    Q_EMIT statusMessage(text, MessageMs);
}

} // namespace ui
