#include "credentialstore.h"

#include "logging.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <algorithm>
#include <deque>

using namespace Qt::StringLiterals;

namespace kraken::keychain {
namespace {

using JobDone = std::function<void(const KeychainStatus &status, const QByteArray &data)>;

// Why no Secret Service can answer, or empty if one is there. Asked only after a job failed
// with QtKeychain's catch-all OtherError, whose text (a GLib/D-Bus message) is not something
// to match on.
QString secretServiceMissingReason() {
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return u"no D-Bus session bus, as on a headless machine or over SSH"_s;
    const QString name = u"org.freedesktop.secrets"_s;
    QDBusConnectionInterface *iface = bus.interface();
    if (!iface)
        return u"the D-Bus session bus does not answer"_s;
    const QDBusReply<bool> registered = iface->isServiceRegistered(name);
    if (registered.isValid() && registered.value())
        return {};
    const QDBusReply<QStringList> activatable = iface->activatableServiceNames();
    if (activatable.isValid() && activatable.value().contains(name))
        return {};
    return u"no Secret Service such as gnome-keyring or KWallet on the D-Bus session"_s;
}

// Why the Secret Service cannot store or give out anything although it runs: no default
// keyring (it would have to prompt for a password to create one) or a locked one (it would
// have to prompt to unlock it), with no prompt possible, as on a headless box. Empty if the
// default keyring is there and open, or if the service does not say.
QString defaultKeyringProblem() {
    const QString name = u"org.freedesktop.secrets"_s;
    QDBusInterface service(name, u"/org/freedesktop/secrets"_s, u"org.freedesktop.Secret.Service"_s,
                           QDBusConnection::sessionBus());
    const QDBusReply<QDBusObjectPath> alias = service.call(u"ReadAlias"_s, u"default"_s);
    if (!alias.isValid())
        return {};
    if (alias.value().path() == u"/"_s)
        return u"the keychain has no default keyring, and no password prompt could be shown to "
               u"create one"_s;
    QDBusInterface collection(name, alias.value().path(), u"org.freedesktop.Secret.Collection"_s,
                              QDBusConnection::sessionBus());
    if (collection.property("Locked").toBool())
        return u"the default keyring is locked and no unlock prompt could be shown; unlock it "
               u"and try again"_s;
    return {};
}

KeychainStatus statusOf(const QKeychain::Job *job) {
    switch (job->error()) {
    case QKeychain::NoError:
        return KeychainStatus::success();
    case QKeychain::EntryNotFound:
        // Nothing can be found in a keyring that does not exist or is locked: say that, or
        // the trader hunts for a typo in the profile name.
        if (const QString problem = defaultKeyringProblem(); !problem.isEmpty())
            return KeychainStatus::unavailable(problem);
        return {KeychainStatus::Code::NotFound, u"No entry in the keychain."_s};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return KeychainStatus::unavailable(u"no keychain service is running"_s);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return KeychainStatus::unavailable(
            u"the keychain is locked or refused access; unlock it and try again"_s);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    if (const QString missing = secretServiceMissingReason(); !missing.isEmpty())
        return KeychainStatus::unavailable(missing);
    if (const QString problem = defaultKeyringProblem(); !problem.isEmpty())
        return KeychainStatus::unavailable(problem);
    return KeychainStatus::failed(u"The keychain reported an error: %1"_s.arg(job->errorString()));
}

QByteArray payload(const Credentials &c) {
    return QJsonDocument(QJsonObject{{u"api_key"_s, c.apiKey()},
                                     {u"secret"_s, QString::fromLatin1(c.secretBase64())}})
        .toJson(QJsonDocument::Compact);
}

std::optional<Credentials> fromPayload(const QByteArray &data) {
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    Credentials c(o.value(u"api_key"_s).toString(), o.value(u"secret"_s).toString().toLatin1());
    if (!c.isValid())
        return std::nullopt;
    return c;
}

} // namespace

struct CredentialStore::Private {
    CredentialStore *q = nullptr;
    QString service;
    int timeoutMs = 20'000;
    // Each operation calls next() exactly once, when it has delivered.
    std::deque<std::function<void()>> queue;
    bool busy = false;

    void enqueue(std::function<void()> op) {
        queue.push_back(std::move(op));
        if (!busy)
            next();
    }

    void next() {
        if (queue.empty()) {
            busy = false;
            return;
        }
        busy = true;
        auto op = std::move(queue.front());
        queue.pop_front();
        // From the event loop, so that no callback runs inside the call that asked for it.
        QTimer::singleShot(0, q, std::move(op));
    }

    // Hands the outcome to the caller unless its context died, then starts the next call.
    template<class Fn> void finish(const QPointer<const QObject> &context, Fn &&deliver) {
        if (context)
            deliver();
        next();
    }

