#include "simconfig.h"

#include "kraken/core/assetcodes.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTimeZone>

#include <array>

using namespace Qt::StringLiterals;

// The JSON config, every section optional (a missing one keeps the built-in default):
// {
//   "seed": 7,
//   "assets": [{"code": "XXBT", "altname": "XBT", "id": "BTC", "decimals": 10,
//               "display_decimals": 5}, ...],
//   "pairs": [{"key": "XXBTZUSD", "start_price": "64000.0",
//              "asset_pair": { ...one AssetPairs entry, exactly as Kraken serves it... }}, ...],
//   "accounts": [{"id": "paper", "api_key": "...", "secret": "<base64>", "tier": "intermediate",
//                 "maker_fee_pct": "0.25", "taker_fee_pct": "0.40",
//                 "balances": {"USD": "100000", "BTC": "2"}}, ...]
// }

namespace kraken::sim {

namespace {

Decimal dec(const char *text) {
    return *Decimal::fromString(std::string_view(text));
}

SimAsset asset(const char *code, const char *alt, const char *display, int decimals,
               int displayDecimals) {
    return {QString::fromLatin1(code), QString::fromLatin1(alt), QString::fromLatin1(display),
            decimals, displayDecimals};
}

Result<SimPair> makePair(const QString &key, const QJsonObject &entry, const Decimal &start) {
    auto instrument = Instrument::fromAssetPair(key, entry);
    if (!instrument)
        return instrument.error();
    SimPair p;
    p.assetPair = entry;
    p.restKey = key;
    p.instrument = *instrument;
    p.startPrice = start;
    p.pricePrecision = instrument->pairDecimals();
    p.qtyPrecision = instrument->lotDecimals();
    p.priceIncrement = instrument->tickSize();
    p.qtyIncrement = *Decimal::fromParts(1, instrument->lotDecimals());
    if (!start.isMultipleOf(p.priceIncrement) || start.signum() <= 0)
        return Error(Error::Category::InvalidInput,
                     u"pair %1: start_price must be a positive multiple of tick_size"_s.arg(key));
    return p;
}

// An AssetPairs entry shaped as Kraken's, for the built-in pairs.
QJsonObject assetPairEntry(const char *alt, const char *ws, const char *base, const char *quote,
                           int pairDecimals, int costDecimals, const char *tick,
                           const char *ordermin, const char *costmin) {
    QJsonObject o;
    o.insert(u"altname"_s, QString::fromLatin1(alt));
    o.insert(u"wsname"_s, QString::fromLatin1(ws));
    o.insert(u"aclass_base"_s, u"currency"_s);
    o.insert(u"base"_s, QString::fromLatin1(base));
    o.insert(u"aclass_quote"_s, u"currency"_s);
    o.insert(u"quote"_s, QString::fromLatin1(quote));
    o.insert(u"lot"_s, u"unit"_s);
    o.insert(u"cost_decimals"_s, costDecimals);
    o.insert(u"pair_decimals"_s, pairDecimals);
    o.insert(u"lot_decimals"_s, 8);
    o.insert(u"lot_multiplier"_s, 1);
    o.insert(u"leverage_buy"_s, QJsonArray{2, 3});
    o.insert(u"leverage_sell"_s, QJsonArray{2, 3});
    o.insert(u"fees"_s, QJsonArray{QJsonArray{0, 0.4}, QJsonArray{10000, 0.35},
                                   QJsonArray{50000, 0.24}, QJsonArray{100000, 0.22}});
    o.insert(u"fees_maker"_s, QJsonArray{QJsonArray{0, 0.25}, QJsonArray{10000, 0.2},
                                         QJsonArray{50000, 0.14}, QJsonArray{100000, 0.12}});
    o.insert(u"fee_volume_currency"_s, u"ZUSD"_s);
    o.insert(u"margin_call"_s, 80);
    o.insert(u"margin_stop"_s, 40);
    o.insert(u"ordermin"_s, QString::fromLatin1(ordermin));
    o.insert(u"costmin"_s, QString::fromLatin1(costmin));
    o.insert(u"tick_size"_s, QString::fromLatin1(tick));
    o.insert(u"status"_s, u"online"_s);
    return o;
}

// A fixed paper key pair, so that scripts and docs can rely on it; `sim` prints it anyway.
QString derived(const char *label, int bytes) {
    const QByteArray digest = QCryptographicHash::hash(
        QByteArray(QByteArray("krakenterm paper exchange ") + label), QCryptographicHash::Sha512);
    return QString::fromLatin1(digest.left(bytes).toBase64());
}

Error configError(const QString &why) {
    return Error(Error::Category::InvalidInput, u"sim config: "_s % why);
}

Result<QList<SimAsset>> parseAssets(const QJsonArray &array) {
    QList<SimAsset> out;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        SimAsset a;
        a.code = o.value(u"code"_s).toString();
        a.altname = o.value(u"altname"_s).toString(a.code);
        a.display = o.value(u"id"_s).toString(normaliseAsset(a.altname));
        a.decimals = o.value(u"decimals"_s).toInt(8);
        a.displayDecimals = o.value(u"display_decimals"_s).toInt(5);
        if (a.code.isEmpty() || a.decimals < 0 || a.decimals > Decimal::MaxScale)
            return configError(u"every asset needs a code and decimals 0..18"_s);
        out.append(a);
    }
    return out;
}

Result<QList<SimPair>> parsePairs(const QJsonArray &array) {
    QList<SimPair> out;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        const QString key = o.value(u"key"_s).toString();
        const auto start = Decimal::fromString(o.value(u"start_price"_s).toString());
        if (key.isEmpty() || !start)
            return configError(u"every pair needs a key and a start_price string"_s);
        auto pair = makePair(key, o.value(u"asset_pair"_s).toObject(), *start);
        if (!pair)
            return pair.error();
        out.append(*pair);
    }
    return out;
}

