#pragma once

#include <QList>

namespace tktalk::server {

class ClientSession;

/**
 * @brief The sessions attached to a user beside its lead: more devices logged in to one account
 * (docs/PROTOCOL.md, "Several devices, one account").
 *
 * The lead is the user in the registry and in the channels; the sessions listed here see what it
 * sees, and their commands run as the lead with their replies and capabilities their own: the
 * lead's current() session while such a command runs.
 */
class SessionGroup
{
public:
    const QList<ClientSession *> &attached() const { return m_attached; }
    bool isEmpty() const { return m_attached.isEmpty(); }
    void add(ClientSession *session) { m_attached.append(session); }
    void remove(ClientSession *session)
    {
        m_attached.removeOne(session);
        if (m_current == session)
            m_current = nullptr;
    }

    /// The session the lead's command runs for (replies go to it, its capabilities count), or
    /// nullptr while the lead runs its own.
    ClientSession *current() const { return m_current; }
    void setCurrent(ClientSession *session) { m_current = session; }

private:
    QList<ClientSession *> m_attached;
    ClientSession *m_current = nullptr;
};

} // namespace tktalk::server
