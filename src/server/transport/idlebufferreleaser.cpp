#include "idlebufferreleaser.h"

#include "connection.h"

namespace tktalk::server::transport {

IdleBufferReleaser::IdleBufferReleaser(int intervalMs, QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &IdleBufferReleaser::sweep);
}

void IdleBufferReleaser::add(Connection *connection)
{
    m_connections.insert(connection);
    if (!m_timer.isActive())
        m_timer.start();
}

void IdleBufferReleaser::remove(Connection *connection)
{
    m_connections.remove(connection);
    if (m_connections.isEmpty())
        m_timer.stop();
}

int IdleBufferReleaser::sweep()
{
    int released = 0;
    for (Connection *connection : std::as_const(m_connections)) {
        if (connection->takeActivity())
            continue; // busy since the last sweep: look again next time
        if (connection->releaseIdleBuffers())
            ++released;
    }
    return released;
}

} // namespace tktalk::server::transport
