#pragma once

// WsSubscription: one normalised public WS v2 subscription (channel, symbol and the parameter
// that distinguishes it: book depth or ohlc interval). The client's registry holds these so
// that every subscription can be restored after a reconnect. A value type.

#include <QHashFunctions>
#include <QString>

namespace kraken::spot {

struct WsSubscription {
    enum class Channel { Ticker, Trade, Book, Ohlc };

    Channel channel = Channel::Ticker;
    QString symbol;   // WS v2 symbol, upper-case: "BTC/USD"
    int depth = 0;    // book only: 10, 25, 100, 500, 1000
    int interval = 0; // ohlc only: minutes

    static QString channelName(Channel c);
    static bool isValidDepth(int depth);
    static bool isValidInterval(int minutes);
    QString toString() const; // "book BTC/USD depth 10"

    friend bool operator==(const WsSubscription &, const WsSubscription &) = default;
};

inline size_t qHash(const WsSubscription &s, size_t seed = 0) {
    return qHashMulti(seed, int(s.channel), s.symbol, s.depth, s.interval);
}

} // namespace kraken::spot
