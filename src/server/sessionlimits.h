#pragma once

#include "tokenbucket.h"

namespace tktalk::server {

struct ServerConfig;

/**
 * @brief One client's budgets for what costs other clients the most: creating channels, joining
 * them (each JOIN goes to every member), and changing nick (each NICK goes to every peer), with
 * the limits and rates of ServerConfig.
 *
 * Each is a token bucket: a burst at once, then a steady rate. A command that finds its bucket
 * empty is refused with a numeric that says how long to wait (docs/RELIABILITY.md).
 */
class SessionLimits
{
public:
    enum class Budget { ChannelCreation, Join, NickChange };

    SessionLimits(const ServerConfig &config, qint64 nowMs);

    /// Spends one token of @p budget; if none is left, returns false and sets @p waitSecs (at
    /// least 1) to when one will be.
    bool spend(Budget budget, qint64 nowMs, qint64 *waitSecs);

private:
    TokenBucket &bucket(Budget budget);

    TokenBucket m_channelCreations;
    TokenBucket m_joins;
    TokenBucket m_nickChanges;
};

} // namespace tktalk::server
