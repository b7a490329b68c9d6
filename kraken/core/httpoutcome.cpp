#include "httpoutcome.h"

#include <QNetworkReply>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace kraken {
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

// A proxy's page is summarised by its title, never dumped.
QString htmlDetail(const QByteArray &body) {
    const QString title = htmlTitle(body);
    return title.isEmpty() ? bodySnippet(body) : u"page title: "_s + title;
}

// The answer was not the venue's envelope: say what it was instead.
Error nonEnvelopeError(const HttpOutcome &o, const HttpVenueText &venue, const QString &jsonError) {
    if (o.httpStatus >= 400)
        return httpStatusError(o, venue);
    if (o.httpStatus == 0 && o.networkError == QNetworkReply::ContentReSendError) {
        // Only order calls refuse Qt's silent resend (HttpEngine's send-once body).
        return Error(Error::Category::Network,
                     u"the connection closed after the request was sent; it was not sent "
                     u"again, and Kraken may have received it"_s,
                     o.networkErrorText);
    }
    if (o.httpStatus == 0 && o.networkError != QNetworkReply::NoError)
        return Error(Error::Category::Network,
                     u"could not reach %1: %2"_s.arg(venue.name, o.networkErrorText));
    Error e;
    if (o.body.trimmed().isEmpty()) {
        e = Error(Error::Category::Parse, u"%1 sent an empty answer"_s.arg(venue.name));
    } else if (looksLikeHtml(o.contentType, o.body)) {
        e = Error(Error::Category::Parse,
                  u"%1 sent an HTML page instead of JSON: a proxy or Cloudflare may be blocking "
                  u"the API"_s.arg(venue.name),
                  htmlDetail(o.body));
    } else if (!jsonError.isEmpty()) {
        e = Error(
            Error::Category::Parse,
            u"%1 answer is not valid JSON (%2; truncated?)"_s.arg(venue.possessive, jsonError),
            bodySnippet(o.body));
    } else {
        e = Error(Error::Category::Parse,
                  u"%1 answer is JSON but not %2"_s.arg(venue.possessive, venue.envelope),
                  bodySnippet(o.body));
    }
    // A body cut short by a dropped connection is the network's fault, not the venue's.
    if (o.networkError != QNetworkReply::NoError)
        e = Error(Error::Category::Network,
                  u"the connection broke before %1 answer was complete: %2"_s.arg(
                      venue.possessive, o.networkErrorText),
                  e.message());
    e.setHttpStatus(o.httpStatus);
    return e;
}

} // namespace

QString bodySnippet(const QByteArray &body) {
    QString s = QString::fromUtf8(body.left(160)).simplified();
    if (body.size() > 160)
        s += u"…"_s;
    return s;
}

Error httpStatusError(const HttpOutcome &o, const HttpVenueText &venue) {
    const QString reason = o.httpStatus == 429   ? u"too many requests"_s
                           : o.httpStatus >= 500 ? u"%1 server failed"_s.arg(venue.possessive)
                                                 : u"request rejected"_s;
    QString detail;
    if (looksLikeHtml(o.contentType, o.body)) {
        const QString title = htmlTitle(o.body);
        const QString why =
            u"(a proxy or Cloudflare answered instead of %1 API)"_s.arg(venue.possessive);
        detail = title.isEmpty() ? u"an HTML page %1: %2"_s.arg(why, bodySnippet(o.body))
                                 : u"an HTML page titled \"%1\" %2"_s.arg(title, why);
    } else if (!o.body.isEmpty()) {
        detail = u"body: "_s + bodySnippet(o.body);
    }
    Error e(o.httpStatus == 429 ? Error::Category::RateLimited : Error::Category::Http,
            u"HTTP %1: %2"_s.arg(o.httpStatus).arg(reason), detail);
    e.setHttpStatus(o.httpStatus);
    return e;
}

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

Error classifyHttpOutcome(const HttpOutcome &o, const HttpVenueText &venue,
                          const std::function<EnvelopeRead()> &readEnvelope) {
    if (o.timedOut)
        return Error(Error::Category::Timeout,
                     u"no answer from %1 within %2 s"_s.arg(venue.name).arg(o.timeoutMs / 1000.0));
    if (o.aborted)
        return Error(Error::Category::Network, u"the request was cancelled"_s);
    // The venue's error body wins over the HTTP status: it says more.
    EnvelopeRead read = readEnvelope();
    if (read.recognised)
        return read.error;
    return nonEnvelopeError(o, venue, read.jsonError);
}

} // namespace kraken
