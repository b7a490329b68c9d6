#pragma once

// ReplayFeed: drives the paper exchange's markets from a recorded Kraken WS v2 capture (the
// JSONL `krakenterm-cli record` writes: a raw frame, or {"recv": <epoch ns>, "msg": <frame>},
// per line) instead of the random walk. Book snapshots and updates become the markets'
// synthetic book, kept exactly as a subscriber at the capture's depth holds it (levels that
// fall below the depth are dropped, as the subscriber truncates them); trade updates are
// printed on the tape. Frames are paced by their recv times divided by the speed (0: as fast
// as the event loop allows, in batches), and each is published on its own (one book diff per
// captured frame, never several coalesced); at the end the capture starts over if looping,
// every symbol's first snapshot re-applied. Frames for symbols the exchange does not have, other
// channels and trade snapshots (history from before the capture) are skipped and counted.
// Lives on the exchange thread, with the markets; the markets must outlive it.

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace kraken::sim {

class MarketSim;

class ReplayFeed : public QObject {
    Q_OBJECT
public:
    explicit ReplayFeed(std::vector<MarketSim *> markets, QObject *parent = nullptr);
    ~ReplayFeed() override;

    // Parses a whole capture; on malformed input returns false with an error naming the line.
    // A capture with no book or trade data for any of the markets is an error too.
    bool load(const QByteArray &contents, QString *error = nullptr);
    bool loadFile(const QString &path, QString *error = nullptr);

    // Switches the captured markets to the external feed and starts pacing. speed: 1 = as
    // recorded, 2 = twice as fast, 0 = as fast as possible. Frames without a recv time play
    // together with the frame before them (100 ms apart if no line has one).
    void start(double speed = 1.0, bool loop = true);
    // Stops pacing; the markets keep the replayed state (and stay in external-feed mode).
    void stop();
    bool isRunning() const;

    QStringList symbols() const;            // the exchange's symbols the capture drives
    int depth(const QString &symbol) const; // the capture's book depth for it (0: none)
    int passes() const;                     // completed passes over the capture
    qint64 framesApplied() const;           // book and trade entries applied so far
    qint64 skippedUnknownSymbol() const;    // entries for symbols the exchange does not have
    qint64 skippedOther() const;            // lines of other channels, methods, trade snapshots

Q_SIGNALS:
    void passFinished(int passes);
    void finished(); // the last frame of a non-looping replay was applied

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kraken::sim
