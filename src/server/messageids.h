#pragma once

#include <QByteArray>

namespace tktalk::server {

/**
 * @brief Makes the IRCv3 `msgid` of every message the server relays: unique for the server's
 * whole life and across its restarts.
 *
 * An id is a random prefix drawn once per start (96 bits from the system's random source, as 16
 * base64url characters) followed by a counter in base 36: "Vq3x9aB_kLmN0pQr-1a". A counter makes
 * ids cheap; the prefix keeps two starts (or two servers) from ever sharing one, without any state
 * on disk. History (issue 14) stores the id with the message.
 */
class MessageIds
{
public:
    MessageIds();

    QByteArray next();

    /// @p prefix followed by @p counter in base 36 (lowercase), as QByteArray::number(counter, 36)
    /// writes it, made with one allocation.
    static QByteArray idOf(const QByteArray &prefix, quint64 counter);

private:
    QByteArray m_prefix;
    quint64 m_counter = 0;
};

} // namespace tktalk::server
