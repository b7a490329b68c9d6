#include "simjson.h"

#include <QLocale>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

void appendEscaped(QByteArray &out, const QByteArray &utf8) {
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (u < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", u);
                out.append(buf);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

} // namespace

void JsonWriter::separator() {
    if (m_needComma)
        m_out.append(',');
    m_needComma = true;
}

JsonWriter &JsonWriter::beginObject() {
    separator();
    m_out.append('{');
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::endObject() {
    m_out.append('}');
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::beginArray() {
    separator();
    m_out.append('[');
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::endArray() {
    m_out.append(']');
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::key(const char *name) {
    separator();
    appendEscaped(m_out, QByteArray(name));
    m_out.append(':');
    m_needComma = false; // the value follows without a comma
    return *this;
}

JsonWriter &JsonWriter::value(const QString &s) {
    separator();
    appendEscaped(m_out, s.toUtf8());
    return *this;
}

JsonWriter &JsonWriter::value(const char *ascii) {
    separator();
    appendEscaped(m_out, QByteArray(ascii));
    return *this;
}

JsonWriter &JsonWriter::value(qint64 v) {
    separator();
    m_out.append(QByteArray::number(v));
    return *this;
}

JsonWriter &JsonWriter::value(bool v) {
    separator();
    m_out.append(v ? "true" : "false");
    return *this;
}

JsonWriter &JsonWriter::value(const Decimal &d, int decimals) {
    separator();
    m_out.append(d.toString(decimals).toLatin1());
    return *this;
}

JsonWriter &JsonWriter::value(const Decimal &d) {
    separator();
    m_out.append(QByteArray::fromStdString(d.toStdString()));
    return *this;
}

JsonWriter &JsonWriter::valueString(const Decimal &d, int decimals) {
    separator();
    m_out.append('"');
    m_out.append(d.toString(decimals).toLatin1());
    m_out.append('"');
    return *this;
}

JsonWriter &JsonWriter::null() {
    separator();
    m_out.append("null");
    return *this;
}

JsonWriter &JsonWriter::raw(const QByteArray &json) {
    separator();
    m_out.append(json);
    return *this;
}

QString rfc3339(const QDateTime &t) {
    const QDateTime utc = t.toUTC();
    const qint64 ms = utc.toMSecsSinceEpoch();
    // QDateTime keeps milliseconds; Kraken writes six fractional digits.
    return utc.toString(u"yyyy-MM-ddTHH:mm:ss"_s) % u'.' %
           QString::number(((ms % 1000) + 1000) % 1000 * 1000).rightJustified(6, u'0') % u'Z';
}

QString rfc3339Now() {
    return rfc3339(QDateTime::currentDateTimeUtc());
}

std::optional<Decimal> decimalFromJson(const QJsonValue &v) {
    if (v.isString())
        return Decimal::fromString(QStringView(v.toString()).trimmed());
    if (v.isDouble())
        return Decimal::fromString(
            QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest));
    return std::nullopt;
}

} // namespace kraken::sim
