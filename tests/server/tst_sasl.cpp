// SASL login (AUTHENTICATE PLAIN and EXTERNAL) against the in-process server, over real TLS.

#include "accounts/accountstore.h"
#include "accounts/authenticator.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

/// Starts registration with SASL negotiation, as IRCv3 clients do: registration waits for CAP END.
void beginSasl(TestIrcClient &client, const QByteArray &nick)
{
    client.sendLine("CAP LS 302");
    client.sendLine("NICK " + nick);
    client.sendLine("USER " + nick + " 0 * :" + nick);
    client.sendLine("CAP REQ sasl");
}

bool hasNumeric(const QList<Message> &messages, const QByteArray &numeric)
{
    return std::any_of(messages.begin(), messages.end(), [&](const Message &m) { return m.command == numeric; });
}

server::TlsIdentity clientIdentity(const QString &name)
{
    QString error;
    return server::generateSelfSignedIdentity({name}, 1, &error);
}

QByteArray fingerprintOf(const server::TlsIdentity &identity)
{
    return identity.chain.first().digest(QCryptographicHash::Sha256).toHex();
}

} // namespace

class tst_Sasl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capabilitiesAdvertised();
    void registrationCapabilityHiddenWhenClosed();
    void plainLogsIn();
    void plainFailures_data();
    void plainFailures();
    void chunkedPayload();
    void protocolErrors();
    void externalLogsIn();
    void externalRefused();
    void serverPasswordComesFirst();
    void rehashOnLogin();
};

void tst_Sasl::capabilitiesAdvertised()
{
    TestServer server(test::accountsTestConfig());
    auto client = server.connectClient();
    const auto caps = client->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY2(caps->contains("sasl=PLAIN,EXTERNAL"), caps->join(' ').constData());
    QVERIFY(caps->contains("draft/account-registration=before-connect,custom-account-name"));
    // Without 302, names only.
    const auto plain = client->advertisedCapabilities({});
    QVERIFY(plain);
    QVERIFY(plain->contains("sasl"));
    QVERIFY(!plain->join(' ').contains('='));
    client->sendLine("CAP REQ sasl");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "ACK")));
}

void tst_Sasl::registrationCapabilityHiddenWhenClosed()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.accountRegistration = false;
    TestServer server(config);
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    const auto ls = client->waitFor(test::commandWithParam("CAP", 1, "LS"));
    QVERIFY(ls);
    QVERIFY(!ls->param(2).contains("account-registration"));
    client->sendLine("CAP REQ draft/account-registration");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "NAK")));
    client->sendLine("NICK alice");
    client->sendLine("REGISTER * * long-enough-password");
    const auto fail = client->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->param(0), QByteArray("REGISTER"));
    QCOMPARE(fail->param(1), QByteArray("TEMPORARILY_UNAVAILABLE"));
    QVERIFY(!server.server().accountStore().exists("alice"));
}

void tst_Sasl::plainLogsIn()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("Alice", "correct horse"));
    auto client = server.connectClient();
    beginSasl(*client, "alice");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "ACK")));
    client->sendLine("AUTHENTICATE PLAIN");
    const auto go = client->waitForCommand("AUTHENTICATE");
    QVERIFY(go);
    QCOMPARE(go->param(0), QByteArray("+"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct horse"));
    const auto loggedIn = client->waitForCommand("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(1), QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(loggedIn->param(2), QByteArray("Alice")); // the account's registered spelling
    QVERIFY(client->waitForCommand("903"));
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));
}

void tst_Sasl::plainFailures_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expectedText");
    QTest::newRow("wrong password") << test::saslPlain("alice", "wrong horse") << QByteArray("wrong account");
    QTest::newRow("unknown account") << test::saslPlain("nobody", "correct horse") << QByteArray("wrong account");
    QTest::newRow("other authzid") << test::saslPlain("alice", "correct horse", "bob")
                                   << QByteArray("only log in as yourself");
    QTest::newRow("two fields") << QByteArray("alice\0correct horse", 19).toBase64() << QByteArray("malformed");
    QTest::newRow("bad base64") << QByteArray("!!!notbase64") << QByteArray("invalid base64");
}

