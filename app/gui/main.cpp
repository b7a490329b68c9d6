// krakenterm: the desktop terminal. `krakenterm --paper` runs against the built-in paper
// exchange and needs no network; without it, Kraken mainnet public data (no keys needed).

#include "terminaloptions.h"
#include "terminalsession.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv) {
    // Arguments first, without a display, so --help and --version work over ssh and in
    // scripts. A failure here may be a Qt option (-platform, -style) that only QApplication
    // understands and strips: the arguments are parsed again once it exists.
    app::TerminalOptions options;
    bool parsed = false;
    {
        QCoreApplication parsing(argc, argv);
        QCoreApplication::setApplicationName(u"krakenterm"_s);
        QCoreApplication::setApplicationVersion(u"0.1.0"_s);
        QString message;
        bool exitNow = false;
        parsed = app::TerminalOptions::parse(QCoreApplication::arguments(), &options, &message,
                                             &exitNow);
        if (parsed && exitNow) {
            std::printf("%s\n", qPrintable(message));
            return 0;
        }
    }

    QApplication::setHighDpiScaleFactorRoundingPolicy(
        Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication application(argc, argv);
    QApplication::setOrganizationName(u"KrakenTerm"_s);
    QApplication::setApplicationName(u"krakenterm"_s);
    QApplication::setApplicationVersion(u"0.1.0"_s);
    QApplication::setApplicationDisplayName(u"KrakenTerm"_s);
    if (!parsed) {
        QString message;
        bool exitNow = false;
        if (!app::TerminalOptions::parse(QApplication::arguments(), &options, &message, &exitNow)) {
            std::fprintf(stderr, "krakenterm: %s\nTry 'krakenterm --help'.\n", qPrintable(message));
            return 2;
        }
        if (exitNow) {
            std::printf("%s\n", qPrintable(message));
            return 0;
        }
    }

    app::TerminalSession session(options);
    session.window()->show();
    // The window paints before anything network-bound starts.
    QTimer::singleShot(0, &session, &app::TerminalSession::start);
    QObject::connect(&application, &QCoreApplication::aboutToQuit, &session,
                     &app::TerminalSession::shutdown);

    if (options.quitAfterLiveSeconds > 0) {
        QObject::connect(&session, &app::TerminalSession::liveDataReady, &application, [&session] {
            std::printf("krakenterm: live after %lld ms: %s\n",
                        static_cast<long long>(session.msSinceStart()),
                        qPrintable(session.liveSummary()));
            std::fflush(stdout);
            QCoreApplication::exit(0);
        });
        QTimer::singleShot(options.quitAfterLiveSeconds * 1000, &application, [&session] {
            std::fprintf(stderr, "krakenterm: no live data after %lld ms (%s)\n",
                         static_cast<long long>(session.msSinceStart()),
                         qPrintable(session.window()->isBannerVisible()
                                        ? session.window()->bannerText()
                                        : session.liveSummary()));
            QCoreApplication::exit(1);
        });
    }
    if (!options.screenshotPath.isEmpty()) {
        const QString path = options.screenshotPath;
        const int delay = options.screenshotDelayMs;
        QObject::connect(&session, &app::TerminalSession::liveDataReady, &application,
                         [&session, path, delay] {
                             QTimer::singleShot(delay, &session, [&session, path] {
                                 const bool ok = session.window()->grab().save(path);
                                 std::printf("krakenterm: screenshot %s %s\n", qPrintable(path),
                                             ok ? "saved" : "FAILED");
                                 std::fflush(stdout);
                                 QCoreApplication::exit(ok ? 0 : 1);
                             });
                         });
    }
    return QApplication::exec();
}
