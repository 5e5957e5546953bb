#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

class tst_Registration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void welcomeBurst();
    void isupportAnnouncesCasemapping();
    void capNegotiationHoldsRegistration();
    void capRequests_data();
    void capRequests();
    void badRegistration_data();
    void badRegistration();
    void nickInUseIsCaseInsensitive();
    void nickFreedByQuitCanBeTaken();
    void reregistrationRefused();
    void pingBeforeRegistration();
    void passwordRequired_data();
    void passwordRequired();
    void registrationTimeout();
    void noDefaultChannel();
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
    QCOMPARE(join->source, QByteArray("alice!~al@127.0.0.1"));
    QCOMPARE(join->param(0), QByteArray("#lobby"));
    const auto names = alice->waitForCommand("353");
    QVERIFY(names);
    QCOMPARE(names->param(3), QByteArray("@alice")); // the first one in runs the channel
    QVERIFY(alice->waitFor(test::commandWithParam("366", 1, "#lobby")));
}

void tst_Registration::isupportAnnouncesCasemapping()
{
    TestServer server;
    auto alice = server.connectClient();
    alice->registerAs("alice");
    QByteArrayList tokens;
    for (const Message &m : alice->received()) {
        if (m.command == "005")
            tokens += m.params.mid(1, m.params.size() - 2);
    }
    QVERIFY(tokens.contains("CASEMAPPING=rfc1459"));
    QVERIFY(tokens.contains("CHANTYPES=#"));
    QVERIFY(tokens.contains("NICKLEN=30"));
    QVERIFY(tokens.contains("UTF8ONLY"));
    QVERIFY(tokens.contains("NETWORK=tktalk"));
}

void tst_Registration::capNegotiationHoldsRegistration()
{
    TestServer server;
    auto client = server.connectClient();
    const auto advertised = client->advertisedCapabilities();
    QVERIFY(advertised);
    for (const char *cap : {"echo-message", "server-time", "userhost-in-names"})
        QVERIFY2(advertised->contains(cap), cap);
    client->sendLine("NICK capper");
    client->sendLine("USER c 0 * :C");
    // NICK and USER are in, but negotiation is open: no welcome yet.
    const auto beforeEnd = client->sync();
    QVERIFY(beforeEnd);
    for (const Message &m : *beforeEnd)
        QVERIFY2(m.command != "001", "registered before CAP END");
    client->sendLine("CAP REQ :server-time");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "ACK")));
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));
    const auto join = client->waitForCommand("JOIN");
    QVERIFY(join);
    QVERIFY(join->tag("time").has_value());
}

void tst_Registration::capRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QByteArray>("enabledAfter");
    QTest::newRow("one") << QByteArray("CAP REQ :echo-message") << QByteArray("ACK") << QByteArray("echo-message");
    QTest::newRow("two") << QByteArray("CAP REQ :echo-message server-time") << QByteArray("ACK")
                         << QByteArray("echo-message server-time");
    QTest::newRow("unknown one spoils all") << QByteArray("CAP REQ :echo-message no-such-cap") << QByteArray("NAK")
                                            << QByteArray("");
    QTest::newRow("disable") << QByteArray("CAP REQ :-echo-message") << QByteArray("ACK") << QByteArray("");
    QTest::newRow("empty") << QByteArray("CAP REQ :") << QByteArray("NAK") << QByteArray("");
}

void tst_Registration::capRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, reply);
    QFETCH(QByteArray, enabledAfter);
    TestServer server;
    auto client = server.registeredClient("c");
    QVERIFY(client);
    client->sendLine(request);
    const auto answer = client->waitFor([](const Message &m) { return m.command == "CAP"; });
    QVERIFY(answer);
    QCOMPARE(answer->param(1), reply);
    client->sendLine("CAP LIST");
    const auto list = client->waitFor(test::commandWithParam("CAP", 1, "LIST"));
    QVERIFY(list);
    QCOMPARE(list->param(2), enabledAfter);
}

