#include "jsonnode.h"

#include "kraken/core/jsonnumber.h"

#include <simdjson.h>

using namespace Qt::StringLiterals;

namespace kraken::futures {
namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {
// Deeper than any Futures answer; bounds the recursion on hostile input.
constexpr int MaxDepth = 64;

std::string_view trimRight(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}
} // namespace

struct JsonNodeBuilder {
    QString error;

    bool fail(error_code e) {
        if (error.isEmpty())
            error = QString::fromUtf8(simdjson::error_message(e));
        return false;
    }

    bool build(od::value v, JsonNode &out, int depth) {
        if (depth > MaxDepth) {
            error = u"nested deeper than %1 levels"_s.arg(MaxDepth);
            return false;
        }
        od::json_type type;
        if (error_code e = v.type().get(type))
            return fail(e);
        switch (type) {
        case od::json_type::object: {
            out.m_type = JsonNode::Type::Object;
            od::object object;
            if (error_code e = v.get_object().get(object))
                return fail(e);
            for (auto result : object) {
                od::field field;
                if (error_code e = std::move(result).get(field))
                    return fail(e);
                std::string_view key;
                if (error_code e = field.unescaped_key().get(key))
                    return fail(e);
                JsonNode child;
                if (!build(field.value(), child, depth + 1))
                    return false;
                out.m_members.emplaceBack(QString::fromUtf8(key.data(), qsizetype(key.size())),
                                          std::move(child));
            }
            return true;
        }
        case od::json_type::array: {
            out.m_type = JsonNode::Type::Array;
            od::array array;
            if (error_code e = v.get_array().get(array))
                return fail(e);
            for (auto result : array) {
                od::value element;
                if (error_code e = std::move(result).get(element))
                    return fail(e);
                JsonNode child;
                if (!build(element, child, depth + 1))
                    return false;
                out.m_elements.append(std::move(child));
            }
            return true;
        }
        case od::json_type::number: {
            const std::string_view raw = trimRight(v.raw_json_token());
            if (!isJsonNumber(raw)) {
                error = u"malformed number"_s;
                return false;
            }
            out.m_type = JsonNode::Type::Number;
            out.m_text = QString::fromLatin1(raw.data(), qsizetype(raw.size()));
            return true;
        }
        case od::json_type::string: {
            std::string_view s;
            if (error_code e = v.get_string().get(s))
                return fail(e);
            out.m_type = JsonNode::Type::String;
            out.m_text = QString::fromUtf8(s.data(), qsizetype(s.size()));
            return true;
        }
        case od::json_type::boolean: {
            bool b = false;
            if (error_code e = v.get_bool().get(b))
                return fail(e);
            out.m_type = JsonNode::Type::Bool;
            out.m_bool = b;
            return true;
        }
        case od::json_type::null:
            if (!v.is_null())
                return fail(simdjson::INCORRECT_TYPE);
            out.m_type = JsonNode::Type::Null;
            return true;
        }
        return false;
    }
};

std::optional<JsonNode> JsonNode::parse(const QByteArray &json, QString *error) {
    auto failWith = [error](const QString &why) -> std::optional<JsonNode> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const simdjson::padded_string padded(json.constData(), std::size_t(json.size()));
    od::parser parser;
    od::document doc;
    if (error_code e = parser.iterate(padded).get(doc))
        return failWith(QString::fromUtf8(simdjson::error_message(e)));
    JsonNodeBuilder builder;
    JsonNode root;
    // A scalar document is not a value in on-demand mode; Futures answers are objects anyway.
    od::value value;
    if (error_code e = doc.get_value().get(value))
        return failWith(QString::fromUtf8(simdjson::error_message(e)));
    if (!builder.build(value, root, 0))
        return failWith(builder.error);
    // simdjson 3.0.1 has no at_end(): a location still inside the input after the root value
    // means something follows it (concatenated or garbled answers).
    if (const char *rest = nullptr; !doc.current_location().get(rest))
        return failWith(u"content after the JSON value"_s);
    return root;
}

const JsonNode *JsonNode::find(QStringView key) const {
    for (const auto &[k, v] : m_members) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

std::optional<Decimal> JsonNode::decimal() const {
    if (m_type == Type::Number) {
        const QByteArray latin = m_text.toLatin1();
        return decimalFromJsonNumber(std::string_view(latin.constData(), size_t(latin.size())));
    }
    if (m_type == Type::String)
        return Decimal::fromString(QStringView(m_text).trimmed());
    return std::nullopt;
}

std::optional<qint64> JsonNode::integer() const {
    if (m_type != Type::Number && m_type != Type::String)
        return std::nullopt;
    bool ok = false;
    const qint64 v = m_text.toLongLong(&ok);
    if (ok)
        return v;
    // "1.7e12" or "1700000000000.0": exact when the Decimal is integral.
    const auto d = decimal();
    if (!d)
        return std::nullopt;
    const auto whole = d->rescaled(0, Rounding::Down);
    if (!whole || !(*whole == *d))
        return std::nullopt;
    return whole->mantissa();
}

std::optional<bool> JsonNode::boolean() const {
    if (m_type == Type::Bool)
        return m_bool;
    if (m_type == Type::String) {
        if (m_text == u"true"_s)
            return true;
        if (m_text == u"false"_s)
            return false;
    }
    return std::nullopt;
}

QString JsonNode::string(QStringView key) const {
    const JsonNode *n = find(key);
    return n && (n->isString() || n->isNumber()) ? n->m_text : QString();
}

std::optional<Decimal> JsonNode::decimal(QStringView key) const {
    const JsonNode *n = find(key);
    return n ? n->decimal() : std::nullopt;
}

std::optional<qint64> JsonNode::integer(QStringView key) const {
    const JsonNode *n = find(key);
    return n ? n->integer() : std::nullopt;
}

bool JsonNode::boolean(QStringView key, bool fallback) const {
    const JsonNode *n = find(key);
    const auto b = n ? n->boolean() : std::nullopt;
    return b.value_or(fallback);
}

} // namespace kraken::futures
