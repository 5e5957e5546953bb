// ChanServ and registered channels over real TLS: registering a channel one runs, the access list
// by account, status on joining (also for whoever joins an empty registered channel first: none
// without access), OP and DEOP, SET FOUNDER and DESCRIPTION, the modes of an empty registered
// channel holding (but not against its operators), the registration, access list and topic across
// a restart, DROP, and the audit log of every change. (tests/integration/tst_registeredchannels
// restarts the real process with modes and bans.)

#include "testserver.h"

#include "auditlog.h"
#include "channel.h"
#include "registeredchannels.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using test::TestIrcClient;
using test::TestServer;

namespace {

constexpr const char *kPassword = "correct-horse";

/// A registered client logged in (SASL) to the account of its own name, cursor at the end.
std::unique_ptr<TestIrcClient> loggedIn(TestServer &server, const QByteArray &nick)
{
    auto client = server.connectClient();
    client->sendLine("CAP REQ sasl");
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :" + nick);
    client->sendLine("AUTHENTICATE PLAIN");
    if (!client->waitForCommand("AUTHENTICATE"))
        return nullptr;
    client->sendLine("AUTHENTICATE " + test::saslPlain(nick, kPassword));
    if (!client->waitForCommand("903"))
        return nullptr;
    client->sendLine("CAP END");
    if (!client->waitForCommand("366") || !client->sync())
        return nullptr;
    client->skipReceived();
    return client;
}

/// The next NOTICE from ChanServ to @p client; the cursor moves past it.
QByteArray chanServSays(TestIrcClient &client)
{
    const auto notice = client.waitFor(
        [](const protocol::Message &m) { return m.command == "NOTICE" && m.sourceNick() == "ChanServ"; });
    return notice ? notice->param(1) : QByteArray("<nothing from ChanServ>");
}

/// Every message @p client received up to a sync, as "<nick> <COMMAND> <params>".
QByteArrayList seen(TestIrcClient &client)
{
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    QByteArrayList lines;
    for (const protocol::Message &m : *messages)
        lines << m.sourceNick() + ' ' + m.command + ' ' + m.params.join(' ');
    return lines;
}

/// The lines about #dev (everyone also shares #lobby, the default channel).
QByteArrayList aboutDev(const QByteArrayList &lines)
{
    QByteArrayList found;
    for (const QByteArray &line : lines) {
        if (line.contains("#dev"))
            found << line;
    }
    return found;
}

QByteArray namesOf(TestIrcClient &client, const QByteArray &channel)
{
    client.sendLine("NAMES " + channel);
    const auto names = client.waitForCommand("353");
    client.waitForCommand("366");
    return names ? names->params.last() : QByteArray("<no 353>");
}

/// The audit log's entries as "<nick> <account> <action> <detail>".
QByteArrayList auditOf(TestServer &server)
{
    QByteArrayList lines;
    for (const server::AuditEntry &entry : server.server().auditLog().entries())
        lines << entry.oper + ' ' + entry.account + ' ' + entry.action + ' ' + entry.detail;
    return lines;
}

server::ServerConfig configIn(const QTemporaryDir &dir)
{
    server::ServerConfig config = test::accountsTestConfig();
    config.dataDir = dir.path();
    return config;
}

} // namespace

class tst_ChanServ : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registerAndAccessList();
    void survivesRestart();
    void drop();
    void opDeopAndSet();
    void emptyChannelKeepsModes();
    void badRequests_data();
    void badRequests();
    void reservedNick();
};

