// HistoryDatabase's reading: CHATHISTORY's selections, TARGETS, and what waits for an account.

#include "historychunk.h"
#include "historydatabase.h"

#include "accounts/sqltext.h"
#include "protocol/names.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>

namespace tktalk::server {

namespace {

/// A place in a conversation: entries are ordered by time, then by where they are stored.
struct Position
{
    qint64 timeMs = 0;
    qint64 place = 0;
    bool operator<(const Position &other) const
    {
        return std::pair(timeMs, place) < std::pair(other.timeMs, other.place);
    }
};

} // namespace

void HistoryDatabase::sealBeforeReading()
{
    // When the journal cannot be sealed (a full disk), what is already in chunks is still read.
    QString ignored;
    seal(&ignored);
}

HistoryResult HistoryDatabase::select(const HistoryQuery &request)
{
    HistoryResult result;
    sealBeforeReading();
    const QByteArray key = storedTargetKey(request.target);

    // A reference as a position; nullopt: a msgid that is not in this conversation.
    auto resolve = [&](const HistoryReference &reference, bool forAfter) -> std::optional<Position> {
        switch (reference.kind) {
        case HistoryReference::Kind::None:
            return Position{};
        case HistoryReference::Kind::Timestamp:
            // "After t" starts past every entry at t; "before t" ends before the first entry at t.
            return Position{reference.timeMs, forAfter ? std::numeric_limits<qint64>::max() : -1};
        case HistoryReference::Kind::MessageId:
            if (const std::optional<Located> found = find(key, reference.msgid, &result.error))
                return Position{found->entry().timeMs, found->place()};
            return std::nullopt;
        }
        return std::nullopt;
    };

    // Up to @p limit entries beyond @p from (after or before it), oldest first; @p inclusive
    // takes the entry at @p from too. @p until bounds the other side when set.
    auto fetch = [&](const Position *from, bool after, bool inclusive, const Position *until, int limit) {
        QList<HistoryEntry> entries;
        if (limit <= 0)
            return entries;
        auto wanted = [&](const HistoryEntry &entry, const Position &at) {
            if (entry.timeMs < request.notBeforeMs || (!request.withEvents && !entry.isMessage()))
                return false;
            if (from && !(after ? (inclusive ? !(at < *from) : *from < at) : (inclusive ? !(*from < at) : at < *from)))
                return false;
            return !until || (after ? at < *until : *until < at);
        };
        // The nearest first: ascending when going after, descending when going before.
        auto nearer = [after](const std::pair<Position, HistoryEntry> &a, const std::pair<Position, HistoryEntry> &b) {
            return after ? a.first < b.first : b.first < a.first;
        };
        std::vector<std::pair<Position, HistoryEntry>> found;
        // A chunk's times span at most kChunkSpanMs: chunks are read by their earliest time,
        // nearest first, until none can hold an entry nearer than the limit-th found.
        const qint64 floor = std::max(request.notBeforeMs, (after ? from : until) ? (after ? from : until)->timeMs : 0);
        QString where = QStringLiteral("target = ? AND first_ms >= ?");
        QVariantList values{sqlText(key), floor > std::numeric_limits<qint64>::min() + kChunkSpanMs ? floor - kChunkSpanMs : floor};
        const Position *ceiling = after ? until : from;
        if (ceiling) {
            where += QStringLiteral(" AND first_ms <= ?");
            values << ceiling->timeMs;
        }
        where += after ? QStringLiteral(" ORDER BY first_ms ASC, id ASC") : QStringLiteral(" ORDER BY first_ms DESC, id DESC");
        const bool ran = forEachChunk(where, values, [&](Chunk &chunk) {
            if (found.size() >= size_t(limit)) {
                const qint64 boundary = found.back().first.timeMs;
                if (after ? chunk.firstMs > boundary : chunk.firstMs + kChunkSpanMs < boundary)
                    return false;
            }
            for (qsizetype i = 0; i < chunk.entries.size(); ++i) {
                const Position at{chunk.entries.at(i).timeMs, placeOf(chunk.id, i)};
                if (wanted(chunk.entries.at(i), at))
                    found.emplace_back(at, chunk.entries.at(i));
            }
            std::sort(found.begin(), found.end(), nearer);
            if (found.size() > size_t(limit))
                found.resize(size_t(limit));
            return true;
        }, &result.error);
        if (!ran)
            return entries;
        for (const auto &[at, entry] : found)
            entries.append(entry);
        if (!after)
            std::reverse(entries.begin(), entries.end());
        return entries;
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
        if (*start < *endAfter) {
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

HistoryResult HistoryDatabase::pending(const QByteArray &account)
{
    HistoryResult result;
    sealBeforeReading();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT entry FROM waiting WHERE account = ? ORDER BY time_ms, id"));
    query.addBindValue(sqlText(protocol::foldCase(account)));
    if (!query.exec()) {
        result.error = query.lastError().text();
        return result;
    }
    while (query.next())
        historychunk::unpack(query.value(0).toByteArray(), historychunk::Fields::Everything, result.entries);
    return result;
}

HistoryTargetsResult HistoryDatabase::targets(const HistoryTargetsQuery &request)
{
    HistoryTargetsResult result;
    sealBeforeReading();
    QStringList alternatives;
    QVariantList values;
    for (const QByteArray &channel : request.channels) {
        alternatives << QStringLiteral("target = ?");
        values << sqlText(storedTargetKey(channel));
    }
    const QByteArray account = protocol::foldCase(request.account);
    if (!account.isEmpty()) {
        QByteArray escaped = account;
        escaped.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        alternatives << QStringLiteral("target LIKE ? ESCAPE '\\'") << QStringLiteral("target LIKE ? ESCAPE '\\'");
        values << sqlText(" " + escaped + " %") << sqlText("% " + escaped);
    }
    if (alternatives.isEmpty())
        return result;
    const qint64 fromMs = std::min(request.fromMs, request.toMs);
    const qint64 toMs = std::max(request.fromMs, request.toMs);
    values << fromMs << toMs;
    // Each conversation's latest message strictly between the two moments: its chunks latest
    // first, until none can hold a later one.
    QHash<QByteArray, qsizetype> indexOf;
    const bool ran = forEachChunk(
        QStringLiteral("(%1) AND last_ms > ? AND first_ms < ? ORDER BY target, first_ms DESC")
            .arg(alternatives.join(QStringLiteral(" OR "))),
        values,
        [&](Chunk &chunk) {
            if (chunk.entries.isEmpty())
                return true;
            const QByteArray key = chunk.entries.first().target; // as stored: storedTargetKey()
            auto known = indexOf.constFind(key);
            if (known != indexOf.constEnd() && chunk.firstMs + kChunkSpanMs < result.targets.at(*known).latestMs)
                return true;
            for (const HistoryEntry &entry : std::as_const(chunk.entries)) {
                if (!entry.isMessage() || entry.timeMs <= fromMs || entry.timeMs >= toMs)
                    continue;
                if (known == indexOf.constEnd()) {
                    HistoryTarget target;
                    if (key.startsWith(' '))
                        target.target = protocol::foldCase(entry.accountA) == account ? entry.accountB : entry.accountA;
                    else
                        target.target = key;
                    target.latestMs = entry.timeMs;
                    known = indexOf.insert(key, result.targets.size());
                    result.targets.append(target);
                }
                HistoryTarget &target = result.targets[*known];
                target.latestMs = std::max(target.latestMs, entry.timeMs);
            }
            return true;
        },
        &result.error);
    if (!ran) {
        result.targets.clear();
        return result;
    }
    std::stable_sort(result.targets.begin(), result.targets.end(),
                     [](const HistoryTarget &a, const HistoryTarget &b) { return a.latestMs < b.latestMs; });
    if (result.targets.size() > request.limit)
        result.targets.resize(std::max(0, request.limit));
    return result;
}

} // namespace tktalk::server
