#include "bookcommand.h"

#include "cliexit.h"
#include "commonoptions.h"
#include "interrupt.h"
#include "kraken/spot/bookreplay.h"
#include "kraken/spot/wsclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace app::cli {
namespace {

void out(const QString &text) {
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

int runReplay(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Replays a recorded Kraken WS v2 capture (one frame per line, raw or {\"recv\",\"msg\"})\n"
        u"through the book engine as fast as it can, verifying every checksum.\n"
        u"Precisions come from instrument frames in the file or from the flags; the depth from\n"
        u"--depth, else the book subscription ack in the file, else 10.\n"
        u"The last lines report messages, level updates, checksum mismatches (with line numbers)\n"
        u"and throughput; timing covers only the in-memory parse + apply + verify loop.\n\n"
        u"Exit codes: 0 every checksum verified, 1 a mismatch or a line that could not be\n"
        u"checked, 2 usage or unreadable file."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE"_s, u"The recording."_s);
    const QCommandLineOption depthOpt(u"depth"_s, u"Subscribed depth the capture used."_s, u"D"_s);
    const QCommandLineOption verifyOpt(u"verify"_s, u"Verify checksums (the default)."_s);
    const QCommandLineOption noVerifyOpt(u"no-verify"_s, u"Apply without verifying checksums."_s);
    const QCommandLineOption ppOpt(
        u"price-precision"_s, u"Price decimals, if the file has no instrument frame."_s, u"P"_s);
    const QCommandLineOption qpOpt(u"qty-precision"_s, u"Quantity decimals, likewise."_s, u"Q"_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"Print one JSON object as the last line."_s);
    parser.addOptions({depthOpt, verifyOpt, noVerifyOpt, ppOpt, qpOpt, jsonOpt});
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"book replay"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        out(helpText(parser, u"book replay"_s));
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1) {
        printUsageError(u"book replay takes exactly one FILE"_s, u"book replay"_s);
        return ExitUsage;
    }
    kraken::spot::BookReplay::Options options;
    options.verify = !parser.isSet(noVerifyOpt);
    auto intOption = [&](const QCommandLineOption &o, int lo, int hi, std::optional<int> &into) {
        if (!parser.isSet(o))
            return true;
        bool ok = false;
        const int v = parser.value(o).toInt(&ok);
        if (!ok || v < lo || v > hi) {
            printUsageError(
                u"--%1 must be an integer %2..%3"_s.arg(o.names().constFirst()).arg(lo).arg(hi),
                u"book replay"_s);
            return false;
        }
        into = v;
        return true;
    };
    std::optional<int> depth;
    if (!intOption(depthOpt, 1, 1000, depth) || !intOption(ppOpt, 0, 18, options.pricePrecision) ||
        !intOption(qpOpt, 0, 18, options.qtyPrecision))
        return ExitUsage;
    options.depth = depth.value_or(0);

    QFile file(parser.positionalArguments().constFirst());
    if (!file.open(QIODevice::ReadOnly)) {
        printUsageError(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()),
                        u"book replay"_s);
        return ExitUsage;
    }
    auto replay = kraken::spot::BookReplay::load(file.readAll());
    if (!replay) {
        printError(replay.error());
        return ExitUsage;
    }
    const auto s = replay->run(options);
    const double secs = std::max(s.elapsedSeconds, 1e-9);
    QStringList lines;
    for (qint64 l : s.mismatchLines)
        lines.append(QString::number(l));
    if (parser.isSet(jsonOpt)) {
        QJsonArray mismatchLines;
        for (qint64 l : s.mismatchLines)
            mismatchLines.append(l);
        const QJsonObject o{{u"messages"_s, s.messages},
                            {u"level_updates"_s, s.levelUpdates},
                            {u"checksum_mismatches"_s, s.checksumMismatches},
                            {u"mismatch_lines"_s, mismatchLines},
                            {u"elapsed_s"_s, s.elapsedSeconds},
                            {u"msgs_per_s"_s, double(s.messages) / secs},
                            {u"level_updates_per_s"_s, double(s.levelUpdates) / secs}};
        out(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + u'\n');
    } else {
        if (s.unusableLines > 0) {
            QStringList first;
            for (qint64 l : s.unusableLineNumbers)
                first.append(QString::number(l));
            out(u"unusable lines: %1 (first: %2)\n"_s.arg(s.unusableLines)
                    .arg(first.join(u", "_s)));
        }
        out(u"messages: %1 (book: %2)\n"_s.arg(s.messages).arg(s.bookMessages));
        out(u"level updates: %1\n"_s.arg(s.levelUpdates));
        out(u"checksum mismatches: %1%2\n"_s.arg(s.checksumMismatches)
                .arg(lines.isEmpty() ? QString() : u" at lines "_s + lines.join(u", "_s)));
        out(u"throughput: %1 msgs/s, %2 level updates/s (%3 s)\n"_s
                .arg(double(s.messages) / secs, 0, 'f', 0)
                .arg(double(s.levelUpdates) / secs, 0, 'f', 0)
                .arg(s.elapsedSeconds, 0, 'f', 4));
    }
    // Lines that could not be checked (no precision, unparsable) are not "verified" either.
    return s.checksumMismatches == 0 && s.unusableLines == 0 ? ExitOk : ExitKraken;
}

QString renderBook(const kraken::book::BookSnapshot &b, const QString &state, int resyncs) {
    QString text = u"\x1b[H\x1b[2J%1  %2  resyncs %3  checksum %4\n\n"_s.arg(b.symbol, state)
                       .arg(resyncs)
                       .arg(b.checksum);
    text += u"%1 %2\n"_s.arg(u"PRICE"_s, 16).arg(u"QTY"_s, 20);
    for (auto it = b.asks.rbegin(); it != b.asks.rend(); ++it)
        text += u"\x1b[31m%1 %2\x1b[0m\n"_s.arg(b.price(*it).toString(), 16)
                    .arg(b.qty(*it).toString(), 20);
    text += u"%1\n"_s.arg(QString(), 37, u'-');
    for (const auto &l : b.bids)
        text +=
            u"\x1b[32m%1 %2\x1b[0m\n"_s.arg(b.price(l).toString(), 16).arg(b.qty(l).toString(), 20);
    return text;
}

int runLive(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A live top-of-book view of one Spot symbol (WS v2 symbol, e.g. BTC/USD), redrawn\n"
        u"five times a second until interrupted. Every message is checksum-verified.\n"
        u"'krakenterm-cli book replay --help' for verifying a recording.\n\n"
        u"Exit codes: 0 after Ctrl-C or SIGTERM, 1 subscription refused, 2 usage."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"SYMBOL"_s, u"e.g. BTC/USD"_s);
    const QCommandLineOption depthOpt(u"depth"_s, u"Subscribed depth: 10, 25, 100, 500, 1000."_s,
                                      u"D"_s, u"10"_s);
    const QCommandLineOption levelsOpt(u"levels"_s, u"Levels shown per side."_s, u"N"_s, u"10"_s);
    parser.addOptions({depthOpt, levelsOpt, wsUrlOption()});
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"book"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        out(helpText(parser, u"book"_s));
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1) {
        printUsageError(u"book takes one SYMBOL (or: book replay FILE)"_s, u"book"_s);
        return ExitUsage;
    }
    const auto config = wsConfig(parser, u"book"_s);
    if (!config)
        return ExitUsage;
    const int depth = parser.value(depthOpt).toInt();
    const int levels = std::max(1, parser.value(levelsOpt).toInt());
    if (!kraken::spot::WsSubscription::isValidDepth(depth)) {
        printUsageError(u"--depth must be 10, 25, 100, 500 or 1000"_s, u"book"_s);
        return ExitUsage;
    }
    kraken::spot::WsClient client(*config);
    const QString symbol = parser.positionalArguments().constFirst().toUpper();
    int exitCode = ExitOk;
    QObject::connect(&client, &kraken::spot::WsClient::subscriptionFailed,
                     [&](const kraken::spot::WsSubscription &, const QString &error) {
                         printError(kraken::Error(kraken::Error::Category::Kraken, error));
                         exitCode = ExitKraken;
                         QCoreApplication::exit(ExitKraken);
                     });
    client.subscribe({kraken::spot::WsSubscription::Channel::Book, symbol, depth, 0});
    client.open();
    QTimer redraw;
    QObject::connect(&redraw, &QTimer::timeout, [&] {
        const auto snap = client.bookSnapshot(symbol, levels);
        const QString state = kraken::spot::WsClient::stateName(client.state());
        if (snap)
            out(renderBook(*snap, state, client.resyncCount()));
        else
            out(u"\x1b[H\x1b[2J%1  %2\n"_s.arg(symbol, state));
    });
    redraw.start(200);
    quitOnInterrupt();
    const int rc = QCoreApplication::exec();
    return exitCode != ExitOk ? exitCode : rc;
}

} // namespace

int runBookCommand(const QStringList &arguments) {
    if (arguments.value(1) == u"replay"_s) {
        QStringList rest = arguments;
        rest.removeAt(1);
        rest[0] = u"krakenterm-cli book replay"_s;
        return runReplay(rest);
    }
    return runLive(arguments);
}

} // namespace app::cli
