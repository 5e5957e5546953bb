// Replies that echo what a client sent: an unknown command, a target that does not exist, a CAP
// subcommand in two words. Whatever was sent, the error reaches the sender as one line within the
// 512-byte limit, bystanders get nothing, and the server keeps serving. fuzz_server found each of
// these: the reply was either longer than 512 bytes or could not be serialised and was dropped.

#include "protocol/limits.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;

class tst_EchoedReplies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorFitsAndArrives_data();
    void errorFitsAndArrives();
};

void tst_EchoedReplies::errorFitsAndArrives_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("echoed"); ///< what the reply's second parameter starts with

    const QByteArray longWord(480, 'A');
    QTest::newRow("unknown command of 480 letters") << longWord << QByteArray("421") << QByteArray("AAAA");
    QTest::newRow("message to a 490-byte nick")
        << "PRIVMSG " + QByteArray(490, 'x') + " :hi" << QByteArray("401") << QByteArray("xxxx");
    QTest::newRow("WHOIS of a nick with a space") << QByteArray("WHOIS :no body") << QByteArray("401")
                                                      << QByteArray("no");
    QTest::newRow("CAP subcommand in two words") << QByteArray("CAP :a topic") << QByteArray("410") << QByteArray("a");
    // A name that could not be a channel's is echoed as "*", as in the channel replies' 696.
    QTest::newRow("PART of a channel with a space") << QByteArray("PART :#a b") << QByteArray("403") << QByteArray("*");
    QTest::newRow("WHOIS of an empty nick") << QByteArray("WHOIS :") << QByteArray("401") << QByteArray("*");
    QTest::newRow("MODE of a 490-byte channel")
        << "MODE #" + QByteArray(489, 'c') << QByteArray("403") << QByteArray("#ccc");
}

void tst_EchoedReplies::errorFitsAndArrives()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, echoed);
    TestServer server;
    auto bystander = server.registeredClient("bystander");
    auto sender = server.registeredClient("sender");
    QVERIFY(bystander && sender);
    QVERIFY(bystander->sync() && sender->sync());
    bystander->skipReceived();
    sender->skipReceived();
    const qsizetype rawBefore = sender->rawLines().size();

    sender->sendLine(line);
    const auto reply = sender->waitForCommand(numeric);
    QVERIFY2(reply, "the error must reach the sender");
    QVERIFY2(reply->param(1).startsWith(echoed), reply->param(1).constData());
    for (const QByteArray &raw : sender->rawLines().mid(rawBefore))
        QVERIFY2(raw.size() + 2 <= protocol::kMaxLineBytes, raw.constData());
    QVERIFY(bystander->receivedNothing());
    sender->sendLine("PRIVMSG #lobby :still here");
    QVERIFY(bystander->waitFor(commandWithParam("PRIVMSG", 1, "still here")));
}

QTEST_GUILESS_MAIN(tst_EchoedReplies)
#include "tst_echoedreplies.moc"
