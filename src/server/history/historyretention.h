#pragma once

#include "historyquery.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace tktalk::server {

class History;
struct ServerConfig;

/**
 * @brief Retention: removes history entries older than ServerConfig::historyDays and, in each
 * conversation, those beyond historyMaxPerTarget (private messages not yet delivered stay), once
 * at start and then every historyPurgeIntervalMs, on the store's thread. Each purge is logged with
 * the number of entries removed.
 */
class HistoryRetention : public QObject
{
    Q_OBJECT
public:
    /// Reads @p config at every purge (a reload applies to the next one).
    HistoryRetention(History &history, const ServerConfig &config, QObject *parent = nullptr);

    /// Purges now, then every interval; does nothing while history is off.
    void start();
    /// Purges now; @p done (if set) gets the result.
    void purgeNow(std::function<void(const HistoryPurgeResult &)> done = {});

private:
    History &m_history;
    const ServerConfig &m_config;
    QTimer m_timer;
};

} // namespace tktalk::server
