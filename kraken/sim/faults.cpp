#include "faults.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace kraken::sim {

namespace {

struct IntField {
    const char16_t *name;
    int FaultSettings::*member;
};

constexpr IntField IntFields[] = {
    {u"ws_drop_every_sec", &FaultSettings::wsDropEverySec},
    {u"bad_checksum_every_n", &FaultSettings::badChecksumEveryN},
    {u"drop_book_update_every_n", &FaultSettings::dropBookUpdateEveryN},
    {u"rest_delay_ms", &FaultSettings::restDelayMs},
    {u"ws_delay_ms", &FaultSettings::wsDelayMs},
    {u"rest_service_errors", &FaultSettings::restServiceErrors},
    {u"rest_rate_limit_errors", &FaultSettings::restRateLimitErrors},
    {u"order_rate_limit_errors", &FaultSettings::orderRateLimitErrors},
    {u"html_502", &FaultSettings::html502},
    {u"stall", &FaultSettings::stall},
    {u"lose_order_ack", &FaultSettings::loseOrderAck},
};

constexpr auto DropNow = u"drop_ws_now";
constexpr auto ServiceError = u"rest_service_error";

bool takeOne(int &counter) {
    if (counter <= 0)
        return false;
    --counter;
    return true;
}

// One setting into `s`; false with a message if the name or value is not understood.
bool applyOne(FaultSettings &s, const QString &name, const QJsonValue &value, bool *dropNow,
              QString *error) {
    if (name == QStringView(DropNow)) {
        *dropNow = true;
        return true;
    }
    if (name == QStringView(ServiceError)) {
        const QString text = value.toString();
        if (!text.startsWith(u"EService:"_s) && !text.startsWith(u"EGeneral:"_s)) {
            *error = u"rest_service_error must be a Kraken EService:/EGeneral: string"_s;
            return false;
        }
        s.restServiceError = text;
        return true;
    }
    for (const IntField &f : IntFields) {
        if (name != QStringView(f.name))
            continue;
        bool ok = false;
        int n = 0;
        if (value.isDouble()) {
            n = value.toInt(-1);
            ok = n >= 0;
        } else {
            n = value.toString().toInt(&ok);
            ok = ok && n >= 0;
        }
        if (!ok) {
            *error = u"fault "_s % name % u" needs a whole number >= 0"_s;
            return false;
        }
        s.*f.member = n;
        return true;
    }
    *error = u"unknown fault: "_s % name;
    return false;
}

} // namespace

Faults::Faults(QObject *parent)
    : QObject(parent) {}

bool Faults::apply(const QString &nameEqualsValue, QString *error) {
    const qsizetype eq = nameEqualsValue.indexOf(u'=');
    const QString name = (eq < 0 ? nameEqualsValue : nameEqualsValue.left(eq)).trimmed();
    const QString value = eq < 0 ? QString() : nameEqualsValue.mid(eq + 1).trimmed();
    QJsonObject o;
    o.insert(name, value);
    return apply(o, error);
}

bool Faults::apply(const QJsonObject &settings, QString *error) {
    FaultSettings next = m_s;
    bool dropNow = false;
    QString why;
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        if (!applyOne(next, it.key(), it.value(), &dropNow, &why)) {
            if (error)
                *error = why;
            return false;
        }
    }
    m_s = next;
    Q_EMIT changed();
    if (dropNow)
        Q_EMIT dropWsNow();
    return true;
}

QJsonObject Faults::toJson() const {
    QJsonObject o;
    for (const IntField &f : IntFields)
        o.insert(QString::fromUtf16(f.name), m_s.*f.member);
    o.insert(QString::fromUtf16(ServiceError), m_s.restServiceError);
    return o;
}

bool Faults::takeRestServiceError(QString *errorText) {
    if (!takeOne(m_s.restServiceErrors))
        return false;
    if (errorText)
        *errorText = m_s.restServiceError;
    return true;
}

bool Faults::takeRestRateLimit() {
    return takeOne(m_s.restRateLimitErrors);
}
bool Faults::takeOrderRateLimit() {
    return takeOne(m_s.orderRateLimitErrors);
}
bool Faults::takeHtml502() {
    return takeOne(m_s.html502);
}
bool Faults::takeStall() {
    return takeOne(m_s.stall);
}
bool Faults::takeLostOrderAck() {
    return takeOne(m_s.loseOrderAck);
}

bool Faults::nextBookChecksumBad() {
    ++m_bookMessages;
    const int n = m_s.badChecksumEveryN;
    return n > 0 && m_bookMessages % static_cast<quint64>(n) == 0;
}

bool Faults::nextBookUpdateDropped() {
    ++m_bookUpdates;
    const int n = m_s.dropBookUpdateEveryN;
    return n > 0 && m_bookUpdates % static_cast<quint64>(n) == 0;
}

} // namespace kraken::sim
