#pragma once

#include "protocol/message.h"

#include <QDateTime>
#include <QString>

namespace tktalk::client {

/// A parameter as text: IRC carries UTF-8.
inline QString ircText(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

/// The last parameter of @p message (the trailing text of most replies), as text.
QString lastParamText(const protocol::Message &message);

/// @p input without mIRC formatting codes (bold, colours, italics, ...): they are shown as plain text.
QString stripFormatting(const QString &input);

/// When @p message was sent: its IRCv3 server-time tag, or an invalid time (which the models take
/// as now) when it has none or an unreadable one.
QDateTime sentAt(const protocol::Message &message);

} // namespace tktalk::client
