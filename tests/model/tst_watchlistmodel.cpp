// WatchlistModel under QAbstractItemModelTester: pairs sorted by symbol, tickers applied in
// one dataChanged per batch spanning exactly the rows that changed, text at the instrument's
// precision, numeric sort keys, direction, and tickers kept across a reload.

#include "kraken/core/instrument.h"
#include "model/watchlistmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using model::TickerRow;
using model::WatchlistModel;

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

kraken::Instrument instrument(const char *key, const char *alt, const char *ws, const char *base,
                              const char *quote, int pairDecimals, int lotDecimals) {
    const QJsonObject o{
        {u"altname"_s, QString::fromLatin1(alt)}, {u"wsname"_s, QString::fromLatin1(ws)},
        {u"base"_s, QString::fromLatin1(base)},   {u"quote"_s, QString::fromLatin1(quote)},
        {u"pair_decimals"_s, pairDecimals},       {u"lot_decimals"_s, lotDecimals}};
    auto r = kraken::Instrument::fromAssetPair(QString::fromLatin1(key), o);
    Q_ASSERT(r.ok());
    return *r;
}

// Deliberately not in symbol order.
QList<kraken::Instrument> instruments() {
    return {instrument("XETHZUSD", "ETHUSD", "ETH/USD", "XETH", "ZUSD", 2, 8),
            instrument("XXBTZUSD", "XBTUSD", "XBT/USD", "XXBT", "ZUSD", 1, 8),
            instrument("XDGUSD", "XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8),
            instrument("XXBTZEUR", "XBTEUR", "XBT/EUR", "XXBT", "ZEUR", 1, 8),
            instrument("SOLUSD", "SOLUSD", "SOL/USD", "SOL", "ZUSD", 2, 8)};
}

TickerRow ticker(const char *symbol, const char *last, const char *bid, const char *ask,
                 const char *volume, const char *changePct) {
    return TickerRow{
        QString::fromLatin1(symbol), dec(last), dec(bid), dec(ask), dec(volume), dec(changePct)};
}

} // namespace

class TestWatchlistModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsSortedBySymbol();
    void tickersOneDataChangedPerBatch();
    void displayTextAndRoles();
    void reloadKeepsTickers();
};

void TestWatchlistModel::rowsSortedBySymbol() {
    WatchlistModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.setInstruments(instruments());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(m.columnCount(), int(WatchlistModel::ColumnCount));
    const QStringList expected{u"BTC/EUR"_s, u"BTC/USD"_s, u"DOGE/USD"_s, u"ETH/USD"_s,
                               u"SOL/USD"_s};
    for (int row = 0; row < expected.size(); ++row) {
        QCOMPARE(m.index(row, WatchlistModel::Symbol).data().toString(), expected.at(row));
        QCOMPARE(m.index(row, 0).data(WatchlistModel::SymbolRole).toString(), expected.at(row));
        QCOMPARE(m.rowOf(expected.at(row)), row);
        // Nothing known yet: numbers are blank, not zero.
        QCOMPARE(m.index(row, WatchlistModel::Last).data().toString(), QString());
    }
    QCOMPARE(m.rowOf(u"NOPE/USD"_s), -1);
    QCOMPARE(m.headerData(WatchlistModel::ChangePct, Qt::Horizontal).toString(), u"24h %"_s);
}

void TestWatchlistModel::tickersOneDataChangedPerBatch() {
    WatchlistModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setInstruments(instruments());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);

    // BTC/USD (row 1) and ETH/USD (row 3), plus a pair the list does not hold.
    m.applyTickers({ticker("ETH/USD", "3500.25", "3500.20", "3500.30", "10.5", "-0.5"),
                    ticker("NOPE/USD", "1", "1", "1", "1", "1"),
                    ticker("BTC/USD", "95000.1", "95000.0", "95000.3", "1234.56789", "1.234")});
    QCOMPARE(changed.count(), 1);
    const auto tl = changed.at(0).at(0).value<QModelIndex>();
    const auto br = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(tl.row(), 1);
    QCOMPARE(tl.column(), 0);
    QCOMPARE(br.row(), 3);
    QCOMPARE(br.column(), int(WatchlistModel::ColumnCount) - 1);

    // One pair: the range is that row only.
    m.applyTickers({ticker("SOL/USD", "150.10", "150.05", "150.15", "1000", "0")});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 4);
    QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 4);

    // Nothing to show: no signal at all.
    m.applyTickers({});
    m.applyTickers({ticker("NOPE/USD", "1", "1", "1", "1", "1")});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(reset.count(), 0);
}

