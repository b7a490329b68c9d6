// Order validation against real instruments from tests/data/assetpairs.json (BTC/USD: tick 0.1,
// 1 price decimal, 8 lot decimals, 5 cost decimals, ordermin 0.00005, costmin 0.5; ADA/USD in
// post_only mode): every hard rule with its boundary (exactly the minimum passes, one lot below
// fails), the fields each order type needs, flag combinations Kraken refuses, the pair's
// status, the fat-finger guards as warnings rather than errors, and the estimate's notional
// and fee to the last digit. Fee defaults are checked against the paper exchange's account.

#include "kraken/core/instrument.h"
#include "kraken/sim/simconfig.h"
#include "model/ordervalidation.h"
#include "tests/core/testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using kraken::Instrument;
using kraken::spot::OrderRequest;
using kraken::spot::Side;
using model::OrderField;
using model::Severity;
using testsupport::dec;

namespace {

constexpr qint64 kNow = 1'700'000'000'000; // a fixed wall clock for the GTD checks

QString fieldName(OrderField f) {
    switch (f) {
    case OrderField::Order:
        return u"order"_s;
    case OrderField::Side:
        return u"side"_s;
    case OrderField::OrderType:
        return u"type"_s;
    case OrderField::Quantity:
        return u"qty"_s;
    case OrderField::DisplayQuantity:
        return u"display"_s;
    case OrderField::LimitPrice:
        return u"limit"_s;
    case OrderField::TriggerPrice:
        return u"trigger"_s;
    case OrderField::TrailingOffset:
        return u"offset"_s;
    case OrderField::LimitOffset:
        return u"limitoffset"_s;
    case OrderField::TimeInForce:
        return u"tif"_s;
    case OrderField::Expiry:
        return u"expiry"_s;
    case OrderField::PostOnly:
        return u"post"_s;
    case OrderField::ReduceOnly:
        return u"reduce"_s;
    case OrderField::QuoteSize:
        return u"quote"_s;
    }
    return {};
}

// "qty" for one error on the quantity; sorted and comma-joined for several; "" when clean.
QString errorFields(const model::ValidationResult &r) {
    QStringList out;
    for (const auto &i : r.errors())
        out << fieldName(i.field);
    out.sort();
    return out.join(u',');
}

QString warningFields(const model::ValidationResult &r) {
    QStringList out;
    for (const auto &i : r.warnings())
        out << fieldName(i.field);
    out.sort();
    return out.join(u',');
}

QString dump(const model::ValidationResult &r) {
    QStringList out;
    for (const auto &i : r.issues)
        out << QString((i.severity == Severity::Error ? u"E "_s : u"W "_s) + fieldName(i.field) +
                       u": "_s + i.message);
    return out.join(u"; "_s);
}

QString text(const std::optional<Decimal> &d) {
    return d ? d->toString() : u"none"_s;
}

} // namespace

class TestOrderValidation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validLimitOrderIsClean();
    void quantityBoundaries_data();
    void quantityBoundaries();
    void priceDecimalsAndTick();
    void costMinimum();
    void requiredFieldsPerType_data();
    void requiredFieldsPerType();
    void icebergDisplayQuantity();
    void trailingOffsets_data();
    void trailingOffsets();
    void timeInForce();
    void postOnly();
    void quoteSized();
    void pairStatus();
    void reduceOnlyNeedsMargin();
    void wrongPair();
    void notionalGuard();
    void priceDistanceGuard();
    void guardsNeverBlock();
    void estimateArithmetic();
    void midPrice();
    void feeDefaultsMatchPaperAccount();
    void describesOrderInWords();

private:
    Instrument instrument(const QString &restKey, const QJsonObject &overrides = {}) const;
    OrderRequest limitBuy(const char *qty, const char *price) const;
    model::ValidationContext context() const;
    model::ValidationResult check(const OrderRequest &o,
                                  const model::ValidationContext &ctx) const {
        return model::validateOrder(o, m_btc, ctx);
    }
    model::ValidationResult check(const OrderRequest &o) const { return check(o, context()); }

    QJsonObject m_pairs;
    Instrument m_btc;
};

void TestOrderValidation::initTestCase() {
    QString error;
    const QJsonObject doc =
        testsupport::readJsonObject(testsupport::testDataPath("assetpairs.json"), &error);
    QVERIFY2(!doc.isEmpty(), qPrintable(error));
    m_pairs = doc.value(u"result"_s).toObject();
    m_btc = instrument(u"XXBTZUSD"_s);
    QCOMPARE(m_btc.symbol(), u"BTC/USD"_s);
    QCOMPARE(m_btc.tickSize().toString(), u"0.1"_s);
}

