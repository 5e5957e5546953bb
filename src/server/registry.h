#pragma once

#include "monitors.h"

#include <QByteArray>
#include <QHash>

#include <functional>

namespace tktalk::server {

class Channel;
class ClientSession;

/**
 * @brief The server's shared state: who holds which nickname, and which channels exist.
 *
 * Keys are folded with the announced casemapping, so "Bob" and "bob" are one nickname.
 */
class Registry
{
public:
    Registry() = default;
    ~Registry();
    Registry(const Registry &) = delete;
    Registry &operator=(const Registry &) = delete;

    /// The client holding @p nick (registered or not), or nullptr.
    ClientSession *findClient(QByteArrayView nick) const;
    /// The registered client holding @p nick, or nullptr.
    ClientSession *findUser(QByteArrayView nick) const;
    /// Claims @p nick for @p client, releasing the client's previous nick. False if someone else holds it.
    bool claimNick(ClientSession *client, QByteArrayView oldNick, QByteArrayView newNick);
    void releaseNick(ClientSession *client, QByteArrayView nick);
    /// @p nick, held by @p from, is @p to's now: a user's session taking over from another.
    void replaceClient(QByteArrayView nick, ClientSession *from, ClientSession *to);
    qsizetype userCount() const { return m_registeredUsers; }
    /// Connections that have not finished registering (LUSERS' "unknown connections").
    qsizetype unregisteredCount() const { return m_unregistered; }
    void countArrival() { ++m_unregistered; }
    void countRegistration()
    {
        --m_unregistered;
        ++m_registeredUsers;
    }
    void countDeparture(bool wasRegistered) { --(wasRegistered ? m_registeredUsers : m_unregistered); }
    /// A connection finished registering as another session of a user already counted.
    void countAttachment() { --m_unregistered; }
    /// Server operators (user mode +o) connected now (LUSERS' 252).
    qsizetype operatorCount() const { return m_operators; }
    void countOperator(bool gained) { m_operators += gained ? 1 : -1; }
    const QHash<QByteArray, ClientSession *> &clientsByNick() const { return m_clients; }

    Channel *findChannel(QByteArrayView name) const;
    /// The channel named @p name, created (at @p nowSecs) if it does not exist yet.
    Channel *findOrCreateChannel(QByteArrayView name, qint64 nowSecs);
    /// Deletes @p channel if nobody is in it, unless it is the permanent default channel, whose
    /// modes are reset to a new channel's instead.
    void removeChannelIfEmpty(Channel *channel);
    void setPermanentChannel(QByteArrayView name);
    /// Which channels stay, with their modes and topic, when empty (those registered with ChanServ):
    /// asked of the registrations themselves, so that there is no second list to keep in step.
    void setKeptWhenEmpty(std::function<bool(const QByteArray &name)> kept) { m_keptWhenEmpty = std::move(kept); }
    const QHash<QByteArray, Channel *> &channels() const { return m_channels; }

    /**
     * Calls @p visit once for every client that shares a channel with @p client, not counting
     * @p client itself. Used for QUIT and NICK, which each peer must see once however many channels
     * it shares.
     */
    void forEachPeer(const ClientSession &client, const std::function<void(ClientSession &)> &visit);

    /// Who watches which nicks (MONITOR).
    Monitors &monitors() { return m_monitors; }

private:
    Monitors m_monitors;
    QHash<QByteArray, ClientSession *> m_clients; // folded nick -> client
    QHash<QByteArray, Channel *> m_channels;      // folded name -> channel (owned)
    QByteArray m_permanentChannel;                // folded
    std::function<bool(const QByteArray &name)> m_keptWhenEmpty;
    qsizetype m_registeredUsers = 0;
    qsizetype m_unregistered = 0;
    qsizetype m_operators = 0;
    quint64 m_visitEpoch = 0;
    quint64 m_lastChannelId = 0;
};

} // namespace tktalk::server
