#include "replayfeed.h"

#include "logging.h"
#include "marketsim.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <utility>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

namespace od = simdjson::ondemand;

using RawLevels = std::vector<std::pair<qint64, qint64>>; // price, qty mantissas

constexpr qint64 UntimedSpacingNs = 100'000'000; // a capture without recv times: 10 frames/s
constexpr int BatchMax = 500; // entries per event-loop turn, so the servers keep answering

// One data element of one frame, for one of the exchange's markets.
struct Entry {
    qint64 timeNs = -1; // recv time; -1 until resolved after loading
    int line = 0;
    int market = -1;
    bool isBook = true;
    bool snapshot = false;
    RawLevels bids, asks;      // book
    Side side = Side::Buy;     // trade: the taker's side
    qint64 price = 0, qty = 0; // trade
    bool marketOrder = false;  // trade
};

struct Mirror { // the capture's book as a subscriber at its depth holds it
    std::map<qint64, qint64, std::greater<qint64>> bids;
    std::map<qint64, qint64> asks;
    bool ready = false; // a snapshot seen in this pass
    int depth = 0;
    int firstSnapshot = -1; // entry index
};

struct TopFields {
    std::optional<qint64> recv;
    std::optional<std::string> msg;
    std::string channel, type, method;
    std::optional<std::string> data, result;
    bool success = false;
};

