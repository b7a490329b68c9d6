// Parsers for the authenticated WS v2 channels (`executions`, `balances`), declared in
// tradingwsclient.h. simdjson on-demand like the public parser; numbers go from the token's
// text into Decimal (jsonnumber.h), never through double. These frames are rare compared
// with book frames, so clarity wins over allocation-free tricks here. Any thread (one
// simdjson parser per thread).

#include "jsonnumber.h"
#include "tradingwsclient.h"
#include "wiretext.h"
#include "wsparser.h"

#include <simdjson.h>

using namespace Qt::StringLiterals;

namespace kraken::spot {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using ws::excerpt;
using ws::trimRight;

// Where a value sits ("data[2].fees[0].qty"), rendered only when something is wrong.
struct At {
    int entry = -1;
    const char *group = nullptr; // "fees", "triggers"
    int groupIndex = -1;

    QString path(std::string_view field) const {
        QString p;
        if (entry >= 0)
            p = u"data["_s + QString::number(entry) + u']';
        if (group) {
            p += u'.' + QString::fromLatin1(group);
            if (groupIndex >= 0)
                p += u'[' + QString::number(groupIndex) + u']';
        }
        if (!field.empty()) {
            if (!p.isEmpty())
                p += u'.';
            p += QString::fromUtf8(field.data(), qsizetype(field.size()));
        }
        return p;
    }
};

// The typed readers; each returns false after setting `error`.
struct Reader {
    const char *label;
    QString error;

    bool fail(const At &at, std::string_view field, const QString &problem) {
        error = QString::fromLatin1(label) + u": "_s + at.path(field) + u' ' + problem;
        return false;
    }
    bool failJson(const At &at, std::string_view field, error_code e) {
        return fail(at, field,
                    u"is not valid JSON ("_s + QString::fromUtf8(simdjson::error_message(e)) +
                        u')');
    }

    bool string(od::value &v, QString &out, const At &at, std::string_view field) {
        std::string_view s;
        if (error_code e = v.get_string().get(s))
            return e == simdjson::INCORRECT_TYPE ? fail(at, field, u"is not a string"_s)
                                                 : failJson(at, field, e);
        out = QString::fromUtf8(s.data(), qsizetype(s.size()));
        return true;
    }
    bool decimal(od::value &v, std::optional<Decimal> &out, const At &at, std::string_view field) {
        od::json_type type{};
        if (error_code e = v.type().get(type))
            return failJson(at, field, e);
        if (type != od::json_type::number)
            return fail(at, field, u"is not a JSON number"_s);
        // The token's own text: 0.10000000 stays 0.10000000.
        const std::string_view text = trimRight(v.raw_json_token());
        const std::optional<Decimal> d = ws::decimalFromJsonNumber(text);
        if (!d)
            return fail(at, field,
                        ws::isJsonNumber(text) ? excerpt(text) + u" cannot be held exactly"_s
                                               : u"is not a valid JSON number: "_s + excerpt(text));
        out = d;
        return true;
    }
    bool decimal(od::value &v, Decimal &out, const At &at, std::string_view field) {
        std::optional<Decimal> d;
        if (!decimal(v, d, at, field))
            return false;
        out = *d;
        return true;
    }
    bool integer(od::value &v, std::optional<qint64> &out, const At &at, std::string_view field) {
        std::int64_t i = 0;
        if (error_code e = v.get_int64().get(i))
            return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR ||
                           e == simdjson::NUMBER_OUT_OF_RANGE
                       ? fail(at, field, u"is not an integer"_s)
                       : failJson(at, field, e);
        out = i;
        return true;
    }
    bool boolean(od::value &v, std::optional<bool> &out, const At &at, std::string_view field) {
        bool b = false;
        if (error_code e = v.get_bool().get(b))
            return e == simdjson::INCORRECT_TYPE ? fail(at, field, u"is not a boolean"_s)
                                                 : failJson(at, field, e);
        out = b;
        return true;
    }
    bool timestamp(od::value &v, std::int64_t &out, const At &at, std::string_view field) {
        std::string_view s;
        if (error_code e = v.get_string().get(s))
            return e == simdjson::INCORRECT_TYPE ? fail(at, field, u"is not a string"_s)
                                                 : failJson(at, field, e);
        const std::optional<std::int64_t> ns = ws::parseRfc3339Ns(s);
        if (!ns)
            return fail(at, field, u"is not an RFC 3339 time: "_s + excerpt(s));
        out = *ns;
        return true;
    }

