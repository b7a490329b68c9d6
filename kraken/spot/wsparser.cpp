#include "wsparser.h"

#include "jsonnumber.h"
#include "wiretext.h"

#include <QJsonDocument>

#include <cstring>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <simdjson.h>

using namespace Qt::StringLiterals;

namespace kraken::spot::ws {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

enum class Channel { None, Heartbeat, Status, Book, Ticker, Trade, Ohlc, Instrument, Other };

Channel channelOf(std::string_view name) {
    if (name == "book")
        return Channel::Book;
    if (name == "ticker")
        return Channel::Ticker;
    if (name == "trade")
        return Channel::Trade;
    if (name == "ohlc")
        return Channel::Ohlc;
    if (name == "heartbeat")
        return Channel::Heartbeat;
    if (name == "status")
        return Channel::Status;
    if (name == "instrument")
        return Channel::Instrument;
    return Channel::Other;
}

const char *labelOf(Channel c) {
    switch (c) {
    case Channel::Book:
        return "book message";
    case Channel::Ticker:
        return "ticker message";
    case Channel::Trade:
        return "trade message";
    case Channel::Ohlc:
        return "ohlc message";
    case Channel::Status:
        return "status message";
    case Channel::Instrument:
        return "instrument message";
    case Channel::Heartbeat:
    case Channel::None:
    case Channel::Other:
        break;
    }
    return "message";
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

QString jsonError(error_code e) {
    return QString::fromUtf8(simdjson::error_message(e));
}

bool isTypeError(error_code e) {
    return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR ||
           e == simdjson::NUMBER_OUT_OF_RANGE;
}

const char *typeName(od::json_type t) {
    switch (t) {
    case od::json_type::array:
        return "an array";
    case od::json_type::object:
        return "an object";
    case od::json_type::number:
        return "a number";
    case od::json_type::string:
        return "a string";
    case od::json_type::boolean:
        return "a boolean";
    case od::json_type::null:
        return "null";
    }
    return "an unknown value";
}

bool keyIs(const od::raw_json_string &key, std::string_view name) {
    // Our names are short constants without quotes, which is what unsafe_is_equal() needs; the
    // buffer's padding covers its look-ahead.
    return key.unsafe_is_equal(name);
}

// Where a value sits in a message ("book message: data[0].bids[3].price"), rendered only when
// something is wrong, so the hot path never builds a string.
struct Where {
    const char *label = "message";
    const char *container = nullptr; // "data", "data.pairs"; null for top-level fields
    int entry = -1;
    const char *side = nullptr; // "bids" / "asks"
    int level = -1;

    QString path(const char *field) const {
        QString p;
        if (container) {
            p += QString::fromLatin1(container);
            if (entry >= 0)
                p += u'[' + QString::number(entry) + u']';
        }
        if (side) {
            if (!p.isEmpty())
                p += u'.';
            p += QString::fromLatin1(side);
            if (level >= 0)
                p += u'[' + QString::number(level) + u']';
        }
        if (field) {
            if (!p.isEmpty())
                p += u'.';
            p += QString::fromLatin1(field);
        }
        return p;
    }
};

} // namespace

struct WsParser::Private {
    using Kind = WsParser::Kind;

    // The frame's copy with simdjson's padding behind it; grows to the largest frame seen.
    std::string buffer;
    std::size_t length = 0;
    od::parser parser;

    QString error;
    QString unknownName;

    MethodResponse method;
    bool methodTouched = false;
    bool methodHasSuccess = false;
    bool methodResultPending = false;
    QString methodProblem;

    StatusEvent status;
    bool bookSnapshot = false;
    std::vector<BookEntry> bookEntries;
    // Entries of earlier, longer frames, kept with their vectors' capacity for reuse.
    std::vector<BookEntry> spareBookEntries;
    std::vector<TickerEvent> tickers;
    bool tradeSnapshot = false;
    std::vector<TradeEvent> trades;
    bool ohlcSnapshot = false;
    std::vector<OhlcEvent> candles;
    InstrumentEvent instruments;

    Kind parse(QByteArrayView frame);

    // --- failure reporting: every helper returns false after setting `error` ---

    bool fail(const QString &message) {
        error = message;
        return false;
    }
    bool fail(const Where &w, const char *field, const QString &problem) {
        QString message = QString::fromLatin1(w.label) + u": "_s;
        if (const QString path = w.path(field); !path.isEmpty())
            message += path + u' ';
        return fail(message + problem);
    }
    bool failJson(const Where &w, const char *field, error_code e) {
        return fail(w, field, u"is not valid JSON ("_s + jsonError(e) + u')');
    }
    bool failRead(const Where &w, const char *field, error_code e, const char *expected) {
        if (isTypeError(e))
            return fail(w, field, u"is not "_s + QString::fromLatin1(expected));
        return failJson(w, field, e);
    }
    Kind failKind(const QString &message) {
        error = message;
        return Kind::Error;
    }