void TestWatchlistModel::displayTextAndRoles() {
    WatchlistModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setInstruments(instruments());
    m.applyTickers({ticker("BTC/USD", "95000.1", "95000.0", "95000.3", "1234.56789", "1.234"),
                    ticker("ETH/USD", "3500.25", "3500.20", "3500.30", "10.5", "-0.5"),
                    ticker("DOGE/USD", "0.1234567", "0.1234560", "0.1234570", "5000000", "0")});
    const int btc = m.rowOf(u"BTC/USD"_s), eth = m.rowOf(u"ETH/USD"_s),
              doge = m.rowOf(u"DOGE/USD"_s);
    auto text = [&](int row, int col) { return m.index(row, col).data().toString(); };
    QCOMPARE(text(btc, WatchlistModel::Last), u"95000.1"_s);
    QCOMPARE(text(btc, WatchlistModel::ChangePct), u"+1.23%"_s);
    QCOMPARE(text(btc, WatchlistModel::Volume), u"1234.57"_s);
    QCOMPARE(text(btc, WatchlistModel::Spread), u"0.3"_s);
    QCOMPARE(text(eth, WatchlistModel::Last), u"3500.25"_s);
    QCOMPARE(text(eth, WatchlistModel::ChangePct), u"-0.50%"_s);
    QCOMPARE(text(eth, WatchlistModel::Spread), u"0.10"_s);
    QCOMPARE(text(doge, WatchlistModel::Last), u"0.1234567"_s);
    QCOMPARE(text(doge, WatchlistModel::Spread), u"0.0000010"_s);
    QCOMPARE(text(doge, WatchlistModel::ChangePct), u"0.00%"_s);

    QCOMPARE(m.index(btc, WatchlistModel::Last).data(WatchlistModel::DirectionRole).toInt(), 1);
    QCOMPARE(m.index(eth, WatchlistModel::Last).data(WatchlistModel::DirectionRole).toInt(), -1);
    QCOMPARE(m.index(doge, WatchlistModel::Last).data(WatchlistModel::DirectionRole).toInt(), 0);

    // Sort keys are exact integers (8 decimal places), comparable across pairs.
    const auto key = [&](int row, int col) {
        return m.index(row, col).data(WatchlistModel::SortRole).toLongLong();
    };
    QCOMPARE(key(btc, WatchlistModel::Last), 9500010000000LL);
    QCOMPARE(key(doge, WatchlistModel::Last), 12345670LL);
    QCOMPARE(key(eth, WatchlistModel::ChangePct), -50000000LL);
    QVERIFY(key(doge, WatchlistModel::Volume) > key(btc, WatchlistModel::Volume));
    QCOMPARE(m.index(btc, WatchlistModel::Symbol).data(WatchlistModel::SortRole).toString(),
             u"BTC/USD"_s);

    const auto align = m.index(btc, WatchlistModel::Last).data(Qt::TextAlignmentRole);
    QVERIFY(align.value<Qt::Alignment>() & Qt::AlignRight);
    const auto symAlign = m.index(btc, WatchlistModel::Symbol).data(Qt::TextAlignmentRole);
    QVERIFY(symAlign.value<Qt::Alignment>() & Qt::AlignLeft);
}

void TestWatchlistModel::reloadKeepsTickers() {
    WatchlistModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setInstruments(instruments());
    m.applyTickers({ticker("BTC/USD", "95000.1", "95000.0", "95000.3", "1", "1")});
    QList<kraken::Instrument> fewer = instruments();
    fewer.removeAt(0); // ETH/USD goes
    m.setInstruments(fewer);
    QCOMPARE(m.rowCount(), 4);
    QCOMPARE(m.rowOf(u"ETH/USD"_s), -1);
    QCOMPARE(m.index(m.rowOf(u"BTC/USD"_s), WatchlistModel::Last).data().toString(), u"95000.1"_s);
}

QTEST_GUILESS_MAIN(TestWatchlistModel)
#include "tst_watchlistmodel.moc"
