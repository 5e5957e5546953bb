#include "historydatabase.h"

#include "historychunk.h"

#include "accounts/sqltext.h"
#include "logging.h"
#include "protocol/names.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
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
constexpr int kPageBytes = 16'384;
constexpr int kCacheKiB = 32'768;
constexpr qint64 kMmapBytes = 256LL << 20;
constexpr int kCheckpointPages = 1'024; // 16 MiB of WAL between checkpoints

QAtomicInteger<quint64> g_connections;

using historychunk::Fields;

QString sqlError(const QSqlQuery &query)
{
    return query.lastError().text();
}

QString cannotUpgrade(const QSqlQuery &query)
{
    return QStringLiteral("cannot upgrade the history database: %1").arg(sqlError(query));
}

} // namespace

bool HistoryDatabase::inTransaction(QString *error, const std::function<bool(QString *error)> &statements)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
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

QByteArray privateConversationKey(const QByteArray &account1, const QByteArray &account2)
{
    return privateConversationKeyOfFolded(protocol::foldCase(account1), protocol::foldCase(account2));
}

QByteArray privateConversationKeyOfFolded(const QByteArray &folded1, const QByteArray &folded2)
{
    // ' ' a ' ' b, the lesser first, in one allocation. A space never occurs in an account name,
    // and a channel name never starts with one.
    const bool inOrder = !(folded2 < folded1);
    const QByteArray &first = inOrder ? folded1 : folded2;
    const QByteArray &second = inOrder ? folded2 : folded1;
    QByteArray key(2 + first.size() + second.size(), Qt::Uninitialized);
    char *out = key.data();
    *out++ = ' ';
    out = std::copy(first.cbegin(), first.cend(), out);
    *out++ = ' ';
    std::copy(second.cbegin(), second.cend(), out);
    return key;
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
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            QString ignored; // what is not sealed stays in the journal for the next start
            seal(&ignored);
        }
        // A statement left open would keep the connection from closing.
        m_insertChunk.reset();
        m_insertWaiting.reset();
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
    // Larger pages and cache, and reads through mmap: history is written in large rows, and a
    // write of 4 KiB pages, each a system call, and re-reading them cost more than SQLite's work.
    // The page size applies to a new file only (before WAL: it cannot change after).
    for (const QString &statement :
         {QStringLiteral("PRAGMA page_size=%1").arg(kPageBytes), QStringLiteral("PRAGMA journal_mode=WAL"),
          QStringLiteral("PRAGMA synchronous=NORMAL"), QStringLiteral("PRAGMA cache_size=-%1").arg(kCacheKiB),
          QStringLiteral("PRAGMA mmap_size=%1").arg(kMmapBytes),
          QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(kCheckpointPages),
          // What is deleted (a redaction, a purge, retention) is overwritten, whatever the SQLite
          // build's default: a removed message must not stay readable in the file's free pages.
          QStringLiteral("PRAGMA secure_delete=ON")}) {
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
    pragma.finish(); // an unfinished statement would keep the upgrade from dropping a table
    if (!migrate(error)) {
        db.close();
        return false;
    }
    QString why;
    if (!recoverJournal(path, &why)) {
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
        *error = QStringLiteral("cannot read the history database's schema version: %1").arg(sqlError(query));
        return false;
    }
    const int found = query.value(0).toInt();
    query.finish();
    if (found > kSchemaVersion) {
        *error = QStringLiteral("the history database has schema version %1, newer than this tktalk understands (%2)")
                     .arg(found)
                     .arg(kSchemaVersion);
        return false;
    }
    if (found == kSchemaVersion)
        return true;
    QStringList statements;
    if (found < 2) {
        // Version 2: chunks of entries per conversation (version 1 had one row per entry: moved over).
        statements = QStringList{
            QStringLiteral("CREATE TABLE chunks ("
                           " id INTEGER PRIMARY KEY,"
                           " target TEXT NOT NULL,"           // folded channel name, or privateConversationKey()
                           " account_a TEXT NOT NULL DEFAULT '',"
                           " account_b TEXT NOT NULL DEFAULT '',"
                           " first_ms INTEGER NOT NULL,"      // the entries' earliest and latest times
                           " last_ms INTEGER NOT NULL,"
                           " entries INTEGER NOT NULL,"
                           " id_prefix TEXT NOT NULL DEFAULT ''," // historychunk::ChunkSummary
                           " id_first INTEGER NOT NULL DEFAULT 0,"
                           " id_last INTEGER NOT NULL DEFAULT 0,"
                           " data BLOB NOT NULL)"),           // historychunk::pack(Fields::Message)
            QStringLiteral("CREATE INDEX chunks_by_target ON chunks (target, first_ms)"),
            QStringLiteral("CREATE INDEX chunks_by_msgid ON chunks (target, id_prefix, id_last)"),
            // Private messages to an account nobody was logged in to, until delivered (also in chunks).
            QStringLiteral("CREATE TABLE waiting ("
                           " id INTEGER PRIMARY KEY,"
                           " account TEXT NOT NULL,"          // folded
                           " target TEXT NOT NULL,"
                           " msgid TEXT NOT NULL,"
                           " time_ms INTEGER NOT NULL,"
                           " sender_account TEXT NOT NULL,"   // folded
                           " entry BLOB NOT NULL)"),          // historychunk::pack(Fields::Everything)
            QStringLiteral("CREATE INDEX waiting_by_account ON waiting (account)"),
        };
    }
    // Version 3: the journal is a file (HistoryJournal); the last of its records sealed is here.
    statements << QStringLiteral("CREATE TABLE sealed (sequence INTEGER NOT NULL)")
               << QStringLiteral("INSERT INTO sealed (sequence) VALUES (0)");
    return inTransaction(error, [&](QString *failure) {
        QSqlQuery statement(db);
        for (const QString &sql : std::as_const(statements)) {
            if (!statement.exec(sql)) {
                *failure = cannotUpgrade(statement);
                return false;
            }
        }
        statement.finish();
        if (found == 1 && !upgradeFromRows(failure))
            return false;
        if (found == 2 && !upgradeJournalTable(failure))
            return false;
        if (!statement.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion))) {
            *failure = cannotUpgrade(statement);
            return false;
        }
        return true;
    });
}