Instrument TestOrderValidation::instrument(const QString &restKey,
                                           const QJsonObject &overrides) const {
    QJsonObject entry = m_pairs.value(restKey).toObject();
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        entry.insert(it.key(), it.value());
    const auto r = Instrument::fromAssetPair(restKey, entry);
    if (!r) {
        QTest::qFail("fixture pair does not build an Instrument", __FILE__, __LINE__);
        return {};
    }
    return *r;
}

OrderRequest TestOrderValidation::limitBuy(const char *qty, const char *price) const {
    OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = Side::Buy;
    o.orderType = u"limit"_s;
    o.volume = dec(qty);
    o.price = dec(price);
    return o;
}

// Book 49999.9 / 50000.1 (mid 50000.0), guards off so only the rule under test speaks.
model::ValidationContext TestOrderValidation::context() const {
    model::ValidationContext c;
    c.quote.bestBid = dec("49999.9");
    c.quote.bestAsk = dec("50000.1");
    c.guards.maxNotional = Decimal();
    c.guards.maxPriceDeviationPct = Decimal();
    c.guards.confirmEveryOrder = false;
    c.nowMs = kNow;
    return c;
}

void TestOrderValidation::validLimitOrderIsClean() {
    const auto r = check(limitBuy("0.5", "50000.0"));
    QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
    QVERIFY(!r.hasErrors());
    QVERIFY(!r.hasWarnings());
    // Also the other names Kraken accepts for the pair.
    auto o = limitBuy("0.5", "50000.0");
    for (const QString &name : {u"XBTUSD"_s, u"XXBTZUSD"_s, u"XBT/USD"_s}) {
        o.pair = name;
        QVERIFY2(!check(o).hasErrors(), qPrintable(name));
    }
}

void TestOrderValidation::quantityBoundaries_data() {
    QTest::addColumn<QString>("qty");
    QTest::addColumn<QString>("errors");
    QTest::newRow("exactly ordermin") << u"0.00005"_s << QString();
    QTest::newRow("ordermin, trailing zeros") << u"0.0000500000"_s << QString();
    QTest::newRow("one lot below ordermin") << u"0.00004999"_s << u"qty"_s;
    QTest::newRow("nine decimals") << u"0.000050001"_s << u"qty"_s;
    QTest::newRow("eight decimals") << u"0.12345678"_s << QString();
    QTest::newRow("zero") << u"0"_s << u"qty"_s;
    QTest::newRow("negative") << u"-1"_s << u"qty"_s;
}

void TestOrderValidation::quantityBoundaries() {
    QFETCH(QString, qty);
    QFETCH(QString, errors);
    auto o = limitBuy("1", "50000.0");
    o.volume = *Decimal::fromString(QStringView(qty));
    const auto r = check(o);
    QCOMPARE(errorFields(r), errors);
    if (qty == u"0.00004999"_s)
        QVERIFY2(r.errors().first().message.contains(u"0.00005 BTC"_s), qPrintable(dump(r)));
}

void TestOrderValidation::priceDecimalsAndTick() {
    // BTC/USD has one price decimal.
    auto r = check(limitBuy("0.5", "50000.05"));
    QCOMPARE(errorFields(r), u"limit"_s);
    QVERIFY2(r.errors().first().message.contains(u"1 decimal"_s), qPrintable(dump(r)));
    QCOMPARE(errorFields(check(limitBuy("0.5", "50000.10"))), QString()); // trailing zero is fine
    QCOMPARE(errorFields(check(limitBuy("0.5", "0"))), u"limit"_s);

    // A tick that is not a power of ten: the decimals fit but the price is off the tick.
    const Instrument halfTick = instrument(u"XXBTZUSD"_s, {{u"tick_size"_s, u"0.5"_s}});
    auto ctx = context();
    QVERIFY(model::validateOrder(limitBuy("0.5", "50000.5"), halfTick, ctx).issues.isEmpty());
    QVERIFY(model::validateOrder(limitBuy("0.5", "50001.0"), halfTick, ctx).issues.isEmpty());
    r = model::validateOrder(limitBuy("0.5", "50000.3"), halfTick, ctx);
    QCOMPARE(errorFields(r), u"limit"_s);
    QVERIFY2(r.errors().first().message.contains(u"50000.0 or 50000.5"_s), qPrintable(dump(r)));

    // The trigger price of a stop is held to the same rules.
    OrderRequest stop = limitBuy("0.5", "50000.3");
    stop.orderType = u"stop-loss"_s;
    QCOMPARE(errorFields(model::validateOrder(stop, halfTick, ctx)), u"trigger"_s);
}

