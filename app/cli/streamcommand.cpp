#include "streamcommand.h"

#include "cliexit.h"
#include "commonoptions.h"
#include "interrupt.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;
using kraken::spot::WsClient;
using kraken::spot::WsSubscription;
namespace ws = kraken::spot::ws;

namespace app::cli {
namespace {

void emitLine(const QJsonObject &o) {
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

// Decimals are written as JSON strings: a JSON number would be read back as a double.
QJsonValue dec(const kraken::Decimal &d) {
    return d.toString();
}

QString isoNs(std::int64_t ns) {
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC);
    return t.toString(u"yyyy-MM-ddTHH:mm:ss."_s) +
           u"%1Z"_s.arg(qlonglong(ns % 1'000'000'000), 9, 10, QChar(u'0'));
}

QJsonObject candleJson(const char *type, const ws::OhlcEvent &c) {
    return {{u"type"_s, QString::fromLatin1(type)},
            {u"symbol"_s, c.symbol},
            {u"interval"_s, c.intervalMinutes},
            {u"interval_begin"_s, isoNs(c.intervalBeginNs)},
            {u"open"_s, dec(c.open)},
            {u"high"_s, dec(c.high)},
            {u"low"_s, dec(c.low)},
            {u"close"_s, dec(c.close)},
            {u"vwap"_s, dec(c.vwap)},
            {u"volume"_s, dec(c.volume)},
            {u"trades"_s, c.trades}};
}

struct StreamSetup {
    WsSubscription::Channel channel;
    QStringList symbols;
    int depth = 10;
    int interval = 1;
};

// Shared by stream and record: CHANNEL SYMBOL... with --depth / --interval.
std::optional<StreamSetup> parseChannel(const QCommandLineParser &parser,
                                        const QStringList &positional, const QString &command) {
    if (positional.size() < 2) {
        printUsageError(u"%1 needs a CHANNEL and at least one SYMBOL"_s.arg(command), command);
        return std::nullopt;
    }
    StreamSetup s;
    const QString channel = positional.first().toLower();
    if (channel == u"book"_s)
        s.channel = WsSubscription::Channel::Book;
    else if (channel == u"trade"_s || channel == u"trades"_s)
        s.channel = WsSubscription::Channel::Trade;
    else if (channel == u"ticker"_s)
        s.channel = WsSubscription::Channel::Ticker;
    else if (channel == u"ohlc"_s)
        s.channel = WsSubscription::Channel::Ohlc;
    else {
        printUsageError(u"unknown channel '%1': use book, trade, ticker or ohlc"_s.arg(channel),
                        command);
        return std::nullopt;
    }
    s.symbols = positional.mid(1);
    s.depth = parser.value(u"depth"_s).toInt();
    s.interval = parser.value(u"interval"_s).toInt();
    if (s.channel == WsSubscription::Channel::Book && !WsSubscription::isValidDepth(s.depth)) {
        printUsageError(u"--depth must be 10, 25, 100, 500 or 1000"_s, command);
        return std::nullopt;
    }
    if (s.channel == WsSubscription::Channel::Ohlc &&
        !WsSubscription::isValidInterval(s.interval)) {
        printUsageError(u"--interval must be 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600"_s,
                        command);
        return std::nullopt;
    }
    return s;
}

void addChannelOptions(QCommandLineParser &parser) {
    parser.addOptions(
        {QCommandLineOption(u"depth"_s, u"Book depth: 10, 25, 100, 500, 1000."_s, u"D"_s, u"10"_s),
         QCommandLineOption(u"interval"_s, u"OHLC interval in minutes."_s, u"M"_s, u"1"_s),
         wsUrlOption()});
}

void subscribeAll(WsClient &client, const StreamSetup &s) {
    for (const QString &symbol : s.symbols)
        client.subscribe({s.channel, symbol, s.depth, s.interval});
}

// Status lines go to stderr so stdout stays pure JSONL.
void reportStates(WsClient &client) {
    QObject::connect(&client, &WsClient::stateChanged, [](WsClient::State st, const QString &why) {
        std::fputs(qPrintable(u"krakenterm-cli: %1 (%2)\n"_s.arg(WsClient::stateName(st), why)),
                   stderr);
    });
    QObject::connect(
        &client, &WsClient::subscriptionFailed,
        [](const WsSubscription &sub, const QString &error) {
            std::fputs(qPrintable(u"krakenterm-cli: %1 refused: %2\n"_s.arg(sub.toString(), error)),
                       stderr);
        });
}

} // namespace

int runStreamCommand(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Streams Kraken Spot WS v2 market data as JSONL on stdout until interrupted.\n"
        u"CHANNEL is book, trade, ticker or ohlc; SYMBOLs are WS v2 names (BTC/USD).\n"
        u"Prices and quantities are JSON strings with their exact decimals. Book events\n"
        u"carry the top 10 levels after each verified message; ohlc events are \"candle\"\n"
        u"(forming) and \"candle_closed\" (final, once the next interval begins); a \"gap\"\n"
        u"event says the connection dropped and data may have been missed.\n"
        u"Connection states are reported on stderr; the client reconnects by itself.\n\n"
        u"Exit codes: 0 after Ctrl-C or SIGTERM, 2 usage."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"CHANNEL"_s, u"book, trade, ticker or ohlc"_s);
    parser.addPositionalArgument(u"SYMBOL"_s, u"One or more symbols."_s, u"SYMBOL..."_s);
    addChannelOptions(parser);
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"stream"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(helpText(parser, u"stream"_s)), stdout);
        return ExitOk;
    }
    const auto setup = parseChannel(parser, parser.positionalArguments(), u"stream"_s);
    const auto config = wsConfig(parser, u"stream"_s);
    if (!setup || !config)
        return ExitUsage;