void tst_ChanServ::registerAndAccessList()
{
    TestServer server(test::accountsTestConfig());
    for (const QByteArray name : {"alice", "bob"})
        QVERIFY(server.addAccount(name, kPassword));
    auto alice = loggedIn(server, "alice");
    auto bob = loggedIn(server, "bob");
    auto carol = server.registeredClient("carol"); // no account
    QVERIFY(alice && bob && carol);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    bob->sendLine("JOIN #dev");
    QVERIFY(bob->waitForCommand("366"));
    carol->sendLine("JOIN #dev");
    QVERIFY(carol->waitForCommand("366"));

    carol->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*carol), QByteArray("Log in first (IDENTIFY with NickServ, or SASL)"));
    bob->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*bob), QByteArray("You must be an operator (@) of #dev to register it"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #DEV");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is already registered"));
    alice->sendLine("PRIVMSG ChanServ :INFO #dev");
    QVERIFY(chanServSays(*alice).startsWith("#dev is registered to alice since 20"));

    bob->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD bob op");
    QCOMPARE(chanServSays(*bob), QByteArray("Only the founder of #dev may change its access list"));
    bob->sendLine("PRIVMSG ChanServ :OP #dev");
    QCOMPARE(chanServSays(*bob), QByteArray("The access list of #dev does not make you an operator"));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD nobody op");
    QCOMPARE(chanServSays(*alice), QByteArray("nobody is not a registered account"));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD Bob sometimes");
    QCOMPARE(chanServSays(*alice), QByteArray("The level is op or voice"));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD BOB op");
    QCOMPARE(chanServSays(*alice), QByteArray("bob is now op on #dev"));
    // None of that reached anyone else in #dev.
    QVERIFY(alice->sync() && bob->sync());
    QVERIFY(carol->receivedNothing());

    // bob asks for his @; everyone in #dev sees ChanServ give it.
    bob->sendLine("PRIVMSG ChanServ :OP #dev");
    const QByteArrayList opped{"ChanServ MODE #dev +o bob"};
    QCOMPARE(seen(*bob), opped);
    QCOMPARE(seen(*alice), opped);
    QCOMPARE(seen(*carol), opped);
    QCOMPARE(namesOf(*carol, "#dev"), QByteArray("@alice @bob carol"));

    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev LIST");
    QCOMPARE(chanServSays(*alice), QByteArray("alice founder"));
    QCOMPARE(chanServSays(*alice), QByteArray("bob op"));
    QCOMPARE(chanServSays(*alice), QByteArray("End of the access list of #dev"));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev DEL bob");
    QCOMPARE(chanServSays(*alice), QByteArray("bob is no longer on the access list of #dev"));
    alice->sendLine("PRIVMSG ChanServ :INFO #nowhere");
    QCOMPARE(chanServSays(*alice), QByteArray("#nowhere is not registered"));
}

void tst_ChanServ::survivesRestart()
{
    QTemporaryDir dir;
    {
        TestServer server(configIn(dir));
        for (const QByteArray name : {"alice", "bob"})
            QVERIFY(server.addAccount(name, kPassword));
        auto alice = loggedIn(server, "alice");
        QVERIFY(alice);
        alice->sendLine("JOIN #dev");
        QVERIFY(alice->waitForCommand("366"));
        alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
        QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
        alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD bob voice");
        QCOMPARE(chanServSays(*alice), QByteArray("bob is now voice on #dev"));
        alice->sendLine("TOPIC #dev :Kept across restarts");
        QVERIFY(alice->waitForCommand("TOPIC"));
        // Empty, a registered channel stays.
        alice->sendLine("PART #dev");
        QVERIFY(alice->waitForCommand("PART"));
        QVERIFY(server.server().registry().findChannel("#dev"));
    }
    TestServer server(configIn(dir));
    QVERIFY(server.server().registry().findChannel("#dev")); // exists before anyone joins
    // carol, on no access list, is first in: no @ for her.
    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    carol->sendLine("JOIN #dev");
    const auto topic = carol->waitForCommand("332");
    QVERIFY(topic);
    QCOMPARE(topic->params.mid(1), QByteArrayList({"#dev", "Kept across restarts"}));
    const auto topicWho = carol->waitForCommand("333");
    QVERIFY(topicWho);
    QCOMPARE(topicWho->param(2), QByteArray("alice"));
    QVERIFY(carol->waitForCommand("366"));
    QCOMPARE(namesOf(*carol, "#dev"), QByteArray("carol"));
    carol->skipReceived();
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    QCOMPARE(aboutDev(seen(*carol)), QByteArrayList({"alice JOIN #dev", "ChanServ MODE #dev +o alice"}));
    auto bob = loggedIn(server, "bob");
    QVERIFY(bob);
    bob->sendLine("JOIN #dev");
    QVERIFY(bob->waitForCommand("366"));
    QCOMPARE(aboutDev(seen(*carol)), QByteArrayList({"bob JOIN #dev", "ChanServ MODE #dev +v bob"}));
    QCOMPARE(namesOf(*carol, "#dev"), QByteArray("carol @alice +bob")); // in the order they joined
}

