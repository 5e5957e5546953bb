#pragma once

#include "transport/connection.h"

namespace tktalk::server::transport {

/**
 * @brief A client connection held in memory, without sockets or TLS: what the fuzzer and tests
 * give a session to drive the server's command handling end to end at memory speed.
 *
 * The client's side is feed() (bytes the client "sent") and takeOutput() (what the server wrote
 * to it). Everything a Connection promises holds: reading is pulled, readyRead() comes once per
 * feed(), close() delivers its last line, and disconnected() comes once, from the event loop.
 * setStalled() makes the client stop reading, so that output piles up in bytesToWrite() as it
 * would behind a TCP window that stays shut: that is how the send queue cap is reached.
 */
class MemoryConnection : public Connection
{
    Q_OBJECT
public:
    explicit MemoryConnection(const QHostAddress &peer, QByteArray certificateSha256 = {},
                              QObject *parent = nullptr);

    // The client's side.
    /// Bytes from the client; readyRead() follows at once. Ignored once the connection is closed.
    void feed(const QByteArray &bytes);
    /// Everything the server wrote since the last call (what a reading client would receive).
    QByteArray takeOutput();
    /// A stalled client reads nothing: output stays queued and counts in bytesToWrite().
    void setStalled(bool stalled);
    /// The client hangs up, as a TCP FIN would tell the server.
    void hangUp();
    bool isClosed() const { return m_state != State::Open; }
    /// Input fed but not read by the session yet.
    qint64 unreadBytes() const { return m_input.size() - m_readPos; }

    // Connection
    qint64 read(char *data, qint64 maxBytes) override;
    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    void close(const QByteArray &lastLine = {}) override;
    void abort() override;
    QHostAddress peerAddress() const override { return m_peer; }
    QByteArray peerCertificateSha256() const override { return m_certificateSha256; }
    QString protocolName() const override { return QStringLiteral("memory"); }
    QString cipherName() const override { return QStringLiteral("none"); }
    QString errorString() const override { return m_error; }

protected:
    void flushQueued() override {}
    /// Nothing to free: the output is the client's to take.
    bool releaseBuffers() override { return false; }

private:
    enum class State { Open, Closed };

    void finish();

    QHostAddress m_peer;
    QByteArray m_certificateSha256;
    QByteArray m_input;
    qsizetype m_readPos = 0;
    QByteArray m_output;  ///< what the client has "read"
    QByteArray m_stalled; ///< written while the client was stalled
    bool m_isStalled = false;
    State m_state = State::Open;
    QString m_error;
};

} // namespace tktalk::server::transport
