#include "channel.h"

#include "clientsession.h"

namespace tktalk::server {

Channel::Channel(QByteArray name, qint64 createdAtSecs, quint64 id)
    : m_name(std::move(name))
    , m_createdAtSecs(createdAtSecs)
    , m_id(id)
{}

void Channel::addMember(ClientSession *client)
{
    m_members.append(client);
}

void Channel::removeMember(ClientSession *client)
{
    m_members.removeOne(client);
    m_status.remove(client);
}

void Channel::replaceMember(ClientSession *from, ClientSession *to)
{
    const qsizetype index = m_members.indexOf(from);
    if (index < 0)
        return;
    m_members[index] = to;
    if (const quint8 status = m_status.take(from))
        m_status.insert(to, status);
}

bool Channel::setStatus(const ClientSession *member, Status status, bool on)
{
    if (hasStatus(member, status) == on)
        return false;
    const quint8 updated = m_status.value(member) ^ quint8(status);
    if (updated == 0)
        m_status.remove(member);
    else
        m_status.insert(member, updated);
    return true;
}

QByteArray Channel::prefixOf(const ClientSession *member, bool all) const
{
    QByteArray prefix;
    if (isOperator(member))
        prefix += '@';
    if (hasStatus(member, Status::Voice) && (all || prefix.isEmpty()))
        prefix += '+';
    return prefix;
}

void Channel::setTopic(QByteArray topic, QByteArray setBy, qint64 atSecs)
{
    m_topic = std::move(topic);
    m_topicSetBy = std::move(setBy);
    m_topicSetAtSecs = atSecs;
}

void Channel::broadcast(Outgoing &message, const ClientSession *except) const
{
    for (ClientSession *member : m_members) {
        if (member != except)
            member->deliver(message);
    }
}

} // namespace tktalk::server