void tst_ChanServ::drop()
{
    TestServer server(test::accountsTestConfig());
    for (const QByteArray name : {"alice", "bob"})
        QVERIFY(server.addAccount(name, kPassword));
    auto alice = loggedIn(server, "alice");
    auto bob = loggedIn(server, "bob");
    QVERIFY(alice && bob);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
    alice->sendLine("PART #dev");
    QVERIFY(alice->waitForCommand("PART"));
    bob->sendLine("PRIVMSG ChanServ :DROP #dev");
    QCOMPARE(chanServSays(*bob), QByteArray("Only the founder of #dev may drop it"));
    QVERIFY(server.server().registry().findChannel("#dev"));
    alice->sendLine("PRIVMSG ChanServ :DROP #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is no longer registered"));
    QVERIFY(!server.server().registry().findChannel("#dev")); // empty, so gone
    alice->sendLine("PRIVMSG ChanServ :FROB");
    QCOMPARE(chanServSays(*alice), QByteArray("Unknown command FROB; try HELP"));
}

void tst_ChanServ::opDeopAndSet()
{
    TestServer server(test::accountsTestConfig());
    for (const QByteArray name : {"alice", "bob"})
        QVERIFY(server.addAccount(name, kPassword));
    auto alice = loggedIn(server, "alice");
    auto bob = loggedIn(server, "bob");
    auto carol = server.registeredClient("carol"); // no account
    QVERIFY(alice && bob && carol);
    for (TestIrcClient *client : {alice.get(), bob.get(), carol.get()}) {
        client->sendLine("JOIN #dev");
        QVERIFY(client->waitForCommand("366"));
    }
    alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD bob op");
    QCOMPARE(chanServSays(*alice), QByteArray("bob is now op on #dev"));
    for (TestIrcClient *client : {alice.get(), bob.get(), carol.get()}) {
        QVERIFY(client->sync());
        client->skipReceived();
    }

    // carol, not on the access list, may neither op nor deop anyone, herself included.
    carol->sendLine("PRIVMSG ChanServ :DEOP #dev alice");
    QCOMPARE(chanServSays(*carol), QByteArray("The access list of #dev does not make you an operator"));
    carol->sendLine("PRIVMSG ChanServ :OP #dev carol");
    QCOMPARE(chanServSays(*carol), QByteArray("The access list of #dev does not make you an operator"));
    QCOMPARE(aboutDev(seen(*alice)), QByteArrayList());
    // An access-list operator ops and deops others; anyone with @ may drop their own.
    alice->sendLine("PRIVMSG ChanServ :OP #dev carol");
    QVERIFY(alice->sync());
    QCOMPARE(aboutDev(seen(*bob)), QByteArrayList({"ChanServ MODE #dev +o carol"}));
    bob->sendLine("PRIVMSG ChanServ :DEOP #dev Carol");
    QVERIFY(bob->sync());
    QCOMPARE(aboutDev(seen(*carol)), QByteArrayList({"ChanServ MODE #dev +o carol", "ChanServ MODE #dev -o carol"}));
    bob->sendLine("PRIVMSG ChanServ :DEOP #dev carol");
    QCOMPARE(chanServSays(*bob), QByteArray("carol is not an operator of #dev"));
    alice->sendLine("PRIVMSG ChanServ :DEOP #dev");
    QVERIFY(alice->sync());
    QCOMPARE(aboutDev(seen(*carol)), QByteArrayList({"ChanServ MODE #dev -o alice"}));
    QCOMPARE(namesOf(*carol, "#dev"), QByteArray("alice bob carol"));

    // SET: founder only.
    bob->sendLine("PRIVMSG ChanServ :SET #dev DESCRIPTION Bob's channel now");
    QCOMPARE(chanServSays(*bob), QByteArray("Only the founder of #dev may change its settings"));
    alice->sendLine("PRIVMSG ChanServ :SET #dev DESCRIPTION Where the code is written");
    QCOMPARE(chanServSays(*alice), QByteArray("The description of #dev is now: Where the code is written"));
    alice->sendLine("PRIVMSG ChanServ :SET #dev FOUNDER nobody");
    QCOMPARE(chanServSays(*alice), QByteArray("nobody is not a registered account"));
    alice->sendLine("PRIVMSG ChanServ :SET #dev FOUNDER BOB");
    QCOMPARE(chanServSays(*alice), QByteArray("The founder of #dev is now bob"));
    alice->sendLine("PRIVMSG ChanServ :SET #dev FOUNDER alice");
    QCOMPARE(chanServSays(*alice), QByteArray("Only the founder of #dev may change its settings"));
    carol->sendLine("PRIVMSG ChanServ :INFO #dev");
    QVERIFY(chanServSays(*carol).startsWith("#dev is registered to bob since 20"));
    QCOMPARE(chanServSays(*carol), QByteArray("Description: Where the code is written"));
    bob->sendLine("PRIVMSG ChanServ :SET #dev DESCRIPTION");
    QCOMPARE(chanServSays(*bob), QByteArray("The description of #dev is cleared"));

    QCOMPARE(auditOf(server), QByteArrayList({"alice alice ChanServ REGISTER #dev",
                                              "alice alice ChanServ ACCESS #dev ADD bob op",
                                              "alice alice ChanServ OP #dev carol",
                                              "bob bob ChanServ DEOP #dev carol",
                                              "alice alice ChanServ DEOP #dev alice",
                                              "alice alice ChanServ SET #dev DESCRIPTION Where the code is written",
                                              "alice alice ChanServ SET #dev FOUNDER bob",
                                              "bob bob ChanServ SET #dev DESCRIPTION "}));
}

