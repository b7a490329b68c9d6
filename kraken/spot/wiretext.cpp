#include "wiretext.h"

using namespace Qt::StringLiterals;

namespace kraken::spot::ws {

QString excerpt(std::string_view text, std::size_t max) {
    QString out;
    for (std::size_t i = 0; i < text.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out += (c >= 0x20 && c < 0x7f) ? QLatin1Char(char(c)) : QLatin1Char('?');
    }
    if (text.size() > max)
        out += u"..."_s;
    return out;
}

} // namespace kraken::spot::ws
