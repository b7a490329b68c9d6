#include "commonoptions.h"

#include "cliexit.h"

#include <QCoreApplication>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace app::cli {

QCommandLineOption spotUrlOption() {
    return QCommandLineOption(u"spot-url"_s,
                              u"Kraken Spot REST base URL (default https://api.kraken.com, or "
                              u"$KRAKEN_SPOT_URL)."_s,
                              u"URL"_s);
}

QCommandLineOption timeoutOption() {
    return QCommandLineOption(u"timeout"_s, u"Give up after S seconds in all (default 30)."_s,
                              u"S"_s, u"30"_s);
}

QCommandLineOption wsUrlOption() {
    return QCommandLineOption(u"ws-url"_s,
                              u"Kraken Spot WebSocket v2 URL (default wss://ws.kraken.com/v2, or "
                              u"$KRAKEN_WS_URL); the paper exchange's for paper trading."_s,
                              u"URL"_s);
}

std::optional<kraken::spot::WsClientConfig> wsConfig(const QCommandLineParser &parser,
                                                     const QString &command) {
    kraken::spot::WsClientConfig config;
    QString url = parser.value(u"ws-url"_s);
    if (url.isEmpty())
        url = qEnvironmentVariable("KRAKEN_WS_URL");
    if (!url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != u"ws"_s && parsed.scheme() != u"wss"_s) ||
            parsed.host().isEmpty()) {
            printUsageError(u"--ws-url '%1' is not a ws(s) URL"_s.arg(url), command);
            return std::nullopt;
        }
        config.url = parsed;
    }
    return config;
}

std::optional<CommonSettings> commonSettings(const QCommandLineParser &parser,
                                             const QString &command) {
    CommonSettings s;
    QString url = parser.value(u"spot-url"_s);
    if (url.isEmpty())
        url = qEnvironmentVariable("KRAKEN_SPOT_URL");
    if (!url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s) ||
            parsed.host().isEmpty()) {
            printUsageError(u"--spot-url '%1' is not an http(s) URL"_s.arg(url), command);
            return std::nullopt;
        }
        s.config.baseUrl = parsed;
    }
    bool ok = false;
    const double seconds = parser.value(u"timeout"_s).toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 3600) {
        printUsageError(u"--timeout must be a number of seconds between 0 and 3600"_s, command);
        return std::nullopt;
    }
    s.timeoutMs = int(seconds * 1000);
    s.config.timeoutMs = s.timeoutMs;
    return s;
}

QString helpText(const QCommandLineParser &parser, const QString &command) {
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().value(0);
    const qsizetype at = text.indexOf(program);
    if (at >= 0)
        text.replace(at, program.size(), u"krakenterm-cli "_s + command);
    return text;
}

int runUntilDone(int timeoutMs, const std::function<void(std::function<void(int)>)> &start) {
    bool finished = false;
    auto finish = [&finished](int code) {
        if (finished)
            return;
        finished = true;
        QCoreApplication::exit(code);
    };
    QTimer overall;
    overall.setSingleShot(true);
    QObject::connect(&overall, &QTimer::timeout, [&] {
        printError(kraken::Error(kraken::Error::Category::Timeout,
                                 u"no complete answer within %1 s"_s.arg(timeoutMs / 1000.0)));
        finish(ExitNetwork);
    });
    overall.start(timeoutMs);
    QTimer::singleShot(0, [&] { start(finish); });
    return QCoreApplication::exec();
}

} // namespace app::cli
