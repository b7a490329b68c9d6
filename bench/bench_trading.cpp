// bench_trading: what an order costs on our side. Prints
//   1. the journal's durable write (Journal::writeOrder and appendFill, WAL + synchronous=FULL,
//      one transaction each) in microseconds per call, as the order manager does it before a
//      request leaves;
//   2. the round trip from OrderManager::submit() to the order shown Open (journal write,
//      add_order over the authenticated WebSocket, the paper exchange's ack and `new`
//      execution), p50/p99/max, and a cancel-all until every order shows Cancelled, over
//      real loopback sockets.
// The paper exchange runs in this process and thread, so the round trip includes its work.
//
// Run: bench_trading [orders, default 300; at most 100 go to the exchange]

#include "kraken/core/credentials.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/paperexchange.h"
#include "kraken/spot/restclient.h"
#include "kraken/spot/tradingwsclient.h"
#include "model/journal.h"
#include "model/ordermanager.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace kraken;

namespace {

struct Stats {
    double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    if (v.empty())
        return {};
    auto at = [&](double q) {
        return v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
    };
    return {at(0.5), at(0.99), v.back()};
}

// Spins the event loop until `done` or `ms` pass; false on timeout.
template<class F> bool waitFor(F done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(10, QByteArray(argv[1]).toInt()) : 300;
    QTemporaryDir dir;

    // 1. The journal alone.
    {
        auto journal = model::Journal::open(dir.filePath(u"bench-journal.sqlite"_s));
        if (!journal) {
            std::fprintf(stderr, "journal did not open\n");
            return 1;
        }
        model::OrderRecord r;
        r.symbol = u"BTC/USD"_s;
        r.orderType = u"limit"_s;
        r.qty = *Decimal::fromString("0.01000000");
        r.limitPrice = Decimal::fromString("64000.1");
        std::vector<double> writes, fills;
        for (int i = 0; i < n; ++i) {
            r.clOrdId = u"bench-%1"_s.arg(i);
            QElapsedTimer t;
            t.start();
            journal->writeOrder(r, u"bench"_s);
            writes.push_back(double(t.nsecsElapsed()) / 1000.0);
            model::FillRecord f;
            f.tradeId = u"T-%1"_s.arg(i);
            f.clOrdId = r.clOrdId;
            f.price = *r.limitPrice;
            f.qty = r.qty;
            t.restart();
            journal->appendFill(f);
            fills.push_back(double(t.nsecsElapsed()) / 1000.0);
        }
        const Stats w = stats(writes), f = stats(fills);
        std::printf("journal writeOrder (durable): p50 %.0f us, p99 %.0f us, max %.0f us\n", w.p50,
                    w.p99, w.max);
        std::printf("journal appendFill (durable): p50 %.0f us, p99 %.0f us, max %.0f us\n", f.p50,
                    f.p99, f.max);
    }

    // 2. submit -> Open and cancel -> Cancelled against the paper exchange over loopback.
    sim::PaperExchange ex(sim::SimConfig::builtIn());
    ex.setStepInterval(0);
    if (!ex.start(0, 0, 0)) {
        std::fprintf(stderr, "paper exchange did not start\n");
        return 1;
    }
    const sim::SimAccount &a = ex.config().accounts.front();
    spot::RestClientConfig rc;
    rc.baseUrl = ex.restUrl();
    rc.limitPublicCalls = false;
    rc.persistNonce = false;
    rc.tier = VerificationTier::Intermediate;
    spot::RestClient rest(rc);
    rest.setCredentials(Credentials(a.apiKey, a.secret.toLatin1()));
    spot::TradingWsClientConfig wc;
    wc.url = ex.wsAuthUrl();
    spot::TradingWsClient ws(&rest, wc);
    auto journal = model::Journal::open(dir.filePath(u"bench-orders.sqlite"_s));
    model::OrderManager manager(&rest, &ws, journal.get());
    bool reconciled = false;
    QObject::connect(&manager, &model::OrderManager::reconciled, [&] { reconciled = true; });
    manager.start();
    ws.open();
    if (!waitFor([&] { return ws.isLive() && reconciled; }, 30'000)) {
        std::fprintf(stderr, "trading did not become live\n");
        return 1;
    }
    const Decimal below = *ex.market(u"BTC/USD")->bestBid()->minus(*Decimal::fromString("1000"));
    // Kraken's per-pair trading counter (the paper account is Intermediate: 125; cancels of young
    // orders cost up to 8 more) bounds a burst; 100 resting orders stay inside it, then one
    // cancel-all.
    const int orders = std::min(n, 100);
    std::vector<double> placeMs;
    QStringList ids;
    for (int i = 0; i < orders; ++i) {
        spot::OrderRequest o;
        o.pair = u"BTC/USD"_s;
        o.orderType = u"limit"_s;
        o.volume = *Decimal::fromString("0.0001");
        o.price = below;
        QElapsedTimer t;
        t.start();
        const QString cl = manager.submit(o);
        if (!waitFor([&] { return manager.order(cl)->state == model::OrderState::Open; }, 10'000)) {
            std::fprintf(stderr, "order %d did not open: %s\n", i,
                         qPrintable(manager.order(cl)->reason));
            return 1;
        }
        placeMs.push_back(double(t.nsecsElapsed()) / 1e6);
        ids << cl;
    }
    QElapsedTimer t;
    t.start();
    manager.cancelAll();
    auto allCancelled = [&] {
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QString &cl) {
            return manager.order(cl)->state == model::OrderState::Cancelled;
        });
    };
    if (!waitFor(allCancelled, 30'000)) {
        std::fprintf(stderr, "cancel-all did not close every order\n");
        return 1;
    }
    const double cancelAllMs = double(t.nsecsElapsed()) / 1e6;
    const Stats p = stats(placeMs);
    std::printf("submit -> Open over ws-auth (%d orders): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                orders, p.p50, p.p99, p.max);
    std::printf("cancel all %d -> every one Cancelled (incl. reconciliation): %.1f ms\n", orders,
                cancelAllMs);
    return 0;
}
