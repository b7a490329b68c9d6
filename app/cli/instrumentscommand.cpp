#include "instrumentscommand.h"

#include "cliexit.h"
#include "commonoptions.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace app::cli {
namespace {

bool matches(const kraken::Instrument &in, const QString &filter) {
    if (filter.isEmpty())
        return true;
    for (const QString &name : {in.symbol(), in.restKey(), in.altname(), in.wsname()}) {
        if (name.contains(filter, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QByteArray table(const QList<kraken::Instrument> &rows) {
    const QStringList header = {u"SYMBOL"_s,   u"REST KEY"_s, u"ALTNAME"_s, u"WSNAME"_s,
                                u"PRICE DP"_s, u"LOT DP"_s,   u"COST DP"_s, u"TICK"_s,
                                u"ORDERMIN"_s, u"COSTMIN"_s,  u"STATUS"_s};
    QList<QStringList> cells{header};
    for (const kraken::Instrument &in : rows)
        cells.append({in.symbol(), in.restKey(), in.altname(), in.wsname(),
                      QString::number(in.pairDecimals()), QString::number(in.lotDecimals()),
                      QString::number(in.costDecimals()), in.tickSize().toString(),
                      in.orderMin().toString(), in.costMin().toString(), in.status()});
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &row : cells)
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    QByteArray out;
    for (const QStringList &row : cells) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c)
            line += row[c].leftJustified(widths[c] + (c + 1 < row.size() ? 2 : 0));
        out += line.trimmed().toUtf8() + '\n';
    }
    return out;
}

QByteArray json(const QList<kraken::Instrument> &rows) {
    QJsonArray array;
    for (const kraken::Instrument &in : rows)
        array.append(QJsonObject{{u"symbol"_s, in.symbol()},
                                 {u"rest_key"_s, in.restKey()},
                                 {u"altname"_s, in.altname()},
                                 {u"wsname"_s, in.wsname()},
                                 {u"base"_s, in.base()},
                                 {u"quote"_s, in.quote()},
                                 {u"pair_decimals"_s, in.pairDecimals()},
                                 {u"lot_decimals"_s, in.lotDecimals()},
                                 {u"cost_decimals"_s, in.costDecimals()},
                                 {u"tick_size"_s, in.tickSize().toString()},
                                 {u"ordermin"_s, in.orderMin().toString()},
                                 {u"costmin"_s, in.costMin().toString()},
                                 {u"status"_s, in.status()}});
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

} // namespace

int runInstrumentsCommand(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Lists Kraken Spot pairs from AssetPairs with their names, precisions and minimums.\n"
        u"FILTER keeps pairs whose symbol, REST key, altname or wsname contains it.\n\n"
        u"Exit codes: 0 ok, 1 Kraken or HTTP error, 2 usage, 3 network error or timeout."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILTER"_s, u"Substring to match, e.g. BTC or XBTUSD."_s,
                                 u"[FILTER]"_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"Print a JSON array instead of a table."_s);
    parser.addOptions({jsonOpt, spotUrlOption(), timeoutOption()});
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"instruments"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(helpText(parser, u"instruments"_s)), stdout);
        return ExitOk;
    }
    if (parser.positionalArguments().size() > 1) {
        printUsageError(u"instruments takes at most one FILTER"_s, u"instruments"_s);
        return ExitUsage;
    }
    const QString filter = parser.positionalArguments().value(0);
    const auto settings = commonSettings(parser, u"instruments"_s);
    if (!settings)
        return ExitUsage;
    const bool asJson = parser.isSet(jsonOpt);

    kraken::spot::RestClient client(settings->config);
    return runUntilDone(settings->timeoutMs, [&](std::function<void(int)> finish) {
        client.assetPairs().then(
            &client, [filter, asJson, finish](const kraken::Result<kraken::InstrumentRegistry> &r) {
                if (!r) {
                    printError(r.error());
                    finish(exitCodeFor(r.error()));
                    return;
                }
                QList<kraken::Instrument> rows;
                for (const kraken::Instrument &in : r->all())
                    if (matches(in, filter))
                        rows.append(in);
                const QByteArray out = asJson ? json(rows) : table(rows);
                std::fwrite(out.constData(), 1, std::size_t(out.size()), stdout);
                finish(ExitOk);
            });
    });
}

} // namespace app::cli
