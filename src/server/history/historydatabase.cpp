#include "historydatabase.h"

#include "historyinsert.h"

#include "accounts/sqltext.h"
#include "protocol/names.h"

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>

namespace tktalk::server {

namespace {

constexpr int kBusyTimeoutMs = 2'000;

QAtomicInteger<quint64> g_connections;

/// A reference resolved to a position: (time, row id), compared as a pair.
struct Position
{
    qint64 timeMs = 0;
    qint64 rowId = 0;
};

/// The condition on (time_ms, id) for "after @p p" or "before @p p".
QString beyond(bool after)
{
    return after ? QStringLiteral("(time_ms, id) > (:t, :i)") : QStringLiteral("(time_ms, id) < (:t, :i)");
}

HistoryEntry entryFrom(const QSqlQuery &row)
{
    HistoryEntry entry;
    entry.target = row.value(0).toString().toUtf8();
    entry.accountA = row.value(1).toString().toUtf8();
    entry.accountB = row.value(2).toString().toUtf8();
    entry.msgid = row.value(3).toString().toUtf8();
    entry.timeMs = row.value(4).toLongLong();
    entry.command = row.value(5).toString().toUtf8();
    entry.senderNick = row.value(6).toString().toUtf8();
    entry.senderAccount = row.value(7).toString().toUtf8();
    entry.line = row.value(8).toByteArray() + "\r\n";
    entry.clientTags = row.value(9).toByteArray();
    entry.pendingFor = row.value(10).toString().toUtf8();
    return entry;
}

const QString kColumns = QStringLiteral(
    "target, account_a, account_b, msgid, time_ms, command, sender_nick, sender_account, line, client_tags, pending_for");

/// Runs @p statements in one transaction of @p db: all of them, or (false, with @p error, which
/// @p statements sets when it fails) none.
bool inTransaction(QSqlDatabase &db, QString *error, const std::function<bool(QString *error)> &statements)
{
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    if (!statements(error)) {
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

} // namespace

QByteArray privateConversationKey(const QByteArray &account1, const QByteArray &account2)
{
    QByteArray a = protocol::foldCase(account1);
    QByteArray b = protocol::foldCase(account2);
    if (b < a)
        std::swap(a, b);
    // A space never occurs in an account name, and a channel name never starts with one.
    return ' ' + a + ' ' + b;
}

QByteArray storedTargetKey(const QByteArray &target)
{
    return target.startsWith(' ') ? target : protocol::foldCase(target);
}

HistoryDatabase::HistoryDatabase()
    : m_connectionName(QStringLiteral("tktalk-history-%1").arg(g_connections.fetchAndAddRelaxed(1)))
{}

HistoryDatabase::~HistoryDatabase()
{
    m_insert.reset(); // a statement left unfinalized would keep the connection from closing
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool HistoryDatabase::open(const QString &path, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = QStringLiteral("the Qt SQLite driver is missing (install libqt6sql6-sqlite)");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    auto failed = [&](const QSqlError &sqlError) {
        *error = QStringLiteral("cannot use the history database %1: %2").arg(path, sqlError.text());
        db.close();
        return false;
    };
    if (!db.open())
        return failed(db.lastError());
    QSqlQuery pragma(db);
    for (const QString &statement : {QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL")}) {
        if (!pragma.exec(statement))
            return failed(pragma.lastError());
    }
    if (!pragma.exec(QStringLiteral("PRAGMA quick_check")) || !pragma.next())
        return failed(pragma.lastError());
    if (const QString verdict = pragma.value(0).toString(); verdict != QLatin1String("ok")) {
        *error = QStringLiteral("the history database %1 is damaged (%2): move it aside to start an empty history")
                     .arg(path, verdict.left(200).simplified());
        db.close();
        return false;
    }
    if (!migrate(error)) {
        db.close();
        return false;
    }
    QString why;
    m_insert = HistoryInsert::prepare(db, &why);
    if (!m_insert) {
        *error = QStringLiteral("cannot use the history database %1: %2").arg(path, why);
        db.close();
        return false;
    }
    return true;
}

bool HistoryDatabase::isOpen() const
{
    return QSqlDatabase::database(m_connectionName, false).isOpen();
}

bool HistoryDatabase::migrate(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        *error = QStringLiteral("cannot read the history database's schema version: %1").arg(query.lastError().text());
        return false;
    }
    const int found = query.value(0).toInt();
    if (found > kSchemaVersion) {
        *error = QStringLiteral("the history database has schema version %1, newer than this tktalk understands (%2)")
                     .arg(found)
                     .arg(kSchemaVersion);
        return false;
    }
    if (found == kSchemaVersion)
        return true;
    // Version 1: one table of entries, ordered by (time_ms, id) within a target.
    const QStringList statements{
        QStringLiteral("CREATE TABLE messages ("
                       " id INTEGER PRIMARY KEY,"
                       " target TEXT NOT NULL,"         // folded channel name, or privateConversationKey()
                       " account_a TEXT NOT NULL DEFAULT '',"
                       " account_b TEXT NOT NULL DEFAULT '',"
                       " msgid TEXT NOT NULL,"
                       " time_ms INTEGER NOT NULL,"
                       " command TEXT NOT NULL,"
                       " sender_nick TEXT NOT NULL,"
                       " sender_account TEXT NOT NULL DEFAULT '',"
                       " line BLOB NOT NULL,"
                       " client_tags BLOB NOT NULL DEFAULT '',"
                       " pending_for TEXT NOT NULL DEFAULT '')"),   // folded account an offline message waits for
        QStringLiteral("CREATE INDEX messages_by_target ON messages (target, time_ms, id)"),
        QStringLiteral("CREATE INDEX messages_by_msgid ON messages (msgid)"),
        QStringLiteral("CREATE INDEX messages_by_time ON messages (time_ms)"),
        QStringLiteral("CREATE INDEX messages_pending ON messages (pending_for) WHERE pending_for != ''"),
        QStringLiteral("PRAGMA user_version = 1"),
    };
    if (!db.transaction()) {
        *error = QStringLiteral("cannot upgrade the history database: %1").arg(db.lastError().text());
        return false;
    }
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            *error = QStringLiteral("cannot upgrade the history database: %1").arg(query.lastError().text());
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        *error = QStringLiteral("cannot upgrade the history database: %1").arg(db.lastError().text());
        return false;
    }
    return true;
}

bool HistoryDatabase::insert(const std::vector<HistoryEntry> &entries, QString *error)
{
    if (!m_insert) {
        *error = QStringLiteral("the history database is not open");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, error, [this, &entries](QString *failure) {
        return std::all_of(entries.begin(), entries.end(),
                           [&](const HistoryEntry &entry) { return m_insert->insert(entry, failure); });
    });
}

HistoryResult HistoryDatabase::select(const HistoryQuery &request) const
{
    HistoryResult result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QByteArray key = storedTargetKey(request.target);
    const QString kinds = request.withEvents ? QString() : QStringLiteral(" AND command IN ('PRIVMSG', 'NOTICE')");
    const QString scope = QStringLiteral("target = :target AND time_ms >= :floor") + kinds;

    // A reference as a position; nullopt: a msgid that is not in this conversation.
    auto resolve = [&](const HistoryReference &reference, bool forAfter) -> std::optional<Position> {
        switch (reference.kind) {
        case HistoryReference::Kind::None:
            return Position{};
        case HistoryReference::Kind::Timestamp:
            // "After t" starts past every row at t; "before t" ends before the first row at t.
            return Position{reference.timeMs, forAfter ? std::numeric_limits<qint64>::max() : 0};
        case HistoryReference::Kind::MessageId: {
            QSqlQuery find(db);
            find.prepare(QStringLiteral("SELECT time_ms, id FROM messages WHERE msgid = :msgid AND target = :target"));
            find.bindValue(QStringLiteral(":msgid"), sqlText(reference.msgid));
            find.bindValue(QStringLiteral(":target"), sqlText(key));
            if (!find.exec() || !find.next())
                return std::nullopt;
            return Position{find.value(0).toLongLong(), find.value(1).toLongLong()};
        }
        }
        return std::nullopt;
    };
    // Up to @p limit rows beyond @p from (after or before it), nearest first; @p inclusive takes
    // the row at @p from too. @p until bounds the other side when set.
    auto fetch = [&](const Position *from, bool after, bool inclusive, const Position *until, int limit) {
        QList<HistoryEntry> rows;
        if (limit <= 0)
            return rows;
        QString where = scope;
        if (from) {
            QString condition = beyond(after);
            if (inclusive)
                condition.replace(after ? QStringLiteral(") >") : QStringLiteral(") <"),
                                  after ? QStringLiteral(") >=") : QStringLiteral(") <="));
            where += QStringLiteral(" AND ") + condition;
        }
        if (until)
            where += QStringLiteral(" AND ") + beyond(!after).replace(QStringLiteral(":t"), QStringLiteral(":ut")).replace(QStringLiteral(":i"), QStringLiteral(":ui"));
        const QString order = after ? QStringLiteral("ASC") : QStringLiteral("DESC");
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE %2 ORDER BY time_ms %3, id %3 LIMIT :limit")
                          .arg(kColumns, where, order));
        query.bindValue(QStringLiteral(":target"), sqlText(key));
        query.bindValue(QStringLiteral(":floor"), request.notBeforeMs);
        if (from) {
            query.bindValue(QStringLiteral(":t"), from->timeMs);
            query.bindValue(QStringLiteral(":i"), from->rowId);
        }
        if (until) {
            query.bindValue(QStringLiteral(":ut"), until->timeMs);
            query.bindValue(QStringLiteral(":ui"), until->rowId);
        }
        query.bindValue(QStringLiteral(":limit"), limit);
        if (!query.exec()) {
            result.error = query.lastError().text();
            return rows;
        }
        while (query.next())
            rows.append(entryFrom(query));
        if (!after)
            std::reverse(rows.begin(), rows.end());
        return rows;
    };

    using Selection = HistoryQuery::Selection;
    const bool fromIsLater = request.selection != Selection::Before;
    const std::optional<Position> from = resolve(request.from, fromIsLater);
    if (!from)
        return result; // an unknown msgid: nothing around it
    const bool hasFrom = request.from.kind != HistoryReference::Kind::None;
    switch (request.selection) {
    case Selection::Latest:
        result.entries = fetch(nullptr, false, false, hasFrom ? &*from : nullptr, request.limit);
        break;
    case Selection::Before:
        result.entries = fetch(&*from, false, false, nullptr, request.limit);
        break;
    case Selection::After:
        result.entries = fetch(&*from, true, false, nullptr, request.limit);
        break;
    case Selection::Around: {
        const std::optional<Position> center = resolve(request.from, false);
        result.entries = fetch(&*center, false, false, nullptr, request.limit / 2);
        result.entries += fetch(&*center, true, true, nullptr, request.limit - int(result.entries.size()));
        break;
    }
    case Selection::Between: {
        const std::optional<Position> start = resolve(request.from, true);
        const std::optional<Position> endAfter = resolve(request.to, false);
        if (!start || !endAfter)
            return result;
        const bool forward = std::pair(start->timeMs, start->rowId) < std::pair(endAfter->timeMs, endAfter->rowId);
        if (forward) {
            result.entries = fetch(&*start, true, false, &*endAfter, request.limit);
        } else {
            const std::optional<Position> startBefore = resolve(request.from, false);
            const std::optional<Position> end = resolve(request.to, true);
            result.entries = fetch(&*startBefore, false, false, &*end, request.limit);
        }
        break;
    }
    }
    return result;
}

HistoryResult HistoryDatabase::pending(const QByteArray &account) const
{
    HistoryResult result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    // "pending_for != ''" lets SQLite use the partial index messages_pending instead of a scan.
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE pending_for = :account AND pending_for != ''"
                                 " ORDER BY time_ms, id").arg(kColumns));
    query.bindValue(QStringLiteral(":account"), sqlText(protocol::foldCase(account)));
    if (!query.exec()) {
        result.error = query.lastError().text();
        return result;
    }
    while (query.next())
        result.entries.append(entryFrom(query));
    return result;
}

