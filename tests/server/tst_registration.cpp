#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestServer;

class tst_Registration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void welcomeBurst();
};

void tst_Registration::welcomeBurst()
{
    TestServer server;
    QVERIFY(server.isListening());
    auto alice = server.connectClient();
    QVERIFY(alice->isConnected());
    alice->sendLine("NICK alice");
    alice->sendLine("USER al 0 * :Alice Liddell");
    const auto welcome = alice->waitForCommand("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->source, QByteArray("irc.test"));
    QCOMPARE(welcome->param(0), QByteArray("alice"));
    QVERIFY(welcome->param(1).endsWith("alice!~al@127.0.0.1"));
    for (const char *numeric : {"002", "003", "004", "005", "251", "375", "372", "376"})
        QVERIFY2(alice->waitForCommand(numeric), numeric);
    const auto join = alice->waitForCommand("JOIN");
    QVERIFY(join);
    QCOMPARE(join->param(0), QByteArray("#lobby"));
    QVERIFY(alice->waitFor(test::commandWithParam("366", 1, "#lobby")));
}

QTEST_MAIN(tst_Registration)
#include "tst_registration.moc"
