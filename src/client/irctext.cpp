#include "irctext.h"

#include "protocol/servertime.h"

#include <QRegularExpression>

namespace tktalk::client {

QString lastParamText(const protocol::Message &message)
{
    return ircText(message.params.value(message.params.size() - 1));
}

QString stripFormatting(const QString &input)
{
    static const QRegularExpression codes(QStringLiteral("\x03(\\d{1,2}(,\\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]"));
    QString result = input;
    result.remove(codes);
    return result;
}

QDateTime sentAt(const protocol::Message &message)
{
    const std::optional<QByteArray> time = message.tag("time");
    const std::optional<qint64> ms = time ? protocol::parseServerTime(*time) : std::nullopt;
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC) : QDateTime();
}

} // namespace tktalk::client
