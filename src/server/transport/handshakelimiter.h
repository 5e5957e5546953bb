#pragma once

#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>

namespace tktalk::server::transport {

/**
 * @brief Counts the TLS handshakes under way per address, caps them and how fast they begin, and
 * logs how each failed.
 *
 * A handshake costs the server more than the client, so one address may only have so many going
 * at once, and may only begin so many a second (a burst, then a steady rate: an address that
 * finishes each handshake and closes at once is held to that rate, not only to the cap); more are
 * closed before any TLS (nothing can be said to a client then). Both TLS engines' listeners keep
 * their handshakes here, so both log the same lines.
 */
class HandshakeLimiter
{
public:
    HandshakeLimiter() { m_clock.start(); }

    /// At most this many unfinished handshakes from one address (0: no limit).
    void setMaxPerAddress(int max) { m_maxPerAddress = max; }
    /// At most @p burst handshakes begun from one address at once, then @p perSecond (0: no limit).
    void setRate(double perSecond, int burst)
    {
        m_perSecond = perSecond;
        m_burst = burst;
        m_rates.clear();
    }

    /// Counts a handshake from @p peer; false (and a log line) if @p peer is at its cap or rate.
    bool begin(const QHostAddress &peer) { return begin(peer, m_clock.elapsed()); }
    /// begin() at @p nowMs, on the limiter's clock (QElapsedTimer's milliseconds).
    bool begin(const QHostAddress &peer, qint64 nowMs);
    /// The handshake from @p peer succeeded.
    void succeeded(const QHostAddress &peer) { end(peer); }
    /// The handshake from @p peer failed for @p reason ("timed out", "no shared cipher"); logged.
    void failed(const QHostAddress &peer, const QString &reason);

    /// Handshakes under way from @p peer.
    int underWay(const QHostAddress &peer) const { return m_perAddress.value(peer); }
    /// Addresses whose rate is being kept: those that began a handshake lately.
    qsizetype ratesKept() const { return m_rates.size(); }

private:
    void end(const QHostAddress &peer);
    /// Whether @p peer may begin a handshake at @p nowMs by the rate; takes a token if so.
    bool takeRate(const QHostAddress &peer, qint64 nowMs);

    QHash<QHostAddress, int> m_perAddress;
    int m_maxPerAddress = 0;
    double m_perSecond = 0;
    int m_burst = 0;
    /// An address's bucket, dropped once it has refilled (as good as none): the table holds the
    /// addresses of the last burst / rate seconds, however many there were before.
    QHash<QHostAddress, TokenBucket> m_rates;
    qsizetype m_pruneAt = kFirstPrune;
    static constexpr qsizetype kFirstPrune = 1024;
    QElapsedTimer m_clock;
};

/// The address at the other end of the socket @p descriptor, or a null address.
QHostAddress peerAddressOf(qintptr descriptor);

} // namespace tktalk::server::transport