    // --- typed readers ---

    bool readDecimal(od::value &v, Decimal &out, const Where &w, const char *field) {
        od::json_type type{};
        if (error_code e = v.type().get(type))
            return failJson(w, field, e);
        if (type != od::json_type::number)
            return fail(w, field,
                        u"is not a JSON number but "_s + QString::fromLatin1(typeName(type)));
        // The token's own text: a double would turn 0.10000000 into 0.1 and break checksums.
        const std::string_view text = trimRight(v.raw_json_token());
        if (plainDecimal(text, out))
            return true;
        if (!isJsonNumber(text))
            return fail(w, field, u"is not a valid JSON number: "_s + excerpt(text));
        const std::optional<Decimal> d = Decimal::fromString(text);
        if (!d)
            return fail(w, field,
                        excerpt(text) +
                            u" cannot be held exactly (more than 18 decimals or too large)"_s);
        out = *d;
        return true;
    }

    bool readUnsigned(od::value &v, std::uint64_t max, std::uint64_t &out, const Where &w,
                      const char *field, const char *expected) {
        if (error_code e = v.get_uint64().get(out))
            return failRead(w, field, e, expected);
        if (out > max)
            return fail(w, field, u"is not "_s + QString::fromLatin1(expected));
        return true;
    }
    template<class T>
    bool readUnsignedAs(od::value &v, T &out, const Where &w, const char *field,
                        const char *expected) {
        std::uint64_t u = 0;
        if (!readUnsigned(v, std::uint64_t(std::numeric_limits<T>::max()), u, w, field, expected))
            return false;
        out = static_cast<T>(u);
        return true;
    }

    bool readString(od::value &v, std::string_view &out, const Where &w, const char *field) {
        if (error_code e = v.get_string().get(out))
            return failRead(w, field, e, "a string");
        return true;
    }
    bool readQString(od::value &v, QString &out, const Where &w, const char *field) {
        std::string_view s;
        if (!readString(v, s, w, field))
            return false;
        out = QString::fromUtf8(s.data(), qsizetype(s.size()));
        return true;
    }
    // Symbols key everything downstream; an empty one is as bad as a missing one.
    bool readSymbol(od::value &v, std::string_view &out, const Where &w) {
        if (!readString(v, out, w, "symbol"))
            return false;
        if (out.empty())
            return fail(w, "symbol", u"is empty"_s);
        return true;
    }
    bool readSymbol(od::value &v, QString &out, const Where &w) {
        std::string_view s;
        if (!readSymbol(v, s, w))
            return false;
        out = QString::fromUtf8(s.data(), qsizetype(s.size()));
        return true;
    }
    bool readBool(od::value &v, bool &out, const Where &w, const char *field) {
        if (error_code e = v.get_bool().get(out))
            return failRead(w, field, e, "a boolean");
        return true;
    }
    bool readTimestamp(od::value &v, std::int64_t &out, const Where &w, const char *field) {
        std::string_view s;
        if (!readString(v, s, w, field))
            return false;
        const std::optional<std::int64_t> ns = parseRfc3339Ns(s);
        if (!ns)
            return fail(w, field, u"is not an RFC 3339 time: "_s + excerpt(s));
        out = *ns;
        return true;
    }

    // --- structure walkers; the callbacks are inlined, so walking allocates nothing ---

    template<class F> bool forEachField(od::value &v, const Where &w, const char *what, F &&f) {
        od::object object;
        if (error_code e = v.get_object().get(object))
            return failRead(w, what, e, "an object");
        for (auto result : object) {
            od::field field;
            if (error_code e = std::move(result).get(field))
                return failJson(w, what, e);
            if (!f(field.key(), field.value()))
                return false;
        }
        return true;
    }

    // Calls f(value, whereWithIndex) per element of the array `v` (named by `w` itself).
    template<class F> bool forEachElement(od::value &v, const Where &w, F &&f) {
        od::array array;
        if (error_code e = v.get_array().get(array))
            return failRead(w, nullptr, e, "an array");
        Where at = w;
        at.entry = 0;
        for (auto result : array) {
            od::value element;
            if (error_code e = std::move(result).get(element))
                return failJson(at, nullptr, e);
            if (!f(element, at))
                return false;
            ++at.entry;
        }
        return true;
    }

