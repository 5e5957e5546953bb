#pragma once

#include "conversationlist.h"
#include "ircconnection.h"
#include "networkstate.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace tktalk::client {

/**
 * @brief Who is where: keeps each channel's member list and joined state from JOIN, PART, QUIT,
 * NICK, KICK, MODE (ranks) and NAMES, says so in the conversations concerned, joins the default
 * room after login and the same rooms again after a reconnect.
 */
class MembershipTracker : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kDefaultRoom = "#lobby";

    MembershipTracker(IrcConnection &connection, NetworkState &network, ConversationList &conversations,
                      QObject *parent = nullptr);

    /// Takes @p message when it is about membership; returns whether it did.
    bool handle(const protocol::Message &message);

    /// The user asked to join @p room: it is shown once joined.
    void expectJoin(const QString &room);
    /// The user asked who is in a room (/u): the next NAMES reply is listed in its conversation.
    void expectListing() { m_listingRequested = true; }
    /// The joined channel @p room's conversation, or nullptr when we are not in it.
    Conversation *joinedChannel(const QString &room) const;
    /// The joined channels, the current one first.
    QStringList joinedRooms() const;
    /// The current conversation's channel while we are in it; empty otherwise.
    QString currentRoom() const;

    /// A new connection: NAMES replies under way are forgotten.
    void reset() { m_pendingNames.clear(); }
    /// The connection ended: no channel is joined; after a reconnect the same are joined again.
    void onDisconnected(bool willReconnect);

Q_SIGNALS:
    /// The user joined @p conversation's channel (again, after a reconnect).
    void selfJoined(tktalk::client::Conversation *conversation);

private:
    void onJoin(const protocol::Message &message);
    void onPart(const protocol::Message &message);
    void onQuit(const protocol::Message &message);
    void onNickChange(const protocol::Message &message);
    void onKick(const protocol::Message &message);
    void onMode(const protocol::Message &message);
    void onNames(const protocol::Message &message);
    void onEndOfNames(const protocol::Message &message);
    /// Joins the rooms of the last connection, or the default room, once logged in (MOTD's end).
    void joinRooms();
    /// A room this client is no longer in (PART, KICK): kept, with its transcript, as not joined.
    void leftRoom(const QString &room);
    /// The conversation of @p room when there is one, else the server's: where a line about it goes.
    Conversation *conversationFor(const QString &room) const;
    bool isPrivateWith(const Conversation &conversation, const QString &nick) const;

    IrcConnection &m_connection;
    NetworkState &m_network;
    ConversationList &m_conversations;
    QStringList m_rejoinRooms;
    QHash<QString, QStringList> m_pendingNames; ///< by folded room: NAMES replies until 366
    bool m_listingRequested = false;
    QString m_joinRequested; ///< the folded room the user asked to join: shown when joined
};

} // namespace tktalk::client
