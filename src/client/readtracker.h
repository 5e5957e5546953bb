#pragma once

#include "conversationlist.h"
#include "networkstate.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace tktalk::client {

class ServerLink;

/**
 * @brief How far the user read each conversation, on any of their devices (IRCv3
 * draft/read-marker): tells the server, shortly after the newest line of the conversation shown
 * in an active window arrived, and moves a conversation's marker (and so its unread count) when the
 * server says another device read it. For accounts only: a guest has no other devices.
 */
class ReadTracker : public QObject
{
    Q_OBJECT
public:
    /// Lines read are reported to the server (MARKREAD) this long after the last one arrived.
    static constexpr int kMarkReadDelayMs = 500;

    ReadTracker(ServerLink &link, NetworkState &network, ConversationList &conversations, QObject *parent = nullptr);

    /// Takes a MARKREAD from the server; returns whether @p message was one.
    bool handle(const protocol::Message &message);
    void setWindowActive(bool active);
    /// A line arrived as it was said in @p conversation.
    void onLiveLine(Conversation *conversation);
    /// History came into @p conversation: it may hold lines after the marker.
    void onHistoryArrived(Conversation *conversation);

private:
    bool enabled() const;
    /// Whether the user is looking at @p conversation: it is shown, in an active window.
    bool lookedAt(const Conversation *conversation) const;
    void scheduleMarkRead();
    void markCurrentRead();
    /// Another conversation is shown: the one left gets its "new messages" mark moved on.
    void onCurrentChanged();

    ServerLink &m_link;
    NetworkState &m_network;
    ConversationList &m_conversations;
    QTimer m_markReadTimer;
    QPointer<Conversation> m_shown; ///< the current conversation, as last seen
    bool m_windowActive = true;
};

} // namespace tktalk::client
