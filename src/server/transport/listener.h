#pragma once

#include "idlebufferreleaser.h"
#include "tlsengine.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace tktalk::server {
struct TlsIdentity;
}

namespace tktalk::server::transport {

class Connection;

/// @brief How a listener treats connections before they are handed over.
struct ListenerSettings
{
    int handshakeTimeoutMs = 10'000;
    /// Unfinished handshakes allowed from one address (0: no limit).
    int maxHandshakesPerAddress = 0;
    /// Handshakes one address may begin at once, then per second (0: no limit).
    int handshakeBurstPerAddress = 0;
    double handshakesPerSecondPerAddress = 0;
    /// Qt engine: how often idle connections are made to give back their buffers. Short, so that
    /// what one client lets go another reuses: a chat client that has been quiet for a second or
    /// two costs one allocation per buffer when it speaks again.
    int idleBufferReleaseIntervalMs = 1'000;
};

/**
 * @brief Accepts TCP connections, runs each one's TLS handshake, and hands over those that finish.
 *
 * Every failed or abandoned handshake is logged with the peer's address and the reason, plain text
 * sent to the TLS port among them, and handshakes under way are capped per address
 * (HandshakeLimiter). The TLS policy is the same whichever engine runs it: TLS 1.2 or later, ECDHE
 * key exchange with AEAD ciphers only, no compression, no renegotiation, a client certificate asked
 * for but not required.
 */
class Listener : public QObject
{
    Q_OBJECT
public:
    /// A listener of @p engine, without a certificate yet (see setIdentity()).
    static std::unique_ptr<Listener> create(TlsEngine engine, const ListenerSettings &settings);

    explicit Listener(const ListenerSettings &settings, QObject *parent = nullptr);

    virtual TlsEngine engine() const = 0;

    /**
     * Uses @p identity for handshakes from now on; those under way keep theirs. Returns false and
     * sets @p error if the certificate or key cannot be used, keeping the current identity.
     */
    virtual bool setIdentity(const TlsIdentity &identity, QString *error) = 0;

    virtual bool listen(const QHostAddress &address, quint16 port) = 0;
    /// Stops accepting; connections already handed over are not affected.
    virtual void close() = 0;
    virtual quint16 serverPort() const = 0;
    virtual QHostAddress serverAddress() const = 0;
    virtual QString errorString() const = 0;

    /// Sweeps the buffers of the idle connections this listener handed over.
    IdleBufferReleaser &bufferReleaser() { return m_bufferReleaser; }

Q_SIGNALS:
    /// A client finished its handshake. The receiver takes @p connection over (reparents it).
    void connectionReady(tktalk::server::transport::Connection *connection);
    /// A handshake from @p peer failed or was abandoned, for @p reason (also logged): "the client
    /// does not speak TLS", "timed out", "the client closed the connection", or OpenSSL's reason.
    void handshakeFailed(const QHostAddress &peer, const QString &reason);

private:
    IdleBufferReleaser m_bufferReleaser;
};

} // namespace tktalk::server::transport
