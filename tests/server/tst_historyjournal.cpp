// The history's journal file: batches come back in order with their sequence numbers; what a seal
// already took is not read again; a record cut short or damaged ends what is read, and a write
// that fails leaves nothing of itself behind.

#include "history/historyjournal.h"
#include "testfiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace tktalk::server;
using tktalk::test::fileContents;
using tktalk::test::writeFile;

namespace {

struct Batch
{
    qint64 sequence;
    QByteArray packed;
};

/// Everything @p journal reads after @p sealedThrough, and how many bytes it left out.
std::pair<QList<Batch>, qint64> readAll(HistoryJournal &journal, qint64 sealedThrough = 0)
{
    QList<Batch> batches;
    qint64 ignored = -1;
    QString error;
    const bool read = journal.read(
        sealedThrough, [&batches](qint64 sequence, const QByteArray &packed) { batches.append({sequence, packed}); },
        &ignored, &error);
    if (!read)
        qWarning() << error;
    return {batches, read ? ignored : -1};
}

} // namespace

class TestHistoryJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path() const { return m_dir.filePath(QTest::currentTestFunction() + QStringLiteral(".journal")); }

    /// A journal at path() holding "one", "two" and "three" (sequence numbers 1 to 3).
    bool writeThree()
    {
        QFile::remove(path()); // a data row's file from the row before
        HistoryJournal journal;
        QString error;
        if (!journal.open(path(), &error) || readAll(journal).second != 0)
            return false;
        for (const char *packed : {"one", "two", "three"}) {
            if (!journal.append(packed, &error))
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void batchesComeBackInOrder()
    {
        QVERIFY(writeThree());
        HistoryJournal journal;
        QString error;
        QVERIFY2(journal.open(path(), &error), qPrintable(error));
        const auto [batches, ignored] = readAll(journal);
        QCOMPARE(ignored, 0);
        QCOMPARE(batches.size(), 3);
        QCOMPARE(batches.at(0).sequence, 1);
        QCOMPARE(batches.at(0).packed, QByteArray("one"));
        QCOMPARE(batches.at(2).sequence, 3);
        QCOMPARE(batches.at(2).packed, QByteArray("three"));
        // The next record goes after them, with the next number.
        QVERIFY(journal.append("four", &error));
        QCOMPARE(journal.lastSequence(), 4);
        QCOMPARE(readAll(journal).first.size(), 4);
        QCOMPARE(QFile(path()).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    void sealedRecordsAreNotReadAgain()
    {
        // A seal committed, then the process died before it could empty the journal.
        QVERIFY(writeThree());
        HistoryJournal journal;
        QString error;
        QVERIFY(journal.open(path(), &error));
        const auto [batches, ignored] = readAll(journal, 2);
        QCOMPARE(ignored, 0);
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.first().packed, QByteArray("three"));
        // Numbers go on from the greater of what was read and what was sealed.
        QVERIFY(journal.clear(&error));
        QCOMPARE(readAll(journal, 7).first.size(), 0);
        QVERIFY(journal.append("next", &error));
        QCOMPARE(journal.lastSequence(), 8);
        QCOMPARE(fileContents(path()).size(), 4 + 8 + 4 + 4 + 8);
    }

    void recordCutShortEndsTheJournal_data()
    {
        QTest::addColumn<int>("cut");
        // One record of "three" is 4 + 8 + 4 + 5 + 8 = 29 bytes: cut in its trailer, its bytes, its header.
        QTest::newRow("trailer") << 3;
        QTest::newRow("bytes") << 10;
        QTest::newRow("header") << 25;
    }

    void recordCutShortEndsTheJournal()
    {
        QFETCH(int, cut);
        QVERIFY(writeThree());
        const QByteArray whole = fileContents(path());
        QVERIFY(writeFile(path(), whole.first(whole.size() - cut)));
        HistoryJournal journal;
        QString error;
        QVERIFY(journal.open(path(), &error));
        const auto [batches, ignored] = readAll(journal);
        QCOMPARE(batches.size(), 2);
        QCOMPARE(batches.last().packed, QByteArray("two"));
        QCOMPARE(ignored, 29 - cut);
    }

    void damagedRecordEndsTheJournal_data()
    {
        QTest::addColumn<int>("at");
        QTest::addColumn<char>("byte");
        // The second record starts at 27 ("one": 4 + 8 + 4 + 3 + 8).
        QTest::newRow("magic") << 27 << 'X';
        QTest::newRow("length beyond the file") << 27 + 12 + 3 << '\x7f';
        QTest::newRow("trailer disagrees") << 27 + 16 + 3 << '\x05';
    }

    void damagedRecordEndsTheJournal()
    {
        QFETCH(int, at);
        QFETCH(char, byte);
        QVERIFY(writeThree());
        QByteArray contents = fileContents(path());
        contents[at] = byte;
        QVERIFY(writeFile(path(), contents));
        HistoryJournal journal;
        QString error;
        QVERIFY(journal.open(path(), &error));
        const auto [batches, ignored] = readAll(journal);
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.first().packed, QByteArray("one"));
        QCOMPARE(ignored, contents.size() - 27);
    }

    void failedWriteLeavesNothing()
    {
        // A full disk, without root: a file-size limit just above what the journal holds.
        QVERIFY(writeThree());
        HistoryJournal journal;
        QString error;
        QVERIFY(journal.open(path(), &error));
        QCOMPARE(readAll(journal).first.size(), 3);
        const qint64 size = fileContents(path()).size();
        rlimit original{};
        QVERIFY(getrlimit(RLIMIT_FSIZE, &original) == 0);
        const auto previous = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = original;
        small.rlim_cur = rlim_t(size + 20); // the record's header fits, not the rest
        QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
        const bool appended = journal.append(QByteArray(100, 'x'), &error);
        setrlimit(RLIMIT_FSIZE, &original);
        std::signal(SIGXFSZ, previous);
        QVERIFY(!appended);
        QVERIFY2(error.contains(path()), qPrintable(error));
        QCOMPARE(fileContents(path()).size(), size);
        QCOMPARE(journal.lastSequence(), 3);
        // Room again: the next record is whole, and numbered after the last one written.
        QVERIFY2(journal.append("after", &error), qPrintable(error));
        const auto [batches, ignored] = readAll(journal);
        QCOMPARE(ignored, 0);
        QCOMPARE(batches.size(), 4);
        QCOMPARE(batches.last().sequence, 4);
        QCOMPARE(batches.last().packed, QByteArray("after"));
    }

    void unopenableJournalSaysWhere()
    {
        HistoryJournal journal;
        QString error;
        const QString missing = m_dir.filePath(QStringLiteral("no/such/dir/history.journal"));
        QVERIFY(!journal.open(missing, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
        QVERIFY(!journal.append("x", &error));
    }
};

QTEST_GUILESS_MAIN(TestHistoryJournal)
#include "tst_historyjournal.moc"
