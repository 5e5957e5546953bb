#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

namespace tktalk::server::transport {

class Connection;

/**
 * @brief Gives back the buffers of connections that have been idle for a while.
 *
 * A busy connection keeps its buffers: allocating them for every message costs more than keeping
 * them. Most chat connections are idle most of the time, though, so on a timer (never inside a
 * socket's own handler) every connection that saw no traffic for a whole interval is asked to drop
 * them (Connection::releaseIdleBuffers): QSslSocket's ring buffers in the Qt engine (the OpenSSL
 * engine has OpenSSL free its buffers as they drain). A connection costs one flag check per sweep.
 *
 * The memory goes back to the allocator, not to the kernel: it lies between live allocations, and
 * malloc_trim, which could return it, walks every free chunk and stalled the event loop for 100 to
 * 300 ms with 10,000 clients. Released early, though, it is reused by the connections that become
 * busy next, so a server's memory follows its busy clients rather than all of them.
 */
class IdleBufferReleaser : public QObject
{
    Q_OBJECT
public:
    /// Sweeps every @p intervalMs: a connection is released after one to two intervals without
    /// traffic.
    explicit IdleBufferReleaser(int intervalMs, QObject *parent = nullptr);

    void add(Connection *connection);
    void remove(Connection *connection);

    /// Releases every connection that was idle since the previous sweep; returns how many.
    int sweep();

private:
    QSet<Connection *> m_connections;
    QTimer m_timer;
};

} // namespace tktalk::server::transport
