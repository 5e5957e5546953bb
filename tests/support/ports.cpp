#include "ports.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTcpServer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tktalk::test {

namespace {

constexpr int kLowestPort = 10'000;  ///< below: well-known services, often in use on a developer's machine
constexpr int kAttempts = 200;

/// The ports the kernel picks from by itself, [first, last]; Linux's default when unreadable.
std::pair<int, int> ephemeralRange()
{
    QFile file(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (file.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> bounds = file.readAll().simplified().split(' ');
        if (bounds.size() == 2 && bounds[0].toInt() > 0 && bounds[1].toInt() >= bounds[0].toInt())
            return {bounds[0].toInt(), bounds[1].toInt()};
    }
    return {32'768, 60'999};
}

} // namespace

quint16 unassignedPort()
{
    const auto [first, last] = ephemeralRange();
    // The larger of the two gaps around the ephemeral range.
    const int belowCount = std::max(0, first - kLowestPort);
    const int aboveCount = std::max(0, 65'535 - last);
    const int low = belowCount >= aboveCount ? kLowestPort : last + 1;
    const int count = std::max(belowCount, aboveCount);
    if (count == 0)
        return 0;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const quint16 candidate = quint16(low + QRandomGenerator::global()->bounded(count));
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, candidate))
            return candidate;
    }
    return 0;
}

RefusingPort::RefusingPort()
{
    m_socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_socket < 0)
        return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(m_socket, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(m_socket, reinterpret_cast<sockaddr *>(&address), &length) == 0) {
        m_port = ntohs(address.sin_port);
    }
}

RefusingPort::~RefusingPort()
{
    if (m_socket >= 0)
        ::close(m_socket);
}

} // namespace tktalk::test
