#include "futuresenvelope.h"

#include <QNetworkReply>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace kraken::futures {
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

QString htmlDetail(const QByteArray &body) {
    const QString title = htmlTitle(body);
    return title.isEmpty() ? snippet(body) : u"page title: "_s + title;
}

Error httpError(const FuturesHttpOutcome &o) {
    const QString reason = o.httpStatus == 429   ? u"too many requests"_s
                           : o.httpStatus >= 500 ? u"Kraken Futures' server failed"_s
                                                 : u"request rejected"_s;
    QString detail;
    if (looksLikeHtml(o.contentType, o.body))
        detail = u"an HTML page (a proxy or Cloudflare answered instead of the API); "_s +
                 htmlDetail(o.body);
    else if (!o.body.isEmpty())
        detail = u"body: "_s + snippet(o.body);
    Error e(o.httpStatus == 429 ? Error::Category::RateLimited : Error::Category::Http,
            u"HTTP %1: %2"_s.arg(o.httpStatus).arg(reason), detail);
    e.setHttpStatus(o.httpStatus);
    return e;
}

// "error": "code", or "errors": ["code", ...] / [{"code": ..., "message": ...}].
QString errorCodeOf(const JsonNode &root) {
    if (const QString s = root.string(u"error"); !s.isEmpty())
        return s;
    if (const JsonNode *list = root.find(u"errors")) {
        for (const JsonNode &e : list->elements()) {
            if (e.isString() && !e.text().isEmpty())
                return e.text();
            if (e.isObject()) {
                const QString code = e.string(u"code");
                return code.isEmpty() ? e.string(u"message") : code;
            }
        }
    }
    return {};
}

} // namespace

bool futuresNeverReachedServer(int networkError) {
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

FuturesEnvelope interpretFuturesResponse(const FuturesHttpOutcome &o, bool requireResult) {
    FuturesEnvelope env;
    if (o.timedOut) {
        env.error = Error(Error::Category::Timeout,
                          u"no answer from Kraken Futures within %1 s"_s.arg(o.timeoutMs / 1000.0));
        return env;
    }
    if (o.aborted) {
        env.error = Error(Error::Category::Network, u"the request was cancelled"_s);
        return env;
    }

    QString parseError;
    const auto root =
        o.body.trimmed().isEmpty() ? std::nullopt : JsonNode::parse(o.body, &parseError);
    if (root && root->isObject()) {
        const QString result = root->string(u"result");
        const QString code = errorCodeOf(*root);
        // A Futures error body wins over the HTTP status: it says more.
        if (result == u"error"_s || (result.isEmpty() && !code.isEmpty())) {
            env.error = Error::fromKrakenFutures(code, o.httpStatus);
            return env;
        }
        if (o.httpStatus >= 400) {
            env.error = httpError(o);
            return env;
        }
        if (result == u"success"_s || (!requireResult && result.isEmpty())) {
            env.root = *root;
            return env;
        }
        env.error = Error(
            Error::Category::Parse,
            result.isEmpty() ? u"Kraken Futures' answer has no \"result\""_s
                             : u"Kraken Futures' answer has an unknown result \"%1\""_s.arg(result),
            snippet(o.body));
        env.error.setHttpStatus(o.httpStatus);
        return env;
    }

    if (o.httpStatus >= 400) {
        env.error = httpError(o);
        return env;
    }
    if (o.httpStatus == 0 && o.networkError == QNetworkReply::ContentReSendError) {
        env.error = Error(Error::Category::Network,
                          u"the connection closed after the request was sent; it was not sent "
                          u"again, and Kraken may have received it"_s,
                          o.networkErrorText);
        return env;
    }
    if (o.httpStatus == 0 && o.networkError != QNetworkReply::NoError) {
        env.error = Error(Error::Category::Network,
                          u"could not reach Kraken Futures: %1"_s.arg(o.networkErrorText));
        return env;
    }
    if (o.body.trimmed().isEmpty()) {
        env.error = Error(Error::Category::Parse, u"Kraken Futures sent an empty answer"_s);
    } else if (looksLikeHtml(o.contentType, o.body)) {
        env.error = Error(Error::Category::Parse,
                          u"Kraken Futures sent an HTML page instead of JSON: a proxy or "
                          u"Cloudflare may be blocking the API"_s,
                          htmlDetail(o.body));
    } else if (!root) {
        env.error =
            Error(Error::Category::Parse,
                  u"Kraken Futures' answer is not valid JSON (%1; truncated?)"_s.arg(parseError),
                  snippet(o.body));
    } else {
        env.error = Error(Error::Category::Parse,
                          u"Kraken Futures' answer is JSON but not an object"_s, snippet(o.body));
    }
    if (o.networkError != QNetworkReply::NoError && env.error.category() == Error::Category::Parse)
        env.error =
            Error(Error::Category::Network,
                  u"the connection broke before Kraken Futures' answer was complete: %1"_s.arg(
                      o.networkErrorText),
                  env.error.message());
    env.error.setHttpStatus(o.httpStatus);
    return env;
}

} // namespace kraken::futures
