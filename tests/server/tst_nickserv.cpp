// NickServ over real TLS: a client without SASL logs in with IDENTIFY, asks INFO, and GHOSTs an old
// connection; wrong passwords, bad syntax and the reserved nick get clear answers; nobody else
// hears any of it.

#include "testserver.h"

#include "accounts/accountstore.h"

#include <QTest>

using namespace tktalk;
using test::TestIrcClient;
using test::TestServer;

namespace {

constexpr const char *kPassword = "correct-horse";

/// The NOTICEs from NickServ (and numerics) @p client received up to a sync, as "NickServ: text"
/// and "<numeric>".
QByteArrayList fromServices(TestIrcClient &client)
{
    QByteArrayList lines;
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    for (const protocol::Message &m : *messages) {
        if (m.command == "NOTICE" && m.sourceNick() == "NickServ")
            lines << "NickServ: " + m.param(1);
        else if (m.command.at(0) >= '0' && m.command.at(0) <= '9')
            lines << m.command;
    }
    return lines;
}

struct Fixture
{
    TestServer server{test::accountsTestConfig()};
    std::unique_ptr<TestIrcClient> client, bystander;

    bool ready(const QByteArray &nick = "walker")
    {
        if (!server.addAccount("alice", kPassword))
            return false;
        client = server.registeredClient(nick);
        bystander = server.registeredClient("bob");
        if (!client || !bystander || !client->sync() || !bystander->sync())
            return false;
        client->skipReceived();
        bystander->skipReceived();
        return true;
    }
};

} // namespace

class tst_NickServ : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void identify_data();
    void identify();
    void refused_data();
    void refused();
    void info();
    void ghost();
    void operatorAccount();
};

void tst_NickServ::identify_data()
{
    QTest::addColumn<QByteArray>("nick");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("account named") << QByteArray("walker") << QByteArray("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QTest::newRow("account is the nick") << QByteArray("alice") << QByteArray("PRIVMSG nickserv :identify correct-horse");
}

void tst_NickServ::identify()
{
    QFETCH(QByteArray, nick);
    QFETCH(QByteArray, line);
    Fixture f;
    QVERIFY(f.ready(nick));
    f.client->sendLine(line);
    const auto loggedIn = f.client->waitForCommand("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(2), QByteArray("alice"));
    QVERIFY(f.client->waitFor([](const protocol::Message &m) {
        return m.command == "NOTICE" && m.param(1) == "You are now logged in as alice";
    }));
    f.client->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QCOMPARE(fromServices(*f.client), QByteArrayList({"NickServ: You are already logged in as alice"}));
    // Nobody else heard any of it (bob shares #lobby with the client; he has no account-notify).
    QVERIFY(f.bystander->receivedNothing());
    f.bystander->sendLine("WHOIS " + nick);
    const auto whois = f.bystander->waitForCommand("330");
    QVERIFY(whois);
    QCOMPARE(whois->param(2), QByteArray("alice"));
}

void tst_NickServ::refused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArrayList>("answer");
    QTest::newRow("wrong password") << QByteArray("PRIVMSG NickServ :IDENTIFY alice wrong")
                                    << QByteArrayList{"NickServ: Wrong account name or password"};
    QTest::newRow("no such account") << QByteArray("PRIVMSG NickServ :IDENTIFY nobody whatever")
                                     << QByteArrayList{"NickServ: Wrong account name or password"};
    QTest::newRow("no password") << QByteArray("PRIVMSG NickServ :IDENTIFY")
                                 << QByteArrayList{"NickServ: Syntax: IDENTIFY [<account>] <password>"};
    QTest::newRow("unknown command") << QByteArray("PRIVMSG NickServ :FROB x")
                                     << QByteArrayList{"NickServ: Unknown command FROB; try HELP"};
    QTest::newRow("a notice is never answered") << QByteArray("NOTICE NickServ :IDENTIFY alice wrong")
                                                << QByteArrayList{};
    QTest::newRow("ghost before logging in") << QByteArray("PRIVMSG NickServ :GHOST bob")
                                             << QByteArrayList{"NickServ: Log in first (IDENTIFY)"};
    QTest::newRow("the reserved nick") << QByteArray("NICK NickServ") << QByteArrayList{"432"};
}

void tst_NickServ::refused()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArrayList, answer);
    Fixture f;
    QVERIFY(f.ready());
    f.client->sendLine(line);
    QByteArrayList got;
    if (!answer.isEmpty()) { // a password check answers after hashing, not before a sync
        const auto first = f.client->waitFor([](const protocol::Message &m) {
            return (m.command == "NOTICE" && m.sourceNick() == "NickServ") || m.command == "432";
        });
        QVERIFY(first);
        got << (first->command == "432" ? QByteArray("432") : "NickServ: " + first->param(1));
    }
    got += fromServices(*f.client);
    QCOMPARE(got, answer);
    f.client->sendLine("WHOIS walker");
    QVERIFY(f.client->waitForCommand("318"));
    for (const protocol::Message &m : f.client->received())
        QVERIFY2(m.command != "330" && m.command != "900", "not logged in");
    QVERIFY(f.bystander->receivedNothing());
}

