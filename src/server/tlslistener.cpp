#include "tlslistener.h"

#include "logging.h"
#include "tlsconnection.h"
#include "tlscontext.h"

#include <unistd.h>

namespace tktalk::server {

TlsListener::TlsListener(QObject *parent)
    : QTcpServer(parent)
{
}

TlsListener::~TlsListener() = default;

void TlsListener::incomingConnection(qintptr descriptor)
{
    const QHostAddress peer = TlsConnection::peerAddressOf(descriptor);
    if (!m_context) { // no usable certificate: Server::listen refuses to start then
        ::close(int(descriptor));
        return;
    }
    if (m_maxPerAddress > 0 && m_handshakesPerAddress.value(peer) >= m_maxPerAddress) {
        // Nothing can be said to a client before its handshake; closing is the only answer.
        qCInfo(lcTls).noquote() << "Refused a connection from" << peer.toString() << "with" << m_maxPerAddress
                                << "TLS handshakes from there already under way";
        ::close(int(descriptor));
        return;
    }
    auto *connection = new TlsConnection(descriptor, m_context->handle(), m_handshakeTimeoutMs, this);
    ++m_handshakesPerAddress[peer];
    connect(connection, &TlsConnection::encrypted, this, [this, connection] { onEncrypted(connection); });
    connect(connection, &TlsConnection::handshakeFailed, this,
            [this, connection](const QString &reason) { onHandshakeFailed(connection, reason); });
}

void TlsListener::onEncrypted(TlsConnection *connection)
{
    untrack(connection);
    connection->disconnect(this);
    Q_EMIT connectionReady(connection);
}

void TlsListener::onHandshakeFailed(TlsConnection *connection, const QString &reason)
{
    qCInfo(lcTls).noquote() << "TLS handshake with" << connection->peerAddress().toString() << "failed:" << reason;
    untrack(connection);
    connection->deleteLater();
}

void TlsListener::untrack(TlsConnection *connection)
{
    // Each connection ends its handshake once: encrypted() or handshakeFailed(), never both.
    const auto count = m_handshakesPerAddress.find(connection->peerAddress());
    if (count != m_handshakesPerAddress.end() && --count.value() <= 0)
        m_handshakesPerAddress.erase(count);
}

} // namespace tktalk::server
