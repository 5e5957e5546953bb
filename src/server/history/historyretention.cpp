#include "historyretention.h"

#include "history.h"
#include "logging.h"
#include "serverconfig.h"

#include <QDateTime>

namespace tktalk::server {

HistoryRetention::HistoryRetention(History &history, const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_history(history)
    , m_config(config)
{
    connect(&m_timer, &QTimer::timeout, this, [this] { purgeNow(); });
}

void HistoryRetention::start()
{
    if (!m_history.isOn())
        return;
    purgeNow();
    m_timer.start(m_config.historyPurgeIntervalMs);
}

void HistoryRetention::purgeNow(std::function<void(const HistoryPurgeResult &)> done)
{
    if (!m_history.isOn()) {
        if (done)
            done(HistoryPurgeResult{0, QStringLiteral("history is off")});
        return;
    }
    constexpr qint64 kDayMs = 24LL * 3600 * 1000;
    HistoryPurge purge;
    if (m_config.historyDays > 0)
        purge.olderThanMs = QDateTime::currentMSecsSinceEpoch() - m_config.historyDays * kDayMs;
    purge.maxPerTarget = m_config.historyMaxPerTarget;
    if (purge.olderThanMs == 0 && purge.maxPerTarget == 0) {
        if (done)
            done(HistoryPurgeResult{});
        return;
    }
    m_history.store().purge(purge, this, [done = std::move(done)](const HistoryPurgeResult &result) {
        if (!result.error.isEmpty())
            qCWarning(lcServer).noquote() << "history: purge failed:" << result.error;
        else if (result.removed > 0)
            qCInfo(lcServer).noquote() << "history: purged" << result.removed << "old entries";
        if (done)
            done(result);
    });
}

} // namespace tktalk::server
