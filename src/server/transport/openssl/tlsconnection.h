#pragma once

#include "socketbio.h"
#include "transport/connection.h"
#include "transport/outputqueue.h"

#include <QSocketNotifier>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace tktalk::server::transport {

class LingeringClose;

/**
 * @brief One client's TLS connection in the OpenSSL engine: OpenSSL over a non-blocking socket,
 * driven by Qt's event loop through socket notifiers.
 *
 * What it saves over QSslSocket is memory and time: nothing is buffered but what is still waiting to
 * be sent, OpenSSL gives its record buffers back as soon as they drain, every connection shares one
 * TLS context, and a handshake builds none. QSslSocket keeps its own ring buffers besides, and makes a
 * TLS context for every connection (docs/PERFORMANCE.md has the figures).
 *
 * Reading is pulled: until read() has drained the socket, no further readyRead() comes, so a reader
 * that stops (flood control) is not woken again and TCP pushes back on the sender.
 */
class TlsConnection : public Connection
{
    Q_OBJECT
public:
    enum class State { Handshaking, Established, Closing, Lingering, Closed };

    /// Takes ownership of the accepted socket @p descriptor and starts the server side handshake,
    /// which fails if not done within @p handshakeTimeoutMs.
    TlsConnection(qintptr descriptor, SSL_CTX *context, int handshakeTimeoutMs, QObject *parent = nullptr);
    ~TlsConnection() override;

    State state() const { return m_state; }

    qint64 read(char *data, qint64 maxBytes) override;
    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override { return m_queue.size(); }
    void close(const QByteArray &lastLine = {}) override;
    void abort() override;
    QHostAddress peerAddress() const override { return m_peerAddress; }
    QByteArray peerCertificateSha256() const override;
    QString protocolName() const override;
    QString cipherName() const override;
    QString errorString() const override { return m_error; }

Q_SIGNALS:
    /// The handshake is done; the connection is established.
    void encrypted();
    /// The handshake failed, with OpenSSL's reason or "timed out"; disconnected() follows.
    void handshakeFailed(const QString &reason);

protected:
    void flushQueued() override;
    bool releaseBuffers() override;
    void timerEvent(QTimerEvent *event) override;

private:
    void onReadable();
    void onWritable();
    void continueHandshake();
    /// Sends the queue until it is empty or the kernel's buffer is full.
    void flush();
    void requestFlush();
    void waitUntilWritable();
    /// Sends close_notify and hands the socket to a LingeringClose: the queue is sent.
    void finishClosing();
    void fail(const QString &reason);
    /// Closes the socket now and emits disconnected() from the event loop.
    void closeNow();

    int m_descriptor;
    SocketBioState m_socket; ///< what OpenSSL's reads learnt about the socket
    SSL *m_ssl = nullptr;
    State m_state = State::Handshaking;
    QHostAddress m_peerAddress;
    QString m_error;
    QSocketNotifier m_readNotifier;
    QSocketNotifier *m_writeNotifier = nullptr; // made the first time the kernel's buffer fills
    LingeringClose *m_lingeringClose = nullptr;
    OutputQueue m_queue;
    int m_handshakeTimer = 0;
    bool m_flushRequested = false;
    bool m_firstByteChecked = false;
    /// OpenSSL wants the socket writable before it can go on reading (a TLS 1.3 key update).
    bool m_readWaitsForWritable = false;
};

} // namespace tktalk::server::transport
