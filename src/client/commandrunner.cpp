#include "commandrunner.h"

#include "channelcommands.h"
#include "membershiptracker.h"
#include "messagerouter.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "serverlink.h"
#include "textsplitter.h"

namespace tktalk::client {

using protocol::Message;

CommandRunner::CommandRunner(ServerLink &link, NetworkState &network, ConversationList &conversations,
                             MembershipTracker &membership, MessageRouter &router, QObject *parent)
    : QObject(parent), m_link(link), m_network(network), m_conversations(conversations), m_membership(membership),
      m_router(router)
{
}

void CommandRunner::say(const QString &text, MessageModel::Kind kind)
{
    m_conversations.current()->addSystemLine(text, kind);
}

CommandRunner::Result CommandRunner::refuse(const QString &why)
{
    say(why, MessageModel::Kind::Error);
    return Result::Rejected;
}

CommandRunner::Result CommandRunner::execute(const InputCommand &command)
{
    using Kind = InputCommand::Kind;
    const bool online = m_link.online();
    const QString notConnected = tr("Not connected: nothing was sent.");
    IrcConnection &connection = m_link.connection();
    switch (command.kind) {
    case Kind::None:
        return Result::Nothing;
    case Kind::Invalid:
        return refuse(command.error);
    case Kind::Help:
        for (const QString &line : inputHelp())
            say(line);
        return Result::Sent;
    case Kind::Exit:
        m_link.leave({}, true);
        return Result::Sent;
    case Kind::Quit:
        m_link.leave(command.text);
        return Result::Sent;
    case Kind::Say:
    case Kind::Action: {
        if (!online)
            return refuse(notConnected);
        const QString target = currentTarget();
        if (target.isEmpty())
            return refuse(tr("You are not in a room: /join #room, or /@nick message to one person."));
        sendText(target, command.text, command.kind == Kind::Action);
        return Result::Sent;
    }
    case Kind::Private:
        if (!online)
            return refuse(notConnected);
        if (!protocol::isValidNick(command.target.toUtf8()))
            return refuse(tr("\"%1\" is not a valid nickname.").arg(command.target));
        m_conversations.activate(m_router.privateConversation(command.target));
        sendText(command.target, command.text, false);
        return Result::Sent;
    case Kind::Who: {
        if (!online)
            return refuse(notConnected);
        const QString room = m_membership.currentRoom();
        if (room.isEmpty())
            return refuse(tr("/u lists the people in a room: show a room you are in first."));
        m_membership.expectListing();
        connection.send(Message("NAMES", {room.toUtf8()}));
        return Result::Sent;
    }
    case Kind::Nick:
        if (!online)
            return refuse(notConnected);
        if (!protocol::isValidNick(command.target.toUtf8()))
            return refuse(tr("\"%1\" is not a valid nickname.").arg(command.target));
        connection.send(Message("NICK", {command.target.toUtf8()}));
        return Result::Sent;
    case Kind::Join:
        if (!online)
            return refuse(notConnected);
        if (!protocol::isValidChannelName(command.target.toUtf8()))
            return refuse(tr("\"%1\" is not a valid room name.").arg(command.target));
        m_membership.expectJoin(command.target);
        if (Conversation *joined = m_membership.joinedChannel(command.target))
            m_conversations.activate(joined);
        else
            connection.send(Message("JOIN", {command.target.toUtf8()}));
        return Result::Sent;
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
            return refuse(notConnected);
        const ChannelCommandLines lines = channelCommandLines(command, m_membership.currentRoom(),
                                                              m_network.maxModesPerLine(), m_network.nick());
        if (!lines.error.isEmpty())
            return refuse(lines.error);
        for (const Message &message : lines.messages)
            connection.send(message);
        return Result::Sent;
    }
    }
    return Result::Nothing;
}

QString CommandRunner::currentTarget() const
{
    const Conversation *current = m_conversations.current();
    if (current->kind() == Conversation::Kind::Private)
        return current->name();
    return m_membership.currentRoom();
}

qsizetype CommandRunner::maxTextBytes(const QString &target) const
{
    // The server relays ":nick!user@host PRIVMSG target :text"; user and host are unknown here, so budget
    // for the longest usual ones (10 and 63 bytes) and for a CTCP ACTION wrapper.
    const qsizetype overhead =
        1 + m_network.nick().toUtf8().size() + 1 + 10 + 1 + 63 + 1 + 8 + target.toUtf8().size() + 2 + 9;
    return protocol::kMaxLineBodyBytes - overhead;
}

void CommandRunner::sendText(const QString &target, const QString &text, bool action)
{
    const bool toRoom = protocol::isChannelName(target.toUtf8());
    for (const QByteArray &piece : splitMessage(text, maxTextBytes(target))) {
        const QByteArray body = action ? "\x01" "ACTION " + piece + "\x01" : piece;
        m_link.connection().send(Message("PRIVMSG", {target.toUtf8(), body}));
        MessageModel::Entry entry;
        entry.sender = m_network.nick();
        entry.text = QString::fromUtf8(piece);
        if (action)
            entry.kind = MessageModel::Kind::Action;
        else
            entry.kind = toRoom ? MessageModel::Kind::Chat : MessageModel::Kind::PrivateOut;
        if (!toRoom)
            entry.peer = target;
        Conversation *conversation = m_conversations.find(target);
        if (!conversation)
            conversation = toRoom ? m_conversations.current() : m_router.privateConversation(target);
        conversation->messages()->append(std::move(entry));
    }
}

QString CommandRunner::completeNick(const QString &text) const
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
