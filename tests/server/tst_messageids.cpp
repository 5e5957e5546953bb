// Message ids: the random prefix and the base-36 counter, exactly as PROTOCOL.md describes them;
// one id per outgoing message, however it is asked for.

#include "messageids.h"
#include "outgoing.h"

#include <QRegularExpression>
#include <QTest>

#include <limits>

using tktalk::protocol::Message;
using tktalk::server::MessageIds;
using tktalk::server::Outgoing;

class tst_MessageIds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idOfWritesTheCounterInBase36_data();
    void idOfWritesTheCounterInBase36();
    void nextCountsFromOne();
    void textIsTheIdWithoutAllocating();
    void anOutgoingMessageKeepsOneIdHoweverItIsAskedFor();
    void everyStartHasItsOwnPrefix();
};

void tst_MessageIds::idOfWritesTheCounterInBase36_data()
{
    QTest::addColumn<quint64>("counter");
    QTest::addColumn<QByteArray>("digits");
    QTest::newRow("zero") << quint64(0) << QByteArray("0");
    QTest::newRow("one") << quint64(1) << QByteArray("1");
    QTest::newRow("last single digit") << quint64(35) << QByteArray("z");
    QTest::newRow("first two digits") << quint64(36) << QByteArray("10");
    QTest::newRow("every digit") << quint64(1'295) << QByteArray("zz");
    QTest::newRow("a million") << quint64(1'000'000) << QByteArray("lfls");
    QTest::newRow("largest counter") << std::numeric_limits<quint64>::max() << QByteArray("3w5e11264sgsf");
}

void tst_MessageIds::idOfWritesTheCounterInBase36()
{
    QFETCH(quint64, counter);
    QFETCH(QByteArray, digits);
    const QByteArray prefix = "Vq3x9aB_kLmN0pQr-";
    QCOMPARE(QByteArray::number(counter, 36), digits); // the format ids always had
    QCOMPARE(MessageIds::idOf(prefix, counter), prefix + digits);
    QCOMPARE(MessageIds::idOf(QByteArray(), counter), digits);
}

void tst_MessageIds::nextCountsFromOne()
{
    MessageIds ids;
    const QByteArray first = ids.next();
    static const QRegularExpression format(QStringLiteral("^[A-Za-z0-9_-]{16}-1$"));
    QVERIFY2(format.match(QString::fromLatin1(first)).hasMatch(), first.constData());
    const QByteArray prefix = first.chopped(1);
    for (int n = 2; n <= 40; ++n)
        QCOMPARE(ids.next(), prefix + QByteArray::number(n, 36));
}

void tst_MessageIds::textIsTheIdWithoutAllocating()
{
    MessageIds ids;
    const QByteArray first = ids.next();
    const QByteArray prefix = first.chopped(1);
    for (const quint64 counter : {quint64(1), quint64(36), std::numeric_limits<quint64>::max()}) {
        QCOMPARE(ids.textOf(counter).view(), ids.idOf(counter));
        QCOMPARE(ids.idOf(counter), prefix + QByteArray::number(counter, 36));
    }
    QCOMPARE(ids.draw(), quint64(2)); // next() drew 1
    QCOMPARE(ids.next(), prefix + "3");
}

void tst_MessageIds::anOutgoingMessageKeepsOneIdHoweverItIsAskedFor()
{
    // History takes the id as text before anyone needs it made; a recipient with message-tags
    // asks for it after: the same id, drawn once.
    MessageIds ids;
    Outgoing first(*Message::parse(":alice!a@h PRIVMSG bob :hi"));
    MessageIds::Text storage;
    const QByteArray viewed = first.msgidView(ids, storage).toByteArray();
    QCOMPARE(first.msgid(ids), viewed);
    QCOMPARE(first.msgidView(ids, storage), viewed);
    QVERIFY(first.line(Outgoing::WithMessageTags, ids).contains("msgid=" + viewed));
    Outgoing second(*Message::parse(":alice!a@h PRIVMSG bob :again"));
    const QByteArray made = second.msgid(ids);
    QVERIFY(made != viewed);
    QCOMPARE(second.msgidView(ids, storage), made);
}

void tst_MessageIds::everyStartHasItsOwnPrefix()
{
    MessageIds one;
    MessageIds other;
    QVERIFY(one.next() != other.next());
}

QTEST_APPLESS_MAIN(tst_MessageIds)
#include "tst_messageids.moc"
