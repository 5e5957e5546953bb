#pragma once

#include <vector>

namespace tktalk::server::transport {

class Connection;

/**
 * @brief Flushes every connection that was written to, once, when the current event-loop turn ends.
 *
 * One posted call per turn for all connections, rather than one per connection: a relayed line
 * reaches thousands of them. Its state is file-local rather than owned by an object, because
 * connections outlive the listener that made them (sessions own them); a connection takes itself
 * out of the list when destroyed. The server runs on one thread, and so does this.
 */
class EndOfTurnFlusher
{
public:
    /// Schedules @p connection's flushQueued() for the end of this turn. Add each connection at
    /// most once per turn: the caller keeps a flag.
    static void add(Connection *connection);
    /// Forgets @p connection (it is being destroyed).
    static void remove(Connection *connection);

private:
    static void run();

    static inline std::vector<Connection *> s_pending;
    static inline std::vector<Connection *> s_running;
    static inline bool s_scheduled = false;
};

} // namespace tktalk::server::transport
