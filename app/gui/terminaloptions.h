#pragma once

// TerminalOptions: how krakenterm was asked to start (profile, layout, what to show first,
// and the paper exchange's pace), parsed from the command line. A plain value type.

#include <QString>
#include <QStringList>
#include <QUrl>

namespace app {

struct TerminalOptions {
    enum class Profile { Mainnet, Paper };

    Profile profile = Profile::Mainnet;
    QString layout;                             // named layout to restore ("" = last session)
    QString symbol = QStringLiteral("BTC/USD"); // shown first if the venue lists it
    int intervalMinutes = 1;
    int bookDepth = 100;  // subscribed book depth: 10, 25, 100, 500, 1000
    int refreshHz = 30;   // feed -> GUI coalescing rate
    int paperStepMs = -1; // paper market step; -1 = the exchange's default
    quint64 paperSeed = 1;
    QString settingsPath; // INI file; "" = the user's settings
    // Keychain profile for mainnet trading keys; "" = "default", falling back to the
    // KRAKEN_SPOT_API_* environment variables.
    QString keysProfile;
    // Order journal; "" = the keys profile's own in the app data folder (paper: a journal
    // for this run only, as the paper exchange starts afresh).
    QString journalPath;
    // Mainnet endpoints (empty = api.kraken.com / ws.kraken.com): a proxy, or a test that
    // needs Kraken to be unreachable.
    QUrl mainnetRestUrl, mainnetWsUrl, mainnetWsAuthUrl;
    // Kraken Futures for the mainnet profile: its environment (demo-futures.kraken.com with
    // --futures-demo), or a compatible venue's REST v3 and WebSocket v1 URLs. Futures stays
    // off when --rest-url points Spot elsewhere and no Futures URL is given: a stand-in venue
    // must not quietly mix with Kraken's real one.
    bool futuresDemo = false;
    QUrl futuresRestUrl, futuresWsUrl;
    // "Kraken mainnet", or the REST endpoint's host:port when one was given.
    QString venueName() const;
    int startTimeoutMs = 15000; // the feed's start bound before it reports unreachable
    // Process-level modes for tests and docs.
    int quitAfterLiveSeconds = 0; // > 0: print a summary and exit once live (or fail)
    QString screenshotPath;       // save a window grab here once live, then exit
    int screenshotDelayMs = 2500; // after live, so the book and tape have filled

    static QString profileName(Profile profile); // "Paper", "Kraken mainnet"

    // Parses argv (QApplication's arguments). On error returns false with a message; for
    // --help/--version fills `message` and sets `exitNow`.
    static bool parse(const QStringList &arguments, TerminalOptions *out, QString *message,
                      bool *exitNow);
};

} // namespace app
