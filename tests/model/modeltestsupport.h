#pragma once

// Helpers shared by the model suites and the ui suites that drive the same models: Decimal
// printing for QCOMPARE and checked literals (the spot suites' own, so every suite spells a
// Decimal the same way), a column of a model as text, a batch of numbered records, and the
// working limit order the ladder suites place their markers with.

#include "model/tradingtypes.h"
#include "tests/spot/spottestsupport.h"

#include <QAbstractItemModel>
#include <QList>
#include <QStringList>

namespace modeltest {

using namespace Qt::StringLiterals;
using spottest::dec;

// One column's text (or another role's, as text), top row first.
inline QStringList column(const QAbstractItemModel &m, int col, int role = Qt::DisplayRole) {
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.index(row, col).data(role).toString());
    return out;
}

// make(n) for n = from..to, in that order: the suites number their records so that each
// field (id, time, price) follows from n.
template<class Make> auto records(int from, int to, Make make) {
    QList<decltype(make(from))> out;
    for (int n = from; n <= to; ++n)
        out.append(make(n));
    return out;
}

// A working BTC/USD limit order for `qty` at `price`, `filled` of it done.
inline model::OrderRecord limitOrder(const char *clOrdId, model::OrderSide side, const char *price,
                                     const char *qty, const char *filled = "0") {
    model::OrderRecord r;
    r.clOrdId = QString::fromLatin1(clOrdId);
    r.symbol = u"BTC/USD"_s;
    r.side = side;
    r.orderType = u"limit"_s;
    r.limitPrice = dec(price);
    r.qty = dec(qty);
    r.filledQty = dec(filled);
    r.state = model::OrderState::Open;
    return r;
}

} // namespace modeltest