bool HistoryDatabase::upgradeFromRows(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery rows(db);
    rows.setForwardOnly(true);
    if (!rows.exec(QStringLiteral("SELECT target, account_a, account_b, msgid, time_ms, command, sender_nick,"
                                  " sender_account, line, client_tags, pending_for FROM messages"
                                  " ORDER BY target, time_ms, id"))) {
        *error = cannotUpgrade(rows);
        return false;
    }
    while (rows.next()) {
        HistoryEntry entry;
        entry.target = rows.value(0).toString().toUtf8();
        entry.accountA = rows.value(1).toString().toUtf8();
        entry.accountB = rows.value(2).toString().toUtf8();
        entry.msgid = rows.value(3).toString().toUtf8();
        entry.timeMs = rows.value(4).toLongLong();
        entry.command = rows.value(5).toString().toUtf8();
        entry.senderNick = rows.value(6).toString().toUtf8();
        entry.senderAccount = rows.value(7).toString().toUtf8();
        entry.line = rows.value(8).toByteArray() + "\r\n";
        entry.clientTags = rows.value(9).toByteArray();
        entry.pendingFor = rows.value(10).toString().toUtf8();
        m_staged.add(entry);
        if (m_staged.entries() >= kSealEntries && !storeAndClearStaged(error))
            return false;
    }
    if (rows.lastError().isValid()) {
        *error = cannotUpgrade(rows);
        return false;
    }
    rows.finish();
    return storeAndClearStaged(error) && dropUpgradedTable(QStringLiteral("messages"), error);
}

bool HistoryDatabase::upgradeJournalTable(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery journal(db);
    journal.setForwardOnly(true);
    if (!journal.exec(QStringLiteral("SELECT data FROM journal ORDER BY id"))) {
        *error = cannotUpgrade(journal);
        return false;
    }
    while (journal.next()) // a damaged row keeps what could be read of it: SQLite checked the file
        stagePacked(journal.value(0).toByteArray());
    journal.finish();
    return storeAndClearStaged(error) && dropUpgradedTable(QStringLiteral("journal"), error);
}

bool HistoryDatabase::dropUpgradedTable(const QString &table, QString *error)
{
    // DROP TABLE needs every statement of the connection finished.
    m_insertChunk.reset();
    m_insertWaiting.reset();
    QSqlQuery drop(QSqlDatabase::database(m_connectionName, false));
    if (!drop.exec(QStringLiteral("DROP TABLE ") + table)) {
        *error = cannotUpgrade(drop);
        return false;
    }
    return true;
}

void HistoryDatabase::stagePacked(QByteArrayView packed)
{
    historychunk::PackedReader reader(packed);
    historychunk::PackedEntry entry;
    while (reader.next(entry))
        m_staged.add(entry);
}

bool HistoryDatabase::storeAndClearStaged(QString *error)
{
    if (!storeStaged(error))
        return false;
    m_staged.clear();
    return true;
}

