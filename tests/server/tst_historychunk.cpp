// How history entries are packed into a database value (historychunk): everything comes back,
// byte for byte; a value cut short or damaged gives what could be read and says so; and a chunk's
// summary finds its msgids only when they are all of MessageIds' form with one prefix.

#include "history/historychunk.h"

#include <QTest>

using namespace tktalk::server;
using historychunk::Fields;

namespace {

HistoryEntry entry(const QByteArray &msgid, qint64 timeMs)
{
    HistoryEntry made;
    made.target = " alice bob";
    made.accountA = "Alice";
    made.accountB = "bob";
    made.pendingFor = "bob";
    made.msgid = msgid;
    made.timeMs = timeMs;
    made.command = "PRIVMSG";
    made.senderNick = "alice";
    made.senderAccount = "Alice";
    made.line = QByteArray(":alice!a@h PRIVMSG bob :caf\xe9 \0 end\r\n", 36);
    made.clientTags = "+draft/reply=x";
    return made;
}

bool same(const HistoryEntry &a, const HistoryEntry &b, Fields fields)
{
    const bool message = a.msgid == b.msgid && a.timeMs == b.timeMs && a.command == b.command
                         && a.senderNick == b.senderNick && a.senderAccount == b.senderAccount && a.line == b.line
                         && a.clientTags == b.clientTags;
    if (fields == Fields::Message)
        return message && b.target.isEmpty() && b.accountA.isEmpty() && b.pendingFor.isEmpty();
    return message && a.target == b.target && a.accountA == b.accountA && a.accountB == b.accountB
           && a.pendingFor == b.pendingFor;
}

} // namespace

