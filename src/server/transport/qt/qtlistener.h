#pragma once

#include "sslserver.h"
#include "transport/listener.h"

namespace tktalk::server::transport {

/**
 * @brief The Qt engine's listener, the default: a QSslServer hands over each QSslSocket whose
 * handshake is done, as a QtConnection.
 *
 * Qt gives every socket a TLS context of its own, built from the QSslConfiguration set here once
 * per identity. The configuration asks Qt for as little per connection as its public API allows:
 * no Diffie-Hellman parameters to parse (the policy has ECDHE only), no system CA store to search
 * for a client certificate that is an identity rather than a CA's statement, and no session
 * tickets, which a context that lives for one connection could never take back.
 */
class QtListener : public Listener
{
    Q_OBJECT
public:
    explicit QtListener(const ListenerSettings &settings, QObject *parent = nullptr);

    TlsEngine engine() const override { return TlsEngine::Qt; }
    bool setIdentity(const TlsIdentity &identity, QString *error) override;
    bool listen(const QHostAddress &address, quint16 port) override { return m_server.listen(address, port); }
    void close() override { m_server.close(); }
    quint16 serverPort() const override { return m_server.serverPort(); }
    QHostAddress serverAddress() const override { return m_server.serverAddress(); }
    QString errorString() const override { return m_server.errorString(); }

private:
    void takePendingConnections();

    SslServer m_server;
};

} // namespace tktalk::server::transport