std::string_view trimRight(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

QString fromView(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The number's own token text into a Decimal: a double would lose trailing zeros and digits.
bool readNumber(od::value &v, Decimal &out) {
    od::json_type type{};
    if (v.type().get(type) || type != od::json_type::number)
        return false;
    const auto d = Decimal::fromString(trimRight(v.raw_json_token()));
    if (!d)
        return false;
    out = *d;
    return true;
}

bool readString(od::value &v, std::string &out) {
    std::string_view s;
    if (v.get_string().get(s))
        return false;
    out.assign(s);
    return true;
}

std::optional<qint64> mantissaAt(const Decimal &d, int scale) {
    const auto r = d.rescaled(scale, Rounding::HalfEven);
    return r ? std::optional<qint64>(r->mantissa()) : std::nullopt;
}

class Loader {
public:
    Loader(const std::vector<MarketSim *> &markets, std::vector<Entry> &entries,
           std::vector<Mirror> &mirrors)
        : m_markets(markets)
        , m_entries(entries)
        , m_mirrors(mirrors) {
        for (std::size_t i = 0; i < markets.size(); ++i)
            m_index.insert(markets[i]->symbol(), int(i));
    }

    qint64 skippedUnknown = 0;
    qint64 skippedOther = 0;

    // Empty on success, else what is wrong with the line.
    QString line(std::string_view text, int lineNo) {
        TopFields top;
        if (QString why = readTop(text, top); !why.isEmpty())
            return why;
        std::optional<qint64> recv = top.recv;
        if (top.msg) {
            if (!top.channel.empty() || !top.method.empty())
                return u"a line with both \"msg\" and \"channel\"/\"method\""_s;
            const std::string inner = *top.msg; // top is overwritten below
            top = {};
            if (QString why = readTop(inner, top); !why.isEmpty())
                return u"msg: "_s + why;
            if (top.msg)
                return u"msg: a nested \"msg\""_s;
        } else if (recv) {
            return u"a {\"recv\", \"msg\"} line without \"msg\""_s;
        }
        if (top.method == "subscribe" && top.success && top.result)
            return readAck(*top.result);
        if ((top.channel != "book" && top.channel != "trade") || !top.data) {
            ++skippedOther;
            return {};
        }
        if (top.channel == "trade" && top.type == "snapshot") {
            ++skippedOther; // trades from before the capture began
            return {};
        }
        if (top.type != "snapshot" && top.type != "update")
            return u"%1 frame with type \"%2\""_s.arg(fromView(top.channel), fromView(top.type));
        const std::size_t first = m_entries.size();
        const QString why = top.channel == "book" ? readBook(*top.data, top.type == "snapshot")
                                                  : readTrades(*top.data);
        if (!why.isEmpty())
            return why;
        for (std::size_t i = first; i < m_entries.size(); ++i) {
            m_entries[i].line = lineNo;
            m_entries[i].timeNs = recv.value_or(-1);
        }
        return {};
    }

    void finish() {
        // Depth: the subscription's, else the largest snapshot side seen.
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            const Entry &e = m_entries[i];
            if (!e.isBook || !e.snapshot)
                continue;
            Mirror &m = m_mirrors[std::size_t(e.market)];
            if (m.firstSnapshot < 0)
                m.firstSnapshot = int(i);
            if (!m_ackDepth.contains(e.market))
                m.depth = std::max({m.depth, int(e.bids.size()), int(e.asks.size())});
        }
        for (auto it = m_ackDepth.cbegin(); it != m_ackDepth.cend(); ++it)
            m_mirrors[std::size_t(it.key())].depth = it.value();
        // Untimed lines play with the line before them (the first ones with the first timed
        // line); with no times at all, one line per UntimedSpacingNs.
        bool anyTimed = false;
        qint64 firstTime = 0;
        for (const Entry &e : m_entries) {
            if (e.timeNs >= 0) {
                anyTimed = true;
                firstTime = e.timeNs;
                break;
            }
        }
        qint64 current = firstTime;
        int lastLine = -1;
        qint64 ordinal = -1;
        for (Entry &e : m_entries) {
            if (e.line != lastLine) {
                lastLine = e.line;
                ++ordinal;
            }
            if (!anyTimed)
                e.timeNs = ordinal * UntimedSpacingNs;
            else if (e.timeNs >= 0)
                current = std::max(current, e.timeNs); // never backwards
            if (anyTimed)
                e.timeNs = current;
        }
    }

private:
    const std::vector<MarketSim *> &m_markets;
    std::vector<Entry> &m_entries;
    std::vector<Mirror> &m_mirrors;
    QHash<QString, int> m_index;
    QHash<int, int> m_ackDepth;
    od::parser m_parser;

    QString readTop(std::string_view text, TopFields &f) {
        const simdjson::padded_string padded(text);
        od::document doc;
        od::object obj;
        if (m_parser.iterate(padded).get(doc) || doc.get_object().get(obj))
            return u"not a JSON object"_s;
        for (auto result : obj) {
            od::field field;
            std::string_view key;
            if (std::move(result).get(field) || field.unescaped_key().get(key))
                return u"malformed JSON"_s;
            od::value v = field.value();
            bool ok = true;
            if (key == "recv") {
                int64_t n = 0;
                ok = !v.get_int64().get(n);
                if (!ok)
                    return u"\"recv\" is not an integer"_s;
                f.recv = n;
            } else if (key == "msg") {
                od::object m;
                std::string_view raw;
                if (v.get_object().get(m) || m.raw_json().get(raw))
                    return u"\"msg\" is not a JSON object"_s;
                f.msg = std::string(raw);
            } else if (key == "channel") {
                ok = readString(v, f.channel);
            } else if (key == "type") {
                ok = readString(v, f.type);
            } else if (key == "method") {
                ok = readString(v, f.method);
            } else if (key == "success") {
                ok = !v.get_bool().get(f.success);
            } else if (key == "data") {
                od::json_type type{};
                if (v.type().get(type))
                    return u"malformed JSON"_s;
                if (type == od::json_type::array) { // instrument's data is an object: unused
                    od::array a;
                    std::string_view raw;
                    if (v.get_array().get(a) || a.raw_json().get(raw))
                        return u"malformed JSON in \"data\""_s;
                    f.data = std::string(raw);
                }
            } else if (key == "result") {
                od::json_type type{};
                if (v.type().get(type))
                    return u"malformed JSON"_s;
                if (type == od::json_type::object) {
                    od::object o;
                    std::string_view raw;
                    if (v.get_object().get(o) || o.raw_json().get(raw))
                        return u"malformed JSON in \"result\""_s;
                    f.result = std::string(raw);
                }
            }
            if (!ok)
                return u"\"%1\" has the wrong type"_s.arg(fromView(key));
        }
        return {};
    }

    QString readAck(const std::string &text) {
        const simdjson::padded_string padded(text);
        od::document doc;
        od::object obj;
        if (m_parser.iterate(padded).get(doc) || doc.get_object().get(obj))
            return u"malformed subscribe result"_s;
        std::string channel, symbol;
        int64_t depth = 0;
        for (auto result : obj) {
            od::field field;
            std::string_view key;
            if (std::move(result).get(field) || field.unescaped_key().get(key))
                return u"malformed subscribe result"_s;
            od::value v = field.value();
            if (key == "channel" && !readString(v, channel))
                return u"malformed subscribe result"_s;
            if (key == "symbol" && !readString(v, symbol))
                return u"malformed subscribe result"_s;
            if (key == "depth" && v.get_int64().get(depth))
                return u"malformed subscribe result"_s;
        }
        const auto it = m_index.constFind(fromView(symbol));
        if (channel == "book" && depth > 0 && it != m_index.cend())
            m_ackDepth.insert(it.value(), int(depth));
        else
            ++skippedOther;
        return {};
    }

    // The element's market, or -1 (counted) when the exchange does not have the symbol.
    int marketOf(std::string_view symbol) {
        const auto it = m_index.constFind(fromView(symbol));
        if (it == m_index.cend()) {
            ++skippedUnknown;
            return -1;
        }
        return it.value();
    }

    QString readLevels(od::value &v, std::vector<std::pair<Decimal, Decimal>> &out,
                       const char *name) {
        od::array arr;
        if (v.get_array().get(arr))
            return u"\"%1\" is not an array"_s.arg(QLatin1StringView(name));
        for (auto result : arr) {
            od::object level;
            if (std::move(result).get(level))
                return u"a level in \"%1\" is not an object"_s.arg(QLatin1StringView(name));
            Decimal price, qty;
            bool havePrice = false, haveQty = false;
            for (auto fr : level) {
                od::field field;
                std::string_view key;
                if (std::move(fr).get(field) || field.unescaped_key().get(key))
                    return u"malformed JSON in \"%1\""_s.arg(QLatin1StringView(name));
                od::value lv = field.value();
                if (key == "price") {
                    havePrice = readNumber(lv, price);
                    if (!havePrice)
                        return u"a price in \"%1\" is not a number Decimal holds"_s.arg(
                            QLatin1StringView(name));
                } else if (key == "qty") {
                    haveQty = readNumber(lv, qty);
                    if (!haveQty)
                        return u"a qty in \"%1\" is not a number Decimal holds"_s.arg(
                            QLatin1StringView(name));
                }
            }
            if (!havePrice || !haveQty)
                return u"a level in \"%1\" without price or qty"_s.arg(QLatin1StringView(name));
            out.emplace_back(price, qty);
        }
        return {};
    }

    QString toRaw(const std::vector<std::pair<Decimal, Decimal>> &in, const MarketSim &m,
                  RawLevels &out) {
        for (const auto &[price, qty] : in) {
            const auto p = mantissaAt(price, m.pricePrecision());
            const auto q = mantissaAt(qty, m.qtyPrecision());
            if (!p || !q || *p <= 0 || *q < 0)
                return u"level %1 x %2 is out of range for %3"_s.arg(price.toString(),
                                                                     qty.toString(), m.symbol());
            out.emplace_back(*p, *q);
        }
        return {};
    }

    QString readBook(const std::string &text, bool snapshot) {
        const simdjson::padded_string padded(text);
        od::document doc;
        od::array arr;
        if (m_parser.iterate(padded).get(doc) || doc.get_array().get(arr))
            return u"malformed book data"_s;
        for (auto result : arr) {
            od::object obj;
            if (std::move(result).get(obj))
                return u"a book data element is not an object"_s;
            std::string symbol;
            std::vector<std::pair<Decimal, Decimal>> bids, asks;
            for (auto fr : obj) {
                od::field field;
                std::string_view key;
                if (std::move(fr).get(field) || field.unescaped_key().get(key))
                    return u"malformed JSON in book data"_s;
                od::value v = field.value();
                QString why;
                if (key == "symbol" && !readString(v, symbol))
                    return u"book \"symbol\" is not a string"_s;
                if (key == "bids")
                    why = readLevels(v, bids, "bids");
                else if (key == "asks")
                    why = readLevels(v, asks, "asks");
                if (!why.isEmpty())
                    return why;
            }
            if (symbol.empty())
                return u"book data without \"symbol\""_s;
            const int market = marketOf(symbol);
            if (market < 0)
                continue;
            Entry e;
            e.market = market;
            e.isBook = true;
            e.snapshot = snapshot;
            const MarketSim &m = *m_markets[std::size_t(market)];
            if (QString why = toRaw(bids, m, e.bids); !why.isEmpty())
                return why;
            if (QString why = toRaw(asks, m, e.asks); !why.isEmpty())
                return why;
            m_entries.push_back(std::move(e));
        }
        return {};
    }

    QString readTrades(const std::string &text) {
        const simdjson::padded_string padded(text);
        od::document doc;
        od::array arr;
        if (m_parser.iterate(padded).get(doc) || doc.get_array().get(arr))
            return u"malformed trade data"_s;
        for (auto result : arr) {
            od::object obj;
            if (std::move(result).get(obj))
                return u"a trade data element is not an object"_s;
            std::string symbol, side, ordType;
            Decimal price, qty;
            bool havePrice = false, haveQty = false;
            for (auto fr : obj) {
                od::field field;
                std::string_view key;
                if (std::move(fr).get(field) || field.unescaped_key().get(key))
                    return u"malformed JSON in trade data"_s;
                od::value v = field.value();
                bool ok = true;
                if (key == "symbol")
                    ok = readString(v, symbol);
                else if (key == "side")
                    ok = readString(v, side);
                else if (key == "ord_type")
                    ok = readString(v, ordType);
                else if (key == "price")
                    ok = havePrice = readNumber(v, price);
                else if (key == "qty")
                    ok = haveQty = readNumber(v, qty);
                if (!ok)
                    return u"trade \"%1\" has the wrong type"_s.arg(fromView(key));
            }
            if (symbol.empty() || !havePrice || !haveQty || (side != "buy" && side != "sell"))
                return u"a trade without symbol, side, price or qty"_s;
            const int market = marketOf(symbol);
            if (market < 0)
                continue;
            const MarketSim &m = *m_markets[std::size_t(market)];
            const auto p = mantissaAt(price, m.pricePrecision());
            const auto q = mantissaAt(qty, m.qtyPrecision());
            if (!p || !q || *p <= 0 || *q <= 0)
                return u"trade %1 x %2 is out of range for %3"_s.arg(price.toString(),
                                                                     qty.toString(), m.symbol());
            Entry e;
            e.market = market;
            e.isBook = false;
            e.side = side == "buy" ? Side::Buy : Side::Sell;
            e.price = *p;
            e.qty = *q;
            e.marketOrder = ordType == "market";
            m_entries.push_back(std::move(e));
        }
        return {};
    }
};

} // namespace

