#include "handshakelimiter.h"

#include "logging.h"

#include <sys/socket.h>

namespace tktalk::server::transport {

bool HandshakeLimiter::begin(const QHostAddress &peer)
{
    if (m_maxPerAddress > 0 && m_perAddress.value(peer) >= m_maxPerAddress) {
        qCInfo(lcTls).noquote() << "Refused a connection from" << peer.toString() << "with" << m_maxPerAddress
                                << "TLS handshakes from there already under way";
        return false;
    }
    ++m_perAddress[peer];
    return true;
}

void HandshakeLimiter::failed(const QHostAddress &peer, const QString &reason)
{
    qCInfo(lcTls).noquote() << "TLS handshake with" << peer.toString() << "failed:" << reason;
    end(peer);
}

void HandshakeLimiter::end(const QHostAddress &peer)
{
    const auto count = m_perAddress.find(peer);
    if (count != m_perAddress.end() && --count.value() <= 0)
        m_perAddress.erase(count);
}

QHostAddress peerAddressOf(qintptr descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

} // namespace tktalk::server::transport
