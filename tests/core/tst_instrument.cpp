// Instrument, InstrumentRegistry and normaliseAsset, against tests/data/assetpairs.json: an
// AssetPairs answer in Kraken's shape (legacy X/Z codes, plain newer keys, an unknown extra
// field, and one malformed entry).

#include "kraken/core/assetcodes.h"
#include "kraken/core/instrument.h"
#include "kraken/core/instrumentregistry.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Error;
using kraken::Instrument;
using kraken::InstrumentRegistry;
using testsupport::dec;

class TestInstrument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void registryContents();
    void malformedEntrySkipped();
    void symbols_data();
    void symbols();
    void lookup_data();
    void lookup();
    void lookupMisses();
    void precisionsAndMinimums_data();
    void precisionsAndMinimums();
    void formatting();
    void unknownFieldIgnored();
    void restKeyOutranksAnotherPairsAlias();
    void missingCostDecimalsFallsBack();
    void missingTickSizeFallsBack();
    void fieldErrors_data();
    void fieldErrors();
    void tradableStatus();
    void normaliseAsset_data();
    void normaliseAsset();

private:
    QJsonObject entry(const QString &restKey) const { return m_result.value(restKey).toObject(); }

    QJsonObject m_result; // the fixture's "result" object
    InstrumentRegistry m_registry;
    QStringList m_skipped;
};

void TestInstrument::initTestCase() {
    QString error;
    const QJsonObject doc =
        testsupport::readJsonObject(testsupport::testDataPath("assetpairs.json"), &error);
    QVERIFY2(!doc.isEmpty(), qPrintable(error));
    QVERIFY(doc.value(u"error"_s).toArray().isEmpty());
    m_result = doc.value(u"result"_s).toObject();
    QCOMPARE(m_result.size(), 8);
    m_registry = InstrumentRegistry::fromAssetPairs(m_result, &m_skipped);
}

void TestInstrument::registryContents() {
    // 8 entries, one malformed.
    QCOMPARE(m_registry.size(), 7);
    QVERIFY(!m_registry.isEmpty());
    QStringList symbols;
    const QList<Instrument> all = m_registry.all();
    for (const Instrument &in : all)
        symbols << in.symbol();
    // all() is in symbol order.
    QCOMPARE(symbols, QStringList({u"ADA/USD"_s, u"BTC/EUR"_s, u"BTC/USD"_s, u"DOGE/USD"_s,
                                   u"ETH/BTC"_s, u"ETH/USD"_s, u"SOL/USD"_s}));
}

void TestInstrument::malformedEntrySkipped() {
    // XLTCZUSD has "pair_decimals": "2" (a string): skipped, and the message says where.
    QCOMPARE(m_skipped.size(), 1);
    QVERIFY2(m_skipped.first().contains(u"XLTCZUSD"_s), qPrintable(m_skipped.first()));
    QVERIFY2(m_skipped.first().contains(u"pair_decimals"_s), qPrintable(m_skipped.first()));
    QCOMPARE(m_registry.find(u"XLTCZUSD"_s), nullptr);
    QCOMPARE(m_registry.find(u"LTC/USD"_s), nullptr);

    // Passing no list for the skipped entries is allowed and gives the same registry.
    const InstrumentRegistry quiet = InstrumentRegistry::fromAssetPairs(m_result);
    QCOMPARE(quiet.size(), m_registry.size());
}