struct ReplayFeed::Impl {
    ReplayFeed *q = nullptr;
    std::vector<MarketSim *> markets;
    std::vector<Mirror> mirrors;
    std::vector<Entry> entries;
    QTimer timer;
    QElapsedTimer clock;
    std::size_t cursor = 0;
    double speed = 1.0;
    bool loop = true;
    bool running = false;
    int passes = 0;
    qint64 applied = 0, skippedUnknown = 0, skippedOther = 0;
    std::vector<qint64> touched;
    std::vector<SimLevel> scratch;

    Decimal price(const MarketSim &m, qint64 p) const {
        return *Decimal::fromParts(p, m.pricePrecision());
    }
    Decimal qty(const MarketSim &m, qint64 v) const {
        return *Decimal::fromParts(v, m.qtyPrecision());
    }

    template<class Map> void fullSide(const MarketSim &m, const Map &side) {
        scratch.clear();
        for (const auto &[p, v] : side)
            scratch.push_back({price(m, p), qty(m, v)});
    }

    // Applies an update as the subscriber does, then hands the market every level that
    // changed, the ones truncated below the depth included (as deletes).
    template<class Map>
    void updateSide(MarketSim &m, Map &side, const RawLevels &levels, int depth, Side which) {
        touched.clear();
        for (const auto &[p, v] : levels) {
            if (v == 0)
                side.erase(p);
            else
                side[p] = v;
            touched.push_back(p);
        }
        while (depth > 0 && side.size() > std::size_t(depth)) {
            touched.push_back(std::prev(side.end())->first);
            side.erase(std::prev(side.end()));
        }
        if (touched.empty())
            return;
        scratch.clear();
        for (const qint64 p : touched) {
            const auto it = side.find(p);
            scratch.push_back({price(m, p), qty(m, it == side.end() ? 0 : it->second)});
        }
        m.applyExternalBook(which, scratch, false);
    }

