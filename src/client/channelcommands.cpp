#include "channelcommands.h"

#include "protocol/limits.h"
#include "protocol/modes.h"
#include "protocol/names.h"

#include <QCoreApplication>

namespace tktalk::client {

namespace {

using Kind = InputCommand::Kind;
using protocol::Message;

QString tr(const char *text)
{
    return QCoreApplication::translate("ChannelCommands", text);
}

ChannelCommandLines failure(const QString &why)
{
    return ChannelCommandLines{{}, why};
}

/// The mode letter and sign of the commands that are mode changes: /op is "+o".
std::optional<std::pair<bool, char>> modeChangeOf(Kind kind)
{
    switch (kind) {
    case Kind::Op:
        return std::pair{true, 'o'};
    case Kind::Deop:
        return std::pair{false, 'o'};
    case Kind::Voice:
        return std::pair{true, 'v'};
    case Kind::Devoice:
        return std::pair{false, 'v'};
    case Kind::Ban:
        return std::pair{true, 'b'};
    case Kind::Unban:
        return std::pair{false, 'b'};
    default:
        return std::nullopt;
    }
}

ChannelCommandLines modeChanges(const QByteArray &room, bool adding, char letter, const QStringList &targets,
                                int maxModesPerLine)
{
    QList<protocol::ModeChange> changes;
    for (const QString &target : targets)
        changes << protocol::ModeChange{adding, letter, target.toUtf8()};
    // ":nick!user@host MODE #room " comes on top: the parameters keep well within a line.
    constexpr qsizetype kParamBytes = protocol::kMaxLineBodyBytes - 150;
    ChannelCommandLines lines;
    for (const QByteArrayList &params : protocol::formatModeLines(changes, maxModesPerLine, kParamBytes))
        lines.messages << Message("MODE", QByteArrayList{room} + params);
    return lines;
}

} // namespace

ChannelCommandLines channelCommandLines(const InputCommand &command, const QString &currentRoom,
                                        int maxModesPerLine, const QString &ownNick)
{
    const QString roomName = command.room.isEmpty() ? currentRoom : command.room;
    const auto isModeString = [](const QString &word) {
        return word.startsWith(QLatin1Char('+')) || word.startsWith(QLatin1Char('-'));
    };
    // /mode with a nick and modes, or with one's own nick, is about a user's modes, not a room's.
    const QStringList &args = command.args;
    const bool userMode = command.kind == Kind::Mode && command.room.isEmpty() && !args.isEmpty()
                          && !isModeString(args.first())
                          && ((args.size() > 1 && isModeString(args.at(1)))
                              || args.first().compare(ownNick, Qt::CaseInsensitive) == 0);
    if (roomName.isEmpty() && !userMode)
        return failure(tr("You are not in a room: name one first, as in /op #room nick."));
    const QByteArray room = roomName.toUtf8();
    if (!userMode && !protocol::isValidChannelName(room))
        return failure(tr("\"%1\" is not a valid room name.").arg(roomName));

    // A word with a leading ':' cannot go before the last parameter of a line.
    const QStringList words = args + QStringList{command.target};
    for (const QString &word : words) {
        if (word.startsWith(QLatin1Char(':')))
            return failure(tr("\"%1\" cannot be sent: a nick, mask or mode may not start with ':'.").arg(word));
    }

    if (const auto change = modeChangeOf(command.kind))
        return modeChanges(room, change->first, change->second, command.args, std::max(1, maxModesPerLine));

    switch (command.kind) {
    case Kind::Kick: {
        QByteArrayList params{room, command.target.toUtf8()};
        if (!command.text.isEmpty())
            params << command.text.toUtf8();
        return ChannelCommandLines{{Message("KICK", params)}, {}};
    }
    case Kind::Mode: {
        QByteArrayList params = userMode ? QByteArrayList{} : QByteArrayList{room};
        for (const QString &arg : args)
            params << arg.toUtf8();
        return ChannelCommandLines{{Message("MODE", params)}, {}};
    }
    case Kind::Topic:
        if (command.text.isEmpty())
            return ChannelCommandLines{{Message("TOPIC", {room})}, {}};
        return ChannelCommandLines{{Message("TOPIC", {room, command.text.toUtf8()})}, {}};
    case Kind::Invite:
        return ChannelCommandLines{{Message("INVITE", {command.target.toUtf8(), room})}, {}};
    default:
        return failure(tr("That is not a room command."));
    }
}

} // namespace tktalk::client
