#pragma once

// WsParser: turns one Kraken WS v2 text frame into a typed message with simdjson on-demand.
// Numbers go from the token text straight into Decimal. The parser keeps its buffers between
// frames, so book frames are parsed without heap allocation once warm; the returned
// references stay valid until the next parse(). Bad input (invalid JSON, an HTML page, an
// unknown channel, a missing field, a number Decimal cannot hold exactly) gives Kind::Error
// or Kind::Unknown with a message, never an exception or a crash. Not thread-safe: one parser
// per feed thread.
//
// What counts as wrong: a known channel's required field missing, or any field it models
// present with the wrong type or an unusable value, names the field ("book message:
// data[0].bids[3].price is not a JSON number"). Fields it does not model are skipped with only
// their brackets checked (that is what on-demand parsing buys). Book entries may lack "checksum"
// (hasChecksum = false, the book engine decides), "timestamp" (0) or a side (empty); a frame
// with "error" but neither "method" nor "channel" is reported as a Method with an empty name;
// one with neither is Unknown with an empty unknownName().

#include "wsmessages.h"

#include <QByteArrayView>
#include <QString>

#include <memory>

namespace kraken::spot::ws {

class WsParser {
public:
    enum class Kind {
        Error,   // not JSON, not an object, or a known message with bad fields
        Unknown, // valid JSON of a channel or method we do not model (ignored)
        Method,  // response to a request (subscribe/unsubscribe/ping/...)
        Heartbeat,
        Status,
        Book, // bookSnapshot() tells snapshot vs update; entries in bookEntries()
        Ticker,
        Trade, // may carry several trades
        Ohlc,  // may carry several candles
        Instrument,
    };

    WsParser();
    ~WsParser();
    WsParser(const WsParser &) = delete;
    WsParser &operator=(const WsParser &) = delete;

    // Frames larger than this are refused (Kind::Error) without parsing.
    static constexpr qsizetype MaxFrameBytes = 8 * 1024 * 1024;

    Kind parse(QByteArrayView frame);

    // Valid after the matching Kind:
    const QString &error() const;                      // Error: what was wrong
    const QString &unknownName() const;                // Unknown: the channel/method seen
    const MethodResponse &method() const;              // Method
    const StatusEvent &status() const;                 // Status
    bool bookSnapshot() const;                         // Book: type == "snapshot"
    const std::vector<BookEntry> &bookEntries() const; // Book
    const std::vector<TickerEvent> &tickers() const;   // Ticker
    bool tradeSnapshot() const;                        // Trade
    const std::vector<TradeEvent> &trades() const;     // Trade
    bool ohlcSnapshot() const;                         // Ohlc
    const std::vector<OhlcEvent> &candles() const;     // Ohlc
    const InstrumentEvent &instruments() const;        // Instrument

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// RFC 3339 "2024-05-01T10:00:00.123456789Z" (any fraction length, digits past nanoseconds
// truncated; 'Z' or +hh:mm offset; lower-case 't'/'z' accepted) to nanoseconds since the epoch;
// nullopt when malformed, impossible as a date, or outside int64 nanoseconds (1677..2262).
std::optional<std::int64_t> parseRfc3339Ns(std::string_view text);

} // namespace kraken::spot::ws
