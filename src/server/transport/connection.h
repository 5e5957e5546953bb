#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

#include <utility>

namespace tktalk::server::transport {

class EndOfTurnFlusher;
class IdleBufferReleaser;

/**
 * @brief One client's encrypted connection, as a session sees it, whichever TLS engine runs it.
 *
 * Reading is pulled: readyRead() says input may be waiting, and read() takes it until it returns
 * 0. Writing is queued: write() keeps the shared bytes without copying them, and everything a
 * connection was given during one event-loop turn goes out at the end of the turn, coalesced into
 * as few TLS records and system calls as fit (EndOfTurnFlusher).
 *
 * close() delivers the last word: it sends what is queued and a final line, a TLS close_notify,
 * and then closes in a way that does not make the kernel throw that output away when the client
 * is still sending (LingeringClose). disconnected() comes once, after the connection is gone,
 * whichever way it ended.
 */
class Connection : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Connection() override;

    /// Reads up to @p maxBytes of decrypted input. Returns 0 when nothing more is there for now
    /// (readyRead() follows when there is), or once the connection is closing.
    virtual qint64 read(char *data, qint64 maxBytes) = 0;

    /// Queues @p bytes to be sent at the end of this event-loop turn. Ignored once closing.
    virtual void write(const QByteArray &bytes) = 0;
    /// Bytes given to write() that the kernel has not taken yet: what a SendQ cap counts.
    virtual qint64 bytesToWrite() const = 0;

    /// Sends what is queued, then @p lastLine (if any), then closes; disconnected() follows.
    virtual void close(const QByteArray &lastLine = {}) = 0;
    /// Closes at once, dropping what is queued; disconnected() follows.
    virtual void abort() = 0;

    virtual QHostAddress peerAddress() const = 0;
    /// Lowercase hex SHA-256 of the certificate the client presented, or empty if it sent none.
    virtual QByteArray peerCertificateSha256() const = 0;
    /// The negotiated protocol and cipher suite ("TLSv1.3", "TLS_AES_256_GCM_SHA384").
    virtual QString protocolName() const = 0;
    virtual QString cipherName() const = 0;
    /// Why the connection failed ("Connection reset by peer"); empty after an orderly close.
    virtual QString errorString() const = 0;

    /// Whether the connection carried traffic since the last call; clears the mark.
    bool takeActivity() { return std::exchange(m_activeSinceSweep, false); }
    /**
     * Frees the buffers the connection keeps while it is busy, if it holds any and they are empty.
     * Returns whether it did. Called by IdleBufferReleaser from a timer, never from inside the
     * connection's own handlers; the next traffic allocates them again.
     */
    bool releaseIdleBuffers();

Q_SIGNALS:
    /// Input may be waiting: call read() until it returns 0.
    void readyRead();
    /// The connection is closed, for whatever reason. Emitted once, from the event loop.
    void disconnected();

protected:
    friend class EndOfTurnFlusher;
    /// Sends what write() queued during this turn; called by EndOfTurnFlusher.
    virtual void flushQueued() = 0;
    /// Frees the engine's buffers if nothing is in them; returns whether it did.
    virtual bool releaseBuffers() = 0;

    /// Traffic: the buffers are in use, and the connection is not idle.
    void markActive()
    {
        m_activeSinceSweep = true;
        m_mayHoldBuffers = true;
    }
    /// Puts the connection under @p releaser's sweeps; null takes it out (it is closing).
    void setBufferReleaser(IdleBufferReleaser *releaser);

private:
    QPointer<IdleBufferReleaser> m_releaser;
    bool m_activeSinceSweep = true;
    bool m_mayHoldBuffers = true;
};

} // namespace tktalk::server::transport
