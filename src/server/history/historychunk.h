#pragma once

#include "historyentry.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace tktalk::server {

/**
 * @brief How entries are packed into one database value: a chunk of one conversation's entries
 * (one row of the history database holds many entries), or a journal of a batch.
 *
 * Each entry is its fields one after the other, each a 32-bit little-endian length followed by
 * its bytes (the time as 8 bytes). A chunk leaves out what its row already says (the
 * conversation); a journal keeps everything, the conversation and who a message waits for too.
 */
namespace historychunk {

enum class Fields {
    Message,      ///< the entry without its conversation (a chunk's row has that)
    Everything,   ///< with target, accounts and pendingFor (a journal row)
};

/// @p count entries from @p entries, packed one after the other.
QByteArray pack(const HistoryEntry *entries, qsizetype count, Fields fields);
inline QByteArray pack(const QList<HistoryEntry> &entries, Fields fields)
{
    return pack(entries.constData(), entries.size(), fields);
}
/// @p entry packed, appended to @p packed (which grows by doubling: a batch's entries one by one).
void appendPacked(QByteArray &packed, const HistoryRecord &entry, Fields fields);
/// @p bytes appended to @p to, which grows by doubling (QByteArray::append() is made for
/// appending anything, a part of itself too, and costs more).
void appendBytes(QByteArray &to, QByteArrayView bytes);
/**
 * @brief One entry of a journal's batch (pack(Fields::Everything)), read where it lies: views into
 * the batch, valid while it is.
 */
struct PackedEntry
{
    QByteArrayView target;
    QByteArrayView accountA;
    QByteArrayView accountB;
    QByteArrayView pendingFor;
    QByteArrayView msgid;
    qint64 timeMs = 0;
    QByteArrayView message; ///< its Fields::Message part: what a chunk holds of it, as it is
    QByteArrayView record;  ///< the whole entry, Fields::Everything
};
/// Reads a journal's batch entry by entry, copying nothing.
class PackedReader
{
public:
    explicit PackedReader(QByteArrayView packed)
        : m_packed(packed)
    {}
    /// The next entry into @p entry; false at the end, or when the rest is cut short or damaged
    /// (damaged() says which).
    bool next(PackedEntry &entry);
    bool damaged() const { return m_damaged; }

private:
    bool field(QByteArrayView &value);
    bool skipField();

    QByteArrayView m_packed;
    qsizetype m_at = 0;
    bool m_damaged = false;
};
/// The entries of @p packed, appended to @p entries; false (and @p entries as far as it got) when
/// @p packed is cut short or damaged.
bool unpack(const QByteArray &packed, Fields fields, QList<HistoryEntry> &entries);

/**
 * @brief What a msgid made by MessageIds says: its per-start prefix and its counter. Ids of one
 * start grow with time, so a chunk can be found by the range of counters it holds.
 */
struct MessageIdParts
{
    QByteArray prefix;
    qint64 counter = 0;
};
/// The parts of @p msgid ("<prefix>-<base-36 counter>"), or nullopt for an id of another form.
std::optional<MessageIdParts> messageIdParts(const QByteArray &msgid);

/**
 * @brief What a chunk's row says about its entries, to find them without unpacking: their times,
 * and the range of msgid counters when every id has the same prefix (else an empty prefix: the
 * chunk is searched entry by entry).
 */
struct ChunkSummary
{
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    QByteArray idPrefix;
    qint64 idFirst = 0;
    qint64 idLast = 0;
};
ChunkSummary summarize(const QList<HistoryEntry> &entries);

/// A ChunkSummary made entry by entry, as a chunk is filled.
class SummaryBuilder
{
public:
    void add(QByteArrayView msgid, qint64 timeMs);
    const ChunkSummary &summary() const { return m_summary; }

private:
    ChunkSummary m_summary;
    qsizetype m_entries = 0;
    qsizetype m_counterAt = -1; ///< where the counter starts in each msgid; -1: no range
};

} // namespace historychunk
} // namespace tktalk::server
