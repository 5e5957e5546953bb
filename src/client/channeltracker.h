#pragma once

#include "ircconnection.h"
#include "networkstate.h"
#include "protocol/modes.h"
#include "whoisreader.h"

#include <QObject>

namespace tktalk::client {

class ChannelState;
class Conversation;
class ConversationList;

/**
 * @brief Keeps every channel's ChannelState, and who is away in the member lists, up to date with
 * what the server says, and sends what the ChannelStates ask for.
 *
 * On joining a channel it asks for what the JOIN does not tell: its modes (MODE <channel>) and who
 * is away (WHO <channel>). Then it follows TOPIC and MODE lines (read with the server's CHANMODES
 * and PREFIX), the ban list (367/368), and IRCv3 away-notify (AWAY), 301 and 305/306 for away.
 *
 * It reads each message after ChatSession has: ChatSession asks expectsReply() whether a reply
 * answers a question of this object's (and then leaves it out of the transcript) before this object
 * takes the answer in and forgets the question. So ChatSession connects onMessage() after its own
 * handler. The conversations are ChatSession's too: this object finds them, and never opens one.
 */
class ChannelTracker : public QObject
{
    Q_OBJECT
public:
    ChannelTracker(IrcConnection &connection, const NetworkState &network, ConversationList &conversations,
                   QObject *parent = nullptr);

    /// Handles one message from the server; connected after ChatSession's handler.
    void onMessage(const protocol::Message &message);
    /// Whether @p reply (324, 367, 368) answers a question a ChannelState asked rather than the user.
    bool expectsReply(const protocol::Message &reply) const;

private:
    void onConversationsInserted(int first, int last);
    void onJoinedChanged(Conversation &conversation);
    /// Gives every channel the server's mode syntax and MODES, as NetworkState knows them.
    void applyServerRules();
    /// The ChannelState of channel @p name, or nullptr when there is no such conversation.
    ChannelState *channel(const QByteArray &name) const;
    /// Marks @p nick away or back in every member list that has them.
    void setAway(const QString &nick, bool away, const QString &message);
    /// A 352 WHO line: its H (here) or G (gone) flag.
    void onWhoReply(const protocol::Message &message);

    IrcConnection &m_connection;
    const NetworkState &m_network;
    ConversationList &m_conversations;
    WhoisReader m_whois;
};

} // namespace tktalk::client
