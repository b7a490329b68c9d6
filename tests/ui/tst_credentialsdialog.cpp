// CredentialsDialog offscreen against a real Secret Service (with-keyring) and the paper
// exchange: fill and save, reopen (the key shows, the secret only on Reveal), test keys shows
// the verdict, delete; and with a keychain that is out of reach, the banner and "Use for this
// session only".

#include "kraken/sim/paperexchange.h"
#include "ui/credentialsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using kraken::Credentials;
using kraken::keychain::CredentialStore;
using kraken::keychain::Venue;

Q_DECLARE_METATYPE(kraken::keychain::Venue)
Q_DECLARE_METATYPE(kraken::Credentials)

namespace {

template<class T> T *child(QObject *parent, const char *name) {
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

kraken::spot::RestClientConfig testConfig() {
    kraken::spot::RestClientConfig c;
    c.maxRetries = 0;
    c.persistNonce = false;
    c.timeoutMs = 10'000;
    return c;
}

} // namespace

class TestCredentialsDialog : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<kraken::sim::PaperExchange> m_ex;
    QString m_service = u"KrakenTerm-dialogtest-%1"_s.arg(QCoreApplication::applicationPid());

    QString paperKey() const { return m_ex->config().accounts.front().apiKey; }
    QString paperSecret() const { return m_ex->config().accounts.front().secret; }

private Q_SLOTS:
    void initTestCase() {
        m_ex = std::make_unique<kraken::sim::PaperExchange>(kraken::sim::SimConfig::builtIn());
        m_ex->setStepInterval(0);
        QString error;
        QVERIFY2(m_ex->start(0, 0, 0, &error), qPrintable(error));
    }

