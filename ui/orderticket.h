#pragma once

// OrderTicket: the Spot order entry dock. The trader picks side, order type (every type Kraken
// Spot has: the fields shown follow the type), quantity in base or quote, prices as text parsed
// exactly, time in force and flags; the ticket validates as they type (model::validateOrder:
// red errors and amber warnings beside the fields, Submit disabled while anything is wrong),
// shows the notional and fee estimate, asks for confirmation when the profile wants it or a
// fat-finger guard fires, and then emits submitRequested. It owns no network object and never
// assigns cl_ord_id: the order manager does. GUI thread.

#include "model/ordervalidation.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ui {

class OrderTicket : public QWidget {
    Q_OBJECT
public:
    explicit OrderTicket(QWidget *parent = nullptr);

    void setInstrument(const kraken::Instrument &instrument);
    kraken::Instrument instrument() const { return m_instrument; }
    // Top of book for the estimate, the price guard and the post-only cross check.
    void setMarket(const std::optional<kraken::Decimal> &bestBid,
                   const std::optional<kraken::Decimal> &bestAsk);
    void setGuardSettings(const model::GuardSettings &guards);
    model::GuardSettings guardSettings() const { return m_guards; }
    void setFeeRates(const model::FeeRates &fees);
    // Margin: a leverage ("2", "5:1") makes orders margin orders and enables reduce-only.
    // Empty (the default) is plain spot.
    void setLeverage(const QString &leverage);

    // The order as the fields describe it now, and what validation says about it.
    kraken::spot::OrderRequest currentOrder() const { return m_order; }
    model::ValidationResult currentValidation() const { return m_result; }

public Q_SLOTS:
    void prepareBuy();  // side Buy, focus on the quantity
    void prepareSell(); // side Sell, focus on the quantity
    // A limit order at `price` on `side`, keeping the quantity (the ladder's click and its B/S
    // keys): type Limit, the price filled in, focus on the quantity.
    void prepareLimit(kraken::spot::Side side, const kraken::Decimal &price);
    void submit(); // validate, confirm if needed, emit submitRequested
    void clear();  // empty quantities and prices; side, type and symbol stay

Q_SIGNALS:
    void submitRequested(const kraken::spot::OrderRequest &order);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *fieldRow(std::initializer_list<QWidget *> editors, model::OrderField field);
    QLineEdit *decimalEdit(const QString &objectName, const QString &accessibleName);
    void setSide(kraken::spot::Side side);
    void updateVisibleFields();
    void updateUnits();
    void updateColours();
    void revalidate();
    kraken::spot::OrderRequest buildOrder(QList<model::ValidationIssue> *parseIssues) const;
    QLineEdit *editorOf(model::OrderField field) const;
    QString selectedType() const;

    kraken::Instrument m_instrument;
    model::MarketQuote m_quote;
    model::GuardSettings m_guards;
    model::FeeRates m_fees;
    QString m_leverage;
    kraken::spot::Side m_side = kraken::spot::Side::Buy;
    kraken::spot::OrderRequest m_order;
    model::ValidationResult m_result;
    bool m_showAll = false; // after a submit attempt, also flag fields left empty

    QLabel *m_symbol;
    QPushButton *m_buy, *m_sell;
    QComboBox *m_type;
    QLineEdit *m_qty;
    QComboBox *m_qtyUnit;
    QLineEdit *m_display;
    QLineEdit *m_trigger;
    QComboBox *m_triggerRef;
    QLineEdit *m_offset;
    QComboBox *m_offsetUnit;
    QLineEdit *m_limit;
    QLineEdit *m_limitOffset;
    QComboBox *m_limitOffsetUnit;
    QComboBox *m_tif;
    QDateTimeEdit *m_expiry;
    QCheckBox *m_postOnly, *m_reduceOnly, *m_validateOnly;
    QLabel *m_notional, *m_fee, *m_orderMessage;
    QPushButton *m_submit, *m_clear;
    QMap<model::OrderField, QLabel *> m_messages;
    QMap<model::OrderField, QWidget *> m_rows;
    QWidget *m_triggerRefRow = nullptr;
    QFormLayout *m_form = nullptr;
};

} // namespace ui
