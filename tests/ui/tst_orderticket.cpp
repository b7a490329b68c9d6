// OrderTicket offscreen with BTC/USD from tests/data/assetpairs.json and a book of
// 49999.9 / 50000.1: the fields shown follow the order type; a bad price puts a red message
// beside the field and disables Submit; a valid limit order emits exactly the fields typed;
// a guard warning opens the confirmation, Confirm stays disabled until "I understand" is
// ticked, and only then the order is emitted; Cancel emits nothing; a quote-sized market buy
// carries viqc and a quote-sized limit is converted to base; GTD carries the expiry; Enter
// submits and Esc clears; every input has an accessible name; guard settings survive a
// QSettings round trip per profile.

#include "kraken/core/instrument.h"
#include "tests/core/testsupport.h"
#include "ui/guardsettingsstore.h"
#include "ui/orderconfirmdialog.h"
#include "ui/orderticket.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::spot::OrderRequest;
using kraken::spot::Side;
using testsupport::dec;

namespace {

// Runs `act` on the confirmation dialog once it is up (polling, since exec() blocks the
// caller). If none appears within the bound, rejects whatever modal there is so the test
// fails instead of hanging.
void whenConfirmOpens(std::function<void(ui::OrderConfirmDialog *)> act, bool *seen) {
    auto *timer = new QTimer;
    auto tries = std::make_shared<int>(0);
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, tries, act, seen] {
        auto *dialog = qobject_cast<ui::OrderConfirmDialog *>(QApplication::activeModalWidget());
        if (dialog && dialog->isVisible()) {
            timer->stop();
            timer->deleteLater();
            *seen = true;
            act(dialog);
            return;
        }
        if (++*tries > 1000) {
            timer->stop();
            timer->deleteLater();
            if (auto *w = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
                w->reject();
        }
    });
    timer->start();
}

} // namespace

class TestOrderTicket : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fieldsFollowType_data();
    void fieldsFollowType();
    void invalidPriceShowsMessageAndDisablesSubmit();
    void emptyFieldsWaitForSubmit();
    void validLimitOrderEmitsExactFields();
    void keyboardEnterSubmitsEscClears();
    void estimateShowsNotionalAndFee();
    void guardWarningNeedsConfirmation();
    void cancelInDialogEmitsNothing();
    void profileConfirmationWithoutWarnings();
    void quoteSizedOrders();
    void gtdCarriesExpiry();
    void triggerAndTrailingOrders();
    void prepareBuySell();
    void reduceOnlyNeedsMargin();
    void everyInputHasAnAccessibleName();
    void guardSettingsPersistPerProfile();

private:
    template<typename T> T *child(const char *name) const {
        auto *w = m_ticket->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            QTest::qFail(name, __FILE__, __LINE__);
        return w;
    }
    void setType(const QString &type) {
        auto *c = child<QComboBox>("orderType");
        c->setCurrentIndex(c->findData(type));
    }
    void type(const char *field, const QString &text) {
        QLineEdit *e = child<QLineEdit>(field);
        e->clear();
        QTest::keyClicks(e, text);
    }
    QLabel *message(const char *field) const {
        return m_ticket->findChild<QLabel *>(u"message."_s + QString::fromLatin1(field));
    }
    QPushButton *submitButton() const { return child<QPushButton>("submit"); }

    kraken::Instrument m_btc;
    ui::OrderTicket *m_ticket = nullptr;
    QList<OrderRequest> m_sent;
};

void TestOrderTicket::initTestCase() {
    QString error;
    const QJsonObject doc =
        testsupport::readJsonObject(testsupport::testDataPath("assetpairs.json"), &error);
    QVERIFY2(!doc.isEmpty(), qPrintable(error));
    const auto r = kraken::Instrument::fromAssetPair(
        u"XXBTZUSD"_s, doc.value(u"result"_s).toObject().value(u"XXBTZUSD"_s).toObject());
    QVERIFY(r);
    m_btc = *r;
}

