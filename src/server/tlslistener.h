#pragma once

#include <QHash>
#include <QHostAddress>
#include <QSslServer>

namespace tktalk::server {

/**
 * @brief A QSslServer that knows who is knocking before the handshake is done.
 *
 * QSslServer drops a connection whose first byte is not a TLS record without any signal, and a
 * handshake that times out no longer has a peer address. This listener notes each peer as the TCP
 * connection is accepted, so that every failed or abandoned handshake is logged with its address.
 */
class TlsListener : public QSslServer
{
    Q_OBJECT
public:
    explicit TlsListener(QObject *parent = nullptr);

    /// At most this many unfinished handshakes from one address (0: no limit); more are closed at once.
    void setMaxHandshakesPerAddress(int max) { m_maxPerAddress = max; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void track(QSslSocket *socket, const QHostAddress &peer);
    void untrack(QSslSocket *socket);
    void onHandshakeError(QSslSocket *socket, QAbstractSocket::SocketError error);

    /// Receiver of the tracking connections. Not `this`: QSslServer disconnects everything from a
    /// socket to itself once the handshake is done, which would take our connections with it.
    QObject m_tracker;
    QHash<QSslSocket *, QHostAddress> m_handshaking;
    QHash<QHostAddress, int> m_handshakesPerAddress;
    int m_maxPerAddress = 0;
};

} // namespace tktalk::server