QString HistoryDatabase::journalPathFor(const QString &databasePath)
{
    const QFileInfo database(databasePath);
    return database.dir().filePath(database.completeBaseName() + QLatin1String(".journal"));
}

bool HistoryDatabase::recoverJournal(const QString &databasePath, QString *error)
{
    QSqlQuery sealed(QSqlDatabase::database(m_connectionName, false));
    if (!sealed.exec(QStringLiteral("SELECT sequence FROM sealed")) || !sealed.next()) {
        *error = sqlError(sealed);
        return false;
    }
    const qint64 sealedThrough = sealed.value(0).toLongLong();
    sealed.finish();
    const QString path = journalPathFor(databasePath);
    if (!m_journal.open(path, error))
        return false;
    qint64 ignoredBytes = 0;
    const bool read = m_journal.read(
        sealedThrough,
        [this](qint64, const QByteArray &packed) { stagePacked(packed); },
        &ignoredBytes, error);
    if (!read)
        return false;
    if (ignoredBytes > 0)
        qCWarning(lcServer).noquote() << "history: the last" << ignoredBytes << "bytes of" << path
                                      << "are not a whole batch (a write cut short): left out";
    m_stagedSinceMs = QDateTime::currentMSecsSinceEpoch();
    return seal(error);
}

bool HistoryDatabase::insert(const QByteArray &batch, QString *error)
{
    if (!isOpen()) {
        *error = QStringLiteral("the history database is not open");
        return false;
    }
    if (!m_journal.append(batch, error))
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_staged.isEmpty())
        m_stagedSinceMs = now;
    stagePacked(batch);
    if (sealDue(now)) {
        // The batch is in the journal whatever happens here: a failed seal is tried again later.
        QString ignored;
        seal(&ignored);
    }
    return true;
}

bool HistoryDatabase::sealDue(qint64 nowMs) const
{
    if (m_sealFailedAtMs != 0 && nowMs - m_sealFailedAtMs < kSealRetryMs)
        return false;
    return m_staged.entries() >= kSealEntries || nowMs - m_stagedSinceMs >= kSealMs;
}

bool HistoryDatabase::seal(QString *error)
{
    if (m_staged.isEmpty())
        return true;
    const qint64 through = m_journal.lastSequence();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const bool sealed = inTransaction(error, [&](QString *failure) {
        if (!storeStaged(failure))
            return false;
        QSqlQuery mark(db);
        mark.prepare(QStringLiteral("UPDATE sealed SET sequence = ?"));
        mark.addBindValue(through);
        if (!mark.exec()) {
            *failure = sqlError(mark);
            return false;
        }
        return true;
    });
    if (!sealed) {
        // Still in the journal, and still staged: a read tries again, and batches after kSealRetryMs.
        if (*error != m_sealProblem)
            qCWarning(lcServer).noquote() << "history: cannot move the journal into the database:" << *error
                                          << "- messages are kept in the journal meanwhile";
        m_sealProblem = *error;
        m_sealFailedAtMs = QDateTime::currentMSecsSinceEpoch();
        return false;
    }
    if (!m_sealProblem.isEmpty())
        qCInfo(lcServer).noquote() << "history: the journal is moved into the database again";
    m_sealProblem.clear();
    m_sealFailedAtMs = 0;
    m_staged.clear();
    QString why;
    if (!m_journal.clear(&why)) // harmless: its records are marked sealed, and not read again
        qCWarning(lcServer).noquote() << "history:" << why;
    return true;
}

