#include "tlslistener.h"

#include "logging.h"

#include <QSslSocket>

#include <sys/socket.h>
#include <unistd.h>

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
    if (m_maxPerAddress > 0 && m_handshakesPerAddress.value(peer) >= m_maxPerAddress) {
        // Nothing can be said to a client before its handshake; closing is the only answer.
        qCInfo(lcTls).noquote() << "Refused a connection from" << peer.toString() << "with" << m_maxPerAddress
                                << "TLS handshakes from there already under way";
        ::close(int(descriptor));
        return;
    }
    QSslServer::incomingConnection(descriptor);
    // QSslServer has just made the socket for this descriptor, as its newest child.
    auto *socket = children().isEmpty() ? nullptr : qobject_cast<QSslSocket *>(children().constLast());
    if (socket && socket->socketDescriptor() == descriptor)
        track(socket, peer);
}

void TlsListener::track(QSslSocket *socket, const QHostAddress &peer)
{
    m_handshaking.insert(socket, peer);
    ++m_handshakesPerAddress[peer];
    connect(socket, &QSslSocket::encrypted, &m_tracker, [this, socket] { untrack(socket); });
    connect(socket, &QObject::destroyed, &m_tracker, [this, socket] {
        // Still here: the socket went away without finishing the handshake or reporting an error,
        // which is what QSslServer does with bytes that are not TLS at all.
        const auto it = m_handshaking.constFind(socket);
        if (it == m_handshaking.constEnd())
            return;
        qCInfo(lcTls).noquote() << "TLS handshake with" << it.value().toString()
                                << "failed: the client does not speak TLS";
        untrack(socket);
    });
}

void TlsListener::untrack(QSslSocket *socket)
{
    const auto it = m_handshaking.find(socket);
    if (it == m_handshaking.end())
        return;
    const auto count = m_handshakesPerAddress.find(it.value());
    if (count != m_handshakesPerAddress.end() && --count.value() <= 0)
        m_handshakesPerAddress.erase(count);
    m_handshaking.erase(it);
}

void TlsListener::onHandshakeError(QSslSocket *socket, QAbstractSocket::SocketError error)
{
    const QHostAddress peer = m_handshaking.value(socket);
    untrack(socket);
    qCInfo(lcTls).noquote() << "TLS handshake with" << peer.toString() << "failed:"
                            << (error == QAbstractSocket::SocketTimeoutError ? QStringLiteral("timed out")
                                                                             : socket->errorString());
}

} // namespace tktalk::server
