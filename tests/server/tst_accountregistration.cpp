// REGISTER (IRCv3 draft/account-registration) against the in-process server.

#include "accounts/accountstore.h"
#include "accounts/authenticator.h"
#include "hashinggate.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

class tst_AccountRegistration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registerBeforeConnect();
    void registerAfterConnectWithCustomName();
    void refused_data();
    void refused();
    void certificateIsBound();
    void throttledPerAddress();
    void requireAccount();
    void quitWhileHashing();
};

void tst_AccountRegistration::registerBeforeConnect()
{
    TestServer server(test::accountsTestConfig());
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("NICK alice");
    client->sendLine("USER alice 0 * :Alice");
    client->sendLine("REGISTER * alice@example.org correct-horse");
    const auto success = client->waitForCommand("REGISTER");
    QVERIFY(success);
    QCOMPARE(success->params, (QByteArrayList{"SUCCESS", "alice", "Account created"}));
    const auto loggedIn = client->waitForCommand("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(2), QByteArray("alice"));
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));

    const std::optional<server::Account> stored = server.server().accountStore().find("ALICE");
    QVERIFY(stored);
    QCOMPARE(stored->email, QByteArray("alice@example.org"));
    QVERIFY(stored->passwordHash.startsWith("$argon2id$"));

    // The new account logs in from another connection.
    auto again = server.connectClient();
    again->sendLine("NICK alice2");
    again->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(again->waitForCommand("AUTHENTICATE"));
    again->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct-horse"));
    QVERIFY(again->waitForCommand("903"));
}

void tst_AccountRegistration::registerAfterConnectWithCustomName()
{
    TestServer server(test::accountsTestConfig());
    auto client = server.registeredClient("bob");
    QVERIFY(client);
    client->sendLine("REGISTER robert * correct-horse");
    const auto success = client->waitForCommand("REGISTER");
    QVERIFY(success);
    QCOMPARE(success->param(1), QByteArray("robert"));
    QVERIFY(client->waitForCommand("900"));
    QVERIFY(server.server().accountStore().exists("robert"));
    QVERIFY(!server.server().accountStore().exists("bob"));
}

void tst_AccountRegistration::refused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("code");
    QTest::newRow("exists") << QByteArray("REGISTER taken * correct-horse") << QByteArray("ACCOUNT_EXISTS");
    QTest::newRow("exists, other case") << QByteArray("REGISTER TAKEN * correct-horse")
                                        << QByteArray("ACCOUNT_EXISTS");
    QTest::newRow("short password") << QByteArray("REGISTER newbie * short") << QByteArray("WEAK_PASSWORD");
    QTest::newRow("long password") << "REGISTER newbie * " + QByteArray(300, 'x')
                                   << QByteArray("UNACCEPTABLE_PASSWORD");
    QTest::newRow("bad name") << QByteArray("REGISTER 9lives * correct-horse") << QByteArray("BAD_ACCOUNT_NAME");
    QTest::newRow("bad email") << QByteArray("REGISTER newbie not-an-email correct-horse")
                               << QByteArray("INVALID_EMAIL");
    QTest::newRow("someone's nick") << QByteArray("REGISTER carol * correct-horse") << QByteArray("BAD_ACCOUNT_NAME");
}

void tst_AccountRegistration::refused()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, code);
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("taken", "correct-horse"));
    auto bystander = server.registeredClient("carol");
    QVERIFY(bystander);
    auto client = server.registeredClient("dave");
    QVERIFY(client);
    client->sendLine(line);
    const auto fail = client->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->param(0), QByteArray("REGISTER"));
    QCOMPARE(fail->param(1), code);
    QVERIFY(!fail->param(3).isEmpty());
    QCOMPARE(server.server().accountStore().list().size(), 1);
    const auto seen = bystander->sync();
    QVERIFY(seen);
    QVERIFY(seen->isEmpty() || seen->first().command == "JOIN"); // dave's join only
    QVERIFY(client->sync()); // still serving
}