bool HistoryDatabase::storeStaged(QString *error)
{
    if (!m_insertChunk) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        m_insertChunk = std::make_unique<QSqlQuery>(db);
        m_insertChunk->prepare(QStringLiteral("INSERT INTO chunks (target, account_a, account_b, first_ms, last_ms,"
                                              " entries, id_prefix, id_first, id_last, data)"
                                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        m_insertWaiting = std::make_unique<QSqlQuery>(db);
        m_insertWaiting->prepare(QStringLiteral("INSERT INTO waiting (account, target, msgid, time_ms,"
                                                " sender_account, entry) VALUES (?, ?, ?, ?, ?, ?)"));
    }
    QSqlQuery &insertChunk = *m_insertChunk;
    QSqlQuery &insertWaiting = *m_insertWaiting;
    for (const HistoryStaging::Chunk &chunk : m_staged.chunks()) {
        const historychunk::ChunkSummary &summary = chunk.summary.summary();
        for (const QVariant &value :
             {QVariant(sqlText(chunk.key)), QVariant(sqlText(chunk.accountA)), QVariant(sqlText(chunk.accountB)),
              QVariant(summary.firstMs), QVariant(summary.lastMs), QVariant(qint64(chunk.entries)),
              QVariant(sqlText(summary.idPrefix)), QVariant(summary.idFirst), QVariant(summary.idLast),
              QVariant(chunk.data)})
            insertChunk.addBindValue(value);
        if (!insertChunk.exec()) {
            *error = sqlError(insertChunk);
            return false;
        }
        for (const HistoryEntry &entry : chunk.waiting) {
            const QByteArray packed = historychunk::pack(&entry, 1, Fields::Everything);
            for (const QVariant &value :
                 {QVariant(sqlText(protocol::foldCase(entry.pendingFor))), QVariant(sqlText(chunk.key)),
                  QVariant(sqlText(entry.msgid)), QVariant(entry.timeMs),
                  QVariant(sqlText(protocol::foldCase(entry.senderAccount))), QVariant(packed)})
                insertWaiting.addBindValue(value);
            if (!insertWaiting.exec()) {
                *error = sqlError(insertWaiting);
                return false;
            }
        }
    }
    return true;
}

bool HistoryDatabase::rewriteChunk(qint64 id, const QList<HistoryEntry> &kept, QString *error)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (kept.isEmpty()) {
        query.prepare(QStringLiteral("DELETE FROM chunks WHERE id = ?"));
        query.addBindValue(id);
    } else {
        const historychunk::ChunkSummary summary = historychunk::summarize(kept);
        query.prepare(QStringLiteral("UPDATE chunks SET first_ms = ?, last_ms = ?, entries = ?, id_prefix = ?,"
                                     " id_first = ?, id_last = ?, data = ? WHERE id = ?"));
        for (const QVariant &value :
             {QVariant(summary.firstMs), QVariant(summary.lastMs), QVariant(qint64(kept.size())),
              QVariant(sqlText(summary.idPrefix)), QVariant(summary.idFirst), QVariant(summary.idLast),
              QVariant(historychunk::pack(kept, Fields::Message)), QVariant(id)})
            query.addBindValue(value);
    }
    if (!query.exec()) {
        *error = sqlError(query);
        return false;
    }
    return true;
}

bool HistoryDatabase::forEachChunk(const QString &where, const QVariantList &values,
                                   const std::function<bool(Chunk &)> &visit, QString *error)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, target, account_a, account_b, first_ms, last_ms, data FROM chunks WHERE ")
                  + where);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = sqlError(query);
        return false;
    }
    while (query.next()) {
        Chunk chunk;
        chunk.id = query.value(0).toLongLong();
        chunk.firstMs = query.value(4).toLongLong();
        chunk.lastMs = query.value(5).toLongLong();
        const QByteArray target = query.value(1).toString().toUtf8();
        const QByteArray accountA = query.value(2).toString().toUtf8();
        const QByteArray accountB = query.value(3).toString().toUtf8();
        historychunk::unpack(query.value(6).toByteArray(), Fields::Message, chunk.entries);
        for (HistoryEntry &entry : chunk.entries) {
            entry.target = target;
            entry.accountA = accountA;
            entry.accountB = accountB;
        }
        if (!visit(chunk))
            break;
    }
    if (query.lastError().isValid()) {
        *error = sqlError(query);
        return false;
    }
    return true;
}

std::optional<HistoryDatabase::Located> HistoryDatabase::find(const QByteArray &key, const QByteArray &msgid,
                                                              QString *error)
{
    std::optional<Located> found;
    auto look = [&](Chunk &chunk) {
        for (qsizetype i = 0; i < chunk.entries.size(); ++i) {
            if (chunk.entries.at(i).msgid == msgid) {
                found = Located{std::move(chunk), i};
                return false;
            }
        }
        return true;
    };
    // An id of MessageIds' form is in the chunk whose range holds it, or in one whose ids are of
    // several forms (id_prefix empty); any other id only in the latter.
    if (const std::optional<historychunk::MessageIdParts> parts = historychunk::messageIdParts(msgid)) {
        if (!forEachChunk(QStringLiteral("target = ? AND id_prefix = ? AND id_last >= ? AND id_first <= ?"),
                          {sqlText(key), sqlText(parts->prefix), parts->counter, parts->counter}, look, error))
            return std::nullopt;
        if (found)
            return found;
    }
    forEachChunk(QStringLiteral("target = ? AND id_prefix = ''"), {sqlText(key)}, look, error);
    return found;
}

} // namespace tktalk::server