    void apply(const Entry &e) {
        MarketSim &m = *markets[std::size_t(e.market)];
        if (!e.isBook) {
            MarketTrade t;
            t.takerSide = e.side;
            t.price = price(m, e.price);
            t.qty = qty(m, e.qty);
            t.marketOrder = e.marketOrder;
            m.applyExternalTrade(t); // time: now, the capture's would be in the past
            ++applied;
            return;
        }
        Mirror &mirror = mirrors[std::size_t(e.market)];
        if (e.snapshot) {
            mirror.bids.clear();
            mirror.asks.clear();
            for (const auto &[p, v] : e.bids)
                if (v > 0)
                    mirror.bids[p] = v;
            for (const auto &[p, v] : e.asks)
                if (v > 0)
                    mirror.asks[p] = v;
            while (mirror.depth > 0 && mirror.bids.size() > std::size_t(mirror.depth))
                mirror.bids.erase(std::prev(mirror.bids.end()));
            while (mirror.depth > 0 && mirror.asks.size() > std::size_t(mirror.depth))
                mirror.asks.erase(std::prev(mirror.asks.end()));
            mirror.ready = true;
            fullSide(m, mirror.bids);
            m.applyExternalBook(Side::Buy, scratch, true);
            fullSide(m, mirror.asks);
            m.applyExternalBook(Side::Sell, scratch, true);
            ++applied;
            return;
        }
        if (!mirror.ready)
            return; // before the symbol's first snapshot: a subscriber would wait too
        updateSide(m, mirror.bids, e.bids, mirror.depth, Side::Buy);
        updateSide(m, mirror.asks, e.asks, mirror.depth, Side::Sell);
        ++applied;
    }