void TestInstrument::symbols_data() {
    QTest::addColumn<QString>("restKey");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("quote");
    QTest::addColumn<QString>("baseCode");
    QTest::addColumn<QString>("quoteCode");
    QTest::addColumn<QString>("altname");
    QTest::addColumn<QString>("wsname");

    // Display symbols use BTC and DOGE as WS v2 does; the REST codes stay as Kraken sent them.
    QTest::newRow("XXBTZUSD") << u"XXBTZUSD"_s << u"BTC/USD"_s << u"BTC"_s << u"USD"_s << u"XXBT"_s
                              << u"ZUSD"_s << u"XBTUSD"_s << u"XBT/USD"_s;
    QTest::newRow("XETHXXBT") << u"XETHXXBT"_s << u"ETH/BTC"_s << u"ETH"_s << u"BTC"_s << u"XETH"_s
                              << u"XXBT"_s << u"ETHXBT"_s << u"ETH/XBT"_s;
    QTest::newRow("XETHZUSD") << u"XETHZUSD"_s << u"ETH/USD"_s << u"ETH"_s << u"USD"_s << u"XETH"_s
                              << u"ZUSD"_s << u"ETHUSD"_s << u"ETH/USD"_s;
    QTest::newRow("SOLUSD") << u"SOLUSD"_s << u"SOL/USD"_s << u"SOL"_s << u"USD"_s << u"SOL"_s
                            << u"ZUSD"_s << u"SOLUSD"_s << u"SOL/USD"_s;
    QTest::newRow("XXBTZEUR") << u"XXBTZEUR"_s << u"BTC/EUR"_s << u"BTC"_s << u"EUR"_s << u"XXBT"_s
                              << u"ZEUR"_s << u"XBTEUR"_s << u"XBT/EUR"_s;
    QTest::newRow("XDGUSD") << u"XDGUSD"_s << u"DOGE/USD"_s << u"DOGE"_s << u"USD"_s << u"XXDG"_s
                            << u"ZUSD"_s << u"XDGUSD"_s << u"XDG/USD"_s;
    QTest::newRow("ADAUSD") << u"ADAUSD"_s << u"ADA/USD"_s << u"ADA"_s << u"USD"_s << u"ADA"_s
                            << u"ZUSD"_s << u"ADAUSD"_s << u"ADA/USD"_s;
}

void TestInstrument::symbols() {
    QFETCH(QString, restKey);
    QFETCH(QString, symbol);
    QFETCH(QString, base);
    QFETCH(QString, quote);
    QFETCH(QString, baseCode);
    QFETCH(QString, quoteCode);
    QFETCH(QString, altname);
    QFETCH(QString, wsname);

    const Instrument *in = m_registry.find(restKey);
    QVERIFY(in);
    QCOMPARE(in->restKey(), restKey);
    QCOMPARE(in->symbol(), symbol);
    QCOMPARE(in->base(), base);
    QCOMPARE(in->quote(), quote);
    QCOMPARE(in->baseCode(), baseCode);
    QCOMPARE(in->quoteCode(), quoteCode);
    QCOMPARE(in->altname(), altname);
    QCOMPARE(in->wsname(), wsname);
}

void TestInstrument::lookup_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("restKey");

    const struct {
        const char *row;
        QString name;
        QString restKey;
    } rows[] = {
        {"BTC/USD symbol", u"BTC/USD"_s, u"XXBTZUSD"_s},
        {"BTC/USD wsname", u"XBT/USD"_s, u"XXBTZUSD"_s},
        {"BTC/USD altname", u"XBTUSD"_s, u"XXBTZUSD"_s},
        {"BTC/USD rest key", u"XXBTZUSD"_s, u"XXBTZUSD"_s},
        {"BTC/USD lower symbol", u"btc/usd"_s, u"XXBTZUSD"_s},
        {"BTC/USD lower wsname", u"xbt/usd"_s, u"XXBTZUSD"_s},
        {"BTC/USD lower altname", u"xbtusd"_s, u"XXBTZUSD"_s},
        {"BTC/USD lower rest key", u"xxbtzusd"_s, u"XXBTZUSD"_s},
        {"BTC/USD mixed case", u"Btc/Usd"_s, u"XXBTZUSD"_s},
        {"ETH/BTC symbol", u"ETH/BTC"_s, u"XETHXXBT"_s},
        {"ETH/BTC wsname", u"ETH/XBT"_s, u"XETHXXBT"_s},
        {"ETH/BTC altname", u"ETHXBT"_s, u"XETHXXBT"_s},
        {"ETH/BTC rest key", u"XETHXXBT"_s, u"XETHXXBT"_s},
        {"ETH/BTC lower", u"eth/btc"_s, u"XETHXXBT"_s},
        {"ETH/USD symbol", u"ETH/USD"_s, u"XETHZUSD"_s},
        {"ETH/USD altname", u"ETHUSD"_s, u"XETHZUSD"_s},
        {"DOGE/USD symbol", u"DOGE/USD"_s, u"XDGUSD"_s},
        {"DOGE/USD wsname", u"XDG/USD"_s, u"XDGUSD"_s},
        {"DOGE/USD rest key", u"XDGUSD"_s, u"XDGUSD"_s},
        {"DOGE/USD lower", u"doge/usd"_s, u"XDGUSD"_s},
        {"SOL/USD symbol", u"SOL/USD"_s, u"SOLUSD"_s},
        {"SOL/USD rest key", u"SOLUSD"_s, u"SOLUSD"_s},
        {"SOL/USD lower", u"sol/usd"_s, u"SOLUSD"_s},
        {"BTC/EUR symbol", u"BTC/EUR"_s, u"XXBTZEUR"_s},
        {"BTC/EUR wsname", u"XBT/EUR"_s, u"XXBTZEUR"_s},
        {"BTC/EUR altname", u"XBTEUR"_s, u"XXBTZEUR"_s},
        {"ADA/USD symbol", u"ADA/USD"_s, u"ADAUSD"_s},
    };
    for (const auto &r : rows)
        QTest::newRow(r.row) << r.name << r.restKey;
}

