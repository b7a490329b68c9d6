#include "spotcommand.h"

#include "cliexit.h"
#include "commonoptions.h"
#include "kraken/core/credentials.h"
#include "profilecredentials.h"
#include "requestdata.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace app::cli {
namespace {

void writeStdout(const QByteArray &bytes) {
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

QByteArray render(const QJsonValue &v, bool compact) {
    // Indented output ends in a newline; compact output does not, so add one: a line is
    // what shells and `jq` expect.
    if (v.isObject())
        return compact ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact) + '\n'
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented);
    if (v.isArray())
        return compact ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact) + '\n'
                       : QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented);
    // Scalars: wrap to reuse Qt's JSON escaping, then unwrap.
    QByteArray s = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return s.mid(1, s.size() - 2) + '\n';
}

} // namespace

int runSpotCommand(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sends one request to Kraken's Spot REST API and prints the JSON result.\n\n"
        u"PATH is public/<Method> or private/<Method> (a leading /0/ is allowed), e.g.\n"
        u"  krakenterm-cli spot public/Ticker --data '{\"pair\":\"XBTUSD\"}'\n"
        u"  krakenterm-cli spot private/Balance\n\n"
        u"Private calls are signed with the keys of --profile NAME from the system keychain\n"
        u"(see 'krakenterm-cli keys'), or else KRAKEN_SPOT_API_KEY / KRAKEN_SPOT_API_SECRET.\n"
        u"--data takes a JSON object (scalars become form fields in the order written;\n"
        u"nested arrays or objects send the object as a JSON body) or a form string\n"
        u"a=1&b=2. --dry-run prints the HTTP/1.1 request that would be sent, with its\n"
        u"API-Sign, without sending it.\n\n"
        u"Exit codes: 0 ok, 1 Kraken or HTTP error (Kraken's error strings on stderr),\n"
        u"2 usage, 3 network error or timeout, 4 keychain unavailable, 5 no keys stored for\n"
        u"the profile, 6 other keychain error."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"PATH"_s, u"public/<Method> or private/<Method>"_s);
    const QCommandLineOption verbOpt(
        {u"X"_s, u"method"_s}, u"HTTP method GET or POST (default: GET public, POST private)."_s,
        u"METHOD"_s);
    const QCommandLineOption dataOpt({u"d"_s, u"data"_s}, u"Request parameters (JSON or form)."_s,
                                     u"DATA"_s);
    const QCommandLineOption dryRunOpt(u"dry-run"_s, u"Print the request instead of sending it."_s);
    const QCommandLineOption nonceOpt(
        u"nonce"_s, u"Sign with this nonce (with --dry-run: reproducible signatures)."_s, u"N"_s);
    const QCommandLineOption compactOpt(u"compact"_s, u"Print the result on one line."_s);
    parser.addOptions({verbOpt, dataOpt, dryRunOpt, nonceOpt, compactOpt, spotUrlOption(),
                       timeoutOption(), profileOption()});
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"spot"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        writeStdout(helpText(parser, u"spot"_s).toUtf8());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printUsageError(u"spot takes exactly one PATH"_s, u"spot"_s);
        return ExitUsage;
    }
    const QString path = positional.first();
    const auto settings = commonSettings(parser, u"spot"_s);
    if (!settings)
        return ExitUsage;
    QString dataError;
    const auto data = RequestData::parse(parser.value(dataOpt).toUtf8(), &dataError);
    if (!data) {
        printUsageError(dataError, u"spot"_s);
        return ExitUsage;
    }
    std::optional<quint64> nonce;
    if (parser.isSet(nonceOpt)) {
        bool ok = false;
        nonce = parser.value(nonceOpt).toULongLong(&ok);
        if (!ok) {
            printUsageError(u"--nonce must be a non-negative integer"_s, u"spot"_s);
            return ExitUsage;
        }
        if (!parser.isSet(dryRunOpt)) {
            printUsageError(u"--nonce only goes with --dry-run: Kraken rejects a nonce that is not "
                            u"larger than the last one it accepted"_s,
                            u"spot"_s);
            return ExitUsage;
        }
    }
    const QByteArray verb = parser.value(verbOpt).toUpper().toLatin1();
    const bool isPrivate = path.contains(u"private/"_s);

    kraken::spot::RestClientConfig config = settings->config;
    // A fixed --nonce must not advance the persisted nonce of a real key.
    config.persistNonce = !nonce;
    kraken::spot::RestClient client(config);
    if (isPrivate) {
        int exitCode = ExitUsage;
        const auto creds =
            commandCredentials(parser, kraken::keychain::Venue::Spot, u"spot"_s, &exitCode);
        if (!creds)
            return exitCode;
        client.setCredentials(*creds);
    }

    if (parser.isSet(dryRunOpt)) {
        const auto prepared = client.prepare(verb, path, data->params, nonce, data->jsonBody);
        if (!prepared) {
            printError(prepared.error());
            return exitCodeFor(prepared.error());
        }
        writeStdout(prepared->toHttpMessage() + '\n');
        return ExitOk;
    }
    // Validate locally first so that usage errors exit 2 without touching the network.
    if (const auto check = client.prepare(verb, path, data->params, 0, data->jsonBody); !check) {
        printError(check.error());
        return exitCodeFor(check.error());
    }

    const bool compact = parser.isSet(compactOpt);
    return runUntilDone(settings->timeoutMs, [&](std::function<void(int)> finish) {
        kraken::spot::RestReply *reply = data->jsonBody.isEmpty()
                                             ? client.request(verb, path, data->params)
                                             : client.requestJson(path, data->jsonBody);
        QObject::connect(reply, &kraken::spot::RestReply::finished, reply,
                         [reply, compact, finish] {
                             if (reply->error()) {
                                 printError(reply->error());
                                 finish(exitCodeFor(reply->error()));
                                 return;
                             }
                             for (const QString &w : reply->warnings())
                                 std::fputs(qPrintable(u"warning: %1\n"_s.arg(w)), stderr);
                             writeStdout(render(reply->result(), compact));
                             finish(ExitOk);
                         });
    });
}

} // namespace app::cli
