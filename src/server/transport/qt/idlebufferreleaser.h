#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

namespace tktalk::server::transport {

class QtConnection;

/**
 * @brief Gives back the buffers of Qt engine connections that have been idle for a while.
 *
 * Each QSslSocket keeps four ring-buffer chunks once it has carried data (its own and its inner TCP
 * socket's, each way: 16 to 32 KiB each), and keeps them for its whole life. Most chat connections
 * are idle most of the time, so on a timer (never inside a socket's own handler) every connection
 * that saw no traffic for a whole interval is asked to drop them (QtConnection::releaseIdleBuffers).
 * A connection costs one flag check per sweep.
 */
class IdleBufferReleaser : public QObject
{
    Q_OBJECT
public:
    /// Sweeps every @p intervalMs: a connection is released after one to two intervals without traffic.
    explicit IdleBufferReleaser(int intervalMs, QObject *parent = nullptr);

    void add(QtConnection *connection);
    void remove(QtConnection *connection);

    /// Releases every connection that was idle since the previous sweep; returns how many.
    int sweep();

private:
    QSet<QtConnection *> m_connections;
    QTimer m_timer;
};

} // namespace tktalk::server::transport