void tst_NickServ::info()
{
    Fixture f;
    QVERIFY(f.ready());
    f.client->sendLine("PRIVMSG NickServ :INFO ALICE");
    const QByteArrayList answer = fromServices(*f.client);
    QCOMPARE(answer.size(), 1);
    QVERIFY2(answer.first().startsWith("NickServ: Account alice, registered 20"), answer.first().constData());
    f.client->sendLine("PRIVMSG NickServ :INFO nobody");
    QCOMPARE(fromServices(*f.client), QByteArrayList({"NickServ: nobody is not a registered account"}));
    f.client->sendLine("PRIVMSG NickServ :HELP");
    QCOMPARE(fromServices(*f.client).size(), 5);
    QVERIFY(f.bystander->receivedNothing());
}

void tst_NickServ::ghost()
{
    Fixture f;
    QVERIFY(f.ready());
    // An old connection, logged in to the account, holds its nick.
    auto old = f.server.connectClient();
    old->sendLine("CAP REQ sasl");
    old->sendLine("NICK alice");
    old->sendLine("USER alice 0 * :alice");
    old->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(old->waitForCommand("AUTHENTICATE"));
    old->sendLine("AUTHENTICATE " + test::saslPlain("alice", kPassword));
    QVERIFY(old->waitForCommand("903"));
    old->sendLine("CAP END");
    QVERIFY(old->waitForCommand("366"));
    QVERIFY(f.bystander->sync());
    f.bystander->skipReceived(); // alice's JOIN
    f.client->sendLine("PRIVMSG NickServ :GHOST alice");
    QCOMPARE(fromServices(*f.client), QByteArrayList({"NickServ: Log in first (IDENTIFY)"}));
    f.client->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QVERIFY(f.client->waitForCommand("900"));
    f.client->sendLine("PRIVMSG NickServ :GHOST bob");
    QVERIFY(f.client->waitFor([](const protocol::Message &m) {
        return m.command == "NOTICE" && m.param(1) == "No other connection of yours uses the nick bob";
    }));
    f.client->sendLine("PRIVMSG NickServ :GHOST alice");
    QVERIFY(f.client->waitFor([](const protocol::Message &m) {
        return m.command == "NOTICE" && m.param(1) == "alice has been disconnected";
    }));
    const auto error = old->waitForError();
    QVERIFY(error);
    QVERIFY(error->param(0).contains("GHOST command used by walker"));
    QVERIFY(old->waitForDisconnected());
    // bob, who shared #lobby with it, saw it go; the client can now take the nick.
    QVERIFY(f.bystander->waitFor(test::commandWithParam("QUIT", 0, "GHOST command used by walker")));
    f.client->sendLine("NICK alice");
    QVERIFY(f.client->waitFor(test::commandWithParam("NICK", 0, "alice")));
}

void tst_NickServ::operatorAccount()
{
    Fixture f;
    QVERIFY(f.ready());
    QVERIFY(f.server.server().accountStore().setOperator("alice", true));
    f.client->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QVERIFY(f.client->waitForCommand("900"));
    QVERIFY(f.client->waitForCommand("381"));
    QVERIFY(f.client->waitFor(test::commandWithParam("MODE", 1, "+o")));
}

QTEST_GUILESS_MAIN(tst_NickServ)
#include "tst_nickserv.moc"