bool HistoryDatabase::markDelivered(const QByteArray &account, const QByteArrayList &msgids, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, error, [&db, &account, &msgids](QString *failure) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE messages SET pending_for = '' WHERE pending_for = :account AND msgid = :msgid"));
        const QString folded = sqlText(protocol::foldCase(account));
        for (const QByteArray &msgid : msgids) {
            query.bindValue(QStringLiteral(":account"), folded);
            query.bindValue(QStringLiteral(":msgid"), sqlText(msgid));
            if (!query.exec()) {
                *failure = query.lastError().text();
                return false;
            }
        }
        return true;
    });
}

HistoryTargetsResult HistoryDatabase::targets(const HistoryTargetsQuery &request) const
{
    HistoryTargetsResult result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QStringList alternatives;
    for (qsizetype i = 0; i < request.channels.size(); ++i)
        alternatives << QStringLiteral("target = :c%1").arg(i);
    const QByteArray account = protocol::foldCase(request.account);
    if (!account.isEmpty()) {
        alternatives << QStringLiteral("target LIKE :mine1 ESCAPE '\\'") << QStringLiteral("target LIKE :mine2 ESCAPE '\\'");
    }
    if (alternatives.isEmpty())
        return result;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT target, account_a, account_b, MAX(time_ms) AS latest FROM messages"
                                 " WHERE (%1) AND command IN ('PRIVMSG', 'NOTICE') AND time_ms > :from AND time_ms < :to"
                                 " GROUP BY target ORDER BY latest ASC LIMIT :limit")
                      .arg(alternatives.join(QStringLiteral(" OR "))));
    for (qsizetype i = 0; i < request.channels.size(); ++i)
        query.bindValue(QStringLiteral(":c%1").arg(i), sqlText(storedTargetKey(request.channels.at(i))));
    if (!account.isEmpty()) {
        QByteArray escaped = account;
        escaped.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        query.bindValue(QStringLiteral(":mine1"), sqlText(" " + escaped + " %"));
        query.bindValue(QStringLiteral(":mine2"), sqlText("% " + escaped));
    }
    query.bindValue(QStringLiteral(":from"), std::min(request.fromMs, request.toMs));
    query.bindValue(QStringLiteral(":to"), std::max(request.fromMs, request.toMs));
    query.bindValue(QStringLiteral(":limit"), request.limit);
    if (!query.exec()) {
        result.error = query.lastError().text();
        return result;
    }
    while (query.next()) {
        HistoryTarget target;
        const QByteArray key = query.value(0).toString().toUtf8();
        if (key.startsWith(' ')) {
            const QByteArray a = query.value(1).toString().toUtf8();
            const QByteArray b = query.value(2).toString().toUtf8();
            target.target = protocol::foldCase(a) == account ? b : a;
        } else {
            target.target = key;
        }
        target.latestMs = query.value(3).toLongLong();
        result.targets.append(target);
    }
    return result;
}

