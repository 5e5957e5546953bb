#pragma once

#include "transport/connection.h"
#include "transport/outputqueue.h"

#include <QSslSocket>

namespace tktalk::server::transport {

class LingeringClose;

/**
 * @brief One client's TLS connection in the Qt engine: a QSslSocket whose handshake is done.
 *
 * Output is queued here and handed to the socket once per event-loop turn, then flushed to the
 * kernel at once (one SSL_write per 16 KiB and one system call, rather than Qt's deferred flush and
 * write notifier). When the connection has been idle a while, IdleBufferReleaser has it drop the
 * ring buffers QSslSocket would otherwise keep for its whole life.
 */
class QtConnection : public Connection
{
    Q_OBJECT
public:
    /// Takes over @p socket (reparents it), which must be encrypted; @p releaser sweeps its buffers.
    QtConnection(QSslSocket *socket, IdleBufferReleaser *releaser, QObject *parent = nullptr);
    ~QtConnection() override;

    qint64 read(char *data, qint64 maxBytes) override;
    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    void close(const QByteArray &lastLine = {}) override;
    void abort() override;
    QHostAddress peerAddress() const override { return m_peerAddress; }
    QByteArray peerCertificateSha256() const override;
    QString protocolName() const override;
    QString cipherName() const override;
    QString errorString() const override { return m_error; }

protected:
    void flushQueued() override;
    /// Reopening an open, drained QIODevice drops its ring buffers: the socket's and its inner TCP
    /// socket's, each way.
    bool releaseBuffers() override;

private:
    enum class State { Open, Closing, Lingering, Closed };

    void sendQueued();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSocketDisconnected();
    void finish();

    QSslSocket *m_socket;
    State m_state = State::Open;
    QHostAddress m_peerAddress;
    QString m_error;
    OutputQueue m_queue;
    int m_lingerDescriptor = -1; ///< a duplicate of the socket, kept to close it without a reset
    LingeringClose *m_lingeringClose = nullptr;
    bool m_flushRequested = false;
};

} // namespace tktalk::server::transport
