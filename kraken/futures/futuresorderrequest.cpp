#include "futuresorderrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace {

QString sideName(FuturesSide s) {
    return s == FuturesSide::Buy ? u"buy"_s : u"sell"_s;
}

QString signalName(FuturesTriggerSignal s) {
    switch (s) {
    case FuturesTriggerSignal::Mark:
        return u"mark"_s;
    case FuturesTriggerSignal::Index:
        return u"index"_s;
    case FuturesTriggerSignal::Last:
        return u"last"_s;
    case FuturesTriggerSignal::None:
        break;
    }
    return {};
}

QString unitName(FuturesDeviationUnit u) {
    switch (u) {
    case FuturesDeviationUnit::Percent:
        return u"PERCENT"_s;
    case FuturesDeviationUnit::QuoteCurrency:
        return u"QUOTE_CURRENCY"_s;
    case FuturesDeviationUnit::None:
        break;
    }
    return {};
}

// A JSON string literal, escaped by Qt's writer.
QByteArray jsonString(const QString &s) {
    const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

class ObjectWriter {
public:
    void string(const char *key, const QString &value) { member(key, jsonString(value)); }
    // Decimals as JSON numbers, from their exact text (never through double).
    void number(const char *key, const Decimal &value) {
        member(key, QByteArray::fromStdString(value.toStdString()));
    }
    void boolean(const char *key, bool value) { member(key, value ? "true" : "false"); }
    QByteArray finish() const { return '{' + m_out + '}'; }

private:
    void member(const char *key, const QByteArray &value) {
        if (!m_out.isEmpty())
            m_out += ',';
        m_out += '"' + QByteArray(key) + "\":" + value;
    }
    QByteArray m_out;
};

} // namespace

QString wireName(FuturesOrderType type) {
    switch (type) {
    case FuturesOrderType::Limit:
        return u"lmt"_s;
    case FuturesOrderType::PostOnly:
        return u"post"_s;
    case FuturesOrderType::Market:
        return u"mkt"_s;
    case FuturesOrderType::Stop:
        return u"stp"_s;
    case FuturesOrderType::TakeProfit:
        return u"take_profit"_s;
    case FuturesOrderType::ImmediateOrCancel:
        return u"ioc"_s;
    case FuturesOrderType::TrailingStop:
        return u"trailing_stop"_s;
    }
    return {};
}

QString FuturesOrderRequest::validationError(const FuturesInstrument *in) const {
    if (symbol.trimmed().isEmpty())
        return u"no symbol"_s;
    if (size.signum() <= 0)
        return u"the size must be positive"_s;
    const bool needsLimit = orderType == FuturesOrderType::Limit ||
                            orderType == FuturesOrderType::PostOnly ||
                            orderType == FuturesOrderType::ImmediateOrCancel;
    const bool needsStop =
        orderType == FuturesOrderType::Stop || orderType == FuturesOrderType::TakeProfit;
    if (needsLimit && !limitPrice)
        return u"a %1 order needs a limit price"_s.arg(wireName(orderType));
    if (needsStop && !stopPrice)
        return u"a %1 order needs a stop price"_s.arg(wireName(orderType));
    if (orderType == FuturesOrderType::TrailingStop &&
        (!trailingStopMaxDeviation || trailingStopDeviationUnit == FuturesDeviationUnit::None))
        return u"a trailing stop needs a maximum deviation and its unit"_s;
    if (limitPrice && limitPrice->signum() <= 0)
        return u"the limit price must be positive"_s;
    if (stopPrice && stopPrice->signum() <= 0)
        return u"the stop price must be positive"_s;
    if (cliOrdId.size() > 100)
        return u"cliOrdId is longer than 100 characters"_s;
    if (in) {
        if (!in->isTradeable())
            return u"%1 is not tradeable"_s.arg(in->symbol());
        if (limitPrice && !in->isValidPrice(*limitPrice))
            return u"the limit price is not a multiple of the tick size %1"_s.arg(
                in->tickSize().toString());
        if (stopPrice && !in->isValidPrice(*stopPrice))
            return u"the stop price is not a multiple of the tick size %1"_s.arg(
                in->tickSize().toString());
        if (!in->isValidSize(size))
            return u"the size is not a multiple of %1 or exceeds the maximum position"_s.arg(
                in->sizeIncrement().toString());
    }
    return {};
}

Params FuturesOrderRequest::toParams() const {
    Params p{{u"orderType"_s, wireName(orderType)},
             {u"symbol"_s, symbol},
             {u"side"_s, sideName(side)},
             {u"size"_s, size.toString()}};
    if (limitPrice)
        p.append({u"limitPrice"_s, limitPrice->toString()});
    if (stopPrice)
        p.append({u"stopPrice"_s, stopPrice->toString()});
    if (triggerSignal != FuturesTriggerSignal::None)
        p.append({u"triggerSignal"_s, signalName(triggerSignal)});
    if (reduceOnly)
        p.append({u"reduceOnly"_s, u"true"_s});
    if (!cliOrdId.isEmpty())
        p.append({u"cliOrdId"_s, cliOrdId});
    if (trailingStopMaxDeviation)
        p.append({u"trailingStopMaxDeviation"_s, trailingStopMaxDeviation->toString()});
    if (trailingStopDeviationUnit != FuturesDeviationUnit::None)
        p.append({u"trailingStopDeviationUnit"_s, unitName(trailingStopDeviationUnit)});
    return p;
}

