#pragma once

#include "historyquery.h"

#include <QString>

#include <memory>
#include <vector>

namespace tktalk::server {

class HistoryInsert;

/**
 * @brief The history in an SQLite file, through Qt SQL (the INSERT, run per row, through
 * HistoryInsert on the same connection): the statements, run on whatever thread calls
 * (SqliteHistoryStore keeps them all on its one writer thread).
 *
 * WAL journal with synchronous=NORMAL: a committed batch survives the process being killed (it is
 * in the operating system's hands), though not a power cut. The schema version lives in PRAGMA
 * user_version, as in the account database.
 */
class HistoryDatabase
{
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr const char *kFileName = "history.sqlite";

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    /// Opens (creating if needed) @p path; false with @p error, one sentence saying what is wrong.
    bool open(const QString &path, QString *error);
    bool isOpen() const;

    /// Writes @p entries in one transaction; false with @p error if nothing was written.
    bool insert(const std::vector<HistoryEntry> &entries, QString *error);
    HistoryResult select(const HistoryQuery &query) const;
    HistoryTargetsResult targets(const HistoryTargetsQuery &query) const;
    /// The entries waiting for @p account, oldest first.
    HistoryResult pending(const QByteArray &account) const;
    /// Stops @p msgids waiting for @p account.
    bool markDelivered(const QByteArray &account, const QByteArrayList &msgids, QString *error);
    HistoryPurgeResult purge(const HistoryPurge &purge);
    HistoryPurgeResult removeFromAccount(const QByteArray &account);
    /// Removes message @p msgid of @p target; false if there was none (or on an error).
    bool remove(const QByteArray &target, const QByteArray &msgid);

private:
    bool migrate(QString *error);

    QString m_connectionName;
    std::unique_ptr<HistoryInsert> m_insert; ///< prepared while the database is open
};

} // namespace tktalk::server
