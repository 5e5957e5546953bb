#pragma once

#include "historyentry.h"

#include <QString>

#include <memory>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace tktalk::server {

/**
 * @brief HistoryDatabase's INSERT of one entry, prepared once and bound through SQLite's own C API
 * on the connection Qt SQL opened.
 *
 * Per row, Qt SQL's binding (a QVariant and a QString per value, converted back to UTF-8 by
 * SQLite) cost more than SQLite's own work; here every value is bound as the bytes the entry
 * already holds. Text is stored exactly as Qt SQL stores it (sqlText()), so the other statements,
 * which still go through Qt SQL, find it. Destroy it before the connection closes.
 */
class HistoryInsert
{
public:
    /// Prepares the statement on @p db, an open QSQLITE connection; nullptr with @p error.
    static std::unique_ptr<HistoryInsert> prepare(const QSqlDatabase &db, QString *error);
    ~HistoryInsert();
    HistoryInsert(const HistoryInsert &) = delete;
    HistoryInsert &operator=(const HistoryInsert &) = delete;

    /// Inserts @p entry (inside the caller's transaction); false with @p error.
    bool insert(const HistoryEntry &entry, QString *error);

private:
    HistoryInsert(sqlite3 *db, sqlite3_stmt *statement);

    sqlite3 *m_db;
    sqlite3_stmt *m_statement;
};

} // namespace tktalk::server
