#pragma once

// Options every network command shares (--spot-url, --timeout), parsed one way everywhere.

#include "kraken/spot/restclient.h"
#include "kraken/spot/wsclient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace app::cli {

QCommandLineOption spotUrlOption();
QCommandLineOption timeoutOption();
QCommandLineOption wsUrlOption();

// WebSocket settings from --ws-url (or $KRAKEN_WS_URL); nullopt after a usage error.
std::optional<kraken::spot::WsClientConfig> wsConfig(const QCommandLineParser &parser,
                                                     const QString &command);

struct CommonSettings {
    kraken::spot::RestClientConfig config;
    int timeoutMs = 30'000; // bound on the whole command
};

// nullopt (after printing a usage error) when an option's value is malformed.
std::optional<CommonSettings> commonSettings(const QCommandLineParser &parser,
                                             const QString &command);

// The parser's help with "krakenterm-cli COMMAND" as the program name.
QString helpText(const QCommandLineParser &parser, const QString &command);

// Runs the event loop until `done` is set or the overall timeout expires (exit code 3).
int runUntilDone(int timeoutMs, const std::function<void(std::function<void(int)> finish)> &start);

} // namespace app::cli