    void beginPass() {
        cursor = 0;
        clock.restart();
        for (Mirror &mirror : mirrors) {
            mirror.ready = false;
            if (mirror.firstSnapshot >= 0) {
                apply(entries[std::size_t(mirror.firstSnapshot)]);
                --applied; // counted when the sequence reaches it
            }
        }
    }

    void tick() {
        int n = 0;
        while (running) {
            if (cursor == entries.size()) {
                ++passes;
                Q_EMIT q->passFinished(passes);
                if (!loop) {
                    running = false;
                    Q_EMIT q->finished();
                    return;
                }
                beginPass();
                timer.start(0); // one pass per turn at most, even for tiny captures
                return;
            }
            const Entry &e = entries[cursor];
            if (speed > 0) {
                const double dueNs = double(e.timeNs - entries.front().timeNs) / speed;
                const double nowNs = double(clock.nsecsElapsed());
                if (dueNs > nowNs) {
                    timer.start(int(std::min((dueNs - nowNs) / 1e6 + 1, 3'600'000.0)));
                    return;
                }
            }
            ++cursor;
            apply(e);
            // Each captured frame becomes one published state, so subscribers see every step
            // of the capture even when many frames are applied in one event-loop turn.
            markets[std::size_t(e.market)]->publishNow();
            if (++n >= BatchMax) {
                timer.start(0);
                return;
            }
        }
    }
};

