#pragma once

// BookReplay: runs recorded Kraken WS v2 frames through the parser and the order book engine
// as fast as it can, verifying every checksum. The input is what `krakenterm-cli record`
// writes, one line per frame, each either the raw frame or {"recv": <ns>, "msg": <frame>}.
// Precisions come from `instrument` frames in the recording or from the options; the depth
// from the options, else from the book subscription ack in the recording, else 10.
// Loading (unwrapping lines) is separate from run(), so run() times only parse + apply +
// verify. Not thread-safe; one replay per thread.

#include "kraken/core/result.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace kraken::spot {

class BookReplay {
public:
    struct Options {
        int depth = 0; // 0: from the recording's ack, else 10
        std::optional<int> pricePrecision, qtyPrecision;
        bool verify = true;
    };

    struct Stats {
        qint64 messages = 0; // frames processed
        qint64 bookMessages = 0;
        qint64 levelUpdates = 0;
        qint64 checksumMismatches = 0;
        QList<qint64> mismatchLines;       // 1-based line numbers in the file
        qint64 unusableLines = 0;          // frames the parser refused
        QList<qint64> unusableLineNumbers; // the first few
        double elapsedSeconds = 0;
    };

    // Splits and unwraps the file's lines. Empty lines are skipped. An error names the line.
    static Result<BookReplay> load(const QByteArray &fileContents);

    qsizetype frameCount() const { return m_frames.size(); }
    Stats run(const Options &options) const;

private:
    QByteArray m_storage; // every frame back to back
    struct Frame {
        qsizetype offset, size;
        qint64 line;
    };
    QList<Frame> m_frames;
};

} // namespace kraken::spot
