#include "channel.h"

#include "clientsession.h"

namespace tktalk::server {

Channel::Channel(QByteArray name, qint64 createdAtSecs)
    : m_name(std::move(name))
    , m_createdAtSecs(createdAtSecs)
{}

void Channel::addMember(ClientSession *client)
{
    m_members.append(client);
}

void Channel::removeMember(ClientSession *client)
{
    m_members.removeOne(client);
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
