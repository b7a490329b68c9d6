#include "responseenvelope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace kraken::spot {
namespace {

bool looksLikeHtml(const QByteArray &contentType, const QByteArray &body) {
    if (contentType.contains("text/html"))
        return true;
    const QByteArray head = body.left(256).trimmed().toLower();
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith('<');
}

QString htmlTitle(const QByteArray &body) {
    static const QRegularExpression re(u"<title[^>]*>([^<]{1,200})</title>"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(QString::fromUtf8(body.left(64 * 1024)));
    return m.hasMatch() ? m.captured(1).simplified() : QString();
}

QString snippet(const QByteArray &body) {
    QString s = QString::fromUtf8(body.left(160)).simplified();
    if (body.size() > 160)
        s += u"…"_s;
    return s;
}

// Kraken puts "W..." warnings in the error array beside a good result.
bool isWarning(const QString &s) {
    return s.startsWith(u'W');
}

Error httpError(const HttpOutcome &o) {
    const QString reason = o.httpStatus == 429   ? u"too many requests"_s
                           : o.httpStatus >= 500 ? u"Kraken's server failed"_s
                                                 : u"request rejected"_s;
    QString detail;
    if (looksLikeHtml(o.contentType, o.body)) {
        const QString title = htmlTitle(o.body);
        detail = u"an HTML page"_s +
                 (title.isEmpty() ? QString() : u" titled \"%1\""_s.arg(title)) +
                 u" (a proxy or Cloudflare answered instead of Kraken's API)"_s;
    } else if (!o.body.isEmpty()) {
        detail = u"body: "_s + snippet(o.body);
    }
    Error e(o.httpStatus == 429 ? Error::Category::RateLimited : Error::Category::Http,
            u"HTTP %1: %2"_s.arg(o.httpStatus).arg(reason), detail);
    e.setHttpStatus(o.httpStatus);
    return e;
}

} // namespace

bool neverReachedServer(int networkError) {
    switch (QNetworkReply::NetworkError(networkError)) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProtocolUnknownError:
        return true;
    default:
        return false;
    }
}

Envelope interpretResponse(const HttpOutcome &o) {
    Envelope env;
    if (o.timedOut) {
        env.error = Error(Error::Category::Timeout,
                          u"no answer from Kraken within %1 s"_s.arg(o.timeoutMs / 1000.0));
        return env;
    }
    if (o.aborted) {
        env.error = Error(Error::Category::Network, u"the request was cancelled"_s);
        return env;
    }

    // A Kraken error body wins over the HTTP status: it says more.
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(o.body, &parseError);
    const bool isEnvelope = parseError.error == QJsonParseError::NoError && doc.isObject() &&
                            doc.object().value(u"error"_s).isArray();
    if (isEnvelope) {
        const QJsonObject obj = doc.object();
        QStringList errors, warnings;
        for (const QJsonValue &v : obj.value(u"error"_s).toArray()) {
            const QString s = v.toString();
            (isWarning(s) ? warnings : errors).append(s);
        }
        if (!errors.isEmpty()) {
            env.error = Error::fromKraken(errors, o.httpStatus);
            return env;
        }
        if (o.httpStatus >= 400) {
            env.error = httpError(o);
            return env;
        }
        if (!obj.contains(u"result"_s)) {
            env.error =
                Error(Error::Category::Parse,
                      u"Kraken's answer has neither an error nor a result"_s, snippet(o.body));
            return env;
        }
        env.result = obj.value(u"result"_s);
        env.warnings = warnings;
        return env;
    }

    if (o.httpStatus >= 400) {
        env.error = httpError(o);
        return env;
    }
    if (o.httpStatus == 0 && o.networkError == QNetworkReply::ContentReSendError) {
        // Only order calls refuse Qt's silent resend (restclient.cpp, SendOnceBody).
        env.error = Error(Error::Category::Network,
                          u"the connection closed after the request was sent; it was not sent "
                          u"again, and Kraken may have received it"_s,
                          o.networkErrorText);
        return env;
    }
    if (o.httpStatus == 0 && o.networkError != QNetworkReply::NoError) {
        env.error = Error(Error::Category::Network,
                          u"could not reach Kraken: %1"_s.arg(o.networkErrorText));
        return env;
    }
    if (o.body.trimmed().isEmpty()) {
        env.error = Error(Error::Category::Parse, u"Kraken sent an empty answer"_s);
    } else if (looksLikeHtml(o.contentType, o.body)) {
        const QString title = htmlTitle(o.body);
        env.error = Error(Error::Category::Parse,
                          u"Kraken sent an HTML page instead of JSON: a proxy or Cloudflare "
                          u"may be blocking the API"_s,
                          title.isEmpty() ? snippet(o.body) : u"page title: "_s + title);
    } else if (parseError.error != QJsonParseError::NoError) {
        env.error = Error(Error::Category::Parse,
                          u"Kraken's answer is not valid JSON (%1 at byte %2; truncated?)"_s
                              .arg(parseError.errorString())
                              .arg(parseError.offset),
                          snippet(o.body));
    } else {
        env.error = Error(Error::Category::Parse,
                          u"Kraken's answer is JSON but not its {error, result} envelope"_s,
                          snippet(o.body));
    }
    if (o.networkError != QNetworkReply::NoError && env.error.category() == Error::Category::Parse)
        env.error = Error(Error::Category::Network,
                          u"the connection broke before Kraken's answer was complete: %1"_s.arg(
                              o.networkErrorText),
                          env.error.message());
    env.error.setHttpStatus(o.httpStatus);
    return env;
}

} // namespace kraken::spot
