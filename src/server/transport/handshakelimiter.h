#pragma once

#include <QHash>
#include <QHostAddress>

namespace tktalk::server::transport {

/**
 * @brief Counts the TLS handshakes under way per address, caps them, and logs how each failed.
 *
 * A handshake costs the server more than the client, so one address may only have so many going
 * at once; more are closed before any TLS (nothing can be said to a client then). Both TLS engines'
 * listeners keep their handshakes here, so both log the same lines.
 */
class HandshakeLimiter
{
public:
    /// At most this many unfinished handshakes from one address (0: no limit).
    void setMaxPerAddress(int max) { m_maxPerAddress = max; }

    /// Counts a handshake from @p peer; false (and a log line) if @p peer is at its cap.
    bool begin(const QHostAddress &peer);
    /// The handshake from @p peer succeeded.
    void succeeded(const QHostAddress &peer) { end(peer); }
    /// The handshake from @p peer failed for @p reason ("timed out", "no shared cipher"); logged.
    void failed(const QHostAddress &peer, const QString &reason);

    /// Handshakes under way from @p peer.
    int underWay(const QHostAddress &peer) const { return m_perAddress.value(peer); }

private:
    void end(const QHostAddress &peer);

    QHash<QHostAddress, int> m_perAddress;
    int m_maxPerAddress = 0;
};

/// The address at the other end of the socket @p descriptor, or a null address.
QHostAddress peerAddressOf(qintptr descriptor);

} // namespace tktalk::server::transport