void tst_ChanServ::emptyChannelKeepsModes()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    auto alice = loggedIn(server, "alice");
    auto carol = server.registeredClient("carol");
    QVERIFY(alice && carol);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
    alice->sendLine("MODE #dev +ik sesame");
    QVERIFY(alice->waitForCommand("MODE"));
    alice->sendLine("PART #dev");
    QVERIFY(alice->waitForCommand("PART"));
    // Empty, it is still invitation-only: carol stays out, even with the key.
    carol->sendLine("JOIN #dev sesame");
    QVERIFY(carol->waitFor(test::commandWithParam("473", 1, "#dev")));
    QVERIFY(server.server().registry().findChannel("#dev")->isEmpty());
    // Its founder is never locked out of it: no invitation, no key, and @ on joining.
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    QCOMPARE(namesOf(*alice, "#dev"), QByteArray("@alice"));
    // What changed while registered is what the registration keeps.
    const server::RegisteredChannel *kept = server.server().registeredChannels().find("#dev");
    QVERIFY(kept);
    QCOMPARE(kept->modes.flagLetters(), QByteArray("int"));
    QCOMPARE(kept->modes.key(), QByteArray("sesame"));
}

void tst_ChanServ::badRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("answer");
    const QByteArray registerSyntax = "Syntax: REGISTER <#channel>";
    const QByteArray accessSyntax = "Syntax: ACCESS <#channel> ADD <account> op|voice, DEL <account>, or LIST";
    QTest::newRow("REGISTER alone") << QByteArray("REGISTER") << registerSyntax;
    QTest::newRow("REGISTER a nick") << QByteArray("REGISTER dev") << registerSyntax;
    QTest::newRow("REGISTER two channels") << QByteArray("REGISTER #dev #ops") << registerSyntax;
    QTest::newRow("ACCESS alone") << QByteArray("ACCESS") << QByteArray("Name a channel; try HELP");
    QTest::newRow("ACCESS a nick") << QByteArray("ACCESS dev LIST") << QByteArray("Name a channel; try HELP");
    QTest::newRow("ACCESS unregistered") << QByteArray("ACCESS #nowhere LIST") << QByteArray("#nowhere is not registered");
    QTest::newRow("ACCESS no action") << QByteArray("ACCESS #dev") << accessSyntax;
    QTest::newRow("ACCESS unknown action") << QByteArray("ACCESS #dev FROB bob") << accessSyntax;
    QTest::newRow("ACCESS ADD without level") << QByteArray("ACCESS #dev ADD bob") << accessSyntax;
    QTest::newRow("ACCESS DEL without account") << QByteArray("ACCESS #dev DEL") << accessSyntax;
    QTest::newRow("ACCESS LIST with more") << QByteArray("ACCESS #dev LIST bob") << accessSyntax;
    QTest::newRow("OP alone") << QByteArray("OP") << QByteArray("Name a channel; try HELP");
    QTest::newRow("OP unregistered") << QByteArray("OP #nowhere") << QByteArray("#nowhere is not registered");
    QTest::newRow("DROP unregistered") << QByteArray("DROP #nowhere") << QByteArray("#nowhere is not registered");
    QTest::newRow("OP too much") << QByteArray("OP #dev carol bob") << QByteArray("Syntax: OP <#channel> [<nick>]");
    QTest::newRow("OP someone outside") << QByteArray("OP #dev nobody") << QByteArray("nobody is not in #dev");
    QTest::newRow("OP an operator") << QByteArray("OP #dev") << QByteArray("alice is already an operator of #dev");
    QTest::newRow("DEOP alone") << QByteArray("DEOP") << QByteArray("Name a channel; try HELP");
    QTest::newRow("DEOP unregistered") << QByteArray("DEOP #nowhere") << QByteArray("#nowhere is not registered");
    QTest::newRow("DEOP no operator") << QByteArray("DEOP #dev carol") << QByteArray("carol is not an operator of #dev");
    QTest::newRow("DEOP too much") << QByteArray("DEOP #dev carol x") << QByteArray("Syntax: DEOP <#channel> [<nick>]");
    const QByteArray setSyntax = "Syntax: SET <#channel> FOUNDER <account>, or SET <#channel> DESCRIPTION [<text>]";
    QTest::newRow("SET alone") << QByteArray("SET") << QByteArray("Name a channel; try HELP");
    QTest::newRow("SET unregistered") << QByteArray("SET #nowhere FOUNDER alice") << QByteArray("#nowhere is not registered");
    QTest::newRow("SET nothing") << QByteArray("SET #dev") << setSyntax;
    QTest::newRow("SET unknown") << QByteArray("SET #dev KEEPTOPIC on") << setSyntax;
    QTest::newRow("SET FOUNDER nobody named") << QByteArray("SET #dev FOUNDER") << setSyntax;
    QTest::newRow("SET FOUNDER unknown") << QByteArray("SET #dev FOUNDER nobody") << QByteArray("nobody is not a registered account");
    QTest::newRow("empty") << QByteArray(" ") << QByteArray("ChanServ keeps registered channels: their founder, and who gets @ or + on joining:");
}