Result<QList<SimAccount>> parseAccounts(const QJsonArray &array) {
    QList<SimAccount> out;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        SimAccount a;
        a.id = o.value(u"id"_s).toString();
        a.apiKey = o.value(u"api_key"_s).toString();
        a.secret = o.value(u"secret"_s).toString();
        const auto tier = tierFromString(o.value(u"tier"_s).toString(u"intermediate"_s));
        const auto maker = Decimal::fromString(o.value(u"maker_fee_pct"_s).toString(u"0.25"_s));
        const auto taker = Decimal::fromString(o.value(u"taker_fee_pct"_s).toString(u"0.40"_s));
        if (a.id.isEmpty() || a.apiKey.isEmpty() || a.secret.isEmpty() || !tier || !maker || !taker)
            return configError(u"every account needs id, api_key, secret; tier and fees valid"_s);
        a.tier = *tier;
        a.makerFeePct = *maker;
        a.takerFeePct = *taker;
        const QJsonObject balances = o.value(u"balances"_s).toObject();
        for (auto it = balances.begin(); it != balances.end(); ++it) {
            const auto amount = Decimal::fromString(it.value().toString());
            if (!amount || amount->isNegative())
                return configError(u"account %1: balance of %2 must be a decimal string >= 0"_s.arg(
                    a.id, it.key()));
            a.balances.insert(it.key(), *amount);
        }
        // Optional Futures account: "futures_api_key", "futures_secret",
        // "futures_flex": {"USD": "50000"}, "futures_inverse": {"fi_xbtusd": "1"}.
        a.futuresApiKey = o.value(u"futures_api_key"_s).toString();
        a.futuresSecret = o.value(u"futures_secret"_s).toString();
        a.futuresMakerFeePct = *Decimal::fromString(std::string_view("0.02"));
        a.futuresTakerFeePct = *Decimal::fromString(std::string_view("0.05"));
        for (const auto &[field, target] : {std::pair{u"futures_flex"_s, &a.futuresFlex},
                                            std::pair{u"futures_inverse"_s, &a.futuresInverse}}) {
            const QJsonObject f = o.value(field).toObject();
            for (auto it = f.begin(); it != f.end(); ++it) {
                const auto amount = Decimal::fromString(it.value().toString());
                if (!amount || amount->isNegative())
                    return configError(u"account %1: %2 of %3 must be a decimal string >= 0"_s.arg(
                        a.id, field, it.key()));
                target->insert(it.key(), *amount);
            }
        }
        out.append(a);
    }
    return out;
}

