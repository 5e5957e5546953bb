#pragma once

#include "protocol/message.h"

#include <optional>

namespace tktalk::test {

/**
 * @brief Reduces a line a server sent to what every conforming server must agree on: the command or
 * numeric and its parameters, without server names, free texts, hosts, idents and times.
 *
 * Returns nothing for lines that carry no comparable meaning (server notices).
 */
std::optional<QByteArray> normalizeReply(const protocol::Message &message);

} // namespace tktalk::test
