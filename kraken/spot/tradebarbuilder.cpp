#include "tradebarbuilder.h"

#include <QtGlobal>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>
#include <vector>

namespace kraken::spot {
namespace {

constexpr std::int64_t NsPerMinute = 60'000'000'000;
constexpr std::int64_t Int64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t Int64Max = std::numeric_limits<std::int64_t>::max();

// The start of the interval holding t: floor division, so that a (theoretical) pre-epoch
// timestamp lands in the interval before zero rather than the one after. nullopt when the
// interval's begin or end would not fit 64 bits.
std::optional<std::int64_t> intervalBegin(std::int64_t t, std::int64_t interval) {
    std::int64_t begin = t / interval * interval; // truncates toward zero
    if (t % interval < 0) {
        if (begin < Int64Min + interval)
            return std::nullopt;
        begin -= interval;
    }
    if (begin > Int64Max - interval)
        return std::nullopt;
    return begin;
}

} // namespace

bool TradeBarBuilder::isKrakenInterval(int minutes) {
    static constexpr std::array<int, 9> Kraken = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600};
    return std::find(Kraken.begin(), Kraken.end(), minutes) != Kraken.end();
}

TradeBarBuilder::TradeBarBuilder(int intervalMinutes, QObject *parent)
    : QObject(parent) {
    Q_ASSERT_X(intervalMinutes >= 1 && intervalMinutes <= MaxIntervalMinutes, "TradeBarBuilder",
               "interval out of range");
    m_intervalMinutes = std::clamp(intervalMinutes, 1, MaxIntervalMinutes);
    m_intervalNs = std::int64_t(m_intervalMinutes) * NsPerMinute;
}

TradeBarBuilder::~TradeBarBuilder() = default;

void TradeBarBuilder::addTrade(const ws::TradeEvent &trade) {
    // A zero qty would make a bar's volume zero and its vwap undefined; a negative qty or
    // price is not a trade. Either is corrupt input, not something to fold into a bar.
    if (trade.qty.signum() <= 0 || trade.price.isNegative()) {
        ++m_rejectedTrades;
        return;
    }
    const auto begin = intervalBegin(trade.timestampNs, m_intervalNs);
    if (!begin) {
        ++m_rejectedTrades;
        return;
    }
    // The caller's clock already closed this interval: any bar for it was final.
    if (m_watermarkNs && *begin + m_intervalNs <= *m_watermarkNs) {
        ++m_lateTrades;
        return;
    }

    const auto found = m_series.find(trade.symbol);
    Series *series = found != m_series.end() ? &found->second : nullptr;
    if (series && (*begin < series->bar.intervalBeginNs ||
                   (*begin == series->bar.intervalBeginNs && !series->forming))) {
        ++m_lateTrades;
        return;
    }
    const bool sameBar = series && series->forming && *begin == series->bar.intervalBeginNs;

    // Everything that can overflow is computed before anything changes, so a refused trade
    // leaves the bar exactly as it was. The product keeps all price scale + qty scale places
    // (exact); only past 18 places, which typical Kraken precisions do not reach, is it
    // rounded (HalfEven).
    const int productScale = std::min(trade.price.scale() + trade.qty.scale(), Decimal::MaxScale);
    const auto product = trade.price.times(trade.qty, productScale);
    if (!product) {
        ++m_rejectedTrades;
        return;
    }
    const auto notional = sameBar ? series->notional.plus(*product) : product;
    const auto volume =
        sameBar ? series->bar.volume.plus(trade.qty) : std::optional<Decimal>(trade.qty);
    const int priceScale =
        sameBar ? std::max(series->priceScale, trade.price.scale()) : trade.price.scale();
    const auto vwap = notional && volume ? notional->dividedBy(*volume, priceScale) : std::nullopt;
    if (!vwap) {
        ++m_rejectedTrades;
        return;
    }

    std::optional<ws::OhlcEvent> closed;
    ws::OhlcEvent updated;
    if (sameBar) {
        ws::OhlcEvent &bar = series->bar;
        bar.high = std::max(bar.high, trade.price);
        bar.low = std::min(bar.low, trade.price);
        // Out-of-order prints inside the bar: open and close follow time, not arrival.
        if (trade.timestampNs < series->openNs) {
            bar.open = trade.price;
            series->openNs = trade.timestampNs;
        }
        if (trade.timestampNs >= bar.timestampNs) {
            bar.close = trade.price;
            bar.timestampNs = trade.timestampNs;
        }
        bar.volume = *volume;
        bar.vwap = *vwap;
        ++bar.trades;
        series->notional = *notional;
        series->priceScale = priceScale;
        updated = bar;
    } else {
        if (series && series->forming)
            closed = series->bar;
        Series fresh;
        fresh.bar.symbol = trade.symbol;
        fresh.bar.open = fresh.bar.high = fresh.bar.low = fresh.bar.close = trade.price;
        fresh.bar.vwap = *vwap;
        fresh.bar.volume = *volume;
        fresh.bar.trades = 1;
        fresh.bar.intervalMinutes = m_intervalMinutes;
        fresh.bar.intervalBeginNs = *begin;
        fresh.bar.timestampNs = trade.timestampNs;
        fresh.notional = *notional;
        fresh.priceScale = priceScale;
        fresh.openNs = trade.timestampNs;
        fresh.forming = true;
        updated = fresh.bar;
        m_series.insert_or_assign(trade.symbol, std::move(fresh));
    }
    // State is final before any signal, and the signals carry copies: a slot may call back
    // into the builder.
    if (closed)
        Q_EMIT barClosed(*closed);
    Q_EMIT barUpdated(updated);
}

void TradeBarBuilder::advanceTo(std::int64_t nowNs) {
    if (m_watermarkNs && nowNs <= *m_watermarkNs)
        return;
    m_watermarkNs = nowNs;
    std::vector<ws::OhlcEvent> closed;
    for (auto &[symbol, series] : m_series) {
        // intervalBegin() guaranteed that begin + interval fits.
        if (series.forming && series.bar.intervalBeginNs + m_intervalNs <= nowNs) {
            series.forming = false;
            closed.push_back(series.bar);
        }
    }
    for (const ws::OhlcEvent &bar : closed)
        Q_EMIT barClosed(bar);
}

std::optional<ws::OhlcEvent> TradeBarBuilder::formingBar(const QString &symbol) const {
    const auto found = m_series.find(symbol);
    if (found == m_series.end() || !found->second.forming)
        return std::nullopt;
    return found->second.bar;
}

} // namespace kraken::spot
