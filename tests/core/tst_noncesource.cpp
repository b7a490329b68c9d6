// NonceSource: Kraken rejects a nonce that is not above the last one it accepted for the key,
// so nonces must increase across threads, clock steps and process restarts.

#include "kraken/core/noncesource.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using kraken::NonceSource;

namespace {
constexpr std::int64_t Nov2023 = 1'700'000'000'000; // a plausible "now" in epoch ms
constexpr std::int64_t OneHour = 3'600'000;
} // namespace

class TestNonceSource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void strictlyIncreasingAcrossThreads();
    void clockGoingBackwards();
    void followsTheClockWhenItIsAhead();
    void restartWithClockBehind();
    void restartAfterSeveralReservations();
    void fewStateFileWrites();
    void unwritableStateFile();
    void defaultStateFileHidesApiKey();
};

void TestNonceSource::initTestCase() {
    // defaultStateFile() asks QStandardPaths; keep it away from the real user directories.
    QStandardPaths::setTestModeEnabled(true);
}

void TestNonceSource::strictlyIncreasingAcrossThreads() {
    constexpr int Threads = 8;
    constexpr int CallsPerThread = 5000;
    NonceSource source; // in memory, real clock: calls come far faster than 1 per ms

    std::vector<std::vector<std::uint64_t>> perThread(Threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < Threads; ++t) {
        workers.emplace_back([&source, &out = perThread[std::size_t(t)]] {
            out.reserve(CallsPerThread);
            for (int i = 0; i < CallsPerThread; ++i)
                out.push_back(source.next());
        });
    }
    for (std::thread &w : workers)
        w.join();

    std::vector<std::uint64_t> all;
    for (const auto &seq : perThread) {
        QCOMPARE(seq.size(), std::size_t(CallsPerThread));
        // Each thread sees its own nonces strictly increase.
        QVERIFY(std::adjacent_find(seq.begin(), seq.end(), std::greater_equal<>()) == seq.end());
        all.insert(all.end(), seq.begin(), seq.end());
    }
    // No nonce was handed out twice.
    std::sort(all.begin(), all.end());
    QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
    QCOMPARE(all.size(), std::size_t(Threads * CallsPerThread));
    QCOMPARE(source.last(), all.back());
}

void TestNonceSource::clockGoingBackwards() {
    std::int64_t now = Nov2023;
    NonceSource source({}, [&now] { return now; });

    const std::uint64_t first = source.next();
    QCOMPARE(first, std::uint64_t(1'700'000'000'000));
    now -= OneHour; // NTP steps the clock back an hour
    const std::uint64_t second = source.next();
    QVERIFY(second > first);
    now = -5; // a broken clock
    const std::uint64_t third = source.next();
    QVERIFY(third > second);
    now = 0;
    QVERIFY(source.next() > third);
}

void TestNonceSource::followsTheClockWhenItIsAhead() {
    // The value is the millisecond epoch (what other Kraken tools send on a shared key).
    std::int64_t now = Nov2023;
    NonceSource source({}, [&now] { return now; });
    QCOMPARE(source.next(), std::uint64_t(1'700'000'000'000));
    QCOMPARE(source.next(), std::uint64_t(1'700'000'000'001)); // same ms: bumped
    now += 10'000;
    QCOMPARE(source.next(), std::uint64_t(1'700'000'010'000));
}

void TestNonceSource::restartWithClockBehind() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString state = dir.filePath(u"nonce-state"_s);

    std::uint64_t highest = 0;
    {
        std::int64_t now = Nov2023;
        NonceSource first(state, [&now] { return now; });
        for (int i = 0; i < 5; ++i)
            highest = std::max(highest, first.next());
        QVERIFY2(first.persistError().isEmpty(), qPrintable(first.persistError()));
    } // the process ends (no shutdown hook is needed: a crash behaves the same)

    QVERIFY(QFile::exists(state));
    // The new process's clock is frozen an hour behind everything the first one sent.
    NonceSource second(state, [] { return Nov2023 - OneHour; });
    const std::uint64_t next = second.next();
    QVERIFY2(next > highest, qPrintable(u"%1 <= %2"_s.arg(next).arg(highest)));
    QVERIFY(second.next() > next);
}