void TestOrderTicket::init() {
    m_sent.clear();
    m_ticket = new ui::OrderTicket;
    model::GuardSettings guards;
    guards.confirmEveryOrder = false;
    guards.maxNotional = Decimal();
    guards.maxPriceDeviationPct = dec("5");
    m_ticket->setGuardSettings(guards);
    m_ticket->setInstrument(m_btc);
    m_ticket->setMarket(dec("49999.9"), dec("50000.1"));
    connect(m_ticket, &ui::OrderTicket::submitRequested, this,
            [this](const OrderRequest &o) { m_sent.append(o); });
    m_ticket->resize(420, 640);
    m_ticket->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_ticket));
}

void TestOrderTicket::cleanup() {
    delete m_ticket;
    m_ticket = nullptr;
}

void TestOrderTicket::fieldsFollowType_data() {
    QTest::addColumn<QString>("orderType");
    // display, trigger, trigger reference, trailing offset, limit, limit offset, post-only
    QTest::addColumn<QString>("shown");
    QTest::newRow("market") << u"market"_s << u"-------"_s;
    QTest::newRow("limit") << u"limit"_s << u"----L-P"_s;
    QTest::newRow("iceberg") << u"iceberg"_s << u"D---L-P"_s;
    QTest::newRow("stop-loss") << u"stop-loss"_s << u"-TR----"_s;
    QTest::newRow("take-profit") << u"take-profit"_s << u"-TR----"_s;
    QTest::newRow("stop-loss-limit") << u"stop-loss-limit"_s << u"-TR-L--"_s;
    QTest::newRow("take-profit-limit") << u"take-profit-limit"_s << u"-TR-L--"_s;
    QTest::newRow("trailing-stop") << u"trailing-stop"_s << u"--RO---"_s;
    QTest::newRow("trailing-stop-limit") << u"trailing-stop-limit"_s << u"--RO-F-"_s;
}

void TestOrderTicket::fieldsFollowType() {
    QFETCH(QString, orderType);
    QFETCH(QString, shown);
    setType(orderType);
    const auto vis = [this](QWidget *w, QChar c) { return w->isVisibleTo(m_ticket) ? c : u'-'; };
    QString actual;
    actual += vis(child<QLineEdit>("displayQuantity"), u'D');
    actual += vis(child<QLineEdit>("triggerPrice"), u'T');
    actual += vis(child<QComboBox>("triggerReference"), u'R');
    actual += vis(child<QLineEdit>("trailingOffset"), u'O');
    actual += vis(child<QLineEdit>("limitPrice"), u'L');
    actual += vis(child<QLineEdit>("limitOffset"), u'F');
    actual += child<QCheckBox>("postOnly")->isEnabled() ? u'P' : u'-';
    QCOMPARE(actual, shown);
    // Quantity, side and time in force are always there.
    QVERIFY(child<QLineEdit>("quantity")->isVisibleTo(m_ticket));
    QVERIFY(child<QPushButton>("buy")->isVisibleTo(m_ticket));
    QVERIFY(child<QComboBox>("timeInForce")->isVisibleTo(m_ticket));
    QVERIFY(!child<QDateTimeEdit>("expiry")->isVisibleTo(m_ticket)); // GTC
}

void TestOrderTicket::invalidPriceShowsMessageAndDisablesSubmit() {
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.05"_s);
    QLabel *msg = message("limitPrice");
    QVERIFY(msg);
    QVERIFY(msg->isVisible());
    QVERIFY2(msg->text().contains(u"1 decimal"_s), qPrintable(msg->text()));
    QCOMPARE(msg->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::errorColour(m_ticket->palette()));
    QVERIFY(!submitButton()->isEnabled());

    type("limitPrice", u"5o000"_s);
    QVERIFY2(msg->text().contains(u"not a number"_s), qPrintable(msg->text()));
    QVERIFY(!submitButton()->isEnabled());

    type("limitPrice", u"50000.0"_s);
    QVERIFY(!msg->isVisible());
    QVERIFY(submitButton()->isEnabled());

    // Below ordermin: the message is on the quantity.
    type("quantity", u"0.00004999"_s);
    QVERIFY(message("quantity")->isVisible());
    QVERIFY2(message("quantity")->text().contains(u"0.00005 BTC"_s),
             qPrintable(message("quantity")->text()));
    QVERIFY(!submitButton()->isEnabled());
    // Clicking anyway sends nothing.
    m_ticket->submit();
    QVERIFY(m_sent.isEmpty());
}