void tst_Sasl::plainFailures()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expectedText);
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct horse"));
    auto bystander = server.registeredClient("carol");
    QVERIFY(bystander);
    auto client = server.connectClient();
    beginSasl(*client, "mallory");
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + payload);
    const auto fail = client->waitForCommand("904");
    QVERIFY(fail);
    QVERIFY2(fail->param(1).contains(expectedText), fail->param(1).constData());
    // Not logged in, but still welcome as a guest; the bystander heard nothing but the join.
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));
    QVERIFY(client->waitFor(test::commandWithParam("366", 1, "#lobby")));
    const auto seen = bystander->sync();
    QVERIFY(seen);
    for (const Message &m : *seen)
        QVERIFY2(m.command == "JOIN", m.command.constData());
}

void tst_Sasl::chunkedPayload()
{
    TestServer server(test::accountsTestConfig());
    // "\0alice\0" + 293 bytes is 300 bytes: exactly one 400-byte base64 chunk, ended by "+".
    const QByteArray exact(293, 'x');
    // 400 bytes and a remainder: two chunks.
    const QByteArray longer(400, 'y');
    QVERIFY(server.addAccount("alice", exact));
    QVERIFY(server.addAccount("bob", longer));
    {
        auto client = server.connectClient();
        beginSasl(*client, "alice");
        client->sendLine("AUTHENTICATE PLAIN");
        QVERIFY(client->waitForCommand("AUTHENTICATE"));
        const QByteArray payload = test::saslPlain("alice", exact);
        QCOMPARE(payload.size(), 400);
        client->sendLine("AUTHENTICATE " + payload);
        const auto early = client->sync();
        QVERIFY(early);
        QVERIFY(!hasNumeric(*early, "904") && !hasNumeric(*early, "903")); // still waiting for more
        client->sendLine("AUTHENTICATE +");
        QVERIFY(client->waitForCommand("903"));
    }
    {
        auto client = server.connectClient();
        beginSasl(*client, "bob");
        client->sendLine("AUTHENTICATE PLAIN");
        QVERIFY(client->waitForCommand("AUTHENTICATE"));
        const QByteArray payload = test::saslPlain("bob", longer);
        QVERIFY(payload.size() > 400 && payload.size() < 800);
        client->sendLine("AUTHENTICATE " + payload.left(400));
        client->sendLine("AUTHENTICATE " + payload.mid(400));
        const auto loggedIn = client->waitForCommand("900");
        QVERIFY(loggedIn);
        QCOMPARE(loggedIn->param(2), QByteArray("bob"));
    }
}

void tst_Sasl::protocolErrors()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct horse"));
    auto client = server.connectClient();
    beginSasl(*client, "alice");
    client->sendLine("AUTHENTICATE SCRAM-SHA-256");
    const auto mechs = client->waitForCommand("908");
    QVERIFY(mechs);
    QCOMPARE(mechs->param(1), QByteArray("PLAIN,EXTERNAL"));
    QVERIFY(client->waitForCommand("904"));

    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + QByteArray(401, 'A'));
    QVERIFY(client->waitForCommand("905"));

    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE *");
    QVERIFY(client->waitForCommand("906"));

    // The payload limit: many full chunks are refused long before they add up to much.
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    for (int i = 0; i < 11; ++i)
        client->sendLine("AUTHENTICATE " + QByteArray(400, 'A'));
    QVERIFY(client->waitForCommand("905"));

    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct horse"));
    QVERIFY(client->waitForCommand("903"));
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("907"));
    client->sendLine("AUTHENTICATE");
    const auto missing = client->waitForCommand("461");
    QVERIFY(missing);
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));
}

