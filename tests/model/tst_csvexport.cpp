// exportCsv: exact RFC 4180 text (header from headerData, CRLF, quoting of commas, quotes
// and line breaks, UTF-8), and through OrdersFilterModel it writes what the view shows, in
// the view's order.

#include "model/csvexport.h"
#include "model/ordersfiltermodel.h"
#include "model/ordersmodel.h"
#include "tests/model/modeltestsupport.h"

#include <QBuffer>
#include <QDateTime>
#include <QStandardItemModel>
#include <QTest>

using namespace Qt::StringLiterals;
using model::OrderRecord;
using model::OrdersFilterModel;
using model::OrdersModel;
using model::OrderState;

namespace {

using modeltest::dec;

QString exported(const QAbstractItemModel &m) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!model::exportCsv(m, buffer))
        return u"<failed>"_s;
    return QString::fromUtf8(buffer.data());
}

OrderRecord order(int n, const char *price, OrderState state, const QString &reason) {
    OrderRecord o;
    o.clOrdId = u"cl-"_s + QString::number(n);
    o.orderId = u"O"_s + QString::number(n);
    o.symbol = u"BTC/USD"_s;
    o.orderType = u"limit"_s;
    o.timeInForce = u"GTC"_s;
    o.qty = dec("0.5");
    o.limitPrice = dec(price);
    o.state = state;
    o.reason = reason;
    o.createdMs = QDateTime(QDate(2024, 5, 1), QTime(12, 0, n)).toMSecsSinceEpoch();
    return o;
}

} // namespace

class TestCsvExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quoting();
    void followsTheProxy();
    void failsOnAClosedDevice();
};

void TestCsvExport::quoting() {
    QStandardItemModel m(3, 2);
    m.setHorizontalHeaderLabels({u"Name"_s, u"Note, with comma"_s});
    m.setItem(0, 0, new QStandardItem(u"plain"_s));
    m.setItem(0, 1, new QStandardItem(u"a,b"_s));
    m.setItem(1, 0, new QStandardItem(u"say \"hi\""_s));
    m.setItem(1, 1, new QStandardItem(u"two\nlines"_s));
    m.setItem(2, 0, new QStandardItem(u"Zürich"_s));
    // (2, 1) left empty: an empty field.
    QCOMPARE(exported(m), u"Name,\"Note, with comma\"\r\n"
                          u"plain,\"a,b\"\r\n"
                          u"\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
                          u"Zürich,\r\n"_s);
}

void TestCsvExport::followsTheProxy() {
    OrdersModel m;
    m.applyOrders({order(1, "9.5", OrderState::Open, QString()),
                   order(2, "10.25", OrderState::Cancelled, u"user, via \"UI\""_s),
                   order(3, "100", OrderState::Open, QString())});
    OrdersFilterModel f;
    f.setSourceModel(&m);
    f.setMode(OrdersFilterModel::Mode::All);
    f.sort(OrdersModel::Price, Qt::DescendingOrder);
    const QString header = u"Time,Symbol,Side,Type,Price,Trigger,Qty,Filled,Avg price,Status,"
                           u"TIF,Reason,Client order id,Order id\r\n"_s;
    QCOMPARE(exported(f),
             QString(header +
                     u"2024-05-01 12:00:03,BTC/USD,Buy,limit,100,,0.5,0,,Open,GTC,,cl-3,O3\r\n"
                     u"2024-05-01 12:00:02,BTC/USD,Buy,limit,10.25,,0.5,0,,Cancelled,GTC,"
                     u"\"user, via \"\"UI\"\"\",cl-2,O2\r\n"
                     u"2024-05-01 12:00:01,BTC/USD,Buy,limit,9.5,,0.5,0,,Open,GTC,,cl-1,O1\r\n"_s));
    f.setMode(OrdersFilterModel::Mode::Open);
    QCOMPARE(exported(f),
             QString(header +
                     u"2024-05-01 12:00:03,BTC/USD,Buy,limit,100,,0.5,0,,Open,GTC,,cl-3,O3\r\n"
                     u"2024-05-01 12:00:01,BTC/USD,Buy,limit,9.5,,0.5,0,,Open,GTC,,cl-1,O1\r\n"_s));
}

void TestCsvExport::failsOnAClosedDevice() {
    QStandardItemModel m(1, 1);
    QBuffer closed;
    QVERIFY(!model::exportCsv(m, closed));
}

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
