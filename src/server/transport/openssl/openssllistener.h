#pragma once

#include "descriptorserver.h"
#include "transport/handshakelimiter.h"
#include "transport/listener.h"

#include <memory>

namespace tktalk::server::transport {

class TlsConnection;
class TlsContext;

/**
 * @brief The OpenSSL engine's listener: starts a TlsConnection on every accepted socket, all of
 * them sharing one TlsContext, and hands over those whose handshake finishes.
 */
class OpenSslListener : public Listener
{
    Q_OBJECT
public:
    explicit OpenSslListener(const ListenerSettings &settings, QObject *parent = nullptr);
    ~OpenSslListener() override;

    TlsEngine engine() const override { return TlsEngine::OpenSsl; }
    bool setIdentity(const TlsIdentity &identity, QString *error) override;
    bool listen(const QHostAddress &address, quint16 port) override { return m_server.listen(address, port); }
    void close() override { m_server.close(); }
    quint16 serverPort() const override { return m_server.serverPort(); }
    QHostAddress serverAddress() const override { return m_server.serverAddress(); }
    QString errorString() const override { return m_server.errorString(); }

private:
    void accept(qintptr descriptor);
    void onEncrypted(TlsConnection *connection);
    void onHandshakeFailed(TlsConnection *connection, const QString &reason);

    ListenerSettings m_settings;
    DescriptorServer m_server;
    HandshakeLimiter m_handshakes;
    std::shared_ptr<TlsContext> m_context;
};

} // namespace tktalk::server::transport
