#pragma once

// FuturesOrderRequest / FuturesEditRequest / FuturesBatchInstruction: what the trader asks
// sendorder, editorder and batchorder for, checked locally before anything is sent, and
// turned into Kraken's form parameters (or batchorder's JSON, numbers written from the
// Decimal's exact text). Value types; any thread.

#include "futuresinstrument.h"
#include "kraken/core/preparedrequest.h"

#include <optional>

namespace kraken::futures {

enum class FuturesOrderType {
    Limit,
    PostOnly,
    Market,
    Stop,
    TakeProfit,
    ImmediateOrCancel,
    TrailingStop
};
enum class FuturesSide { Buy, Sell };
enum class FuturesTriggerSignal { None, Mark, Index, Last };
enum class FuturesDeviationUnit { None, Percent, QuoteCurrency };

QString wireName(FuturesOrderType type); // lmt, post, mkt, stp, take_profit, ioc, trailing_stop

struct FuturesOrderRequest {
    FuturesOrderType orderType = FuturesOrderType::Limit;
    QString symbol;
    FuturesSide side = FuturesSide::Buy;
    Decimal size;
    std::optional<Decimal> limitPrice, stopPrice;
    FuturesTriggerSignal triggerSignal = FuturesTriggerSignal::None;
    bool reduceOnly = false;
    QString cliOrdId; // <= 100 characters
    std::optional<Decimal> trailingStopMaxDeviation;
    FuturesDeviationUnit trailingStopDeviationUnit = FuturesDeviationUnit::None;

    // Empty when the request is complete and consistent (and, given the instrument, on its
    // tick and size grid).
    QString validationError(const FuturesInstrument *instrument = nullptr) const;
    Params toParams() const;
};

struct FuturesEditRequest {
    QString orderId;  // either the order id
    QString cliOrdId; // or the client order id
    std::optional<Decimal> size, limitPrice, stopPrice, trailingStopMaxDeviation;
    FuturesDeviationUnit trailingStopDeviationUnit = FuturesDeviationUnit::None;

    QString validationError() const;
    Params toParams() const;
};

struct FuturesBatchInstruction {
    enum class Kind { Send, Edit, Cancel };
    Kind kind = Kind::Send;
    QString orderTag;          // echoed back in batchStatus
    FuturesOrderRequest send;  // Kind::Send
    FuturesEditRequest edit;   // Kind::Edit
    QString orderId, cliOrdId; // Kind::Cancel: one of them

    static FuturesBatchInstruction placing(QString tag, FuturesOrderRequest order);
    static FuturesBatchInstruction editing(FuturesEditRequest edit);
    static FuturesBatchInstruction cancelling(QString orderId, QString cliOrdId = {});
};

// {"batchOrder":[...]}: the value of batchorder's `json` form field.
QByteArray batchOrderJson(const QList<FuturesBatchInstruction> &instructions);

} // namespace kraken::futures
