#include "inputparser.h"

#include <QStringList>

namespace tktalk::client {

namespace {

using Kind = InputCommand::Kind;

InputCommand invalid(const QString &error)
{
    InputCommand command;
    command.kind = Kind::Invalid;
    command.error = error;
    return command;
}

/// Splits "word rest of line" at the first run of spaces.
std::pair<QString, QString> firstWord(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    if (space < 0)
        return {trimmed, QString()};
    return {trimmed.left(space), trimmed.mid(space + 1).trimmed()};
}

/// Takes a leading "#room" off @p arguments and returns it (or an empty string).
QString takeRoom(QString &arguments)
{
    if (!arguments.startsWith(QLatin1Char('#')))
        return {};
    auto [room, rest] = firstWord(arguments);
    arguments = rest;
    return room;
}

QStringList words(const QString &text)
{
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

/// `/op`, `/ban` and the like: `[#room] word [word...]`.
InputCommand roomCommandOnWords(Kind kind, QString arguments, const QString &usage)
{
    InputCommand command{kind, {}, {}, {}, takeRoom(arguments), words(arguments)};
    if (command.args.isEmpty())
        return invalid(QStringLiteral("Usage: %1").arg(usage));
    return command;
}

/// The room commands, or None when @p name is not one.
InputCommand roomCommand(const QString &name, QString arguments)
{
    if (name == QLatin1String("op"))
        return roomCommandOnWords(Kind::Op, arguments, QStringLiteral("/op nick [nick...]"));
    if (name == QLatin1String("deop"))
        return roomCommandOnWords(Kind::Deop, arguments, QStringLiteral("/deop nick [nick...]"));
    if (name == QLatin1String("voice"))
        return roomCommandOnWords(Kind::Voice, arguments, QStringLiteral("/voice nick [nick...]"));
    if (name == QLatin1String("devoice"))
        return roomCommandOnWords(Kind::Devoice, arguments, QStringLiteral("/devoice nick [nick...]"));
    if (name == QLatin1String("ban"))
        return roomCommandOnWords(Kind::Ban, arguments, QStringLiteral("/ban nick or nick!user@host"));
    if (name == QLatin1String("unban"))
        return roomCommandOnWords(Kind::Unban, arguments, QStringLiteral("/unban nick or nick!user@host"));
    if (name == QLatin1String("kick")) {
        const QString room = takeRoom(arguments);
        const auto [nick, reason] = firstWord(arguments);
        if (nick.isEmpty())
            return invalid(QStringLiteral("Usage: /kick nick [reason]"));
        return InputCommand{Kind::Kick, nick, reason, {}, room, {}};
    }
    if (name == QLatin1String("mode")) {
        const QString room = takeRoom(arguments);
        return InputCommand{Kind::Mode, {}, {}, {}, room, words(arguments)};
    }
    if (name == QLatin1String("topic")) {
        const QString room = takeRoom(arguments);
        return InputCommand{Kind::Topic, {}, arguments, {}, room, {}};
    }
    if (name == QLatin1String("invite")) {
        const auto [nick, rest] = firstWord(arguments);
        QString room = rest;
        if (nick.isEmpty() || nick.startsWith(QLatin1Char('#')) || (!room.isEmpty() && !room.startsWith(QLatin1Char('#')))
            || room.contains(QLatin1Char(' ')))
            return invalid(QStringLiteral("Usage: /invite nick [#room]"));
        return InputCommand{Kind::Invite, nick, {}, {}, room, {}};
    }
    return {};
}

InputCommand privateMessage(const QString &arguments, const QString &usage)
{
    const auto [nick, text] = firstWord(arguments);
    if (nick.isEmpty() || text.isEmpty())
        return invalid(QStringLiteral("Usage: %1").arg(usage));
    return InputCommand{Kind::Private, nick, text, {}, {}, {}};
}

} // namespace

InputCommand parseInput(const QString &line)
{
    if (line.trimmed().isEmpty())
        return {};
    if (line.trimmed() == QLatin1String(".exit"))
        return InputCommand{Kind::Exit, {}, {}, {}, {}, {}};
    if (line.startsWith(QLatin1String("//")))
        return InputCommand{Kind::Say, {}, line.mid(1), {}, {}, {}};
    if (line.startsWith(QLatin1String("/@")))
        return privateMessage(line.mid(2), QStringLiteral("/@nick message"));
    if (!line.startsWith(QLatin1Char('/')))
        return InputCommand{Kind::Say, {}, line, {}, {}, {}};

    const auto [word, arguments] = firstWord(line.mid(1));
    const QString name = word.toLower();
    if (name == QLatin1String("u") || name == QLatin1String("who") || name == QLatin1String("names"))
        return InputCommand{Kind::Who, {}, {}, {}, {}, {}};
    if (name == QLatin1String("msg") || name == QLatin1String("query"))
        return privateMessage(arguments, QStringLiteral("/msg nick message"));
    if (name == QLatin1String("me")) {
        if (arguments.isEmpty())
            return invalid(QStringLiteral("Usage: /me action"));
        return InputCommand{Kind::Action, {}, arguments, {}, {}, {}};
    }
    if (name == QLatin1String("nick")) {
        const auto [nick, rest] = firstWord(arguments);
        if (nick.isEmpty() || !rest.isEmpty())
            return invalid(QStringLiteral("Usage: /nick newname"));
        return InputCommand{Kind::Nick, nick, {}, {}, {}, {}};
    }
    if (name == QLatin1String("join")) {
        auto [room, rest] = firstWord(arguments);
        if (room.isEmpty() || !rest.isEmpty())
            return invalid(QStringLiteral("Usage: /join #room"));
        if (!room.startsWith(QLatin1Char('#')))
            room.prepend(QLatin1Char('#'));
        return InputCommand{Kind::Join, room, {}, {}, {}, {}};
    }
    if (name == QLatin1String("quit"))
        return InputCommand{Kind::Quit, {}, arguments, {}, {}, {}};
    if (name == QLatin1String("help"))
        return InputCommand{Kind::Help, {}, {}, {}, {}, {}};
    if (InputCommand command = roomCommand(name, arguments); command.kind != Kind::None)
        return command;
    return invalid(QStringLiteral("Unknown command /%1. Type /help for the list, or // to send a line that "
                                  "starts with /.")
                       .arg(word));
}

QStringList inputHelp()
{
    return {
        QStringLiteral("Commands:"),
        QStringLiteral("  text                  send to the room"),
        QStringLiteral("  /@nick message        private message (also /msg nick message)"),
        QStringLiteral("  /u                    who is online"),
        QStringLiteral("  /me action            describe what you do"),
        QStringLiteral("  /nick newname         change your nickname"),
        QStringLiteral("  /join #room           join (and switch to) another room"),
        QStringLiteral("  /quit [reason]        leave, back to the login screen"),
        QStringLiteral("Running a room (operators; a #room may come first, else the current one):"),
        QStringLiteral("  /op, /deop nick       give or take operator status (also /voice, /devoice)"),
        QStringLiteral("  /kick nick [reason]   put someone out of the room"),
        QStringLiteral("  /ban, /unban mask     keep out a nick or nick!user@host (~a:account: an account)"),
        QStringLiteral("  /invite nick [#room]  invite someone (needed in an invite-only room)"),
        QStringLiteral("  /topic [text]         show or set the topic"),
        QStringLiteral("  /mode [+modes args]   show or change the room's modes, e.g. /mode +m"),
        QStringLiteral("  .exit                 leave and close tktalk"),
        QStringLiteral("  //text                send text that starts with /"),
        QStringLiteral("Keys: Enter sends, Shift+Enter new line, Up/Down earlier input, Tab completes a nick."),
    };
}

} // namespace tktalk::client
