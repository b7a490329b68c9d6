#pragma once

// CredentialsDialog: a profile's API keys. Pick or name a profile; enter the Spot and Futures
// key and secret; Save puts them in the system keychain, Delete removes them, "Test keys"
// asks Kraken (a Balance call) and shows the verdict in trader words. A stored secret is
// never shown unless the trader presses Reveal; reopening a profile shows the key only. When
// no keychain is reachable a banner says so and "Use for this session only" hands the keys to
// the terminal in memory (sessionCredentials) instead: they are never written to a file.
// GUI thread.

#include "kraken/core/credentials.h"
#include "kraken/keychain/credentialstore.h"
#include "kraken/spot/restclient.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QUrl>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ui {

class CredentialsDialog : public QDialog {
    Q_OBJECT
public:
    // store: not owned, must outlive the dialog. spotRestUrl: where "Test keys" sends Balance
    // (Kraken's, or the paper exchange's).
    CredentialsDialog(kraken::keychain::CredentialStore *store, QUrl spotRestUrl,
                      QWidget *parent = nullptr);
    ~CredentialsDialog() override;

    QString profile() const;
    // Selects the profile and shows its stored keys (never the secrets).
    void setProfile(const QString &profile);
    // Fine-tunes the client "Test keys" uses (timeouts, nonce file); the base URL is kept.
    void setTestClientConfig(const kraken::spot::RestClientConfig &config);
    bool keychainUnavailable() const;

Q_SIGNALS:
    // "Use for this session only": keys to hold in memory for this run (one signal per venue
    // filled in). Wire to CredentialResolver::setSessionCredentials.
    void sessionCredentials(const QString &profile, kraken::keychain::Venue venue,
                            const kraken::Credentials &credentials);
    void saved(const QString &profile);
    void deleted(const QString &profile);
    // Every keychain answer shown, and every key check verdict, for a status bar and tests.
    void statusShown(const QString &text);
    void keyCheckFinished(bool ok, const QString &headline);

private:
    struct VenueFields {
        QLineEdit *key = nullptr;
        QLineEdit *secret = nullptr;
        QPushButton *reveal = nullptr;
        std::optional<kraken::Credentials> stored; // what the keychain holds, for Reveal/keep
    };

    void refreshProfiles(const QString &select);
    void loadProfile(const QString &profile);
    void save();
    void saveNext(const QString &profile, QList<kraken::keychain::Venue> venues,
                  QStringList savedVenues);
    void removeProfile();
    void testKeys();
    void useForSession();
    void toggleReveal(kraken::keychain::Venue venue);
    // Credentials from the fields (a blank secret keeps the stored one for the same key);
    // nullopt and *error set when half filled or not base64; nullopt, no error, when blank.
    std::optional<kraken::Credentials> fieldCredentials(kraken::keychain::Venue venue,
                                                        QString *error) const;
    void showStatus(const kraken::keychain::KeychainStatus &status, const QString &okText = {});
    void showText(const QString &text, bool isError);
    void setUnavailable(const QString &message);
    void setBusy(bool busy);
    VenueFields &fields(kraken::keychain::Venue venue);
    const VenueFields &fields(kraken::keychain::Venue venue) const;

    QPointer<kraken::keychain::CredentialStore> m_store;
    kraken::spot::RestClientConfig m_testConfig;
    std::unique_ptr<kraken::spot::RestClient> m_testClient;
    QComboBox *m_profile;
    VenueFields m_spot;
    VenueFields m_futures;
    QLabel *m_banner;
    QPushButton *m_sessionButton;
    QPushButton *m_saveButton;
    QPushButton *m_deleteButton;
    QPushButton *m_testButton;
    QLabel *m_status;
    QLabel *m_verdict;
    bool m_unavailable = false;
};

} // namespace ui
