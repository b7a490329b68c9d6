#include "terminaloptions.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace app {

QString TerminalOptions::venueName() const {
    if (profile == Profile::Paper || mainnetRestUrl.isEmpty())
        return profileName(profile);
    return QString(u"Kraken API at "_s + mainnetRestUrl.authority());
}

QString TerminalOptions::profileName(Profile profile) {
    return profile == Profile::Paper ? u"Paper"_s : u"Kraken mainnet"_s;
}

bool TerminalOptions::parse(const QStringList &arguments, TerminalOptions *out, QString *message,
                            bool *exitNow) {
    *exitNow = false;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"KrakenTerm: desktop trading terminal for Kraken."_s);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption paper(u"paper"_s,
                                   u"Start on the built-in paper exchange (no network needed)."_s);
    const QCommandLineOption profile(u"profile"_s, u"Profile: mainnet or paper."_s, u"NAME"_s);
    const QCommandLineOption layout(u"layout"_s, u"Restore the named window layout."_s, u"NAME"_s);
    const QCommandLineOption symbol(u"symbol"_s, u"Symbol to show first (BTC/USD)."_s, u"PAIR"_s);
    const QCommandLineOption depth(u"book-depth"_s, u"Book depth: 10, 25, 100, 500, 1000."_s,
                                   u"N"_s);
    const QCommandLineOption step(u"paper-step-ms"_s, u"Paper market step interval (ms)."_s,
                                  u"MS"_s);
    const QCommandLineOption seed(u"paper-seed"_s, u"Seed of the paper market."_s, u"N"_s);
    const QCommandLineOption settings(u"settings"_s, u"Settings file (INI) to use."_s, u"FILE"_s);
    const QCommandLineOption keys(
        u"keys"_s,
        u"Keychain profile whose API keys trade on mainnet (default: \"default\", else the "
        "KRAKEN_SPOT_API_KEY/KRAKEN_SPOT_API_SECRET environment variables)."_s,
        u"NAME"_s);
    const QCommandLineOption restUrl(
        u"rest-url"_s,
        u"Kraken-compatible REST endpoint instead of api.kraken.com (e.g. krakenterm-cli sim's "
        "KRAKEN_SPOT_URL)."_s,
        u"URL"_s);
    const QCommandLineOption wsUrl(
        u"ws-url"_s, u"Public WebSocket v2 endpoint instead of ws.kraken.com."_s, u"URL"_s);
    const QCommandLineOption wsAuthUrl(
        u"ws-auth-url"_s, u"Authenticated WebSocket v2 endpoint instead of ws-auth.kraken.com."_s,
        u"URL"_s);
    const QCommandLineOption futuresUrl(
        u"futures-url"_s,
        u"Kraken-Futures-compatible REST v3 endpoint instead of futures.kraken.com (e.g. "
        "krakenterm-cli sim's KRAKEN_FUTURES_URL)."_s,
        u"URL"_s);
    const QCommandLineOption futuresWsUrl(
        u"futures-ws-url"_s, u"Futures WebSocket v1 endpoint instead of futures.kraken.com's."_s,
        u"URL"_s);
    const QCommandLineOption futuresDemo(
        u"futures-demo"_s,
        u"Trade Futures on Kraken's demo environment (demo-futures.kraken.com), with demo keys."_s);
    const QCommandLineOption journal(
        u"journal"_s, u"Order journal (SQLite) to use instead of the profile's own."_s, u"FILE"_s);
    const QCommandLineOption quitAfterLive(
        u"quit-after-live"_s,
        u"Exit 0 with a summary once watchlist, ladder, chart and tape hold live data; exit 1 "
        "if not within SECONDS."_s,
        u"SECONDS"_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s, u"Save a grab of the window once live, then exit."_s, u"FILE"_s);
    const QCommandLineOption screenshotDelay(
        u"screenshot-delay"_s, u"Milliseconds after live before the grab."_s, u"MS"_s);
    parser.addOptions({paper, profile, layout, symbol, depth, step, seed, settings, keys, journal,
                       restUrl, wsUrl, wsAuthUrl, futuresUrl, futuresWsUrl, futuresDemo,
                       quitAfterLive, screenshot, screenshotDelay});
    if (!parser.parse(arguments)) {
        *message = parser.errorText();
        return false;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        *message = parser.isSet(help) ? parser.helpText() : u"krakenterm 0.1.0"_s;
        *exitNow = true;
        return true;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = QString(u"unexpected argument: "_s + parser.positionalArguments().constFirst());
        return false;
    }
    TerminalOptions o;
    if (parser.isSet(profile)) {
        const QString p = parser.value(profile).toLower();
        if (p == u"paper"_s) {
            o.profile = Profile::Paper;
        } else if (p == u"mainnet"_s) {
            o.profile = Profile::Mainnet;
        } else {
            *message = QString(u"unknown profile '"_s + p + u"' (mainnet or paper)"_s);
            return false;
        }
    }
    if (parser.isSet(paper))
        o.profile = Profile::Paper;
    o.layout = parser.value(layout);
    if (parser.isSet(keys))
        o.keysProfile = parser.value(keys);
    o.journalPath = parser.value(journal);
    const std::pair<const QCommandLineOption *, QUrl *> endpoints[] = {
        {&restUrl, &o.mainnetRestUrl},
        {&wsUrl, &o.mainnetWsUrl},
        {&wsAuthUrl, &o.mainnetWsAuthUrl},
        {&futuresUrl, &o.futuresRestUrl},
        {&futuresWsUrl, &o.futuresWsUrl}};
    for (const auto &[option, url] : endpoints) {
        if (!parser.isSet(*option))
            continue;
        *url = QUrl(parser.value(*option), QUrl::StrictMode);
        if (!url->isValid() || url->host().isEmpty()) {
            *message = QString(u"--"_s + option->names().constFirst() + u" needs a URL, not '"_s +
                               parser.value(*option) + u"'"_s);
            return false;
        }
    }
    o.futuresDemo = parser.isSet(futuresDemo);
    if (o.futuresRestUrl.isEmpty() != o.futuresWsUrl.isEmpty()) {
        *message = u"--futures-url and --futures-ws-url go together"_s;
        return false;
    }
    if (o.futuresDemo && !o.futuresRestUrl.isEmpty()) {
        *message = u"--futures-demo picks Kraken's demo; it cannot go with --futures-url"_s;
        return false;
    }
    if (parser.isSet(symbol))
        o.symbol = parser.value(symbol).toUpper();
    auto number = [&](const QCommandLineOption &opt, qint64 lo, qint64 hi, qint64 *v) {
        if (!parser.isSet(opt))
            return true;
        bool ok = false;
        const qint64 n = parser.value(opt).toLongLong(&ok);
        if (!ok || n < lo || n > hi) {
            *message = QString(u"--"_s + opt.names().constFirst() + u" needs a number from "_s +
                               QString::number(lo) + u" to "_s + QString::number(hi));
            return false;
        }
        *v = n;
        return true;
    };
    qint64 v = o.bookDepth;
    if (!number(depth, 10, 1000, &v))
        return false;
    if (v != 10 && v != 25 && v != 100 && v != 500 && v != 1000) {
        *message = u"--book-depth must be 10, 25, 100, 500 or 1000"_s;
        return false;
    }
    o.bookDepth = int(v);
    v = o.paperStepMs;
    if (!number(step, 1, 60000, &v))
        return false;
    o.paperStepMs = int(v);
    v = qint64(o.paperSeed);
    if (!number(seed, 0, std::numeric_limits<qint64>::max(), &v))
        return false;
    o.paperSeed = quint64(v);
    v = 0;
    if (!number(quitAfterLive, 1, 3600, &v))
        return false;
    o.quitAfterLiveSeconds = int(v);
    if (parser.isSet(quitAfterLive) && o.quitAfterLiveSeconds == 0)
        o.quitAfterLiveSeconds = 30;
    v = o.screenshotDelayMs;
    if (!number(screenshotDelay, 0, 600000, &v))
        return false;
    o.screenshotDelayMs = int(v);
    o.screenshotPath = parser.value(screenshot);
    o.settingsPath = parser.value(settings);
    *out = o;
    return true;
}

} // namespace app