void TestOrderTicket::emptyFieldsWaitForSubmit() {
    setType(u"limit"_s);
    // Nothing typed yet: Submit is off but no field is nagged about.
    QVERIFY(!submitButton()->isEnabled());
    QVERIFY(!message("quantity")->isVisible());
    QVERIFY(!message("limitPrice")->isVisible());
    m_ticket->submit();
    QVERIFY(message("quantity")->isVisible());
    QVERIFY(message("limitPrice")->isVisible());
    QVERIFY(m_sent.isEmpty());
}

void TestOrderTicket::validLimitOrderEmitsExactFields() {
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    QVERIFY(submitButton()->isEnabled());
    QVERIFY(m_ticket->currentValidation().issues.isEmpty());
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    const OrderRequest &o = m_sent.first();
    QCOMPARE(o.pair, u"BTC/USD"_s);
    QCOMPARE(o.side, Side::Buy);
    QCOMPARE(o.orderType, u"limit"_s);
    QCOMPARE(o.volume.toString(), u"0.5"_s);
    QVERIFY(o.price);
    QCOMPARE(o.price->toString(), u"50000.0"_s);
    QVERIFY(!o.price2);
    QVERIFY(!o.displayVolume);
    QVERIFY(o.priceExpression.isEmpty());
    QVERIFY(o.oflags.isEmpty());
    QVERIFY(o.timeInForce.isEmpty()); // GTC, Kraken's default
    QVERIFY(o.expireTime.isEmpty());
    QVERIFY(o.trigger.isEmpty());
    QVERIFY(o.clOrdId.isEmpty()); // the order manager assigns it
    QVERIFY(!o.reduceOnly);
    QVERIFY(!o.validateOnly);
    // The request passes the protocol layer's own checks too.
    QVERIFY(o.validationError().isEmpty());

    // Post-only and validate-only ride along as flags.
    child<QCheckBox>("postOnly")->setChecked(true);
    child<QCheckBox>("validateOnly")->setChecked(true);
    child<QPushButton>("sell")->click();
    type("limitPrice", u"50000.2"_s);
    submitButton()->click();
    QCOMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent[1].side, Side::Sell);
    QCOMPARE(m_sent[1].oflags, QStringList{u"post"_s});
    QVERIFY(m_sent[1].validateOnly);
}

void TestOrderTicket::keyboardEnterSubmitsEscClears() {
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    QTest::keyClick(child<QLineEdit>("limitPrice"), Qt::Key_Return);
    QCOMPARE(m_sent.size(), 1);
    QTest::keyClick(child<QLineEdit>("quantity"), Qt::Key_Enter);
    QCOMPARE(m_sent.size(), 2);
    QTest::keyClick(child<QLineEdit>("quantity"), Qt::Key_Escape);
    QVERIFY(child<QLineEdit>("quantity")->text().isEmpty());
    QVERIFY(child<QLineEdit>("limitPrice")->text().isEmpty());
    QCOMPARE(child<QComboBox>("orderType")->currentData().toString(), u"limit"_s);
    QVERIFY(!submitButton()->isEnabled());
    QTest::keyClick(child<QLineEdit>("quantity"), Qt::Key_Return);
    QCOMPARE(m_sent.size(), 2);
}

void TestOrderTicket::estimateShowsNotionalAndFee() {
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    QCOMPARE(child<QLabel>("notional")->text(), u"25000.00000 USD"_s);
    QCOMPARE(child<QLabel>("fee")->text(), u"62.50000 USD (maker 0.25%)"_s);
    type("limitPrice", u"50000.1"_s); // crosses the ask
    QCOMPARE(child<QLabel>("fee")->text(), u"100.00020 USD (taker 0.40%)"_s);
    m_ticket->setFeeRates({dec("0.16"), dec("0.26")});
    QCOMPARE(child<QLabel>("fee")->text(), u"65.00013 USD (taker 0.26%)"_s);
    // A market order follows the book.
    setType(u"market"_s);
    QCOMPARE(child<QLabel>("notional")->text(), u"25000.05000 USD"_s);
    m_ticket->setMarket(dec("49000.0"), dec("49000.2"));
    QCOMPARE(child<QLabel>("notional")->text(), u"24500.10000 USD"_s);
}