// The first process runs long enough to need more than one reservation block.
void TestNonceSource::restartAfterSeveralReservations() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString state = dir.filePath(u"sub/dir/nonce-state"_s); // directories created on demand

    std::uint64_t highest = 0;
    {
        std::int64_t now = Nov2023;
        NonceSource first(state, [&now] { return now; });
        for (int i = 0; i < 10; ++i) {
            highest = std::max(highest, first.next());
            now += NonceSource::ReserveAheadMs / 2 + 1; // crosses a block every other call
        }
        QVERIFY2(first.persistError().isEmpty(), qPrintable(first.persistError()));
    }
    NonceSource second(state, [] { return Nov2023; }); // back at the first one's start
    QVERIFY(second.next() > highest);
}

// The state file is written once per reserved block (ReserveAheadMs), not on every call:
// a burst of requests within the block leaves it untouched.
void TestNonceSource::fewStateFileWrites() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString state = dir.filePath(u"nonce-state"_s);
    auto contents = [&state] {
        QFile f(state);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };

    std::int64_t now = Nov2023;
    NonceSource source(state, [&now] { return now; });
    source.next();
    const QByteArray afterFirst = contents();
    QVERIFY(!afterFirst.isEmpty());
    for (int i = 0; i < 200; ++i) {
        now += 100; // 20 s in all, well inside one block
        source.next();
    }
    QCOMPARE(contents(), afterFirst);
    QVERIFY(NonceSource::ReserveAheadMs > 20'000);

    // Past the block the reservation moves on.
    now += NonceSource::ReserveAheadMs;
    source.next();
    QCOMPARE_NE(contents(), afterFirst);
    QVERIFY(source.persistError().isEmpty());
}

void TestNonceSource::unwritableStateFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A regular file where the state file's directory should be: nothing can be created there.
    const QString blocker = dir.filePath(u"blocker"_s);
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a directory");
    f.close();
    const QString state = blocker + u"/nonce-state"_s;

    std::int64_t now = Nov2023;
    NonceSource source(state, [&now] { return now; });
    const std::uint64_t a = source.next();
    QVERIFY(!source.persistError().isEmpty());
    // Still monotonic in-process, whatever the clock does.
    const std::uint64_t b = source.next();
    now -= 1000;
    const std::uint64_t c = source.next();
    now += 5000;
    const std::uint64_t d = source.next();
    QVERIFY(a < b);
    QVERIFY(b < c);
    QVERIFY(c < d);
    QVERIFY(!source.persistError().isEmpty());
    QVERIFY(!QFile::exists(state));
}

void TestNonceSource::defaultStateFileHidesApiKey() {
    const QString key = u"Kx9vQ2mB7zHkY4tLpW1cN8dRf3sJ6aUe0oIgVb5nXyT+ZqMhCj/EwPrLuA2sDf=="_s;
    const QString path = NonceSource::defaultStateFile(key);
    QVERIFY(!path.isEmpty());
    QVERIFY(!path.contains(key, Qt::CaseInsensitive));
    // Not even a recognisable piece of it.
    QVERIFY(!path.contains(key.left(8), Qt::CaseInsensitive));
    QVERIFY(!path.contains(key.right(8), Qt::CaseInsensitive));
    // One file per key, and a stable one, or a restart would not find its own state.
    QCOMPARE(NonceSource::defaultStateFile(key), path);
    QCOMPARE_NE(NonceSource::defaultStateFile(key + u'x'), path);
}

QTEST_GUILESS_MAIN(TestNonceSource)
#include "tst_noncesource.moc"
