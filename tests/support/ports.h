#pragma once

#include <QtGlobal>

namespace tktalk::test {

/**
 * A loopback port that nothing listens on now, chosen at random OUTSIDE the kernel's ephemeral
 * range (/proc/sys/net/ipv4/ip_local_port_range), for a program that must be told its port (other
 * IRC servers) or a server that must come back on the port it had.
 *
 * Ports from bind(0) and connect() come from the ephemeral range, so while the port is between
 * owners, none of the connections the other tests open can take it; only another test picking the
 * same number out of thousands at the same moment could. Callers that start a program on it still
 * retry on "address in use". 0 if no free port was found.
 */
quint16 unassignedPort();

/**
 * @brief A loopback port on which every connection is refused, for as long as this object lives.
 *
 * The port is bound but not listening, and without SO_REUSEADDR, so no other socket can take it
 * (a port remembered from a server that has gone could be reused by anyone meanwhile).
 */
class RefusingPort
{
public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort &) = delete;
    RefusingPort &operator=(const RefusingPort &) = delete;

    /// 0 if no port could be bound.
    quint16 port() const { return m_port; }

private:
    int m_socket = -1;
    quint16 m_port = 0;
};

} // namespace tktalk::test
