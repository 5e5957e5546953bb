#pragma once

#include <QByteArray>
#include <QList>

namespace tktalk::server {

class ClientSession;
class Outgoing;

/// @brief A chat room: its members, in join order, and its topic.
class Channel
{
public:
    Channel(QByteArray name, qint64 createdAtSecs);

    const QByteArray &name() const { return m_name; }
    qint64 createdAtSecs() const { return m_createdAtSecs; }

    const QList<ClientSession *> &members() const { return m_members; }
    bool isEmpty() const { return m_members.isEmpty(); }
    void addMember(ClientSession *client);
    void removeMember(ClientSession *client);

    const QByteArray &topic() const { return m_topic; }
    const QByteArray &topicSetBy() const { return m_topicSetBy; }
    qint64 topicSetAtSecs() const { return m_topicSetAtSecs; }
    void setTopic(QByteArray topic, QByteArray setBy, qint64 atSecs);

    /// Sends @p message to every member but @p except.
    void broadcast(Outgoing &message, const ClientSession *except = nullptr) const;

private:
    QByteArray m_name;
    qint64 m_createdAtSecs;
    QList<ClientSession *> m_members;
    QByteArray m_topic;
    QByteArray m_topicSetBy;
    qint64 m_topicSetAtSecs = 0;
};

} // namespace tktalk::server