    WsClient client(*config);
    reportStates(client);
    QObject::connect(&client, &WsClient::gap, [](const QString &why) {
        emitLine({{u"type"_s, u"gap"_s}, {u"reason"_s, why}});
    });
    QObject::connect(
        &client, &WsClient::bookInvalid, [](const QString &symbol, const QString &why) {
            emitLine({{u"type"_s, u"book_invalid"_s}, {u"symbol"_s, symbol}, {u"reason"_s, why}});
        });
    QObject::connect(&client, &WsClient::bookUpdated, [&client](const QString &symbol) {
        const auto b = client.bookSnapshot(symbol, 10);
        if (!b)
            return;
        QJsonArray bids, asks;
        for (const auto &l : b->bids)
            bids.append(QJsonArray{dec(b->price(l)), dec(b->qty(l))});
        for (const auto &l : b->asks)
            asks.append(QJsonArray{dec(b->price(l)), dec(b->qty(l))});
        emitLine({{u"type"_s, u"book"_s},
                  {u"symbol"_s, symbol},
                  {u"bids"_s, bids},
                  {u"asks"_s, asks},
                  {u"checksum"_s, qint64(b->checksum)}});
    });
    QObject::connect(&client, &WsClient::trade, [](const ws::TradeEvent &t) {
        emitLine({{u"type"_s, u"trade"_s},
                  {u"symbol"_s, t.symbol},
                  {u"side"_s, t.buy ? u"buy"_s : u"sell"_s},
                  {u"price"_s, dec(t.price)},
                  {u"qty"_s, dec(t.qty)},
                  {u"ord_type"_s, t.market ? u"market"_s : u"limit"_s},
                  {u"trade_id"_s, t.tradeId},
                  {u"timestamp"_s, isoNs(t.timestampNs)}});
    });
    QObject::connect(&client, &WsClient::ticker, [](const ws::TickerEvent &t) {
        emitLine({{u"type"_s, u"ticker"_s},
                  {u"symbol"_s, t.symbol},
                  {u"bid"_s, dec(t.bid)},
                  {u"bid_qty"_s, dec(t.bidQty)},
                  {u"ask"_s, dec(t.ask)},
                  {u"ask_qty"_s, dec(t.askQty)},
                  {u"last"_s, dec(t.last)},
                  {u"volume"_s, dec(t.volume)},
                  {u"vwap"_s, dec(t.vwap)},
                  {u"low"_s, dec(t.low)},
                  {u"high"_s, dec(t.high)},
                  {u"change"_s, dec(t.change)},
                  {u"change_pct"_s, dec(t.changePct)}});
    });
    QObject::connect(&client, &WsClient::candle,
                     [](const ws::OhlcEvent &c) { emitLine(candleJson("candle", c)); });
    QObject::connect(&client, &WsClient::candleClosed,
                     [](const ws::OhlcEvent &c) { emitLine(candleJson("candle_closed", c)); });
    subscribeAll(client, *setup);
    client.open();
    quitOnInterrupt();
    return QCoreApplication::exec();
}

int runRecordCommand(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Records raw Kraken WS v2 frames to FILE until interrupted, one line per frame:\n"
        u"{\"recv\": <epoch ns>, \"msg\": <frame exactly as received>}. The instrument snapshot\n"
        u"is recorded first, so `krakenterm-cli book replay FILE` knows the precisions.\n\n"
        u"Exit codes: 0 after Ctrl-C or SIGTERM, 2 usage or unwritable FILE."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE"_s, u"Output file (appended)."_s);
    parser.addPositionalArgument(u"CHANNEL"_s, u"book, trade, ticker or ohlc"_s);
    parser.addPositionalArgument(u"SYMBOL"_s, u"One or more symbols."_s, u"SYMBOL..."_s);
    addChannelOptions(parser);
    if (!parser.parse(arguments)) {
        printUsageError(parser.errorText(), u"record"_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(helpText(parser, u"record"_s)), stdout);
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        printUsageError(u"record needs a FILE"_s, u"record"_s);
        return ExitUsage;
    }
    const auto setup = parseChannel(parser, positional.mid(1), u"record"_s);
    const auto config = wsConfig(parser, u"record"_s);
    if (!setup || !config)
        return ExitUsage;
    QFile file(positional.first());
    // Unbuffered: every frame reaches the file as it arrives, so a recording cut short (a
    // kill, a crash) keeps everything up to its last frame.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        printUsageError(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()),
                        u"record"_s);
        return ExitUsage;
    }
    WsClient client(*config);
    reportStates(client);
    qint64 frames = 0;
    QObject::connect(&client, &WsClient::rawFrame, [&](const QByteArray &frame) {
        // Kraken's frames are JSON objects; anything else cannot be wrapped as "msg".
        if (!frame.startsWith('{')) {
            std::fputs("krakenterm-cli: skipped a frame that is not a JSON object\n", stderr);
            return;
        }
        const qint64 ns = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
        file.write("{\"recv\":" + QByteArray::number(ns) + ",\"msg\":" + frame + "}\n");
        ++frames;
    });
    subscribeAll(client, *setup);
    client.open();
    quitOnInterrupt();
    const int rc = QCoreApplication::exec();
    file.flush();
    std::fputs(qPrintable(u"krakenterm-cli: recorded %1 frames to %2\n"_s.arg(frames).arg(
                   file.fileName())),
               stderr);
    return rc;
}

} // namespace app::cli