// Kraken's margin tiers for BTC and ETH perpetuals (as /instruments lists them).
QList<SimMarginLevel> marginLevels(std::initializer_list<std::array<const char *, 3>> rows) {
    QList<SimMarginLevel> out;
    for (const auto &r : rows)
        out.append({dec(r[0]), dec(r[1]), dec(r[2])});
    return out;
}

QList<SimFuturesInstrument> builtInFutures() {
    const QDateTime opening(QDate(2022, 6, 28), QTime(0, 0), Qt::UTC);
    SimFuturesInstrument pf;
    pf.symbol = u"PF_XBTUSD"_s;
    pf.type = u"flexible_futures"_s;
    pf.tag = u"perpetual"_s;
    pf.base = u"BTC"_s;
    pf.quote = u"USD"_s;
    pf.pair = u"BTC:USD"_s;
    pf.indexSpotSymbol = u"BTC/USD"_s;
    pf.tickSize = dec("1");
    pf.pricePrecision = 0;
    pf.contractSize = dec("1");
    pf.contractValueTradePrecision = 4;
    pf.startPrice = dec("64000");
    pf.marginLevels = marginLevels({{"0", "0.02", "0.01"},
                                    {"500000", "0.04", "0.02"},
                                    {"2000000", "0.1", "0.05"},
                                    {"10000000", "0.25", "0.125"}});
    pf.fundingRateCoefficient = dec("8");
    pf.maxRelativeFundingRate = dec("0.001");
    pf.maxPositionSize = dec("1000000");
    pf.openingDate = opening;

    SimFuturesInstrument eth = pf;
    eth.symbol = u"PF_ETHUSD"_s;
    eth.base = u"ETH"_s;
    eth.pair = u"ETH:USD"_s;
    eth.indexSpotSymbol = u"ETH/USD"_s;
    eth.tickSize = dec("0.1");
    eth.pricePrecision = 1;
    eth.contractValueTradePrecision = 3;
    eth.startPrice = dec("3200.0");
    eth.marginLevels = marginLevels(
        {{"0", "0.02", "0.01"}, {"250000", "0.04", "0.02"}, {"1000000", "0.1", "0.05"}});

    SimFuturesInstrument pi;
    pi.symbol = u"PI_XBTUSD"_s;
    pi.type = u"futures_inverse"_s;
    pi.tag = u"perpetual"_s;
    pi.base = u"BTC"_s;
    pi.quote = u"USD"_s;
    pi.pair = u"BTC:USD"_s;
    pi.underlying = u"rr_xbtusd"_s;
    pi.indexSpotSymbol = u"BTC/USD"_s;
    pi.tickSize = dec("0.5");
    pi.pricePrecision = 1;
    pi.contractSize = dec("1");
    pi.contractValueTradePrecision = 0;
    pi.startPrice = dec("64000.0");
    pi.marginLevels = marginLevels(
        {{"0", "0.02", "0.01"}, {"500000", "0.04", "0.02"}, {"1000000", "0.06", "0.03"}});
    pi.fundingRateCoefficient = dec("8");
    pi.maxRelativeFundingRate = dec("0.001");
    pi.maxPositionSize = dec("1000000");
    pi.openingDate = opening;

    // A monthly contract expiring on the last Friday at least three weeks ahead, 16:00 UTC,
    // so the symbol stays valid whenever the tests run.
    SimFuturesInstrument fi = pi;
    QDate expiry = QDate::currentDate().addDays(21);
    while (expiry.dayOfWeek() != Qt::Friday)
        expiry = expiry.addDays(1);
    fi.symbol = u"FI_XBTUSD_"_s + expiry.toString(u"yyMMdd"_s);
    fi.tag = u"month"_s;
    fi.lastTradingTime = QDateTime(expiry, QTime(16, 0), Qt::UTC);
    fi.openingDate = QDateTime(expiry.addMonths(-3), QTime(16, 0), Qt::UTC);
    fi.startPrice = dec("64300.0");
    return {pf, pi, eth, fi};
}

} // namespace