void TestInstrument::lookup() {
    QFETCH(QString, name);
    QFETCH(QString, restKey);
    const Instrument *in = m_registry.find(name);
    QVERIFY2(in, qPrintable(name));
    QCOMPARE(in->restKey(), restKey);
}

void TestInstrument::lookupMisses() {
    QCOMPARE(m_registry.find(QString()), nullptr);
    QCOMPARE(m_registry.find(u"BTC/JPY"_s), nullptr);
    QCOMPARE(m_registry.find(u"BTCUSD/"_s), nullptr);
    QCOMPARE(m_registry.find(u"USD/BTC"_s), nullptr); // the inverse is not the same pair
    // An empty registry finds nothing.
    const InstrumentRegistry empty;
    QVERIFY(empty.isEmpty());
    QCOMPARE(empty.find(u"BTC/USD"_s), nullptr);
}

void TestInstrument::precisionsAndMinimums_data() {
    QTest::addColumn<QString>("restKey");
    QTest::addColumn<int>("pairDecimals");
    QTest::addColumn<int>("lotDecimals");
    QTest::addColumn<int>("costDecimals");
    QTest::addColumn<QByteArray>("tickSize");
    QTest::addColumn<QByteArray>("orderMin");
    QTest::addColumn<QByteArray>("costMin");

    // Straight from the fixture's fields; the decimals must be exact, not doubles.
    QTest::newRow("XXBTZUSD") << u"XXBTZUSD"_s << 1 << 8 << 5 << "0.1"_ba
                              << "0.00005"_ba
                              << "0.5"_ba;
    QTest::newRow("XETHXXBT") << u"XETHXXBT"_s << 5 << 8 << 10 << "0.00001"_ba
                              << "0.002"_ba
                              << "0.00002"_ba;
    QTest::newRow("XETHZUSD") << u"XETHZUSD"_s << 2 << 8 << 5 << "0.01"_ba
                              << "0.002"_ba
                              << "0.5"_ba;
    QTest::newRow("SOLUSD") << u"SOLUSD"_s << 2 << 8 << 5 << "0.01"_ba
                            << "0.02"_ba
                            << "0.5"_ba;
    QTest::newRow("XXBTZEUR") << u"XXBTZEUR"_s << 1 << 8 << 5 << "0.1"_ba
                              << "0.00005"_ba
                              << "0.45"_ba;
    QTest::newRow("XDGUSD") << u"XDGUSD"_s << 7 << 8 << 5 << "0.0000001"_ba
                            << "13"_ba
                            << "0.5"_ba;
}

void TestInstrument::precisionsAndMinimums() {
    QFETCH(QString, restKey);
    QFETCH(int, pairDecimals);
    QFETCH(int, lotDecimals);
    QFETCH(int, costDecimals);
    QFETCH(QByteArray, tickSize);
    QFETCH(QByteArray, orderMin);
    QFETCH(QByteArray, costMin);

    const Instrument *in = m_registry.find(restKey);
    QVERIFY(in);
    QCOMPARE(in->pairDecimals(), pairDecimals);
    QCOMPARE(in->lotDecimals(), lotDecimals);
    QCOMPARE(in->costDecimals(), costDecimals);
    // identical(): same digits and same scale as the wire text.
    QVERIFY2(in->tickSize().identical(dec(tickSize.toStdString())),
             qPrintable(in->tickSize().toString()));
    QVERIFY2(in->orderMin().identical(dec(orderMin.toStdString())),
             qPrintable(in->orderMin().toString()));
    QVERIFY2(in->costMin().identical(dec(costMin.toStdString())),
             qPrintable(in->costMin().toString()));
}

