#include "qtlistener.h"

#include "qtconnection.h"
#include "tlsidentity.h"

#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslDiffieHellmanParameters>

#include <limits>

namespace tktalk::server::transport {

namespace {

/// TLS 1.3 suites (all AEAD), and for TLS 1.2 ECDHE key exchange with AES-GCM or ChaCha20-Poly1305:
/// the OpenSSL engine's "ECDHE+AESGCM:ECDHE+CHACHA20", in Qt's terms.
QList<QSslCipher> policyCiphers()
{
    QList<QSslCipher> ciphers;
    for (const QSslCipher &cipher : QSslConfiguration::supportedCiphers()) {
        const QString encryption = cipher.encryptionMethod();
        const bool tls13 = cipher.protocol() == QSsl::TlsV1_3;
        const bool ecdhe = cipher.keyExchangeMethod() == QLatin1String("ECDH");
        const bool aead = encryption.contains(QLatin1String("GCM")) || encryption.contains(QLatin1String("CHACHA20"));
        if (tls13 || (ecdhe && aead && cipher.authenticationMethod() != QLatin1String("None")))
            ciphers.append(cipher);
    }
    return ciphers;
}

QSslConfiguration serverConfiguration(const TlsIdentity &identity)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setCiphers(policyCiphers());
    configuration.setLocalCertificateChain(identity.chain);
    configuration.setPrivateKey(identity.key);
    // Ask for a client certificate without requiring one or checking who signed it: a self-signed
    // client certificate is an identity (SASL EXTERNAL binds its SHA-256 fingerprint to an
    // account). QueryPeer reports chain errors without failing the handshake, and with no CA
    // certificates there is no store to search.
    configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
    configuration.setCaCertificates({});
    configuration.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
    configuration.setSslOption(QSsl::SslOptionDisableCompression, true);
    configuration.setSslOption(QSsl::SslOptionDisableLegacyRenegotiation, true);
    configuration.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
    // Renegotiation: OpenSSL 3 refuses a client's renegotiation unless told otherwise, and the
    // server never starts one. Qt 6.4 cannot set SSL_OP_NO_RENEGOTIATION itself (its backend
    // configuration is applied as neither client nor server, so OpenSSL rejects "Options");
    // tst_tlsscan checks the result with sslscan on both engines.
    return configuration;
}

} // namespace

QtListener::QtListener(const ListenerSettings &settings, QObject *parent)
    : Listener(settings, parent)
    , m_server(settings)
{
    m_server.setHandshakeTimeout(settings.handshakeTimeoutMs);
    // QSslServer counts handshakes under way as pending connections and stops accepting at the
    // cap (30 by default), which a burst of new clients would reach. Handshakes are capped per
    // address instead; finished ones are taken at once.
    m_server.setMaxPendingConnections(std::numeric_limits<int>::max());
    connect(&m_server, &QSslServer::pendingConnectionAvailable, this, &QtListener::takePendingConnections);
    connect(&m_server, &SslServer::handshakeFailed, this, &Listener::handshakeFailed);
}

bool QtListener::setIdentity(const TlsIdentity &identity, QString *error)
{
    if (!checkIdentity(identity, error))
        return false;
    m_server.setSslConfiguration(serverConfiguration(identity)); // sockets under way keep theirs
    return true;
}

void QtListener::takePendingConnections()
{
    while (m_server.hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection());
        if (socket)
            Q_EMIT connectionReady(new QtConnection(socket, &bufferReleaser(), this));
    }
}

} // namespace tktalk::server::transport
