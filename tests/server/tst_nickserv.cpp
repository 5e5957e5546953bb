// NickServ over real TLS: a client without SASL registers an account, logs in with IDENTIFY,
// changes its password, asks INFO, and GHOSTs an old connection; wrong passwords, bad syntax, weak
// passwords and the reserved nick get clear answers and change nothing; nobody else hears any of it;
// every change is in the audit log.

#include "testserver.h"

#include "accounts/accountstore.h"
#include "auditlog.h"

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

/// The next NOTICE from NickServ to @p client, as its text; the cursor moves past it.
QByteArray nickServSays(TestIrcClient &client)
{
    const auto notice = client.waitFor(
        [](const protocol::Message &m) { return m.command == "NOTICE" && m.sourceNick() == "NickServ"; });
    return notice ? notice->param(1) : QByteArray("<nothing from NickServ>");
}

/// The audit log's entries as "<nick> <account> <action> <detail>".
QByteArrayList auditOf(TestServer &server)
{
    QByteArrayList lines;
    for (const server::AuditEntry &entry : server.server().auditLog().entries())
        lines << entry.oper + ' ' + entry.account + ' ' + entry.action + ' ' + entry.detail;
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
    void registerThenIdentify();
    void setPassword();
    void changeRefused_data();
    void changeRefused();
    void registrationDisabled();
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
    QCOMPARE(fromServices(*f.client).size(), 7);
    QVERIFY(f.bystander->receivedNothing());
}

void tst_NickServ::registerThenIdentify()
{
    Fixture f;
    QVERIFY(f.ready());
    f.client->sendLine("PRIVMSG NickServ :REGISTER battery-staple walker@example.org");
    QCOMPARE(nickServSays(*f.client), QByteArray("The account walker is registered, and you are logged in to it"));
    const auto account = f.server.server().accountStore().find("walker");
    QVERIFY(account);
    QCOMPARE(account->email, QByteArray("walker@example.org"));
    f.client->sendLine("WHOIS walker");
    const auto whois = f.client->waitForCommand("330");
    QVERIFY(whois);
    QCOMPARE(whois->param(2), QByteArray("walker"));
    QVERIFY(f.bystander->receivedNothing());
    QCOMPARE(auditOf(f.server), QByteArrayList({"walker walker NickServ REGISTER walker"}));

    // Back on a new connection, without SASL: IDENTIFY with the password just chosen.
    f.client->sendLine("QUIT");
    QVERIFY(f.client->waitForDisconnected());
    auto again = f.server.registeredClient("walker");
    QVERIFY(again);
    again->sendLine("PRIVMSG NickServ :IDENTIFY battery-staple");
    QCOMPARE(nickServSays(*again), QByteArray("You are now logged in as walker"));
}

void tst_NickServ::setPassword()
{
    Fixture f;
    QVERIFY(f.ready());
    f.client->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QCOMPARE(nickServSays(*f.client), QByteArray("You are now logged in as alice"));
    f.client->sendLine("PRIVMSG NickServ :SET PASSWORD battery-staple");
    QCOMPARE(nickServSays(*f.client), QByteArray("The password of alice is changed"));
    QVERIFY(f.bystander->receivedNothing());
    QCOMPARE(auditOf(f.server), QByteArrayList({"walker alice NickServ SET PASSWORD alice"}));

    auto other = f.server.registeredClient("other");
    QVERIFY(other);
    other->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
    QCOMPARE(nickServSays(*other), QByteArray("Wrong account name or password"));
    other->sendLine("PRIVMSG NickServ :IDENTIFY alice battery-staple");
    QCOMPARE(nickServSays(*other), QByteArray("You are now logged in as alice"));
}

