#include "futuresendpoints.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {

FuturesEndpoints FuturesEndpoints::of(FuturesEnvironment environment) {
    const QString host = environment == FuturesEnvironment::Demo ? u"demo-futures.kraken.com"_s
                                                                 : u"futures.kraken.com"_s;
    return at(QUrl(u"https://"_s + host + u"/derivatives/api/v3"_s),
              QUrl(u"wss://"_s + host + u"/ws/v1"_s));
}

FuturesEndpoints FuturesEndpoints::at(const QUrl &restBase, const QUrl &ws) {
    FuturesEndpoints e;
    e.rest = restBase;
    e.ws = ws;
    // Whatever precedes /derivatives/api/v3 (a proxy's prefix) precedes the other APIs too.
    const QString path = restBase.path();
    const qsizetype cut = path.indexOf(u"/derivatives/api/v3");
    const QString prefix = cut >= 0 ? path.left(cut) : QString();
    const auto sibling = [&](const QString &api) {
        QUrl u = restBase.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
        u.setPath(prefix + api);
        return u;
    };
    e.charts = sibling(u"/api/charts/v1"_s);
    e.history = sibling(u"/api/history/v2"_s);
    return e;
}

} // namespace kraken::futures
