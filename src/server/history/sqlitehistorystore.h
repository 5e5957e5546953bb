#pragma once

#include "historystore.h"

#include <QThreadPool>
#include <QTimer>

#include <memory>

namespace tktalk::server {

class HistoryDatabase;

/**
 * @brief The history in SQLite (HistoryDatabase), written and read off the event loop.
 *
 * Group commit: entries appended on the event loop are packed at once into a batch (the bytes the
 * journal and the chunks hold: the store's thread copies them, and frees no entry the event loop
 * made), which is handed to the store's
 * one thread (a QThreadPool of one thread that never expires, so the database connection stays on
 * it) when it holds kBatchEntries entries or kGroupCommitMs after its first entry, and written
 * there in one transaction. Queries run on the same thread after the batches handed over before
 * them, so they see every entry appended before them. An entry is therefore committed at most
 * kGroupCommitMs after it was sent, plus the time the thread takes to catch up (which the
 * benchmark reports): that is the window a crash can lose.
 */
class SqliteHistoryStore : public HistoryStore
{
    Q_OBJECT
public:
    static constexpr int kGroupCommitMs = 50;
    static constexpr int kBatchEntries = 512;

    explicit SqliteHistoryStore(QObject *parent = nullptr);
    ~SqliteHistoryStore() override;

    /// Opens @p path on the store's thread and waits for it; false with @p error on failure.
    bool open(const QString &path, QString *error);

    void append(const HistoryRecord &entry) override;
    void query(const HistoryQuery &query, QObject *context, QueryDone done) override;
    void targets(const HistoryTargetsQuery &query, QObject *context, TargetsDone done) override;
    void purge(const HistoryPurge &purge, QObject *context, PurgeDone done) override;
    void removeFromAccount(const QByteArray &account, QObject *context, PurgeDone done) override;
    void remove(const QByteArray &target, const QByteArray &msgid, QObject *context, Done done) override;
    void whenWritten(QObject *context, Done done) override;
    void pending(const QByteArray &account, QObject *context, QueryDone done) override;
    void markDelivered(const QByteArray &account, const QByteArrayList &msgids) override;
    QString problem() const override { return m_problem; }

private:
    /// What writing a batch came to: a problem (empty: none), and whether the batch was lost.
    struct Written
    {
        QString problem;
        bool lost = false;
    };
    /// Hands the waiting batch to the store's thread.
    void flush();
    void setProblem(const QString &problem);
    /// Runs @p work on the store's thread after everything handed over before it, then @p then
    /// with its result on this thread, if @p context still exists.
    template <typename Result>
    void post(std::function<Result(HistoryDatabase &)> work, QObject *context, std::function<void(const Result &)> then);
    /// As post(), after handing over the waiting batch; with no database, @p then gets
    /// @p unavailable at once.
    template <typename Result>
    void run(Result unavailable, std::function<Result(HistoryDatabase &)> work, QObject *context,
             std::function<void(const Result &)> then);

    QThreadPool m_thread;
    std::shared_ptr<HistoryDatabase> m_database; ///< used only on m_thread
    QByteArray m_batch; ///< historychunk::pack(Fields::Everything) of the entries appended
    qsizetype m_batchEntries = 0;
    QTimer m_groupCommit;
    QString m_problem;
};

} // namespace tktalk::server