void TestOrderValidation::costMinimum() {
    // 0.0001 x 5000.0 = 0.5 = costmin: passes; 0.00005 x 5000.0 = 0.25: fails.
    QCOMPARE(errorFields(check(limitBuy("0.0001", "5000.0"))), QString());
    const auto r = check(limitBuy("0.00005", "5000.0"));
    QCOMPARE(errorFields(r), u"qty"_s);
    QVERIFY2(r.errors().first().message.contains(u"0.25 USD"_s), qPrintable(dump(r)));
    QVERIFY2(r.errors().first().message.contains(u"0.5 USD"_s), qPrintable(dump(r)));

    // A market order is measured at the price it would take (the ask for a buy).
    OrderRequest m = limitBuy("0.00005", "1");
    m.orderType = u"market"_s;
    m.price.reset();
    auto ctx = context();
    ctx.quote.bestAsk = dec("5000.0");
    ctx.quote.bestBid = dec("4999.9");
    QCOMPARE(errorFields(check(m, ctx)), u"qty"_s);
}

void TestOrderValidation::requiredFieldsPerType_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("price2");
    QTest::addColumn<QString>("priceExpr");
    QTest::addColumn<QString>("price2Expr");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("errors");

    const QString n;
    QTest::newRow("market") << u"market"_s << n << n << n << n << n << n;
    QTest::newRow("market with price")
        << u"market"_s << u"50000.0"_s << n << n << n << n << u"limit"_s;
    QTest::newRow("limit") << u"limit"_s << u"50000.0"_s << n << n << n << n << n;
    QTest::newRow("limit without price") << u"limit"_s << n << n << n << n << n << u"limit"_s;
    QTest::newRow("limit with price2")
        << u"limit"_s << u"50000.0"_s << u"49000.0"_s << n << n << n << u"limit"_s;
    QTest::newRow("iceberg") << u"iceberg"_s << u"50000.0"_s << n << n << n << u"0.1"_s << n;
    QTest::newRow("iceberg without display")
        << u"iceberg"_s << u"50000.0"_s << n << n << n << n << u"display"_s;
    QTest::newRow("iceberg without price")
        << u"iceberg"_s << n << n << n << n << u"0.1"_s << u"limit"_s;
    QTest::newRow("limit with display")
        << u"limit"_s << u"50000.0"_s << n << n << n << u"0.1"_s << u"display"_s;
    QTest::newRow("stop-loss") << u"stop-loss"_s << u"45000.0"_s << n << n << n << n << n;
    QTest::newRow("stop-loss without trigger")
        << u"stop-loss"_s << n << n << n << n << n << u"trigger"_s;
    QTest::newRow("take-profit") << u"take-profit"_s << u"55000.0"_s << n << n << n << n << n;
    QTest::newRow("take-profit without trigger")
        << u"take-profit"_s << n << n << n << n << n << u"trigger"_s;
    QTest::newRow("stop-loss-limit")
        << u"stop-loss-limit"_s << u"45000.0"_s << u"44900.0"_s << n << n << n << n;
    QTest::newRow("stop-loss-limit without limit")
        << u"stop-loss-limit"_s << u"45000.0"_s << n << n << n << n << u"limit"_s;
    QTest::newRow("stop-loss-limit without trigger")
        << u"stop-loss-limit"_s << n << u"44900.0"_s << n << n << n << u"trigger"_s;
    QTest::newRow("take-profit-limit")
        << u"take-profit-limit"_s << u"55000.0"_s << u"55100.0"_s << n << n << n << n;
    QTest::newRow("take-profit-limit bare")
        << u"take-profit-limit"_s << n << n << n << n << n << u"limit,trigger"_s;
    QTest::newRow("trailing-stop") << u"trailing-stop"_s << n << n << u"+100.0"_s << n << n << n;
    QTest::newRow("trailing-stop without offset")
        << u"trailing-stop"_s << n << n << n << n << n << u"offset"_s;
    QTest::newRow("trailing-stop-limit")
        << u"trailing-stop-limit"_s << n << n << u"+1.5%"_s << u"-10.0"_s << n << n;
    QTest::newRow("trailing-stop-limit without limit offset")
        << u"trailing-stop-limit"_s << n << n << u"+1.5%"_s << n << n << u"limitoffset"_s;
    QTest::newRow("unknown type") << u"settle-everything"_s << n << n << n << n << n << u"type"_s;
}

