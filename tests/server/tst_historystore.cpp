// The history store on a real SQLite file: what each selection returns, in which order, and that
// a query sees everything appended before it (group commit on the store's thread).

#include "history/historychunk.h"
#include "history/historydatabase.h"
#include "testfiles.h"
#include "history/sqlitehistorystore.h"
#include "protocol/names.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace tktalk::server;
using tktalk::test::fileContents;
using tktalk::test::writeFile;

namespace {

constexpr qint64 kBase = 1'700'000'000'000;

HistoryEntry message(const QByteArray &target, int n, qint64 timeMs, const QByteArray &command = "PRIVMSG")
{
    HistoryEntry entry;
    entry.target = target;
    entry.msgid = "id" + QByteArray::number(n);
    entry.timeMs = timeMs;
    entry.command = command;
    entry.senderNick = "alice";
    entry.line = ":alice!a@h " + command + ' ' + target + " :text " + QByteArray::number(n) + "\r\n";
    return entry;
}

QByteArrayList ids(const HistoryResult &result)
{
    QByteArrayList list;
    for (const HistoryEntry &entry : result.entries)
        list << entry.msgid;
    return list;
}

/// Makes the SQLite file @p path by running @p statements on it (a database of an older version).
bool makeDatabase(const QString &path, std::initializer_list<const char *> statements,
                  const std::function<bool(QSqlQuery &)> &more = {})
{
    const QString connection = QStringLiteral("made-by-hand");
    bool made = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery sql(db);
            made = std::all_of(statements.begin(), statements.end(), [&sql](const char *statement) {
                return sql.exec(QString::fromLatin1(statement)) || (qWarning() << sql.lastError().text(), false);
            });
            made = made && (!more || more(sql));
            sql.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return made;
}

QByteArrayList range(int first, int last)
{
    QByteArrayList list;
    for (int n = first; n <= last; ++n)
        list << "id" + QByteArray::number(n);
    return list;
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteHistoryStore> m_store;

    HistoryResult run(HistoryQuery query)
    {
        std::optional<HistoryResult> answer;
        m_store->query(query, this, [&answer](const HistoryResult &result) { answer = result; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10'000))
            return HistoryResult{{}, QStringLiteral("no answer")};
        return *answer;
    }

    HistoryQuery query(HistoryQuery::Selection selection, HistoryReference from, int limit,
                       HistoryReference to = {})
    {
        HistoryQuery query;
        query.target = "#Chat";
        query.selection = selection;
        query.from = std::move(from);
        query.to = std::move(to);
        query.limit = limit;
        return query;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<SqliteHistoryStore>();
        QString error;
        QVERIFY2(m_store->open(m_dir.filePath(QTest::currentTestFunction() + QStringLiteral(".sqlite")), &error),
                 qPrintable(error));
        // Messages 1..20 one second apart in "#chat"; a JOIN between 10 and 11; another channel.
        for (int n = 1; n <= 20; ++n) {
            m_store->append(message("#chat", n, kBase + n * 1000));
            if (n == 10)
                m_store->append(message("#chat", 100, kBase + n * 1000 + 500, "JOIN"));
            m_store->append(message("#other", 200 + n, kBase + n * 1000));
        }
    }

    void cleanup() { m_store.reset(); }

    void latest()
    {
        using S = HistoryQuery::Selection;
        QCOMPARE(ids(run(query(S::Latest, HistoryReference::none(), 5))), range(16, 20));
        // Only those after the reference, still the latest ones.
        QCOMPARE(ids(run(query(S::Latest, HistoryReference::message("id17"), 50))), range(18, 20));
        QCOMPARE(ids(run(query(S::Latest, HistoryReference::at(kBase + 17'000), 2))), range(19, 20));
        // The channel name is matched whatever its case: "#Chat" is "#chat".
        QCOMPARE(run(query(S::Latest, HistoryReference::none(), 100)).entries.size(), 20);
    }

    void beforeAndAfter()
    {
        using S = HistoryQuery::Selection;
        QCOMPARE(ids(run(query(S::Before, HistoryReference::message("id10"), 3))), range(7, 9));
        QCOMPARE(ids(run(query(S::Before, HistoryReference::at(kBase + 10'000), 3))), range(7, 9));
        QCOMPARE(ids(run(query(S::After, HistoryReference::message("id10"), 3))), range(11, 13));
        QCOMPARE(ids(run(query(S::After, HistoryReference::at(kBase + 10'000), 3))), range(11, 13));
        QCOMPARE(ids(run(query(S::Before, HistoryReference::message("id2"), 10))), range(1, 1));
        // A msgid of another conversation, or none at all: nothing.
        QVERIFY(run(query(S::Before, HistoryReference::message("id205"), 10)).entries.isEmpty());
        QVERIFY(run(query(S::After, HistoryReference::message("nope"), 10)).entries.isEmpty());
    }

    void around()
    {
        using S = HistoryQuery::Selection;
        QCOMPARE(ids(run(query(S::Around, HistoryReference::message("id10"), 5))), range(8, 12));
        QCOMPARE(ids(run(query(S::Around, HistoryReference::message("id1"), 4))), range(1, 4));
    }

    void between()
    {
        using S = HistoryQuery::Selection;
        // Forward: the ones nearest the first reference, oldest first; both ends excluded.
        QCOMPARE(ids(run(query(S::Between, HistoryReference::message("id3"), 3, HistoryReference::message("id15")))),
                 range(4, 6));
        // Backward: nearest the first reference (the latest), still oldest first.
        QCOMPARE(ids(run(query(S::Between, HistoryReference::message("id15"), 3, HistoryReference::message("id3")))),
                 range(12, 14));
        QCOMPARE(ids(run(query(S::Between, HistoryReference::at(kBase + 3'000), 50,
                               HistoryReference::at(kBase + 6'000)))),
                 range(4, 5));
    }

    void eventsOnlyWhenAsked()
    {
        using S = HistoryQuery::Selection;
        HistoryQuery request = query(S::After, HistoryReference::message("id10"), 1);
        QCOMPARE(ids(run(request)), range(11, 11));
        request.withEvents = true;
        QCOMPARE(ids(run(request)), QByteArrayList{"id100"});
        QCOMPARE(run(request).entries.first().command, QByteArray("JOIN"));
    }

    void notBefore()
    {
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 50);
        request.notBeforeMs = kBase + 18'000;
        QCOMPARE(ids(run(request)), range(18, 20));
    }

    void entryKeepsEverything()
    {
        HistoryEntry entry = message("#tags", 1, kBase);
        entry.senderAccount = "Alice";
        entry.clientTags = "+draft/reply=id0;+example.com/x";
        m_store->append(entry);
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 5);
        request.target = "#tags";
        const HistoryResult result = run(request);
        QCOMPARE(result.entries.size(), 1);
        const HistoryEntry &found = result.entries.first();
        QCOMPARE(found.line, entry.line);
        QCOMPARE(found.timeMs, entry.timeMs);
        QCOMPARE(found.senderAccount, QByteArray("Alice"));
        QCOMPARE(found.clientTags, entry.clientTags);
        QCOMPARE(found.senderNick, QByteArray("alice"));
    }

    void bytesThatAreNotUtf8()
    {
        // A channel name in Latin-1 is kept and found again; the line comes back byte for byte.
        HistoryEntry entry = message("#caf\xe9", 1, kBase);
        entry.line = ":alice!a@h PRIVMSG #caf\xe9 :na\xefve\r\n";
        m_store->append(entry);
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 5);
        request.target = "#CAF\xe9";
        const HistoryResult result = run(request);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.entries.size(), 1);
        QCOMPARE(result.entries.first().line, entry.line);
        QCOMPARE(result.entries.first().clientTags, QByteArray());
        // And found by its msgid within that channel.
        request.selection = HistoryQuery::Selection::Before;
        request.from = HistoryReference::message("id1");
        QVERIFY(run(request).entries.isEmpty());
        request.selection = HistoryQuery::Selection::Around;
        QCOMPARE(ids(run(request)), QByteArrayList{"id1"});
    }

    void privateKeyOfFoldedNames_data()
    {
        QTest::addColumn<QByteArray>("account1");
        QTest::addColumn<QByteArray>("account2");
        QTest::newRow("mixed case") << QByteArray("Alice") << QByteArray("bOB");
        QTest::newRow("rfc1459 specials") << QByteArray("Wiz[A]") << QByteArray("wiz{a}^");
        QTest::newRow("one a prefix of the other") << QByteArray("ANN") << QByteArray("annabel");
        QTest::newRow("same account") << QByteArray("Carol") << QByteArray("CAROL");
        QTest::newRow("non-ASCII bytes") << QByteArray("Z\xe9lie") << QByteArray("\xc9mile");
    }

    void privateKeyOfFoldedNames()
    {
        QFETCH(QByteArray, account1);
        QFETCH(QByteArray, account2);
        const QByteArray folded1 = tktalk::protocol::foldCase(account1);
        const QByteArray folded2 = tktalk::protocol::foldCase(account2);
        const QByteArray key = privateConversationKey(account1, account2);
        QCOMPARE(privateConversationKeyOfFolded(folded1, folded2), key);
        QCOMPARE(privateConversationKeyOfFolded(folded2, folded1), key);
        QCOMPARE(privateConversationKey(account2, account1), key);
    }

    void privateConversations()
    {
        const QByteArray key = privateConversationKey("Alice", "bob");
        QCOMPARE(privateConversationKey("BOB", "alice"), key);
        for (int n = 1; n <= 3; ++n) {
            HistoryEntry entry = message(key, 300 + n, kBase + n);
            entry.accountA = n % 2 ? "Alice" : "bob";
            entry.accountB = n % 2 ? "bob" : "Alice";
            m_store->append(entry);
        }
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10);
        request.target = key;
        QCOMPARE(ids(run(request)), (QByteArrayList{"id301", "id302", "id303"}));

        std::optional<HistoryTargetsResult> answer;
        HistoryTargetsQuery targets;
        targets.fromMs = kBase;
        targets.toMs = kBase + 100'000;
        targets.channels = {"#CHAT"};
        targets.account = "ALICE";
        m_store->targets(targets, this, [&answer](const HistoryTargetsResult &result) { answer = result; });
        QVERIFY(QTest::qWaitFor([&answer] { return answer.has_value(); }, 10'000));
        QVERIFY2(answer->error.isEmpty(), qPrintable(answer->error));
        QCOMPARE(answer->targets.size(), 2);
        QCOMPARE(answer->targets.at(0).target, QByteArray("bob")); // latest kBase+3
        QCOMPARE(answer->targets.at(1).target, QByteArray("#chat")); // latest kBase+20000
        QCOMPARE(answer->targets.at(1).latestMs, kBase + 20'000);
    }

    void keptAcrossReopening()
    {
        bool written = false;
        m_store->whenWritten(this, [&written](bool ok) { written = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(written, 10'000);
        m_store.reset();
        m_store = std::make_unique<SqliteHistoryStore>();
        QString error;
        QVERIFY2(m_store->open(m_dir.filePath(QStringLiteral("keptAcrossReopening.sqlite")), &error), qPrintable(error));
        QCOMPARE(run(query(HistoryQuery::Selection::Latest, HistoryReference::none(), 100)).entries.size(), 20);
    }

    void purge()
    {
        std::optional<HistoryPurgeResult> answer;
        auto purge = [&](HistoryPurge request) {
            answer.reset();
            m_store->purge(request, this, [&answer](const HistoryPurgeResult &result) { answer = result; });
            return QTest::qWaitFor([&answer] { return answer.has_value(); }, 10'000) && answer->error.isEmpty();
        };
        // A private conversation with two messages waiting for bob, the oldest of all.
        const QByteArray key = privateConversationKey("alice", "bob");
        for (int n = 1; n <= 4; ++n) {
            HistoryEntry entry = message(key, 400 + n, kBase + n);
            entry.accountA = "alice";
            entry.accountB = "bob";
            if (n <= 2)
                entry.pendingFor = "Bob";
            m_store->append(entry);
        }
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 100);
        request.withEvents = true;

        // Nothing to do: nothing goes.
        QVERIFY(purge(HistoryPurge{}));
        QCOMPARE(answer->removed, 0);
        // By count: the last 3 entries of each conversation stay (#chat has 20 messages and a JOIN);
        // a private message still waiting for its recipient stays too.
        QVERIFY(purge(HistoryPurge{0, 3}));
        QCOMPARE(answer->removed, (21 - 3) + (20 - 3));
        QCOMPARE(ids(run(request)), range(18, 20));
        request.target = "#other";
        QCOMPARE(ids(run(request)), (QByteArrayList{"id218", "id219", "id220"}));
        request.target = key;
        QCOMPARE(ids(run(request)), (QByteArrayList{"id401", "id402", "id403", "id404"}));
        // By age: whatever is older goes, waiting or not.
        QVERIFY(purge(HistoryPurge{kBase + 19'000, 0}));
        QCOMPARE(answer->removed, 1 + 1 + 4);
        QVERIFY(run(request).entries.isEmpty());
        request.target = "#chat";
        QCOMPARE(ids(run(request)), range(19, 20));
    }

    void conversationOverManyChunks()
    {
        // More entries than one chunk holds, some of them at the same moment: every selection
        // crosses chunks as if there were none.
        constexpr int kCount = 2 * HistoryDatabase::kChunkEntries + 100;
        for (int n = 1; n <= kCount; ++n)
            m_store->append(message("#big", 1000 + n, kBase + n / 3));
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 1'000'000);
        request.target = "#big";
        QCOMPARE(ids(run(request)), range(1001, 1000 + kCount));
        request.limit = 5;
        request.selection = HistoryQuery::Selection::Before;
        request.from = HistoryReference::message("id2027");
        QCOMPARE(ids(run(request)), range(2022, 2026));
        request.selection = HistoryQuery::Selection::After;
        QCOMPARE(ids(run(request)), range(2028, 2032));
        request.selection = HistoryQuery::Selection::Around;
        QCOMPARE(ids(run(request)), range(2025, 2029));
        request.selection = HistoryQuery::Selection::Between;
        request.to = HistoryReference::message("id3100");
        request.limit = 2000;
        QCOMPARE(ids(run(request)), range(2028, 3099));
    }

    void upgradesVersionOne()
    {
        // A history written by a tktalk that kept one row per entry (schema version 1).
        const QString path = m_dir.filePath(QStringLiteral("version1.sqlite"));
        QVERIFY(makeDatabase(path, {
                     "CREATE TABLE messages (id INTEGER PRIMARY KEY, target TEXT NOT NULL,"
                     " account_a TEXT NOT NULL DEFAULT '', account_b TEXT NOT NULL DEFAULT '', msgid TEXT NOT NULL,"
                     " time_ms INTEGER NOT NULL, command TEXT NOT NULL, sender_nick TEXT NOT NULL,"
                     " sender_account TEXT NOT NULL DEFAULT '', line BLOB NOT NULL,"
                     " client_tags BLOB NOT NULL DEFAULT '', pending_for TEXT NOT NULL DEFAULT '')",
                     "INSERT INTO messages (target, msgid, time_ms, command, sender_nick, line) VALUES"
                     " ('#old', 'Vq3x9aB_kLmN0pQr-1', 1700000000001, 'PRIVMSG', 'alice', ':alice!a@h PRIVMSG #Old :one'),"
                     " ('#old', 'Vq3x9aB_kLmN0pQr-2', 1700000000002, 'JOIN', 'bob', ':bob!b@h JOIN #Old'),"
                     " ('#old', 'Vq3x9aB_kLmN0pQr-3', 1700000000003, 'PRIVMSG', 'bob', ':bob!b@h PRIVMSG #Old :two')",
                     "INSERT INTO messages (target, account_a, account_b, msgid, time_ms, command, sender_nick,"
                     " sender_account, line, pending_for) VALUES (' alice bob', 'Alice', 'bob',"
                     " 'Vq3x9aB_kLmN0pQr-4', 1700000000004, 'PRIVMSG', 'alice', 'Alice',"
                     " ':alice!a@h PRIVMSG bob :waiting', 'bob')",
                     "PRAGMA user_version = 1"}));

        m_store = std::make_unique<SqliteHistoryStore>();
        QString error;
        QVERIFY2(m_store->open(path, &error), qPrintable(error));
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10);
        request.target = "#OLD";
        request.withEvents = true;
        const HistoryResult result = run(request);
        QCOMPARE(ids(result), (QByteArrayList{"Vq3x9aB_kLmN0pQr-1", "Vq3x9aB_kLmN0pQr-2", "Vq3x9aB_kLmN0pQr-3"}));
        QCOMPARE(result.entries.at(2).line, QByteArray(":bob!b@h PRIVMSG #Old :two\r\n"));
        request.selection = HistoryQuery::Selection::Before;
        request.from = HistoryReference::message("Vq3x9aB_kLmN0pQr-3");
        QCOMPARE(ids(run(request)), (QByteArrayList{"Vq3x9aB_kLmN0pQr-1", "Vq3x9aB_kLmN0pQr-2"}));

        std::optional<HistoryResult> waiting;
        m_store->pending("BOB", this, [&waiting](const HistoryResult &found) { waiting = found; });
        QVERIFY(QTest::qWaitFor([&waiting] { return waiting.has_value(); }, 10'000));
        QCOMPARE(ids(*waiting), QByteArrayList{"Vq3x9aB_kLmN0pQr-4"});
        QCOMPARE(waiting->entries.first().accountA, QByteArray("Alice"));
    }

    void upgradesVersionTwoWithItsJournal()
    {
        // A history whose journal was a table (schema version 2), left unsealed by a kill.
        const QString path = m_dir.filePath(QStringLiteral("version2.sqlite"));
        const QList<HistoryEntry> batch{message("#Old", 1, kBase + 1), message("#Old", 2, kBase + 2)};
        const auto journalRow = [&batch](QSqlQuery &sql) {
            sql.prepare(QStringLiteral("INSERT INTO journal (data) VALUES (?)"));
            sql.addBindValue(historychunk::pack(batch, historychunk::Fields::Everything));
            return sql.exec();
        };
        QVERIFY(makeDatabase(path, {
                     "CREATE TABLE chunks (id INTEGER PRIMARY KEY, target TEXT NOT NULL,"
                     " account_a TEXT NOT NULL DEFAULT '', account_b TEXT NOT NULL DEFAULT '',"
                     " first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, entries INTEGER NOT NULL,"
                     " id_prefix TEXT NOT NULL DEFAULT '', id_first INTEGER NOT NULL DEFAULT 0,"
                     " id_last INTEGER NOT NULL DEFAULT 0, data BLOB NOT NULL)",
                     "CREATE INDEX chunks_by_target ON chunks (target, first_ms)",
                     "CREATE INDEX chunks_by_msgid ON chunks (target, id_prefix, id_last)",
                     "CREATE TABLE waiting (id INTEGER PRIMARY KEY, account TEXT NOT NULL, target TEXT NOT NULL,"
                     " msgid TEXT NOT NULL, time_ms INTEGER NOT NULL, sender_account TEXT NOT NULL,"
                     " entry BLOB NOT NULL)",
                     "CREATE INDEX waiting_by_account ON waiting (account)",
                     "CREATE TABLE journal (id INTEGER PRIMARY KEY, data BLOB NOT NULL)", "PRAGMA user_version = 2"},
                             journalRow));

        HistoryDatabase database;
        QString error;
        QVERIFY2(database.open(path, &error), qPrintable(error));
        HistoryQuery request = query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10);
        request.target = "#old";
        QCOMPARE(ids(database.select(request)), (QByteArrayList{"id1", "id2"}));
    }

    void journalLeftByAKillIsSealedOnOpening()
    {
        // The database as it was before the batch, and the journal as the kill left it.
        const QString path = m_dir.filePath(QStringLiteral("killed/history.sqlite"));
        const QString before = m_dir.filePath(QStringLiteral("before/history.sqlite"));
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("killed")) && QDir(m_dir.path()).mkpath(QStringLiteral("before")));
        QString error;
        {
            HistoryDatabase empty;
            QVERIFY2(empty.open(before, &error), qPrintable(error));
        }
        QByteArray journal;
        {
            HistoryDatabase database;
            QVERIFY2(database.open(path, &error), qPrintable(error));
            QVERIFY2(database.insert({message("#chat", 1, kBase + 1), message("#chat", 2, kBase + 2)}, &error),
                     qPrintable(error));
            journal = fileContents(HistoryDatabase::journalPathFor(path));
            QVERIFY(!journal.isEmpty());
        }
        // What the seal on closing wrote is gone: only the journal has the batch.
        QVERIFY(QFile::remove(path) && QFile::copy(before, path));
        QVERIFY(writeFile(HistoryDatabase::journalPathFor(path), journal + "cut sho"));
        HistoryDatabase reopened;
        QVERIFY2(reopened.open(path, &error), qPrintable(error));
        QCOMPARE(ids(reopened.select(query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10))),
                 (QByteArrayList{"id1", "id2"}));
        QCOMPARE(fileContents(HistoryDatabase::journalPathFor(path)), QByteArray()); // sealed, so emptied
    }

    void journalSealedButNotEmptiedIsNotSealedTwice()
    {
        // A kill after the seal's transaction, before the journal was emptied.
        const QString path = m_dir.filePath(QStringLiteral("twice.sqlite"));
        QString error;
        QByteArray journal;
        {
            HistoryDatabase database;
            QVERIFY2(database.open(path, &error), qPrintable(error));
            QVERIFY(database.insert({message("#chat", 1, kBase + 1)}, &error));
            QVERIFY(database.insert({message("#chat", 2, kBase + 2)}, &error));
            journal = fileContents(HistoryDatabase::journalPathFor(path));
            QVERIFY(database.seal(&error));
            QCOMPARE(fileContents(HistoryDatabase::journalPathFor(path)), QByteArray());
        }
        QVERIFY(writeFile(HistoryDatabase::journalPathFor(path), journal));
        HistoryDatabase reopened;
        QVERIFY2(reopened.open(path, &error), qPrintable(error));
        QCOMPARE(ids(reopened.select(query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10))),
                 (QByteArrayList{"id1", "id2"}));
        // A later batch is kept as well.
        QVERIFY(reopened.insert({message("#chat", 3, kBase + 3)}, &error));
        QCOMPARE(ids(reopened.select(query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10))),
                 (QByteArrayList{"id1", "id2", "id3"}));
    }

    void sealRefusedWaitsInTheJournal()
    {
        // Another process holds the database's write lock: the batch is still written (to the
        // journal), the seal fails and says why, and once the lock is gone it goes through.
        const QString path = m_dir.filePath(QStringLiteral("locked.sqlite"));
        HistoryDatabase database;
        QString error;
        QVERIFY2(database.open(path, &error), qPrintable(error));
        QVERIFY(database.insert({message("#chat", 1, kBase + 1)}, &error));
        QVERIFY(database.seal(&error));
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            locker.setDatabaseName(path);
            QVERIFY(locker.open());
            QSqlQuery lock(locker);
            QVERIFY2(lock.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(lock.lastError().text()));
            QVERIFY2(database.insert({message("#chat", 2, kBase + 2)}, &error), qPrintable(error));
            QVERIFY(!database.seal(&error));
            QVERIFY(!error.isEmpty());
            QCOMPARE(database.sealProblem(), error);
            // The next batches do not try again at once (each try can wait the busy timeout),
            // and are kept meanwhile.
            const qint64 failedAt = database.sealFailedAtMs();
            QVERIFY(failedAt > 0);
            QVERIFY(!database.sealDue(failedAt + 1));
            QVERIFY(!database.sealDue(failedAt + HistoryDatabase::kSealRetryMs - 1));
            QVERIFY(database.sealDue(failedAt + HistoryDatabase::kSealRetryMs));
            QVERIFY2(database.insert({message("#chat", 3, kBase + 3)}, &error), qPrintable(error));
            QVERIFY(!fileContents(HistoryDatabase::journalPathFor(path)).isEmpty());
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
            lock.finish();
            locker.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QVERIFY2(database.seal(&error), qPrintable(error));
        QVERIFY(database.sealProblem().isEmpty());
        QCOMPARE(database.sealFailedAtMs(), 0);
        QCOMPARE(fileContents(HistoryDatabase::journalPathFor(path)), QByteArray());
        QCOMPARE(ids(database.select(query(HistoryQuery::Selection::Latest, HistoryReference::none(), 10))),
                 (QByteArrayList{"id1", "id2", "id3"}));
    }

    void damagedFileRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("damaged.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("SQLite format 3") + QByteArray(1, '\0') + QByteArray(4000, 'x'));
        file.close();
        SqliteHistoryStore store;
        QString error;
        QVERIFY(!store.open(path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
