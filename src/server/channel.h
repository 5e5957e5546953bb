#pragma once

#include "channelmodes.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace tktalk::server {

class ClientSession;
class Outgoing;

/// @brief A chat room: its members, in join order, with their status (+o, +v), its modes and its topic.
class Channel
{
public:
    /// A member's status in the channel; the ranks of ISUPPORT PREFIX=(ov)@+.
    enum class Status : quint8 {
        Operator = 1 << 0, ///< +o, shown as '@'
        Voice = 1 << 1,    ///< +v, shown as '+'
    };

    /// @p id is unique among the channels of one server run: an invitation names it, so that it
    /// does not carry over to a new channel of the same name.
    Channel(QByteArray name, qint64 createdAtSecs, quint64 id);

    const QByteArray &name() const { return m_name; }
    qint64 createdAtSecs() const { return m_createdAtSecs; }
    quint64 id() const { return m_id; }

    const QList<ClientSession *> &members() const { return m_members; }
    bool isEmpty() const { return m_members.isEmpty(); }
    void addMember(ClientSession *client);
    void removeMember(ClientSession *client);
    /// @p to takes @p from's place, with its status: a user's session taking over from another.
    void replaceMember(ClientSession *from, ClientSession *to);

    ChannelModes &modes() { return m_modes; }
    const ChannelModes &modes() const { return m_modes; }

    bool hasStatus(const ClientSession *member, Status status) const
    {
        return (m_status.value(member) & quint8(status)) != 0;
    }
    bool isOperator(const ClientSession *member) const { return hasStatus(member, Status::Operator); }
    /// True for +v and for +o: both may speak when the channel is moderated or they are banned.
    bool hasVoiceOrMore(const ClientSession *member) const { return m_status.value(member) != 0; }
    /// Gives or takes @p status; false when the member already had it that way.
    bool setStatus(const ClientSession *member, Status status, bool on);
    /// The member's prefix symbols, highest first: "@+" with @p all (IRCv3 multi-prefix), else "@".
    QByteArray prefixOf(const ClientSession *member, bool all) const;

    const QByteArray &topic() const { return m_topic; }
    const QByteArray &topicSetBy() const { return m_topicSetBy; }
    qint64 topicSetAtSecs() const { return m_topicSetAtSecs; }
    void setTopic(QByteArray topic, QByteArray setBy, qint64 atSecs);

    /// Sends @p message to every member but @p except.
    void broadcast(Outgoing &message, const ClientSession *except = nullptr) const;

private:
    QByteArray m_name;
    qint64 m_createdAtSecs;
    quint64 m_id;
    QList<ClientSession *> m_members;
    QHash<const ClientSession *, quint8> m_status; ///< only members with a status
    ChannelModes m_modes;
    QByteArray m_topic;
    QByteArray m_topicSetBy;
    qint64 m_topicSetAtSecs = 0;
};

} // namespace tktalk::server
