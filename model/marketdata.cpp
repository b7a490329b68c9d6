#include "marketdata.h"

#include "kraken/core/instrument.h"

#include <mutex>

namespace model {

void registerMarketDataMetaTypes() {
    // Registering by name once lets queued connections and QVariant find the types however
    // the signal was spelled; call_once makes repeated calls from any thread free.
    static std::once_flag once;
    std::call_once(once, [] {
        qRegisterMetaType<model::TickerRow>("model::TickerRow");
        qRegisterMetaType<model::TradeRow>("model::TradeRow");
        qRegisterMetaType<model::Candle>("model::Candle");
        qRegisterMetaType<model::FeedStatus>("model::FeedStatus");
        qRegisterMetaType<model::BookPtr>("model::BookPtr");
        qRegisterMetaType<QList<model::TickerRow>>("QList<model::TickerRow>");
        qRegisterMetaType<QList<model::TradeRow>>("QList<model::TradeRow>");
        qRegisterMetaType<QList<model::Candle>>("QList<model::Candle>");
        qRegisterMetaType<kraken::Instrument>("kraken::Instrument");
        qRegisterMetaType<QList<kraken::Instrument>>("QList<kraken::Instrument>");
    });
}

} // namespace model
