#pragma once

// FuturesTicket: the Futures order entry dock. The trader picks side, order type (Kraken
// Futures' seven: lmt, post, mkt, stp, take_profit, ioc, trailing_stop; the fields shown follow
// the type), size in contracts, prices as text parsed exactly, the trigger signal and
// reduce-only. Before anything is sent the ticket shows what the order weighs: its notional,
// the margin tier and initial margin it needs, the leverage, and the account's available
// margin after it (model::estimateFuturesOrder, the paper engine's arithmetic), with a warning
// when the margin is not there. It validates as the trader types (local field checks, then
// FuturesOrderRequest::validationError), asks for confirmation (OrderConfirmDialog, with the
// guard warnings to acknowledge) and emits submitRequested. It owns no network object and
// never assigns cliOrdId: the Futures order manager does. GUI thread.

#include "kraken/futures/futuresinstrument.h"
#include "kraken/futures/futuresorderrequest.h"
#include "model/futuresorderestimate.h"
#include "model/ordervalidation.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ui {

class FuturesTicket : public QWidget {
    Q_OBJECT
public:
    explicit FuturesTicket(QWidget *parent = nullptr);

    // The contract's terms: tick and size steps for validation, contract size and margin
    // tiers for the estimate. Another symbol than before also forgets the market context.
    void setInstrument(const kraken::futures::FuturesInstrument &instrument);
    kraken::futures::FuturesInstrument instrument() const { return m_instrument; }
    // A symbol whose terms are not loaded yet: orders can be built, but prices and sizes are
    // not checked against its grid and there is no margin estimate.
    void setSymbol(const QString &symbol);
    QString symbol() const { return m_symbol; }

    // Mark price and top of book: market and trailing orders are valued at the mark (or the
    // touch without one), and the price guard measures against the mark.
    void setMarketContext(const std::optional<kraken::Decimal> &mark,
                          const std::optional<kraken::Decimal> &bestBid,
                          const std::optional<kraken::Decimal> &bestAsk);
    // The margin account the instrument trades in (model::futuresMarginAccountOf:
    // "flex" for PF_/FF_, "fi_xbtusd" for PI_XBTUSD / FI_XBTUSD_*); forgotten when the
    // instrument changes to one that trades in another account.
    void setMargin(const model::MarginRecord &account);
    // Every margin account (the /accounts answer): the ticket keeps the one its instrument
    // trades in, now and after setInstrument().
    void setMarginAccounts(const QList<model::MarginRecord> &accounts);
    // confirmEveryOrder, maxNotional (in the quote currency: USD) and the price band around
    // the mark, the Spot ticket's per-profile guards.
    void setGuardSettings(const model::GuardSettings &guards);
    model::GuardSettings guardSettings() const { return m_guards; }

    // The order as the fields describe it now, what the checks say, and the estimate.
    kraken::futures::FuturesOrderRequest currentOrder() const { return m_order; }
    QList<model::ValidationIssue> issues() const { return m_issues; }
    bool hasErrors() const;
    model::FuturesOrderEstimate estimate() const { return m_estimate; }

public Q_SLOTS:
    void prepareBuy();  // side Buy, focus on the size
    void prepareSell(); // side Sell, focus on the size
    // A limit order at `price` on `side`, keeping the size (the ladder's click and its B/S
    // keys): type lmt, the price filled in, focus on the size.
    void prepareLimit(kraken::futures::FuturesSide side, const kraken::Decimal &price);
    void submit(); // validate, confirm, emit submitRequested
    void clear();  // empty size and prices; side, type and symbol stay

Q_SIGNALS:
    void submitRequested(const kraken::futures::FuturesOrderRequest &order);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QLineEdit *decimalEdit(const QString &objectName, const QString &accessibleName);
    QWidget *fieldRow(std::initializer_list<QWidget *> editors, model::OrderField field);
    QLabel *infoLabel(const QString &objectName, const QString &accessibleName);
    void setSide(kraken::futures::FuturesSide side);
    kraken::futures::FuturesOrderType selectedType() const;
    void updateVisibleFields();
    void updateColours();
    void updateHints();
    void revalidate();
    kraken::futures::FuturesOrderRequest buildOrder(QList<model::ValidationIssue> *issues) const;
    void checkOrder(const kraken::futures::FuturesOrderRequest &order,
                    QList<model::ValidationIssue> *issues) const;
    void showEstimate();
    QLineEdit *editorOf(model::OrderField field) const;

    kraken::futures::FuturesInstrument m_instrument;
    bool m_hasInstrument = false;
    QString m_symbol;
    model::FuturesMarketContext m_market;
    std::optional<model::MarginRecord> m_margin;
    QList<model::MarginRecord> m_marginAccounts;
    model::GuardSettings m_guards;
    kraken::futures::FuturesSide m_side = kraken::futures::FuturesSide::Buy;
    kraken::futures::FuturesOrderRequest m_order;
    QList<model::ValidationIssue> m_issues;
    model::FuturesOrderEstimate m_estimate;
    bool m_showAll = false; // after a submit attempt, also flag fields left empty

    QLabel *m_symbolLabel;
    QPushButton *m_buy, *m_sell;
    QComboBox *m_type;
    QLineEdit *m_size;
    QLineEdit *m_limit;
    QLineEdit *m_stop;
    QComboBox *m_signal;
    QLineEdit *m_deviation;
    QComboBox *m_deviationUnit;
    QCheckBox *m_reduceOnly;
    QLabel *m_price, *m_notional, *m_initialMargin, *m_leverage, *m_availableAfter;
    QLabel *m_marginWarning, *m_orderMessage;
    QPushButton *m_submit, *m_clear;
    QMap<model::OrderField, QLabel *> m_messages;
    QMap<model::OrderField, QWidget *> m_rows;
    QWidget *m_signalRow = nullptr;
    QFormLayout *m_form = nullptr;
};

} // namespace ui