HistoryPurgeResult HistoryDatabase::removeFromAccount(const QByteArray &account)
{
    HistoryPurgeResult result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // Accounts are kept as their owners wrote them: compare them folded, as everywhere else.
    const QByteArray folded = protocol::foldCase(account);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT id, sender_account FROM messages WHERE length(sender_account) = ?"
                                 " AND command IN ('PRIVMSG', 'NOTICE')"));
    query.addBindValue(folded.size());
    QVariantList ids;
    if (query.exec()) {
        while (query.next()) {
            if (protocol::foldCase(query.value(1).toString().toUtf8()) == folded)
                ids << query.value(0);
        }
    }
    if (query.lastError().isValid()) {
        result.error = query.lastError().text();
        return result;
    }
    if (ids.isEmpty())
        return result;
    QSqlQuery remove(db);
    remove.prepare(QStringLiteral("DELETE FROM messages WHERE id = ?"));
    remove.addBindValue(ids);
    if (!db.transaction() || !remove.execBatch() || !db.commit()) {
        result.error = remove.lastError().isValid() ? remove.lastError().text() : db.lastError().text();
        db.rollback();
        return result;
    }
    result.removed = ids.size();
    return result;
}

bool HistoryDatabase::remove(const QByteArray &target, const QByteArray &msgid)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM messages WHERE target = ? AND msgid = ? AND command IN ('PRIVMSG', 'NOTICE')"));
    query.addBindValue(sqlText(storedTargetKey(target)));
    query.addBindValue(sqlText(msgid));
    return query.exec() && query.numRowsAffected() > 0;
}