void TestInstrument::formatting() {
    const Instrument *btc = m_registry.find(u"BTC/USD"_s);
    QVERIFY(btc);
    // Prices at pair_decimals (1), quantities at lot_decimals (8).
    QCOMPARE(btc->formatPrice(dec("45281")), u"45281.0"_s);
    QCOMPARE(btc->formatPrice(dec("45285.26")), u"45285.3"_s);
    QCOMPARE(btc->formatPrice(dec("45285.2")), u"45285.2"_s);
    QCOMPARE(btc->formatQty(dec("0.1")), u"0.10000000"_s);
    QCOMPARE(btc->formatQty(dec("1.54571953")), u"1.54571953"_s);

    const Instrument *doge = m_registry.find(u"DOGE/USD"_s);
    QVERIFY(doge);
    QCOMPARE(doge->formatPrice(dec("0.1234")), u"0.1234000"_s);
    QCOMPARE(doge->formatQty(dec("13")), u"13.00000000"_s);

    const Instrument *ethBtc = m_registry.find(u"ETH/BTC"_s);
    QVERIFY(ethBtc);
    QCOMPARE(ethBtc->formatPrice(dec("0.05")), u"0.05000"_s);

    // A price on the tick passes validation, one between ticks does not.
    QVERIFY(dec("45285.2").isMultipleOf(btc->tickSize()));
    QVERIFY(!dec("45285.25").isMultipleOf(btc->tickSize()));
}

void TestInstrument::unknownFieldIgnored() {
    // ADAUSD carries execution_venue and an invented x_future_field: still parsed.
    const Instrument *ada = m_registry.find(u"ADAUSD"_s);
    QVERIFY(ada);
    QCOMPARE(ada->pairDecimals(), 6);
    QCOMPARE(ada->status(), u"post_only"_s);
    QVERIFY(ada->tickSize().identical(dec("0.000001")));
}

void TestInstrument::restKeyOutranksAnotherPairsAlias() {
    // "AAA/USD" sorts first and uses "ZZZUSD" as its altname; "ZZZUSD" is also the REST key
    // of another pair. The REST key must find its own pair whatever the insertion order.
    QJsonObject first = entry(u"XXBTZUSD"_s);
    first.insert(u"altname"_s, u"ZZZUSD"_s);
    first.insert(u"wsname"_s, u"AAA/USD"_s);
    QJsonObject second = entry(u"SOLUSD"_s);
    second.insert(u"altname"_s, u"ZZZUSDALT"_s);
    second.insert(u"wsname"_s, u"ZZZ/USD"_s);
    const auto reg = InstrumentRegistry::fromAssetPairs(
        QJsonObject{{u"AAAUSD"_s, first}, {u"ZZZUSD"_s, second}});
    QCOMPARE(reg.size(), 2);
    QVERIFY(reg.find(u"ZZZUSD"_s));
    QCOMPARE(reg.find(u"ZZZUSD"_s)->symbol(), u"ZZZ/USD"_s);
    QCOMPARE(reg.find(u"AAAUSD"_s)->symbol(), u"AAA/USD"_s);
    // Inserting one by one gives the same answer.
    InstrumentRegistry incremental;
    incremental.insert(*reg.find(u"AAAUSD"_s));
    incremental.insert(*reg.find(u"ZZZUSD"_s));
    QCOMPARE(incremental.find(u"ZZZUSD"_s)->symbol(), u"ZZZ/USD"_s);
}

void TestInstrument::missingCostDecimalsFallsBack() {
    // Older AssetPairs answers have no cost_decimals: cost then uses the price precision.
    QJsonObject pair = entry(u"XXBTZUSD"_s);
    QVERIFY(pair.contains(u"cost_decimals"_s));
    pair.remove(u"cost_decimals"_s);
    const auto r = Instrument::fromAssetPair(u"XXBTZUSD"_s, pair);
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QCOMPARE(r->costDecimals(), 1);
    QCOMPARE(r->pairDecimals(), 1);
}

void TestInstrument::missingTickSizeFallsBack() {
    // Without tick_size the price precision implies it: one unit in the last place.
    QJsonObject pair = entry(u"XETHXXBT"_s);
    pair.remove(u"tick_size"_s);
    const auto r = Instrument::fromAssetPair(u"XETHXXBT"_s, pair);
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QCOMPARE(r->tickSize(), dec("0.00001"));
}

