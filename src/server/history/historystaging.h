#pragma once

#include "historychunk.h"

#include <QHash>

#include <vector>

namespace tktalk::server {

/**
 * @brief Entries on their way into chunks: each conversation's entries packed one after the other
 * as they come, ready to be written as chunk rows (HistoryDatabase::seal()).
 *
 * Each entry comes packed (read in place from a journal's batch) and its bytes are appended as
 * they are: that is what keeps a kept message cheap. Sealing writes the buffers as they are, with
 * no regrouping and no copy of the entries. A conversation's chunk is
 * closed, and another begun, at HistoryDatabase::kChunkEntries entries or when its times would
 * span more than kChunkSpanMs; the chunks come out in the order they were begun.
 */
class HistoryStaging
{
public:
    struct Chunk
    {
        QByteArray key; ///< storedTargetKey()
        QByteArray accountA;
        QByteArray accountB;
        QByteArray data; ///< historychunk::pack(Fields::Message) of its entries
        qsizetype entries = 0;
        historychunk::SummaryBuilder summary;
        QList<HistoryEntry> waiting; ///< its entries that wait for an offline account
    };

    /// Adds @p entry, read from a journal's batch, to its conversation's open chunk: its packed
    /// bytes are copied as they are.
    void add(const historychunk::PackedEntry &entry);
    /// add() of @p entry packed.
    void add(const HistoryEntry &entry);
    const std::vector<Chunk> &chunks() const { return m_chunks; }
    qsizetype entries() const { return m_entries; }
    bool isEmpty() const { return m_entries == 0; }
    void clear();

private:
    std::vector<Chunk> m_chunks;
    QHash<QByteArray, size_t> m_open; ///< a conversation's key: its open chunk in m_chunks
    qsizetype m_entries = 0;
    QByteArray m_lastTarget; ///< the last channel target, and its key (folded): most follow one like it
    QByteArray m_lastKey;
};

} // namespace tktalk::server
