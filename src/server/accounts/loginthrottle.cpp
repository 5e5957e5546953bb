#include "loginthrottle.h"

#include <algorithm>

namespace tktalk::server {

namespace {

/// Entries idle for this multiple of the longest lockout are forgotten.
constexpr qint64 kForgetAfterMaxDelays = 4;
constexpr qsizetype kPruneAboveEntries = 4096;

} // namespace

LoginThrottle::LoginThrottle(Policy policy)
    : m_policy(policy)
{
}

qint64 LoginThrottle::delayFor(int failures) const
{
    if (failures < m_policy.freeFailures)
        return 0;
    const int doublings = std::min(failures - m_policy.freeFailures, 30);
    return std::min(m_policy.maxDelayMs, m_policy.baseDelayMs << doublings);
}

qint64 LoginThrottle::msUntilAllowed(const QByteArray &key, qint64 nowMs) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd())
        return 0;
    const qint64 allowedAt = it->lastFailureMs + delayFor(it->failures);
    return std::max<qint64>(0, allowedAt - nowMs);
}

void LoginThrottle::recordFailure(const QByteArray &key, qint64 nowMs)
{
    Entry &entry = m_entries[key];
    entry.failures = std::min(entry.failures + 1, 1 << 20);
    entry.lastFailureMs = nowMs;
    if (m_entries.size() > kPruneAboveEntries && nowMs - m_lastPruneMs > m_policy.baseDelayMs)
        prune(nowMs);
}

void LoginThrottle::reset(const QByteArray &key)
{
    m_entries.remove(key);
}

int LoginThrottle::failures(const QByteArray &key) const
{
    return m_entries.value(key).failures;
}

void LoginThrottle::prune(qint64 nowMs)
{
    m_lastPruneMs = nowMs;
    const qint64 forgetAfterMs = kForgetAfterMaxDelays * m_policy.maxDelayMs;
    m_entries.removeIf([&](const QHash<QByteArray, Entry>::iterator it) {
        return nowMs - it->lastFailureMs > forgetAfterMs;
    });
}

} // namespace tktalk::server
