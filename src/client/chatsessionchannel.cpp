// ChatSession, continued: what running a room looks like from here. MODE, KICK, TOPIC and INVITE as
// any server sends them, read with the mode syntax the server announced (CHANMODES, PREFIX).

#include "chatsession.h"

#include "protocol/names.h"

namespace tktalk::client {

using protocol::Message;

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QString joined(const QByteArrayList &params)
{
    return text(params.join(' '));
}

} // namespace

void ChatSession::leftRoom(const QString &room)
{
    if (Conversation *conversation = m_conversations.find(room))
        conversation->setJoined(false);
    refreshRoom();
}

Conversation *ChatSession::conversationFor(const QString &room)
{
    Conversation *conversation = m_conversations.find(room);
    return conversation ? conversation : m_conversations.server();
}

void ChatSession::onMode(const Message &message)
{
    // MODE <target> <modestring> [<arguments>...]
    const QString who = text(message.sourceNick());
    const QString target = text(message.param(0));
    const QString modes = joined(message.params.mid(1));
    // A user's modes, or a room's we are not in: only told.
    Conversation *conversation = joinedChannel(target);
    if (!protocol::isChannelName(message.param(0)) || !conversation) {
        serverLine(tr("%1 sets mode %2 on %3.").arg(who, modes, target));
        return;
    }
    const auto changes = protocol::parseModeChanges(m_modeSyntax, message.param(1), message.params.mid(2));
    for (const protocol::ModeChange &change : changes) {
        const char symbol = m_modeSyntax.symbolFor(change.letter);
        if (symbol && change.param)
            conversation->members()->setMembership(text(*change.param), QLatin1Char(symbol), change.adding);
    }
    conversation->addSystemLine(tr("%1 sets mode %2.").arg(who, modes));
}

void ChatSession::onKick(const Message &message)
{
    // KICK <room> <nick> [:<reason>]
    const QString who = text(message.sourceNick());
    const QString room = text(message.param(0));
    const QString victim = text(message.param(1));
    const QString reason = text(message.param(2));
    const QString because = reason.isEmpty() || reason == who ? QString() : tr(" (%1)").arg(reason);
    if (isSelf(victim)) {
        leftRoom(room);
        conversationFor(room)->addSystemLine(tr("%1 put you out of %2%3.").arg(who, room, because),
                                             MessageModel::Kind::Error);
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (!conversation)
        return;
    conversation->members()->remove(victim);
    conversation->addSystemLine(tr("%1 put %2 out%3.").arg(who, victim, because));
}

void ChatSession::onTopic(const Message &message)
{
    // TOPIC <room> :<topic>; an empty topic clears it.
    const QString who = text(message.sourceNick());
    const QString room = text(message.param(0));
    const QString topic = text(message.param(1));
    conversationFor(room)->addSystemLine(topic.isEmpty() ? tr("%1 cleared the topic of %2.").arg(who, room)
                                                         : tr("%1 set the topic of %2: %3").arg(who, room, topic));
}

void ChatSession::onInvite(const Message &message)
{
    // INVITE <nick> <room>: to us, or (invite-notify) to someone else.
    const QString who = text(message.sourceNick());
    const QString invited = text(message.param(0));
    const QString room = text(message.param(1));
    if (isSelf(invited))
        system(tr("%1 invites you to %2: type /join %2 to go there.").arg(who, room), MessageModel::Kind::Notice);
    else
        conversationFor(room)->addSystemLine(tr("%1 invited %2 to %3.").arg(who, invited, room));
}

void ChatSession::onChannelReply(const Message &message)
{
    if (m_channels.expectsReply(message))
        return; // the answer to a question of the client's own (the modes on joining, the bans)
    const QByteArray &numeric = message.command;
    const QString first = text(message.param(1)); // the room, but for 341 the nick
    if (numeric == "324") // <me> <room> <modestring> [<arguments>...]
        conversationFor(first)->addSystemLine(tr("Modes of %1: %2").arg(first, joined(message.params.mid(2))));
    else if (numeric == "341") // <me> <nick> <room>
        system(tr("You invited %1 to %2.").arg(first, text(message.param(2))));
    else if (numeric == "367") // <me> <room> <mask> [<who> <when>]
        conversationFor(first)->addSystemLine(tr("Banned from %1: %2").arg(first, text(message.param(2))));
}

} // namespace tktalk::client
