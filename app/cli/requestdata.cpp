#include "requestdata.h"

#include <QJsonDocument>
#include <QUrl>

#include <simdjson.h>

using namespace Qt::StringLiterals;

namespace app::cli {
namespace {

QString toQString(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

std::optional<RequestData> RequestData::parse(const QByteArray &text, QString *error) {
    RequestData data;
    const QByteArray trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return data;

    if (!trimmed.startsWith('{')) {
        // A form string: decode each pair; the client re-encodes them canonically.
        for (const QByteArray &pair : trimmed.split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            if (eq <= 0) {
                *error = u"--data: '%1' is not key=value"_s.arg(QString::fromUtf8(pair));
                return std::nullopt;
            }
            auto decode = [](QByteArray s) {
                return QUrl::fromPercentEncoding(s.replace('+', "%2B"));
            };
            data.params.append({decode(pair.left(eq)), decode(pair.mid(eq + 1))});
        }
        return data;
    }

    // Qt validates the whole text strictly (trailing junk included); simdjson then walks it
    // keeping the fields' order and the numbers' exact text, which QJsonObject would lose.
    QJsonParseError parseError{};
    const QJsonDocument strict = QJsonDocument::fromJson(trimmed, &parseError);
    if (parseError.error != QJsonParseError::NoError || !strict.isObject()) {
        *error = u"--data is not a valid JSON object: %1"_s.arg(parseError.errorString());
        return std::nullopt;
    }
    simdjson::ondemand::parser parser;
    const simdjson::padded_string json(trimmed.constData(), std::size_t(trimmed.size()));
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(json).get(doc) || doc.get_object().get(object)) {
        *error = u"--data is not a JSON object"_s;
        return std::nullopt;
    }
    bool nested = false;
    for (auto field : object) {
        std::string_view key;
        simdjson::ondemand::value value;
        simdjson::ondemand::json_type type;
        if (field.unescaped_key().get(key) || field.value().get(value) || value.type().get(type)) {
            *error = u"--data is not valid JSON"_s;
            return std::nullopt;
        }
        QString text;
        switch (type) {
        case simdjson::ondemand::json_type::string: {
            std::string_view s;
            if (value.get_string().get(s)) {
                *error = u"--data has an invalid string for '%1'"_s.arg(toQString(key));
                return std::nullopt;
            }
            text = toQString(s);
            break;
        }
        case simdjson::ondemand::json_type::number:
            // The token's own text: "1.2500" stays "1.2500", never a double's rendering.
            text = toQString(value.raw_json_token()).trimmed();
            break;
        case simdjson::ondemand::json_type::boolean: {
            bool b = false;
            if (value.get_bool().get(b)) {
                *error = u"--data has an invalid boolean for '%1'"_s.arg(toQString(key));
                return std::nullopt;
            }
            text = b ? u"true"_s : u"false"_s;
            break;
        }
        case simdjson::ondemand::json_type::null:
            continue;
        case simdjson::ondemand::json_type::array:
        case simdjson::ondemand::json_type::object: {
            nested = true;
            // Consume the nested value so iteration can go on; the body is sent as written.
            std::string_view skipped;
            simdjson::error_code failure;
            if (type == simdjson::ondemand::json_type::array) {
                simdjson::ondemand::array a;
                failure = value.get_array().get(a);
                if (!failure)
                    failure = a.raw_json().get(skipped);
            } else {
                simdjson::ondemand::object o;
                failure = value.get_object().get(o);
                if (!failure)
                    failure = o.raw_json().get(skipped);
            }
            if (failure) {
                *error = u"--data is not valid JSON"_s;
                return std::nullopt;
            }
            break;
        }
        }
        data.params.append({toQString(key), text});
    }
    if (nested) {
        data.params.clear();
        data.jsonBody = trimmed;
    }
    return data;
}

} // namespace app::cli