    void run(QKeychain::Job *job, const QString &what, JobDone done) {
        job->setAutoDelete(true);
        // Never QSettings as a "keychain": an unreachable keychain is reported, not papered over.
        job->setInsecureFallback(false);
        auto answered = std::make_shared<bool>(false);
        auto *timer = new QTimer(q);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, q, [this, timer, answered, what, done] {
            timer->deleteLater();
            if (*answered)
                return;
            *answered = true;
            qCWarning(lcKeychain) << what << "got no answer within" << timeoutMs << "ms";
            // The job cannot be cancelled; it deletes itself whenever it finishes.
            done(KeychainStatus::unavailable(
                     u"the keychain did not answer within %1 s; it may be locked and waiting "
                     u"for an unlock prompt"_s.arg(timeoutMs / 1000.0)),
                 {});
        });
        QObject::connect(job, &QKeychain::Job::finished, q,
                         [this, timer, answered, what, done](QKeychain::Job *j) {
                             timer->stop();
                             timer->deleteLater();
                             if (*answered)
                                 return;
                             *answered = true;
                             const KeychainStatus status = statusOf(j);
                             if (status.code != KeychainStatus::Code::Ok &&
                                 status.code != KeychainStatus::Code::NotFound)
                                 qCWarning(lcKeychain).noquote()
                                     << what << "failed:" << KeychainStatus::codeName(status.code)
                                     << "-" << j->errorString();
                             QByteArray data;
                             if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
                                 data = read->binaryData();
                             done(status, data);
                         });
        timer->start(timeoutMs);
        job->start();
    }

    void read(const QString &key, JobDone done) {
        auto *job = new QKeychain::ReadPasswordJob(service);
        job->setKey(key);
        run(job, u"read of '%1'"_s.arg(key), std::move(done));
    }

    void write(const QString &key, const QByteArray &data, JobDone done) {
        auto *job = new QKeychain::WritePasswordJob(service);
        job->setKey(key);
        job->setTextData(QString::fromUtf8(data));
        run(job, u"write of '%1'"_s.arg(key), std::move(done));
    }

    void erase(const QString &key, JobDone done) {
        auto *job = new QKeychain::DeletePasswordJob(service);
        job->setKey(key);
        run(job, u"delete of '%1'"_s.arg(key), std::move(done));
    }

    // NotFound is an empty index; a damaged index is rebuilt from scratch by the next write
    // (the entries themselves are untouched, only their listing is lost).
    void readIndex(std::function<void(const KeychainStatus &, const ProfileIndex &)> done) {
        read(CredentialStore::indexKey(),
             [done = std::move(done)](const KeychainStatus &status, const QByteArray &data) {
                 if (status.code == KeychainStatus::Code::NotFound)
                     return done(KeychainStatus::success(), ProfileIndex());
                 if (!status.ok())
                     return done(status, ProfileIndex());
                 bool ok = false;
                 ProfileIndex index = ProfileIndex::fromJson(data, &ok);
                 if (!ok)
                     qCWarning(lcKeychain) << "the profile index entry is damaged; rebuilding it";
                 done(KeychainStatus::success(), index);
             });
    }

    // One entry after the other; an entry that was not there is no failure.
    void eraseAll(const QString &profile, QList<Venue> venues,
                  std::function<void(const KeychainStatus &)> done) {
        if (venues.isEmpty())
            return done(KeychainStatus::success());
        const Venue venue = venues.takeFirst();
        erase(CredentialStore::entryKey(profile, venue),
              [this, profile, venues, done](const KeychainStatus &s, const QByteArray &) {
                  if (!s.ok() && s.code != KeychainStatus::Code::NotFound)
                      return done(s);
                  eraseAll(profile, venues, done);
              });
    }

    void noteUnavailable(const KeychainStatus &status) {
        if (status.isUnavailable())
            Q_EMIT q->unavailable(status.message);
    }
};

QString CredentialStore::defaultService() {
    return u"KrakenTerm"_s;
}

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(defaultService(), parent) {}

CredentialStore::CredentialStore(QString service, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->q = this;
    d->service = std::move(service);
}

CredentialStore::~CredentialStore() = default;

QString CredentialStore::service() const {
    return d->service;
}

int CredentialStore::timeoutMs() const {
    return d->timeoutMs;
}

void CredentialStore::setTimeoutMs(int ms) {
    d->timeoutMs = ms;
}

bool CredentialStore::isValidProfileName(QStringView name) {
    if (name.isEmpty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
               c == u'.' || c == u'_' || c == u'-';
    });
}

QString CredentialStore::profileNameRule() {
    return u"a profile name is 1 to 64 letters, digits, '.', '_' or '-'"_s;
}

QString CredentialStore::entryKey(const QString &profile, Venue venue) {
    return u"profile/"_s + profile + u'/' + venueId(venue);
}

QString CredentialStore::indexKey() {
    return u"profiles"_s;
}

