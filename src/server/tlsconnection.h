#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSocketNotifier>
#include <QString>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace tktalk::server {

/**
 * @brief One client's TLS connection on the server: OpenSSL over a non-blocking socket, driven by
 * Qt's event loop through socket notifiers.
 *
 * It replaces QSslSocket on the server because of what an idle connection costs. QSslSocket keeps
 * four ring buffers per connection (its own and its inner TCP socket's, each way), of 16 or 32 KiB
 * each, for the life of the connection: about 96 KiB, against 12 to 15 KiB for a whole connection in
 * the established C IRC servers (docs/PERFORMANCE.md). Here nothing is buffered but what is still
 * waiting to be sent, OpenSSL gives its record buffers back when idle, and every connection shares
 * one TLS context. The client keeps using QSslSocket, where one connection's buffers do not matter.
 *
 * Reading is pulled: readyRead() says data may be there, and read() takes it. Until read() has
 * drained the socket, no further readyRead() comes, so a reader that stops (flood control) is not
 * woken again and TCP pushes back on the sender. Writing is pushed: write() queues the bytes, shared
 * and uncopied, and everything a connection was given during one event-loop turn goes out at the end
 * of the turn, coalesced into as few TLS records and system calls as fit.
 */
class TlsConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Handshaking, Established, Closing, Closed };

    /// Takes ownership of the accepted socket @p descriptor and starts the server side handshake,
    /// which fails if not done within @p handshakeTimeoutMs.
    TlsConnection(qintptr descriptor, SSL_CTX *context, int handshakeTimeoutMs, QObject *parent = nullptr);
    ~TlsConnection() override;

    /// The address at the other end of the socket @p descriptor, or a null address.
    static QHostAddress peerAddressOf(qintptr descriptor);

    State state() const { return m_state; }
    const QHostAddress &peerAddress() const { return m_peerAddress; }
    /// Why the connection failed or ended ("Connection reset by peer"); empty after an orderly close.
    const QString &errorString() const { return m_error; }

    /// The negotiated protocol and cipher suite ("TLSv1.3", "TLS_AES_256_GCM_SHA384").
    QString protocolName() const;
    QString cipherName() const;
    /// Lowercase hex SHA-256 of the client's certificate, or empty if it sent none.
    QByteArray peerCertificateSha256() const;

    /// Reads up to @p maxBytes of decrypted input. Returns 0 when nothing more is there for now
    /// (readyRead() follows when there is), or when the connection is not established.
    qint64 read(char *data, qint64 maxBytes);

    /// Queues @p bytes to be sent at the end of this event-loop turn. Ignored unless established.
    void write(const QByteArray &bytes);
    /// Bytes queued and not yet handed to the kernel.
    qint64 bytesToWrite() const { return m_queuedBytes; }

    /// Sends what is queued, then a TLS close_notify, then closes; disconnected() follows.
    void disconnectFromHost();
    /// Closes at once, dropping what is queued; disconnected() follows.
    void abort();

Q_SIGNALS:
    /// The handshake is done; the connection is established.
    void encrypted();
    /// The handshake failed, with OpenSSL's reason or "timed out"; disconnected() follows.
    void handshakeFailed(const QString &reason);
    /// Input may be waiting: call read() until it returns 0.
    void readyRead();
    /// The connection is closed, for whatever reason. Emitted once, from the event loop.
    void disconnected();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    friend class EndOfTurnFlusher;

    void onReadable();
    void onWritable();
    void continueHandshake();
    /// Sends the queue until it is empty or the kernel's buffer is full.
    void flush();
    void requestFlush();
    /// Drops @p bytes from the front of the queue: they are sent.
    void consume(qint64 bytes);
    void waitUntilWritable();
    /// Sends close_notify and closes: the queue is empty or its bytes do not matter any more.
    void finishClosing();
    void fail(const QString &reason);
    /// Closes the socket now and emits disconnected() from the event loop.
    void close();

    int m_descriptor;
    SSL *m_ssl = nullptr;
    State m_state = State::Handshaking;
    QHostAddress m_peerAddress;
    QString m_error;
    QSocketNotifier m_readNotifier;
    QSocketNotifier *m_writeNotifier = nullptr; // made the first time the kernel's buffer fills
    QList<QByteArray> m_queue;
    qsizetype m_frontOffset = 0; // bytes of m_queue.first() already sent
    qint64 m_queuedBytes = 0;
    int m_handshakeTimer = 0;
    bool m_flushRequested = false;
    bool m_firstByteChecked = false;
    /// OpenSSL wants the socket writable before it can go on reading (a TLS 1.3 key update).
    bool m_readWaitsForWritable = false;
};

} // namespace tktalk::server
