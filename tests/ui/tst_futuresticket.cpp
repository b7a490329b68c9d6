// FuturesTicket offscreen, on instruments parsed from an /instruments answer in Kraken's
// documented shape (the parse path the client uses): the fields each of the seven order types
// shows; the exact FuturesOrderRequest each type emits; field errors (off tick, zero or
// off-step size, not a number, missing stop or deviation, untradeable contract) that block
// submission; the margin figures for a linear PF_ and an inverse PI_ contract, worked out here
// by hand from the tier numbers in the JSON; the not-enough-margin warning and its
// confirmation; the price guard; market orders valued at the mark or the touch; the ladder's
// prepareLimit.

#include "kraken/futures/futuresrestparsers.h"
#include "model/futuresorderestimate.h"
#include "ui/futuresticket.h"
#include "ui/orderconfirmdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::futures::FuturesDeviationUnit;
using kraken::futures::FuturesInstrument;
using kraken::futures::FuturesOrderRequest;
using kraken::futures::FuturesOrderType;
using kraken::futures::FuturesSide;
using kraken::futures::FuturesTriggerSignal;

namespace {

// PF_XBTUSD: flex tiers in numNonContractUnits (USD notional): 2% initial up to 500000 USD,
// 4% from there. PI_XBTUSD: tiers in contracts (USD each): 2% up to 500000 contracts, 4% from
// there. Inverse entries carry no base: the coin comes from the symbol.
const char *const InstrumentsJson = R"({"result":"success","instruments":[
 {"symbol":"PF_XBTUSD","type":"flexible_futures","tradeable":true,"tag":"perpetual",
  "pair":"BTC:USD","base":"BTC","quote":"USD","underlying":"rr_xbtusd",
  "tickSize":0.5,"contractSize":1,"impactMidSize":1,"maxPositionSize":1000000,
  "openingDate":"2022-01-01T00:00:00.000Z","contractValueTradePrecision":4,
  "marginLevels":[{"numNonContractUnits":0,"initialMargin":0.02,"maintenanceMargin":0.01},
                  {"numNonContractUnits":500000,"initialMargin":0.04,"maintenanceMargin":0.02}],
  "fundingRateCoefficient":8,"maxRelativeFundingRate":0.001,"postOnly":false},
 {"symbol":"PI_XBTUSD","type":"futures_inverse","tradeable":true,"tag":"perpetual",
  "underlying":"rr_xbtusd","tickSize":0.5,"contractSize":1,"maxPositionSize":1000000,
  "openingDate":"2022-01-01T00:00:00.000Z","contractValueTradePrecision":0,
  "marginLevels":[{"contracts":0,"initialMargin":0.02,"maintenanceMargin":0.01},
                  {"contracts":500000,"initialMargin":0.04,"maintenanceMargin":0.02}],
  "fundingRateCoefficient":8,"maxRelativeFundingRate":0.001,"postOnly":false},
 {"symbol":"FF_XBTUSD_240628","type":"flexible_futures","tradeable":false,"tag":"quarter",
  "lastTradingTime":"2024-06-28T15:00:00Z","tickSize":1,"contractSize":1,
  "contractValueTradePrecision":4,"postOnly":false,
  "marginLevels":[{"numNonContractUnits":0,"initialMargin":0.02,"maintenanceMargin":0.01}]}
]})";

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

model::MarginRecord account(const char *name, const char *currency, const char *available,
                            const char *portfolio) {
    model::MarginRecord m;
    m.account = QString::fromLatin1(name);
    m.currency = QString::fromLatin1(currency);
    m.balance = dec(portfolio);
    m.portfolioValue = dec(portfolio);
    m.availableMargin = dec(available);
    return m;
}

