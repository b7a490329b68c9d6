#include "simcommand.h"

#include "cliexit.h"
#include "commonoptions.h"
#include "interrupt.h"
#include "kraken/sim/faults.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using kraken::sim::PaperExchange;
using kraken::sim::SimConfig;

namespace app::cli {
namespace {

void printLine(const QString &line) {
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

std::optional<quint16> portValue(const QCommandLineParser &parser, const QCommandLineOption &o) {
    if (!parser.isSet(o))
        return quint16(0);
    bool ok = false;
    const uint port = parser.value(o).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    return quint16(port);
}

// Writes the engine's state atomically: a crash mid-write keeps the previous file.
bool saveState(PaperExchange &exchange, const QString &path) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(exchange.engine().saveState()).toJson(QJsonDocument::Indented));
    return f.commit();
}

} // namespace

int runSimCommand(const QStringList &arguments) {
    const QString command = u"sim"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs the paper exchange: Kraken's Spot REST and WebSocket v2 protocols on 127.0.0.1,\n"
        "over a simulated market that matches your orders. Prints, one per line, the REST base\n"
        "URL, the public and authenticated WebSocket URLs and the paper API key and secret, as\n"
        "KEY=value lines that the other commands read from the environment; then serves until\n"
        "interrupted (Ctrl-C). Faults can also be changed while running: POST a JSON object to\n"
        "<rest url>/admin/faults (GET shows the current settings).\n\n"
        "With --replay FILE, the pairs a capture written by `krakenterm-cli record` holds\n"
        "(book and trade channels) are served from it instead of the random walk: the\n"
        "recorded book at any depth up to the recorded one, with the sim's own checksums, and\n"
        "the recorded trades on the trade, ticker and ohlc channels; your orders match against\n"
        "that book. It plays at the recorded pace times --speed and loops when the file ends\n"
        "(each pair's first snapshot re-applied), so a long session keeps moving."_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"REST port (0: any free port)."_s, u"P"_s, u"0"_s);
    const QCommandLineOption wsPort(u"ws-port"_s, u"Public WebSocket port (0: any)."_s, u"P"_s);
    const QCommandLineOption wsAuthPort(u"ws-auth-port"_s,
                                        u"Authenticated WebSocket port (0: any)."_s, u"P"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed of the simulated market."_s, u"S"_s);
    const QCommandLineOption config(u"config"_s, u"JSON config: pairs, accounts, balances, seed."_s,
                                    u"FILE"_s);
    const QCommandLineOption state(
        u"state"_s, u"Keep accounts and orders in FILE across restarts."_s, u"FILE"_s);
    const QCommandLineOption step(u"step-ms"_s, u"Milliseconds between market steps (100)."_s,
                                  u"MS"_s, u"100"_s);
    const QCommandLineOption fault(
        u"fault"_s,
        u"Inject a fault, NAME=VALUE, repeatable: ws_drop_every_sec, bad_checksum_every_n, "
        "drop_book_update_every_n, rest_delay_ms, ws_delay_ms, rest_service_errors, "
        "rest_service_error, rest_rate_limit_errors, order_rate_limit_errors, html_502, "
        "stall, lose_order_ack. While running, {\"drop_ws_now\": 1} posted to /admin/faults "
        "closes every WebSocket at once."_s,
        u"NAME=VALUE"_s);
    const QCommandLineOption replay(
        u"replay"_s,
        u"Serve the market recorded in FILE (krakenterm-cli record's JSONL), looping."_s,
        u"FILE"_s);
    const QCommandLineOption speed(
        u"speed"_s,
        u"Replay speed: 1 as recorded (default), 2 twice as fast, 0 as fast as possible."_s, u"X"_s,
        u"1"_s);
    parser.addOptions({port, wsPort, wsAuthPort, seed, config, state, step, fault, replay, speed});
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), command);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(helpText(parser, command)), stdout);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printUsageError(u"sim takes no positional arguments"_s, command);
        return ExitUsage;
    }

    SimConfig simConfig = SimConfig::builtIn();
    if (parser.isSet(config)) {
        QFile f(parser.value(config));
        if (!f.open(QIODevice::ReadOnly)) {
            printUsageError(u"cannot read %1: %2"_s.arg(f.fileName(), f.errorString()), command);
            return ExitUsage;
        }
        auto parsed = SimConfig::fromJson(f.readAll());
        if (!parsed) {
            printUsageError(parsed.error().message(), command);
            return ExitUsage;
        }
        simConfig = *parsed;
    }
    if (parser.isSet(seed)) {
        bool ok = false;
        simConfig.seed = parser.value(seed).toULongLong(&ok);
        if (!ok) {
            printUsageError(u"--seed needs a whole number"_s, command);
            return ExitUsage;
        }
    }
    bool stepOk = false;
    const int stepMs = parser.value(step).toInt(&stepOk);
    const auto restPort = portValue(parser, port);
    const auto publicPort = portValue(parser, wsPort);
    const auto privatePort = portValue(parser, wsAuthPort);
    if (!stepOk || stepMs < 0 || !restPort || !publicPort || !privatePort) {
        printUsageError(u"ports must be 0..65535 and --step-ms a whole number >= 0"_s, command);
        return ExitUsage;
    }

    bool speedOk = false;
    const double replaySpeed = parser.value(speed).toDouble(&speedOk);
    if (!speedOk || !std::isfinite(replaySpeed) || replaySpeed < 0) {
        printUsageError(u"--speed needs a number >= 0"_s, command);
        return ExitUsage;
    }
    if (parser.isSet(speed) && !parser.isSet(replay)) {
        printUsageError(u"--speed needs --replay"_s, command);
        return ExitUsage;
    }

    PaperExchange exchange(simConfig);
    for (const QString &f : parser.values(fault)) {
        QString why;
        if (!exchange.faults().apply(f, &why)) {
            printUsageError(why, command);
            return ExitUsage;
        }
    }
    const QString statePath = parser.value(state);
    if (!statePath.isEmpty() && QFile::exists(statePath)) {
        QFile f(statePath);
        QString why;
        const QJsonDocument doc =
            f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()) : QJsonDocument();
        if (!doc.isObject() || !exchange.engine().restoreState(doc.object(), &why)) {
            printUsageError(u"cannot restore state from %1: %2"_s.arg(
                                statePath, why.isEmpty() ? u"not a state file"_s : why),
                            command);
            return ExitUsage;
        }
    }
    if (parser.isSet(replay)) {
        QString why;
        if (!exchange.startReplay(parser.value(replay), replaySpeed, &why)) {
            printUsageError(u"--replay: "_s + why, command);
            return ExitUsage;
        }
    }
    exchange.setStepInterval(stepMs);
    QString error;
    if (!exchange.start(*restPort, *publicPort, *privatePort, &error)) {
        printError(kraken::Error(kraken::Error::Category::Network, error));
        return ExitNetwork;
    }

    // Paper credentials: printing them is the point (other tools are pointed at this).
    const kraken::sim::SimAccount &account = exchange.config().accounts.first();
    printLine(u"KRAKEN_SPOT_URL="_s + exchange.restUrl().toString());
    printLine(u"KRAKEN_WS_URL="_s + exchange.wsUrl().toString());
    printLine(u"KRAKEN_WS_AUTH_URL="_s + exchange.wsAuthUrl().toString());
    printLine(u"KRAKEN_SPOT_API_KEY="_s + account.apiKey);
    printLine(u"KRAKEN_SPOT_API_SECRET="_s + account.secret);
    printLine(u"KRAKEN_FUTURES_URL="_s + exchange.futuresRestUrl().toString());
    printLine(u"KRAKEN_FUTURES_WS_URL="_s + exchange.futuresWsUrl().toString());
    printLine(u"KRAKEN_FUTURES_API_KEY="_s + account.futuresApiKey);
    printLine(u"KRAKEN_FUTURES_API_SECRET="_s + account.futuresSecret);

    QTimer saver;
    if (!statePath.isEmpty()) {
        // Periodic saves bound what a crash loses; the final one happens on a clean exit.
        QObject::connect(&saver, &QTimer::timeout, &exchange,
                         [&] { saveState(exchange, statePath); });
        saver.start(5000);
    }
    quitOnInterrupt();
    const int rc = QCoreApplication::exec();
    if (!statePath.isEmpty() && !saveState(exchange, statePath)) {
        printError(kraken::Error(kraken::Error::Category::InvalidInput,
                                 u"cannot write state file %1"_s.arg(statePath)));
        return ExitKraken;
    }
    return rc;
}

} // namespace app::cli