void TestOrderTicket::guardWarningNeedsConfirmation() {
    setType(u"limit"_s);
    type("quantity", u"0.1"_s);
    type("limitPrice", u"55000.0"_s); // 10% over the mid, band 5%
    QLabel *msg = message("limitPrice");
    QVERIFY(msg->isVisible());
    QVERIFY2(msg->text().contains(u"10.00% above"_s), qPrintable(msg->text()));
    QCOMPARE(msg->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::warningColour(m_ticket->palette()));
    QVERIFY(submitButton()->isEnabled()); // a warning does not block

    bool seen = false;
    bool confirmWasDisabled = false, confirmEnabledAfterTick = false;
    int sentWhileOpen = -1;
    QString warningsText;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            sentWhileOpen = int(m_sent.size());
            confirmWasDisabled = !d->confirmButton()->isEnabled();
            auto *warnings = d->findChild<QLabel *>(u"warnings"_s);
            warningsText = warnings ? warnings->text() : QString();
            QVERIFY(d->understandBox());
            d->understandBox()->click();
            confirmEnabledAfterTick = d->confirmButton()->isEnabled();
            d->confirmButton()->click();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QCOMPARE(sentWhileOpen, 0);
    QVERIFY(confirmWasDisabled);
    QVERIFY(confirmEnabledAfterTick);
    QVERIFY2(warningsText.contains(u"10.00% above"_s), qPrintable(warningsText));
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(m_sent.first().price->toString(), u"55000.0"_s);

    // The notional guard fires the dialog too.
    model::GuardSettings g = m_ticket->guardSettings();
    g.maxNotional = dec("1000");
    g.maxPriceDeviationPct = Decimal();
    m_ticket->setGuardSettings(g);
    seen = false;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            warningsText = d->findChild<QLabel *>(u"warnings"_s)->text();
            d->understandBox()->click();
            d->confirmButton()->click();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY2(warningsText.contains(u"5500.00000 USD"_s), qPrintable(warningsText));
    QCOMPARE(m_sent.size(), 2);
}

