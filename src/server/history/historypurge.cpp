// HistoryDatabase's removals: retention, a redacted message, an account's messages, and offline
// messages once delivered.

#include "historydatabase.h"

#include "accounts/sqltext.h"
#include "protocol/names.h"

#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace tktalk::server {

namespace {

/// Runs @p statement with @p values; false with @p error when it fails.
bool exec(QSqlQuery &query, const QString &statement, const QVariantList &values, QString *error)
{
    query.prepare(statement);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

} // namespace

bool HistoryDatabase::keepOnly(const QList<Chunk> &chunks, const std::function<bool(const HistoryEntry &)> &keep,
                               qint64 *removed, QString *error)
{
    for (const Chunk &chunk : chunks) {
        QList<HistoryEntry> kept;
        std::copy_if(chunk.entries.begin(), chunk.entries.end(), std::back_inserter(kept), keep);
        if (kept.size() == chunk.entries.size())
            continue;
        if (!rewriteChunk(chunk.id, kept, error))
            return false;
        *removed += chunk.entries.size() - kept.size();
    }
    return true;
}

bool HistoryDatabase::markDelivered(const QByteArray &account, const QByteArrayList &msgids, QString *error)
{
    if (!seal(error))
        return false;
    return inTransaction(error, [&](QString *failure) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        const QString folded = sqlText(protocol::foldCase(account));
        return std::all_of(msgids.begin(), msgids.end(), [&](const QByteArray &msgid) {
            return exec(query, QStringLiteral("DELETE FROM waiting WHERE account = ? AND msgid = ?"),
                        {folded, sqlText(msgid)}, failure);
        });
    });
}

HistoryPurgeResult HistoryDatabase::purge(const HistoryPurge &request)
{
    HistoryPurgeResult result;
    if (!seal(&result.error))
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    auto byAge = [&](QString *failure) {
        const qint64 line = request.olderThanMs;
        // Whole chunks older than the line, then the entries older than it in chunks across it.
        if (!exec(query, QStringLiteral("SELECT COALESCE(SUM(entries), 0) FROM chunks WHERE last_ms < ?"), {line},
                  failure)
            || !query.next())
            return false;
        result.removed += query.value(0).toLongLong();
        QList<Chunk> across;
        return exec(query, QStringLiteral("DELETE FROM chunks WHERE last_ms < ?"), {line}, failure)
               && exec(query, QStringLiteral("DELETE FROM waiting WHERE time_ms < ?"), {line}, failure)
               && forEachChunk(QStringLiteral("first_ms < ? AND last_ms >= ?"), {line, line},
                               [&across](Chunk &chunk) {
                                   across.append(std::move(chunk));
                                   return true;
                               },
                               failure)
               && keepOnly(across, [line](const HistoryEntry &entry) { return entry.timeMs >= line; },
                           &result.removed, failure);
    };
    // Only conversations over the cap are ranked; a private message waiting for its recipient stays.
    auto byCount = [&](QString *failure) {
        if (!exec(query, QStringLiteral("SELECT target FROM chunks GROUP BY target HAVING SUM(entries) > ?"),
                  {request.maxPerTarget}, failure))
            return false;
        QStringList over;
        while (query.next())
            over << query.value(0).toString();
        for (const QString &key : std::as_const(over)) {
            QSet<QByteArray> waiting;
            if (!exec(query, QStringLiteral("SELECT msgid FROM waiting WHERE target = ?"), {key}, failure))
                return false;
            while (query.next())
                waiting.insert(query.value(0).toString().toUtf8());
            QList<Chunk> chunks;
            if (!forEachChunk(QStringLiteral("target = ?"), {key},
                              [&chunks](Chunk &chunk) {
                                  chunks.append(std::move(chunk));
                                  return true;
                              },
                              failure))
                return false;
            // The latest maxPerTarget entries stay, by (time, place).
            std::vector<std::tuple<qint64, qint64, const HistoryEntry *>> ranked;
            for (const Chunk &chunk : std::as_const(chunks)) {
                for (qsizetype i = 0; i < chunk.entries.size(); ++i)
                    ranked.emplace_back(chunk.entries.at(i).timeMs, placeOf(chunk.id, i), &chunk.entries.at(i));
            }
            std::sort(ranked.begin(), ranked.end(), std::greater<>());
            QSet<const HistoryEntry *> latest;
            for (size_t i = 0; i < ranked.size() && i < size_t(request.maxPerTarget); ++i)
                latest.insert(std::get<2>(ranked.at(i)));
            if (!keepOnly(chunks,
                          [&](const HistoryEntry &entry) {
                              return latest.contains(&entry) || waiting.contains(entry.msgid);
                          },
                          &result.removed, failure))
                return false;
        }
        return true;
    };
    inTransaction(&result.error, [&](QString *failure) {
        return (request.olderThanMs <= 0 || byAge(failure)) && (request.maxPerTarget <= 0 || byCount(failure));
    });
    return result;
}

HistoryPurgeResult HistoryDatabase::removeFromAccount(const QByteArray &account)
{
    HistoryPurgeResult result;
    if (!seal(&result.error))
        return result;
    // Accounts are kept as their owners wrote them: compare them folded, as everywhere else.
    const QByteArray folded = protocol::foldCase(account);
    auto sentFrom = [&folded](const HistoryEntry &entry) {
        return entry.isMessage() && entry.senderAccount.size() == folded.size()
               && protocol::foldCase(entry.senderAccount) == folded;
    };
    QList<Chunk> theirs;
    inTransaction(&result.error, [&](QString *failure) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        return forEachChunk(QStringLiteral("1"), {},
                            [&](Chunk &chunk) {
                                if (std::any_of(chunk.entries.cbegin(), chunk.entries.cend(), sentFrom))
                                    theirs.append(std::move(chunk));
                                return true;
                            },
                            failure)
               && keepOnly(theirs, [&](const HistoryEntry &entry) { return !sentFrom(entry); }, &result.removed,
                           failure)
               && exec(query, QStringLiteral("DELETE FROM waiting WHERE sender_account = ?"), {sqlText(folded)},
                       failure);
    });
    if (!result.error.isEmpty())
        result.removed = 0;
    return result;
}

bool HistoryDatabase::remove(const QByteArray &target, const QByteArray &msgid)
{
    QString error;
    if (!seal(&error))
        return false;
    const QByteArray key = storedTargetKey(target);
    bool removed = false;
    inTransaction(&error, [&](QString *failure) {
        std::optional<Located> found = find(key, msgid, failure);
        if (!found || !found->entry().isMessage())
            return failure->isEmpty();
        Chunk &chunk = found->chunk;
        chunk.entries.removeAt(found->index);
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        removed = rewriteChunk(chunk.id, chunk.entries, failure)
                  && exec(query, QStringLiteral("DELETE FROM waiting WHERE target = ? AND msgid = ?"),
                          {sqlText(key), sqlText(msgid)}, failure);
        return removed;
    });
    return removed;
}

} // namespace tktalk::server
