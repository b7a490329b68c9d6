#pragma once

// Small helpers for the paper exchange's wire text. JsonWriter writes compact JSON with keys
// in the order given and Decimal values as JSON numbers with exactly the requested decimals
// (WS v2 sends numbers; QJsonDocument would route them through double and sort the keys).

#include "kraken/core/decimal.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace kraken::sim {

class JsonWriter {
public:
    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();
    JsonWriter &key(const char *name); // ASCII literal
    JsonWriter &value(const QString &s);
    JsonWriter &value(const char *ascii);
    JsonWriter &value(qint64 v);
    JsonWriter &value(int v) { return value(qint64(v)); }
    JsonWriter &value(bool v);
    JsonWriter &value(const Decimal &d, int decimals);       // JSON number, e.g. 0.10000000
    JsonWriter &value(const Decimal &d);                     // JSON number, its own scale
    JsonWriter &valueString(const Decimal &d, int decimals); // "0.10000000" (REST style)
    JsonWriter &null();
    JsonWriter &raw(const QByteArray &json); // an already-serialised value
    const QByteArray &bytes() const { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    void separator();
    QByteArray m_out;
    bool m_needComma = false;
};

// RFC 3339 UTC with microseconds, as WS v2 writes timestamps: 2024-05-01T10:00:00.123456Z
QString rfc3339(const QDateTime &t);
QString rfc3339Now();
// A JSON string holding a decimal, or a JSON number read back through its shortest text.
std::optional<Decimal> decimalFromJson(const QJsonValue &v);

} // namespace kraken::sim
