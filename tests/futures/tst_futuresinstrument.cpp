// FuturesInstrument and its registry from a hand-written /instruments answer in the
// documented shape: kinds from the prefix, exact Decimal text, margin tiers of both kinds,
// maturities, case-insensitive lookup, and malformed entries rejected with the field named.

#include "kraken/futures/futuresrestparsers.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kraken;
using namespace kraken::futures;

namespace {

const char *const InstrumentsJson = R"({"result":"success","instruments":[
 {"symbol":"PF_XBTUSD","type":"flexible_futures","tradeable":true,"tag":"perpetual",
  "pair":"BTC:USD","base":"BTC","quote":"USD","underlying":"rr_xbtusd",
  "tickSize":0.5,"contractSize":1,"impactMidSize":1,"maxPositionSize":1000000,
  "openingDate":"2022-01-01T00:00:00.000Z","contractValueTradePrecision":4,
  "marginLevels":[{"numNonContractUnits":0,"initialMargin":0.02,"maintenanceMargin":0.01},
                  {"numNonContractUnits":500000,"initialMargin":0.04,"maintenanceMargin":0.020}],
  "fundingRateCoefficient":8,"maxRelativeFundingRate":0.001,"postOnly":false},
 {"symbol":"PI_XBTUSD","type":"futures_inverse","tradeable":true,"tag":"perpetual",
  "underlying":"rr_xbtusd","tickSize":0.5,"contractSize":1,"maxPositionSize":1000000,
  "marginLevels":[{"contracts":0,"initialMargin":0.02,"maintenanceMargin":0.01}],
  "fundingRateCoefficient":8,"maxRelativeFundingRate":0.001,"contractValueTradePrecision":0},
 {"symbol":"FI_XBTUSD_240628","type":"futures_inverse","tradeable":true,"tag":"quarter",
  "underlying":"rr_xbtusd","lastTradingTime":"2024-06-28T15:00:00.000Z","tickSize":0.5,
  "contractSize":1,"marginLevels":[]},
 {"symbol":"FF_XBTUSD_240628","type":"flexible_futures","tradeable":false,"tag":"quarter",
  "lastTradingTime":"2024-06-28T15:00:00Z","tickSize":1e-10,"contractSize":1,
  "contractValueTradePrecision":-3,"postOnly":true},
 {"symbol":"in_xbtusd","type":"spot index","tradeable":false}
]})";

} // namespace

class TestFuturesInstrument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryKind();
    void registryIgnoresCase();
    void validatesPricesAndSizes();
    void rejectsMalformedEntries();
};

