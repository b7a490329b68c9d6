#include "restapi.h"

#include "simjson.h"

#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace kraken::sim {

std::optional<Decimal> decimalParam(const QJsonObject &params, const QString &name) {
    return decimalFromJson(params.value(name));
}

std::optional<qint64> intParam(const QJsonObject &params, const QString &name) {
    const QJsonValue v = params.value(name);
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(n) : std::nullopt;
    }
    if (v.isDouble()) {
        const double d = v.toDouble();
        const auto n = static_cast<qint64>(d);
        return static_cast<double>(n) == d ? std::optional<qint64>(n) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<bool> boolParam(const QJsonObject &params, const QString &name) {
    const QJsonValue v = params.value(name);
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isString()) {
        const QString s = v.toString().trimmed().toLower();
        if (s == u"true"_s || s == u"1"_s)
            return true;
        if (s == u"false"_s || s == u"0"_s)
            return false;
    }
    return std::nullopt;
}

QString stringParam(const QJsonObject &params, const QString &name) {
    const QJsonValue v = params.value(name);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    return {};
}

QStringList listParam(const QJsonObject &params, const QString &name) {
    const QJsonValue v = params.value(name);
    QStringList out;
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (const QJsonValue &e : a) {
            const QString s =
                e.isString() ? e.toString()
                             : QString::number(e.toDouble(), 'g', QLocale::FloatingPointShortest);
            if (!s.trimmed().isEmpty())
                out.append(s.trimmed());
        }
        return out;
    }
    const QString s = stringParam(params, name);
    for (const QString &part : s.split(u',', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    return out;
}

} // namespace kraken::sim
