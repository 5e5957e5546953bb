#include "outputqueue.h"

#include <algorithm>
#include <cstring>

namespace tktalk::server::transport {

void OutputQueue::append(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    m_arrays.append(bytes);
    m_bytes += bytes.size();
}

QByteArrayView OutputQueue::front(char *scratch, qsizetype maxBytes) const
{
    if (m_arrays.isEmpty())
        return {};
    const QByteArrayView first = QByteArrayView(m_arrays.constFirst()).sliced(m_frontOffset);
    if (first.size() >= maxBytes || m_arrays.size() == 1)
        return first.first(std::min(first.size(), maxBytes));
    std::memcpy(scratch, first.data(), size_t(first.size()));
    qsizetype length = first.size();
    for (qsizetype i = 1; i < m_arrays.size() && length < maxBytes; ++i) {
        const qsizetype take = std::min(m_arrays.at(i).size(), maxBytes - length);
        std::memcpy(scratch + length, m_arrays.at(i).constData(), size_t(take));
        length += take;
    }
    return QByteArrayView(scratch, length);
}

void OutputQueue::consume(qint64 bytes)
{
    m_bytes -= bytes;
    while (bytes > 0) {
        const qsizetype frontLeft = m_arrays.constFirst().size() - m_frontOffset;
        if (bytes < frontLeft) {
            m_frontOffset += bytes;
            return;
        }
        bytes -= frontLeft;
        m_arrays.removeFirst();
        m_frontOffset = 0;
    }
    if (m_arrays.isEmpty())
        m_arrays = {}; // an idle connection keeps no queue storage
}

void OutputQueue::clear()
{
    m_arrays = {};
    m_frontOffset = 0;
    m_bytes = 0;
}

} // namespace tktalk::server::transport
