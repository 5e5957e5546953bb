#include "protocol/limits.h"
#include "protocol/lineframer.h"

#include <QTest>

using tktalk::protocol::LineFramer;
using Status = LineFramer::Status;

class tst_LineFramer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsOnLfAndCrLf();
    void keepsPartialLines();
    void byteByByte();
    void lineAtTheLimitIsAccepted();
    void overlongLineIsRejectedWhole();
    void receivingLimitTakesRelayedLines();
    void tagsAreBudgetedApart();
    void overlongTagsAreRejected();
    void endlessLineOverflows();
    void emptyLines();
};

void tst_LineFramer::splitsOnLfAndCrLf()
{
    LineFramer framer;
    framer.append("PING a\r\nPING b\nPING c\r\n");
    QByteArray line;
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PING a"));
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PING b"));
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PING c"));
    QCOMPARE(framer.next(line), Status::NeedMore);
    QCOMPARE(framer.bufferedBytes(), 0);
}

void tst_LineFramer::keepsPartialLines()
{
    LineFramer framer;
    framer.append("PRIVMSG #a :hel");
    QByteArray line;
    QCOMPARE(framer.next(line), Status::NeedMore);
    QVERIFY(!framer.hasCompleteLine());
    framer.append("lo\r");
    QCOMPARE(framer.next(line), Status::NeedMore);
    framer.append("\nNICK");
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PRIVMSG #a :hello"));
    QCOMPARE(framer.next(line), Status::NeedMore);
    QCOMPARE(framer.bufferedBytes(), 4);
}

void tst_LineFramer::byteByByte()
{
    LineFramer framer;
    const QByteArray input = "NICK alice\r\nUSER a 0 * :Alice\r\n";
    QByteArrayList lines;
    for (char c : input) {
        framer.append(QByteArrayView(&c, 1));
        QByteArray line;
        while (framer.next(line) == Status::Line)
            lines << line;
    }
    QCOMPARE(lines, QByteArrayList({"NICK alice", "USER a 0 * :Alice"}));
}

void tst_LineFramer::lineAtTheLimitIsAccepted()
{
    LineFramer framer;
    const QByteArray body = "PRIVMSG #a :" + QByteArray(tktalk::protocol::kMaxLineBodyBytes - 12, 'x');
    QCOMPARE(body.size(), 510);
    framer.append(body + "\r\n");
    QByteArray line;
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, body);
}

void tst_LineFramer::overlongLineIsRejectedWhole()
{
    LineFramer framer;
    const QByteArray body = "PRIVMSG #a :" + QByteArray(tktalk::protocol::kMaxLineBodyBytes - 11, 'x');
    framer.append(body + "\r\nPING after\r\n");
    QByteArray line = "untouched";
    QCOMPARE(framer.next(line), Status::TooLong);
    QCOMPARE(line, QByteArray("untouched"));
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PING after"));
}

void tst_LineFramer::receivingLimitTakesRelayedLines()
{
    // A client reads what servers relay: 510 bytes from the sender plus the sender's prefix.
    const QByteArray relayed = ":" + QByteArray(30, 'n') + "!~user@" + QByteArray(200, 'h') + " PRIVMSG #a :"
                               + QByteArray(490, 'x');
    QVERIFY(relayed.size() > tktalk::protocol::kMaxLineBodyBytes);
    LineFramer server;
    server.append(relayed + "\r\n");
    QByteArray line;
    QCOMPARE(server.next(line), Status::TooLong);
    LineFramer client(tktalk::protocol::kMaxReceivedLineBodyBytes);
    client.append(relayed + "\r\n");
    QCOMPARE(client.next(line), Status::Line);
    QCOMPARE(line, relayed);
    // Its limit still holds: a line past it is dropped whole, and one without an end overflows.
    client.append(QByteArray(tktalk::protocol::kMaxReceivedLineBodyBytes + 1, 'y') + "\r\nPING ok\r\n");
    QCOMPARE(client.next(line), Status::TooLong);
    QCOMPARE(client.next(line), Status::Line);
    QCOMPARE(line, QByteArray("PING ok"));
    client.append(QByteArray(client.maxUnfinishedBytes() + 1, 'z'));
    QCOMPARE(client.next(line), Status::Overflow);
}

void tst_LineFramer::tagsAreBudgetedApart()
{
    LineFramer framer;
    const QByteArray tags = "@+x=" + QByteArray(4000, 'a') + ' ';
    const QByteArray body = "PRIVMSG #a :" + QByteArray(498, 'y');
    framer.append(tags + body + "\r\n");
    QByteArray line;
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, tags + body);
}

void tst_LineFramer::overlongTagsAreRejected()
{
    LineFramer framer;
    framer.append("@+x=" + QByteArray(tktalk::protocol::kMaxTagsBytes, 'a') + " PING x\r\n");
    QByteArray line;
    QCOMPARE(framer.next(line), Status::TooLong);
    QCOMPARE(framer.next(line), Status::NeedMore);
}

void tst_LineFramer::endlessLineOverflows()
{
    LineFramer framer;
    QByteArray line;
    for (int i = 0; i < 10; ++i) {
        framer.append(QByteArray(1000, 'z'));
        const Status status = framer.next(line);
        if (framer.bufferedBytes() <= tktalk::protocol::kMaxFramedLineBytes)
            QCOMPARE(status, Status::NeedMore);
        else
            QCOMPARE(status, Status::Overflow);
    }
    QCOMPARE(framer.next(line), Status::Overflow);
}

void tst_LineFramer::emptyLines()
{
    LineFramer framer;
    framer.append("\r\n\n");
    QByteArray line = "x";
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray());
    QCOMPARE(framer.next(line), Status::Line);
    QCOMPARE(line, QByteArray());
}

QTEST_APPLESS_MAIN(tst_LineFramer)
#include "tst_lineframer.moc"