void tst_Registration::badRegistration_data()
{
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("firstParamAfterTarget");

    QTest::newRow("command before registration") << QByteArrayList{"JOIN #x"} << QByteArray("451") << QByteArray("You have not registered");
    QTest::newRow("privmsg before registration") << QByteArrayList{"PRIVMSG #lobby :hi"} << QByteArray("451") << QByteArray("You have not registered");
    QTest::newRow("unknown command") << QByteArrayList{"FROBNICATE x"} << QByteArray("421") << QByteArray("FROBNICATE");
    QTest::newRow("numeric as a command") << QByteArrayList{"001 x"} << QByteArray("421") << QByteArray("001");
    QTest::newRow("garbage command") << QByteArrayList{"!!! x"} << QByteArray("421") << QByteArray("!!!");
    QTest::newRow("NICK without nick") << QByteArrayList{"NICK"} << QByteArray("431") << QByteArray("No nickname given");
    QTest::newRow("NICK empty") << QByteArrayList{"NICK :"} << QByteArray("431") << QByteArray("No nickname given");
    QTest::newRow("NICK with digit first") << QByteArrayList{"NICK 1abc"} << QByteArray("432") << QByteArray("1abc");
    QTest::newRow("NICK too long") << QByteArrayList{"NICK " + QByteArray(31, 'n')} << QByteArray("432") << QByteArray(31, 'n');
    QTest::newRow("NICK with comma") << QByteArrayList{"NICK a,b"} << QByteArray("432") << QByteArray("a,b");
    QTest::newRow("NICK non-ascii") << QByteArrayList{"NICK j\xc3\xb6rg"} << QByteArray("432") << QByteArray("j\xc3\xb6rg");
    QTest::newRow("USER too few") << QByteArrayList{"USER a 0"} << QByteArray("461") << QByteArray("USER");
    QTest::newRow("USER empty real name") << QByteArrayList{"USER a 0 * :"} << QByteArray("461") << QByteArray("USER");
    QTest::newRow("CAP without subcommand") << QByteArrayList{"CAP"} << QByteArray("461") << QByteArray("CAP");
    QTest::newRow("CAP bad subcommand") << QByteArrayList{"CAP FOO"} << QByteArray("410") << QByteArray("FOO");
    QTest::newRow("PASS without password") << QByteArrayList{"PASS"} << QByteArray("461") << QByteArray("PASS");
    QTest::newRow("PING without token") << QByteArrayList{"PING"} << QByteArray("409") << QByteArray("No origin specified");
}

void tst_Registration::badRegistration()
{
    QFETCH(QByteArrayList, lines);
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, firstParamAfterTarget);
    TestServer server;
    auto bystander = server.registeredClient("bystander");
    QVERIFY(bystander);
    auto client = server.connectClient();
    for (const QByteArray &line : lines)
        client->sendLine(line);
    const auto error = client->waitForCommand(numeric);
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("*"));
    QCOMPARE(error->param(1), firstParamAfterTarget);
    // Nobody else noticed, and the client can still register.
    const auto seen = bystander->sync();
    QVERIFY(seen);
    QVERIFY(seen->isEmpty());
    QVERIFY(client->registerAs("recovered"));
}

void tst_Registration::nickInUseIsCaseInsensitive()
{
    TestServer server;
    auto first = server.registeredClient("Alice[x]");
    QVERIFY(first);
    auto second = server.connectClient();
    second->sendLine("NICK alice{X}");
    const auto inUse = second->waitForCommand("433");
    QVERIFY(inUse);
    QCOMPARE(inUse->param(1), QByteArray("alice{X}"));
    QVERIFY(second->registerAs("alice2"));
    // A registered user cannot take a nick either, and a case change of one's own nick works.
    second->sendLine("NICK ALICE[X]");
    QVERIFY(second->waitForCommand("433"));
    first->sendLine("NICK alice[x]");
    const auto changed = first->waitForCommand("NICK");
    QVERIFY(changed);
    QCOMPARE(changed->param(0), QByteArray("alice[x]"));
}