// The request's fields in one line, read from the struct (not through toParams), so that a
// field the ticket got wrong shows in the comparison.
QString fieldsOf(const FuturesOrderRequest &o) {
    const auto opt = [](const std::optional<Decimal> &d) { return d ? d->toString() : u"-"_s; };
    static const char *const signals_[] = {"none", "mark", "index", "last"};
    static const char *const units[] = {"none", "PERCENT", "QUOTE_CURRENCY"};
    return QStringList{kraken::futures::wireName(o.orderType),
                       o.symbol,
                       o.side == FuturesSide::Buy ? u"buy"_s : u"sell"_s,
                       o.size.toString(),
                       opt(o.limitPrice),
                       opt(o.stopPrice),
                       QString::fromLatin1(signals_[int(o.triggerSignal)]),
                       o.reduceOnly ? u"reduce"_s : u"-"_s,
                       opt(o.trailingStopMaxDeviation),
                       QString::fromLatin1(units[int(o.trailingStopDeviationUnit)]),
                       o.cliOrdId.isEmpty() ? u"-"_s : o.cliOrdId}
        .join(u'|');
}

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

class TestFuturesTicket : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fieldsFollowType_data();
    void fieldsFollowType();
    void emitsExactRequest_data();
    void emitsExactRequest();
    void fieldErrorsBlockSubmission();
    void missingStopAndDeviationShowOnSubmit();
    void untradeableContractBlocks();
    void linearMarginFigures();
    void inverseMarginFigures();
    void insufficientMarginWarnsAndNeedsConfirmation();
    void confirmationShowsTheOrderAndCancelSendsNothing();
    void priceGuardWarns();
    void marketOrdersUseMarkOrTouch();
    void prepareLimitAndSides();
    void symbolWithoutTerms();

private:
    template<typename T> T *child(const char *name) const {
        auto *w = m_ticket->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            QTest::qFail(name, __FILE__, __LINE__);
        return w;
    }
    void setType(FuturesOrderType t) {
        auto *c = child<QComboBox>("orderType");
        c->setCurrentIndex(c->findData(int(t)));
    }
    void setCombo(const char *name, int data) {
        auto *c = child<QComboBox>(name);
        c->setCurrentIndex(c->findData(data));
    }
    void type(const char *field, const QString &text) {
        QLineEdit *e = child<QLineEdit>(field);
        e->clear();
        QTest::keyClicks(e, text);
    }
    QString text(const char *label) const { return child<QLabel>(label)->text(); }
    QLabel *message(const char *field) const {
        return m_ticket->findChild<QLabel *>(u"message."_s + QString::fromLatin1(field));
    }
    QPushButton *submitButton() const { return child<QPushButton>("submit"); }
    void useInstrument(const char *symbol) {
        const FuturesInstrument *in = m_instruments.find(QString::fromLatin1(symbol));
        QVERIFY(in);
        m_ticket->setInstrument(*in);
    }

    kraken::futures::FuturesInstrumentRegistry m_instruments;
    QWidget *m_host = nullptr;
    ui::FuturesTicket *m_ticket = nullptr;
    QList<FuturesOrderRequest> m_sent;
};

void TestFuturesTicket::initTestCase() {
    const auto root = kraken::futures::JsonNode::parse(QByteArray(InstrumentsJson));
    QVERIFY(root);
    const auto reg = kraken::futures::parse::instruments(*root);
    QVERIFY2(reg, qPrintable(reg.error().toString()));
    m_instruments = *reg;
    QCOMPARE(m_instruments.size(), 3);
    // The inputs the expected figures below are worked from.
    const FuturesInstrument *pf = m_instruments.find(u"PF_XBTUSD");
    QCOMPARE(pf->marginLevels().size(), 2);
    QCOMPARE(pf->marginLevels()[1].threshold.toString(), u"500000"_s);
    QVERIFY(pf->marginLevels()[1].inNonContractUnits);
    const FuturesInstrument *pi = m_instruments.find(u"PI_XBTUSD");
    QVERIFY(pi->isInverse());
    QVERIFY(!pi->marginLevels()[1].inNonContractUnits);
    QCOMPARE(model::futuresMarginAccountOf(*pi), u"fi_xbtusd"_s);
    QCOMPARE(model::futuresMarginAccountOf(*pf), u"flex"_s);
    QCOMPARE(model::futuresCollateralCurrencyOf(*pi), u"XBT"_s);
}