void tst_AccountRegistration::certificateIsBound()
{
    TestServer server(test::accountsTestConfig());
    QString error;
    const server::TlsIdentity identity = server::generateSelfSignedIdentity({QStringLiteral("alice")}, 1, &error);
    {
        TestIrcClient client;
        client.setClientCertificate(identity.chain.first(), identity.key);
        client.connectTo(server.port(), test::testIdentity().chain.first());
        QVERIFY(client.waitForEncrypted());
        client.sendLine("NICK alice");
        client.sendLine("REGISTER * * correct-horse");
        QVERIFY(client.waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
    }
    TestIrcClient client;
    client.setClientCertificate(identity.chain.first(), identity.key);
    client.connectTo(server.port(), test::testIdentity().chain.first());
    QVERIFY(client.waitForEncrypted());
    client.sendLine("NICK alice");
    client.sendLine("AUTHENTICATE EXTERNAL");
    QVERIFY(client.waitForCommand("AUTHENTICATE"));
    client.sendLine("AUTHENTICATE +");
    const auto loggedIn = client.waitForCommand("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(2), QByteArray("alice"));
}

void tst_AccountRegistration::throttledPerAddress()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.registrationsPerAddress = 2;
    TestServer server(config);
    auto client = server.registeredClient("dave");
    QVERIFY(client);
    for (const QByteArray name : {"one", "two"}) {
        client = server.registeredClient("x" + name);
        QVERIFY(client);
        client->sendLine("REGISTER " + name + " * correct-horse");
        QVERIFY(client->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
    }
    client = server.registeredClient("xthree");
    client->sendLine("REGISTER three * correct-horse");
    const auto fail = client->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->param(1), QByteArray("TEMPORARILY_UNAVAILABLE"));
    QVERIFY2(fail->param(3).contains("try again in"), fail->param(3).constData());
    QVERIFY(!server.server().accountStore().exists("three"));
}

void tst_AccountRegistration::requireAccount()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.requireAccount = true;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));

    auto guest = server.connectClient();
    guest->sendLine("NICK guest");
    guest->sendLine("USER guest 0 * :Guest");
    const auto fail = guest->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->param(1), QByteArray("ACCOUNT_REQUIRED"));
    QVERIFY(guest->waitForError());
    QVERIFY(guest->waitForDisconnected());
    QVERIFY(!std::any_of(guest->received().begin(), guest->received().end(),
                         [](const Message &m) { return m.command == "001"; }));

    auto member = server.connectClient();
    member->sendLine("CAP LS 302");
    member->sendLine("NICK alice");
    member->sendLine("USER alice 0 * :Alice");
    member->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(member->waitForCommand("AUTHENTICATE"));
    member->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct-horse"));
    member->sendLine("CAP END");
    QVERIFY(member->waitForCommand("001"));

    // Registering before connecting counts as logging in.
    auto newcomer = server.connectClient();
    newcomer->sendLine("CAP LS 302");
    newcomer->sendLine("NICK newbie");
    newcomer->sendLine("USER newbie 0 * :New");
    newcomer->sendLine("REGISTER * * correct-horse");
    QVERIFY(newcomer->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
    newcomer->sendLine("CAP END");
    QVERIFY(newcomer->waitForCommand("001"));
}

void tst_AccountRegistration::quitWhileHashing()
{
    TestServer server(test::accountsTestConfig());
    // The hash is held until the client has gone, however fast it would be.
    test::HashingGate gate(server.server().authenticator());
    auto leaver = server.connectClient();
    leaver->sendLine("NICK zed");
    leaver->sendLine("REGISTER * * correct-horse");
    QVERIFY(gate.waitForHeld(1));
    leaver->sendLine("QUIT :bye");
    QVERIFY(leaver->waitForError());
    QVERIFY(leaver->waitForDisconnected());
    QVERIFY(!server.server().accountStore().exists("zed"));
    gate.open();
    // The account is created, but the departed client holds no nick: someone else may use it.
    QTRY_VERIFY_WITH_TIMEOUT(server.server().accountStore().exists("zed"), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(server.server().authenticator().pendingHashes(), 0, 30'000);
    auto other = server.registeredClient("other");
    QVERIFY(other);
    QVERIFY(!server.server().registry().findClient("zed"));
    other->sendLine("WHOIS zed");
    QVERIFY(other->waitForCommand("401"));
}

QTEST_MAIN(tst_AccountRegistration)
#include "tst_accountregistration.moc"
