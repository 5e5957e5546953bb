#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace tktalk::server::transport {

/**
 * @brief Output waiting to be sent on one connection: shared byte arrays, never copied to queue.
 *
 * A line relayed to a channel is one QByteArray shared by every member's queue. An idle connection
 * keeps no storage at all.
 */
class OutputQueue
{
public:
    void append(const QByteArray &bytes);
    /// Bytes queued and not yet consumed.
    qint64 size() const { return m_bytes; }
    bool isEmpty() const { return m_bytes == 0; }

    /**
     * The bytes at the front of the queue as one run of at most @p maxBytes: the first array itself
     * when it is long enough or alone, otherwise the front arrays copied into @p scratch (which
     * holds @p maxBytes). The front does not change until consume(): a partial TLS write is retried
     * with the same bytes.
     */
    QByteArrayView front(char *scratch, qsizetype maxBytes) const;
    /// Drops @p bytes from the front: they are sent.
    void consume(qint64 bytes);
    /// Hands every queued array (the first one less what was consumed of it) to @p take, in
    /// order, and empties the queue.
    template<typename Take>
    void takeAll(Take take)
    {
        for (qsizetype i = 0; i < m_arrays.size(); ++i)
            take(i == 0 ? QByteArrayView(m_arrays.at(0)).sliced(m_frontOffset) : QByteArrayView(m_arrays.at(i)));
        clear();
    }
    void clear();

private:
    QList<QByteArray> m_arrays;
    qsizetype m_frontOffset = 0; ///< bytes of m_arrays.first() already sent
    qint64 m_bytes = 0;
};

} // namespace tktalk::server::transport
