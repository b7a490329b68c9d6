#include "laddermodel.h"

#include <algorithm>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace model {

namespace {

constexpr qint64 FlashMs = 400;

struct Group {
    std::int64_t price = 0; // mantissa at the book's price precision, rounded to the bucket
    std::int64_t qty = 0;   // summed, at the book's qty precision
};

std::int64_t floorTo(std::int64_t v, std::int64_t bucket) {
    std::int64_t q = v / bucket;
    if (v % bucket != 0 && v < 0)
        --q;
    return q * bucket;
}

std::int64_t ceilTo(std::int64_t v, std::int64_t bucket) {
    std::int64_t q = v / bucket;
    if (v % bucket != 0 && v > 0)
        ++q;
    return q * bucket;
}

// The first `n` buckets of one side, best first. Bids round down and asks up, so a bucket
// never shows a better price than any order in it.
std::vector<Group> groupSide(const std::vector<kraken::book::Level> &levels, bool bids,
                             std::int64_t bucket, int n) {
    std::vector<Group> out;
    out.reserve(std::size_t(n));
    for (const kraken::book::Level &l : levels) {
        const std::int64_t key = bucket <= 1 ? l.price
                                 : bids      ? floorTo(l.price, bucket)
                                             : ceilTo(l.price, bucket);
        if (!out.empty() && out.back().price == key) {
            out.back().qty += l.qty;
            continue;
        }
        if (int(out.size()) == n)
            break;
        out.push_back({key, l.qty});
    }
    return out;
}

QString text(std::int64_t mantissa, int precision) {
    const auto d = kraken::Decimal::fromParts(mantissa, precision);
    return d ? d->toString(precision) : QString();
}

} // namespace

LadderModel::LadderModel(int levelsPerSide, QObject *parent)
    : QAbstractTableModel(parent)
    , m_levels(std::max(1, levelsPerSide)) {
    registerMarketDataMetaTypes();
    m_rows.resize(2 * m_levels + 1);
    m_clock.start();
    m_flashTimer.setSingleShot(true);
    connect(&m_flashTimer, &QTimer::timeout, this, &LadderModel::expireFlashes);
}

int LadderModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LadderModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool LadderModel::flashOn(const Cell &cell, qint64 nowMs) const {
    return cell.changedAtMs >= 0 && nowMs - cell.changedAtMs < FlashMs;
}

QVariant LadderModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Cell &cell = m_rows.at(row);
    const int side = row < m_levels ? 1 : row == m_levels ? 0 : -1;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Price:
            return cell.price;
        case Size:
            return cell.size;
        case Cumulative:
            return cell.cumulative;
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::AccessibleTextRole:
        if (side == 0)
            return cell.price.isEmpty() ? QString() : QString(u"spread "_s % cell.price);
        if (cell.price.isEmpty())
            return QString();
        return QString(
            (side > 0 ? u"ask "_s : u"bid "_s) % cell.price % u" size "_s % cell.size %
            (cell.ownBuy.isEmpty() ? QString() : QString(u", own buy "_s % cell.ownBuy)) %
            (cell.ownSell.isEmpty() ? QString() : QString(u", own sell "_s % cell.ownSell)));
    case SideRole:
        return side;
    case SizeFractionRole:
        return cell.fraction;
    case FlashRole:
        return flashOn(cell, m_clock.elapsed());
    case OwnOrderRole:
        return cell.ownTotal;
    case PriceRole:
        return side == 0 ? QString() : cell.price;
    case OwnBuyQtyRole:
        return cell.ownBuy;
    case OwnSellQtyRole:
        return cell.ownSell;
    case OwnClOrdIdsRole:
        return QStringList(cell.ownBuyIds + cell.ownSellIds);
    case OwnBuyClOrdIdsRole:
        return cell.ownBuyIds;
    case OwnSellClOrdIdsRole:
        return cell.ownSellIds;
    }
    return {};
}

QVariant LadderModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Price:
        return u"Price"_s;
    case Size:
        return u"Size"_s;
    case Cumulative:
        return u"Total"_s;
    }
    return {};
}

void LadderModel::setBook(const BookPtr &book) {
    const bool sameSymbol = book && m_book && book->symbol == m_book->symbol;
    m_book = book;
    rebuild(sameSymbol);
}

void LadderModel::setGrouping(int ticks) {
    ticks = std::max(1, ticks);
    if (ticks == m_grouping)
        return;
    m_grouping = ticks;
    rebuild(false);
}

void LadderModel::setTickSize(const kraken::Decimal &tick) {
    if (tick.identical(m_tick))
        return;
    m_tick = tick;
    rebuild(false);
}

