#pragma once

#include "conversationlist.h"
#include "historyloader.h"
#include "networkstate.h"
#include "seenmessages.h"

#include <QDateTime>
#include <QObject>

namespace tktalk::client {

class ServerLink;

/**
 * @brief Sorts what is said into conversations: messages and notices (a channel's, or a private
 * conversation with their sender), the history the client asked for (HistoryLoader) in its place,
 * and the server's replies and errors as lines where they belong. Plain IRC as any server speaks
 * it, so the client works with other servers than tktalk.
 */
class MessageRouter : public QObject
{
    Q_OBJECT
public:
    MessageRouter(ServerLink &link, NetworkState &network, ConversationList &conversations,
                  QObject *parent = nullptr);

    /// Takes @p message when it is about what is said; returns whether it did.
    bool handle(const protocol::Message &message);

    /// A new connection: no history is under way; it is asked for only if the server offers it.
    void reset();
    /// Logged in (again): the lines for the server's conversation, and, after a reconnect, what was
    /// said privately meanwhile.
    void onRegistered(bool reconnected);
    /// The private conversation with @p nick, opened (and its history asked for) when there is none.
    Conversation *privateConversation(const QString &nick);
    /// The latest history of @p conversation (a channel just joined), or the gap since a reconnect.
    void loadLatest(Conversation &conversation) { m_history.loadLatest(conversation); }
    /// The lines before the oldest @p conversation shows (scrolled to the top).
    void loadOlder(Conversation &conversation) { m_history.loadOlder(conversation); }
    /// Asks for history only if the server acknowledged draft/chathistory and batch.
    void updateHistoryAvailability();

Q_SIGNALS:
    /// A line arrived as it was said (not history): @p own when the user said it elsewhere;
    /// @p mention when it names the user or is private.
    void liveLine(tktalk::client::Conversation *conversation, const QString &sender, const QString &text, bool own,
                  bool mention);
    /// A history answer for @p conversation ended: lines may have gone in before the newest.
    void historyArrived(tktalk::client::Conversation *conversation);

private:
    void onText(const protocol::Message &message);
    void onBatch(const protocol::Message &message);
    void onTopic(const protocol::Message &message);
    void onInvite(const protocol::Message &message);
    /// 324 (a room's modes), 341 (an invitation sent), 367 (a ban) shown as lines.
    void onChannelReply(const protocol::Message &message);
    void onErrorNumeric(const protocol::Message &message);
    /// The conversation of @p room when there is one, else the server's: where a line about it goes.
    Conversation *conversationFor(const QString &room) const;
    /// Whether @p entry, a line of the user's own from the server's history, is already shown as
    /// typed (without a msgid).
    static bool shownAsTyped(const MessageModel &messages, const MessageModel::Entry &entry);

    ServerLink &m_link;
    NetworkState &m_network;
    ConversationList &m_conversations;
    HistoryLoader m_history;
    SeenMessages m_seen; ///< not to show a played-back line twice
};

} // namespace tktalk::client