QString SimFuturesInstrument::marginAccount() const {
    return inverse()
               ? (u"fi_"_s + QString(base).replace(u"BTC"_s, u"XBT"_s).toLower() + quote.toLower())
               : u"flex"_s;
}

SimConfig SimConfig::builtIn() {
    SimConfig c;
    c.seed = 1;
    c.assets = {
        asset("XXBT", "XBT", "BTC", 10, 5), asset("ZUSD", "USD", "USD", 4, 2),
        asset("ZEUR", "EUR", "EUR", 4, 2),  asset("XETH", "ETH", "ETH", 10, 5),
        asset("SOL", "SOL", "SOL", 10, 5),  asset("XXRP", "XRP", "XRP", 8, 5),
        asset("XXDG", "XDG", "DOGE", 8, 2),
    };
    struct Row {
        const char *key, *alt, *ws, *base, *quote;
        int pairDecimals, costDecimals;
        const char *tick, *ordermin, *costmin, *start;
    };
    static constexpr Row rows[] = {
        {"XXBTZUSD", "XBTUSD", "XBT/USD", "XXBT", "ZUSD", 1, 5, "0.1", "0.00005", "0.5", "64000.0"},
        {"XETHZUSD", "ETHUSD", "ETH/USD", "XETH", "ZUSD", 2, 5, "0.01", "0.002", "0.5", "3200.00"},
        {"SOLUSD", "SOLUSD", "SOL/USD", "SOL", "ZUSD", 2, 5, "0.01", "0.02", "0.5", "150.00"},
        {"XETHXXBT", "ETHXBT", "ETH/XBT", "XETH", "XXBT", 5, 10, "0.00001", "0.002", "0.00002",
         "0.05000"},
        {"XXBTZEUR", "XBTEUR", "XBT/EUR", "XXBT", "ZEUR", 1, 5, "0.1", "0.00005", "0.45",
         "59000.0"},
        {"XXRPZUSD", "XRPUSD", "XRP/USD", "XXRP", "ZUSD", 5, 8, "0.00001", "10", "0.5", "0.60000"},
        {"XDGUSD", "XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8, "0.0000001", "15", "0.5",
         "0.1500000"},
    };
    for (const Row &r : rows) {
        auto pair = makePair(QString::fromLatin1(r.key),
                             assetPairEntry(r.alt, r.ws, r.base, r.quote, r.pairDecimals,
                                            r.costDecimals, r.tick, r.ordermin, r.costmin),
                             dec(r.start));
        Q_ASSERT(pair); // built-in rows are valid by construction; a test checks each
        if (pair)
            c.pairs.append(*pair);
    }
    SimAccount paper;
    paper.id = u"paper"_s;
    paper.apiKey = derived("api key", 42);
    paper.secret = derived("api secret", 64);
    paper.tier = VerificationTier::Intermediate;
    paper.makerFeePct = dec("0.25");
    paper.takerFeePct = dec("0.40");
    paper.balances = {
        {u"USD"_s, dec("100000.0000")},     {u"EUR"_s, dec("50000.0000")},
        {u"BTC"_s, dec("2.0000000000")},    {u"ETH"_s, dec("25.0000000000")},
        {u"SOL"_s, dec("200.0000000000")},  {u"XRP"_s, dec("10000.00000000")},
        {u"DOGE"_s, dec("50000.00000000")},
    };
    // Kraken Futures keys are separate from Spot keys.
    paper.futuresApiKey = derived("futures api key", 42);
    paper.futuresSecret = derived("futures api secret", 64);
    paper.futuresFlex = {{u"USD"_s, dec("50000.00")}};
    paper.futuresInverse = {{u"fi_xbtusd"_s, dec("1.0000000000")}};
    paper.futuresMakerFeePct = dec("0.02");
    paper.futuresTakerFeePct = dec("0.05");
    c.accounts = {paper};
    c.futures = builtInFutures();
    return c;
}

