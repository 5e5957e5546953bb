#pragma once

namespace tktalk::protocol {
struct Message;
}

namespace tktalk::server {

class ClientSession;

/**
 * Runs one parsed message from @p client through the command table. The table's single gate
 * answers 421 (unknown command), 451 (not registered yet) and 461 (too few parameters) before any
 * handler runs, so handlers only deal with their own command's logic.
 */
void dispatchCommand(ClientSession &client, const protocol::Message &message);

} // namespace tktalk::server