void TestOrderValidation::requiredFieldsPerType() {
    QFETCH(QString, type);
    QFETCH(QString, price);
    QFETCH(QString, price2);
    QFETCH(QString, priceExpr);
    QFETCH(QString, price2Expr);
    QFETCH(QString, display);
    QFETCH(QString, errors);
    OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = type.startsWith(u"take-profit"_s) ? Side::Sell : Side::Buy;
    o.orderType = type;
    o.volume = dec("1.5");
    if (!price.isEmpty())
        o.price = Decimal::fromString(QStringView(price));
    if (!price2.isEmpty())
        o.price2 = Decimal::fromString(QStringView(price2));
    o.priceExpression = priceExpr;
    o.price2Expression = price2Expr;
    if (!display.isEmpty())
        o.displayVolume = Decimal::fromString(QStringView(display));
    const auto r = check(o);
    QVERIFY2(errorFields(r) == errors, qPrintable(dump(r)));
}

void TestOrderValidation::icebergDisplayQuantity() {
    auto o = limitBuy("1.5", "50000.0");
    o.orderType = u"iceberg"_s;
    o.displayVolume = dec("0.1"); // exactly 1/15 of 1.5
    QVERIFY2(check(o).issues.isEmpty(), qPrintable(dump(check(o))));
    o.displayVolume = dec("0.09999999"); // one lot below
    auto r = check(o);
    QCOMPARE(errorFields(r), u"display"_s);
    QVERIFY2(r.errors().first().message.contains(u"1/15"_s), qPrintable(dump(r)));
    QVERIFY2(r.errors().first().message.contains(u"0.1 BTC"_s), qPrintable(dump(r)));
    o.displayVolume = dec("1.5"); // all of it shown
    QCOMPARE(errorFields(check(o)), QString());
    o.displayVolume = dec("1.50000001");
    QCOMPARE(errorFields(check(o)), u"display"_s);
    o.displayVolume = dec("0.100000001"); // nine decimals
    QCOMPARE(errorFields(check(o)), u"display"_s);
    o.displayVolume = dec("0");
    QCOMPARE(errorFields(check(o)), u"display"_s);
}

void TestOrderValidation::trailingOffsets_data() {
    QTest::addColumn<QString>("offset");
    QTest::addColumn<QString>("limitOffset");
    QTest::addColumn<QString>("errors");
    QTest::newRow("absolute") << u"+50.0"_s << u"-10"_s << QString();
    QTest::newRow("percent") << u"+1.5%"_s << u"+0.5%"_s << QString();
    QTest::newRow("no plus sign") << u"50"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("minus sign") << u"-50"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("zero") << u"+0"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("two decimals") << u"+50.05"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("not a number") << u"+abc"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("over 100%") << u"+101%"_s << u"-10"_s << u"offset"_s;
    QTest::newRow("limit offset unsigned") << u"+50"_s << u"10"_s << u"limitoffset"_s;
    QTest::newRow("limit offset two decimals") << u"+50"_s << u"-0.05"_s << u"limitoffset"_s;
    QTest::newRow("limit offset zero") << u"+50"_s << u"+0"_s << QString();
}

void TestOrderValidation::trailingOffsets() {
    QFETCH(QString, offset);
    QFETCH(QString, limitOffset);
    QFETCH(QString, errors);
    OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = Side::Sell;
    o.orderType = u"trailing-stop-limit"_s;
    o.volume = dec("0.5");
    o.priceExpression = offset;
    o.price2Expression = limitOffset;
    const auto r = check(o);
    QVERIFY2(errorFields(r) == errors, qPrintable(dump(r)));
}

