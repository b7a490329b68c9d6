#include "bookreplay.h"

#include "stringviewhash.h"
#include "verifiedbook.h"
#include "wsparser.h"

#include <QElapsedTimer>

#include <optional>
#include <simdjson.h>
#include <string>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace kraken::spot {

using ws::WsParser;
namespace {} // namespace

Result<BookReplay> BookReplay::load(const QByteArray &contents) {
    BookReplay replay;
    replay.m_storage.reserve(contents.size());
    simdjson::ondemand::parser parser;
    qint64 lineNo = 0;
    qsizetype start = 0;
    while (start < contents.size()) {
        qsizetype end = contents.indexOf('\n', start);
        if (end < 0)
            end = contents.size();
        ++lineNo;
        QByteArrayView line = QByteArrayView(contents).sliced(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        // The wrapped shape keeps the "msg" object's exact text. `padded` must outlive the
        // copy below: `line` then points into it.
        std::optional<simdjson::padded_string> padded;
        if (line.startsWith("{\"recv\"")) {
            padded.emplace(line.data(), size_t(line.size()));
            simdjson::ondemand::document doc;
            simdjson::ondemand::object msg;
            std::string_view raw;
            if (parser.iterate(*padded).get(doc) || doc["msg"].get_object().get(msg) ||
                msg.raw_json().get(raw))
                return Error(
                    Error::Category::Parse,
                    u"line %1: a {\"recv\", \"msg\"} line without a JSON object in msg"_s.arg(
                        lineNo));
            line = QByteArrayView(raw.data(), qsizetype(raw.size()));
        }
        replay.m_frames.append({replay.m_storage.size(), line.size(), lineNo});
        replay.m_storage.append(line);
    }
    return replay;
}

BookReplay::Stats BookReplay::run(const Options &options) const {
    Stats stats;
    WsParser parser;
    std::unordered_map<std::string, std::pair<int, int>, StringViewHash, std::equal_to<>>
        precisions;
    std::unordered_map<std::string, VerifiedBook, StringViewHash, std::equal_to<>> books;
    int depthFromAck = 0;

    QElapsedTimer timer;
    timer.start();
    for (const Frame &f : m_frames) {
        ++stats.messages;
        const auto kind = parser.parse(QByteArrayView(m_storage).sliced(f.offset, f.size));
        switch (kind) {
        case WsParser::Kind::Error:
            ++stats.unusableLines;
            if (stats.unusableLineNumbers.size() < 20)
                stats.unusableLineNumbers.append(f.line);
            continue;
        case WsParser::Kind::Instrument:
            for (const ws::InstrumentPairInfo &p : parser.instruments().pairs)
                precisions[p.symbol.toStdString()] = {p.pricePrecision, p.qtyPrecision};
            continue;
        case WsParser::Kind::Method: {
            const ws::MethodResponse &m = parser.method();
            if (m.success && m.channel == u"book"_s)
                depthFromAck = m.result.value(u"depth"_s).toInt(depthFromAck);
            continue;
        }
        case WsParser::Kind::Book:
            break;
        default:
            continue;
        }
        ++stats.bookMessages;
        const bool snapshot = parser.bookSnapshot();
        for (const ws::BookEntry &e : parser.bookEntries()) {
            auto it = books.find(e.symbol);
            if (it == books.end())
                it = books.emplace(std::string(e.symbol), VerifiedBook{}).first;
            int pp = -1, qp = -1, depth = 0;
            QString symbol;
            if (snapshot) { // what a snapshot (re)creates the book with
                pp = options.pricePrecision.value_or(-1);
                qp = options.qtyPrecision.value_or(-1);
                if (const auto p = precisions.find(e.symbol); p != precisions.end()) {
                    pp = options.pricePrecision.value_or(p->second.first);
                    qp = options.qtyPrecision.value_or(p->second.second);
                }
                depth = options.depth > 0 ? options.depth : depthFromAck > 0 ? depthFromAck : 10;
                symbol = QString::fromUtf8(e.symbol.data(), qsizetype(e.symbol.size()));
            }
            const auto outcome =
                it->second.apply(e, snapshot, symbol, depth, pp, qp, options.verify);
            switch (outcome) {
            case VerifiedBook::Outcome::AwaitingSnapshot:
                continue;
            case VerifiedBook::Outcome::NoPrecision:
                ++stats.unusableLines;
                if (stats.unusableLineNumbers.size() < 20)
                    stats.unusableLineNumbers.append(f.line);
                continue;
            case VerifiedBook::Outcome::Applied:
                stats.levelUpdates += qint64(e.bids.size() + e.asks.size());
                continue;
            default:
                // As in the live client, the book is now void until the next snapshot.
                stats.levelUpdates += qint64(e.bids.size() + e.asks.size());
                ++stats.checksumMismatches;
                stats.mismatchLines.append(f.line);
                continue;
            }
        }
    }
    stats.elapsedSeconds = double(timer.nsecsElapsed()) / 1e9;
    return stats;
}

} // namespace kraken::spot
