// ChatSession, continued: what the user types, turned into IRC. `/@`, `/u` and `.exit` keep the meaning
// they had in the first tktalk; see inputparser.h for the rest.

#include "chatsession.h"

#include "channelcommands.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "textsplitter.h"

namespace tktalk::client {

using protocol::Message;

ChatSession::SendResult ChatSession::send(const QString &text, bool confirmed)
{
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    QStringList lines = normalised.split(QLatin1Char('\n'));
    lines.removeIf([](const QString &line) { return line.trimmed().isEmpty(); });
    if (lines.isEmpty())
        return SendResult::Nothing;
    if (lines.size() > kConfirmLines && !confirmed)
        return SendResult::NeedsConfirmation;
    m_history.add(text);
    if (lines.size() == 1)
        return execute(parseInput(lines.first()));
    // A paste is text, line by line: its lines are not commands.
    SendResult result = SendResult::Sent;
    for (const QString &line : std::as_const(lines)) {
        if (execute(InputCommand{InputCommand::Kind::Say, {}, line, {}, {}, {}}) != SendResult::Sent)
            result = SendResult::Rejected;
    }
    return result;
}

ChatSession::SendResult ChatSession::execute(const InputCommand &command)
{
    using Kind = InputCommand::Kind;
    const bool online = m_state == State::Connected;
    const auto offline = [this] {
        system(tr("Not connected: nothing was sent."), MessageModel::Kind::Error);
        return SendResult::Rejected;
    };
    switch (command.kind) {
    case Kind::None:
        return SendResult::Nothing;
    case Kind::Invalid:
        system(command.error, MessageModel::Kind::Error);
        return SendResult::Rejected;
    case Kind::Help:
        for (const QString &line : inputHelp())
            system(line);
        return SendResult::Sent;
    case Kind::Exit:
        m_exitAfterLeave = true;
        leave({});
        return SendResult::Sent;
    case Kind::Quit:
        leave(command.text);
        return SendResult::Sent;
    case Kind::Say:
    case Kind::Action: {
        if (!online)
            return offline();
        const QString target = currentTarget();
        if (target.isEmpty()) {
            system(tr("You are not in a room: /join #room, or /@nick message to one person."),
                   MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        sendText(target, command.text, command.kind == Kind::Action);
        return SendResult::Sent;
    }
    case Kind::Private:
        if (!online)
            return offline();
        if (!protocol::isValidNick(command.target.toUtf8())) {
            system(tr("\"%1\" is not a valid nickname.").arg(command.target), MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        m_conversations.activate(privateConversation(command.target));
        sendText(command.target, command.text, false);
        return SendResult::Sent;
    case Kind::Who:
        if (!online)
            return offline();
        if (room().isEmpty()) {
            system(tr("/u lists the people in a room: show a room you are in first."), MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        m_whoRequested = true;
        m_connection.send(Message("NAMES", {room().toUtf8()}));
        return SendResult::Sent;
    case Kind::Nick:
        if (!online)
            return offline();
        if (!protocol::isValidNick(command.target.toUtf8())) {
            system(tr("\"%1\" is not a valid nickname.").arg(command.target), MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        m_connection.send(Message("NICK", {command.target.toUtf8()}));
        return SendResult::Sent;
    case Kind::Join:
        if (!online)
            return offline();
        if (!protocol::isValidChannelName(command.target.toUtf8())) {
            system(tr("\"%1\" is not a valid room name.").arg(command.target), MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        m_joinRequested = foldNick(command.target, m_caseMapping);
        if (Conversation *joined = joinedChannel(command.target))
            m_conversations.activate(joined);
        else
            m_connection.send(Message("JOIN", {command.target.toUtf8()}));
        return SendResult::Sent;
    case Kind::Op:
    case Kind::Deop:
    case Kind::Voice:
    case Kind::Devoice:
    case Kind::Kick:
    case Kind::Ban:
    case Kind::Unban:
    case Kind::Mode:
    case Kind::Topic:
    case Kind::Invite: {
        if (!online)
            return offline();
        const ChannelCommandLines lines = channelCommandLines(command, room(), m_maxModesPerLine, m_nick);
        if (!lines.error.isEmpty()) {
            system(lines.error, MessageModel::Kind::Error);
            return SendResult::Rejected;
        }
        for (const Message &message : lines.messages)
            m_connection.send(message);
        return SendResult::Sent;
    }
    }
    return SendResult::Nothing;
}

QString ChatSession::currentTarget() const
{
    const Conversation *current = m_conversations.current();
    if (current->kind() == Conversation::Kind::Private)
        return current->name();
    return room();
}

qsizetype ChatSession::maxTextBytes(const QString &target) const
{
    // The server relays ":nick!user@host PRIVMSG target :text"; user and host are unknown here, so budget
    // for the longest usual ones (10 and 63 bytes) and for a CTCP ACTION wrapper.
    const qsizetype overhead = 1 + m_nick.toUtf8().size() + 1 + 10 + 1 + 63 + 1 + 8 + target.toUtf8().size() + 2 + 9;
    return protocol::kMaxLineBodyBytes - overhead;
}

void ChatSession::sendText(const QString &target, const QString &text, bool action)
{
    const bool toRoom = protocol::isChannelName(target.toUtf8());
    for (const QByteArray &piece : splitMessage(text, maxTextBytes(target))) {
        const QByteArray body = action ? "\x01" "ACTION " + piece + "\x01" : piece;
        m_connection.send(Message("PRIVMSG", {target.toUtf8(), body}));
        MessageModel::Entry entry;
        entry.sender = m_nick;
        entry.text = QString::fromUtf8(piece);
        if (action)
            entry.kind = MessageModel::Kind::Action;
        else
            entry.kind = toRoom ? MessageModel::Kind::Chat : MessageModel::Kind::PrivateOut;
        if (!toRoom)
            entry.peer = target;
        Conversation *conversation = m_conversations.find(target);
        if (!conversation)
            conversation = toRoom ? m_conversations.current() : privateConversation(target);
        conversation->messages()->append(std::move(entry));
    }
}

void ChatSession::loadOlder()
{
    if (m_state == State::Connected)
        m_historyLoader.loadOlder(*m_conversations.current());
}

void ChatSession::closeConversation(int row)
{
    if (row <= 0 || row >= m_conversations.count())
        return;
    const Conversation *conversation = m_conversations.at(row);
    if (conversation->kind() == Conversation::Kind::Channel && conversation->joined() && m_state == State::Connected)
        m_connection.send(Message("PART", {conversation->name().toUtf8()}));
    m_conversations.close(row);
}

void ChatSession::openPrivate(const QString &nick)
{
    if (!protocol::isValidNick(nick.toUtf8())) {
        system(tr("\"%1\" is not a valid nickname.").arg(nick), MessageModel::Kind::Error);
        return;
    }
    m_conversations.activate(privateConversation(nick));
}

QString ChatSession::completeNick(const QString &text) const
{
    const qsizetype start = text.lastIndexOf(QLatin1Char(' ')) + 1;
    QString word = text.mid(start);
    QString lead = text.left(start);
    if (word.startsWith(QLatin1String("/@"))) {
        lead += QStringLiteral("/@");
        word = word.mid(2);
    }
    if (word.isEmpty())
        return text;
    const QStringList matches = m_conversations.current()->members()->completions(word);
    if (matches.isEmpty())
        return text;
    QString completion = matches.first();
    if (matches.size() > 1) {
        // Several match: complete only as far as they agree.
        qsizetype common = completion.size();
        for (const QString &match : matches) {
            qsizetype i = 0;
            while (i < common && i < match.size() && match.at(i).toLower() == completion.at(i).toLower())
                ++i;
            common = i;
        }
        return lead + completion.left(std::max(common, word.size()));
    }
    if (lead.isEmpty())
        return completion + QStringLiteral(": ");
    return lead + completion + QLatin1Char(' ');
}

} // namespace tktalk::client
