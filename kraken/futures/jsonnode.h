#pragma once

// JsonNode: a small read-only JSON tree for Futures REST answers that keeps every number's own
// text, so prices and sizes become Decimals exactly (QJsonDocument would pass them through
// double). Built once per answer with simdjson; REST answers are small and rare, so a tree is
// simpler and safer than forward-only parsing. A value type; any thread.

#include "kraken/core/decimal.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace kraken::futures {

class JsonNode {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    // nullopt plus a reason in *error when `json` is not one valid JSON value.
    static std::optional<JsonNode> parse(const QByteArray &json, QString *error = nullptr);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isObject() const { return m_type == Type::Object; }
    bool isArray() const { return m_type == Type::Array; }
    bool isString() const { return m_type == Type::String; }
    bool isNumber() const { return m_type == Type::Number; }

    // Object member, or nullptr when absent (or this is no object).
    const JsonNode *find(QStringView key) const;
    bool contains(QStringView key) const { return find(key) != nullptr; }
    const QList<std::pair<QString, JsonNode>> &members() const { return m_members; }
    const QList<JsonNode> &elements() const { return m_elements; }

    // Text of a string, or of a number as it was sent; empty for other types.
    QString text() const { return m_text; }
    // A number (or a numeric string, as the charts API sends) as an exact Decimal.
    std::optional<Decimal> decimal() const;
    std::optional<qint64> integer() const;
    std::optional<bool> boolean() const;

    // Member shortcuts: empty/nullopt when absent or of another type.
    QString string(QStringView key) const;
    std::optional<Decimal> decimal(QStringView key) const;
    std::optional<qint64> integer(QStringView key) const;
    bool boolean(QStringView key, bool fallback = false) const;

private:
    friend struct JsonNodeBuilder;
    Type m_type = Type::Null;
    bool m_bool = false;
    QString m_text;
    QList<std::pair<QString, JsonNode>> m_members;
    QList<JsonNode> m_elements;
};

} // namespace kraken::futures
