#pragma once

#include <QtGlobal>

namespace tktalk::server {

/**
 * @brief Flood control: a token bucket that refills at a steady rate up to a burst size.
 *
 * Time is passed in by the caller (milliseconds on any monotonic clock), so the bucket is tested
 * without a clock or sleeps. A rate of 0 means unlimited.
 */
class TokenBucket
{
public:
    TokenBucket(double tokensPerSecond, int burst, qint64 nowMs);

    /// Takes one token if one is available at @p nowMs.
    bool tryTake(qint64 nowMs);

    /// Whether the bucket has refilled to its burst at @p nowMs: as good as a new one.
    bool isFull(qint64 nowMs);

    /// Milliseconds from @p nowMs until a token is available (0 if one is).
    qint64 msUntilAvailable(qint64 nowMs);

    /// Takes @p tokens more at @p nowMs, into debt if need be: a command that cost more than a
    /// line (a long reply) delays the lines after it.
    void charge(double tokens, qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_tokensPerMs;
    double m_burst;
    double m_tokens;
    qint64 m_lastRefillMs;
};

} // namespace tktalk::server
