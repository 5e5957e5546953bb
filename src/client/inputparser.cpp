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

InputCommand privateMessage(const QString &arguments, const QString &usage)
{
    const auto [nick, text] = firstWord(arguments);
    if (nick.isEmpty() || text.isEmpty())
        return invalid(QStringLiteral("Usage: %1").arg(usage));
    return InputCommand{Kind::Private, nick, text, {}};
}

} // namespace

InputCommand parseInput(const QString &line)
{
    if (line.trimmed().isEmpty())
        return {};
    if (line.trimmed() == QLatin1String(".exit"))
        return InputCommand{Kind::Exit, {}, {}, {}};
    if (line.startsWith(QLatin1String("//")))
        return InputCommand{Kind::Say, {}, line.mid(1), {}};
    if (line.startsWith(QLatin1String("/@")))
        return privateMessage(line.mid(2), QStringLiteral("/@nick message"));
    if (!line.startsWith(QLatin1Char('/')))
        return InputCommand{Kind::Say, {}, line, {}};

    const auto [word, arguments] = firstWord(line.mid(1));
    const QString name = word.toLower();
    if (name == QLatin1String("u") || name == QLatin1String("who") || name == QLatin1String("names"))
        return InputCommand{Kind::Who, {}, {}, {}};
    if (name == QLatin1String("msg") || name == QLatin1String("query"))
        return privateMessage(arguments, QStringLiteral("/msg nick message"));
    if (name == QLatin1String("me")) {
        if (arguments.isEmpty())
            return invalid(QStringLiteral("Usage: /me action"));
        return InputCommand{Kind::Action, {}, arguments, {}};
    }
    if (name == QLatin1String("nick")) {
        const auto [nick, rest] = firstWord(arguments);
        if (nick.isEmpty() || !rest.isEmpty())
            return invalid(QStringLiteral("Usage: /nick newname"));
        return InputCommand{Kind::Nick, nick, {}, {}};
    }
    if (name == QLatin1String("join")) {
        auto [room, rest] = firstWord(arguments);
        if (room.isEmpty() || !rest.isEmpty())
            return invalid(QStringLiteral("Usage: /join #room"));
        if (!room.startsWith(QLatin1Char('#')))
            room.prepend(QLatin1Char('#'));
        return InputCommand{Kind::Join, room, {}, {}};
    }
    if (name == QLatin1String("quit"))
        return InputCommand{Kind::Quit, {}, arguments, {}};
    if (name == QLatin1String("help"))
        return InputCommand{Kind::Help, {}, {}, {}};
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
        QStringLiteral("  .exit                 leave and close tktalk"),
        QStringLiteral("  //text                send text that starts with /"),
        QStringLiteral("Keys: Enter sends, Shift+Enter new line, Up/Down earlier input, Tab completes a nick."),
    };
}

} // namespace tktalk::client
