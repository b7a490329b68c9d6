#pragma once

// LinkHub: link groups, as pro terminals colour them. Panels that share a group follow the
// same symbol: activating a symbol in one panel sets its group's symbol, and every panel in
// that group is told. Group 0 is the default group every panel starts in. GUI thread.

#include <QColor>
#include <QHash>
#include <QObject>
#include <QString>

namespace ui {

class LinkHub : public QObject {
    Q_OBJECT
public:
    static constexpr int GroupCount = 4;
    static QColor groupColour(int group); // orange, blue, green, violet
    static QString groupName(int group);  // "Orange", ... (accessible text)

    explicit LinkHub(QObject *parent = nullptr);

    QString symbol(int group) const; // "" until one was set
    void setSymbol(int group, const QString &symbol);

Q_SIGNALS:
    void symbolChanged(int group, const QString &symbol);

private:
    QHash<int, QString> m_symbols;
};

} // namespace ui
