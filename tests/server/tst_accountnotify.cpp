// What others learn about accounts: extended-join, account-notify and WHOIS 330.

#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

std::unique_ptr<TestIrcClient> registeredWithCaps(TestServer &server, const QByteArray &nick, const QByteArray &caps)
{
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("CAP REQ :" + caps);
    client->sendLine("CAP END");
    if (!client->waitFor(test::commandWithParam("CAP", 1, "ACK")) || !client->registerAs(nick))
        return nullptr;
    return client;
}

} // namespace

class tst_AccountNotify : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void advertised();
    void extendedJoin();
    void accountNotifyOnLogin();
    void whoisShowsAccount();
};

void tst_AccountNotify::advertised()
{
    TestServer server(test::accountsTestConfig());
    auto client = server.connectClient();
    const auto caps = client->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY(caps->contains("account-notify"));
    QVERIFY(caps->contains("extended-join"));
}

void tst_AccountNotify::extendedJoin()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto carol = registeredWithCaps(server, "carol", "extended-join");
    auto dave = server.registeredClient("dave");
    QVERIFY(carol && dave);

    auto alice = server.connectClient();
    alice->sendLine("CAP LS 302");
    alice->sendLine("NICK alice");
    alice->sendLine("USER alice 0 * :Alice Liddell");
    alice->sendLine("AUTHENTICATE PLAIN");
    alice->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct-horse"));
    alice->sendLine("CAP END");
    QVERIFY(alice->waitForCommand("001"));
    const auto extended = carol->waitFor(test::commandWithParam("JOIN", 1, "alice"));
    QVERIFY(extended);
    QCOMPARE(extended->params, (QByteArrayList{"#lobby", "alice", "Alice Liddell"}));
    const auto plain = dave->waitForCommand("JOIN");
    QVERIFY(plain);
    QCOMPARE(plain->params, QByteArrayList{"#lobby"});

    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    const auto guest = carol->waitFor([](const Message &m) { return m.command == "JOIN" && m.source.startsWith("bob!"); });
    QVERIFY(guest);
    QCOMPARE(guest->param(1), QByteArray("*"));
}

void tst_AccountNotify::accountNotifyOnLogin()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("bob", "correct-horse"));
    auto carol = registeredWithCaps(server, "carol", "account-notify");
    auto dave = server.registeredClient("dave");
    auto bob = registeredWithCaps(server, "bob", "account-notify");
    QVERIFY(carol && dave && bob);
    // Let the news of bob's join reach both before listening for what the login brings.
    QVERIFY(carol->sync() && dave->sync());

    bob->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(bob->waitForCommand("AUTHENTICATE"));
    bob->sendLine("AUTHENTICATE " + test::saslPlain("bob", "correct-horse"));
    const auto own = bob->waitForCommand("ACCOUNT");
    QVERIFY(own);
    QVERIFY(bob->waitForCommand("903"));
    const auto seen = carol->waitForCommand("ACCOUNT");
    QVERIFY(seen);
    QCOMPARE(seen->source, QByteArray("bob!~bob@127.0.0.1"));
    QCOMPARE(seen->params, QByteArrayList{"bob"});
    const auto quiet = dave->sync();
    QVERIFY(quiet);
    QVERIFY(quiet->isEmpty());
}

void tst_AccountNotify::whoisShowsAccount()
{
    TestServer server(test::accountsTestConfig());
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->sendLine("REGISTER * * correct-horse");
    QVERIFY(alice->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
    bob->sendLine("WHOIS alice");
    const auto account = bob->waitFor([](const Message &m) { return m.command == "330" || m.command == "318"; });
    QVERIFY(account);
    QCOMPARE(account->command, QByteArray("330"));
    QCOMPARE(account->params, (QByteArrayList{"bob", "alice", "alice", "is logged in as"}));
    alice->sendLine("WHOIS bob");
    const auto none = alice->waitFor([](const Message &m) { return m.command == "330" || m.command == "318"; });
    QVERIFY(none);
    QCOMPARE(none->command, QByteArray("318"));
}

QTEST_MAIN(tst_AccountNotify)
#include "tst_accountnotify.moc"