HistoryPurgeResult HistoryDatabase::purge(const HistoryPurge &request)
{
    HistoryPurgeResult result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    auto run = [&](const QString &statement, qint64 value) {
        query.prepare(statement);
        query.addBindValue(value);
        if (statement.count(QLatin1Char('?')) > 1)
            query.addBindValue(value);
        if (!query.exec()) {
            result.error = query.lastError().text();
            return false;
        }
        result.removed += std::max(0, query.numRowsAffected());
        return true;
    };
    if (request.olderThanMs > 0
        && !run(QStringLiteral("DELETE FROM messages WHERE time_ms < ?"), request.olderThanMs))
        return result;
    // Only conversations over the cap are ranked; a private message waiting for its recipient stays.
    if (request.maxPerTarget > 0)
        run(QStringLiteral("DELETE FROM messages WHERE id IN (SELECT id FROM ("
                           "  SELECT id, pending_for, ROW_NUMBER() OVER (PARTITION BY target ORDER BY time_ms DESC, id DESC) AS n"
                           "  FROM messages WHERE target IN"
                           "   (SELECT target FROM messages GROUP BY target HAVING COUNT(*) > ?))"
                           " WHERE n > ? AND pending_for = '')"),
            request.maxPerTarget);
    return result;
}

} // namespace tktalk::server
