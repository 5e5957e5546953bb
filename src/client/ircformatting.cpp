#include "ircformatting.h"

#include <QRegularExpression>

namespace tktalk::client {

QString stripIrcFormatting(const QString &input)
{
    static const QRegularExpression codes(QStringLiteral("\x03(\\d{1,2}(,\\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]"));
    QString result = input;
    result.remove(codes);
    return result;
}

} // namespace tktalk::client
