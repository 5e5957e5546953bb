#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace tktalk::server {

TokenBucket::TokenBucket(double tokensPerSecond, int burst, qint64 nowMs)
    : m_tokensPerMs(tokensPerSecond / 1000.0)
    , m_burst(std::max(1, burst))
    , m_tokens(m_burst)
    , m_lastRefillMs(nowMs)
{}

bool TokenBucket::tryTake(qint64 nowMs)
{
    if (m_tokensPerMs <= 0)
        return true;
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

bool TokenBucket::isFull(qint64 nowMs)
{
    if (m_tokensPerMs <= 0)
        return true;
    refill(nowMs);
    return m_tokens >= m_burst;
}

qint64 TokenBucket::msUntilAvailable(qint64 nowMs)
{
    if (m_tokensPerMs <= 0)
        return 0;
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) / m_tokensPerMs));
}

void TokenBucket::charge(double tokens, qint64 nowMs)
{
    if (m_tokensPerMs <= 0)
        return;
    refill(nowMs);
    m_tokens -= tokens;
}

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastRefillMs) {
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastRefillMs) * m_tokensPerMs);
        m_lastRefillMs = nowMs;
    }
}

} // namespace tktalk::server