void TestFuturesTicket::init() {
    m_sent.clear();
    m_host = new QWidget;
    m_ticket = new ui::FuturesTicket(m_host);
    model::GuardSettings guards;
    guards.confirmEveryOrder = false;
    guards.maxNotional = dec("100000000");
    guards.maxPriceDeviationPct = dec("5");
    m_ticket->setGuardSettings(guards);
    useInstrument("PF_XBTUSD");
    m_ticket->setMarketContext(dec("60000"), dec("59999.5"), dec("60000.5"));
    m_ticket->setMarginAccounts(
        {account("flex", "USD", "1000000", "1000000"), account("fi_xbtusd", "XBT", "100", "100")});
    connect(m_ticket, &ui::FuturesTicket::submitRequested, this,
            [this](const FuturesOrderRequest &o) { m_sent.append(o); });
    // Hosted like a dock hosts it: the ticket is not the window, so its rows showing and
    // hiding do not resize one (which the offscreen platform would warn about).
    m_ticket->resize(420, 720);
    m_host->resize(420, 720);
    m_host->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_host));
}

void TestFuturesTicket::cleanup() {
    delete m_host;
    m_host = nullptr;
    m_ticket = nullptr;
}

void TestFuturesTicket::fieldsFollowType_data() {
    QTest::addColumn<int>("orderType");
    // limit price, stop price, trigger signal, trailing deviation (+ unit)
    QTest::addColumn<QString>("shown");
    QTest::newRow("lmt") << int(FuturesOrderType::Limit) << u"L---"_s;
    QTest::newRow("post") << int(FuturesOrderType::PostOnly) << u"L---"_s;
    QTest::newRow("mkt") << int(FuturesOrderType::Market) << u"----"_s;
    QTest::newRow("stp") << int(FuturesOrderType::Stop) << u"LST-"_s;
    QTest::newRow("take_profit") << int(FuturesOrderType::TakeProfit) << u"LST-"_s;
    QTest::newRow("ioc") << int(FuturesOrderType::ImmediateOrCancel) << u"L---"_s;
    QTest::newRow("trailing_stop") << int(FuturesOrderType::TrailingStop) << u"--TD"_s;
}

void TestFuturesTicket::fieldsFollowType() {
    QFETCH(int, orderType);
    QFETCH(QString, shown);
    setType(FuturesOrderType(orderType));
    const auto vis = [this](QWidget *w, QChar c) { return w->isVisibleTo(m_ticket) ? c : u'-'; };
    QString actual;
    actual += vis(child<QLineEdit>("limitPrice"), u'L');
    actual += vis(child<QLineEdit>("stopPrice"), u'S');
    actual += vis(child<QComboBox>("triggerSignal"), u'T');
    actual += vis(child<QLineEdit>("trailingDeviation"), u'D');
    QCOMPARE(actual, shown);
    QCOMPARE(child<QComboBox>("trailingDeviationUnit")->isVisibleTo(m_ticket),
             shown.endsWith(u'D'));
    // Size and reduce-only are there for every type.
    QVERIFY(child<QLineEdit>("size")->isVisibleTo(m_ticket));
    QVERIFY(child<QCheckBox>("reduceOnly")->isVisibleTo(m_ticket));
}

