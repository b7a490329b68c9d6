#include "credentials.h"

using namespace Qt::StringLiterals;

namespace kraken {

std::optional<Credentials> Credentials::fromEnvironment(const char *keyVar, const char *secretVar) {
    const QString key = qEnvironmentVariable(keyVar).trimmed();
    const QByteArray secret = qgetenv(secretVar).trimmed();
    if (key.isEmpty() || secret.isEmpty())
        return std::nullopt;
    return Credentials(key, secret);
}

QString Credentials::redactedKey() const {
    if (m_apiKey.isEmpty())
        return u"(no key)"_s;
    return m_apiKey.left(4) + u"…(redacted)"_s;
}

QDebug operator<<(QDebug dbg, const Credentials &c) {
    QDebugStateSaver saver(dbg);
    dbg.nospace() << "Credentials(" << c.redactedKey() << ", secret=<redacted>)";
    return dbg;
}

QString redact(QString text, const Credentials &c) {
    if (!c.secretBase64().isEmpty())
        text.replace(QString::fromLatin1(c.secretBase64()), u"<redacted>"_s);
    return text;
}

} // namespace kraken
