#pragma once

// OrdersFilterModel: the blotter's view of OrdersModel. Splits it into open orders (still
// working, or Unknown: it may be live) and history (terminal), narrows it to a symbol and to
// rows containing a text, and sorts by OrdersModel::SortRole so decimals sort as numbers.
// Rows move between open and history by themselves as the manager's updates change their
// state. GUI thread.

#include <QSortFilterProxyModel>

namespace model {

class OrdersFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Mode { Open, History, All };

    explicit OrdersFilterModel(QObject *parent = nullptr);

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    QString symbol() const { return m_symbol; }
    void setSymbol(const QString &symbol); // empty: every symbol
    QString text() const { return m_text; }
    // Case-insensitive substring of symbol, type, status, reason or either order id.
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Mode m_mode = Mode::Open;
    QString m_symbol;
    QString m_text;
};

} // namespace model