void TestOrderTicket::cancelInDialogEmitsNothing() {
    setType(u"limit"_s);
    type("quantity", u"0.1"_s);
    type("limitPrice", u"45000.0"_s);
    bool seen = false;
    whenConfirmOpens([](ui::OrderConfirmDialog *d) { d->reject(); }, &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY(m_sent.isEmpty());

    // Ticking "I understand" and then cancelling sends nothing either.
    seen = false;
    whenConfirmOpens(
        [](ui::OrderConfirmDialog *d) {
            d->understandBox()->click();
            d->findChild<QPushButton *>(u"cancel"_s)->click();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY(m_sent.isEmpty());
}

void TestOrderTicket::profileConfirmationWithoutWarnings() {
    model::GuardSettings g = m_ticket->guardSettings();
    g.confirmEveryOrder = true;
    m_ticket->setGuardSettings(g);
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    bool seen = false;
    bool hadTickBox = true, confirmEnabled = false;
    QString summary;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            hadTickBox = d->understandBox() != nullptr;
            confirmEnabled = d->confirmButton()->isEnabled();
            summary = d->findChild<QLabel *>(u"summary"_s)->text();
            d->confirmButton()->click();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY(!hadTickBox);
    QVERIFY(confirmEnabled);
    QVERIFY2(summary.startsWith(u"Buy 0.5 BTC on BTC/USD, limit 50000.0 USD"_s),
             qPrintable(summary));
    QVERIFY2(summary.contains(u"25000.00000 USD"_s), qPrintable(summary));
    QCOMPARE(m_sent.size(), 1);
}

void TestOrderTicket::quoteSizedOrders() {
    auto *unit = child<QComboBox>("quantityUnit");
    QCOMPARE(unit->itemText(0), u"BTC"_s);
    QCOMPARE(unit->itemText(1), u"USD"_s);

    // Market buy for 100 USD: viqc, the amount as volume, no price.
    setType(u"market"_s);
    unit->setCurrentIndex(1);
    type("quantity", u"100"_s);
    QVERIFY(submitButton()->isEnabled());
    QVERIFY2(child<QLabel>("notional")->text().contains(u"0.00199999 BTC"_s),
             qPrintable(child<QLabel>("notional")->text()));
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(m_sent[0].oflags, QStringList{u"viqc"_s});
    QCOMPARE(m_sent[0].volume.toString(), u"100"_s);
    QVERIFY(!m_sent[0].price);

    // Kraken refuses quote sizing on a market sell: the ticket says so and blocks.
    child<QPushButton>("sell")->click();
    QVERIFY(!submitButton()->isEnabled());
    QVERIFY(message("quantity")->isVisible());
    QVERIFY2(message("quantity")->text().contains(u"market buys"_s),
             qPrintable(message("quantity")->text()));

    // A limit sized in USD is converted to BTC at the limit price, rounded down to the lot.
    child<QPushButton>("buy")->click();
    setType(u"limit"_s);
    type("quantity", u"1000"_s);
    QVERIFY(!submitButton()->isEnabled()); // no price yet to convert at
    type("limitPrice", u"49999.0"_s);
    QVERIFY(submitButton()->isEnabled());
    submitButton()->click();
    QCOMPARE(m_sent.size(), 2);
    QVERIFY(m_sent[1].oflags.isEmpty());
    QCOMPARE(m_sent[1].volume.toString(), u"0.02000040"_s); // 1000 / 49999.0, rounded down
}

void TestOrderTicket::gtdCarriesExpiry() {
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    auto *tif = child<QComboBox>("timeInForce");
    tif->setCurrentIndex(tif->findData(u"GTD"_s));
    auto *expiry = child<QDateTimeEdit>("expiry");
    QVERIFY(expiry->isVisibleTo(m_ticket));

    // In the past: blocked, with the reason beside the time in force.
    expiry->setDateTime(QDateTime::currentDateTime().addSecs(-3600));
    QVERIFY(!submitButton()->isEnabled());
    QVERIFY2(message("timeInForce")->text().contains(u"passed"_s),
             qPrintable(message("timeInForce")->text()));

    const QDateTime at = QDateTime(QDate::currentDate().addDays(2), QTime(12, 30));
    expiry->setDateTime(at);
    QVERIFY(submitButton()->isEnabled());
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(m_sent[0].timeInForce, u"GTD"_s);
    QCOMPARE(m_sent[0].expireTime, QString::number(at.toSecsSinceEpoch()));

    tif->setCurrentIndex(tif->findData(u"IOC"_s));
    QVERIFY(!expiry->isVisibleTo(m_ticket));
    submitButton()->click();
    QCOMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent[1].timeInForce, u"IOC"_s);
    QVERIFY(m_sent[1].expireTime.isEmpty());
}

void TestOrderTicket::triggerAndTrailingOrders() {
    child<QPushButton>("sell")->click();
    setType(u"stop-loss-limit"_s);
    type("quantity", u"0.5"_s);
    type("triggerPrice", u"49000.0"_s);
    type("limitPrice", u"48900.0"_s);
    auto *ref = child<QComboBox>("triggerReference");
    ref->setCurrentIndex(ref->findData(u"index"_s));
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(m_sent[0].orderType, u"stop-loss-limit"_s);
    QCOMPARE(m_sent[0].side, Side::Sell);
    QCOMPARE(m_sent[0].price->toString(), u"49000.0"_s);
    QCOMPARE(m_sent[0].price2->toString(), u"48900.0"_s);
    QCOMPARE(m_sent[0].trigger, u"index"_s);

    setType(u"trailing-stop"_s);
    type("trailingOffset", u"50"_s);
    submitButton()->click();
    QCOMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent[1].priceExpression, u"+50"_s);
    QVERIFY(!m_sent[1].price);

    setType(u"trailing-stop-limit"_s);
    child<QComboBox>("trailingOffsetUnit")->setCurrentIndex(1);
    type("trailingOffset", u"1.5"_s);
    type("limitOffset", u"-10.0"_s);
    submitButton()->click();
    QCOMPARE(m_sent.size(), 3);
    QCOMPARE(m_sent[2].priceExpression, u"+1.5%"_s);
    QCOMPARE(m_sent[2].price2Expression, u"-10.0"_s);

    setType(u"iceberg"_s);
    type("limitPrice", u"50000.0"_s);
    type("quantity", u"1.5"_s);
    type("displayQuantity", u"0.09"_s);
    QVERIFY(!submitButton()->isEnabled());
    QVERIFY2(message("displayQuantity")->text().contains(u"1/15"_s),
             qPrintable(message("displayQuantity")->text()));
    type("displayQuantity", u"0.1"_s);
    submitButton()->click();
    QCOMPARE(m_sent.size(), 4);
    QCOMPARE(m_sent[3].displayVolume->toString(), u"0.1"_s);
}

void TestOrderTicket::prepareBuySell() {
    m_ticket->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_ticket));
    m_ticket->prepareSell();
    QVERIFY(child<QPushButton>("sell")->isChecked());
    QCOMPARE(submitButton()->text(), u"Sell BTC"_s);
    QTRY_VERIFY(child<QLineEdit>("quantity")->hasFocus());
    m_ticket->prepareBuy();
    QVERIFY(child<QPushButton>("buy")->isChecked());
    QVERIFY(!child<QPushButton>("sell")->isChecked());
    QCOMPARE(submitButton()->text(), u"Buy BTC"_s);
    QVERIFY(m_ticket->currentOrder().side == Side::Buy);
}

