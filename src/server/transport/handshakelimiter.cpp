#include "handshakelimiter.h"

#include "logging.h"

#include <sys/socket.h>

#include <algorithm>
#include <iterator>

namespace tktalk::server::transport {

bool HandshakeLimiter::begin(const QHostAddress &peer, qint64 nowMs)
{
    if (m_maxPerAddress > 0 && m_perAddress.value(peer) >= m_maxPerAddress) {
        qCInfo(lcTls).noquote() << "Refused a connection from" << peer.toString() << "with" << m_maxPerAddress
                                << "TLS handshakes from there already under way";
        return false;
    }
    if (!takeRate(peer, nowMs)) {
        qCInfo(lcTls).noquote() << "Refused a connection from" << peer.toString() << "beginning more than"
                                << m_burst << "TLS handshakes at once or" << m_perSecond << "a second";
        return false;
    }
    ++m_perAddress[peer];
    return true;
}

bool HandshakeLimiter::takeRate(const QHostAddress &peer, qint64 nowMs)
{
    if (m_perSecond <= 0 || m_burst <= 0)
        return true;
    if (m_rates.size() >= m_pruneAt) {
        for (auto it = m_rates.begin(); it != m_rates.end();)
            it = it.value().isFull(nowMs) ? m_rates.erase(it) : std::next(it);
        m_pruneAt = std::max(kFirstPrune, 2 * m_rates.size());
    }
    auto bucket = m_rates.find(peer);
    if (bucket == m_rates.end())
        bucket = m_rates.insert(peer, TokenBucket(m_perSecond, m_burst, nowMs));
    return bucket.value().tryTake(nowMs);
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
