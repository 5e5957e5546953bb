#include "ircformatting.h"

#include <QRegularExpression>

namespace tktalk::client {

QString stripIrcFormatting(const QString &text)
{
    // ^C with up to two colour numbers (foreground, background); ^B ^O ^Q ^V ^] ^^ ^_ alone.
    static const QRegularExpression codes(QStringLiteral("\x03(\\d{1,2}(,\\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]"));
    QString result = text;
    result.remove(codes);
    for (QChar &c : result) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    return result;
}

} // namespace tktalk::client