void TestFuturesTicket::emitsExactRequest_data() {
    QTest::addColumn<int>("orderType");
    QTest::addColumn<bool>("buy");
    QTest::addColumn<QString>("size");
    QTest::addColumn<QString>("limit");
    QTest::addColumn<QString>("stop");
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("deviation");
    QTest::addColumn<int>("unit");
    QTest::addColumn<bool>("reduceOnly");
    QTest::addColumn<QString>("expected");
    const int none = int(FuturesTriggerSignal::None);
    const int noUnit = int(FuturesDeviationUnit::None);
    QTest::newRow("lmt") << int(FuturesOrderType::Limit) << true << u"2.5"_s << u"60000.5"_s
                         << QString() << none << QString() << noUnit << false
                         << u"lmt|PF_XBTUSD|buy|2.5|60000.5|-|none|-|-|none|-"_s;
    // The text as typed, trailing zeros and all.
    QTest::newRow("post") << int(FuturesOrderType::PostOnly) << false << u"0.0001"_s << u"60500.0"_s
                          << QString() << none << QString() << noUnit << false
                          << u"post|PF_XBTUSD|sell|0.0001|60500.0|-|none|-|-|none|-"_s;
    QTest::newRow("mkt") << int(FuturesOrderType::Market) << true << u"1"_s << QString()
                         << QString() << none << QString() << noUnit << true
                         << u"mkt|PF_XBTUSD|buy|1|-|-|none|reduce|-|none|-"_s;
    QTest::newRow("stp limit") << int(FuturesOrderType::Stop) << false << u"0.5"_s << u"57990.5"_s
                               << u"58000"_s << int(FuturesTriggerSignal::Mark) << QString()
                               << noUnit << true
                               << u"stp|PF_XBTUSD|sell|0.5|57990.5|58000|mark|reduce|-|none|-"_s;
    QTest::newRow("take_profit") << int(FuturesOrderType::TakeProfit) << true << u"0.75"_s
                                 << QString() << u"59000.5"_s << int(FuturesTriggerSignal::Last)
                                 << QString() << noUnit << false
                                 << u"take_profit|PF_XBTUSD|buy|0.75|-|59000.5|last|-|-|none|-"_s;
    QTest::newRow("ioc") << int(FuturesOrderType::ImmediateOrCancel) << true << u"3"_s << u"60001"_s
                         << QString() << none << QString() << noUnit << false
                         << u"ioc|PF_XBTUSD|buy|3|60001|-|none|-|-|none|-"_s;
    QTest::newRow("trailing_stop %")
        << int(FuturesOrderType::TrailingStop) << false << u"1.25"_s << QString() << QString()
        << int(FuturesTriggerSignal::Index) << u"1.5"_s << int(FuturesDeviationUnit::Percent)
        << true << u"trailing_stop|PF_XBTUSD|sell|1.25|-|-|index|reduce|1.5|PERCENT|-"_s;
    QTest::newRow("trailing_stop quote")
        << int(FuturesOrderType::TrailingStop) << true << u"2"_s << QString() << QString()
        << int(FuturesTriggerSignal::Mark) << u"150.50"_s
        << int(FuturesDeviationUnit::QuoteCurrency) << false
        << u"trailing_stop|PF_XBTUSD|buy|2|-|-|mark|-|150.50|QUOTE_CURRENCY|-"_s;
}

void TestFuturesTicket::emitsExactRequest() {
    QFETCH(int, orderType);
    QFETCH(bool, buy);
    QFETCH(QString, size);
    QFETCH(QString, limit);
    QFETCH(QString, stop);
    QFETCH(int, signal);
    QFETCH(QString, deviation);
    QFETCH(int, unit);
    QFETCH(bool, reduceOnly);
    QFETCH(QString, expected);

    setType(FuturesOrderType(orderType));
    child<QPushButton>(buy ? "buy" : "sell")->click();
    type("size", size);
    if (!limit.isEmpty())
        type("limitPrice", limit);
    if (!stop.isEmpty())
        type("stopPrice", stop);
    if (signal != int(FuturesTriggerSignal::None))
        setCombo("triggerSignal", signal);
    if (!deviation.isEmpty()) {
        type("trailingDeviation", deviation);
        setCombo("trailingDeviationUnit", unit);
    }
    if (reduceOnly)
        child<QCheckBox>("reduceOnly")->click();

    QVERIFY2(!m_ticket->hasErrors(), qPrintable(m_ticket->issues().value(0).message));
    QVERIFY(submitButton()->isEnabled());
    submitButton()->click();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(fieldsOf(m_sent.first()), expected);
    QCOMPARE(m_sent.first().validationError(m_instruments.find(u"PF_XBTUSD")), QString());
}

