#include "cliexit.h"

#include <cstdio>

using namespace Qt::StringLiterals;

namespace app::cli {

ExitCode exitCodeFor(const kraken::Error &error) {
    using C = kraken::Error::Category;
    switch (error.category()) {
    case C::None:
        return ExitOk;
    case C::Network:
    case C::Timeout:
        return ExitNetwork;
    case C::InvalidInput:
        return ExitUsage;
    default:
        return ExitKraken;
    }
}

void printError(const kraken::Error &error) {
    QByteArray out;
    for (const QString &e : error.krakenErrors())
        out += e.toUtf8() + '\n';
    out += "krakenterm-cli: " + error.toString().toUtf8() + '\n';
    std::fputs(out.constData(), stderr);
}

void printUsageError(const QString &message, const QString &command) {
    const QString help =
        command.isEmpty() ? u"krakenterm-cli --help"_s : u"krakenterm-cli %1 --help"_s.arg(command);
    std::fputs(qPrintable(u"krakenterm-cli: %1\nTry '%2'.\n"_s.arg(message, help)), stderr);
}

} // namespace app::cli