void LadderModel::setOwnOrders(const QList<OrderRecord> &orders) {
    const int qtyScale = m_book ? m_book->qtyPrecision : 8;
    QList<OwnOrder> own;
    for (const OrderRecord &r : orders) {
        // Trigger orders (stop-loss-limit, take-profit-limit, ...) are not in the book until
        // they trigger, and dragging one would move its limit, not its trigger: not shown.
        if (!isWorking(r.state) || !r.limitPrice || r.triggerPrice || r.clOrdId.isEmpty())
            continue;
        std::optional<kraken::Decimal> remaining;
        if (r.quoteQty) {
            // qty is a quote amount: what is left of it, in base units at the limit price.
            const auto left = r.qty.minus(r.cumCost);
            if (left && !r.limitPrice->isZero())
                remaining = left->dividedBy(*r.limitPrice, qtyScale, kraken::Rounding::Down);
        } else {
            remaining = r.qty.minus(r.filledQty);
        }
        if (!remaining || remaining->signum() <= 0)
            continue;
        own.append({r.clOrdId, r.side == OrderSide::Buy, *r.limitPrice, *remaining});
    }
    m_own = std::move(own);

    QList<Cell> next = m_rows;
    placeOwnOrders(next);
    int first = std::numeric_limits<int>::max();
    int last = -1;
    for (qsizetype row = 0; row < next.size(); ++row) {
        if (!next.at(row).sameOwn(m_rows.at(row))) {
            first = std::min(first, int(row));
            last = std::max(last, int(row));
        }
    }
    m_rows = std::move(next);
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1),
                           {OwnOrderRole, OwnBuyQtyRole, OwnSellQtyRole, OwnClOrdIdsRole,
                            OwnBuyClOrdIdsRole, OwnSellClOrdIdsRole, Qt::AccessibleTextRole});
}

std::int64_t LadderModel::bucketUnits() const {
    // The bucket in price mantissa units: the tick (1 unit when unknown) times grouping.
    std::int64_t tickUnits = 1;
    if (m_book && !m_tick.isZero()) {
        if (const auto t = m_tick.rescaled(m_book->pricePrecision, kraken::Rounding::Up);
            t && t->mantissa() > 0)
            tickUnits = t->mantissa();
    }
    return tickUnits * m_grouping;
}

void LadderModel::placeOwnOrders(QList<Cell> &rows) const {
    for (Cell &c : rows) {
        c.ownBuy.clear();
        c.ownSell.clear();
        c.ownTotal.clear();
        c.ownBuyIds.clear();
        c.ownSellIds.clear();
    }
    if (!m_book || m_own.isEmpty())
        return;
    const int pp = m_book->pricePrecision;
    const int qp = m_book->qtyPrecision;
    const std::int64_t bucket = bucketUnits();
    const int rowCount = int(rows.size());
    // The bucket a row shows: [price, price + bucket) for bids (they round down),
    // (price - bucket, price] for asks (they round up).
    const auto holds = [&](int row, std::int64_t p) {
        const Cell &c = rows.at(row);
        if (c.price.isEmpty() || row == m_levels)
            return false;
        if (row < m_levels)
            return p > c.priceMantissa - bucket && p <= c.priceMantissa;
        return p >= c.priceMantissa && p < c.priceMantissa + bucket;
    };
    const auto find = [&](int from, int to, std::int64_t p) {
        for (int row = from; row < to; ++row) {
            if (holds(row, p))
                return row;
        }
        return -1;
    };
    struct Sum {
        kraken::Decimal qty;
        bool any = false;
        void add(const kraken::Decimal &d) {
            if (!any) {
                qty = d;
                any = true;
            } else if (const auto s = qty.plus(d)) {
                qty = *s;
            }
        }
    };
    QList<Sum> buys(rows.size()), sells(rows.size());
    for (const OwnOrder &o : m_own) {
        // A price finer than the book's precision goes to the side's passive neighbour.
        const auto scaled =
            o.price.rescaled(pp, o.buy ? kraken::Rounding::Down : kraken::Rounding::Up);
        if (!scaled)
            continue;
        const std::int64_t p = scaled->mantissa();
        // Grouped buckets of the two sides can overlap around the spread: the order's own side
        // wins, so a bid never shows someone's resting sell and the other way round.
        int row = o.buy ? find(m_levels + 1, rowCount, p) : find(0, m_levels, p);
        if (row < 0)
            row = o.buy ? find(0, m_levels, p) : find(m_levels + 1, rowCount, p);
        if (row < 0)
            continue; // outside the visible levels
        if (o.buy) {
            buys[row].add(o.remaining);
            rows[row].ownBuyIds.append(o.clOrdId);
        } else {
            sells[row].add(o.remaining);
            rows[row].ownSellIds.append(o.clOrdId);
        }
    }
    for (int row = 0; row < rowCount; ++row) {
        Cell &c = rows[row];
        if (buys.at(row).any)
            c.ownBuy = buys.at(row).qty.toString(qp);
        if (sells.at(row).any)
            c.ownSell = sells.at(row).qty.toString(qp);
        if (buys.at(row).any && sells.at(row).any) {
            Sum total = buys.at(row);
            total.add(sells.at(row).qty);
            c.ownTotal = total.qty.toString(qp);
        } else {
            c.ownTotal = buys.at(row).any ? c.ownBuy : c.ownSell;
        }
    }
}

