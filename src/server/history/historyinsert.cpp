#include "historyinsert.h"

#include "protocol/names.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include <algorithm>
#include <iterator>

namespace tktalk::server {

namespace {

/// SQLite takes a null pointer for NULL: an empty value needs a pointer to something.
const char *dataOf(const QByteArray &bytes)
{
    return bytes.isEmpty() ? "" : bytes.constData();
}

/// @p bytes as stored TEXT: unchanged when they are UTF-8 (every name and msgid the server
/// accepts), else with each bad sequence replaced as QString::fromUtf8() does, as sqlText() (and
/// so every lookup through Qt SQL) sees them.
QByteArray asText(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

} // namespace

std::unique_ptr<HistoryInsert> HistoryInsert::prepare(const QSqlDatabase &connection, QString *error)
{
    const QVariant handle = connection.driver() ? connection.driver()->handle() : QVariant();
    sqlite3 *db = qstrcmp(handle.typeName(), "sqlite3*") == 0 ? *static_cast<sqlite3 *const *>(handle.constData())
                                                              : nullptr;
    static constexpr char kSql[] = "INSERT INTO messages (target, account_a, account_b, msgid, time_ms, command,"
                                   " sender_nick, sender_account, line, client_tags, pending_for)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *statement = nullptr;
    if (!db || sqlite3_prepare_v3(db, kSql, int(sizeof kSql - 1), SQLITE_PREPARE_PERSISTENT, &statement, nullptr)
                   != SQLITE_OK) {
        *error = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("no SQLite connection");
        sqlite3_finalize(statement);
        return nullptr;
    }
    return std::unique_ptr<HistoryInsert>(new HistoryInsert(db, statement));
}

HistoryInsert::HistoryInsert(sqlite3 *db, sqlite3_stmt *statement)
    : m_db(db)
    , m_statement(statement)
{}

HistoryInsert::~HistoryInsert()
{
    sqlite3_finalize(m_statement);
}

bool HistoryInsert::insert(const HistoryEntry &entry, QString *error)
{
    // Every value outlives the step below, so SQLite may use it without a copy (SQLITE_STATIC).
    const QByteArray values[] = {
        asText(storedTargetKey(entry.target)),
        asText(entry.accountA),
        asText(entry.accountB),
        asText(entry.msgid),
        asText(entry.command),
        asText(entry.senderNick),
        asText(entry.senderAccount),
        asText(protocol::foldCase(entry.pendingFor)),
    };
    const QByteArray line = entry.line.endsWith("\r\n") ? entry.line.chopped(2) : entry.line;
    auto text = [this](int column, const QByteArray &value) {
        return sqlite3_bind_text(m_statement, column, dataOf(value), int(value.size()), SQLITE_STATIC);
    };
    auto blob = [this](int column, const QByteArray &value) {
        return sqlite3_bind_blob(m_statement, column, dataOf(value), int(value.size()), SQLITE_STATIC);
    };
    const int bound[] = {
        text(1, values[0]), text(2, values[1]), text(3, values[2]), text(4, values[3]),
        sqlite3_bind_int64(m_statement, 5, entry.timeMs),
        text(6, values[4]), text(7, values[5]), text(8, values[6]),
        blob(9, line), blob(10, entry.clientTags), text(11, values[7]),
    };
    bool ok = std::all_of(std::begin(bound), std::end(bound), [](int code) { return code == SQLITE_OK; })
              && sqlite3_step(m_statement) == SQLITE_DONE;
    if (!ok)
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
    // Ready for the next row, which binds every value again (the ones bound here die with this call).
    sqlite3_reset(m_statement);
    return ok;
}

} // namespace tktalk::server
