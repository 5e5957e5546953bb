#include "historystaging.h"

#include "historydatabase.h"

#include <algorithm>

namespace tktalk::server {

namespace {

/// Whether @p chunk has room for an entry at @p timeMs.
bool fits(const HistoryStaging::Chunk &chunk, qint64 timeMs)
{
    if (chunk.entries >= HistoryDatabase::kChunkEntries)
        return false;
    const historychunk::ChunkSummary &summary = chunk.summary.summary();
    return std::max(summary.lastMs, timeMs) - std::min(summary.firstMs, timeMs) <= HistoryDatabase::kChunkSpanMs;
}

} // namespace

void HistoryStaging::add(const HistoryEntry &entry, QByteArrayView packedMessage)
{
    if (entry.target != m_lastTarget) {
        m_lastTarget = entry.target;
        m_lastKey = storedTargetKey(entry.target);
    }
    auto open = m_open.find(m_lastKey);
    if (open == m_open.end() || !fits(m_chunks[*open], entry.timeMs)) {
        Chunk chunk;
        chunk.key = m_lastKey;
        chunk.accountA = entry.accountA;
        chunk.accountB = entry.accountB;
        m_chunks.push_back(std::move(chunk));
        if (open == m_open.end())
            open = m_open.insert(m_lastKey, m_chunks.size() - 1);
        else
            *open = m_chunks.size() - 1;
    }
    Chunk &chunk = m_chunks[*open];
    if (packedMessage.isEmpty())
        historychunk::appendPacked(chunk.data, entry, historychunk::Fields::Message);
    else
        chunk.data.append(packedMessage);
    chunk.summary.add(entry.msgid, entry.timeMs);
    ++chunk.entries;
    if (!entry.pendingFor.isEmpty())
        chunk.waiting.append(entry);
    ++m_entries;
}

void HistoryStaging::clear()
{
    m_chunks.clear();
    m_open.clear();
    m_entries = 0;
}

} // namespace tktalk::server