std::optional<kraken::Decimal> LadderModel::priceAt(int row) const {
    if (!m_book || row < 0 || row >= m_rows.size() || row == m_levels ||
        m_rows.at(row).price.isEmpty())
        return std::nullopt;
    return kraken::Decimal::fromParts(m_rows.at(row).priceMantissa, m_book->pricePrecision);
}

std::optional<kraken::Decimal> LadderModel::bestBid() const {
    if (!m_book || m_book->bids.empty())
        return std::nullopt;
    return kraken::Decimal::fromParts(m_book->bids.front().price, m_book->pricePrecision);
}

std::optional<kraken::Decimal> LadderModel::bestAsk() const {
    if (!m_book || m_book->asks.empty())
        return std::nullopt;
    return kraken::Decimal::fromParts(m_book->asks.front().price, m_book->pricePrecision);
}

void LadderModel::rebuild(bool flash) {
    QList<Cell> next(m_rows.size());
    if (m_book) {
        const int pp = m_book->pricePrecision;
        const int qp = m_book->qtyPrecision;
        const std::int64_t bucket = bucketUnits();
        const std::vector<Group> asks = groupSide(m_book->asks, false, bucket, m_levels);
        const std::vector<Group> bids = groupSide(m_book->bids, true, bucket, m_levels);
        std::int64_t largest = 0;
        for (const Group &g : asks)
            largest = std::max(largest, g.qty);
        for (const Group &g : bids)
            largest = std::max(largest, g.qty);
        auto fill = [&](const std::vector<Group> &groups, auto rowOf) {
            std::int64_t cumulative = 0;
            for (std::size_t i = 0; i < groups.size(); ++i) {
                cumulative += groups[i].qty;
                Cell &c = next[rowOf(int(i))];
                c.price = text(groups[i].price, pp);
                c.priceMantissa = groups[i].price;
                c.size = text(groups[i].qty, qp);
                c.cumulative = text(cumulative, qp);
                c.fraction = largest > 0 ? double(groups[i].qty) / double(largest) : 0.0;
            }
        };
        fill(asks, [this](int i) { return m_levels - 1 - i; });
        fill(bids, [this](int i) { return m_levels + 1 + i; });
        // The spread is between the raw best prices: grouping must not hide how tight it is.
        if (!m_book->asks.empty() && !m_book->bids.empty())
            next[m_levels].price = text(m_book->asks[0].price - m_book->bids[0].price, pp);
        placeOwnOrders(next);
    }

    const qint64 now = m_clock.elapsed();
    int first = std::numeric_limits<int>::max();
    int last = -1;
    bool anyFlash = false;
    for (qsizetype row = 0; row < next.size(); ++row) {
        Cell &n = next[row];
        const Cell &o = m_rows.at(row);
        const bool moved = n.price != o.price || n.size != o.size;
        if (flash && moved && !o.price.isEmpty() && !n.price.isEmpty() && row != m_levels)
            n.changedAtMs = now;
        else if (flash && !n.price.isEmpty())
            n.changedAtMs = o.changedAtMs; // a flash still running keeps running
        n.flashShown = flashOn(n, now);
        anyFlash = anyFlash || n.flashShown;
        if (moved || n.cumulative != o.cumulative || n.fraction != o.fraction ||
            n.flashShown != o.flashShown || !n.sameOwn(o)) {
            first = std::min(first, int(row));
            last = std::max(last, int(row));
        }
    }
    m_rows = std::move(next);
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (anyFlash && !m_flashTimer.isActive())
        m_flashTimer.start(int(FlashMs));
}

void LadderModel::expireFlashes() {
    // Books that stop moving would otherwise leave their last flash on until the next update.
    const qint64 now = m_clock.elapsed();
    int first = std::numeric_limits<int>::max();
    int last = -1;
    qint64 soonest = -1;
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        Cell &c = m_rows[row];
        const bool on = flashOn(c, now);
        if (on) {
            const qint64 left = FlashMs - (now - c.changedAtMs);
            soonest = soonest < 0 ? left : std::min(soonest, left);
        }
        if (on != c.flashShown) {
            c.flashShown = on;
            first = std::min(first, int(row));
            last = std::max(last, int(row));
        }
    }
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1), {FlashRole});
    if (soonest >= 0)
        m_flashTimer.start(int(std::max<qint64>(soonest, 1)));
}

} // namespace model
