#include "connection.h"

#include "idlebufferreleaser.h"

namespace tktalk::server::transport {

Connection::~Connection()
{
    setBufferReleaser(nullptr);
}

bool Connection::releaseIdleBuffers()
{
    if (!m_mayHoldBuffers || !releaseBuffers())
        return false;
    m_mayHoldBuffers = false;
    return true;
}

void Connection::setBufferReleaser(IdleBufferReleaser *releaser)
{
    if (m_releaser == releaser)
        return;
    if (m_releaser)
        m_releaser->remove(this);
    m_releaser = releaser;
    if (m_releaser)
        m_releaser->add(this);
}

} // namespace tktalk::server::transport
