// bench_core: the per-message and per-request costs of kraken/core. Decimal parsing and
// formatting run for every book level; signing runs for every private request.

#include "kraken/core/decimal.h"
#include "kraken/core/signing.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <array>
#include <benchmark/benchmark.h>
#include <string_view>

using namespace Qt::StringLiterals;
using kraken::Decimal;

namespace {

// Typical WS v2 book tokens: prices at 1-7 places, quantities at 8.
constexpr std::array<std::string_view, 6> WireTokens = {"45285.2", "0.00100000", "1.54571953",
                                                        "95000.1", "0.1234000",  "0.00000001"};

QJsonObject loadVector(const char *file) {
    QFile f(QString::fromUtf8(KT_VECTORS_DIR) + u'/' + QString::fromUtf8(file));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QByteArray field(const QJsonObject &o, const QString &section, const QString &key) {
    return o.value(section).toObject().value(key).toString().toUtf8();
}

void BM_DecimalFromString(benchmark::State &state) {
    for (auto _ : state) {
        for (std::string_view token : WireTokens)
            benchmark::DoNotOptimize(Decimal::fromString(token));
    }
    state.SetItemsProcessed(state.iterations() * std::int64_t(WireTokens.size()));
}
BENCHMARK(BM_DecimalFromString);

void BM_DecimalToStringPrecision(benchmark::State &state) {
    const Decimal price = *Decimal::fromString("45285.2");
    const Decimal qty = *Decimal::fromString("0.1");
    for (auto _ : state) {
        QString p = price.toString(1);
        QString q = qty.toString(8);
        benchmark::DoNotOptimize(p);
        benchmark::DoNotOptimize(q);
    }
    state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_DecimalToStringPrecision);

void BM_DecimalTimes(benchmark::State &state) {
    const Decimal price = *Decimal::fromString("45286.4");
    const Decimal qty = *Decimal::fromString("1.54571953");
    for (auto _ : state)
        benchmark::DoNotOptimize(price.times(qty, 5, kraken::Rounding::HalfEven));
}
BENCHMARK(BM_DecimalTimes);

void BM_SpotApiSign(benchmark::State &state) {
    const QJsonObject v = loadVector("spot_rest_api_sign.json");
    const QByteArray path = field(v, u"inputs"_s, u"uri_path"_s);
    const QByteArray nonce = field(v, u"inputs"_s, u"nonce"_s);
    const QByteArray post = field(v, u"inputs"_s, u"postdata"_s);
    const QByteArray secret = field(v, u"inputs"_s, u"secret_b64"_s);
    if (kraken::spotApiSign(path, nonce, post, secret) != field(v, u"expected"_s, u"api_sign"_s)) {
        state.SkipWithError("spot_rest_api_sign.json missing or signature mismatch");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(kraken::spotApiSign(path, nonce, post, secret));
}
BENCHMARK(BM_SpotApiSign);

void BM_FuturesAuthent(benchmark::State &state) {
    const QJsonObject v = loadVector("futures_rest_authent.json");
    const QByteArray post = field(v, u"inputs"_s, u"postData"_s);
    const QByteArray nonce = field(v, u"inputs"_s, u"nonce"_s);
    const QByteArray path = field(v, u"inputs"_s, u"endpointPath"_s);
    const QByteArray secret = field(v, u"inputs"_s, u"api_secret_b64_as_documented"_s);
    if (kraken::futuresAuthent(post, nonce, path, secret) !=
        field(v, u"expected"_s, u"authent_with_nonce"_s)) {
        state.SkipWithError("futures_rest_authent.json missing or signature mismatch");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(kraken::futuresAuthent(post, nonce, path, secret));
}
BENCHMARK(BM_FuturesAuthent);

} // namespace

BENCHMARK_MAIN();
