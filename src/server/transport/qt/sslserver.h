#pragma once

#include "transport/acceptguard.h"
#include "transport/handshakelimiter.h"
#include "transport/listener.h"

#include <QHash>
#include <QSslServer>

namespace tktalk::server::transport {

/**
 * @brief A QSslServer that caps the handshakes under way per address and logs every one that fails,
 * with the peer's address and a reason.
 *
 * QSslServer drops a connection whose first byte is not a TLS record without any signal, and a
 * socket that timed out or failed no longer knows its peer. This server notes each peer as the TCP
 * connection is accepted, and logs the failure when QSslServer lets the socket go.
 */
class SslServer : public QSslServer
{
    Q_OBJECT
public:
    explicit SslServer(const ListenerSettings &settings, QObject *parent = nullptr);

Q_SIGNALS:
    /// A handshake from @p peer failed or was abandoned (already logged).
    void handshakeFailed(const QHostAddress &peer, const QString &reason);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Handshake
    {
        QHostAddress peer;
        QString failure; ///< why it failed, once known
    };

    void track(QSslSocket *socket, const QHostAddress &peer);
    void onFirstBytes(QSslSocket *socket);
    void onEncrypted(QSslSocket *socket);
    void onError(QSslSocket *socket, QAbstractSocket::SocketError error);
    void onDestroyed(QObject *socket);

    /// Receiver of the tracking connections. Not `this`: QSslServer disconnects everything from a
    /// socket to itself once its handshake is done, which would take ours with it.
    QObject m_tracker;
    /// Keyed by the socket's address only: it is looked up while the socket is being destroyed.
    QHash<const QObject *, Handshake> m_handshaking;
    HandshakeLimiter m_limiter;
    AcceptGuard m_acceptGuard{this}; ///< no accept() spin when out of file descriptors
};

} // namespace tktalk::server::transport
