#include "memoryconnection.h"

#include <cstring>

namespace tktalk::server::transport {

MemoryConnection::MemoryConnection(const QHostAddress &peer, QByteArray certificateSha256, QObject *parent)
    : Connection(parent)
    , m_peer(peer)
    , m_certificateSha256(std::move(certificateSha256))
{
}

void MemoryConnection::feed(const QByteArray &bytes)
{
    if (m_state != State::Open || bytes.isEmpty())
        return;
    if (m_readPos == m_input.size()) {
        m_input.clear();
        m_readPos = 0;
    }
    m_input += bytes;
    Q_EMIT readyRead();
}

QByteArray MemoryConnection::takeOutput()
{
    return std::exchange(m_output, {});
}

void MemoryConnection::setStalled(bool stalled)
{
    m_isStalled = stalled;
    if (!stalled)
        m_output += std::exchange(m_stalled, {});
}

void MemoryConnection::hangUp()
{
    finish();
}

qint64 MemoryConnection::read(char *data, qint64 maxBytes)
{
    if (m_state != State::Open || maxBytes <= 0)
        return 0;
    const qint64 count = std::min<qint64>(maxBytes, m_input.size() - m_readPos);
    if (count > 0) {
        std::memcpy(data, m_input.constData() + m_readPos, size_t(count));
        m_readPos += count;
    }
    return count;
}

void MemoryConnection::write(const QByteArray &bytes)
{
    if (m_state != State::Open)
        return;
    (m_isStalled ? m_stalled : m_output) += bytes;
}

qint64 MemoryConnection::bytesToWrite() const
{
    return m_stalled.size();
}

void MemoryConnection::close(const QByteArray &lastLine)
{
    if (m_state != State::Open)
        return;
    // What was queued and the last line reach the client, as LingeringClose makes sure of.
    m_output += std::exchange(m_stalled, {});
    m_output += lastLine;
    finish();
}

void MemoryConnection::abort()
{
    m_stalled.clear();
    finish();
}

void MemoryConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    QMetaObject::invokeMethod(this, &MemoryConnection::disconnected, Qt::QueuedConnection);
}

} // namespace tktalk::server::transport