    // Names every required field that a callback did not see; `seen` has bit i for names[i].
    bool requireAll(unsigned seen, std::initializer_list<const char *> names, const Where &w) {
        unsigned bit = 1;
        for (const char *name : names) {
            if (!(seen & bit))
                return fail(w, name, u"is missing"_s);
            bit <<= 1;
        }
        return true;
    }

    // --- channels ---

    bool parseData(Channel channel, od::value &data);
    bool parseStatus(od::value &data);
    bool parseBook(od::value &data);
    bool parseLevels(od::value &v, std::vector<book::LevelUpdate> &out, const Where &entry,
                     const char *side);
    bool parseTickers(od::value &data);
    bool parseTrades(od::value &data);
    bool parseCandles(od::value &data);
    bool parseInstruments(od::value &data);

    BookEntry &nextBookEntry() {
        if (spareBookEntries.empty()) {
            bookEntries.emplace_back();
        } else {
            bookEntries.push_back(std::move(spareBookEntries.back()));
            spareBookEntries.pop_back();
        }
        BookEntry &e = bookEntries.back();
        e.symbol = {};
        e.bids.clear();
        e.asks.clear();
        e.checksum = 0;
        e.hasChecksum = false;
        e.timestampNs = 0;
        return e;
    }
    void recycleBookEntries() {
        while (!bookEntries.empty()) {
            spareBookEntries.push_back(std::move(bookEntries.back()));
            bookEntries.pop_back();
        }
    }

    // --- method responses: read leniently while the frame's kind is not yet known ---

