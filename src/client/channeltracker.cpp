#include "channeltracker.h"

#include "conversationlist.h"
#include "irctext.h"
#include "protocol/names.h"
#include "protocol/servertime.h"

namespace tktalk::client {

using protocol::Message;

namespace {

/// When @p message was sent: its server-time tag, else now.
QDateTime sentAtOrNow(const Message &message)
{
    const QDateTime time = sentAt(message);
    return time.isValid() ? time : QDateTime::currentDateTimeUtc();
}

/// A time in seconds since 1970 as servers send it (333, 367); invalid when it is not one.
QDateTime fromSeconds(const QByteArray &seconds)
{
    bool ok = false;
    const qint64 value = seconds.toLongLong(&ok);
    return ok && value > 0 ? QDateTime::fromSecsSinceEpoch(value, Qt::UTC) : QDateTime();
}

} // namespace

ChannelTracker::ChannelTracker(IrcConnection &connection, const NetworkState &network, ConversationList &conversations,
                               QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_network(network)
    , m_conversations(conversations)
    , m_whois(connection, conversations)
{
    connect(&conversations, &ConversationList::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onConversationsInserted(first, last); });
    onConversationsInserted(0, conversations.count() - 1);
}

void ChannelTracker::onConversationsInserted(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        Conversation *conversation = m_conversations.at(row);
        ChannelState *state = conversation ? conversation->channel() : nullptr;
        if (!state)
            continue;
        state->setServerRules(m_network.modeSyntax(), m_network.maxModesPerLine());
        connect(state, &ChannelState::sendRequested, &m_connection, &IrcConnection::send);
        connect(conversation, &Conversation::joinedChanged, this,
                [this, conversation] { onJoinedChanged(*conversation); });
        if (conversation->joined())
            onJoinedChanged(*conversation);
    }
}

void ChannelTracker::onJoinedChanged(Conversation &conversation)
{
    if (!conversation.joined())
        return;
    // What JOIN does not tell: the modes, and who is away (WHO's H and G).
    conversation.channel()->requestModes();
    m_connection.send(Message("WHO", {conversation.name().toUtf8()}));
}

ChannelState *ChannelTracker::channel(const QByteArray &name) const
{
    if (!protocol::isChannelName(name))
        return nullptr;
    Conversation *conversation = m_conversations.find(ircText(name));
    return conversation ? conversation->channel() : nullptr;
}

bool ChannelTracker::expectsReply(const Message &reply) const
{
    // Asked of every line: only the replies a ChannelState asks for look up their channel.
    const QByteArray &numeric = reply.command;
    if (numeric != "324" && numeric != "367" && numeric != "368")
        return false;
    const ChannelState *state = channel(reply.param(1)); // <me> <channel> ...
    return state && state->expectsReply(reply.command);
}

void ChannelTracker::onMessage(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "001" || command == "005") {
        // NetworkState has read the server's rules (anew for each connection) before this line
        // reaches here: the channels take them.
        applyServerRules();
    } else if (command == "332") { // <me> <channel> :<topic>
        if (ChannelState *state = channel(message.param(1)))
            state->setTopicFromServer(stripFormatting(ircText(message.param(2))));
    } else if (command == "333") { // <me> <channel> <who> <when>
        if (ChannelState *state = channel(message.param(1)))
            state->setTopicDetails(ircText(message.param(2)), fromSeconds(message.param(3)));
    } else if (command == "331") { // <me> <channel> :No topic is set
        if (ChannelState *state = channel(message.param(1)))
            state->setTopicFromServer({});
    } else if (command == "TOPIC") { // <channel> :<topic>
        if (ChannelState *state = channel(message.param(0)))
            state->setTopicFromServer(stripFormatting(ircText(message.param(1))), ircText(message.sourceNick()),
                                      sentAtOrNow(message));
    } else if (command == "324") { // <me> <channel> <modes> [<arguments>...]
        if (ChannelState *state = channel(message.param(1)))
            state->setModesFromServer(message.param(2), message.params.mid(3));
    } else if (command == "MODE") { // <channel> <modes> [<arguments>...]
        if (ChannelState *state = channel(message.param(0)))
            state->applyModeLine(ircText(message.sourceNick()), message.param(1), message.params.mid(2));
    } else if (command == "367") { // <me> <channel> <mask> [<who> <when>]
        if (ChannelState *state = channel(message.param(1)))
            state->banListed(ircText(message.param(2)), ircText(message.param(3)), fromSeconds(message.param(4)));
    } else if (command == "368") { // <me> <channel> :End of channel ban list
        if (ChannelState *state = channel(message.param(1)))
            state->banListEnded();
    } else if (command == "403" || command == "442" || command == "482") { // <me> <channel> :<why>
        if (ChannelState *state = channel(message.param(1)))
            state->requestRefused();
    } else if (command == "352") {
        onWhoReply(message);
    } else if (command == "AWAY") { // away-notify: AWAY :<message> when going away, AWAY when back
        setAway(ircText(message.sourceNick()), !message.param(0).isEmpty(),
                stripFormatting(ircText(message.param(0))));
    } else if (command == "301") { // <me> <nick> :<message>
        setAway(ircText(message.param(1)), true, stripFormatting(ircText(message.param(2))));
    } else if (command == "305" || command == "306") { // <me> :You are no longer / now marked as away
        setAway(ircText(message.param(0)), command == "306", {});
    }
}

void ChannelTracker::applyServerRules()
{
    for (int row = 0; row < m_conversations.count(); ++row) {
        if (ChannelState *state = m_conversations.at(row)->channel())
            state->setServerRules(m_network.modeSyntax(), m_network.maxModesPerLine());
    }
}

void ChannelTracker::onWhoReply(const Message &message)
{
    // 352 <me> <channel> <user> <host> <server> <nick> <H|G>[*][prefixes] :<hops> <real name>
    const QString nick = ircText(message.param(5));
    const bool away = message.param(6).startsWith('G');
    if (Conversation *conversation = m_conversations.find(ircText(message.param(1)));
        conversation && conversation->kind() == Conversation::Kind::Channel) {
        conversation->members()->setAway(nick, away);
        return;
    }
    setAway(nick, away, {});
}

void ChannelTracker::setAway(const QString &nick, bool away, const QString &message)
{
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->members()->setAway(nick, away, message);
}

} // namespace tktalk::client
