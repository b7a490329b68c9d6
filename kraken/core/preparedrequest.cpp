#include "preparedrequest.h"

namespace kraken {

QByteArray encodeForm(const Params &params) {
    QByteArray out;
    for (const auto &[key, value] : params) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key);
        out += '=';
        out += QUrl::toPercentEncoding(value);
    }
    return out;
}

QByteArray PreparedRequest::toHttpMessage() const {
    QByteArray out = verb + ' ' + url.toEncoded() + " HTTP/1.1\r\n";
    // Host and Content-Length are what the network stack adds; shown so the message is whole.
    QByteArray host = url.host().toUtf8();
    if (url.port() > 0)
        host += ':' + QByteArray::number(url.port());
    out += "Host: " + host + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty())
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace kraken