    MethodResponse &methodResponse() {
        if (!methodTouched) {
            method = MethodResponse();
            methodTouched = true;
            methodHasSuccess = false;
            methodResultPending = false;
            methodProblem.clear();
        }
        return method;
    }
    void noteMethodProblem(const char *field, const QString &problem) {
        if (methodProblem.isEmpty())
            methodProblem = u"method response: "_s + QString::fromLatin1(field) + u' ' + problem;
    }
    void readMethodField(const od::raw_json_string &key, od::value &v);
    Kind finishMethod();
};

bool WsParser::Private::parseData(Channel channel, od::value &data) {
    switch (channel) {
    case Channel::Status:
        return parseStatus(data);
    case Channel::Book:
        return parseBook(data);
    case Channel::Ticker:
        return parseTickers(data);
    case Channel::Trade:
        return parseTrades(data);
    case Channel::Ohlc:
        return parseCandles(data);
    case Channel::Instrument:
        return parseInstruments(data);
    case Channel::None:
    case Channel::Heartbeat:
    case Channel::Other:
        break;
    }
    return true;
}

bool WsParser::Private::parseStatus(od::value &data) {
    status = StatusEvent();
    const Where w{labelOf(Channel::Status), "data"};
    bool any = false;
    if (!forEachElement(data, w, [&](od::value &v, const Where &at) {
            if (at.entry > 0)
                return true; // one status per message; later entries are not defined
            any = true;
            unsigned seen = 0;
            return forEachField(
                       v, at, nullptr,
                       [&](const od::raw_json_string &key, od::value &val) {
                           if (keyIs(key, "system")) {
                               seen |= 1;
                               return readQString(val, status.system, at, "system");
                           }
                           if (keyIs(key, "api_version"))
                               return readQString(val, status.apiVersion, at, "api_version");
                           if (keyIs(key, "version"))
                               return readQString(val, status.version, at, "version");
                           if (keyIs(key, "connection_id"))
                               return readUnsignedAs(val, status.connectionId, at, "connection_id",
                                                     "an unsigned 64-bit integer");
                           return true;
                       }) &&
                   requireAll(seen, {"system"}, at);
        }))
        return false;
    if (!any)
        return fail(w, nullptr, u"is empty"_s);
    return true;
}

bool WsParser::Private::parseLevels(od::value &v, std::vector<book::LevelUpdate> &out,
                                    const Where &entry, const char *side) {
    out.clear();
    Where w = entry;
    w.side = side;
    od::array array;
    if (error_code e = v.get_array().get(array))
        return failRead(w, nullptr, e, "an array");
    w.level = 0;
    for (auto result : array) {
        od::value level;
        if (error_code e = std::move(result).get(level))
            return failJson(w, nullptr, e);
        book::LevelUpdate &u = out.emplace_back();
        unsigned seen = 0;
        const bool ok =
            forEachField(level, w, nullptr, [&](const od::raw_json_string &key, od::value &val) {
                if (keyIs(key, "price")) {
                    seen |= 1;
                    return readDecimal(val, u.price, w, "price");
                }
                if (keyIs(key, "qty")) {
                    seen |= 2;
                    return readDecimal(val, u.qty, w, "qty");
                }
                return true;
            });
        if (!ok || !requireAll(seen, {"price", "qty"}, w))
            return false;
        ++w.level;
    }
    return true;
}

bool WsParser::Private::parseBook(od::value &data) {
    recycleBookEntries();
    const Where w{labelOf(Channel::Book), "data"};
    return forEachElement(data, w, [&](od::value &v, const Where &at) {
        BookEntry &e = nextBookEntry();
        unsigned seen = 0;
        return forEachField(v, at, nullptr,
                            [&](const od::raw_json_string &key, od::value &val) {
                                if (keyIs(key, "symbol")) {
                                    seen |= 1;
                                    return readSymbol(val, e.symbol, at);
                                }
                                // A side left out is taken as empty: an update may change one side
                                // only.
                                if (keyIs(key, "bids"))
                                    return parseLevels(val, e.bids, at, "bids");
                                if (keyIs(key, "asks"))
                                    return parseLevels(val, e.asks, at, "asks");
                                if (keyIs(key, "checksum")) {
                                    if (!readUnsignedAs(val, e.checksum, at, "checksum",
                                                        "an unsigned 32-bit integer"))
                                        return false;
                                    e.hasChecksum = true;
                                    return true;
                                }
                                if (keyIs(key, "timestamp"))
                                    return readTimestamp(val, e.timestampNs, at, "timestamp");
                                return true;
                            }) &&
               requireAll(seen, {"symbol"}, at);
    });
}

bool WsParser::Private::parseTickers(od::value &data) {
    tickers.clear();
    struct Field {
        const char *name;
        Decimal TickerEvent::*member;
    };
    static constexpr Field fields[] = {
        {"bid", &TickerEvent::bid},
        {"bid_qty", &TickerEvent::bidQty},
        {"ask", &TickerEvent::ask},
        {"ask_qty", &TickerEvent::askQty},
        {"last", &TickerEvent::last},
        {"volume", &TickerEvent::volume},
        {"vwap", &TickerEvent::vwap},
        {"low", &TickerEvent::low},
        {"high", &TickerEvent::high},
        {"change", &TickerEvent::change},
        {"change_pct", &TickerEvent::changePct},
    };
    const Where w{labelOf(Channel::Ticker), "data"};
    return forEachElement(data, w, [&](od::value &v, const Where &at) {
        TickerEvent &t = tickers.emplace_back();
        unsigned seen = 0;
        return forEachField(v, at, nullptr,
                            [&](const od::raw_json_string &key, od::value &val) {
                                if (keyIs(key, "symbol")) {
                                    seen |= 1;
                                    return readSymbol(val, t.symbol, at);
                                }
                                if (keyIs(key, "timestamp"))
                                    return readTimestamp(val, t.timestampNs, at, "timestamp");
                                for (std::size_t i = 0; i < std::size(fields); ++i) {
                                    if (keyIs(key, fields[i].name)) {
                                        seen |= 2u << i;
                                        return readDecimal(val, t.*(fields[i].member), at,
                                                           fields[i].name);
                                    }
                                }
                                return true;
                            }) &&
               requireAll(seen,
                          {"symbol", "bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap",
                           "low", "high", "change", "change_pct"},
                          at);
    });
}

bool WsParser::Private::parseTrades(od::value &data) {
    trades.clear();
    const Where w{labelOf(Channel::Trade), "data"};
    return forEachElement(data, w, [&](od::value &v, const Where &at) {
        TradeEvent &t = trades.emplace_back();
        unsigned seen = 0;
        return forEachField(v, at, nullptr,
                            [&](const od::raw_json_string &key, od::value &val) {
                                if (keyIs(key, "symbol")) {
                                    seen |= 1;
                                    return readSymbol(val, t.symbol, at);
                                }
                                if (keyIs(key, "side")) {
                                    seen |= 2;
                                    std::string_view side;
                                    if (!readString(val, side, at, "side"))
                                        return false;
                                    if (side != "buy" && side != "sell")
                                        return fail(at, "side",
                                                    u"is neither buy nor sell: "_s + excerpt(side));
                                    t.buy = side == "buy";
                                    return true;
                                }
                                if (keyIs(key, "price")) {
                                    seen |= 4;
                                    return readDecimal(val, t.price, at, "price");
                                }
                                if (keyIs(key, "qty")) {
                                    seen |= 8;
                                    return readDecimal(val, t.qty, at, "qty");
                                }
                                if (keyIs(key, "ord_type")) {
                                    // Informational only: an order type Kraken adds later counts as
                                    // limit rather than costing the whole trade tape.
                                    seen |= 16;
                                    std::string_view type;
                                    if (!readString(val, type, at, "ord_type"))
                                        return false;
                                    t.market = type == "market";
                                    return true;
                                }
                                if (keyIs(key, "trade_id")) {
                                    seen |= 32;
                                    return readUnsignedAs(val, t.tradeId, at, "trade_id",
                                                          "a non-negative 64-bit integer");
                                }
                                if (keyIs(key, "timestamp")) {
                                    seen |= 64;
                                    return readTimestamp(val, t.timestampNs, at, "timestamp");
                                }
                                return true;
                            }) &&
               requireAll(seen,
                          {"symbol", "side", "price", "qty", "ord_type", "trade_id", "timestamp"},
                          at);
    });
}

bool WsParser::Private::parseCandles(od::value &data) {
    candles.clear();
    struct Field {
        const char *name;
        Decimal OhlcEvent::*member;
    };
    static constexpr Field fields[] = {
        {"open", &OhlcEvent::open},   {"high", &OhlcEvent::high}, {"low", &OhlcEvent::low},
        {"close", &OhlcEvent::close}, {"vwap", &OhlcEvent::vwap}, {"volume", &OhlcEvent::volume},
    };
    const Where w{labelOf(Channel::Ohlc), "data"};
    return forEachElement(data, w, [&](od::value &v, const Where &at) {
        OhlcEvent &c = candles.emplace_back();
        unsigned seen = 0;
        return forEachField(
                   v, at, nullptr,
                   [&](const od::raw_json_string &key, od::value &val) {
                       if (keyIs(key, "symbol")) {
                           seen |= 1;
                           return readSymbol(val, c.symbol, at);
                       }
                       if (keyIs(key, "trades")) {
                           seen |= 2;
                           return readUnsignedAs(val, c.trades, at, "trades",
                                                 "a non-negative 64-bit integer");
                       }
                       if (keyIs(key, "interval_begin")) {
                           seen |= 4;
                           return readTimestamp(val, c.intervalBeginNs, at, "interval_begin");
                       }
                       if (keyIs(key, "interval")) {
                           seen |= 8;
                           return readUnsignedAs(val, c.intervalMinutes, at, "interval",
                                                 "a number of minutes");
                       }
                       if (keyIs(key, "timestamp"))
                           return readTimestamp(val, c.timestampNs, at, "timestamp");
                       for (std::size_t i = 0; i < std::size(fields); ++i) {
                           if (keyIs(key, fields[i].name)) {
                               seen |= 16u << i;
                               return readDecimal(val, c.*(fields[i].member), at, fields[i].name);
                           }
                       }
                       return true;
                   }) &&
               requireAll(seen,
                          {"symbol", "trades", "interval_begin", "interval", "open", "high", "low",
                           "close", "vwap", "volume"},
                          at);
    });
}

bool WsParser::Private::parseInstruments(od::value &data) {
    instruments.pairs.clear();
    const char *label = labelOf(Channel::Instrument);
    const Where w{label, "data"};
    // data is an object here, unlike every other channel; assets[] is not modelled.
    return forEachField(data, w, nullptr, [&](const od::raw_json_string &key, od::value &val) {
        if (!keyIs(key, "pairs"))
            return true;
        const Where pairs{label, "data.pairs"};
        return forEachElement(val, pairs, [&](od::value &v, const Where &at) {
            InstrumentPairInfo &p = instruments.pairs.emplace_back();
            unsigned seen = 0;
            return forEachField(
                       v, at, nullptr,
                       [&](const od::raw_json_string &k, od::value &x) {
                           if (keyIs(k, "symbol")) {
                               seen |= 1;
                               return readSymbol(x, p.symbol, at);
                           }
                           if (keyIs(k, "base")) {
                               seen |= 2;
                               return readQString(x, p.base, at, "base");
                           }
                           if (keyIs(k, "quote")) {
                               seen |= 4;
                               return readQString(x, p.quote, at, "quote");
                           }
                           if (keyIs(k, "status")) {
                               seen |= 8;
                               return readQString(x, p.status, at, "status");
                           }
                           if (keyIs(k, "price_precision")) {
                               seen |= 16;
                               return readUnsignedAs(x, p.pricePrecision, at, "price_precision",
                                                     "a number of decimals");
                           }
                           if (keyIs(k, "qty_precision")) {
                               seen |= 32;
                               return readUnsignedAs(x, p.qtyPrecision, at, "qty_precision",
                                                     "a number of decimals");
                           }
                           if (keyIs(k, "price_increment")) {
                               seen |= 64;
                               return readDecimal(x, p.priceIncrement, at, "price_increment");
                           }
                           if (keyIs(k, "qty_increment")) {
                               seen |= 128;
                               return readDecimal(x, p.qtyIncrement, at, "qty_increment");
                           }
                           if (keyIs(k, "qty_min")) {
                               seen |= 256;
                               return readDecimal(x, p.qtyMin, at, "qty_min");
                           }
                           if (keyIs(k, "cost_precision"))
                               return readUnsignedAs(x, p.costPrecision, at, "cost_precision",
                                                     "a number of decimals");
                           if (keyIs(k, "cost_min"))
                               return readDecimal(x, p.costMin, at, "cost_min");
                           if (keyIs(k, "marginable"))
                               return readBool(x, p.marginable, at, "marginable");
                           return true;
                       }) &&
                   requireAll(seen,
                              {"symbol", "base", "quote", "status", "price_precision",
                               "qty_precision", "price_increment", "qty_increment", "qty_min"},
                              at);
        });
    });
}

void WsParser::Private::readMethodField(const od::raw_json_string &key, od::value &v) {
    MethodResponse &m = methodResponse();
    if (keyIs(key, "success")) {
        methodHasSuccess = true;
        if (v.get_bool().get(m.success))
            noteMethodProblem("success", u"is not a boolean"_s);
    } else if (keyIs(key, "error")) {
        std::string_view s;
        if (v.get_string().get(s))
            noteMethodProblem("error", u"is not a string"_s);
        else
            m.error = QString::fromUtf8(s.data(), qsizetype(s.size()));
    } else if (keyIs(key, "req_id")) {
        std::int64_t id = 0;
        if (v.get_int64().get(id))
            noteMethodProblem("req_id", u"is not an integer"_s);
        else
            m.reqId = id;
    } else if (keyIs(key, "symbol")) {
        std::string_view s;
        if (v.get_string().get(s))
            noteMethodProblem("symbol", u"is not a string"_s);
        else
            m.symbol = QString::fromUtf8(s.data(), qsizetype(s.size()));
    } else if (keyIs(key, "time_in") || keyIs(key, "time_out")) {
        const bool in = keyIs(key, "time_in");
        const char *name = in ? "time_in" : "time_out";
        std::string_view s;
        std::optional<std::int64_t> ns;
        if (!v.get_string().get(s))
            ns = parseRfc3339Ns(s);
        if (!ns)
            noteMethodProblem(name, u"is not an RFC 3339 time"_s);
        else
            (in ? m.timeInNs : m.timeOutNs) = *ns;
    } else if (keyIs(key, "result")) {
        // Rare and free-form: QJsonDocument reads it once the frame is known to be a response.
        od::json_type type{};
        if (!v.type().get(type) && (type == od::json_type::object || type == od::json_type::array))
            methodResultPending = true;
    }
}

WsParser::Kind WsParser::Private::finishMethod() {
    if (!methodProblem.isEmpty())
        return failKind(methodProblem);
    MethodResponse &m = methodResponse();
    if (!methodHasSuccess)
        m.success = m.error.isEmpty();
    if (methodResultPending) {
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(buffer.data(), qsizetype(length)));
        const QJsonValue result = doc.object().value(u"result"_s);
        if (result.isObject()) {
            m.result = result.toObject();
            if (const QJsonValue c = m.result.value(u"channel"_s); c.isString())
                m.channel = c.toString();
            if (const QJsonValue s = m.result.value(u"symbol"_s); s.isString())
                m.symbol = s.toString();
        } else if (result.isArray()) {
            m.resultArray = result.toArray();
        }
    }
    return Kind::Method;
}