Result<SimConfig> SimConfig::fromJson(const QByteArray &json) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return configError(u"not a JSON object ("_s % parseError.errorString() % u')');
    const QJsonObject root = doc.object();
    SimConfig c = builtIn();
    if (root.contains(u"seed"_s)) {
        const double seed = root.value(u"seed"_s).toDouble(-1);
        if (seed < 0 || seed != static_cast<double>(static_cast<quint64>(seed)))
            return configError(u"seed must be a whole number >= 0"_s);
        c.seed = static_cast<quint64>(seed);
    }
    if (root.contains(u"assets"_s)) {
        auto assets = parseAssets(root.value(u"assets"_s).toArray());
        if (!assets)
            return assets.error();
        c.assets = *assets;
    }
    if (root.contains(u"pairs"_s)) {
        auto pairs = parsePairs(root.value(u"pairs"_s).toArray());
        if (!pairs)
            return pairs.error();
        c.pairs = *pairs;
    }
    if (root.contains(u"accounts"_s)) {
        auto accounts = parseAccounts(root.value(u"accounts"_s).toArray());
        if (!accounts)
            return accounts.error();
        c.accounts = *accounts;
    }
    for (const SimPair &p : std::as_const(c.pairs)) {
        if (!c.assetByDisplay(p.instrument.base()) || !c.assetByDisplay(p.instrument.quote()))
            return configError(u"pair %1 names an asset the config does not list"_s.arg(p.restKey));
    }
    if (c.pairs.isEmpty() || c.accounts.isEmpty())
        return configError(u"needs at least one pair and one account"_s);
    return c;
}

const SimPair *SimConfig::pairBySymbol(QStringView symbol) const {
    for (const SimPair &p : pairs)
        if (p.instrument.symbol() == symbol)
            return &p;
    return nullptr;
}

const SimPair *SimConfig::pairByAnyName(QStringView name) const {
    for (const SimPair &p : pairs) {
        const Instrument &i = p.instrument;
        if (i.restKey() == name || i.altname() == name || i.symbol() == name || i.wsname() == name)
            return &p;
    }
    return nullptr;
}

const SimAccount *SimConfig::accountByKey(QStringView apiKey) const {
    for (const SimAccount &a : accounts)
        if (a.apiKey == apiKey)
            return &a;
    return nullptr;
}

const SimFuturesInstrument *SimConfig::futuresBySymbol(QStringView symbol) const {
    for (const SimFuturesInstrument &f : futures)
        if (f.symbol.compare(symbol, Qt::CaseInsensitive) == 0)
            return &f;
    return nullptr;
}

const SimAccount *SimConfig::accountByFuturesKey(QStringView apiKey) const {
    for (const SimAccount &a : accounts)
        if (!a.futuresApiKey.isEmpty() && a.futuresApiKey == apiKey)
            return &a;
    return nullptr;
}

const SimAsset *SimConfig::assetByDisplay(QStringView display) const {
    for (const SimAsset &a : assets)
        if (a.display == display)
            return &a;
    return nullptr;
}

} // namespace kraken::sim
