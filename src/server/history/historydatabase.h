#pragma once

#include "historyjournal.h"
#include "historyquery.h"
#include "historystaging.h"

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
 * How a batch gets there: insert() appends the whole batch, packed on the event loop, to the
 * journal (HistoryJournal, a file beside the database: one write, no transaction) and copies each
 * entry's bytes into its conversation's chunk in memory (HistoryStaging); seal() writes those chunks, and the last journal record they
 * hold, in one transaction, then empties the journal. It runs when kSealEntries entries are
 * waiting or the oldest has waited kSealMs, before any query or change (so they see everything
 * inserted before them), and on opening, for what a process killed before sealing left in the
 * journal.
 *
 * A batch in the journal survives the process being killed (it is in the operating system's
 * hands), though not a power cut; so does a sealed one (WAL, synchronous=NORMAL). The schema
 * version lives in PRAGMA user_version, as in the account database.
 */
class HistoryDatabase
{
public:
    static constexpr int kSchemaVersion = 3;
    static constexpr const char *kFileName = "history.sqlite";
    /// A chunk holds at most this many entries, whose times span at most kChunkSpanMs.
    static constexpr int kChunkEntries = 1024;
    static constexpr qint64 kChunkSpanMs = 60'000;
    static constexpr int kSealEntries = 65'536;
    static constexpr qint64 kSealMs = 1'000;
    /// After a seal the database refused, the next batches do not try again for this long: each
    /// try can wait the busy timeout, and a thread that waits for it at every batch falls behind.
    static constexpr qint64 kSealRetryMs = 10'000;

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    /// Where the journal of the database at @p databasePath is: beside it, "history.journal" for
    /// "history.sqlite".
    static QString journalPathFor(const QString &databasePath);
    /// Opens (creating if needed) @p path; false with @p error, one sentence saying what is wrong.
    bool open(const QString &path, QString *error);
    bool isOpen() const;

    /// Writes @p batch, entries packed by historychunk::pack(Fields::Everything) (as
    /// SqliteHistoryStore packs them on the event loop), to the journal; false with @p error if
    /// it was not written.
    bool insert(const QByteArray &batch, QString *error);
    bool insert(const std::vector<HistoryEntry> &entries, QString *error)
    {
        return insert(historychunk::pack(entries.data(), qsizetype(entries.size()), historychunk::Fields::Everything),
                      error);
    }
    /// Moves the entries inserted so far into chunks; false with @p error (they stay in the
    /// journal, and the next seal tries again).
    bool seal(QString *error);
    /// Why the last seal failed, or empty: what the journal holds is kept, but grows.
    QString sealProblem() const { return m_sealProblem; }
    /// Whether a batch inserted at @p nowMs seals what is staged: kSealEntries are waiting, or the
    /// oldest has waited kSealMs; and no seal has failed in the kSealRetryMs before.
    bool sealDue(qint64 nowMs) const;
    /// When the last seal failed (milliseconds since the epoch); 0 when the last one succeeded.
    qint64 sealFailedAtMs() const { return m_sealFailedAtMs; }

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
    /// Version 2 kept its journal in a table: its entries go into chunks, and the table goes.
    bool upgradeJournalTable(QString *error);
    /// Opens the journal and seals what it holds that the database has not sealed.
    bool recoverJournal(const QString &databasePath, QString *error);
    /// Writes the staged chunks (and who their entries wait for) as chunk rows.
    bool storeStaged(QString *error);
    /// storeStaged(), then empties the staging: inside an upgrade's transaction.
    bool storeAndClearStaged(QString *error);
    /// Stages the entries of a journal's batch (historychunk::pack(Fields::Everything)), as far
    /// as it can be read.
    void stagePacked(QByteArrayView packed);
    /// Drops @p table, which an upgrade has moved into chunks.
    bool dropUpgradedTable(const QString &table, QString *error);
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
    HistoryJournal m_journal;
    HistoryStaging m_staged;  ///< in the journal, not yet in chunks
    qint64 m_stagedSinceMs = 0;
    QString m_sealProblem;
    qint64 m_sealFailedAtMs = 0;
};

} // namespace tktalk::server
