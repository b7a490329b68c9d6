#include "candlemodel.h"

#include <QDateTime>

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>

using namespace Qt::StringLiterals;

namespace model {

namespace {

QString format(const kraken::Decimal &d, int decimals) {
    return decimals >= 0 ? d.toString(decimals) : d.toString();
}

bool sameBar(const Candle &a, const Candle &b) {
    return a.beginMs == b.beginMs && a.closed == b.closed && a.open.identical(b.open) &&
           a.high.identical(b.high) && a.low.identical(b.low) && a.close.identical(b.close) &&
           a.volume.identical(b.volume);
}

} // namespace

CandleModel::CandleModel(QObject *parent)
    : QAbstractTableModel(parent) {
    registerMarketDataMetaTypes();
}

int CandleModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_candles.size());
}

int CandleModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CandleModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Candle &c = m_candles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Begin:
            return QDateTime::fromMSecsSinceEpoch(c.beginMs).toString(
                c.intervalMinutes >= 1440 ? u"yyyy-MM-dd"_s : u"yyyy-MM-dd HH:mm"_s);
        case Open:
            return format(c.open, m_priceDecimals);
        case High:
            return format(c.high, m_priceDecimals);
        case Low:
            return format(c.low, m_priceDecimals);
        case Close:
            return format(c.close, m_priceDecimals);
        case Volume:
            return format(c.volume, m_volumeDecimals);
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case ClosedRole:
        return c.closed;
    case BeginMsRole:
        return c.beginMs;
    }
    return {};
}

QVariant CandleModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Begin:
        return u"Time"_s;
    case Open:
        return u"Open"_s;
    case High:
        return u"High"_s;
    case Low:
        return u"Low"_s;
    case Close:
        return u"Close"_s;
    case Volume:
        return u"Volume"_s;
    }
    return {};
}

void CandleModel::reset(const QString &symbol, int intervalMinutes, const QList<Candle> &candles) {
    beginResetModel();
    m_symbol = symbol;
    m_interval = intervalMinutes;
    m_candles = candles;
    // History arrives oldest first; sort defensively so update() can rely on it.
    std::stable_sort(m_candles.begin(), m_candles.end(),
                     [](const Candle &a, const Candle &b) { return a.beginMs < b.beginMs; });
    endResetModel();
    Q_EMIT candlesChanged();
}

void CandleModel::update(const QString &symbol, int intervalMinutes, const QList<Candle> &changed) {
    if (symbol != m_symbol || intervalMinutes != m_interval || changed.isEmpty())
        return;
    int first = std::numeric_limits<int>::max();
    int last = -1;
    auto touch = [&](int row) {
        first = std::min(first, row);
        last = std::max(last, row);
    };
    std::map<qint64, Candle> appends; // later than every bar held; the last word wins
    for (const Candle &c : changed) {
        if (!m_candles.isEmpty() && c.beginMs <= m_candles.last().beginMs) {
            const auto it = std::lower_bound(
                m_candles.begin(), m_candles.end(), c.beginMs,
                [](const Candle &bar, qint64 begin) { return bar.beginMs < begin; });
            if (it == m_candles.end() || it->beginMs != c.beginMs)
                continue; // a gap in history is not filled from a live update
            if (!sameBar(*it, c)) {
                *it = c;
                touch(int(it - m_candles.begin()));
            }
            continue;
        }
        appends[c.beginMs] = c;
    }
    // A later bar means the one before it can no longer change, whether or not the feed said so.
    if (!appends.empty() && !m_candles.isEmpty() && !m_candles.last().closed) {
        m_candles.last().closed = true;
        touch(int(m_candles.size() - 1));
    }
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (!appends.empty()) {
        const int from = int(m_candles.size());
        beginInsertRows({}, from, from + int(appends.size()) - 1);
        for (auto it = appends.begin(); it != appends.end(); ++it) {
            m_candles.append(it->second);
            if (std::next(it) != appends.end())
                m_candles.last().closed = true; // only the newest can still be forming
        }
        endInsertRows();
    }
    if (last >= 0 || !appends.empty())
        Q_EMIT candlesChanged();
}

void CandleModel::setPrecision(int priceDecimals, int volumeDecimals) {
    if (priceDecimals == m_priceDecimals && volumeDecimals == m_volumeDecimals)
        return;
    m_priceDecimals = priceDecimals;
    m_volumeDecimals = volumeDecimals;
    if (!m_candles.isEmpty())
        Q_EMIT dataChanged(index(0, Open), index(rowCount() - 1, Volume), {Qt::DisplayRole});
}

} // namespace model
