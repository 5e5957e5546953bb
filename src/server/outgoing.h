#pragma once

#include "protocol/message.h"

namespace tktalk::server {

/**
 * @brief A message on its way to one or many clients, serialised at most once per variant.
 *
 * Relaying to a channel of N members costs one serialisation, not N: every recipient gets the same
 * implicitly shared QByteArray. Clients that asked for IRCv3 server-time get the variant with a
 * `time` tag, built on first need. The line is sent as the message makes it, even past 512 bytes
 * when a sender's prefix lengthens a line that fitted the input limit (as Ergo does): cutting it
 * would change what was said.
 */
class Outgoing
{
public:
    explicit Outgoing(protocol::Message message);

    /// The wire line with CR LF, with or without the server-time tag.
    const QByteArray &line(bool withServerTime);

    const protocol::Message &message() const { return m_message; }

private:
    protocol::Message m_message;
    QByteArray m_plain;
    QByteArray m_timed;
    qint64 m_createdAtMs; ///< formatted only when a server-time client needs it: most never do
};

} // namespace tktalk::server
