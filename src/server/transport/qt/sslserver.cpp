#include "sslserver.h"

#include <QSslSocket>

#include <unistd.h>

namespace tktalk::server::transport {

namespace {

/// Decrypted input a socket may hold for a session that is not reading (flood control): beyond
/// this Qt stops reading, and TCP flow control pushes back on the sender instead of our memory.
constexpr qint64 kReadBufferBytes = 16 * 1024;

/// The reason OpenSSL gave, without Qt's and OpenSSL's prefixes ("no shared cipher"), as the
/// OpenSSL engine reports it.
QString handshakeFailure(const QSslSocket &socket, QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("timed out");
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("the client closed the connection");
    default:
        break;
    }
    const QString text = socket.errorString();
    const qsizetype routines = text.lastIndexOf(QLatin1String("::"));
    return routines >= 0 ? text.mid(routines + 2) : text;
}

} // namespace

SslServer::SslServer(const ListenerSettings &settings, QObject *parent)
    : QSslServer(parent)
{
    m_limiter.setMaxPerAddress(settings.maxHandshakesPerAddress);
    m_limiter.setRate(settings.handshakesPerSecondPerAddress, settings.handshakeBurstPerAddress);
    connect(this, &QSslServer::errorOccurred, &m_tracker,
            [this](QSslSocket *socket, QAbstractSocket::SocketError error) { onError(socket, error); });
}

void SslServer::incomingConnection(qintptr descriptor)
{
    if (!m_acceptGuard.admit(descriptor))
        return;
    const QHostAddress peer = peerAddressOf(descriptor);
    if (!m_limiter.begin(peer)) {
        ::close(int(descriptor));
        return;
    }
    QSslServer::incomingConnection(descriptor);
    // QSslServer has just made the socket for this descriptor, as its newest child.
    auto *socket = children().isEmpty() ? nullptr : qobject_cast<QSslSocket *>(children().constLast());
    if (!socket || socket->socketDescriptor() != descriptor) {
        m_limiter.failed(peer, QStringLiteral("the socket could not be used"));
        Q_EMIT handshakeFailed(peer, QStringLiteral("the socket could not be used"));
        return;
    }
    socket->setReadBufferSize(kReadBufferBytes);
    track(socket, peer);
}

void SslServer::track(QSslSocket *socket, const QHostAddress &peer)
{
    m_handshaking.insert(socket, Handshake{peer, {}});
    // Connected after QSslServer's own check of the first byte, so they run after it.
    connect(socket, &QSslSocket::readyRead, &m_tracker, [this, socket] { onFirstBytes(socket); });
    connect(socket, &QSslSocket::encrypted, &m_tracker, [this, socket] { onEncrypted(socket); });
    connect(socket, &QObject::destroyed, &m_tracker, [this](QObject *object) { onDestroyed(object); });
}

void SslServer::onFirstBytes(QSslSocket *socket)
{
    disconnect(socket, &QSslSocket::readyRead, &m_tracker, nullptr);
    // QSslServer starts the handshake on a TLS record and drops anything else.
    if (socket->mode() == QSslSocket::UnencryptedMode)
        m_handshaking[socket].failure = QStringLiteral("the client does not speak TLS");
}

void SslServer::onEncrypted(QSslSocket *socket)
{
    const auto it = m_handshaking.constFind(socket);
    if (it == m_handshaking.constEnd())
        return;
    m_limiter.succeeded(it->peer);
    m_handshaking.erase(it);
    socket->disconnect(&m_tracker);
}

void SslServer::onError(QSslSocket *socket, QAbstractSocket::SocketError error)
{
    const auto it = m_handshaking.find(socket);
    if (it != m_handshaking.end() && it->failure.isEmpty())
        it->failure = handshakeFailure(*socket, error);
}

void SslServer::onDestroyed(QObject *socket)
{
    // The socket is inside its destructor: use its address only.
    const auto it = m_handshaking.constFind(socket);
    if (it == m_handshaking.constEnd())
        return;
    const Handshake handshake = *it;
    m_handshaking.erase(it);
    const QString reason =
        handshake.failure.isEmpty() ? QStringLiteral("the client closed the connection") : handshake.failure;
    m_limiter.failed(handshake.peer, reason);
    Q_EMIT handshakeFailed(handshake.peer, reason);
}

} // namespace tktalk::server::transport