void TestFuturesTicket::fieldErrorsBlockSubmission() {
    setType(FuturesOrderType::Limit);
    type("size", u"1"_s);
    type("limitPrice", u"60000.3"_s);
    QLabel *msg = message("limitPrice");
    QVERIFY(msg->isVisible());
    QCOMPARE(msg->text(), u"60000.3 is not on the 0.5 tick."_s);
    QCOMPARE(msg->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::errorColour(m_ticket->palette()));
    QVERIFY(!submitButton()->isEnabled());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);

    type("limitPrice", u"60000.5"_s);
    QVERIFY(!msg->isVisible());
    type("size", u"0"_s);
    QCOMPARE(message("size")->text(), u"The size must be positive."_s);
    QVERIFY(!submitButton()->isEnabled());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);

    type("size", u"0.00005"_s);
    QCOMPARE(message("size")->text(), u"0.00005 is not a whole number of 0.0001-contract steps."_s);
    type("size", u"1e"_s);
    QCOMPARE(message("size")->text(), u"\"1e\" is not a number."_s);
    type("size", u"2000000"_s);
    QCOMPARE(message("size")->text(), u"2000000 is above the maximum position size 1000000."_s);
    type("limitPrice", u"-5"_s);
    QCOMPARE(message("limitPrice")->text(), u"The limit price must be positive."_s);
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);

    // Fixed, it goes.
    type("size", u"1"_s);
    type("limitPrice", u"60000.5"_s);
    QVERIFY(submitButton()->isEnabled());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(fieldsOf(m_sent.first()), u"lmt|PF_XBTUSD|buy|1|60000.5|-|none|-|-|none|-"_s);
}

void TestFuturesTicket::missingStopAndDeviationShowOnSubmit() {
    setType(FuturesOrderType::Stop);
    type("size", u"1"_s);
    // Not nagged about while the trader is still filling the ticket, but not sendable.
    QVERIFY(!message("stopPrice")->isVisible());
    QVERIFY(!submitButton()->isEnabled());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);
    QVERIFY(message("stopPrice")->isVisible());
    QCOMPARE(message("stopPrice")->text(), u"Enter the stop price."_s);
    // The limit of a stop is optional: no message for it.
    QVERIFY(!message("limitPrice")->isVisible());

    setType(FuturesOrderType::TrailingStop);
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);
    QCOMPARE(message("trailingDeviation")->text(), u"Enter how far the stop trails."_s);
    type("trailingDeviation", u"0"_s);
    QCOMPARE(message("trailingDeviation")->text(), u"The deviation must be positive."_s);

    setType(FuturesOrderType::Limit);
    type("size", QString());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);
    QCOMPARE(message("size")->text(), u"Enter the size in contracts."_s);
    QCOMPARE(message("limitPrice")->text(), u"Enter the limit price."_s);
}

void TestFuturesTicket::untradeableContractBlocks() {
    useInstrument("FF_XBTUSD_240628");
    setType(FuturesOrderType::Limit);
    type("size", u"1"_s);
    type("limitPrice", u"60000"_s);
    QCOMPARE(text("orderMessage"), u"FF_XBTUSD_240628 is not tradeable now."_s);
    QVERIFY(!submitButton()->isEnabled());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 0);
    // Tick 1 here: 60000.5 is off it.
    type("limitPrice", u"60000.5"_s);
    QCOMPARE(message("limitPrice")->text(), u"60000.5 is not on the 1 tick."_s);
}

