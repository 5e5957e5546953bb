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

/// A QByteArray over @p bytes, copying nothing: to look up a key, never to keep.
QByteArray lookupKey(QByteArrayView bytes)
{
    return QByteArray::fromRawData(bytes.data(), bytes.size());
}

} // namespace

void HistoryStaging::add(const historychunk::PackedEntry &entry)
{
    // A private conversation's target is its key; a channel's is folded, once per run of entries.
    QByteArray key;
    if (entry.target.startsWith(' ')) {
        key = lookupKey(entry.target);
    } else {
        if (entry.target != m_lastTarget) {
            m_lastTarget = entry.target.toByteArray();
            m_lastKey = storedTargetKey(m_lastTarget);
        }
        key = m_lastKey;
    }
    auto open = m_open.constFind(key);
    if (open == m_open.cend() || !fits(m_chunks[*open], entry.timeMs)) {
        Chunk chunk;
        chunk.key = QByteArray(key.constData(), key.size()); // a copy of its own, not of the batch
        chunk.accountA = entry.accountA.toByteArray();
        chunk.accountB = entry.accountB.toByteArray();
        m_chunks.push_back(std::move(chunk));
        open = m_open.insert(m_chunks.back().key, m_chunks.size() - 1);
    }
    Chunk &chunk = m_chunks[*open];
    historychunk::appendBytes(chunk.data, entry.message);
    chunk.summary.add(entry.msgid, entry.timeMs);
    ++chunk.entries;
    if (!entry.pendingFor.isEmpty()) {
        QList<HistoryEntry> waiting;
        historychunk::unpack(entry.record.toByteArray(), historychunk::Fields::Everything, waiting);
        chunk.waiting.append(waiting);
    }
    ++m_entries;
}

void HistoryStaging::add(const HistoryEntry &entry)
{
    const QByteArray packed = historychunk::pack(&entry, 1, historychunk::Fields::Everything);
    historychunk::PackedReader reader(packed);
    historychunk::PackedEntry read;
    if (reader.next(read))
        add(read);
}

void HistoryStaging::clear()
{
    m_chunks.clear();
    m_open.clear();
    m_entries = 0;
}

} // namespace tktalk::server
