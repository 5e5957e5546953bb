#pragma once

#include <QByteArray>
#include <QHash>

namespace tktalk::server {

/**
 * @brief Brute-force protection: counts failed attempts per key (an account, an address) and locks
 * the key out for a delay that doubles with each failure beyond a free allowance.
 *
 * Time is passed in by the caller (milliseconds on a monotonic clock), so it is tested without
 * sleeps. A locked key is refused before any password is hashed, so an attacker spends no server CPU.
 */
class LoginThrottle
{
public:
    struct Policy
    {
        int freeFailures = 5;      ///< failures allowed before the lockout starts
        qint64 baseDelayMs = 2'000; ///< the first lockout; each further failure doubles it
        qint64 maxDelayMs = 300'000;
    };

    explicit LoginThrottle(Policy policy);

    /// Milliseconds until @p key may try again; 0 when it may try now.
    qint64 msUntilAllowed(const QByteArray &key, qint64 nowMs) const;
    void recordFailure(const QByteArray &key, qint64 nowMs);
    /// Forgets @p key's failures (a successful login on an account).
    void reset(const QByteArray &key);
    int failures(const QByteArray &key) const;
    qsizetype trackedKeys() const { return m_entries.size(); }

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailureMs = 0;
    };
    qint64 delayFor(int failures) const;
    /// Drops entries whose lockout is long over, so memory stays bounded under a flood.
    void prune(qint64 nowMs);

    Policy m_policy;
    QHash<QByteArray, Entry> m_entries;
    qint64 m_lastPruneMs = 0;
};

} // namespace tktalk::server