void TestOrderTicket::reduceOnlyNeedsMargin() {
    auto *box = child<QCheckBox>("reduceOnly");
    QVERIFY(!box->isEnabled());
    QVERIFY(box->toolTip().contains(u"margin"_s));
    m_ticket->setLeverage(u"2"_s);
    QVERIFY(box->isEnabled());
    setType(u"limit"_s);
    type("quantity", u"0.5"_s);
    type("limitPrice", u"50000.0"_s);
    box->setChecked(true);
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    QVERIFY(m_sent[0].reduceOnly);
    QCOMPARE(m_sent[0].leverage, u"2"_s);
    m_ticket->setLeverage(QString());
    QVERIFY(!box->isEnabled());
    QVERIFY(!m_ticket->currentOrder().reduceOnly);
}

void TestOrderTicket::everyInputHasAnAccessibleName() {
    QList<QWidget *> inputs;
    for (auto *w : m_ticket->findChildren<QLineEdit *>())
        if (!qobject_cast<QDateTimeEdit *>(w->parentWidget())) // the date edit's inner line
            inputs << w;
    for (auto *w : m_ticket->findChildren<QComboBox *>())
        inputs << w;
    for (auto *w : m_ticket->findChildren<QAbstractButton *>())
        inputs << w;
    for (auto *w : m_ticket->findChildren<QDateTimeEdit *>())
        inputs << w;
    QVERIFY(inputs.size() >= 20);
    for (QWidget *w : std::as_const(inputs))
        QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
}

void TestOrderTicket::guardSettingsPersistPerProfile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(u"kt.ini"_s), QSettings::IniFormat);
    ui::GuardSettingsStore store(&settings);
    QCOMPARE(store.load(u"mainnet"_s), model::GuardSettings{}); // defaults before any save
    QCOMPARE(store.loadFees(u"mainnet"_s), model::FeeRates{});

    model::GuardSettings g;
    g.maxNotional = dec("2500.50");
    g.maxPriceDeviationPct = dec("2.5");
    g.confirmEveryOrder = false;
    store.save(u"mainnet"_s, g);
    store.saveFees(u"mainnet"_s, {dec("0.16"), dec("0.26")});

    QSettings reread(dir.filePath(u"kt.ini"_s), QSettings::IniFormat);
    ui::GuardSettingsStore again(&reread);
    const model::GuardSettings back = again.load(u"mainnet"_s);
    QCOMPARE(back.maxNotional.toString(), u"2500.50"_s);
    QCOMPARE(back.maxPriceDeviationPct.toString(), u"2.5"_s);
    QCOMPARE(back.confirmEveryOrder, false);
    QCOMPARE(again.loadFees(u"mainnet"_s).takerPct.toString(), u"0.26"_s);
    // Another profile, even one with a slash in its name, keeps its own defaults.
    QCOMPARE(again.load(u"paper/local"_s), model::GuardSettings{});
}

QTEST_MAIN(TestOrderTicket)
#include "tst_orderticket.moc"
