#include "orderrequest.h"

using namespace Qt::StringLiterals;

namespace kraken::spot {

Params OrderRequest::toParams() const {
    Params p;
    p.append({u"pair"_s, pair});
    p.append({u"type"_s, side == Side::Buy ? u"buy"_s : u"sell"_s});
    p.append({u"ordertype"_s, orderType});
    p.append({u"volume"_s, volume.toString()});
    if (displayVolume)
        p.append({u"displayvol"_s, displayVolume->toString()});
    if (!priceExpression.isEmpty())
        p.append({u"price"_s, priceExpression});
    else if (price)
        p.append({u"price"_s, price->toString()});
    if (!price2Expression.isEmpty())
        p.append({u"price2"_s, price2Expression});
    else if (price2)
        p.append({u"price2"_s, price2->toString()});
    if (!trigger.isEmpty())
        p.append({u"trigger"_s, trigger});
    if (!leverage.isEmpty())
        p.append({u"leverage"_s, leverage});
    if (reduceOnly)
        p.append({u"reduce_only"_s, u"true"_s});
    if (!stpType.isEmpty())
        p.append({u"stptype"_s, stpType});
    if (!oflags.isEmpty())
        p.append({u"oflags"_s, oflags.join(u',')});
    if (!timeInForce.isEmpty())
        p.append({u"timeinforce"_s, timeInForce});
    if (!startTime.isEmpty())
        p.append({u"starttm"_s, startTime});
    if (!expireTime.isEmpty())
        p.append({u"expiretm"_s, expireTime});
    if (userref)
        p.append({u"userref"_s, QString::number(*userref)});
    if (!clOrdId.isEmpty())
        p.append({u"cl_ord_id"_s, clOrdId});
    if (!closeOrderType.isEmpty()) {
        p.append({u"close[ordertype]"_s, closeOrderType});
        if (closePrice)
            p.append({u"close[price]"_s, closePrice->toString()});
        if (closePrice2)
            p.append({u"close[price2]"_s, closePrice2->toString()});
    }
    if (!deadline.isEmpty())
        p.append({u"deadline"_s, deadline});
    if (validateOnly)
        p.append({u"validate"_s, u"true"_s});
    return p;
}

QJsonObject OrderRequest::toBatchEntry() const {
    QJsonObject o;
    for (const auto &[key, value] : toParams()) {
        if (key == u"pair"_s || key == u"validate"_s || key == u"deadline"_s)
            continue;
        if (key.startsWith(u"close["_s)) {
            QJsonObject close = o.value(u"close"_s).toObject();
            close.insert(key.mid(6, key.size() - 7), value);
            o.insert(u"close"_s, close);
        } else if (key == u"userref"_s) {
            o.insert(key, userref.value_or(0));
        } else if (key == u"reduce_only"_s) {
            o.insert(key, true);
        } else {
            o.insert(key, value);
        }
    }
    return o;
}

QString OrderRequest::validationError() const {
    if (pair.trimmed().isEmpty())
        return u"no pair given"_s;
    if (volume.signum() <= 0 && orderType != u"settle-position"_s)
        return u"volume must be positive"_s;
    const bool needsPrice = orderType != u"market"_s && orderType != u"settle-position"_s;
    if (needsPrice && !price && priceExpression.isEmpty())
        return u"a %1 order needs a price"_s.arg(orderType);
    if (orderType.endsWith(u"-limit"_s) && !price2 && price2Expression.isEmpty())
        return u"a %1 order needs a limit price (price2)"_s.arg(orderType);
    if (userref && !clOrdId.isEmpty())
        return u"userref and cl_ord_id cannot be used together"_s;
    if (timeInForce == u"GTD"_s && expireTime.isEmpty())
        return u"a GTD order needs an expiry time"_s;
    return {};
}

} // namespace kraken::spot