void TestFuturesInstrument::parsesEveryKind() {
    const auto root = JsonNode::parse(QByteArray(InstrumentsJson));
    QVERIFY(root);
    const auto reg = parse::instruments(*root);
    QVERIFY2(reg, qPrintable(reg.error().toString()));
    QCOMPARE(reg->size(), 5);

    const FuturesInstrument *pf = reg->find(u"PF_XBTUSD");
    QVERIFY(pf);
    QCOMPARE(pf->kind(), FuturesInstrument::Kind::PerpetualLinear);
    QCOMPARE(pf->type(), u"flexible_futures"_s);
    QVERIFY(pf->isPerpetual() && pf->isLinear() && !pf->isInverse());
    QCOMPARE(pf->tickSize().toString(), u"0.5"_s);
    QCOMPARE(pf->contractSize().toString(), u"1"_s);
    QCOMPARE(pf->contractValuePrecision().value(), 4);
    QCOMPARE(pf->sizeIncrement().toString(), u"0.0001"_s);
    QCOMPARE(pf->maxPositionSize()->toString(), u"1000000"_s);
    QCOMPARE(pf->impactMidSize()->toString(), u"1"_s);
    QCOMPARE(pf->fundingRateCoefficient()->toString(), u"8"_s);
    QCOMPARE(pf->maxRelativeFundingRate()->toString(), u"0.001"_s);
    QCOMPARE(pf->openingDate(), QDateTime(QDate(2022, 1, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(!pf->lastTradingTime().isValid());
    QCOMPARE(pf->marginLevels().size(), 2);
    QVERIFY(pf->marginLevels()[1].inNonContractUnits);
    QCOMPARE(pf->marginLevels()[1].threshold.toString(), u"500000"_s);
    QCOMPARE(pf->marginLevels()[1].maintenanceMargin.toString(), u"0.020"_s);
    QCOMPARE(pf->base(), u"BTC"_s);
    QCOMPARE(pf->displayName(), u"PF_BTCUSD"_s);
    QCOMPARE(pf->symbol(), u"PF_XBTUSD"_s);

    const FuturesInstrument *pi = reg->find(u"PI_XBTUSD");
    QCOMPARE(pi->kind(), FuturesInstrument::Kind::PerpetualInverse);
    QVERIFY(pi->isInverse());
    QVERIFY(!pi->marginLevels()[0].inNonContractUnits);
    QCOMPARE(pi->sizeIncrement().toString(), u"1"_s);

    const FuturesInstrument *fi = reg->find(u"FI_XBTUSD_240628");
    QCOMPARE(fi->kind(), FuturesInstrument::Kind::FixedInverse);
    QVERIFY(!fi->isPerpetual());
    QCOMPARE(fi->lastTradingTime(), QDateTime(QDate(2024, 6, 28), QTime(15, 0), Qt::UTC));

    const FuturesInstrument *ff = reg->find(u"FF_XBTUSD_240628");
    QCOMPARE(ff->kind(), FuturesInstrument::Kind::FixedLinear);
    QCOMPARE(ff->tickSize().toString(), u"0.0000000001"_s);
    QCOMPARE(ff->priceDecimals(), 10);
    QCOMPARE(ff->sizeIncrement().toString(), u"1000"_s);
    QVERIFY(!ff->isTradeable());
    QVERIFY(ff->isPostOnly());
    QCOMPARE(ff->lastTradingTime(), QDateTime(QDate(2024, 6, 28), QTime(15, 0), Qt::UTC));

    QCOMPARE(reg->find(u"IN_XBTUSD")->kind(), FuturesInstrument::Kind::Index);
}

void TestFuturesInstrument::registryIgnoresCase() {
    const auto reg = parse::instruments(*JsonNode::parse(QByteArray(InstrumentsJson)));
    QVERIFY(reg->find(u"pi_xbtusd"));
    QVERIFY(reg->find(u" fi_xbtusd_240628 "));
    QCOMPARE(reg->find(u"pf_XbtUsd")->symbol(), u"PF_XBTUSD"_s);
    QVERIFY(!reg->find(u"PF_ETHUSD"));
}

void TestFuturesInstrument::validatesPricesAndSizes() {
    const auto reg = parse::instruments(*JsonNode::parse(QByteArray(InstrumentsJson)));
    const FuturesInstrument *pf = reg->find(u"PF_XBTUSD");
    QVERIFY(pf->isValidPrice(*Decimal::fromString("65000.5")));
    QVERIFY(!pf->isValidPrice(*Decimal::fromString("65000.25")));
    QVERIFY(pf->isValidSize(*Decimal::fromString("0.0001")));
    QVERIFY(!pf->isValidSize(*Decimal::fromString("0.00015")));
    const FuturesInstrument *ff = reg->find(u"FF_XBTUSD_240628");
    QVERIFY(ff->isValidSize(*Decimal::fromString("3000")));
    QVERIFY(!ff->isValidSize(*Decimal::fromString("1500")));
}

void TestFuturesInstrument::rejectsMalformedEntries() {
    const auto noTick = parse::instruments(*JsonNode::parse(
        R"({"result":"success","instruments":[{"symbol":"PF_X","tradeable":true,"contractSize":1}]})"));
    QVERIFY(!noTick);
    QCOMPARE(noTick.error().category(), Error::Category::Parse);
    QVERIFY(noTick.error().message().contains(u"tickSize"_s));
    const auto badLevel = parse::instruments(*JsonNode::parse(
        R"({"result":"success","instruments":[{"symbol":"PF_X","tickSize":1,"contractSize":1,
            "marginLevels":[{"initialMargin":0.1,"maintenanceMargin":0.05}]}]})"));
    QVERIFY(!badLevel);
    QVERIFY(badLevel.error().message().contains(u"marginLevels"_s));
    QVERIFY(!parse::instruments(*JsonNode::parse(R"({"result":"success"})")));
}

QTEST_GUILESS_MAIN(TestFuturesInstrument)
#include "tst_futuresinstrument.moc"