void tst_NickServ::changeRefused_data()
{
    QTest::addColumn<QByteArray>("nick");
    QTest::addColumn<bool>("loggedIn");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("answer");
    const QByteArray registerSyntax = "Syntax: REGISTER <password> [<email>]";
    const QByteArray setSyntax = "Syntax: SET PASSWORD <new password>";
    QTest::newRow("REGISTER alone") << QByteArray("walker") << false << QByteArray("REGISTER") << registerSyntax;
    QTest::newRow("REGISTER too much") << QByteArray("walker") << false << QByteArray("REGISTER a-long-password b@c.d e")
                                       << registerSyntax;
    QTest::newRow("REGISTER short password") << QByteArray("walker") << false << QByteArray("REGISTER short")
                                             << QByteArray("Passwords need at least 8 characters");
    QTest::newRow("REGISTER long password") << QByteArray("walker") << false
                                            << "REGISTER " + QByteArray(257, 'x')
                                            << QByteArray("Passwords may have at most 256 bytes");
    QTest::newRow("REGISTER bad email") << QByteArray("walker") << false << QByteArray("REGISTER battery-staple nowhere")
                                        << QByteArray("That is not an email address");
    QTest::newRow("REGISTER taken") << QByteArray("alice") << false << QByteArray("REGISTER battery-staple")
                                    << QByteArray("alice is already registered; IDENTIFY if it is yours");
    QTest::newRow("REGISTER logged in") << QByteArray("walker") << true << QByteArray("REGISTER battery-staple")
                                        << QByteArray("You are already logged in as alice");
    QTest::newRow("SET PASSWORD not logged in") << QByteArray("walker") << false
                                                << QByteArray("SET PASSWORD battery-staple")
                                                << QByteArray("Log in first (IDENTIFY)");
    QTest::newRow("SET PASSWORD short") << QByteArray("walker") << true << QByteArray("SET PASSWORD short")
                                        << QByteArray("Passwords need at least 8 characters");
    QTest::newRow("SET PASSWORD alone") << QByteArray("walker") << true << QByteArray("SET PASSWORD") << setSyntax;
    QTest::newRow("SET other") << QByteArray("walker") << true << QByteArray("SET EMAIL a@b.c") << setSyntax;
    QTest::newRow("SET alone") << QByteArray("walker") << true << QByteArray("SET") << setSyntax;
}

void tst_NickServ::changeRefused()
{
    QFETCH(QByteArray, nick);
    QFETCH(bool, loggedIn);
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, answer);
    Fixture f;
    QVERIFY(f.ready(nick));
    if (loggedIn) {
        f.client->sendLine("PRIVMSG NickServ :IDENTIFY alice correct-horse");
        QCOMPARE(nickServSays(*f.client), QByteArray("You are now logged in as alice"));
        QVERIFY(f.bystander->sync());
        f.bystander->skipReceived(); // a rename to alice, if any
    }
    server::AccountStore &store = f.server.server().accountStore();
    const QByteArray hashBefore = store.find("alice")->passwordHash;
    f.client->sendLine("PRIVMSG NickServ :" + request);
    QCOMPARE(nickServSays(*f.client), answer);
    QCOMPARE(fromServices(*f.client), QByteArrayList());
    QVERIFY(f.bystander->receivedNothing());
    // Nothing changed: no new account, the same password, nothing audited.
    QCOMPARE(store.list().size(), 1);
    QCOMPARE(store.find("alice")->passwordHash, hashBefore);
    QCOMPARE(auditOf(f.server), QByteArrayList());
}

void tst_NickServ::registrationDisabled()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.accountRegistration = false;
    TestServer server(config);
    auto client = server.registeredClient("walker");
    QVERIFY(client);
    client->sendLine("PRIVMSG NickServ :REGISTER battery-staple");
    QCOMPARE(nickServSays(*client), QByteArray("This server does not let users create accounts; ask its administrator"));
    QVERIFY(!server.server().accountStore().exists("walker"));
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
    QCOMPARE(auditOf(f.server), QByteArrayList({"walker alice NickServ GHOST alice"}));
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
