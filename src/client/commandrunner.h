#pragma once

#include "conversationlist.h"
#include "inputparser.h"
#include "networkstate.h"

#include <QObject>

namespace tktalk::client {

class MembershipTracker;
class MessageRouter;
class ServerLink;

/**
 * @brief Does what the user typed: a message to the current conversation (split to fit a line),
 * `/@nick` and `/msg` to a person, `/join`, `/u`, `/nick`, the channel commands (channelcommands.h),
 * `/quit` and `.exit`. `/@`, `/u` and `.exit` keep the meaning they had in the first tktalk; see
 * inputparser.h for the rest.
 */
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    enum class Result { Sent, Nothing, Rejected };

    CommandRunner(ServerLink &link, NetworkState &network, ConversationList &conversations,
                  MembershipTracker &membership, MessageRouter &router, QObject *parent = nullptr);

    Result execute(const InputCommand &command);
    /// Where plain text goes: the current channel, or the person of the current private conversation.
    QString currentTarget() const;
    /// @p text with its last word completed to a nick in the room (with ": " at the start of a line).
    QString completeNick(const QString &text) const;

private:
    void sendText(const QString &target, const QString &text, bool action);
    qsizetype maxTextBytes(const QString &target) const;
    /// A line of the client's own in the current conversation.
    void say(const QString &text, MessageModel::Kind kind = MessageModel::Kind::System);
    Result refuse(const QString &why);

    ServerLink &m_link;
    NetworkState &m_network;
    ConversationList &m_conversations;
    MembershipTracker &m_membership;
    MessageRouter &m_router;
};

} // namespace tktalk::client
