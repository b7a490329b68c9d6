// bench_gui: the whole terminal (TerminalSession: paper exchange thread, feed thread, models
// and widgets, rendered offscreen) against the paper exchange's fastest book stream: depth
// 1000, a short market step, trades. Prints the GUI thread's CPU share, the worst and 99th
// percentile gaps of a 5 ms probe timer on the GUI thread (how long the thread was busy, i.e.
// the worst frame it could have dropped) and of the ladder's refresh intervals, and resident
// memory at launch, after warm-up and at the end. Figures only; no assertions.
//
//   bench_gui [SECONDS=60] [STEP_MS=5]     (BENCH_HIDE=depthDock,chart,... hides panels)

#include "app/gui/terminalsession.h"
#include "model/laddermodel.h"
#include "ui/candlechart.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTime>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

double rssMiB() {
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    if (parts.size() < 2)
        return -1;
    return double(parts.at(1).toLongLong()) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double threadCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double processCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Gaps {
    std::vector<double> ms;
    double worst = 0;
    QString worstAt; // wall-clock time the worst gap ended (bar closes are on the minute)
    void add(double gapMs) {
        ms.push_back(gapMs);
        if (gapMs > worst) {
            worst = gapMs;
            worstAt = QTime::currentTime().toString(u"HH:mm:ss.zzz"_s);
        }
    }
    void print(const char *what) {
        if (ms.empty()) {
            std::printf("%-28s no samples\n", what);
            return;
        }
        std::sort(ms.begin(), ms.end());
        const double p50 = ms[ms.size() / 2];
        const double p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
        std::printf("%-28s n=%zu  median %.1f ms  p99 %.1f ms  worst %.1f ms (at %s)\n", what,
                    ms.size(), p50, p99, ms.back(), qPrintable(worstAt));
    }
};

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "*.debug=false;kraken.*.info=false;kraken.*=false");
    const double rssLaunch = rssMiB();
    QApplication application(argc, argv);
    const int seconds = argc > 1 ? std::max(1, atoi(argv[1])) : 60;
    const int stepMs = argc > 2 ? std::max(1, atoi(argv[2])) : 5;
    const int warmupMs = std::min(10000, std::max(2000, seconds * 1000 / 6));

    QTemporaryDir dir;
    app::TerminalOptions options;
    options.profile = app::TerminalOptions::Profile::Paper;
    options.bookDepth = 1000;
    options.paperStepMs = stepMs;
    options.settingsPath = dir.filePath(u"bench.ini"_s);
    app::TerminalSession session(options);
    // BENCH_HIDE=depthDock,ladderDock,tapeDock,watchlistDock,chart: what each panel costs.
    const QStringList hide = qEnvironmentVariable("BENCH_HIDE").split(u',', Qt::SkipEmptyParts);
    for (const QString &name : hide) {
        if (name == u"chart"_s)
            session.window()->candleChart()->hide();
        else if (QDockWidget *d = session.window()->dock(name))
            d->hide();
    }
    session.window()->show();
    session.start();

    QElapsedTimer clock;
    clock.start();
    qint64 liveAtMs = -1;
    QObject::connect(&session, &app::TerminalSession::liveDataReady, &application,
                     [&] { liveAtMs = clock.elapsed(); });

    bool measuring = false;
    Gaps probeGaps, ladderGaps;
    qint64 lastProbe = -1, lastLadder = -1, ladderRefreshes = 0;
    QElapsedTimer hires;
    hires.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, &application, [&] {
        const qint64 now = hires.nsecsElapsed();
        if (measuring && lastProbe >= 0)
            probeGaps.add(double(now - lastProbe) / 1e6);
        lastProbe = now;
    });
    QObject::connect(session.ladderModel(), &QAbstractItemModel::dataChanged, &application, [&] {
        const qint64 now = hires.nsecsElapsed();
        if (measuring) {
            ++ladderRefreshes;
            if (lastLadder >= 0)
                ladderGaps.add(double(now - lastLadder) / 1e6);
        }
        lastLadder = now;
    });
    probe.start();

    double cpuStart = 0, procStart = 0, rssWarm = 0;
    qint64 wallStartNs = 0;
    std::vector<double> rssSamples;
    QTimer sampler;
    sampler.setInterval(std::max(1000, seconds * 1000 / 6));
    QObject::connect(&sampler, &QTimer::timeout, &application,
                     [&] { rssSamples.push_back(rssMiB()); });

    QTimer::singleShot(warmupMs, &application, [&] {
        measuring = true;
        cpuStart = threadCpuSeconds();
        procStart = processCpuSeconds();
        wallStartNs = hires.nsecsElapsed();
        rssWarm = rssMiB();
        lastProbe = lastLadder = -1;
        sampler.start();
        std::printf("bench_gui: warm-up done after %d ms (live after %lld ms); measuring %d s, "
                    "book depth 1000, market step %d ms\n",
                    warmupMs, static_cast<long long>(liveAtMs), seconds, stepMs);
        std::fflush(stdout);
        QTimer::singleShot(seconds * 1000, &application, [&] {
            const double wall = double(hires.nsecsElapsed() - wallStartNs) / 1e9;
            const double cpu = threadCpuSeconds() - cpuStart;
            const double proc = processCpuSeconds() - procStart;
            const double rssEnd = rssMiB();
            measuring = false;
            std::printf("GUI thread CPU              %.2f s of %.2f s wall = %.1f %% of one core\n",
                        cpu, wall, 100.0 * cpu / wall);
            std::printf("whole process CPU           %.1f %% of one core (GUI + feed + exchange)\n",
                        100.0 * proc / wall);
            probeGaps.print("GUI probe timer gaps (5 ms)");
            ladderGaps.print("ladder refresh intervals");
            std::printf("ladder refreshes            %.1f per s\n", double(ladderRefreshes) / wall);
            std::printf("RSS                         launch %.1f MiB, after warm-up %.1f MiB, end "
                        "%.1f MiB\n",
                        rssLaunch, rssWarm, rssEnd);
            std::printf("RSS samples                ");
            for (double r : rssSamples)
                std::printf(" %.1f", r);
            std::printf(" MiB\n");
            if (liveAtMs < 0)
                std::printf("WARNING: the terminal never had live data\n");
            std::fflush(stdout);
            session.shutdown();
            QCoreApplication::quit();
        });
    });
    return QApplication::exec();
}
