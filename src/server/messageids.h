#pragma once

#include <QByteArray>
#include <QByteArrayView>

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
    /// The longest id: a prefix and the digits of the largest counter.
    static constexpr int kMaxIdBytes = 32;

    /// An id written out in place: what history copies once and forgets, with no allocation.
    class Text
    {
    public:
        QByteArrayView view() const { return QByteArrayView(m_bytes, m_size); }

    private:
        friend class MessageIds;
        char m_bytes[kMaxIdBytes];
        qsizetype m_size = 0;
    };

    MessageIds();

    /// The next id.
    QByteArray next() { return idOf(m_prefix, draw()); }
    /// Draws the next id's counter, for idOf() or textOf() when its id is needed.
    quint64 draw() { return ++m_counter; }
    QByteArray idOf(quint64 counter) const { return idOf(m_prefix, counter); }
    Text textOf(quint64 counter) const;

    /// @p prefix followed by @p counter in base 36 (lowercase), as QByteArray::number(counter, 36)
    /// writes it, made with one allocation.
    static QByteArray idOf(const QByteArray &prefix, quint64 counter);

private:
    QByteArray m_prefix;
    quint64 m_counter = 0;
};

} // namespace tktalk::server
