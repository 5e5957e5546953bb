#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

namespace tktalk::server::transport {

class EndOfTurnFlusher;

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

Q_SIGNALS:
    /// Input may be waiting: call read() until it returns 0.
    void readyRead();
    /// The connection is closed, for whatever reason. Emitted once, from the event loop.
    void disconnected();

protected:
    friend class EndOfTurnFlusher;
    /// Sends what write() queued during this turn; called by EndOfTurnFlusher.
    virtual void flushQueued() = 0;
};

} // namespace tktalk::server::transport
