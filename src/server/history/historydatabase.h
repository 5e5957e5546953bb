#pragma once

#include "historyquery.h"

#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QSqlQuery;

namespace tktalk::server {

/**
 * @brief The history in an SQLite file, through Qt SQL: the statements, run on whatever thread
 * calls (SqliteHistoryStore keeps them all on its one writer thread).
 *
 * Entries are kept in chunks: one row holds many entries of one conversation, packed
 * (historychunk), with their times and the range of their msgids so that a query finds the rows
 * it needs without unpacking the others. A row per entry cost about 30,000 instructions to
 * write, with the indexes every query needs; a chunk of a hundred entries costs about as much.
 *
 * How a batch gets there: insert() writes the whole batch as one row of the journal (one
 * transaction, no index: cheap) and keeps its entries in memory; seal() moves what the journal
 * holds into chunks, one or more per conversation, and empties the journal, in one transaction.
 * It runs when kSealEntries entries are waiting or the oldest has waited kSealMs, before any
 * query or change (so they see everything inserted before them), and on opening, for what a
 * process killed before sealing left in the journal.
 *
 * WAL journal with synchronous=NORMAL: a committed batch survives the process being killed (it is
 * in the operating system's hands), though not a power cut. The schema version lives in PRAGMA
 * user_version, as in the account database.
 */
class HistoryDatabase
{
public:
    static constexpr int kSchemaVersion = 2;
    static constexpr const char *kFileName = "history.sqlite";
    /// A chunk holds at most this many entries, whose times span at most kChunkSpanMs.
    static constexpr int kChunkEntries = 1024;
    static constexpr qint64 kChunkSpanMs = 60'000;
    static constexpr int kSealEntries = 16'384;
    static constexpr qint64 kSealMs = 1'000;

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    /// Opens (creating if needed) @p path; false with @p error, one sentence saying what is wrong.
    bool open(const QString &path, QString *error);
    bool isOpen() const;

    /// Writes @p entries in one transaction; false with @p error if nothing was written.
    bool insert(std::vector<HistoryEntry> &&entries, QString *error);
    /// Moves the entries inserted so far into chunks; false with @p error (they stay in the
    /// journal, and the next seal tries again).
    bool seal(QString *error);

    HistoryResult select(const HistoryQuery &query);
    HistoryTargetsResult targets(const HistoryTargetsQuery &query);
    /// The entries waiting for @p account, oldest first.
    HistoryResult pending(const QByteArray &account);
    /// Stops @p msgids waiting for @p account.
    bool markDelivered(const QByteArray &account, const QByteArrayList &msgids, QString *error);
    HistoryPurgeResult purge(const HistoryPurge &purge);
    HistoryPurgeResult removeFromAccount(const QByteArray &account);
    /// Removes message @p msgid of @p target; false if there was none (or on an error).
    bool remove(const QByteArray &target, const QByteArray &msgid);

private:
    /// One row of chunks, unpacked: its entries carry its conversation.
    struct Chunk
    {
        qint64 id = 0;
        qint64 firstMs = 0;
        qint64 lastMs = 0;
        QList<HistoryEntry> entries;
    };
    /// Where an entry is stored, as a number: conversations are ordered by (time, place), place
    /// being the chunk's row id and the entry's index in it.
    static qint64 placeOf(qint64 chunkId, qsizetype index) { return chunkId * kChunkEntries + index; }
    /// An entry found by its msgid: the chunk that holds it, and where.
    struct Located
    {
        Chunk chunk;
        qsizetype index = 0;
        const HistoryEntry &entry() const { return chunk.entries.at(index); }
        qint64 place() const { return placeOf(chunk.id, index); }
    };
    /// Calls @p visit with each chunk "SELECT ... FROM chunks WHERE @p where" finds, in its order,
    /// until @p visit returns false.
    bool forEachChunk(const QString &where, const QVariantList &values, const std::function<bool(Chunk &)> &visit,
                      QString *error);

    /// Runs @p statements in one transaction: all of them, or (false, with @p error, which
    /// @p statements sets when it fails) none.
    bool inTransaction(QString *error, const std::function<bool(QString *error)> &statements);
    bool migrate(QString *error);
    void sealBeforeReading();
    bool upgradeFromRows(QString *error);
    bool recoverJournal(QString *error);
    /// Stores @p entries of conversation @p key as new chunks (and who they wait for).
    bool storeChunks(const QByteArray &key, const QList<HistoryEntry> &entries, QString *error);
    /// Replaces chunk @p id's entries with @p kept (removing the chunk when none are left).
    bool rewriteChunk(qint64 id, const QList<HistoryEntry> &kept, QString *error);
    /// Rewrites each of @p chunks with only the entries @p keep says stay, adding to @p removed.
    bool keepOnly(const QList<Chunk> &chunks, const std::function<bool(const HistoryEntry &)> &keep, qint64 *removed,
                  QString *error);
    /// The chunk holding @p msgid in conversation @p key, and its place there.
    std::optional<Located> find(const QByteArray &key, const QByteArray &msgid, QString *error);

    QString m_connectionName;
    std::unique_ptr<QSqlQuery> m_insertChunk; ///< prepared on first use
    std::unique_ptr<QSqlQuery> m_insertWaiting;
    QList<HistoryEntry> m_unsealed; ///< in the journal, not yet in chunks
    qint64 m_unsealedSinceMs = 0;
};

} // namespace tktalk::server
