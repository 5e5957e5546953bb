#include "motd.h"

#include "protocol/names.h"

#include <QFile>

namespace tktalk::server {

QByteArrayList defaultMotd(const QByteArray &channel)
{
    QByteArrayList lines{"Welcome to tktalk, a secure chat server."};
    if (!channel.isEmpty())
        lines << "You are in " + channel + " with everyone else who is online." << "Type a message and press Enter to talk to the room.";
    lines << ""
          << "In the tktalk client:"
          << "  /@nick message   send a private message to nick"
          << "  /u               list the users who are online"
          << "  .exit            leave the chat"
          << ""
          << "In any IRC client: /msg nick message, /names, /join #room, /quit.";
    return lines;
}

QByteArrayList readMotdFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read MOTD file %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray text = file.readAll();
    if (!protocol::isValidUtf8(text)) {
        *error = QStringLiteral("MOTD file %1 is not UTF-8").arg(path);
        return {};
    }
    QByteArrayList lines;
    for (QByteArray line : text.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        line.replace('\0', ' ');
        lines << line;
    }
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace tktalk::server