void TestFuturesTicket::linearMarginFigures() {
    m_ticket->setMarginAccounts(
        {account("fi_xbtusd", "XBT", "0.5", "0.6"), account("flex", "USD", "5000", "10000")});
    setType(FuturesOrderType::Limit);
    type("size", u"2.5"_s);
    type("limitPrice", u"60000.5"_s);
    // 2.5 x 1 x 60000.5 = 150001.25 USD, under 500000: tier 1, 2% = 3000.025 USD,
    // max leverage 1 / 0.02 = 50; 150001.25 / 10000 = 15.000125 -> 15.00;
    // 5000 - 3000.025 = 1999.975.
    QCOMPARE(text("estimatePrice"), u"60000.5 (limit)"_s);
    QCOMPARE(text("notional"), u"150001.25 USD"_s);
    QCOMPARE(text("initialMargin"), u"3000.025 USD at 2% (tier 1 of 2)"_s);
    QCOMPARE(text("leverage"), u"max 50x; 15.00x the portfolio value"_s);
    QCOMPARE(text("availableAfter"), u"1999.975 USD of 5000 USD available"_s);
    QVERIFY(!child<QLabel>("marginWarning")->isVisible());
    const model::FuturesOrderEstimate e = m_ticket->estimate();
    QCOMPARE(e.notional->toString(), u"150001.25"_s);
    QCOMPARE(e.initialMargin->toString(), u"3000.025"_s);
    QCOMPARE(e.maintenanceMargin->toString(), u"1500.0125"_s); // 1%
    QCOMPARE(e.tierIndex, 0);
    QVERIFY(!e.insufficientMargin);

    // 10 x 50000 = 500000 USD: exactly the second tier's threshold, 4% = 20000 USD, max 25x.
    type("size", u"10"_s);
    type("limitPrice", u"50000"_s);
    QCOMPARE(text("notional"), u"500000 USD"_s);
    QCOMPARE(text("initialMargin"), u"20000 USD at 4% (tier 2 of 2)"_s);
    QCOMPARE(text("leverage"), u"max 25x; 50.00x the portfolio value"_s);
    QCOMPARE(m_ticket->estimate().maintenanceMargin->toString(), u"10000"_s); // 2%
    // One tick lower: 499995 USD, back in tier 1 (2% = 9999.9).
    type("limitPrice", u"49999.5"_s);
    QCOMPARE(text("initialMargin"), u"9999.9 USD at 2% (tier 1 of 2)"_s);
    QCOMPARE(text("availableAfter"), u"-4999.9 USD of 5000 USD available"_s);
}

void TestFuturesTicket::inverseMarginFigures() {
    useInstrument("PI_XBTUSD");
    m_ticket->setMarginAccounts(
        {account("flex", "USD", "5000", "10000"), account("fi_xbtusd", "XBT", "0.5", "0.6")});
    setType(FuturesOrderType::Limit);
    type("size", u"1000"_s);
    type("limitPrice", u"47000"_s);
    // 1000 contracts of 1 USD at 47000 = 1000 / 47000 XBT = 0.021276595744... -> 10 places
    // 0.0212765957; 2% of it = 0.000425531914 -> 0.0004255319; 0.5 - that = 0.4995744681;
    // 0.0212765957 / 0.6 = 0.03546... -> 0.04.
    QCOMPARE(text("notional"), u"0.0212765957 XBT (1000 USD)"_s);
    QCOMPARE(text("initialMargin"), u"0.0004255319 XBT at 2% (tier 1 of 2)"_s);
    QCOMPARE(text("leverage"), u"max 50x; 0.04x the portfolio value"_s);
    QCOMPARE(text("availableAfter"), u"0.4995744681 XBT of 0.5 XBT available"_s);

    // Rounding half-even at 10 places: 1000 / 60000.5 = 0.01666652777893... -> 0.0166665278;
    // 2% = 0.000333330556 -> 0.0003333306; 0.5 - that = 0.4996666694.
    type("limitPrice", u"60000.5"_s);
    QCOMPARE(text("notional"), u"0.0166665278 XBT (1000 USD)"_s);
    QCOMPARE(text("initialMargin"), u"0.0003333306 XBT at 2% (tier 1 of 2)"_s);
    QCOMPARE(text("availableAfter"), u"0.4996666694 XBT of 0.5 XBT available"_s);

    // Tiers count contracts here: 500000 contracts at 50000 = 10 XBT, tier 2, 4% = 0.4 XBT.
    type("size", u"500000"_s);
    type("limitPrice", u"50000"_s);
    QCOMPARE(text("notional"), u"10 XBT (500000 USD)"_s);
    QCOMPARE(text("initialMargin"), u"0.4 XBT at 4% (tier 2 of 2)"_s);
    QCOMPARE(text("availableAfter"), u"0.1 XBT of 0.5 XBT available"_s);
    QVERIFY(!child<QLabel>("marginWarning")->isVisible());
    // 700000 contracts: 14 XBT, 0.56 XBT of margin, more than the 0.5 there is.
    type("size", u"700000"_s);
    QCOMPARE(text("initialMargin"), u"0.56 XBT at 4% (tier 2 of 2)"_s);
    QVERIFY(child<QLabel>("marginWarning")->isVisible());
    QCOMPARE(text("marginWarning"), u"\u26A0 Not enough margin: the order needs 0.56 XBT, the "
                                    u"account has 0.5 XBT available."_s);
    // Sizes are whole contracts.
    type("size", u"1.5"_s);
    QCOMPARE(message("size")->text(), u"1.5 is not a whole number of 1-contract steps."_s);
}