void TestInstrument::fieldErrors_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // undefined: remove the field

    QTest::newRow("altname missing") << u"altname"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("base missing") << u"base"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("quote missing") << u"quote"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("pair_decimals string") << u"pair_decimals"_s << QJsonValue(u"1"_s);
    QTest::newRow("pair_decimals missing")
        << u"pair_decimals"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("pair_decimals negative") << u"pair_decimals"_s << QJsonValue(-1);
    QTest::newRow("pair_decimals fractional") << u"pair_decimals"_s << QJsonValue(1.5);
    QTest::newRow("lot_decimals too large") << u"lot_decimals"_s << QJsonValue(19);
    QTest::newRow("lot_decimals null") << u"lot_decimals"_s << QJsonValue(QJsonValue::Null);
    QTest::newRow("cost_decimals string") << u"cost_decimals"_s << QJsonValue(u"5"_s);
    QTest::newRow("tick_size as number") << u"tick_size"_s << QJsonValue(0.1);
    QTest::newRow("tick_size garbage") << u"tick_size"_s << QJsonValue(u"0,1"_s);
    QTest::newRow("ordermin negative") << u"ordermin"_s << QJsonValue(u"-0.00005"_s);
    QTest::newRow("costmin not a number") << u"costmin"_s << QJsonValue(u"half"_s);
}

void TestInstrument::fieldErrors() {
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);

    QJsonObject pair = entry(u"XXBTZUSD"_s);
    if (value.isUndefined())
        pair.remove(field);
    else
        pair.insert(field, value);
    const auto r = Instrument::fromAssetPair(u"XXBTZUSD"_s, pair);
    QVERIFY2(!r.ok(), qPrintable(u"accepted "_s + field));
    QCOMPARE(r.error().category(), Error::Category::Parse);
    // The message names the entry and the field (base and quote share one message).
    const QString message = r.error().message();
    QVERIFY2(message.contains(u"XXBTZUSD"_s), qPrintable(message));
    QVERIFY2(message.contains(field), qPrintable(message));
}

void TestInstrument::tradableStatus() {
    auto withStatus = [this](const QJsonValue &status) {
        QJsonObject pair = entry(u"XXBTZUSD"_s);
        if (status.isUndefined())
            pair.remove(u"status"_s);
        else
            pair.insert(u"status"_s, status);
        return Instrument::fromAssetPair(u"XXBTZUSD"_s, pair);
    };
    QVERIFY(withStatus(u"online"_s)->isTradable());
    QVERIFY(withStatus(u"post_only"_s)->isTradable());
    QVERIFY(withStatus(u"limit_only"_s)->isTradable());
    QVERIFY(!withStatus(u"cancel_only"_s)->isTradable());
    QVERIFY(!withStatus(u"reduce_only"_s)->isTradable());
    QVERIFY(!withStatus(u"delisted"_s)->isTradable());
    QVERIFY(!withStatus(u"maintenance"_s)->isTradable());
    // No status field at all (older answers): assumed online.
    QCOMPARE(withStatus(QJsonValue(QJsonValue::Undefined))->status(), u"online"_s);
}

void TestInstrument::normaliseAsset_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("display");

    QTest::newRow("XXBT") << u"XXBT"_s << u"BTC"_s;
    QTest::newRow("XBT") << u"XBT"_s << u"BTC"_s;
    QTest::newRow("ZUSD") << u"ZUSD"_s << u"USD"_s;
    QTest::newRow("ZEUR") << u"ZEUR"_s << u"EUR"_s;
    QTest::newRow("XETH") << u"XETH"_s << u"ETH"_s;
    QTest::newRow("XXDG") << u"XXDG"_s << u"DOGE"_s;
    QTest::newRow("XDG") << u"XDG"_s << u"DOGE"_s;
    QTest::newRow("XLTC") << u"XLTC"_s << u"LTC"_s;
    QTest::newRow("SOL") << u"SOL"_s << u"SOL"_s;
    QTest::newRow("USDT") << u"USDT"_s << u"USDT"_s;
    QTest::newRow("lower case") << u"xxbt"_s << u"BTC"_s;
    // Newer assets whose names merely start with X or Z keep them: no blind prefix strip.
    QTest::newRow("XTZ") << u"XTZ"_s << u"XTZ"_s;
    QTest::newRow("ZRX") << u"ZRX"_s << u"ZRX"_s;
    QTest::newRow("XRP plain") << u"XRP"_s << u"XRP"_s;
    QTest::newRow("XXRP") << u"XXRP"_s << u"XRP"_s;
}

void TestInstrument::normaliseAsset() {
    QFETCH(QString, code);
    QFETCH(QString, display);
    QCOMPARE(kraken::normaliseAsset(code), display);
}

QTEST_GUILESS_MAIN(TestInstrument)
#include "tst_instrument.moc"