class tst_HistoryChunk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void journalBatchIsReadInPlace()
    {
        // A journal's batch, read entry by entry where it lies: each entry's fields, its whole
        // record, and the part a chunk holds of it (the same bytes as packing it alone).
        QList<HistoryEntry> entries{entry("p-1", 1), HistoryEntry(), entry("p-2", 2)};
        entries[2].target = "#a much longer channel name";
        entries[2].pendingFor.clear();
        const QByteArray packed = historychunk::pack(entries, Fields::Everything);
        historychunk::PackedReader reader(packed);
        historychunk::PackedEntry read;
        for (const HistoryEntry &expected : std::as_const(entries)) {
            QVERIFY(reader.next(read));
            QCOMPARE(read.target, expected.target);
            QCOMPARE(read.accountA, expected.accountA);
            QCOMPARE(read.accountB, expected.accountB);
            QCOMPARE(read.pendingFor, expected.pendingFor);
            QCOMPARE(read.msgid, expected.msgid);
            QCOMPARE(read.timeMs, expected.timeMs);
            QCOMPARE(read.message.toByteArray(), historychunk::pack(&expected, 1, Fields::Message));
            QCOMPARE(read.record.toByteArray(), historychunk::pack(&expected, 1, Fields::Everything));
        }
        QVERIFY(!reader.next(read));
        QVERIFY(!reader.damaged());
        QCOMPARE(read.record.constData() + read.record.size(), packed.constData() + packed.size());
    }

    void journalBatchCutShortIsReadAsFarAsItGoes()
    {
        const QList<HistoryEntry> entries{entry("p-1", 1), entry("p-2", 2)};
        const QByteArray whole = historychunk::pack(entries, Fields::Everything);
        const qsizetype first = historychunk::pack(&entries[0], 1, Fields::Everything).size();
        for (const qsizetype cut : {first + 1, first + 20, whole.size() - 1}) {
            historychunk::PackedReader reader(QByteArrayView(whole).first(cut));
            historychunk::PackedEntry read;
            QVERIFY(reader.next(read));
            QCOMPARE(read.msgid, "p-1");
            QVERIFY2(!reader.next(read), qPrintable(QString::number(cut)));
            QVERIFY(reader.damaged());
            QVERIFY(!reader.next(read)); // and stays at its end
        }
        QByteArray hugeLength = whole;
        hugeLength[first] = '\xff'; // the second entry's target claims more than there is
        hugeLength[first + 3] = '\x7f';
        historychunk::PackedReader reader(hugeLength);
        historychunk::PackedEntry read;
        QVERIFY(reader.next(read));
        QVERIFY(!reader.next(read));
        QVERIFY(reader.damaged());
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("fields");
        QTest::newRow("message") << int(Fields::Message);
        QTest::newRow("everything") << int(Fields::Everything);
    }

    void roundTrip()
    {
        QFETCH(int, fields);
        const QList<HistoryEntry> entries{entry("p-1", -5), entry("", 1'700'000'000'000), HistoryEntry()};
        QList<HistoryEntry> back;
        QVERIFY(historychunk::unpack(historychunk::pack(entries, Fields(fields)), Fields(fields), back));
        QCOMPARE(back.size(), entries.size());
        for (qsizetype i = 0; i < entries.size(); ++i)
            QVERIFY2(same(entries.at(i), back.at(i), Fields(fields)), qPrintable(QString::number(i)));
        back.clear();
        QVERIFY(historychunk::unpack(QByteArray(), Fields(fields), back));
        QVERIFY(back.isEmpty());
    }

    void damagedValueGivesWhatItCan()
    {
        const QByteArray packed = historychunk::pack(QList<HistoryEntry>{entry("p-1", 1), entry("p-2", 2)}, Fields::Everything);
        // Every cut inside the second entry: the first comes back, and unpack says the rest is missing.
        const qsizetype firstSize = historychunk::pack(QList<HistoryEntry>{entry("p-1", 1)}, Fields::Everything).size();
        for (qsizetype cut = firstSize + 1; cut < packed.size(); ++cut) {
            QList<HistoryEntry> back;
            QVERIFY(!historychunk::unpack(packed.left(cut), Fields::Everything, back));
            QCOMPARE(back.size(), 1);
            QCOMPARE(back.first().msgid, QByteArray("p-1"));
        }
        // A length past the end of the value (here 0xffffffff) is refused, not followed.
        QByteArray lying = packed;
        lying.replace(0, 4, QByteArray(4, '\xff'));
        QList<HistoryEntry> back;
        QVERIFY(!historychunk::unpack(lying, Fields::Everything, back));
        QVERIFY(back.isEmpty());
    }

    void messageIdParts()
    {
        const auto parts = historychunk::messageIdParts("Vq3x9aB_kLm-N0pQr-1a");
        QVERIFY(parts);
        QCOMPARE(parts->prefix, QByteArray("Vq3x9aB_kLm-N0pQr")); // a prefix may hold '-' (base64url)
        QCOMPARE(parts->counter, 36 + 10);
        for (const QByteArray &other : {QByteArray("id1"), QByteArray("-1"), QByteArray("p-"), QByteArray("p-1A"),
                                        QByteArray("p-1_"), QByteArray("p-1234567890abc")})
            QVERIFY2(!historychunk::messageIdParts(other), other.constData());
    }

    void summary()
    {
        historychunk::ChunkSummary one = historychunk::summarize({entry("p-b", 30), entry("p-a", 10), entry("p-c", 20)});
        QCOMPARE(one.firstMs, 10);
        QCOMPARE(one.lastMs, 30);
        QCOMPARE(one.idPrefix, QByteArray("p"));
        QCOMPARE(one.idFirst, 10);
        QCOMPARE(one.idLast, 12);
        // Two prefixes, or an id of another form: no range, the chunk is searched entry by entry.
        for (const QByteArray &odd : {QByteArray("q-d"), QByteArray("pp-d"), QByteArray("nope"), QByteArray("p-d-e"),
                                      QByteArray("p-"), QByteArray("p-D"), QByteArray("p-1234567890123"),
                                      QByteArray("-d")}) {
            const historychunk::ChunkSummary mixed = historychunk::summarize({entry("p-a", 10), entry(odd, 5)});
            QVERIFY2(mixed.idPrefix.isEmpty(), odd.constData());
            QCOMPARE(mixed.firstMs, 5);
            QCOMPARE(mixed.lastMs, 10);
        }
    }
};

QTEST_GUILESS_MAIN(tst_HistoryChunk)
#include "tst_historychunk.moc"