WsParser::Kind WsParser::Private::parse(QByteArrayView frame) {
    error.clear();
    unknownName.clear();
    methodTouched = false;

    const qsizetype n = frame.size();
    if (n > MaxFrameBytes)
        return failKind(
            u"frame of %1 bytes exceeds the %2-byte limit; not parsed"_s.arg(n).arg(MaxFrameBytes));
    qsizetype first = 0;
    while (first < n && isJsonSpace(frame[first]))
        ++first;
    if (first == n)
        return failKind(n == 0 ? u"empty frame"_s : u"blank frame"_s);
    // Proxies and Cloudflare answer with HTML; say so instead of quoting a tokenizer error.
    const char c = frame[first];
    if (c == '\0' || std::string_view("{[\"-0123456789tfn").find(c) == std::string_view::npos) {
        const std::string_view start(frame.data() + first, std::size_t(n - first));
        const QString firstByte = (c >= 0x20 && c < 0x7f)
                                      ? QString(QLatin1Char(c))
                                      : u"\\x"_s + QString::number(quint8(c), 16);
        return failKind(u"not JSON: starts with '%1' (%2)"_s.arg(firstByte, excerpt(start)));
    }

    const std::size_t need = std::size_t(n) + simdjson::SIMDJSON_PADDING;
    if (buffer.size() < need)
        buffer.resize(need);
    std::memcpy(buffer.data(), frame.data(), std::size_t(n));
    // simdjson peeks into the padding to spot unbalanced input; stale bytes there ('}' from an
    // earlier frame) could defeat that check.
    std::memset(buffer.data() + n, 0, simdjson::SIMDJSON_PADDING);
    length = std::size_t(n);

    od::document doc;
    if (error_code e =
            parser.iterate(simdjson::padded_string_view(buffer.data(), length, buffer.size()))
                .get(doc))
        return failKind(u"invalid JSON: "_s + jsonError(e));
    od::json_type rootType{};
    if (error_code e = doc.type().get(rootType))
        return failKind(u"invalid JSON: "_s + jsonError(e));
    if (rootType != od::json_type::object)
        return failKind(u"not a JSON object but "_s + QString::fromLatin1(typeName(rootType)));
    od::object root;
    if (error_code e = doc.get_object().get(root))
        return failKind(u"invalid JSON: "_s + jsonError(e));

    // One pass in Kraken's field order ("channel" before "data"); a frame that puts "data"
    // first costs a rewind.
    Channel channel = Channel::None;
    bool haveMethod = false;
    bool haveError = false;
    bool snapshot = false;
    bool dataSeen = false;
    bool dataParsed = false;
    const Where top;
    for (auto result : root) {
        od::field field;
        if (error_code e = std::move(result).get(field))
            return failKind(u"invalid JSON: "_s + jsonError(e));
        const od::raw_json_string key = field.key();
        od::value &v = field.value();
        if (keyIs(key, "channel")) {
            if (channel != Channel::None)
                return failKind(u"message: channel appears twice"_s);
            std::string_view name;
            if (!readString(v, name, top, "channel"))
                return Kind::Error;
            channel = channelOf(name);
            if (channel == Channel::Other)
                unknownName = QString::fromUtf8(name.data(), qsizetype(name.size()));
        } else if (keyIs(key, "data")) {
            dataSeen = true;
            const bool modelled = channel != Channel::None && channel != Channel::Other &&
                                  channel != Channel::Heartbeat;
            if (modelled && !haveMethod) {
                if (!parseData(channel, v))
                    return Kind::Error;
                dataParsed = true;
            }
        } else if (keyIs(key, "type")) {
            std::string_view type;
            if (!readString(v, type, top, "type"))
                return Kind::Error;
            snapshot = type == "snapshot";
        } else if (keyIs(key, "method")) {
            haveMethod = true;
            if (!readQString(v, methodResponse().method, top, "method"))
                return Kind::Error;
        } else {
            if (keyIs(key, "error"))
                haveError = true;
            // Responses are rare; these keys do not occur at the top of channel messages.
            if (keyIs(key, "error") || keyIs(key, "success") || keyIs(key, "req_id") ||
                keyIs(key, "symbol") || keyIs(key, "time_in") || keyIs(key, "time_out") ||
                keyIs(key, "result"))
                readMethodField(key, v);
        }
    }
    // simdjson 3.0.1 has no at_end(); a location inside the input after the root object means
    // something follows it.
    if (const char *rest = nullptr; !doc.current_location().get(rest))
        return failKind(u"invalid JSON: content after the top-level object"_s);

    if (haveMethod)
        return finishMethod();
    switch (channel) {
    case Channel::None:
        if (haveError)
            return finishMethod();
        return Kind::Unknown; // neither channel nor method: unknownName stays empty
    case Channel::Other:
        return Kind::Unknown;
    case Channel::Heartbeat:
        return Kind::Heartbeat;
    default:
        break;
    }

    if (!dataParsed) {
        const Where where{labelOf(channel)};
        if (!dataSeen) {
            fail(where, "data", u"is missing"_s);
            return Kind::Error;
        }
        // "data" came before "channel". The rewind also resets simdjson's string buffer, which
        // is fine: nothing read so far points into it.
        doc.rewind();
        od::object again;
        if (error_code e = doc.get_object().get(again))
            return failKind(u"invalid JSON: "_s + jsonError(e));
        for (auto result : again) {
            od::field field;
            if (error_code e = std::move(result).get(field))
                return failKind(u"invalid JSON: "_s + jsonError(e));
            if (keyIs(field.key(), "data")) {
                if (!parseData(channel, field.value()))
                    return Kind::Error;
                break;
            }
        }
    }

    switch (channel) {
    case Channel::Status:
        return Kind::Status;
    case Channel::Book:
        bookSnapshot = snapshot;
        return Kind::Book;
    case Channel::Ticker:
        return Kind::Ticker;
    case Channel::Trade:
        tradeSnapshot = snapshot;
        return Kind::Trade;
    case Channel::Ohlc:
        ohlcSnapshot = snapshot;
        return Kind::Ohlc;
    case Channel::Instrument:
        instruments.snapshot = snapshot;
        return Kind::Instrument;
    case Channel::None:
    case Channel::Heartbeat:
    case Channel::Other:
        break;
    }
    return Kind::Unknown;
}