void tst_ChanServ::badRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, answer);
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    auto alice = loggedIn(server, "alice");
    auto carol = server.registeredClient("carol");
    QVERIFY(alice && carol);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitForCommand("366"));
    carol->sendLine("JOIN #dev");
    QVERIFY(carol->waitForCommand("366"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
    QCOMPARE(chanServSays(*alice), QByteArray("#dev is registered to alice"));
    QVERIFY(alice->sync() && carol->sync());
    alice->skipReceived();
    carol->skipReceived();

    alice->sendLine("PRIVMSG ChanServ :" + request);
    QCOMPARE(chanServSays(*alice), answer);
    QVERIFY(carol->receivedNothing());
    QVERIFY(alice->sync()); // past the rest of a HELP
    alice->skipReceived();
    // Nothing changed, and ChanServ still answers.
    alice->sendLine("PRIVMSG ChanServ :INFO #dev");
    QVERIFY(chanServSays(*alice).startsWith("#dev is registered to alice since 20"));
    QCOMPARE(namesOf(*carol, "#dev"), QByteArray("@alice carol"));
    QCOMPARE(auditOf(server), QByteArrayList({"alice alice ChanServ REGISTER #dev"}));
}

void tst_ChanServ::reservedNick()
{
    TestServer server;
    auto client = server.registeredClient("someone");
    QVERIFY(client);
    client->sendLine("NICK ChanServ");
    QVERIFY(client->waitFor(test::commandWithParam("432", 1, "ChanServ")));
}

QTEST_GUILESS_MAIN(tst_ChanServ)
#include "tst_chanserv.moc"