void CredentialStore::save(const QString &profile, Venue venue, const Credentials &credentials,
                           const QObject *context, StatusCallback done,
                           FuturesEnvironment environment) {
    const QPointer<const QObject> ctx(context ? context : this);
    if (venue != Venue::Futures)
        environment = FuturesEnvironment::Mainnet;
    d->enqueue([this, ctx, profile, venue, credentials, done, environment] {
        auto deliver = [this, ctx, done](const KeychainStatus &status) {
            d->noteUnavailable(status);
            d->finish(ctx, [&] { done(status); });
        };
        if (!isValidProfileName(profile))
            return deliver(KeychainStatus::failed(u"Cannot save: %1."_s.arg(profileNameRule())));
        if (!credentials.isValid())
            return deliver(KeychainStatus::failed(
                u"Cannot save: both the API key and the secret are needed."_s));
        d->write(entryKey(profile, venue), payload(credentials),
                 [this, profile, venue, credentials, deliver,
                  environment](const KeychainStatus &written, const QByteArray &) {
                     if (!written.ok())
                         return deliver(written);
                     qCInfo(lcKeychain).noquote() << "saved" << venueId(venue) << "keys of profile"
                                                  << profile << credentials.redactedKey();
                     d->readIndex([this, profile, venue, deliver,
                                   environment](const KeychainStatus &status, ProfileIndex index) {
                         if (!status.ok())
                             return deliver(status);
                         if (index.contains(profile, venue) &&
                             (venue != Venue::Futures ||
                              index.futuresEnvironment(profile) == environment))
                             return deliver(KeychainStatus::success());
                         index.add(profile, venue);
                         if (venue == Venue::Futures)
                             index.setFuturesEnvironment(profile, environment);
                         d->write(indexKey(), index.toJson(),
                                  [this, deliver](const KeychainStatus &s, const QByteArray &) {
                                      if (s.ok())
                                          Q_EMIT profilesChanged();
                                      deliver(s);
                                  });
                     });
                 });
    });
}

void CredentialStore::load(const QString &profile, Venue venue, const QObject *context,
                           LoadCallback done) {
    const QPointer<const QObject> ctx(context ? context : this);
    d->enqueue([this, ctx, profile, venue, done] {
        auto deliver = [this, ctx, done](const KeychainStatus &status, const Credentials &c) {
            d->noteUnavailable(status);
            d->finish(ctx, [&] { done(status, c); });
        };
        if (!isValidProfileName(profile))
            return deliver(KeychainStatus::notFound(profile, venue), {});
        d->read(entryKey(profile, venue),
                [profile, venue, deliver](const KeychainStatus &status, const QByteArray &data) {
                    if (status.code == KeychainStatus::Code::NotFound)
                        return deliver(KeychainStatus::notFound(profile, venue), {});
                    if (!status.ok())
                        return deliver(status, {});
                    const auto credentials = fromPayload(data);
                    if (!credentials)
                        return deliver(
                            KeychainStatus::failed(
                                u"The keychain entry for the %1 keys of profile '%2' is "
                                u"damaged: save the keys again."_s.arg(venueTitle(venue), profile)),
                            {});
                    deliver(KeychainStatus::success(), *credentials);
                });
    });
}

void CredentialStore::remove(const QString &profile, std::optional<Venue> venue,
                             const QObject *context, StatusCallback done) {
    const QPointer<const QObject> ctx(context ? context : this);
    d->enqueue([this, ctx, profile, venue, done] {
        auto deliver = [this, ctx, done](const KeychainStatus &status) {
            d->noteUnavailable(status);
            d->finish(ctx, [&] { done(status); });
        };
        if (!isValidProfileName(profile))
            return deliver(KeychainStatus::notFound(profile));
        d->readIndex([this, profile, venue, deliver](const KeychainStatus &status,
                                                     ProfileIndex index) {
            if (!status.ok())
                return deliver(status);
            const QList<Venue> venues =
                venue ? QList<Venue>{*venue} : QList<Venue>{Venue::Spot, Venue::Futures};
            bool known = false;
            for (Venue v : venues)
                known = known || index.contains(profile, v);
            // The entries are deleted even when the index does not know them: an index that
            // drifted must not keep a secret alive.
            d->eraseAll(profile, venues,
                        [this, profile, venues, index, known, venue,
                         deliver](const KeychainStatus &erased) mutable {
                            if (!erased.ok())
                                return deliver(erased);
                            if (!known)
                                return deliver(venue ? KeychainStatus::notFound(profile, *venue)
                                                     : KeychainStatus::notFound(profile));
                            for (Venue v : venues)
                                index.remove(profile, v);
                            qCInfo(lcKeychain).noquote() << "deleted keys of profile" << profile;
                            d->write(indexKey(), index.toJson(),
                                     [this, deliver](const KeychainStatus &s, const QByteArray &) {
                                         if (s.ok())
                                             Q_EMIT profilesChanged();
                                         deliver(s);
                                     });
                        });
        });
    });
}

void CredentialStore::listProfiles(const QObject *context, ListCallback done) {
    const QPointer<const QObject> ctx(context ? context : this);
    d->enqueue([this, ctx, done] {
        d->readIndex([this, ctx, done](const KeychainStatus &status, const ProfileIndex &index) {
            d->noteUnavailable(status);
            d->finish(ctx, [&] { done(status, index); });
        });
    });
}

} // namespace kraken::keychain
