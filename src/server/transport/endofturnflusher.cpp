#include "endofturnflusher.h"

#include "connection.h"

#include <QCoreApplication>

#include <algorithm>

namespace tktalk::server::transport {

void EndOfTurnFlusher::add(Connection *connection)
{
    if (!s_scheduled) {
        s_scheduled = true;
        QMetaObject::invokeMethod(QCoreApplication::instance(), &EndOfTurnFlusher::run, Qt::QueuedConnection);
    }
    s_pending.push_back(connection);
}

void EndOfTurnFlusher::remove(Connection *connection)
{
    std::replace(s_pending.begin(), s_pending.end(), connection, static_cast<Connection *>(nullptr));
    std::replace(s_running.begin(), s_running.end(), connection, static_cast<Connection *>(nullptr));
}

void EndOfTurnFlusher::run()
{
    s_scheduled = false;
    s_running.swap(s_pending);
    for (Connection *connection : s_running) {
        if (connection)
            connection->flushQueued();
    }
    s_running.clear();
}

} // namespace tktalk::server::transport
