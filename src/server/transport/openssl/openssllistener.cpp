#include "openssllistener.h"

#include "tlsconnection.h"
#include "tlscontext.h"

#include <unistd.h>

namespace tktalk::server::transport {

OpenSslListener::OpenSslListener(const ListenerSettings &settings, QObject *parent)
    : Listener(settings, parent)
    , m_settings(settings)
{
    m_handshakes.setMaxPerAddress(settings.maxHandshakesPerAddress);
    m_handshakes.setRate(settings.handshakesPerSecondPerAddress, settings.handshakeBurstPerAddress);
    connect(&m_server, &DescriptorServer::accepted, this, &OpenSslListener::accept);
}

OpenSslListener::~OpenSslListener() = default;

bool OpenSslListener::setIdentity(const TlsIdentity &identity, QString *error)
{
    std::shared_ptr<TlsContext> context = TlsContext::create(identity, error);
    if (!context)
        return false;
    m_context = std::move(context); // handshakes under way keep the context they started with
    return true;
}

void OpenSslListener::accept(qintptr descriptor)
{
    const QHostAddress peer = peerAddressOf(descriptor);
    if (!m_context || !m_handshakes.begin(peer)) {
        ::close(int(descriptor));
        return;
    }
    auto *connection = new TlsConnection(descriptor, m_context->handle(), m_settings.handshakeTimeoutMs, this);
    connect(connection, &TlsConnection::encrypted, this, [this, connection] { onEncrypted(connection); });
    connect(connection, &TlsConnection::handshakeFailed, this,
            [this, connection](const QString &reason) { onHandshakeFailed(connection, reason); });
}

void OpenSslListener::onEncrypted(TlsConnection *connection)
{
    // Each connection ends its handshake once: encrypted() or handshakeFailed(), never both.
    m_handshakes.succeeded(connection->peerAddress());
    connection->disconnect(this);
    Q_EMIT connectionReady(connection);
}

void OpenSslListener::onHandshakeFailed(TlsConnection *connection, const QString &reason)
{
    m_handshakes.failed(connection->peerAddress(), reason);
    Q_EMIT handshakeFailed(connection->peerAddress(), reason);
    connection->deleteLater();
}

} // namespace tktalk::server::transport