void TestFuturesTicket::insufficientMarginWarnsAndNeedsConfirmation() {
    m_ticket->setMargin(account("flex", "USD", "5000", "10000"));
    setType(FuturesOrderType::Limit);
    type("size", u"10"_s);
    type("limitPrice", u"60000"_s);
    // 600000 USD: tier 2, 4% = 24000 USD > 5000.
    QCOMPARE(text("initialMargin"), u"24000 USD at 4% (tier 2 of 2)"_s);
    QCOMPARE(text("availableAfter"), u"-19000 USD of 5000 USD available"_s);
    QLabel *warning = child<QLabel>("marginWarning");
    QVERIFY(warning->isVisible());
    QCOMPARE(warning->text(), u"\u26A0 Not enough margin: the order needs 24000 USD, the account "
                              u"has 5000 USD available."_s);
    QCOMPARE(warning->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::warningColour(m_ticket->palette()));
    QVERIFY(submitButton()->isEnabled()); // a warning, not a block

    // Cancel in the dialog: nothing goes.
    bool seen = false;
    QString warningsText;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            warningsText = d->findChild<QLabel *>(u"warnings"_s)->text();
            d->reject();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QCOMPARE(m_sent.size(), 0);
    QCOMPARE(warningsText, u"\u26A0 Initial margin 24000 USD exceeds the available margin 5000 "
                           u"USD: Kraken will refuse the order unless it only reduces a "
                           u"position."_s);

    // Confirm stays disabled until "I understand".
    seen = false;
    bool disabledFirst = false;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            disabledFirst = !d->confirmButton()->isEnabled();
            d->understandBox()->click();
            d->confirmButton()->click();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY(disabledFirst);
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(fieldsOf(m_sent.first()), u"lmt|PF_XBTUSD|buy|10|60000|-|none|-|-|none|-"_s);

    // Reduce-only needs no margin: no warning, no dialog.
    child<QCheckBox>("reduceOnly")->click();
    QCOMPARE(text("initialMargin"), u"0 USD (reduce-only)"_s);
    QVERIFY(!warning->isVisible());
    submitButton()->click();
    QCOMPARE(m_sent.size(), 2);
    QVERIFY(m_sent.last().reduceOnly);
}