void tst_Sasl::externalLogsIn()
{
    TestServer server(test::accountsTestConfig());
    const server::TlsIdentity identity = clientIdentity(QStringLiteral("alice"));
    QVERIFY(!identity.chain.isEmpty());
    QVERIFY(server.addAccount("alice", "correct horse", fingerprintOf(identity)));

    TestIrcClient client;
    client.setClientCertificate(identity.chain.first(), identity.key);
    client.connectTo(server.port(), test::testIdentity().chain.first());
    QVERIFY(client.waitForEncrypted());
    beginSasl(client, "alice");
    client.sendLine("AUTHENTICATE EXTERNAL");
    QVERIFY(client.waitForCommand("AUTHENTICATE"));
    client.sendLine("AUTHENTICATE +");
    const auto loggedIn = client.waitForCommand("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(2), QByteArray("alice"));
    QVERIFY(client.waitForCommand("903"));
    client.sendLine("CAP END");
    QVERIFY(client.waitForCommand("001"));
}

void tst_Sasl::externalRefused()
{
    TestServer server(test::accountsTestConfig());
    const server::TlsIdentity bound = clientIdentity(QStringLiteral("alice"));
    const server::TlsIdentity stranger = clientIdentity(QStringLiteral("mallory"));
    QVERIFY(server.addAccount("alice", "correct horse", fingerprintOf(bound)));
    QVERIFY(server.addAccount("bob", "correct horse"));

    // No certificate at all: refused at once.
    auto plain = server.connectClient();
    beginSasl(*plain, "nocert");
    plain->sendLine("AUTHENTICATE EXTERNAL");
    const auto noCert = plain->waitForCommand("904");
    QVERIFY(noCert);
    QVERIFY(noCert->param(1).contains("certificate"));

    // A certificate bound to no account, then a bound one asking for another account.
    for (const auto &[identity, authzid] : {std::pair{stranger, QByteArray()}, std::pair{bound, QByteArray("bob")}}) {
        TestIrcClient client;
        client.setClientCertificate(identity.chain.first(), identity.key);
        client.connectTo(server.port(), test::testIdentity().chain.first());
        QVERIFY(client.waitForEncrypted());
        beginSasl(client, authzid.isEmpty() ? "stranger" : "impostor");
        client.sendLine("AUTHENTICATE EXTERNAL");
        QVERIFY(client.waitForCommand("AUTHENTICATE"));
        client.sendLine("AUTHENTICATE " + (authzid.isEmpty() ? QByteArray("+") : authzid.toBase64()));
        QVERIFY(client.waitForCommand("904"));
        client.sendLine("CAP END");
        QVERIFY(client.waitForCommand("001")); // still served, not logged in
    }
}

void tst_Sasl::serverPasswordComesFirst()
{
    QTemporaryDir dir;
    const QString passwordFile = dir.filePath(QStringLiteral("pass"));
    QFile file(passwordFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("server-secret\n");
    file.close();
    server::ServerConfig config = test::accountsTestConfig();
    config.passwordFile = passwordFile;
    TestServer server(config);
    QVERIFY(server.isListening());
    QVERIFY(server.addAccount("alice", "correct horse"));

    auto client = server.connectClient();
    client->sendLine("NICK alice");
    client->sendLine("AUTHENTICATE PLAIN");
    const auto refused = client->waitForCommand("904");
    QVERIFY(refused);
    QVERIFY(refused->param(1).contains("PASS"));
    client->sendLine("REGISTER * * long-enough-password");
    const auto fail = client->waitForCommand("FAIL");
    QVERIFY(fail);
    QVERIFY(fail->param(3).contains("PASS"));

    client->sendLine("PASS server-secret");
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct horse"));
    QVERIFY(client->waitForCommand("903"));
}

void tst_Sasl::rehashOnLogin()
{
    QTemporaryDir dir;
    server::ServerConfig config = test::accountsTestConfig();
    config.dataDir = dir.path();
    QByteArray oldHash;
    {
        TestServer first(config);
        QVERIFY(first.addAccount("alice", "correct horse"));
        oldHash = first.server().accountStore().find("alice")->passwordHash;
    }
    config.passwordHashOps = 2; // the administrator raised the cost
    TestServer server(config);
    QVERIFY(server.isListening());
    auto client = server.connectClient();
    beginSasl(*client, "alice");
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct horse"));
    QVERIFY(client->waitForCommand("903"));
    const QByteArray newHash = server.server().accountStore().find("alice")->passwordHash;
    QVERIFY(newHash != oldHash);
    QVERIFY(newHash.startsWith("$argon2id$"));
    QVERIFY(newHash.contains("t=2"));
    QVERIFY(oldHash.contains("t=1"));
}

QTEST_MAIN(tst_Sasl)
#include "tst_sasl.moc"
