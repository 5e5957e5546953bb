#include "tlslistener.h"

#include "logging.h"

#include <QSslSocket>

#include <sys/socket.h>

namespace tktalk::server {

namespace {

QHostAddress peerOf(qintptr descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

} // namespace

TlsListener::TlsListener(QObject *parent)
    : QSslServer(parent)
{
    connect(this, &QSslServer::errorOccurred, this, &TlsListener::onHandshakeError);
}

void TlsListener::incomingConnection(qintptr descriptor)
{
    const QHostAddress peer = peerOf(descriptor);
    QSslServer::incomingConnection(descriptor);
    // QSslServer has just made the socket for this descriptor, as its newest child.
    auto *socket = children().isEmpty() ? nullptr : qobject_cast<QSslSocket *>(children().constLast());
    if (socket && socket->socketDescriptor() == descriptor)
        track(socket, peer);
}

void TlsListener::track(QSslSocket *socket, const QHostAddress &peer)
{
    m_handshaking.insert(socket, peer);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] { m_handshaking.remove(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        // Still here: the socket went away without finishing the handshake or reporting an error,
        // which is what QSslServer does with bytes that are not TLS at all.
        const auto it = m_handshaking.find(socket);
        if (it == m_handshaking.end())
            return;
        qCInfo(lcTls).noquote() << "TLS handshake with" << it.value().toString()
                                << "failed: the client does not speak TLS";
        m_handshaking.erase(it);
    });
}

void TlsListener::onHandshakeError(QSslSocket *socket, QAbstractSocket::SocketError error)
{
    const QHostAddress peer = m_handshaking.take(socket);
    qCInfo(lcTls).noquote() << "TLS handshake with" << peer.toString() << "failed:"
                            << (error == QAbstractSocket::SocketTimeoutError ? QStringLiteral("timed out")
                                                                             : socket->errorString());
}

} // namespace tktalk::server
