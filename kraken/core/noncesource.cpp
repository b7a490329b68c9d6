#include "noncesource.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace kraken {
namespace {

std::uint64_t readMark(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const std::uint64_t v = f.readAll().trimmed().toULongLong(&ok);
    return ok ? v : 0;
}

} // namespace

NonceSource::NonceSource(QString stateFile, Clock clock)
    : m_stateFile(std::move(stateFile))
    , m_clock(clock ? std::move(clock)
                    : Clock([] { return QDateTime::currentMSecsSinceEpoch(); })) {
    if (!m_stateFile.isEmpty()) {
        // Everything up to the persisted reservation may have been sent by an earlier process.
        m_last = readMark(m_stateFile);
        m_reservedUpTo = m_last;
    }
}

std::uint64_t NonceSource::next() {
    std::lock_guard lock(m_mutex);
    const std::int64_t now = m_clock();
    const std::uint64_t candidate = now > 0 ? std::uint64_t(now) : 0;
    m_last = std::max(m_last + 1, candidate);
    if (!m_stateFile.isEmpty() && m_last > m_reservedUpTo)
        reserveBeyond(m_last);
    return m_last;
}

std::uint64_t NonceSource::last() const {
    std::lock_guard lock(m_mutex);
    return m_last;
}

QString NonceSource::persistError() const {
    std::lock_guard lock(m_mutex);
    return m_persistError;
}

void NonceSource::reserveBeyond(std::uint64_t value) {
    QDir().mkpath(QFileInfo(m_stateFile).absolutePath());
    // The lock keeps two processes that start together from interleaving read and write.
    QLockFile lock(m_stateFile + u".lock"_s);
    lock.setStaleLockTime(10'000);
    if (!lock.tryLock(5'000)) {
        m_persistError = u"could not lock nonce state file %1"_s.arg(m_stateFile);
        return;
    }
    const std::uint64_t onDisk = readMark(m_stateFile);
    if (onDisk >= value) {
        // Another process reserved past us: jump above its reservation.
        m_last = onDisk + 1;
        value = m_last;
    }
    const std::uint64_t reserve = value + std::uint64_t(ReserveAheadMs);
    QSaveFile f(m_stateFile);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(QByteArray::number(quint64(reserve)) + '\n');
        if (f.commit()) {
            m_reservedUpTo = reserve;
            m_persistError.clear();
            return;
        }
    }
    m_persistError = u"could not write nonce state file %1: %2"_s.arg(m_stateFile, f.errorString());
}

QString NonceSource::defaultStateFile(const QString &apiKey) {
    const QByteArray digest =
        QCryptographicHash::hash(apiKey.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/nonce/"_s +
           QString::fromLatin1(digest);
}

} // namespace kraken