void tst_Registration::nickFreedByQuitCanBeTaken()
{
    TestServer server;
    auto first = server.registeredClient("carol");
    QVERIFY(first);
    first->sendLine("QUIT :bye");
    QVERIFY(first->waitForError());
    QVERIFY(first->waitForDisconnected());
    auto second = server.registeredClient("carol");
    QVERIFY(second);
}

void tst_Registration::reregistrationRefused()
{
    TestServer server;
    auto client = server.registeredClient("dave");
    QVERIFY(client);
    client->sendLine("USER again 0 * :Again");
    QVERIFY(client->waitFor(test::commandWithParam("462", 0, "dave")));
    client->sendLine("PASS secret");
    QVERIFY(client->waitFor(test::commandWithParam("462", 0, "dave")));
}

void tst_Registration::pingBeforeRegistration()
{
    TestServer server;
    auto client = server.connectClient();
    client->sendLine("PING :hello there");
    const auto pong = client->waitForCommand("PONG");
    QVERIFY(pong);
    QCOMPARE(pong->params, QByteArrayList({"irc.test", "hello there"}));
}

void tst_Registration::passwordRequired_data()
{
    QTest::addColumn<QByteArray>("passLine");
    QTest::addColumn<bool>("admitted");
    QTest::newRow("right password") << QByteArray("PASS :open sesame") << true;
    QTest::newRow("wrong password") << QByteArray("PASS nope") << false;
    QTest::newRow("no password") << QByteArray() << false;
    QTest::newRow("password prefix") << QByteArray("PASS open") << false;
}

void tst_Registration::passwordRequired()
{
    QFETCH(QByteArray, passLine);
    QFETCH(bool, admitted);
    QTemporaryDir dir;
    const QString passwordFile = dir.filePath(QStringLiteral("password"));
    QFile file(passwordFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("open sesame\n");
    file.close();
    server::ServerConfig config = test::testServerConfig();
    config.passwordFile = passwordFile;
    TestServer server(config);
    QVERIFY(server.isListening());

    auto client = server.connectClient();
    if (!passLine.isEmpty())
        client->sendLine(passLine);
    client->sendLine("NICK eve");
    client->sendLine("USER eve 0 * :Eve");
    if (admitted) {
        QVERIFY(client->waitForCommand("001"));
        return;
    }
    QVERIFY(client->waitForCommand("464"));
    const auto error = client->waitForError();
    QVERIFY(error);
    QVERIFY(error->param(0).contains("Bad password"));
    QVERIFY(client->waitForDisconnected());
    for (const Message &m : client->received())
        QVERIFY(m.command != "001");
    // The nick was not kept by the refused connection.
    QVERIFY(server.server().registry().findClient("eve") == nullptr);
}

void tst_Registration::registrationTimeout()
{
    server::ServerConfig config = test::testServerConfig();
    config.registrationTimeoutMs = 200;
    config.housekeepingIntervalMs = 20;
    TestServer server(config);
    auto idle = server.connectClient();
    idle->sendLine("NICK idler");
    const auto error = idle->waitForError();
    QVERIFY(error);
    QVERIFY(error->param(0).contains("Registration timed out"));
    QVERIFY(idle->waitForDisconnected());
    QCOMPARE(server.server().registry().findClient("idler"), nullptr);
}

void tst_Registration::noDefaultChannel()
{
    server::ServerConfig config = test::testServerConfig();
    config.defaultChannel.clear();
    TestServer server(config);
    auto client = server.connectClient();
    QVERIFY(client->registerAs("solo", false));
    const auto rest = client->sync();
    QVERIFY(rest);
    for (const Message &m : *rest)
        QVERIFY(m.command != "JOIN");
    QVERIFY(server.server().registry().channels().isEmpty());
}

QTEST_MAIN(tst_Registration)
#include "tst_registration.moc"
