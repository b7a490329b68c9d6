#pragma once

// Small helpers shared by the kraken/core suites: readable QCOMPARE output for Decimal, a
// parse helper for literals the test itself supplies, and JSON fixture loading.

#include "kraken/core/decimal.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>

#include <string_view>

namespace kraken {

// Found by ADL, so QCOMPARE on two Decimals prints "0.10000000" rather than nothing.
inline char *toString(const Decimal &d) {
    return qstrdup(d.toStdString().c_str());
}

} // namespace kraken

namespace testsupport {

using namespace Qt::StringLiterals;

// Parses a literal the test wrote itself. A literal that does not parse is a broken test,
// reported as a failure at the call site's test function (the returned zero then makes the
// following comparison fail too).
inline kraken::Decimal dec(std::string_view text) {
    const auto d = kraken::Decimal::fromString(text);
    if (!d) {
        QTest::qFail(qPrintable(u"test literal does not parse: "_s +
                                QString::fromUtf8(text.data(), qsizetype(text.size()))),
                     __FILE__, __LINE__);
        return {};
    }
    return *d;
}

// Reads a JSON object from disk; an empty object (and a message in *error) when the file is
// missing or not a JSON object, so callers can QVERIFY2 on it.
inline QJsonObject readJsonObject(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot open "_s + path + u": "_s + f.errorString();
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"not a JSON object: "_s + path + u": "_s + parseError.errorString();
        return {};
    }
    return doc.object();
}

inline QString vectorPath(const char *file) {
    return QString::fromUtf8(KT_VECTORS_DIR) + u'/' + QString::fromUtf8(file);
}

inline QString testDataPath(const char *file) {
    return QString::fromUtf8(KT_TEST_DATA_DIR) + u'/' + QString::fromUtf8(file);
}

} // namespace testsupport
