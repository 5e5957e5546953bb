#include "registry.h"

#include "channel.h"
#include "clientsession.h"
#include "protocol/names.h"

namespace tktalk::server {

using protocol::foldCase;

namespace {

/// Looks @p name up in @p table by its folded form, folded on the stack: a relayed private message
/// looks its recipient up, and that should not cost an allocation.
template<typename T>
T *findFolded(const QHash<QByteArray, T *> &table, QByteArrayView name)
{
    char folded[64];
    if (name.size() > qsizetype(sizeof folded))
        return table.value(foldCase(name), nullptr); // longer than any valid name: rare
    protocol::foldCaseInto(name, folded);
    return table.value(QByteArray::fromRawData(folded, name.size()), nullptr);
}

} // namespace

Registry::~Registry()
{
    qDeleteAll(m_channels);
}

ClientSession *Registry::findClient(QByteArrayView nick) const
{
    return findFolded(m_clients, nick);
}

ClientSession *Registry::findUser(QByteArrayView nick) const
{
    ClientSession *client = findClient(nick);
    return client && client->isRegistered() ? client : nullptr;
}

bool Registry::claimNick(ClientSession *client, QByteArrayView oldNick, QByteArrayView newNick)
{
    const QByteArray folded = foldCase(newNick);
    ClientSession *holder = m_clients.value(folded, nullptr);
    if (holder && holder != client)
        return false;
    if (!oldNick.isEmpty())
        m_clients.remove(foldCase(oldNick));
    m_clients.insert(folded, client);
    return true;
}

void Registry::releaseNick(ClientSession *client, QByteArrayView nick)
{
    if (nick.isEmpty())
        return;
    const QByteArray folded = foldCase(nick);
    auto it = m_clients.find(folded);
    if (it != m_clients.end() && it.value() == client)
        m_clients.erase(it);
}

void Registry::replaceClient(QByteArrayView nick, ClientSession *from, ClientSession *to)
{
    auto it = m_clients.find(foldCase(nick));
    if (it != m_clients.end() && it.value() == from)
        it.value() = to;
}

Channel *Registry::findChannel(QByteArrayView name) const
{
    return findFolded(m_channels, name);
}

Channel *Registry::findOrCreateChannel(QByteArrayView name, qint64 nowSecs)
{
    const QByteArray folded = foldCase(name);
    Channel *&channel = m_channels[folded];
    if (!channel)
        channel = new Channel(name.toByteArray(), nowSecs, ++m_lastChannelId);
    return channel;
}

void Registry::removeChannelIfEmpty(Channel *channel)
{
    if (!channel->isEmpty())
        return;
    if (m_keptWhenEmpty && m_keptWhenEmpty(channel->name()))
        return;
    const QByteArray folded = foldCase(channel->name());
    if (folded == m_permanentChannel) {
        // It stays, but starts over as a new channel would: modes set for its last members (an
        // invitation-only lobby, say) must not lock everyone out once nobody is left to lift them.
        channel->modes() = ChannelModes();
        return;
    }
    m_channels.remove(folded);
    delete channel;
}

void Registry::setPermanentChannel(QByteArrayView name)
{
    m_permanentChannel = foldCase(name);
}

void Registry::forEachPeer(const ClientSession &client, const std::function<void(ClientSession &)> &visit)
{
    // Marking visited clients with a fresh epoch avoids building a set on every QUIT or NICK.
    const quint64 epoch = ++m_visitEpoch;
    for (const Channel *channel : client.channels()) {
        for (ClientSession *member : channel->members()) {
            if (member == &client || member->visitMark() == epoch)
                continue;
            member->setVisitMark(epoch);
            visit(*member);
        }
    }
}

} // namespace tktalk::server