    // f(key, value) for every field of the object `v`.
    template<class F> bool fields(od::value &v, const At &at, std::string_view what, F &&f) {
        od::object object;
        if (error_code e = v.get_object().get(object))
            return e == simdjson::INCORRECT_TYPE ? fail(at, what, u"is not an object"_s)
                                                 : failJson(at, what, e);
        for (auto result : object) {
            od::field field;
            if (error_code e = std::move(result).get(field))
                return failJson(at, what, e);
            std::string_view key;
            if (error_code e = field.unescaped_key().get(key))
                return failJson(at, what, e);
            if (!f(key, field.value()))
                return false;
        }
        return true;
    }
    // f(element, index) for every element of the array `v`.
    template<class F> bool elements(od::value &v, const At &at, std::string_view what, F &&f) {
        od::array array;
        if (error_code e = v.get_array().get(array))
            return e == simdjson::INCORRECT_TYPE ? fail(at, what, u"is not an array"_s)
                                                 : failJson(at, what, e);
        int index = 0;
        for (auto result : array) {
            od::value element;
            if (error_code e = std::move(result).get(element))
                return failJson(at, what, e);
            if (!f(element, index++))
                return false;
        }
        return true;
    }
};

bool parseExecution(Reader &r, od::value &v, int index, ws::ExecutionReport &x) {
    const At at{index};
    bool haveType = false, haveId = false;
    const bool ok = r.fields(v, at, {}, [&](std::string_view k, od::value &f) -> bool {
        if (k == "exec_type") {
            haveType = true;
            return r.string(f, x.execType, at, k);
        }
        if (k == "order_id") {
            haveId = true;
            return r.string(f, x.orderId, at, k);
        }
        if (k == "cl_ord_id")
            return r.string(f, x.clOrdId, at, k);
        if (k == "order_userref")
            return r.integer(f, x.orderUserref, at, k);
        if (k == "exec_id")
            return r.string(f, x.execId, at, k);
        if (k == "order_status")
            return r.string(f, x.orderStatus, at, k);
        if (k == "symbol")
            return r.string(f, x.symbol, at, k);
        if (k == "side")
            return r.string(f, x.side, at, k);
        if (k == "order_type")
            return r.string(f, x.orderType, at, k);
        if (k == "time_in_force")
            return r.string(f, x.timeInForce, at, k);
        if (k == "reason")
            return r.string(f, x.reason, at, k);
        if (k == "order_qty")
            return r.decimal(f, x.orderQty, at, k);
        if (k == "limit_price")
            return r.decimal(f, x.limitPrice, at, k);
        if (k == "limit_price_type")
            return r.string(f, x.limitPriceType, at, k);
        if (k == "display_qty")
            return r.decimal(f, x.displayQty, at, k);
        if (k == "cash_order_qty")
            return r.decimal(f, x.cashOrderQty, at, k);
        if (k == "cum_qty")
            return r.decimal(f, x.cumQty, at, k);
        if (k == "cum_cost")
            return r.decimal(f, x.cumCost, at, k);
        if (k == "avg_price")
            return r.decimal(f, x.avgPrice, at, k);
        if (k == "post_only")
            return r.boolean(f, x.postOnly, at, k);
        if (k == "reduce_only")
            return r.boolean(f, x.reduceOnly, at, k);
        if (k == "amended")
            return r.boolean(f, x.amended, at, k);
        if (k == "trade_id")
            return r.integer(f, x.tradeId, at, k);
        if (k == "last_qty")
            return r.decimal(f, x.lastQty, at, k);
        if (k == "last_price")
            return r.decimal(f, x.lastPrice, at, k);
        if (k == "cost")
            return r.decimal(f, x.cost, at, k);
        if (k == "fee_usd_equiv")
            return r.decimal(f, x.feeUsdEquiv, at, k);
        if (k == "liquidity_ind")
            return r.string(f, x.liquidityInd, at, k);
        if (k == "timestamp")
            return r.timestamp(f, x.timestampNs, at, k);
        if (k == "expire_time")
            return r.timestamp(f, x.expireTimeNs, at, k);
        if (k == "triggers") {
            const At in{index, "triggers"};
            return r.fields(f, at, k, [&](std::string_view tk, od::value &tv) -> bool {
                if (tk == "price")
                    return r.decimal(tv, x.triggerPrice, in, tk);
                if (tk == "price_type")
                    return r.string(tv, x.triggerPriceType, in, tk);
                if (tk == "actual_price")
                    return r.decimal(tv, x.triggerActualPrice, in, tk);
                return true;
            });
        }
        if (k == "fees") {
            return r.elements(f, at, k, [&](od::value &fv, int i) -> bool {
                const At in{index, "fees", i};
                ws::FeeEntry fee;
                bool haveAsset = false, haveQty = false;
                if (!r.fields(fv, in, {}, [&](std::string_view fk, od::value &v2) -> bool {
                        if (fk == "asset") {
                            haveAsset = true;
                            return r.string(v2, fee.asset, in, fk);
                        }
                        if (fk == "qty") {
                            haveQty = true;
                            return r.decimal(v2, fee.qty, in, fk);
                        }
                        return true;
                    }))
                    return false;
                if (!haveAsset)
                    return r.fail(in, "asset", u"is missing"_s);
                if (!haveQty)
                    return r.fail(in, "qty", u"is missing"_s);
                x.fees.append(fee);
                return true;
            });
        }
        return true; // not modelled: margin, liquidated, sender_sub_id, ...
    });
    if (!ok)
        return false;
    if (!haveType)
        return r.fail(at, "exec_type", u"is missing"_s);
    if (!haveId)
        return r.fail(at, "order_id", u"is missing"_s);
    if (x.orderId.isEmpty())
        return r.fail(at, "order_id", u"is empty"_s);
    return true;
}

bool parseBalance(Reader &r, od::value &v, int index, ws::BalanceEntry &b) {
    const At at{index};
    bool haveAsset = false, haveBalance = false;
    const bool ok = r.fields(v, at, {}, [&](std::string_view k, od::value &f) -> bool {
        if (k == "asset") {
            haveAsset = true;
            return r.string(f, b.asset, at, k);
        }
        if (k == "balance") {
            haveBalance = true;
            return r.decimal(f, b.balance, at, k);
        }
        if (k == "ledger_id")
            return r.string(f, b.ledgerId, at, k);
        if (k == "ref_id")
            return r.string(f, b.refId, at, k);
        if (k == "type")
            return r.string(f, b.type, at, k);
        if (k == "amount")
            return r.decimal(f, b.amount, at, k);
        if (k == "fee")
            return r.decimal(f, b.fee, at, k);
        if (k == "timestamp")
            return r.timestamp(f, b.timestampNs, at, k);
        return true; // asset_class, wallets, subtype, category, wallet_type, wallet_id
    });
    if (!ok)
        return false;
    if (!haveAsset)
        return r.fail(at, "asset", u"is missing"_s);
    if (b.asset.isEmpty())
        return r.fail(at, "asset", u"is empty"_s);
    if (!haveBalance)
        return r.fail(at, "balance", u"is missing"_s);
    return true;
}

// The frame envelope shared by both channels: {"channel", "type", "data":[...], "sequence"}.
template<class Message, class Entry, class ParseEntry>
Result<Message> parseChannel(QByteArrayView frame, std::string_view channel, const char *label,
                             ParseEntry parseEntry, QList<Entry> Message::*entries) {
    Reader r{label, {}};
    auto parseError = [&](const QString &message) {
        return Result<Message>(Error(Error::Category::Parse, message));
    };
    if (frame.size() > ws::WsParser::MaxFrameBytes)
        return parseError(
            QString::fromLatin1(label) +
            u": frame of %1 bytes exceeds the %2-byte limit; not parsed"_s.arg(frame.size())
                .arg(ws::WsParser::MaxFrameBytes));
    if (frame.isEmpty())
        return parseError(QString::fromLatin1(label) + u": empty frame"_s);

    // Proxies answer with HTML; say so instead of quoting a tokenizer error.
    qsizetype first = 0;
    while (first < frame.size() && ws::isJsonSpace(frame[first]))
        ++first;
    if (first == frame.size() || frame[first] != '{')
        return parseError(
            QString::fromLatin1(label) + u": not a JSON object: starts with \""_s +
            excerpt(std::string_view(frame.data() + first, std::size_t(frame.size() - first))) +
            u'"');

    const simdjson::padded_string padded(frame.data(), std::size_t(frame.size()));
    thread_local od::parser parser;
    od::document doc;
    if (error_code e = parser.iterate(padded).get(doc))
        return parseError(QString::fromLatin1(label) + u": invalid JSON: "_s +
                          QString::fromUtf8(simdjson::error_message(e)));
    od::object root;
    if (error_code e = doc.get_object().get(root))
        return parseError(QString::fromLatin1(label) + u": not a JSON object ("_s +
                          QString::fromUtf8(simdjson::error_message(e)) + u')');

    Message message;
    bool haveChannel = false, haveData = false;
    const At top;
    for (auto result : root) {
        od::field field;
        std::string_view key;
        if (error_code e = std::move(result).get(field))
            return parseError(QString::fromLatin1(label) + u": invalid JSON: "_s +
                              QString::fromUtf8(simdjson::error_message(e)));
        if (error_code e = field.unescaped_key().get(key))
            return parseError(QString::fromLatin1(label) + u": invalid JSON: "_s +
                              QString::fromUtf8(simdjson::error_message(e)));
        od::value &v = field.value();
        if (key == "channel") {
            QString name;
            if (!r.string(v, name, top, key))
                return parseError(r.error);
            if (name.toUtf8() != QByteArrayView(channel.data(), qsizetype(channel.size())))
                return parseError(QString::fromLatin1(label) + u": channel is \""_s + name +
                                  u"\", not "_s + QString::fromLatin1(channel));
            haveChannel = true;
        } else if (key == "type") {
            QString type;
            if (!r.string(v, type, top, key))
                return parseError(r.error);
            if (type != u"snapshot"_s && type != u"update"_s)
                return parseError(QString::fromLatin1(label) + u": type \""_s + type +
                                  u"\" is neither snapshot nor update"_s);
            message.snapshot = type == u"snapshot"_s;
        } else if (key == "sequence") {
            if (!r.integer(v, message.sequence, top, key))
                return parseError(r.error);
        } else if (key == "data") {
            haveData = true;
            const bool ok = r.elements(v, top, key, [&](od::value &element, int index) {
                Entry entry;
                if (!parseEntry(r, element, index, entry))
                    return false;
                (message.*entries).append(std::move(entry));
                return true;
            });
            if (!ok)
                return parseError(r.error);
        }
    }
    // simdjson 3.0.1 has no at_end(); a location inside the input means something follows.
    if (const char *rest = nullptr; !doc.current_location().get(rest))
        return parseError(QString::fromLatin1(label) +
                          u": invalid JSON: content after the top-level object"_s);
    if (!haveChannel)
        return parseError(QString::fromLatin1(label) + u": channel is missing"_s);
    if (!haveData)
        return parseError(QString::fromLatin1(label) + u": data is missing"_s);
    return message;
}

} // namespace

Result<ws::ExecutionsMessage> parseExecutions(QByteArrayView frame) {
    return parseChannel<ws::ExecutionsMessage, ws::ExecutionReport>(
        frame, "executions", "executions message", parseExecution, &ws::ExecutionsMessage::reports);
}

Result<ws::BalancesMessage> parseBalances(QByteArrayView frame) {
    return parseChannel<ws::BalancesMessage, ws::BalanceEntry>(
        frame, "balances", "balances message", parseBalance, &ws::BalancesMessage::entries);
}

} // namespace kraken::spot
