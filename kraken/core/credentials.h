#pragma once

// Credentials: an API key and its base64 secret. The secret is never printed: QDebug and
// toString() show the key's first characters only. Loaded from the environment here; the
// OS keychain is kraken/keychain's CredentialStore. A value type.

#include <QByteArray>
#include <QDebug>
#include <QString>

#include <optional>

namespace kraken {

class Credentials {
public:
    Credentials() = default;
    Credentials(QString apiKey, QByteArray secretBase64)
        : m_apiKey(std::move(apiKey))
        , m_secret(std::move(secretBase64)) {}

    // KRAKEN_SPOT_API_KEY / KRAKEN_SPOT_API_SECRET (or the FUTURES pair); nullopt if either
    // is unset or empty.
    static std::optional<Credentials> fromEnvironment(const char *keyVar, const char *secretVar);
    static std::optional<Credentials> spotFromEnvironment() {
        return fromEnvironment("KRAKEN_SPOT_API_KEY", "KRAKEN_SPOT_API_SECRET");
    }

    bool isValid() const { return !m_apiKey.isEmpty() && !m_secret.isEmpty(); }
    QString apiKey() const { return m_apiKey; }
    // Only the signer should call this.
    const QByteArray &secretBase64() const { return m_secret; }
    // "ABCD…(redacted)": safe for logs and error messages.
    QString redactedKey() const;

private:
    QString m_apiKey;
    QByteArray m_secret;
};

QDebug operator<<(QDebug dbg, const Credentials &c);

// Replaces every occurrence of the secret in text bound for a log or an error message.
QString redact(QString text, const Credentials &c);

} // namespace kraken
