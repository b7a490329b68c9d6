#include "credentialsdialog.h"

#include "kraken/spot/keycheck.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using kraken::Credentials;
using kraken::keychain::CredentialStore;
using kraken::keychain::KeychainStatus;
using kraken::keychain::ProfileIndex;
using kraken::keychain::Venue;
using kraken::keychain::venueTitle;

namespace ui {
namespace {

const QString StoredPlaceholder = u"Stored in the keychain; type to replace"_s;

QString secretPlaceholder(bool stored) {
    return stored ? StoredPlaceholder : u"API secret (private key, base64)"_s;
}

} // namespace

CredentialsDialog::CredentialsDialog(CredentialStore *store, QUrl spotRestUrl, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_profile(new QComboBox(this))
    , m_banner(new QLabel(this))
    , m_sessionButton(new QPushButton(tr("Use for this session only"), this))
    , m_saveButton(new QPushButton(tr("Save"), this))
    , m_deleteButton(new QPushButton(tr("Delete"), this))
    , m_testButton(new QPushButton(tr("Test keys"), this))
    , m_status(new QLabel(this))
    , m_verdict(new QLabel(this)) {
    setWindowTitle(tr("API keys"));
    m_testConfig.baseUrl = std::move(spotRestUrl);

    m_profile->setObjectName(u"profileCombo"_s);
    m_profile->setEditable(true);
    m_profile->setInsertPolicy(QComboBox::NoInsert);
    m_profile->lineEdit()->setPlaceholderText(tr("Profile name, e.g. main"));
    m_profile->setToolTip(CredentialStore::profileNameRule());

    m_banner->setObjectName(u"unavailableBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setMargin(8);
    m_banner->setStyleSheet(u"QLabel { background: #fff3cd; color: #664d03; }"_s);
    m_banner->hide();
    m_sessionButton->setObjectName(u"sessionButton"_s);
    m_sessionButton->setToolTip(tr("Hold the keys in memory until KrakenTerm quits; nothing is "
                                   "written to disk."));
    m_sessionButton->hide();

    auto venueBox = [this](Venue venue, VenueFields &f) {
        const QString id = kraken::keychain::venueId(venue);
        auto *box = new QGroupBox(venueTitle(venue), this);
        f.key = new QLineEdit(box);
        f.key->setObjectName(id + u"KeyEdit"_s);
        f.key->setPlaceholderText(tr("API key"));
        f.secret = new QLineEdit(box);
        f.secret->setObjectName(id + u"SecretEdit"_s);
        f.secret->setEchoMode(QLineEdit::Password);
        f.secret->setPlaceholderText(secretPlaceholder(false));
        f.reveal = new QPushButton(tr("Reveal"), box);
        f.reveal->setObjectName(id + u"RevealButton"_s);
        f.reveal->setToolTip(tr("Show the secret (the stored one if the field is empty)"));
        connect(f.reveal, &QPushButton::clicked, this, [this, venue] { toggleReveal(venue); });
        auto *secretRow = new QHBoxLayout;
        secretRow->addWidget(f.secret, 1);
        secretRow->addWidget(f.reveal);
        auto *form = new QFormLayout(box);
        form->addRow(tr("Key"), f.key);
        form->addRow(tr("Secret"), secretRow);
        return box;
    };

    m_saveButton->setObjectName(u"saveButton"_s);
    m_deleteButton->setObjectName(u"deleteButton"_s);
    m_testButton->setObjectName(u"testButton"_s);
    m_testButton->setToolTip(tr("Ask Kraken for the balances with the Spot keys"));
    m_status->setObjectName(u"statusLabel"_s);
    m_status->setWordWrap(true);
    m_verdict->setObjectName(u"verdictLabel"_s);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *profileRow = new QFormLayout;
    profileRow->addRow(tr("Profile"), m_profile);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_saveButton);
    actions->addWidget(m_deleteButton);
    actions->addWidget(m_testButton);
    actions->addStretch(1);
    actions->addWidget(m_sessionButton);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(profileRow);
    layout->addWidget(venueBox(Venue::Spot, m_spot));
    layout->addWidget(venueBox(Venue::Futures, m_futures));
    layout->addLayout(actions);
    layout->addWidget(m_status);
    layout->addWidget(m_verdict);
    layout->addWidget(close);

    connect(m_profile, &QComboBox::textActivated, this, &CredentialsDialog::loadProfile);
    connect(m_saveButton, &QPushButton::clicked, this, &CredentialsDialog::save);
    connect(m_deleteButton, &QPushButton::clicked, this, &CredentialsDialog::removeProfile);
    connect(m_testButton, &QPushButton::clicked, this, &CredentialsDialog::testKeys);
    connect(m_sessionButton, &QPushButton::clicked, this, &CredentialsDialog::useForSession);
    if (m_store)
        connect(m_store, &CredentialStore::unavailable, this, &CredentialsDialog::setUnavailable);

    refreshProfiles({});
}

CredentialsDialog::~CredentialsDialog() = default;

QString CredentialsDialog::profile() const {
    return m_profile->currentText().trimmed();
}

void CredentialsDialog::setProfile(const QString &profile) {
    m_profile->setCurrentText(profile);
    loadProfile(profile);
}

void CredentialsDialog::setTestClientConfig(const kraken::spot::RestClientConfig &config) {
    const QUrl url = m_testConfig.baseUrl;
    m_testConfig = config;
    m_testConfig.baseUrl = url;
}

bool CredentialsDialog::keychainUnavailable() const {
    return m_unavailable;
}

CredentialsDialog::VenueFields &CredentialsDialog::fields(Venue venue) {
    return venue == Venue::Spot ? m_spot : m_futures;
}

const CredentialsDialog::VenueFields &CredentialsDialog::fields(Venue venue) const {
    return venue == Venue::Spot ? m_spot : m_futures;
}

void CredentialsDialog::refreshProfiles(const QString &select) {
    if (!m_store)
        return setUnavailable(
            KeychainStatus::unavailable(tr("this window was opened without a keychain")).message);
    m_store->listProfiles(this,
                          [this, select](const KeychainStatus &status, const ProfileIndex &index) {
                              if (!status.ok())
                                  return showStatus(status);
                              const QString keep = select.isEmpty() ? profile() : select;
                              m_profile->clear();
                              m_profile->addItems(index.profiles());
                              if (!keep.isEmpty())
                                  m_profile->setCurrentText(keep);
                              else if (!index.isEmpty())
                                  setProfile(index.profiles().constFirst());
                          });
}

void CredentialsDialog::loadProfile(const QString &name) {
    const QString profile = name.trimmed();
    for (Venue v : {Venue::Spot, Venue::Futures}) {
        VenueFields &f = fields(v);
        f.key->clear();
        f.secret->clear();
        f.secret->setEchoMode(QLineEdit::Password);
        f.reveal->setText(tr("Reveal"));
        f.stored.reset();
        f.secret->setPlaceholderText(secretPlaceholder(false));
    }
    m_verdict->clear();
    if (!m_store || !CredentialStore::isValidProfileName(profile))
        return;
    for (Venue v : {Venue::Spot, Venue::Futures}) {
        m_store->load(profile, v, this,
                      [this, profile, v](const KeychainStatus &status, const Credentials &c) {
                          if (profile != this->profile())
                              return; // the trader moved on to another profile
                          if (status.code == KeychainStatus::Code::NotFound)
                              return;
                          if (!status.ok())
                              return showStatus(status);
                          VenueFields &f = fields(v);
                          f.stored = c;
                          f.key->setText(c.apiKey());
                          f.secret->clear();
                          f.secret->setPlaceholderText(secretPlaceholder(true));
                      });
    }
}

std::optional<Credentials> CredentialsDialog::fieldCredentials(Venue venue, QString *error) const {
    const VenueFields &f = fields(venue);
    const QString key = f.key->text().trimmed();
    QByteArray secret = f.secret->text().trimmed().toLatin1();
    if (secret.isEmpty() && f.stored && f.stored->apiKey() == key)
        secret = f.stored->secretBase64();
    if (key.isEmpty() && secret.isEmpty())
        return std::nullopt;
    if (key.isEmpty() || secret.isEmpty()) {
        *error = key.isEmpty() ? tr("Enter the %1 API key as well.").arg(venueTitle(venue))
                               : tr("Enter the %1 API secret as well.").arg(venueTitle(venue));
        return std::nullopt;
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(secret, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty()) {
        *error = tr("The %1 secret is not base64: copy Kraken's private key again, whole.")
                     .arg(venueTitle(venue));
        return std::nullopt;
    }
    return Credentials(key, secret);
}

void CredentialsDialog::save() {
    const QString name = profile();
    if (!CredentialStore::isValidProfileName(name))
        return showText(tr("Cannot save: %1.").arg(CredentialStore::profileNameRule()), true);
    QList<Venue> venues;
    for (Venue v : {Venue::Spot, Venue::Futures}) {
        QString error;
        const auto c = fieldCredentials(v, &error);
        if (!error.isEmpty())
            return showText(error, true);
        if (c)
            venues << v;
    }
    if (venues.isEmpty())
        return showText(tr("Enter a key and secret for Spot or Futures first."), true);
    if (!m_store || m_unavailable)
        return showText(m_banner->text(), true);
    setBusy(true);
    saveNext(name, venues, {});
}

void CredentialsDialog::saveNext(const QString &profile, QList<Venue> venues,
                                 QStringList savedVenues) {
    if (venues.isEmpty()) {
        setBusy(false);
        showText(tr("Saved the %1 keys of profile '%2' in the system keychain.")
                     .arg(savedVenues.join(tr(" and ")), profile),
                 false);
        Q_EMIT saved(profile);
        refreshProfiles(profile);
        loadProfile(profile); // shows what is stored now: keys, never secrets
        return;
    }
    const Venue venue = venues.takeFirst();
    QString ignored;
    const Credentials c = *fieldCredentials(venue, &ignored);
    m_store->save(profile, venue, c, this,
                  [this, profile, venue, venues, savedVenues](const KeychainStatus &s) mutable {
                      if (!s.ok()) {
                          setBusy(false);
                          return showStatus(s);
                      }
                      savedVenues << venueTitle(venue);
                      saveNext(profile, venues, savedVenues);
                  });
}

void CredentialsDialog::removeProfile() {
    const QString name = profile();
    if (!m_store || !CredentialStore::isValidProfileName(name))
        return;
    setBusy(true);
    m_store->remove(name, std::nullopt, this, [this, name](const KeychainStatus &s) {
        setBusy(false);
        if (!s.ok())
            return showStatus(s);
        showText(tr("Deleted the keys of profile '%1' from the system keychain.").arg(name), false);
        Q_EMIT deleted(name);
        m_profile->setCurrentText({});
        loadProfile({});
        refreshProfiles({});
    });
}

void CredentialsDialog::testKeys() {
    QString error;
    const auto c = fieldCredentials(Venue::Spot, &error);
    if (!c) {
        m_verdict->clear();
        return showText(error.isEmpty() ? tr("Enter or load Spot keys to test.") : error, true);
    }
    m_testClient = std::make_unique<kraken::spot::RestClient>(m_testConfig);
    m_testClient->setCredentials(*c);
    m_testButton->setEnabled(false);
    m_verdict->setText(tr("Asking Kraken…"));
    m_verdict->setStyleSheet({});
    kraken::spot::runKeyCheck(
        m_testClient.get(), this, [this](const kraken::spot::KeyCheckVerdict &v) {
            m_testButton->setEnabled(true);
            m_verdict->setText(v.toString());
            m_verdict->setStyleSheet(v.ok ? u"color: #1a7f37;"_s : u"color: #b42318;"_s);
            Q_EMIT keyCheckFinished(v.ok, v.headline);
        });
}

void CredentialsDialog::useForSession() {
    const QString name = profile();
    if (!CredentialStore::isValidProfileName(name))
        return showText(tr("Name the profile first: %1.").arg(CredentialStore::profileNameRule()),
                        true);
    QStringList used;
    for (Venue v : {Venue::Spot, Venue::Futures}) {
        QString error;
        const auto c = fieldCredentials(v, &error);
        if (!error.isEmpty())
            return showText(error, true);
        if (!c)
            continue;
        used << venueTitle(v);
        Q_EMIT sessionCredentials(name, v, *c);
    }
    if (used.isEmpty())
        return showText(tr("Enter a key and secret for Spot or Futures first."), true);
    showText(tr("The %1 keys of profile '%2' are held in memory for this session only; they are "
                "gone when KrakenTerm quits.")
                 .arg(used.join(tr(" and ")), name),
             false);
}

void CredentialsDialog::toggleReveal(Venue venue) {
    VenueFields &f = fields(venue);
    if (f.secret->echoMode() == QLineEdit::Normal) {
        f.secret->setEchoMode(QLineEdit::Password);
        if (f.stored && f.secret->text() == QString::fromLatin1(f.stored->secretBase64()))
            f.secret->clear(); // back to "stored", so the secret is not kept on screen
        f.reveal->setText(tr("Reveal"));
        return;
    }
    if (f.secret->text().isEmpty() && f.stored)
        f.secret->setText(QString::fromLatin1(f.stored->secretBase64()));
    f.secret->setEchoMode(QLineEdit::Normal);
    f.reveal->setText(tr("Hide"));
}

void CredentialsDialog::showStatus(const KeychainStatus &status, const QString &okText) {
    if (status.isUnavailable())
        setUnavailable(status.message);
    showText(status.ok() ? okText : status.message, !status.ok());
}

void CredentialsDialog::showText(const QString &text, bool isError) {
    m_status->setText(text);
    m_status->setStyleSheet(isError ? u"color: #b42318;"_s : QString());
    Q_EMIT statusShown(text);
}

void CredentialsDialog::setUnavailable(const QString &message) {
    m_unavailable = true;
    m_banner->setText(message);
    m_banner->show();
    m_sessionButton->show();
    m_saveButton->setEnabled(false);
    m_deleteButton->setEnabled(false);
    m_saveButton->setToolTip(tr("No keychain is reachable; use the keys for this session only."));
}

void CredentialsDialog::setBusy(bool busy) {
    m_saveButton->setEnabled(!busy && !m_unavailable);
    m_deleteButton->setEnabled(!busy && !m_unavailable);
}

} // namespace ui
