// bench_sim: the paper exchange's market side. Prints the cost of one MarketSim::step() (the
// walk, synthetic flow and level changes on a 1100-level-a-side book) and how many book
// messages a second PublicWsServer serves to one real loopback QWebSocket subscriber at depth
// 1000 while the bench steps the market as fast as it can, with the bytes that carries.
// Both run in one thread, as the paper exchange does: the server's sends and the client's
// receives share the event loop with the stepping, so msgs/s is the end-to-end rate.
//
// Run: bench_sim [seconds per phase, default 3]

#include "kraken/sim/marketsim.h"
#include "kraken/sim/publicwsserver.h"
#include "kraken/sim/simconfig.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QWebSocket>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace kraken::sim;

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::max(0.5, QByteArray(argv[1]).toDouble()) : 3.0;
    const SimConfig config = SimConfig::builtIn();
    const SimPair &btc = *config.pairBySymbol(u"BTC/USD");

    // 1. step() alone.
    {
        MarketSim m(btc, 1);
        QElapsedTimer t;
        t.start();
        qint64 steps = 0;
        while (t.elapsed() < qint64(seconds * 1000)) {
            for (int i = 0; i < 1000; ++i)
                m.step();
            steps += 1000;
        }
        const double ns = double(t.nsecsElapsed()) / double(steps);
        std::printf("MarketSim::step            %10.0f ns/step  (%lld steps, %.0f steps/s)\n", ns,
                    static_cast<long long>(steps), 1e9 / ns);
        QCoreApplication::processEvents(); // let the scheduled publication run and go
    }

    // 2. Book depth 1000 to one subscriber.
    MarketSim market(btc, 1);
    PublicWsServer server(config, {&market}, nullptr);
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "cannot listen\n");
        return 1;
    }
    QWebSocket client;
    qint64 frames = 0, bookFrames = 0, bytes = 0;
    bool snapshot = false;
    QObject::connect(&client, &QWebSocket::textMessageReceived, &client, [&](const QString &text) {
        ++frames;
        if (text.startsWith(u"{\"channel\":\"book\",\"type\":\"update\""_s)) {
            ++bookFrames;
            bytes += text.size(); // ASCII: characters = bytes
        } else if (text.startsWith(u"{\"channel\":\"book\",\"type\":\"snapshot\""_s)) {
            snapshot = true;
        }
    });
    QObject::connect(&client, &QWebSocket::connected, &client, [&] {
        client.sendTextMessage(
            u"{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],"
            "\"depth\":1000},\"req_id\":1}"_s);
    });
    client.open(server.url());
    QElapsedTimer wait;
    wait.start();
    while (!snapshot && wait.elapsed() < 10'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!snapshot) {
        std::fprintf(stderr, "no book snapshot\n");
        return 1;
    }
    frames = bookFrames = bytes = 0;
    const qint64 sentBefore = server.bookMessagesSent();
    QElapsedTimer t;
    t.start();
    qint64 steps = 0;
    while (t.elapsed() < qint64(seconds * 1000)) {
        market.step();
        market.publishNow();
        ++steps;
        QCoreApplication::processEvents();
    }
    // Drain what is in flight, then count over the whole time.
    const qint64 sent = server.bookMessagesSent() - sentBefore;
    wait.restart();
    while (bookFrames < sent && wait.elapsed() < 10'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const double secs = double(t.nsecsElapsed()) / 1e9;
    std::printf(
        "PublicWsServer book d1000  %10.0f msgs/s  %8.2f MB/s  (%lld msgs, %.0f B/msg, "
        "%lld steps, %.2f s)\n",
        double(bookFrames) / secs, double(bytes) / secs / 1e6, static_cast<long long>(bookFrames),
        bookFrames ? double(bytes) / double(bookFrames) : 0.0, static_cast<long long>(steps), secs);
    return 0;
}