void TestFuturesTicket::confirmationShowsTheOrderAndCancelSendsNothing() {
    model::GuardSettings g = m_ticket->guardSettings();
    g.confirmEveryOrder = true;
    m_ticket->setGuardSettings(g);
    m_ticket->setMargin(account("flex", "USD", "5000", "10000"));
    setType(FuturesOrderType::Limit);
    type("size", u"2.5"_s);
    type("limitPrice", u"60000.5"_s);

    bool seen = false, hadTickBox = true;
    QString summary;
    whenConfirmOpens(
        [&](ui::OrderConfirmDialog *d) {
            hadTickBox = d->understandBox() != nullptr;
            summary = d->findChild<QLabel *>(u"summary"_s)->text();
            d->reject();
        },
        &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QVERIFY(!hadTickBox);
    QCOMPARE(summary, u"Buy 2.5 PF_XBTUSD at 60000.5, limit\nNotional 150001.25 USD, initial "
                      u"margin 3000.025 USD, leaving 1999.975 USD available."_s);
    QCOMPARE(m_sent.size(), 0);

    seen = false;
    whenConfirmOpens([](ui::OrderConfirmDialog *d) { d->confirmButton()->click(); }, &seen);
    submitButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(seen, 10000);
    QCOMPARE(m_sent.size(), 1);
}

void TestFuturesTicket::priceGuardWarns() {
    setType(FuturesOrderType::Limit);
    type("size", u"1"_s);
    type("limitPrice", u"66000"_s); // 10% over the mark 60000, band 5%
    QLabel *msg = message("limitPrice");
    QVERIFY(msg->isVisible());
    QCOMPARE(msg->text(), u"66000 is 10.00% away from the mark 60000 (guard: 5%)."_s);
    QCOMPARE(msg->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::warningColour(m_ticket->palette()));
    QVERIFY(submitButton()->isEnabled());
    setType(FuturesOrderType::Stop);
    type("stopPrice", u"54000"_s);
    QCOMPARE(message("stopPrice")->text(),
             u"54000 is 10.00% away from the mark 60000 (guard: 5%)."_s);
}

void TestFuturesTicket::marketOrdersUseMarkOrTouch() {
    m_ticket->setMargin(account("flex", "USD", "5000", "10000"));
    setType(FuturesOrderType::Market);
    type("size", u"1"_s);
    QCOMPARE(text("estimatePrice"), u"60000 (mark)"_s);
    QCOMPARE(text("notional"), u"60000 USD"_s);
    QCOMPARE(text("initialMargin"), u"1200 USD at 2% (tier 1 of 2)"_s);
    m_ticket->setMarketContext(std::nullopt, dec("59999.5"), dec("60000.5"));
    QCOMPARE(text("estimatePrice"), u"60000.5 (best ask)"_s);
    child<QPushButton>("sell")->click();
    QCOMPARE(text("estimatePrice"), u"59999.5 (best bid)"_s);
    QCOMPARE(text("notional"), u"59999.5 USD"_s);
    // Nothing to value it at: no figures, but the order itself is fine.
    m_ticket->setMarketContext(std::nullopt, std::nullopt, std::nullopt);
    QCOMPARE(text("estimatePrice"), u"\u2014"_s);
    QCOMPARE(text("notional"), u"\u2014"_s);
    QVERIFY(submitButton()->isEnabled());
    // A stop is valued at its stop price.
    setType(FuturesOrderType::Stop);
    type("stopPrice", u"58000"_s);
    QCOMPARE(text("estimatePrice"), u"58000 (stop)"_s);
}

void TestFuturesTicket::prepareLimitAndSides() {
    setType(FuturesOrderType::Stop);
    type("size", u"0.3"_s);
    m_ticket->prepareLimit(FuturesSide::Sell, dec("61000"));
    QCOMPARE(child<QComboBox>("orderType")->currentData().toInt(), int(FuturesOrderType::Limit));
    QCOMPARE(child<QLineEdit>("limitPrice")->text(), u"61000.0"_s); // the 0.5 tick's decimals
    QVERIFY(child<QPushButton>("sell")->isChecked());
    QCOMPARE(child<QLineEdit>("size")->text(), u"0.3"_s);
    QCOMPARE(submitButton()->text(), u"Sell PF_XBTUSD"_s);
    m_ticket->prepareBuy();
    QVERIFY(child<QPushButton>("buy")->isChecked());
    QCOMPARE(submitButton()->text(), u"Buy PF_XBTUSD"_s);
    m_ticket->prepareSell();
    QVERIFY(child<QPushButton>("sell")->isChecked());
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(fieldsOf(m_sent.first()), u"lmt|PF_XBTUSD|sell|0.3|61000.0|-|none|-|-|none|-"_s);

    // Esc clears size and prices, keeps side and type.
    QTest::keyClick(child<QLineEdit>("size"), Qt::Key_Escape);
    QCOMPARE(child<QLineEdit>("size")->text(), QString());
    QCOMPARE(child<QLineEdit>("limitPrice")->text(), QString());
    QVERIFY(child<QPushButton>("sell")->isChecked());
}

void TestFuturesTicket::symbolWithoutTerms() {
    m_ticket->setSymbol(u"PF_SOLUSD"_s);
    setType(FuturesOrderType::Limit);
    type("size", u"3"_s);
    type("limitPrice", u"150.123"_s);
    // No tick to check against and no tiers to estimate with.
    QVERIFY(!m_ticket->hasErrors());
    QCOMPARE(text("notional"), u"\u2014"_s);
    QCOMPARE(text("availableAfter"), u"margin account not loaded"_s);
    m_ticket->submit();
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(fieldsOf(m_sent.first()), u"lmt|PF_SOLUSD|buy|3|150.123|-|none|-|-|none|-"_s);
}

QTEST_MAIN(TestFuturesTicket)
#include "tst_futuresticket.moc"