ReplayFeed::ReplayFeed(std::vector<MarketSim *> markets, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->markets = std::move(markets);
    d->mirrors.resize(d->markets.size());
    d->timer.setSingleShot(true);
    d->timer.setTimerType(Qt::PreciseTimer);
    connect(&d->timer, &QTimer::timeout, this, [this] { d->tick(); });
}

ReplayFeed::~ReplayFeed() = default;

bool ReplayFeed::load(const QByteArray &contents, QString *error) {
    stop();
    std::vector<Entry> entries;
    std::vector<Mirror> mirrors(d->markets.size());
    Loader loader(d->markets, entries, mirrors);
    int lineNo = 0;
    qsizetype start = 0;
    while (start < contents.size()) {
        qsizetype end = contents.indexOf('\n', start);
        if (end < 0)
            end = contents.size();
        ++lineNo;
        const QByteArrayView line = QByteArrayView(contents).sliced(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        const QString why =
            loader.line(std::string_view(line.data(), std::size_t(line.size())), lineNo);
        if (!why.isEmpty()) {
            if (error)
                *error = u"line %1: %2"_s.arg(lineNo).arg(why);
            return false;
        }
    }
    if (entries.empty()) {
        if (error)
            *error = u"no book or trade data for any of the exchange's pairs"_s;
        return false;
    }
    loader.finish();
    d->entries = std::move(entries);
    d->mirrors = std::move(mirrors);
    d->skippedUnknown = loader.skippedUnknown;
    d->skippedOther = loader.skippedOther;
    d->applied = 0;
    d->passes = 0;
    qCInfo(lcSim).noquote() << "replay:" << d->entries.size() << "entries for"
                            << symbols().join(u", "_s) << "loaded;" << d->skippedUnknown
                            << "for other symbols and" << d->skippedOther << "other lines skipped";
    return true;
}

bool ReplayFeed::loadFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return false;
    }
    QString why;
    if (!load(f.readAll(), &why)) {
        if (error)
            *error = path + u": "_s + why;
        return false;
    }
    return true;
}

void ReplayFeed::start(double speed, bool loop) {
    stop();
    if (d->entries.empty())
        return;
    d->speed = speed > 0 ? speed : 0;
    d->loop = loop;
    d->running = true;
    std::vector<bool> driven(d->markets.size(), false);
    for (const Entry &e : d->entries)
        driven[std::size_t(e.market)] = true;
    for (std::size_t i = 0; i < d->markets.size(); ++i)
        if (driven[i])
            d->markets[i]->setExternalFeed(true);
    d->beginPass();
    d->timer.start(0);
}

void ReplayFeed::stop() {
    d->running = false;
    d->timer.stop();
}

bool ReplayFeed::isRunning() const {
    return d->running;
}

QStringList ReplayFeed::symbols() const {
    std::vector<bool> driven(d->markets.size(), false);
    for (const Entry &e : d->entries)
        driven[std::size_t(e.market)] = true;
    QStringList out;
    for (std::size_t i = 0; i < d->markets.size(); ++i)
        if (driven[i])
            out.append(d->markets[i]->symbol());
    return out;
}

int ReplayFeed::depth(const QString &symbol) const {
    for (std::size_t i = 0; i < d->markets.size(); ++i)
        if (d->markets[i]->symbol() == symbol)
            return d->mirrors[i].depth;
    return 0;
}

int ReplayFeed::passes() const {
    return d->passes;
}

qint64 ReplayFeed::framesApplied() const {
    return d->applied;
}

qint64 ReplayFeed::skippedUnknownSymbol() const {
    return d->skippedUnknown;
}

qint64 ReplayFeed::skippedOther() const {
    return d->skippedOther;
}

} // namespace kraken::sim
