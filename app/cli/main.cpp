// krakenterm-cli: headless KrakenTerm. Dispatches to one command per verb; each command
// parses its own options and returns an exit code from cliexit.h.

#include "bookcommand.h"
#include "cliexit.h"
#include "instrumentscommand.h"
#include "keyscommand.h"
#include "simcommand.h"
#include "spotcommand.h"
#include "streamcommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

const char Usage[] =
    "Usage: krakenterm-cli [--help] [--version] COMMAND [ARGS...]\n"
    "\n"
    "Headless access to Kraken for scripts and diagnostics.\n"
    "\n"
    "Commands:\n"
    "  spot         send one Spot REST request (public or signed private) and print the JSON\n"
    "  instruments  list Spot pairs with their precisions and minimums\n"
    "  stream       stream WS v2 market data (book, trade, ticker, ohlc) as JSONL\n"
    "  record       record raw WS v2 frames to a file for replay\n"
    "  book         live top-of-book view; 'book replay FILE' verifies a recording\n"
    "  sim          run the paper exchange (Kraken's protocols on 127.0.0.1)\n"
    "  keys         API keys in the system keychain: set, test, delete, list\n"
    "\n"
    "Run 'krakenterm-cli COMMAND --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 Kraken or HTTP error, 2 usage, 3 network error or timeout,\n"
    "4 keychain unavailable, 5 no keys stored for the profile, 6 other keychain error.\n";

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"KrakenTerm"_s);
    QCoreApplication::setApplicationName(u"krakenterm"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    // Retry notices are for diagnosis, not for a script's stderr; QT_LOGGING_RULES still
    // overrides this (e.g. QT_LOGGING_RULES='kraken.*=true').
    QLoggingCategory::setFilterRules(u"kraken.*.info=false\nkraken.*.debug=false"_s);

    QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    if (command.isEmpty()) {
        std::fputs(Usage, stderr);
        return app::cli::ExitUsage;
    }
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        std::fputs(Usage, stdout);
        return app::cli::ExitOk;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        std::fputs("krakenterm-cli 0.1.0\n", stdout);
        return app::cli::ExitOk;
    }
    // The command's own parser sees "krakenterm-cli <command>" as its program name.
    args.removeAt(1);
    args[0] = u"krakenterm-cli "_s + command;
    if (command == u"spot"_s)
        return app::cli::runSpotCommand(args);
    if (command == u"instruments"_s)
        return app::cli::runInstrumentsCommand(args);
    if (command == u"stream"_s)
        return app::cli::runStreamCommand(args);
    if (command == u"record"_s)
        return app::cli::runRecordCommand(args);
    if (command == u"book"_s)
        return app::cli::runBookCommand(args);
    if (command == u"sim"_s)
        return app::cli::runSimCommand(args);
    if (command == u"keys"_s)
        return app::cli::runKeysCommand(args);
    app::cli::printUsageError(u"unknown command '%1'"_s.arg(command), {});
    return app::cli::ExitUsage;
}
