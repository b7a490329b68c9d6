#include "watchlistmodel.h"

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace model {

namespace {

// Volume is a 24 h base-asset total; a trader reads its magnitude, not its satoshis.
constexpr int VolumeDecimals = 2;
constexpr int PercentDecimals = 2;
// Sort keys are exact integers at this scale, so the proxy sorts numbers without double.
constexpr int SortScale = 8;

qlonglong sortKey(const kraken::Decimal &d) {
    const auto r = d.rescaled(SortScale, kraken::Rounding::HalfEven);
    if (r)
        return r->mantissa();
    return d.isNegative() ? std::numeric_limits<qlonglong>::min()
                          : std::numeric_limits<qlonglong>::max();
}

bool hasQuote(const TickerRow &t) {
    return !t.bid.isZero() && !t.ask.isZero();
}

} // namespace

WatchlistModel::WatchlistModel(QObject *parent)
    : QAbstractTableModel(parent) {
    registerMarketDataMetaTypes();
}

int WatchlistModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_instruments.size());
}

int WatchlistModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WatchlistModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kraken::Instrument &in = m_instruments.at(index.row());
    const TickerRow &t = m_tickers.at(index.row());
    const bool known = !t.symbol.isEmpty(); // a ticker has arrived for this row
    const std::optional<kraken::Decimal> spread =
        hasQuote(t) ? t.ask.minus(t.bid) : std::optional<kraken::Decimal>();

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Symbol:
            return in.symbol();
        case Last:
            return known ? in.formatPrice(t.last) : QString();
        case ChangePct:
            if (!known)
                return QString();
            return QString((t.changePct.signum() > 0 ? u"+"_s : QString()) %
                           t.changePct.toString(PercentDecimals) % u"%"_s);
        case Volume:
            return known ? t.volume.toString(std::min(VolumeDecimals, in.lotDecimals()))
                         : QString();
        case Spread:
            return spread ? in.formatPrice(*spread) : QString();
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Symbol
                   ? QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (index.column() == Symbol)
            return QString(in.base() % u" / "_s % in.quote() % u" ("_s % in.altname() % u")"_s);
        return {};
    case SymbolRole:
        return in.symbol();
    case SortRole:
        switch (index.column()) {
        case Symbol:
            return in.symbol();
        case Last:
            return sortKey(t.last);
        case ChangePct:
            return sortKey(t.changePct);
        case Volume:
            return sortKey(t.volume);
        case Spread:
            return spread ? sortKey(*spread) : qlonglong(0);
        }
        return {};
    case DirectionRole:
        return t.changePct.signum();
    }
    return {};
}

QVariant WatchlistModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Symbol
                   ? QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Symbol:
        return u"Symbol"_s;
    case Last:
        return u"Last"_s;
    case ChangePct:
        return u"24h %"_s;
    case Volume:
        return u"24h Volume"_s;
    case Spread:
        return u"Spread"_s;
    }
    return {};
}

void WatchlistModel::setInstruments(const QList<kraken::Instrument> &instruments) {
    beginResetModel();
    // Keep what is already known for pairs that stay, so a reload does not blank the list.
    QHash<QString, TickerRow> old;
    for (const TickerRow &t : std::as_const(m_tickers))
        if (!t.symbol.isEmpty())
            old.insert(t.symbol, t);
    m_instruments = instruments;
    std::stable_sort(m_instruments.begin(), m_instruments.end(),
                     [](const kraken::Instrument &a, const kraken::Instrument &b) {
                         return a.symbol() < b.symbol();
                     });
    m_tickers.clear();
    m_rowOf.clear();
    m_tickers.reserve(m_instruments.size());
    for (qsizetype i = 0; i < m_instruments.size(); ++i) {
        const QString symbol = m_instruments.at(i).symbol();
        m_rowOf.insert(symbol, int(i));
        m_tickers.append(old.value(symbol));
    }
    endResetModel();
}

void WatchlistModel::applyTickers(const QList<TickerRow> &changed) {
    int first = std::numeric_limits<int>::max();
    int last = -1;
    for (const TickerRow &t : changed) {
        const int row = rowOf(t.symbol);
        if (row < 0)
            continue; // a pair the list does not show
        m_tickers[row] = t;
        first = std::min(first, row);
        last = std::max(last, row);
    }
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int WatchlistModel::rowOf(const QString &symbol) const {
    return m_rowOf.value(symbol, -1);
}

} // namespace model