void TestOrderValidation::timeInForce() {
    auto o = limitBuy("0.5", "50000.0");
    for (const QString &tif : {u"GTC"_s, u"IOC"_s, QString()}) {
        o.timeInForce = tif;
        QCOMPARE(errorFields(check(o)), QString());
    }
    o.timeInForce = u"FOK?"_s;
    QCOMPARE(errorFields(check(o)), u"tif"_s);

    o.timeInForce = u"GTD"_s;
    QCOMPARE(errorFields(check(o)), u"expiry"_s); // no expiry given
    o.expireTime = QString::number(kNow / 1000 + 3600);
    QCOMPARE(errorFields(check(o)), QString());
    o.expireTime = u"+60"_s;
    QCOMPARE(errorFields(check(o)), QString());
    o.expireTime = QDateTime::fromMSecsSinceEpoch(kNow + 60'000, Qt::UTC).toString(Qt::ISODate);
    QCOMPARE(errorFields(check(o)), QString());
    o.expireTime = QString::number(kNow / 1000); // now is not the future
    QCOMPARE(errorFields(check(o)), u"expiry"_s);
    o.expireTime = QString::number(kNow / 1000 - 60);
    QCOMPARE(errorFields(check(o)), u"expiry"_s);
    o.expireTime = u"tomorrow"_s;
    QCOMPARE(errorFields(check(o)), u"expiry"_s);

    o.timeInForce = u"GTC"_s;
    o.expireTime = QString::number(kNow / 1000 + 3600);
    QCOMPARE(errorFields(check(o)), u"expiry"_s); // an expiry without GTD
}

void TestOrderValidation::postOnly() {
    auto o = limitBuy("0.5", "50000.0");
    o.oflags = {u"post"_s};
    QVERIFY2(check(o).issues.isEmpty(), qPrintable(dump(check(o))));
    o.orderType = u"iceberg"_s;
    o.displayVolume = dec("0.5");
    QCOMPARE(errorFields(check(o)), QString());

    o.orderType = u"market"_s;
    o.displayVolume.reset();
    o.price.reset();
    QCOMPARE(errorFields(check(o)), u"post"_s);

    o = limitBuy("0.5", "45000.0");
    o.orderType = u"stop-loss-limit"_s;
    o.price2 = dec("44900.0");
    o.oflags = {u"post"_s};
    QCOMPARE(errorFields(check(o)), u"post"_s);

    o = limitBuy("0.5", "50000.0");
    o.oflags = {u"post"_s};
    o.timeInForce = u"IOC"_s;
    QCOMPARE(errorFields(check(o)), u"post"_s);

    // Crossing the book: Kraken would reject it, but the book may move: a warning.
    o.timeInForce.clear();
    o.price = dec("50000.1");
    const auto r = check(o);
    QCOMPARE(errorFields(r), QString());
    QCOMPARE(warningFields(r), u"post"_s);
    QVERIFY2(r.warnings().first().message.contains(u"50000.1"_s), qPrintable(dump(r)));
}

void TestOrderValidation::quoteSized() {
    OrderRequest o;
    o.pair = u"BTC/USD"_s;
    o.side = Side::Buy;
    o.orderType = u"market"_s;
    o.volume = dec("100");
    o.oflags = {u"viqc"_s};
    QVERIFY2(check(o).issues.isEmpty(), qPrintable(dump(check(o))));

    o.volume = dec("0.5"); // exactly costmin
    QCOMPARE(errorFields(check(o)), QString());
    o.volume = dec("0.49999");
    QCOMPARE(errorFields(check(o)), u"qty"_s);
    o.volume = dec("1.000001"); // six decimals; USD cost has five
    QCOMPARE(errorFields(check(o)), u"qty"_s);

    o.volume = dec("100");
    o.side = Side::Sell;
    QCOMPARE(errorFields(check(o)), u"quote"_s);
    o.side = Side::Buy;
    o.orderType = u"limit"_s;
    o.price = dec("50000.0");
    QCOMPARE(errorFields(check(o)), u"quote"_s);
}

void TestOrderValidation::pairStatus() {
    // ADA/USD is recorded in post_only mode.
    const Instrument ada = instrument(u"ADAUSD"_s);
    QCOMPARE(ada.status(), u"post_only"_s);
    auto ctx = context();
    ctx.quote = {dec("0.350000"), dec("0.350100")};
    OrderRequest o;
    o.pair = u"ADA/USD"_s;
    o.orderType = u"limit"_s;
    o.volume = dec("100");
    o.price = dec("0.340000");
    QCOMPARE(errorFields(model::validateOrder(o, ada, ctx)), u"post"_s);
    o.oflags = {u"post"_s};
    QCOMPARE(errorFields(model::validateOrder(o, ada, ctx)), QString());

    const auto withStatus = [&](const QString &status) {
        return instrument(u"XXBTZUSD"_s, {{u"status"_s, status}});
    };
    const auto lim = limitBuy("0.5", "50000.0");
    OrderRequest mkt = lim;
    mkt.orderType = u"market"_s;
    mkt.price.reset();

    const Instrument cancelOnly = withStatus(u"cancel_only"_s);
    const auto r = model::validateOrder(lim, cancelOnly, context());
    QCOMPARE(errorFields(r), u"order"_s);
    QVERIFY2(r.errors().first().message.contains(u"cancel"_s), qPrintable(dump(r)));

    const Instrument limitOnly = withStatus(u"limit_only"_s);
    QCOMPARE(errorFields(model::validateOrder(lim, limitOnly, context())), QString());
    QCOMPARE(errorFields(model::validateOrder(mkt, limitOnly, context())), u"type"_s);
    OrderRequest stop = lim;
    stop.orderType = u"stop-loss"_s;
    QCOMPARE(errorFields(model::validateOrder(stop, limitOnly, context())), u"type"_s);

    const Instrument reduceOnly = withStatus(u"reduce_only"_s);
    QCOMPARE(errorFields(model::validateOrder(lim, reduceOnly, context())), u"reduce"_s);

    const Instrument maintenance = withStatus(u"maintenance"_s);
    QCOMPARE(errorFields(model::validateOrder(lim, maintenance, context())), u"order"_s);
}

void TestOrderValidation::reduceOnlyNeedsMargin() {
    auto o = limitBuy("0.5", "50000.0");
    o.reduceOnly = true;
    QCOMPARE(errorFields(check(o)), u"reduce"_s);
    o.leverage = u"2"_s;
    QCOMPARE(errorFields(check(o)), QString());
}

void TestOrderValidation::wrongPair() {
    auto o = limitBuy("0.5", "50000.0");
    o.pair = u"ETH/USD"_s;
    QCOMPARE(errorFields(check(o)), u"order"_s);
    o.pair.clear();
    QCOMPARE(errorFields(check(o)), u"order"_s);
    QCOMPARE(errorFields(model::validateOrder(limitBuy("0.5", "50000.0"), Instrument(), context())),
             u"order"_s);
}

void TestOrderValidation::notionalGuard() {
    auto ctx = context();
    ctx.guards.maxNotional = dec("10000");
    // 0.2 x 50000.0 = 10000.00000: at the limit, no warning.
    QVERIFY(check(limitBuy("0.2", "50000.0"), ctx).issues.isEmpty());
    // 0.20000001 x 50000.0 = 10000.00050: over.
    auto r = check(limitBuy("0.20000001", "50000.0"), ctx);
    QCOMPARE(errorFields(r), QString());
    QCOMPARE(warningFields(r), u"qty"_s);
    QVERIFY2(r.warnings().first().message.contains(u"10000.00050 USD"_s), qPrintable(dump(r)));
    QVERIFY2(r.warnings().first().message.contains(u"10000 USD"_s), qPrintable(dump(r)));

    // Market orders are measured at the taking side; with no book the guard cannot measure and
    // says so.
    OrderRequest m = limitBuy("1", "1");
    m.orderType = u"market"_s;
    m.price.reset();
    QCOMPARE(warningFields(check(m, ctx)), u"qty"_s);
    ctx.quote = {};
    r = check(m, ctx);
    QCOMPARE(warningFields(r), u"qty"_s);
    QVERIFY2(r.warnings().first().message.contains(u"No market price"_s), qPrintable(dump(r)));

    // Quote-sized: the amount typed is the notional.
    ctx = context();
    ctx.guards.maxNotional = dec("10000");
    m.volume = dec("10000.01");
    m.oflags = {u"viqc"_s};
    QCOMPARE(warningFields(check(m, ctx)), u"qty"_s);
    m.volume = dec("10000");
    QCOMPARE(warningFields(check(m, ctx)), QString());
}

void TestOrderValidation::priceDistanceGuard() {
    auto ctx = context(); // mid 50000.0
    ctx.guards.maxPriceDeviationPct = dec("5");
    // 10% above the mid with a 5% band.
    auto r = check(limitBuy("0.1", "55000.0"), ctx);
    QCOMPARE(errorFields(r), QString());
    QCOMPARE(warningFields(r), u"limit"_s);
    QVERIFY2(r.warnings().first().message.contains(u"10.00% above"_s), qPrintable(dump(r)));
    QVERIFY2(r.warnings().first().message.contains(u"5%"_s), qPrintable(dump(r)));
    // 10% below.
    r = check(limitBuy("0.1", "45000.0"), ctx);
    QCOMPARE(warningFields(r), u"limit"_s);
    QVERIFY2(r.warnings().first().message.contains(u"below"_s), qPrintable(dump(r)));
    // Exactly on the band edge (52500.0 = +5%): inside; one tick beyond: outside.
    QCOMPARE(warningFields(check(limitBuy("0.1", "52500.0"), ctx)), QString());
    QCOMPARE(warningFields(check(limitBuy("0.1", "52500.1"), ctx)), u"limit"_s);

    // Trigger and the limit of a stop-limit are both measured.
    OrderRequest s = limitBuy("0.1", "40000.0");
    s.side = Side::Sell;
    s.orderType = u"stop-loss-limit"_s;
    s.price2 = dec("39000.0");
    QCOMPARE(warningFields(check(s, ctx)), u"limit,trigger"_s);

    // Band off, or no book: nothing to say.
    ctx.guards.maxPriceDeviationPct = Decimal();
    QCOMPARE(warningFields(check(limitBuy("0.1", "55000.0"), ctx)), QString());
    ctx.guards.maxPriceDeviationPct = dec("5");
    ctx.quote = {};
    QCOMPARE(warningFields(check(limitBuy("0.1", "55000.0"), ctx)), QString());
}

void TestOrderValidation::guardsNeverBlock() {
    auto ctx = context();
    ctx.guards.maxNotional = dec("100");
    ctx.guards.maxPriceDeviationPct = dec("1");
    const auto r = check(limitBuy("1", "60000.0"), ctx);
    QVERIFY(r.hasWarnings());
    QVERIFY(!r.hasErrors());
    QCOMPARE(r.warnings().size(), 2);
}

void TestOrderValidation::estimateArithmetic() {
    const model::FeeRates fees; // 0.25 / 0.40
    const model::MarketQuote q{dec("49999.9"), dec("50000.1")};

    // Resting limit buy: maker.
    auto e = model::estimateOrder(limitBuy("0.5", "50000.0"), m_btc, q, fees);
    QCOMPARE(text(e.price), u"50000.0"_s);
    QCOMPARE(text(e.notional), u"25000.00000"_s);
    QVERIFY(e.maker);
    QCOMPARE(e.feePct.toString(), u"0.25"_s);
    QCOMPARE(text(e.fee), u"62.50000"_s);

    // Crossing the ask: taker.
    e = model::estimateOrder(limitBuy("0.5", "50000.1"), m_btc, q, fees);
    QVERIFY(!e.maker);
    QCOMPARE(text(e.notional), u"25000.05000"_s);
    QCOMPARE(text(e.fee), u"100.00020"_s);

    // Cost decimals round the notional (half even); the fee rounds up.
    // 0.00123 x 50000.1 = 61.500123 -> 61.50012; 0.4% = 0.24600048 -> 0.24601.
    e = model::estimateOrder(limitBuy("0.00123", "50000.1"), m_btc, q, fees);
    QCOMPARE(text(e.notional), u"61.50012"_s);
    QCOMPARE(text(e.fee), u"0.24601"_s);

    // Post-only is maker even with no book to compare.
    auto p = limitBuy("0.5", "50000.0");
    p.oflags = {u"post"_s};
    e = model::estimateOrder(p, m_btc, {}, fees);
    QVERIFY(e.maker);
    // Without a book a plain limit is assumed to take (the dearer estimate).
    e = model::estimateOrder(limitBuy("0.5", "50000.0"), m_btc, {}, fees);
    QVERIFY(!e.maker);
    QCOMPARE(text(e.fee), u"100.00000"_s);

    // Market sell: at the bid, taker.
    OrderRequest m = limitBuy("2", "1");
    m.side = Side::Sell;
    m.orderType = u"market"_s;
    m.price.reset();
    e = model::estimateOrder(m, m_btc, q, fees);
    QCOMPARE(text(e.price), u"49999.9"_s);
    QCOMPARE(text(e.notional), u"99999.80000"_s);
    QCOMPARE(text(e.fee), u"399.99920"_s);
    // No book: nothing to estimate.
    e = model::estimateOrder(m, m_btc, {}, fees);
    QVERIFY(!e.notional);
    QVERIFY(!e.fee);

    // Quote-sized market buy: 100 USD at the ask 50000.1 buys 0.00199999 BTC (rounded down).
    m.side = Side::Buy;
    m.volume = dec("100");
    m.oflags = {u"viqc"_s};
    e = model::estimateOrder(m, m_btc, q, fees);
    QCOMPARE(text(e.quantity), u"0.00199999"_s);
    QCOMPARE(text(e.notional), u"100.00000"_s);
    QCOMPARE(text(e.fee), u"0.40000"_s);

    // Stops: at the trigger; stop-limits: at the limit. Both taker.
    OrderRequest s = limitBuy("1", "45000.0");
    s.side = Side::Sell;
    s.orderType = u"stop-loss"_s;
    e = model::estimateOrder(s, m_btc, q, fees);
    QCOMPARE(text(e.notional), u"45000.00000"_s);
    QVERIFY(!e.maker);
    s.orderType = u"stop-loss-limit"_s;
    s.price2 = dec("44900.0");
    e = model::estimateOrder(s, m_btc, q, fees);
    QCOMPARE(text(e.notional), u"44900.00000"_s);
    QCOMPARE(text(e.fee), u"179.60000"_s);

    // Custom rates.
    model::FeeRates pro{dec("0"), dec("0.1")};
    e = model::estimateOrder(limitBuy("0.5", "50000.0"), m_btc, q, pro);
    QCOMPARE(text(e.fee), u"0.00000"_s);

    // The helper the ticket uses to turn a quote amount into base at a limit price.
    QCOMPARE(text(model::baseForQuote(dec("1000"), dec("30000.0"), m_btc)), u"0.03333333"_s);
    QVERIFY(!model::baseForQuote(dec("1000"), dec("0"), m_btc));

    // The same estimate comes out of validateOrder.
    QCOMPARE(text(check(limitBuy("0.5", "50000.0")).estimate.fee), u"62.50000"_s);
}

void TestOrderValidation::midPrice() {
    QCOMPARE(text(model::MarketQuote{dec("100.1"), dec("100.2")}.mid()), u"100.15"_s);
    QCOMPARE(text(model::MarketQuote{dec("100.1"), std::nullopt}.mid()), u"100.1"_s);
    QCOMPARE(text(model::MarketQuote{std::nullopt, dec("100.2")}.mid()), u"100.2"_s);
    QVERIFY(!model::MarketQuote{}.mid());
}

void TestOrderValidation::feeDefaultsMatchPaperAccount() {
    const auto sim = kraken::sim::SimConfig::builtIn();
    QVERIFY(!sim.accounts.isEmpty());
    const model::FeeRates fees;
    QCOMPARE(fees.makerPct, sim.accounts.first().makerFeePct);
    QCOMPARE(fees.takerPct, sim.accounts.first().takerFeePct);
    QCOMPARE(fees.makerPct.toString(), u"0.25"_s);
    QCOMPARE(fees.takerPct.toString(), u"0.40"_s);
}

void TestOrderValidation::describesOrderInWords() {
    auto o = limitBuy("0.5", "50000.0");
    o.oflags = {u"post"_s};
    QCOMPARE(model::describeOrder(o, m_btc),
             u"Buy 0.5 BTC on BTC/USD, limit 50000.0 USD, good till cancelled, post-only"_s);
    o = limitBuy("2", "45000.0");
    o.side = Side::Sell;
    o.orderType = u"stop-loss-limit"_s;
    o.price2 = dec("44900.0");
    o.trigger = u"index"_s;
    o.timeInForce = u"GTD"_s;
    o.expireTime = u"1700000000"_s;
    QCOMPARE(model::describeOrder(o, m_btc),
             u"Sell 2 BTC on BTC/USD, stop-loss-limit: limit 44900.0 USD once the index price "
             u"reaches 45000.0 USD, good till 2023-11-14 22:13 UTC"_s);
    OrderRequest m;
    m.pair = u"BTC/USD"_s;
    m.orderType = u"market"_s;
    m.volume = dec("100");
    m.oflags = {u"viqc"_s};
    m.validateOnly = true;
    QCOMPARE(model::describeOrder(m, m_btc),
             u"Buy BTC for 100 USD on BTC/USD at market, good till cancelled (validate only: "
             u"Kraken checks it, nothing is placed)"_s);
}

QTEST_GUILESS_MAIN(TestOrderValidation)
#include "tst_ordervalidation.moc"