QString FuturesEditRequest::validationError() const {
    if (orderId.isEmpty() == cliOrdId.isEmpty())
        return u"give either the order id or the client order id"_s;
    if (!size && !limitPrice && !stopPrice && !trailingStopMaxDeviation)
        return u"nothing to change"_s;
    return {};
}

Params FuturesEditRequest::toParams() const {
    Params p;
    if (!orderId.isEmpty())
        p.append({u"orderId"_s, orderId});
    if (!cliOrdId.isEmpty())
        p.append({u"cliOrdId"_s, cliOrdId});
    if (size)
        p.append({u"size"_s, size->toString()});
    if (limitPrice)
        p.append({u"limitPrice"_s, limitPrice->toString()});
    if (stopPrice)
        p.append({u"stopPrice"_s, stopPrice->toString()});
    if (trailingStopMaxDeviation)
        p.append({u"trailingStopMaxDeviation"_s, trailingStopMaxDeviation->toString()});
    if (trailingStopDeviationUnit != FuturesDeviationUnit::None)
        p.append({u"trailingStopDeviationUnit"_s, unitName(trailingStopDeviationUnit)});
    return p;
}

FuturesBatchInstruction FuturesBatchInstruction::placing(QString tag, FuturesOrderRequest order) {
    FuturesBatchInstruction b;
    b.kind = Kind::Send;
    b.orderTag = std::move(tag);
    b.send = std::move(order);
    return b;
}

FuturesBatchInstruction FuturesBatchInstruction::editing(FuturesEditRequest edit) {
    FuturesBatchInstruction b;
    b.kind = Kind::Edit;
    b.edit = std::move(edit);
    return b;
}

FuturesBatchInstruction FuturesBatchInstruction::cancelling(QString orderId, QString cliOrdId) {
    FuturesBatchInstruction b;
    b.kind = Kind::Cancel;
    b.orderId = std::move(orderId);
    b.cliOrdId = std::move(cliOrdId);
    return b;
}

QByteArray batchOrderJson(const QList<FuturesBatchInstruction> &instructions) {
    QByteArray list;
    for (const FuturesBatchInstruction &i : instructions) {
        ObjectWriter w;
        switch (i.kind) {
        case FuturesBatchInstruction::Kind::Send: {
            const FuturesOrderRequest &o = i.send;
            w.string("order", u"send"_s);
            w.string("order_tag", i.orderTag);
            w.string("orderType", wireName(o.orderType));
            w.string("symbol", o.symbol);
            w.string("side", sideName(o.side));
            w.number("size", o.size);
            if (o.limitPrice)
                w.number("limit_price", *o.limitPrice);
            if (o.stopPrice)
                w.number("stop_price", *o.stopPrice);
            if (!o.cliOrdId.isEmpty())
                w.string("cliOrdId", o.cliOrdId);
            if (o.triggerSignal != FuturesTriggerSignal::None)
                w.string("trigger_signal", signalName(o.triggerSignal));
            if (o.reduceOnly)
                w.boolean("reduceOnly", true);
            if (o.trailingStopMaxDeviation)
                w.number("trailingStopMaxDeviation", *o.trailingStopMaxDeviation);
            if (o.trailingStopDeviationUnit != FuturesDeviationUnit::None)
                w.string("trailingStopDeviationUnit", unitName(o.trailingStopDeviationUnit));
            break;
        }
        case FuturesBatchInstruction::Kind::Edit: {
            const FuturesEditRequest &e = i.edit;
            w.string("order", u"edit"_s);
            if (!e.orderId.isEmpty())
                w.string("order_id", e.orderId);
            if (!e.cliOrdId.isEmpty())
                w.string("cliOrdId", e.cliOrdId);
            if (e.size)
                w.number("size", *e.size);
            if (e.limitPrice)
                w.number("limit_price", *e.limitPrice);
            if (e.stopPrice)
                w.number("stop_price", *e.stopPrice);
            break;
        }
        case FuturesBatchInstruction::Kind::Cancel:
            w.string("order", u"cancel"_s);
            if (!i.orderId.isEmpty())
                w.string("order_id", i.orderId);
            if (!i.cliOrdId.isEmpty())
                w.string("cliOrdId", i.cliOrdId);
            break;
        }
        if (!list.isEmpty())
            list += ',';
        list += w.finish();
    }
    return "{\"batchOrder\":[" + list + "]}";
}

} // namespace kraken::futures
