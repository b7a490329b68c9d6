// SimConfig: the built-in paper market is valid Kraken data, and the JSON config is read
// exactly, with clear errors for what it cannot use.

#include "kraken/sim/simconfig.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken::sim;

namespace {

const char *const OnePairConfig = R"({
  "seed": 42,
  "pairs": [{"key": "XXBTZUSD", "start_price": "30000.0", "asset_pair": {
     "altname": "XBTUSD", "wsname": "XBT/USD", "base": "XXBT", "quote": "ZUSD",
     "pair_decimals": 1, "lot_decimals": 8, "cost_decimals": 5, "ordermin": "0.0001",
     "costmin": "0.5", "tick_size": "0.1", "status": "online"}}],
  "accounts": [{"id": "alice", "api_key": "k1", "secret": "c2VjcmV0", "tier": "pro",
                "maker_fee_pct": "0.16", "taker_fee_pct": "0.26",
                "balances": {"USD": "2500.50", "BTC": "0.1"}}]
})";

const char *const OffTickConfig = R"({"pairs": [{"key": "XXBTZUSD", "start_price": "30000.05",
  "asset_pair": {"altname": "XBTUSD", "wsname": "XBT/USD", "base": "XXBT", "quote": "ZUSD",
  "pair_decimals": 1, "lot_decimals": 8, "ordermin": "0.0001", "tick_size": "0.1"}}]})";

const char *const Case0 = R"({"seed": -1})";
const char *const Case1 = R"({"accounts": [{"id": "x"}]})";
const char *const Case2 = R"({"accounts": [{"id":"x","api_key":"k","secret":"s",
                              "balances":{"USD":"-5"}}]})";
const char *const Case3 = R"({"pairs": []})";

} // namespace

class TestSimConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtInIsValidKrakenData() {
        const SimConfig c = SimConfig::builtIn();
        const QStringList expected{u"BTC/USD"_s, u"ETH/USD"_s, u"SOL/USD"_s, u"ETH/BTC"_s,
                                   u"BTC/EUR"_s, u"XRP/USD"_s, u"DOGE/USD"_s};
        QStringList symbols;
        for (const SimPair &p : c.pairs) {
            symbols.append(p.instrument.symbol());
            QVERIFY(p.startPrice.isMultipleOf(p.priceIncrement));
            QCOMPARE(p.pricePrecision, p.assetPair[u"pair_decimals"_s].toInt());
            QCOMPARE(p.qtyPrecision, p.assetPair[u"lot_decimals"_s].toInt());
            QVERIFY(c.assetByDisplay(p.instrument.base()));
            QVERIFY(c.assetByDisplay(p.instrument.quote()));
        }
        QCOMPARE(symbols, expected);
        QCOMPARE(c.pairByAnyName(u"XXBTZUSD")->instrument.symbol(), u"BTC/USD"_s);
        QCOMPARE(c.pairByAnyName(u"XBTUSD")->restKey, u"XXBTZUSD"_s);
        QCOMPARE(c.pairByAnyName(u"XDG/USD")->instrument.symbol(), u"DOGE/USD"_s);
        QCOMPARE(c.pairByAnyName(u"NOPE/USD"), nullptr);

        QCOMPARE(c.accounts.size(), 1);
        const SimAccount &a = c.accounts.first();
        QCOMPARE(QByteArray::fromBase64(a.secret.toLatin1()).size(), 64); // HMAC-SHA512 key
        QCOMPARE(a.balances.value(u"USD"_s).toString(), u"100000.0000"_s);
        QCOMPARE(c.accountByKey(a.apiKey), &a);
        QCOMPARE(c.accountByKey(u"other"), nullptr);
        // The same defaults every start: scripts and docs can rely on the paper key.
        QCOMPARE(SimConfig::builtIn().accounts.first().apiKey, a.apiKey);
    }

    void fromJsonReadsEveryField() {
        const auto c = SimConfig::fromJson(QByteArray(OnePairConfig));
        QVERIFY2(c, qPrintable(c.error().message()));
        QCOMPARE(c->seed, 42u);
        QCOMPARE(c->pairs.size(), 1);
        QCOMPARE(c->pairs.first().startPrice.toString(), u"30000.0"_s);
        QCOMPARE(c->pairs.first().instrument.orderMin().toString(), u"0.0001"_s);
        QCOMPARE(c->assets.size(), SimConfig::builtIn().assets.size()); // kept from defaults
        const SimAccount &a = c->accounts.first();
        QCOMPARE(a.id, u"alice"_s);
        QCOMPARE(a.tier, kraken::VerificationTier::Pro);
        QCOMPARE(a.makerFeePct.toString(), u"0.16"_s);
        QCOMPARE(a.balances.value(u"USD"_s).toString(), u"2500.50"_s);
    }

    void fromJsonRejectsWhatItCannotUse_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("why");
        QTest::newRow("not json") << QByteArray("{nope") << u"not a JSON object"_s;
        QTest::newRow("negative seed") << QByteArray(Case0) << u"seed"_s;
        QTest::newRow("off tick") << QByteArray(OffTickConfig) << u"multiple of tick_size"_s;
        QTest::newRow("account") << QByteArray(Case1) << u"needs id, api_key, secret"_s;
        QTest::newRow("balance") << QByteArray(Case2) << u"balance of USD"_s;
        QTest::newRow("empty") << QByteArray(Case3) << u"at least one pair"_s;
    }
    void fromJsonRejectsWhatItCannotUse() {
        QFETCH(QByteArray, json);
        QFETCH(QString, why);
        const auto c = SimConfig::fromJson(json);
        QVERIFY(!c);
        QVERIFY2(c.error().message().contains(why), qPrintable(c.error().message()));
    }
};

QTEST_GUILESS_MAIN(TestSimConfig)
#include "tst_simconfig.moc"
