#include "sessionlimits.h"

#include "serverconfig.h"

namespace tktalk::server {

SessionLimits::SessionLimits(const ServerConfig &config, qint64 nowMs)
    : m_channelCreations(config.channelCreatesPerSecond, config.channelCreateBurst, nowMs)
    , m_joins(config.joinsPerSecond, config.joinBurst, nowMs)
    , m_nickChanges(config.nickChangesPerSecond, config.nickChangeBurst, nowMs)
{
}

TokenBucket &SessionLimits::bucket(Budget budget)
{
    switch (budget) {
    case Budget::ChannelCreation:
        return m_channelCreations;
    case Budget::Join:
        return m_joins;
    case Budget::NickChange:
        break;
    }
    return m_nickChanges;
}

bool SessionLimits::spend(Budget budget, qint64 nowMs, qint64 *waitSecs)
{
    TokenBucket &tokens = bucket(budget);
    if (tokens.tryTake(nowMs))
        return true;
    *waitSecs = std::max<qint64>(1, (tokens.msUntilAvailable(nowMs) + 999) / 1000);
    return false;
}

} // namespace tktalk::server
