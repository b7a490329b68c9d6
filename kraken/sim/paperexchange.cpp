#include "paperexchange.h"

#include "faults.h"
#include "futuresengine.h"
#include "futuresrest.h"
#include "futureswsserver.h"
#include "logging.h"
#include "marketsim.h"
#include "matchingengine.h"
#include "privaterest.h"
#include "privatewsserver.h"
#include "publicrest.h"
#include "publicwsserver.h"
#include "replayfeed.h"
#include "restserver.h"

#include <QHostAddress>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace kraken::sim {

struct PaperExchange::Impl {
    SimConfig config;
    Faults faults;
    std::vector<std::unique_ptr<MarketSim>> markets;
    std::vector<MarketSim *> marketPointers;
    std::unique_ptr<MatchingEngine> engine;
    std::unique_ptr<FuturesEngine> futures;
    std::unique_ptr<FuturesRest> futuresRest;
    std::unique_ptr<FuturesWsServer> futuresWs;
    std::unique_ptr<RestServer> rest;
    std::unique_ptr<PublicWsServer> ws;
    std::unique_ptr<PrivateWsServer> wsAuth;
    std::unique_ptr<ReplayFeed> replay;
    QTimer clock;
    QTimer wsDropTimer;
    bool started = false;
};

PaperExchange::PaperExchange(SimConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->config = std::move(config);
    // Each pair walks on its own stream, so adding a pair does not change the others' markets.
    quint64 n = 0;
    for (const SimPair &pair : std::as_const(d->config.pairs)) {
        d->markets.push_back(std::make_unique<MarketSim>(pair, d->config.seed * 1000003u + n++));
        d->marketPointers.push_back(d->markets.back().get());
    }
    d->engine = std::make_unique<MatchingEngine>(d->config, d->marketPointers, &d->faults);
    d->rest = std::make_unique<RestServer>(d->config, &d->faults);
    registerPublicRest(*d->rest, d->config, d->marketPointers);
    registerPrivateRest(*d->rest, *d->engine);
    // Futures: the index follows the paper Spot market of the underlying.
    d->futures = std::make_unique<FuturesEngine>(
        d->config, [this](const QString &spot) { return market(spot); }, &d->faults);
    d->futuresRest = std::make_unique<FuturesRest>(d->futures.get(), &d->faults);
    d->futuresRest->setSpotLookup([this](const QString &spot) { return market(spot); });
    d->rest->setFuturesHandler(
        [rest = d->futuresRest.get()](const QHttpServerRequest &r) { return rest->handle(r); });
    d->ws = std::make_unique<PublicWsServer>(d->config, d->marketPointers, &d->faults);
    d->wsAuth = std::make_unique<PrivateWsServer>(d->engine.get(), &d->faults);
    d->futuresWs = std::make_unique<FuturesWsServer>(d->futures.get(), &d->faults);

    d->clock.setInterval(100);
    connect(&d->clock, &QTimer::timeout, this, &PaperExchange::stepAll);
    connect(&d->wsDropTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcSim) << "fault: dropping every WebSocket connection";
        d->ws->closeAll();
        d->wsAuth->closeAll();
        d->futuresWs->closeAll();
    });
    auto applyDropTimer = [this] {
        const int every = d->faults.settings().wsDropEverySec;
        if (every <= 0) {
            d->wsDropTimer.stop();
        } else if (!d->wsDropTimer.isActive() || d->wsDropTimer.interval() != every * 1000) {
            d->wsDropTimer.start(every * 1000);
        }
    };
    connect(&d->faults, &Faults::changed, this, applyDropTimer);
}

PaperExchange::~PaperExchange() {
    // The feed and the servers first: they refer to the engine and the markets.
    d->replay.reset();
    d->futuresWs.reset();
    d->wsAuth.reset();
    d->ws.reset();
    d->rest.reset();
    d->futuresRest.reset();
    d->futures.reset();
    d->engine.reset();
}

bool PaperExchange::start(quint16 restPort, quint16 wsPort, quint16 wsAuthPort, QString *error,
                          quint16 futuresWsPort) {
    const QHostAddress local(QHostAddress::LocalHost);
    auto fail = [error](const QString &what, quint16 port) {
        if (error)
            *error = u"cannot listen on 127.0.0.1:%1 for %2"_s.arg(port).arg(what);
        return false;
    };
    if (!d->rest->listenOn(local, restPort))
        return fail(u"REST"_s, restPort);
    if (!d->ws->listen(local, wsPort))
        return fail(u"the public WebSocket"_s, wsPort);
    if (!d->wsAuth->listen(local, wsAuthPort))
        return fail(u"the authenticated WebSocket"_s, wsAuthPort);
    if (!d->futuresWs->listen(local, futuresWsPort))
        return fail(u"the Futures WebSocket"_s, futuresWsPort);
    d->started = true;
    if (d->clock.interval() > 0)
        d->clock.start();
    if (d->faults.settings().wsDropEverySec > 0)
        d->wsDropTimer.start(d->faults.settings().wsDropEverySec * 1000);
    return true;
}

QUrl PaperExchange::restUrl() const {
    return d->rest->url();
}
QUrl PaperExchange::futuresRestUrl() const {
    QUrl u = d->rest->url();
    u.setPath(FuturesRest::prefix());
    return u;
}
QUrl PaperExchange::futuresWsUrl() const {
    return d->futuresWs->url();
}
QUrl PaperExchange::futuresChartsUrl() const {
    QUrl u = d->rest->url();
    u.setPath(FuturesRest::chartsPrefix());
    return u;
}
FuturesEngine &PaperExchange::futures() {
    return *d->futures;
}
QUrl PaperExchange::wsUrl() const {
    return d->ws->url();
}
QUrl PaperExchange::wsAuthUrl() const {
    return d->wsAuth->url();
}
const SimConfig &PaperExchange::config() const {
    return d->config;
}
Faults &PaperExchange::faults() {
    return d->faults;
}
MatchingEngine &PaperExchange::engine() {
    return *d->engine;
}

MarketSim *PaperExchange::market(QStringView symbol) const {
    for (const auto &m : d->markets)
        if (m->symbol() == symbol)
            return m.get();
    return nullptr;
}

void PaperExchange::setStepInterval(int ms) {
    d->clock.setInterval(ms);
    if (ms <= 0)
        d->clock.stop();
    else if (d->started)
        d->clock.start();
}

bool PaperExchange::startReplay(const QString &file, double speed, QString *error, bool loop) {
    auto feed = std::make_unique<ReplayFeed>(d->marketPointers);
    if (!feed->loadFile(file, error))
        return false;
    if (d->replay)
        d->replay->stop();
    d->replay = std::move(feed);
    d->replay->start(speed, loop);
    qCInfo(lcSim).noquote() << "replaying" << file << "at speed" << speed << "for"
                            << d->replay->symbols().join(u", "_s);
    return true;
}

ReplayFeed *PaperExchange::replay() const {
    return d->replay.get();
}

void PaperExchange::stepAll() {
    for (const auto &m : d->markets)
        m->step();
    d->futures->step();
}

} // namespace kraken::sim
