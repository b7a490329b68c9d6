#include "wssubscription.h"

#include <array>

using namespace Qt::StringLiterals;

namespace kraken::spot {

QString WsSubscription::channelName(Channel c) {
    switch (c) {
    case Channel::Ticker:
        return u"ticker"_s;
    case Channel::Trade:
        return u"trade"_s;
    case Channel::Book:
        return u"book"_s;
    case Channel::Ohlc:
        return u"ohlc"_s;
    }
    return {};
}

bool WsSubscription::isValidDepth(int depth) {
    static constexpr std::array depths{10, 25, 100, 500, 1000};
    return std::find(depths.begin(), depths.end(), depth) != depths.end();
}

bool WsSubscription::isValidInterval(int minutes) {
    static constexpr std::array intervals{1, 5, 15, 30, 60, 240, 1440, 10080, 21600};
    return std::find(intervals.begin(), intervals.end(), minutes) != intervals.end();
}

QString WsSubscription::toString() const {
    QString s = channelName(channel) + u' ' + symbol;
    if (channel == Channel::Book)
        s += u" depth %1"_s.arg(depth);
    if (channel == Channel::Ohlc)
        s += u" interval %1"_s.arg(interval);
    return s;
}

} // namespace kraken::spot