    void saveReloadRevealTestDelete() {
        CredentialStore store(m_service);
        {
            ui::CredentialsDialog dialog(&store, m_ex->restUrl());
            dialog.setTestClientConfig(testConfig());
            dialog.show();
            QSignalSpy saved(&dialog, &ui::CredentialsDialog::saved);
            child<QComboBox>(&dialog, "profileCombo")->setCurrentText(u"paper"_s);
            QTest::keyClicks(child<QLineEdit>(&dialog, "spotKeyEdit"), paperKey());
            QTest::keyClicks(child<QLineEdit>(&dialog, "spotSecretEdit"), paperSecret());
            QCOMPARE(child<QLineEdit>(&dialog, "spotSecretEdit")->echoMode(), QLineEdit::Password);
            QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 60'000);
            QVERIFY2(child<QLabel>(&dialog, "statusLabel")->text().contains(u"Saved the Spot"_s),
                     qPrintable(child<QLabel>(&dialog, "statusLabel")->text()));
            QVERIFY(!child<QLabel>(&dialog, "unavailableBanner")->isVisible());
        }

        // A fresh dialog finds the profile, shows the key, never the secret unless asked.
        ui::CredentialsDialog dialog(&store, m_ex->restUrl());
        dialog.setTestClientConfig(testConfig());
        dialog.show();
        auto *key = child<QLineEdit>(&dialog, "spotKeyEdit");
        auto *secret = child<QLineEdit>(&dialog, "spotSecretEdit");
        QTRY_COMPARE_WITH_TIMEOUT(key->text(), paperKey(), 60'000);
        QCOMPARE(dialog.profile(), u"paper"_s);
        QVERIFY(secret->text().isEmpty());
        QVERIFY(secret->placeholderText().contains(u"Stored"_s));
        QVERIFY(child<QLineEdit>(&dialog, "futuresKeyEdit")->text().isEmpty());
        auto *reveal = child<QPushButton>(&dialog, "spotRevealButton");
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(secret->text(), paperSecret());
        QCOMPARE(secret->echoMode(), QLineEdit::Normal);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(secret->text().isEmpty());
        QCOMPARE(secret->echoMode(), QLineEdit::Password);

        // Test keys with the stored secret (the field stays blank).
        QSignalSpy checked(&dialog, &ui::CredentialsDialog::keyCheckFinished);
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, 60'000);
        QCOMPARE(checked.at(0).at(0).toBool(), true);
        QVERIFY2(child<QLabel>(&dialog, "verdictLabel")->text().contains(u"The keys work"_s),
                 qPrintable(child<QLabel>(&dialog, "verdictLabel")->text()));

        // A wrong secret typed in: the verdict names the secret, and saving nothing changed.
        QTest::keyClicks(secret, QString::fromLatin1(QByteArray(64, 'w').toBase64()));
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, 60'000);
        QCOMPARE(checked.at(1).at(0).toBool(), false);
        QVERIFY(checked.at(1).at(1).toString().contains(u"secret does not match"_s));

        // Delete.
        QSignalSpy deleted(&dialog, &ui::CredentialsDialog::deleted);
        QTest::mouseClick(child<QPushButton>(&dialog, "deleteButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 60'000);
        QVERIFY(key->text().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(child<QComboBox>(&dialog, "profileCombo")->count(), 0, 60'000);
    }

    void badInputIsRefusedLocally() {
        CredentialStore store(m_service);
        ui::CredentialsDialog dialog(&store, m_ex->restUrl());
        QSignalSpy saved(&dialog, &ui::CredentialsDialog::saved);
        child<QComboBox>(&dialog, "profileCombo")->setCurrentText(u"p"_s);
        QTest::keyClicks(child<QLineEdit>(&dialog, "spotKeyEdit"), u"K"_s);
        QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"secret as well"_s));
        QTest::keyClicks(child<QLineEdit>(&dialog, "spotSecretEdit"), u"not*base64"_s);
        QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"not base64"_s));
        QCOMPARE(saved.count(), 0);
    }

    // The keychain is out of reach: banner,
    // Save disabled, and the keys can be handed over for this session only.
    void unavailableOffersSessionOnly() {
        qRegisterMetaType<Venue>();
        qRegisterMetaType<Credentials>();
        // QtDBus keeps its session connection for the process's life, so this case gives the
        // dialog no store at all, which it treats as an unreachable keychain.
        ui::CredentialsDialog dialog(nullptr, m_ex->restUrl());
        dialog.show();
        QVERIFY(dialog.keychainUnavailable());
        auto *banner = child<QLabel>(&dialog, "unavailableBanner");
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(u"not available"_s));
        QVERIFY(banner->text().contains(u"session only"_s));
        QVERIFY(!child<QPushButton>(&dialog, "saveButton")->isEnabled());
        auto *session = child<QPushButton>(&dialog, "sessionButton");
        QVERIFY(session->isVisible());

        QSignalSpy spy(&dialog, &ui::CredentialsDialog::sessionCredentials);
        child<QComboBox>(&dialog, "profileCombo")->setCurrentText(u"live"_s);
        QTest::keyClicks(child<QLineEdit>(&dialog, "spotKeyEdit"), paperKey());
        QTest::keyClicks(child<QLineEdit>(&dialog, "spotSecretEdit"), paperSecret());
        QTest::mouseClick(session, Qt::LeftButton);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), u"live"_s);
        QCOMPARE(spy.at(0).at(1).value<Venue>(), Venue::Spot);
        QCOMPARE(spy.at(0).at(2).value<Credentials>().apiKey(), paperKey());
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"for this session only"_s));
    }

    void unreachableStoreShowsBanner() {
        // A store whose service answers "unavailable" reaches the banner through the store's
        // signal, the same path a locked keyring takes.
        CredentialStore store(m_service);
        ui::CredentialsDialog dialog(&store, m_ex->restUrl());
        Q_EMIT store.unavailable(u"The system keychain is not available (test)."_s);
        QVERIFY(dialog.keychainUnavailable());
        QVERIFY(child<QLabel>(&dialog, "unavailableBanner")->text().contains(u"(test)"_s));
    }
};

QTEST_MAIN(TestCredentialsDialog)
#include "tst_credentialsdialog.moc"
