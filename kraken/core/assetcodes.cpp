#include "assetcodes.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace kraken {

QString normaliseAsset(const QString &code) {
    // The legacy four-letter codes Kraken still returns from REST. Newer assets are plain.
    static const QHash<QString, QString> legacy = {
        {u"XXBT"_s, u"BTC"_s}, {u"XBT"_s, u"BTC"_s},      {u"XXDG"_s, u"DOGE"_s},
        {u"XDG"_s, u"DOGE"_s}, {u"XETH"_s, u"ETH"_s},     {u"XETC"_s, u"ETC"_s},
        {u"XLTC"_s, u"LTC"_s}, {u"XXRP"_s, u"XRP"_s},     {u"XXLM"_s, u"XLM"_s},
        {u"XXMR"_s, u"XMR"_s}, {u"XZEC"_s, u"ZEC"_s},     {u"XMLN"_s, u"MLN"_s},
        {u"XREP"_s, u"REP"_s}, {u"XREPV2"_s, u"REPV2"_s}, {u"ZUSD"_s, u"USD"_s},
        {u"ZEUR"_s, u"EUR"_s}, {u"ZGBP"_s, u"GBP"_s},     {u"ZJPY"_s, u"JPY"_s},
        {u"ZCAD"_s, u"CAD"_s}, {u"ZAUD"_s, u"AUD"_s},     {u"ZCHF"_s, u"CHF"_s},
    };
    const QString upper = code.trimmed().toUpper();
    return legacy.value(upper, upper);
}

} // namespace kraken