WsParser::WsParser()
    : d(std::make_unique<Private>()) {}

WsParser::~WsParser() = default;

WsParser::Kind WsParser::parse(QByteArrayView frame) {
    return d->parse(frame);
}

const QString &WsParser::error() const {
    return d->error;
}
const QString &WsParser::unknownName() const {
    return d->unknownName;
}
const MethodResponse &WsParser::method() const {
    return d->method;
}
const StatusEvent &WsParser::status() const {
    return d->status;
}
bool WsParser::bookSnapshot() const {
    return d->bookSnapshot;
}
const std::vector<BookEntry> &WsParser::bookEntries() const {
    return d->bookEntries;
}
const std::vector<TickerEvent> &WsParser::tickers() const {
    return d->tickers;
}
bool WsParser::tradeSnapshot() const {
    return d->tradeSnapshot;
}
const std::vector<TradeEvent> &WsParser::trades() const {
    return d->trades;
}
bool WsParser::ohlcSnapshot() const {
    return d->ohlcSnapshot;
}
const std::vector<OhlcEvent> &WsParser::candles() const {
    return d->candles;
}
const InstrumentEvent &WsParser::instruments() const {
    return d->instruments;
}

namespace {

bool digitsAt(std::string_view s, std::size_t pos, std::size_t count, int &out) {
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

bool isLeapYear(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * unsigned(m > 2 ? m - 3 : m + 9) + 2) / 5 + unsigned(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

} // namespace

std::optional<std::int64_t> parseRfc3339Ns(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm); RFC 3339 allows lower-case t and z.
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digitsAt(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digitsAt(s, 5, 2, month) ||
        s[7] != '-' || !digitsAt(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
        !digitsAt(s, 11, 2, hour) || s[13] != ':' || !digitsAt(s, 14, 2, minute) || s[16] != ':' ||
        !digitsAt(s, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
        minute > 59 || second > 60) // 60: a leap second, counted into the next minute
        return std::nullopt;

    std::size_t i = 19;
    std::int64_t nanos = 0;
    if (s[i] == '.') {
        ++i;
        const std::size_t start = i;
        int kept = 0;
        for (; i < s.size() && isDigit(s[i]); ++i) {
            // Beyond nanoseconds the digits are dropped (truncation), not rounded.
            if (kept < 9) {
                nanos = nanos * 10 + (s[i] - '0');
                ++kept;
            }
        }
        if (i == start)
            return std::nullopt;
        for (; kept < 9; ++kept)
            nanos *= 10;
    }
    if (i >= s.size())
        return std::nullopt;

    std::int64_t offsetSeconds = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
    } else if (s[i] == '+' || s[i] == '-') {
        int oh = 0, om = 0;
        if (!digitsAt(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
            !digitsAt(s, i + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetSeconds = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size())
        return std::nullopt;

    std::int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                           second - offsetSeconds;
    if (seconds < 0 && nanos > 0) {
        // Borrow a second so that the earliest representable instants do not overflow early.
        seconds += 1;
        nanos -= 1'000'000'000;
    }
    std::int64_t ns = 0;
    if (__builtin_mul_overflow(seconds, std::int64_t(1'000'000'000), &ns) ||
        __builtin_add_overflow(ns, nanos, &ns))
        return std::nullopt; // outside 1677..2262, which int64 nanoseconds cannot hold
    return ns;
}

} // namespace kraken::spot::ws
